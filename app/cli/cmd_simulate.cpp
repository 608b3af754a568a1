// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm simulate --model M --config C --out pred.h5 [--all] [--gamma G] [--states]`: runs a trained
// model on the recording the config maps (free run, or the nonlinear observer for gamma > 0) and
// writes predicted voltages and every current, with the measured channels for reference, as a
// generic HDF5 recording; with --states also the model's internal filter states (the observer's
// state estimates, paper Fig. 4D).
#include "command.hpp"
#include "interrupt.hpp"

#include "engine/config/experiment_config.hpp"
#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/data/dataset.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/recording/formats.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/store/model_file.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace rmm::cli {
namespace {

class InterruptProgress final : public Progress {
  public:
    bool report(double, const std::string&) override { return !interrupted(); }
};

Channel row(const std::string& name, const std::string& unit, const Eigen::MatrixXd& m, long r,
            long begin = 0, long count = -1)
{
    if (count < 0)
        count = m.cols() - begin;
    Channel c{name, unit, std::vector<double>(static_cast<std::size_t>(count))};
    for (long k = 0; k < count; ++k)
        c.samples[static_cast<std::size_t>(k)] = m(r, begin + k);
    return c;
}

int simulateCommand(const Args& args)
{
    args.allowOnly({"model", "config", "out", "all", "gamma", "states", "resync"});
    if (!args.positional().empty())
        throw Error("unexpected argument '" + args.positional().front() + "'");
    const std::string modelPath = args.require("model");
    const std::string configPath = args.require("config");
    const std::string outPath = args.require("out");
    const double gamma = args.number("gamma", 0.0);
    if (!std::isfinite(gamma) || gamma < 0 || gamma > 1)
        throw Error("--gamma " + std::to_string(gamma) + ": the observer gain must lie in [0, 1]");

    ModelFile mf = loadModel(modelPath);
    const CircuitModel& model = mf.model;
    ExperimentConfig cfg = loadExperimentConfig(configPath);
    installInterruptHandler();
    InterruptProgress progress;
    Dataset ds = loadDataset(cfg.data, cfg.base_dir, &progress);
    for (const auto& w : ds.warnings)
        std::cout << "warning: " << w << "\n";
    if (ds.neurons != model.neurons())
        throw Error(configPath + " maps " + std::to_string(ds.neurons) + " neuron(s) but the model " +
                    modelPath + " has " + std::to_string(model.neurons()));
    if (std::abs(ds.dt_ms - model.dtMs()) > 1e-9 * model.dtMs())
        throw Error(ds.source + " is sampled every " + std::to_string(ds.dt_ms) + " ms but the model " +
                    modelPath + " was trained at dt = " + std::to_string(model.dtMs()) +
                    " ms; a discrete-time model only runs at its own sampling interval");

    const bool all = args.flag("all");
    std::vector<Segment> segments;
    if (all) {
        for (std::size_t t = 0; t < ds.trials.size(); ++t)
            segments.push_back({static_cast<int>(t), 0, ds.trials[t].v.cols()});
    } else {
        segments.push_back(ds.validation);
    }

    const bool withStates = args.flag("states");
    // Restarts from the recording: over the validation segment by default those of validation
    // (training.validation.window_s), so the file holds what the report's metric scored.
    const double resyncS = args.number("resync", all || gamma > 0 ? 0.0 : cfg.training.validation.window_s);
    if (!std::isfinite(resyncS) || resyncS < 0)
        throw Error("--resync " + std::to_string(resyncS) +
                    ": the restart interval must be 0 (one free run) or a positive number of seconds");

    Recording out;
    out.format = "hdf5-generic";
    out.source = modelPath;
    out.dt_ms = ds.dt_ms;
    for (const auto& seg : segments) {
        const TrialData& td = ds.trials[static_cast<std::size_t>(seg.trial)];
        SimulationOptions opt;
        opt.gamma = gamma;
        opt.record_states = withStates;
        opt.resync_samples = resyncSamples(resyncS, ds.dt_ms);
        SimulationResult sim = simulate(model, ds, seg, opt, &progress);
        for (const auto& w : sim.warnings)
            std::cout << "warning: " << td.name << ": " << w << "\n";
        if (const std::string m = sim.nonFiniteMessage(td.name); !m.empty())
            throw Error(modelPath + ": " + m + "; " + outPath + " was not written");
        Trial t;
        t.name = td.name;
        t.start_s = static_cast<double>(seg.begin) * ds.dt_ms * 1e-3;
        const long T = seg.length();
        for (int i = 0; i < ds.neurons; ++i) {
            const std::string n = std::to_string(i + 1);
            t.channels.push_back(row("v" + n + "_pred", "mV", sim.v, i));
            t.channels.push_back(row("i_int" + n, "nA", sim.i_int, i));
            t.channels.push_back(row("i_leak" + n, "nA", sim.i_leak, i));
        }
        for (int s = 0; s < model.synapseCount(); ++s) {
            const auto& sc = model.synapseIndex(s).config;
            t.channels.push_back(
                row("i_syn_" + std::to_string(sc.pre + 1) + "_" + std::to_string(sc.post + 1), "nA",
                    sim.i_syn, s));
        }
        for (int i = 0; i < ds.neurons; ++i) {
            const std::string n = std::to_string(i + 1);
            // Predicted injected-equivalent synaptic current -sum_j I_syn_ij (docs/method.md section 5).
            Channel pred{"isyn" + n + "_pred", "nA", std::vector<double>(static_cast<std::size_t>(T), 0.0)};
            for (int s = 0; s < model.synapseCount(); ++s)
                if (model.synapseIndex(s).config.post == i)
                    for (long k = 0; k < T; ++k)
                        pred.samples[static_cast<std::size_t>(k)] -= sim.i_syn(s, k);
            t.channels.push_back(std::move(pred));
            t.channels.push_back(row("v" + n, "mV", td.v, i, seg.begin, T));
            t.channels.push_back(row("u" + n, "nA", td.u, i, seg.begin, T));
            if (td.has_isyn.size() > i && td.has_isyn(i))
                t.channels.push_back(row("isyn" + n, "nA", td.isyn, i, seg.begin, T));
        }
        for (int i = 0; withStates && i < ds.neurons; ++i)
            for (std::size_t r = 0; r < sim.state_names.size(); ++r) {
                std::string name = "x"; // appended: "x" + std::to_string(..) trips GCC 12's false -Wrestrict
                name += std::to_string(i + 1);
                name += '_';
                name += sim.state_names[r];
                t.channels.push_back(
                    row(name, "mV", sim.states[static_cast<std::size_t>(i)], static_cast<long>(r)));
            }
        std::cout << td.name << " [" << seg.begin << ", " << seg.end << "): " << T << " samples simulated"
                  << (gamma > 0 ? " (observer, gamma " + std::to_string(gamma) + ")" : std::string())
                  << (opt.resync_samples > 0
                          ? ", restarted from the recording every " + formatNumber(resyncS) + " s"
                          : std::string())
                  << "\n";
        if (gamma == 0 && seg.length() > 2L * cfg.training.validation.kernel_half_width) {
            std::cout << "  angular separation "
                      << formatNumber(meanOverNeurons(angularSeparationOf(sim, ds, cfg.training.validation)),
                                      4)
                      << "\n";
        }
        out.trials.push_back(std::move(t));
    }
    writeGenericHdf5(out, outPath);
    std::cout << "wrote " << outPath << std::endl;
    return 0;
}

const Registrar
    reg({"simulate",
         "run a trained model on a recording and write its predictions",
         "--model MODEL.h5 --config FILE --out PRED.h5 [--all] [--gamma G] [--resync S] [--states]\n"
         "  Free run over the validation segment (or every whole trial with --all) from warmed-up\n"
         "  states and the measured initial voltage, restarted that way every S seconds (default:\n"
         "  the config's training.validation.window_s over the validation segment, as validation\n"
         "  scores it; 0 with --all or --gamma; --resync 0: one free run), printing its angular\n"
         "  separation; --gamma G > 0 runs the nonlinear observer\n"
         "  v_fed = G v_measured + (1 - G) v_predicted. Writes per trial v<i>_pred, i_int<i>,\n"
         "  i_leak<i>, i_syn_<pre>_<post>, isyn<i>_pred (= -sum_j i_syn_j_i), and the measured\n"
         "  v<i>, u<i>, isyn<i> (mV, nA; neurons numbered from 1), with dt_ms on the file root.\n"
         "  --states adds the internal filter states (the observer's state estimates):\n"
         "  x<i>_int<k> (intrinsic bank), x<i>_syn<k> (synaptic cascade, when the model has one),\n"
         "  x<i>_cond<k> (conductance low-passes, with conductance synapses), k numbered from 1.",
         {"all", "states"},
         simulateCommand});

} // namespace
} // namespace rmm::cli
