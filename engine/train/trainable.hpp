// SPDX-License-Identifier: GPL-3.0-or-later
// Whether a dataset can be trained with these settings: the one list of checks that every front
// end runs before any work starts (rmm train, rmm config --check-data, the workbench, sweeps).
#pragma once
#include "engine/config/experiment_config.hpp"
#include "engine/data/dataset.hpp"

#include <string>
#include <vector>

namespace rmm {

/// The one list of checks of the training settings before any work starts: the settings' own
/// (TrainingConfig::problems) and those that depend on the data: shot not longer than a training
/// segment, no more mini-batches than samples / shots, validation band below Nyquist, validation
/// segment inside the data and longer than the metric's dropped ends. With the (finalized) model
/// config also what the trainers check after the banks' warm-up lead-in: enough teacher-forcing
/// samples for the mini-batches, a shot fitting every training part, enough shots. One sentence
/// per problem naming the key; empty = trainable. `rmm config --check-data`, `rmm train`, the
/// workbench and rmm::train run it.
std::vector<std::string> trainingProblems(const Dataset& ds, const TrainingConfig& training,
                                          const ModelConfig* model = nullptr);
/// Training data from which training.batches = "auto" takes 96 mini-batches per epoch instead of 48
/// (seconds of training transitions after the warm-up lead-ins).
inline constexpr double kAutoBatchesLongS = 60;
/// The mini-batches per epoch a training uses: training.batches when given (>= 1); for "auto"
/// (0), with teacher forcing and multiple shooting, 96 from kAutoBatchesLongS seconds of training
/// data and the paper's 48 below (docs/quality, 2026-12-08: twice the Adam steps help two-minute
/// recordings and hurt 30 s ones); GTF 48 (not measured). Never more than the training data's
/// samples or shots. The warm-up lead-ins are counted with the model config when given.
int effectiveBatches(const Dataset& ds, const TrainingConfig& training, const ModelConfig* model = nullptr);
/// Throws rmm::Error with every problem of trainingProblems, one per line.
void checkTrainable(const Dataset& ds, const TrainingConfig& training, const ModelConfig* model = nullptr);

} // namespace rmm
