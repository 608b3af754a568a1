// SPDX-License-Identifier: GPL-3.0-or-later
// Importing what `rmm train --out DIR` wrote (DIR/model.h5, DIR/curves.csv, DIR/report.json) as a
// run of the workbench, so runs trained from scripts or on another machine can be compared,
// inspected and analysed beside the workbench's own.
#pragma once
#include "app/gui/run_store.hpp"

#include <QString>

#include <optional>

namespace rmm {

/// Reads a results folder. model.h5 is required (the best snapshot and the config it was trained
/// with); curves.csv and report.json are read when present. The config's relative data file is
/// taken relative to the folder's parent (where `rmm train --out DIR` usually leaves it beside
/// the config). Returns nothing and sets *error (naming the file and line) on bad input.
std::optional<Run> importTrainResults(const QString& dir, QString* error);

} // namespace rmm
