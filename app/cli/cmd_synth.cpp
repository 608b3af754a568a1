// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm synth`: write the built-in demo recording (a dynamic-clamp half-center oscillator of
// two model STG neurons) to a generic HDF5 file.
#include "command.hpp"
#include "engine/core/error.hpp"
#include "engine/core/progress.hpp"
#include "engine/recording/formats.hpp"
#include "engine/synth/hco.hpp"

#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>

namespace rmm::cli {
namespace {

/// Prints a percentage to stderr when it has moved by 10 points; never cancels.
class StderrProgress final : public Progress {
  public:
    bool report(double fraction, const std::string& message) override
    {
        const int pct = static_cast<int>(std::floor(fraction * 100.0));
        if (pct >= last_ + 10 || (pct == 100 && last_ != 100)) {
            last_ = pct;
            std::cerr << pct << "% " << message << "\n";
        }
        return true;
    }

  private:
    int last_ = -10;
};

int synth(const Args& args)
{
    args.allowOnly({"seconds", "trials", "seed", "out", "noise", "substeps", "warmup", "quiet"});
    if (!args.positional().empty())
        throw Error("unexpected argument '" + args.positional().front() + "' (use --out FILE.h5)");
    HcoConfig config;
    config.seconds = args.number("seconds", config.seconds);
    const long trials = args.integer("trials", config.trials);
    if (trials < 1 || trials > 1000)
        throw Error("--trials must be between 1 and 1000 (got " + std::to_string(trials) + ")");
    config.trials = static_cast<int>(trials);
    const long seed = args.integer("seed", static_cast<long>(config.seed));
    if (seed < 0)
        throw Error("--seed must be >= 0 (got " + std::to_string(seed) + ")");
    config.seed = static_cast<std::uint64_t>(seed);
    config.noise_mV = args.number("noise", config.noise_mV);
    const long substeps = args.integer("substeps", config.substeps);
    if (substeps < 1 || substeps > std::numeric_limits<int>::max())
        throw Error("--substeps must be >= 1 (got " + std::to_string(substeps) + ")");
    config.substeps = static_cast<int>(substeps);
    config.warmup_s = args.number("warmup", config.warmup_s);
    const std::string out = args.require("out");

    StderrProgress progress;
    NoProgress silent;
    const auto start = std::chrono::steady_clock::now();
    Recording rec = synthesizeHco(config, args.flag("quiet") ? static_cast<Progress*>(&silent) : &progress);
    const double simulated = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    writeGenericHdf5(rec, out);
    if (!args.flag("quiet"))
        std::cerr << "simulated " << rec.durationSeconds() << " s of recording in " << simulated << " s\n";
    std::cout << out << ": " << rec.trials.size() << " trial(s) x " << config.seconds << " s, "
              << rec.trials.front().channels.size() << " channels, dt " << rec.dt_ms << " ms, seed "
              << config.seed << "\n";
    return 0;
}

const Registrar reg({"synth",
                     "write the demo recording: a dynamic-clamp HCO of two model STG neurons",
                     "--out FILE.h5 [--seconds S=120] [--trials K=2] [--seed X=1] [--noise MV=0.5] "
                     "[--substeps N=4] [--warmup S=10] [--quiet]",
                     {"quiet"},
                     synth});

} // namespace
} // namespace rmm::cli
