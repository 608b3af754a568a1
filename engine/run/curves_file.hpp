// SPDX-License-Identifier: GPL-3.0-or-later
// curves.csv, the learning curves of a run (one row per epoch): the one writer and the one reader,
// used by `rmm train`, the workbench's export and its import of `rmm train` folders and sweeps.
//
//   epoch,seconds,elapsed_seconds,lr,train_loss,validation_metric
//   0,0.41,12.3,0.01,0.0123,0.51
//
// epoch is 0-based; seconds = the epoch's training steps, elapsed_seconds = since training started
// (validation included); an empty cell is a value that does not exist (validation_metric of an
// epoch that was not validated). The reader goes by the header's column names, so columns may be
// added or reordered later; files written before elapsed_seconds existed get it summed from seconds.
#pragma once
#include "engine/train/trainer.hpp"

#include <string>
#include <vector>

namespace rmm {

std::string curvesCsv(const std::vector<EpochRecord>& curves);

/// Parses curves.csv text; `source` names the file in errors (rmm::Error with the line number and
/// the offending row or missing column).
std::vector<EpochRecord> parseCurvesCsv(const std::string& text, const std::string& source);
/// Reads and parses the file; throws rmm::Error naming it when it cannot be read.
std::vector<EpochRecord> readCurvesCsv(const std::string& path);

/// Appends an epoch read from a file, filling a missing elapsed time from the previous epoch's and
/// this epoch's seconds (files and sessions from before elapsed times were kept).
void appendReadEpoch(std::vector<EpochRecord>& curves, EpochRecord e);

} // namespace rmm
