// SPDX-License-Identifier: GPL-3.0-or-later
// Figure export of one or more QCustomPlot panels (stacked vertically into one figure) to PNG
// (chosen DPI), PDF and SVG, at a chosen physical size.
#pragma once
#include <QList>
#include <QString>

class QCustomPlot;

namespace rmm {

struct FigureOptions {
    double width_mm = 180; ///< physical size of the whole figure
    double height_mm = 120;
    int dpi = 300; ///< PNG only
};

/// Writes `panels` (top to bottom, equal heights) to `path`; the format follows the suffix
/// (.png, .pdf, .svg). A legend inside a panel is drawn in one row with the panel's y range raised
/// so that no trace runs under it; the plots themselves are left as they were. Returns false and
/// sets `error` on an unknown suffix or a write failure.
bool exportFigure(const QList<QCustomPlot*>& panels, const QString& path, const FigureOptions& options,
                  QString* error = nullptr);

/// PNG pixel size for a physical size: mm / 25.4 * dpi, rounded.
int pixelsFor(double mm, int dpi);

} // namespace rmm
