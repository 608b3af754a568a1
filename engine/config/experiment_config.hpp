// SPDX-License-Identifier: GPL-3.0-or-later
// The experiment config (JSON): data mapping + model + training. The `data` part is a contract
// users' scripts rely on (README, "Experiment config").
#pragma once
#include "engine/config/model_config.hpp"
#include "engine/config/training_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rmm {

struct NeuronChannels {
    std::string v;                     ///< measured voltage channel
    std::string u;                     ///< injected current channel
    std::optional<std::string> isyn;   ///< ground-truth synaptic current (never used for training)
    std::optional<std::string> v_unit; ///< unit overrides when the file's unit is missing/wrong
    std::optional<std::string> u_unit;
    std::optional<std::string> isyn_unit;
    bool operator==(const NeuronChannels&) const = default;
};

struct DataConfig {
    std::string file;                ///< relative paths are relative to the config file's folder
    std::vector<std::string> trials; ///< empty = all trials of the file
    std::vector<NeuronChannels> neurons;
    double train_fraction = 0.75;      ///< first fraction of every trial trains
    double validation_fraction = 0.25; ///< last fraction of the validation trial validates
    std::string validation_trial;      ///< empty = the first trial used
    bool prefilter =
        true; ///< zero-phase 3rd-order Butterworth low-pass of voltages (reference HCO scripts; issue 15)
    double prefilter_hz = 2000;
    bool operator==(const DataConfig&) const = default;
};

struct ExperimentConfig {
    DataConfig data;
    ModelConfig model;
    TrainingConfig training;
    std::string base_dir; ///< folder relative data paths resolve against
};

/// The keys an object of a config accepts, by the object's path: "" (the top level), "data",
/// "data.neurons[]", "model", "model.synapses[]", "training", "training.validation",
/// "training.schedule[]". The one list: the parser refuses any other key, and the front ends name
/// their fields by these (the workbench's forms: inFormTerms). Throws for an unknown object.
const std::vector<std::string>& configKeys(const std::string& object);
/// Every value key in full, e.g. "training.batches", "training.validation.window_s",
/// "data.neurons[].v_unit" ("[]": any index); the objects holding other keys are left out.
std::vector<std::string> configKeyPaths();

/// Parses and validates; unknown keys are an error naming the key path ("training.epocs").
ExperimentConfig parseExperimentConfig(const nlohmann::json& j, const std::string& baseDir = ".");
ExperimentConfig loadExperimentConfig(const std::string& path);
/// The full config with every default filled in (what model.h5 stores).
nlohmann::json toJson(const ExperimentConfig& c);

} // namespace rmm
