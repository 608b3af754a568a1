// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/initial_model.hpp"

#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/store/model_file.hpp"
#include "engine/train/trainer.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

namespace rmm {

std::string initModelPath(const ExperimentConfig& cfg)
{
    const std::string& init = cfg.training.init;
    if (init.empty())
        return {};
    std::filesystem::path p(init);
    if (p.is_relative() && !cfg.base_dir.empty())
        p = std::filesystem::path(cfg.base_dir) / p;
    return p.lexically_normal().string();
}

CircuitModel startingModel(ExperimentConfig& cfg, const Dataset& data, std::vector<std::string>* warnings)
{
    const std::string path = initModelPath(cfg);
    if (path.empty())
        return newModel(cfg.model, data.dt_ms, cfg.training.seed);
    ModelFile file;
    try {
        file = loadModel(path);
    } catch (const Error& e) {
        throw Error("training.init: " + std::string(e.what()));
    }
    CircuitModel& m = file.model;
    if (m.neurons() != data.neurons)
        throw Error("training.init: " + path + " models " + std::to_string(m.neurons()) +
                    " neuron(s); the data section maps " + std::to_string(data.neurons));
    if (!(std::abs(m.dtMs() - data.dt_ms) <= 1e-9 * data.dt_ms))
        throw Error("training.init: " + path + " was trained at a sampling interval of " +
                    formatNumber(m.dtMs(), 6) + " ms and its filters are fixed at it; " + data.source +
                    " is sampled every " + formatNumber(data.dt_ms, 6) + " ms");
    if (!m.normalisationFrozen())
        throw Error("training.init: " + path + " has no input normalisation (not a trained model)");
    // The file's parameters hold the model's structure; its stored experiment config also the
    // settings that only steer training (a measured capacitance kept fixed, the initial values).
    ModelConfig settings = m.config();
    settings.synapses_default = false;
    if (!file.config_json.empty()) {
        try {
            ModelConfig stored = parseExperimentConfig(nlohmann::json::parse(file.config_json)).model;
            stored.synapses_default = false;
            const ModelConfig& s = settings;
            if (stored.neurons == s.neurons && stored.synapses == s.synapses &&
                stored.intrinsic_taus_ms == s.intrinsic_taus_ms &&
                stored.synaptic_taus_ms == s.synaptic_taus_ms &&
                stored.intrinsic_hidden == s.intrinsic_hidden && stored.lumped_hidden == s.lumped_hidden &&
                stored.conductance_hidden == s.conductance_hidden)
                settings = stored;
        } catch (const std::exception&) {
            // a config of another release: the structure alone
        }
    }
    if (warnings && !(cfg.model == settings))
        warnings->push_back("training.init: the model's settings (synapses, filters, hidden layers) are "
                            "those of " +
                            path + "; the config's model section is not used");
    CircuitModel start = CircuitModel::initialize(settings, m.dtMs(), 0);
    start.setFlatParameters(m.flatParameters());
    start.setNormalisation(m.normalisation());
    cfg.model = settings;
    return start;
}

} // namespace rmm
