// SPDX-License-Identifier: GPL-3.0-or-later
// Headless figures of a finished run (rmm-workbench --export-run-figures RUN_DIR): the free run,
// the synaptic currents and the learning curves, drawn by the workbench's own plot widgets and
// written by its figure export, so documentation figures are made by the product.
#pragma once
#include <QString>

namespace rmm {

struct RunFigureRequest {
    QString runDir;      ///< what `rmm train --out DIR` wrote (model.h5, curves.csv, report.json)
    QString configPath;  ///< the experiment config the run was trained with
    QString outDir;      ///< created when missing
    double seconds = 10; ///< drawn from the start of the validation segment
};

/// Writes outDir/free_run.png, outDir/synaptic_current.png (skipped when the config maps no
/// ground-truth current) and outDir/learning_curves.png without showing a window (needs a
/// QApplication). Prints each file written and each note to stdout, an error (one line naming the
/// file) to stderr. Returns the exit code: 0, or 1 on an error.
int exportRunFigures(const RunFigureRequest& request);

} // namespace rmm
