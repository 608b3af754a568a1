// SPDX-License-Identifier: GPL-3.0-or-later
// Headless plot of a sweep (rmm-workbench --export-sweep-plot DIR --figure-out FILE [--key KEY]),
// the summary.png of `rmm sweep summary`: the sweep view's own plot, drawn without a window and
// written by the workbench's figure export, so the file matches what the Sweep tab shows.
#pragma once
#include <QString>

namespace rmm {

struct SweepFigureRequest {
    QString dir; ///< the sweep folder (DIR/sweep.json)
    QString out; ///< .png (300 dpi), .pdf or .svg
    QString key; ///< one swept key (or "seed"); "" = one panel per swept key, stacked
};

/// Draws the best validation AS against the key(s), every finished run as a point and the mean
/// over the runs sharing a value as a line, and writes `out`. Needs a QApplication (offscreen is
/// enough). Prints the file written to stdout, an error to stderr. Returns the exit code: 0; 2
/// when DIR is not a readable sweep folder or the key is not one of its swept keys; 1 when the
/// file cannot be written.
int exportSweepFigure(const SweepFigureRequest& request);

} // namespace rmm
