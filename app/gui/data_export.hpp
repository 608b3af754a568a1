// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers behind the plots: learning curves as CSV (the columns of `rmm train`'s curves.csv) and
// curves plus predictions as one plain HDF5 file (/curves/<column>, /predictions/<trace>, with
// units and dt as attributes). Both written atomically.
#pragma once
#include "app/gui/run_store.hpp"
#include "widgets/predictions_view.hpp"

#include <QString>

namespace rmm {

bool writeCurvesCsv(const Run& run, const QString& path, QString* error = nullptr);

/// `predictions` may be null (curves only).
bool writeResultsHdf5(const Run& run, const PredictionData* predictions, const QString& path,
                      QString* error = nullptr);

} // namespace rmm
