// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm config --config FILE [--check-data]`: checks an experiment config and prints it with
// every default filled in (what model.h5 will store); --check-data also loads the recording,
// applies the channel map and runs the data-dependent checks, without training.
#include "command.hpp"

#include "engine/config/experiment_config.hpp"
#include "engine/core/error.hpp"
#include "engine/core/utf8.hpp"
#include "engine/data/dataset.hpp"
#include "engine/train/trainable.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace rmm::cli {
namespace {

int configCommand(const Args& args)
{
    args.allowOnly({"config", "check-data"});
    if (!args.positional().empty())
        throw Error("unexpected argument '" + args.positional().front() + "'");
    const std::string path = args.require("config");
    ExperimentConfig cfg = loadExperimentConfig(path);
    if (args.flag("check-data")) {
        Dataset ds = loadDataset(cfg.data, cfg.base_dir);
        checkTrainable(ds, cfg.training, &cfg.model);
        long train = 0;
        for (const auto& s : ds.train)
            train += s.length();
        std::cerr << "data ok: " << ds.source << ", " << ds.trials.size() << " trial(s), " << ds.neurons
                  << " neuron(s), dt " << ds.dt_ms << " ms, " << train << " training samples, validation "
                  << ds.validation.length() << " samples\n";
        for (const auto& w : ds.warnings)
            std::cerr << "warning: " << w << "\n";
        if (cfg.training.batches == 0) { // printed as rmm train will use it
            cfg.training.batches = effectiveBatches(ds, cfg.training, &cfg.model);
            std::cerr << "training.batches \"auto\": " << cfg.training.batches
                      << " mini-batches per epoch for this recording\n";
        }
    }
    nlohmann::json j = toJson(cfg);
    makeValidUtf8(j); // paths and names may hold any bytes; JSON must be UTF-8
    std::cout << j.dump(2) << "\n";
    return 0;
}

const Registrar
    reg({"config",
         "check an experiment config and print it with every default filled in",
         "--config FILE [--check-data]\n"
         "  Prints the full config (JSON) on stdout. --check-data also loads the recording and runs\n"
         "  every check `rmm train` runs before training (channels, units, NaN/Inf, implausible\n"
         "  values, split, settings) and prints the number of mini-batches \"auto\" chooses.",
         {"check-data"},
         configCommand});

} // namespace
} // namespace rmm::cli
