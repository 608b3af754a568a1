// SPDX-License-Identifier: GPL-3.0-or-later
// The model a training starts from: new (drawn from the model settings and training.seed) or an
// earlier run's model file (training.init; `rmm train --init`, the workbench's "Start from").
#pragma once
#include "engine/config/experiment_config.hpp"
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"

#include <string>
#include <vector>

namespace rmm {

/// training.init resolved against the config's folder ("" when training starts from a new model).
std::string initModelPath(const ExperimentConfig& cfg);

/// A new model from cfg.model and cfg.training.seed, or the model of the file training.init names.
/// A model file must fit the data (same number of neurons, same sampling interval: its filter
/// poles are fixed at its dt) and replaces cfg.model with its own settings, so that what is saved
/// says what was trained; where the config's model section said otherwise, `warnings` gets a
/// sentence saying so. Its input normalisation stays as it was frozen (training on continues
/// the same model). Throws rmm::Error naming the file and the mismatch.
CircuitModel startingModel(ExperimentConfig& cfg, const Dataset& data, std::vector<std::string>* warnings);

} // namespace rmm
