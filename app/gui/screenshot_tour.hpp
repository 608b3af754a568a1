// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm-workbench --demo --screenshot-views DIR`: walks through every view on the demo recording
// (trace plot, a short training run, predictions, analysis, channel map and export dialogs),
// saves a screenshot of each into DIR and quits. For documentation and visual checks.
#pragma once
#include <QString>

namespace rmm {

class MainWindow;

/// Arms the tour; it starts when the recording has loaded. Exits the application when done
/// (code 0) or on the first error (code 1).
void armScreenshotTour(MainWindow& window, const QString& dir, int epochs);

} // namespace rmm
