// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sim/simulate.hpp"

#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/model/circuit_kernels.hpp"
#include "engine/model/circuit_step.hpp"
#include "engine/model/training_samples.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace rmm {

using detail::MlpColumn;
using detail::RowMat;
using detail::TypedCircuit;
using detail::TypedMlp;
using detail::Vec;

namespace {

template <typename S>
SimulationResult run(const CircuitModel& model, const Dataset& data, const Segment& seg, double gamma,
                     bool recordStates, Progress* progress)
{
    SimulationResult res;
    res.segment = seg;
    res.dt_ms = model.dtMs();
    res.gamma = gamma;
    const auto& tr = data.trials[static_cast<std::size_t>(seg.trial)];
    const int n = model.neurons(), ns = model.synapseCount();
    const int nw = model.intrinsicBank().size(), nz = model.synapticBank().size();
    const int nc = model.hasConductanceSynapses() ? model.conductanceBank().size() : 0;
    const long T = seg.length();
    const TypedCircuit<S> tc(model, model.flatParameters());

    // Warm-up from the measured voltage before the segment.
    const long M = modelWarmupSamples(model);
    const long L = std::min(M, seg.begin);
    if (L < M)
        res.warnings.push_back("simulation of trial '" + tr.name + "' from sample " +
                               std::to_string(seg.begin) + ": only " + std::to_string(L) + " of " +
                               std::to_string(M) + " warm-up samples available before the segment" +
                               (L == 0 ? "; starting from the DC state of the first sample" : ""));
    std::vector<NeuronStates> banks;
    for (int i = 0; i < n; ++i) {
        const Eigen::VectorXd v = tr.v.row(i).segment(seg.begin - L, L + 1).transpose();
        banks.push_back(model.warmUpStates(v.data(), L, nz > 0, nc > 0));
    }
    const InputMaps maps = model.inputMaps();

    res.v.resize(n, T);
    res.i_int.resize(n, T);
    res.i_leak.resize(n, T);
    res.i_syn.resize(ns, T);
    std::vector<MlpColumn<S>> intr;
    std::vector<Vec<S>> xin(static_cast<std::size_t>(n)), zin(static_cast<std::size_t>(n)),
        cin(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        intr.emplace_back(tc.neurons[static_cast<std::size_t>(i)].mlp);
        xin[static_cast<std::size_t>(i)].resize(1 + nw);
        zin[static_cast<std::size_t>(i)].resize(1 + nz);
        cin[static_cast<std::size_t>(i)].resize(nc);
    }
    std::vector<MlpColumn<S>> synEval;
    std::vector<Vec<S>> synHidden(static_cast<std::size_t>(ns));
    for (int s = 0; s < ns; ++s) {
        const auto& sy = tc.synapses[static_cast<std::size_t>(s)];
        synEval.emplace_back(sy.lumped ? sy.mlp : TypedMlp<S>());
        if (!sy.lumped)
            synHidden[static_cast<std::size_t>(s)].resize(sy.W1.rows());
    }

    if (recordStates) {
        for (int i = 0; i < n; ++i)
            res.states.emplace_back(nw + banks[static_cast<std::size_t>(i)].z.size() +
                                        banks[static_cast<std::size_t>(i)].c.size(),
                                    T);
        for (const auto& [prefix, count] :
             {std::pair<const char*, int>{"int", nw}, {"syn", nz}, {"cond", nc}})
            for (int k = 1; k <= count; ++k) {
                std::string name(prefix); // appended: "p" + std::to_string(k) trips GCC 12's false -Wrestrict
                name += std::to_string(k);
                res.state_names.push_back(std::move(name));
            }
    }
    std::vector<double> vp(static_cast<std::size_t>(n)), vf(static_cast<std::size_t>(n)),
        itot(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        vp[static_cast<std::size_t>(i)] = tr.v(i, seg.begin);
    const double dt = model.dtMs();
    const step::Observer<double> observer(gamma);
    const long reportEvery = std::max(1L, T / 100);
    for (long t = 0; t < T; ++t) {
        if (progress && t % reportEvery == 0 &&
            !progress->report(static_cast<double>(t) / static_cast<double>(T), "simulating"))
            throw Cancelled();
        for (int i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(i);
            if (recordStates) {
                auto col = res.states[k].col(t);
                col.head(nw) = banks[k].w;
                col.segment(nw, banks[k].z.size()) = banks[k].z;
                col.tail(banks[k].c.size()) = banks[k].c;
            }
            res.v(i, t) = vp[k];
            vf[k] = observer.active() ? observer.fed(tr.v(i, seg.begin + t), vp[k]) : vp[k];
            Vec<S>& x = xin[k];
            const InputMaps::Neuron& q = maps.neurons[k];
            x[0] = static_cast<S>(q.v(vf[k]));
            for (int j = 0; j < nw; ++j)
                x[1 + j] = static_cast<S>(q.w[static_cast<std::size_t>(j)](banks[k].w[j]));
            zin[k][0] = x[0];
            for (int j = 0; j < nz; ++j)
                zin[k][1 + j] = static_cast<S>(q.z[static_cast<std::size_t>(j)](banks[k].z[j]));
            for (int j = 0; j < nc; ++j)
                cin[k][j] = static_cast<S>(maps.activation(banks[k].c[j]));
            const auto& ne = tc.neurons[k];
            const double iint = static_cast<double>(intr[k](ne.mlp, x));
            const auto gleak = static_cast<double>(ne.gleak), bleak = static_cast<double>(ne.bleak);
            res.i_int(i, t) = iint;
            const double ileak = step::leakCurrent(gleak, bleak, vf[k]);
            res.i_leak(i, t) = ileak;
            itot[k] = iint + ileak; // the leak is recorded on its own, then added
        }
        for (int s = 0; s < ns; ++s) {
            const auto& sy = tc.synapses[static_cast<std::size_t>(s)];
            const auto post = static_cast<std::size_t>(sy.post), pre = static_cast<std::size_t>(sy.pre);
            double isyn;
            if (sy.lumped) {
                // Input q(v_post, z_pre): voltage of the receiving neuron, states driven by the sender.
                Vec<S>& x = zin[pre];
                const S keep = x[0];
                x[0] = xin[post][0];
                isyn = static_cast<double>(synEval[static_cast<std::size_t>(s)](sy.mlp, x));
                x[0] = keep;
            } else {
                Eigen::Matrix<S, 1, 1> act;
                detail::conductanceActivation(sy, cin[pre], synHidden[static_cast<std::size_t>(s)], act);
                isyn = step::conductanceCurrent(static_cast<double>(sy.gbar), static_cast<double>(act(0)),
                                                step::synapticDrive(vf[post], static_cast<double>(tc.esyn)));
            }
            res.i_syn(s, t) = isyn;
            itot[post] += isyn;
        }
        for (int i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(i);
            const double u = tr.u(i, seg.begin + t);
            vp[k] = step::nextVoltage(vf[k], dt * static_cast<double>(tc.neurons[k].invcap), u - itot[k]);
            if (!std::isfinite(vp[k]) && res.nonfinite_neuron < 0 && t + 1 < T)
                res.nonfinite_neuron = i;
            model.stepStates(banks[k], vf[k]);
        }
        if (res.nonfinite_neuron >= 0) {
            // The state is no longer a number: stop, the rest of the run is NaN.
            res.nonfinite_sample = seg.begin + t + 1;
            const double nan = std::numeric_limits<double>::quiet_NaN();
            const long rest = T - (t + 1);
            res.v.rightCols(rest).setConstant(nan);
            res.i_int.rightCols(rest).setConstant(nan);
            res.i_leak.rightCols(rest).setConstant(nan);
            res.i_syn.rightCols(rest).setConstant(nan);
            for (auto& st : res.states)
                st.rightCols(rest).setConstant(nan);
            break;
        }
    }
    if (progress)
        progress->report(1.0, "simulated");
    return res;
}

} // namespace

std::string SimulationResult::nonFiniteMessage(const std::string& trialName) const
{
    if (nonfinite_sample < 0)
        return {};
    return "the simulated voltage of neuron " + std::to_string(nonfinite_neuron + 1) + " in trial '" +
           trialName + "' became non-finite at sample " + std::to_string(nonfinite_sample) +
           " (t = " + formatNumber(static_cast<double>(nonfinite_sample) * dt_ms) +
           " ms): the model diverges on this input (a diverged training run, or a model trained on other "
           "data)";
}

SimulationResult simulate(const CircuitModel& model, const Dataset& data, const Segment& seg,
                          const SimulationOptions& opt, Progress* progress)
{
    if (const std::string problem = model.nonFiniteProblem(); !problem.empty())
        throw Error("the model cannot be simulated: " + problem +
                    " (a diverged training run or a damaged model)");
    if (data.neurons != model.neurons())
        throw Error("the data maps " + std::to_string(data.neurons) + " neurons but the model has " +
                    std::to_string(model.neurons()));
    if (seg.trial < 0 || static_cast<std::size_t>(seg.trial) >= data.trials.size())
        throw Error("simulation segment refers to trial " + std::to_string(seg.trial) +
                    ", which does not exist");
    const auto& tr = data.trials[static_cast<std::size_t>(seg.trial)];
    if (seg.begin < 0 || seg.end > tr.v.cols() || seg.length() < 1)
        throw Error("simulation segment [" + std::to_string(seg.begin) + ", " + std::to_string(seg.end) +
                    ") is empty or outside trial '" + tr.name + "' (" + std::to_string(tr.v.cols()) +
                    " samples)");
    if (!(opt.gamma >= 0 && opt.gamma <= 1))
        throw Error("observer gain gamma must be in [0, 1] (got " + std::to_string(opt.gamma) + ")");
    model.requireNormalisation("simulation");
    if (opt.resync_samples < 0)
        throw Error("the restart interval of a simulation must be >= 0 samples (got " +
                    std::to_string(opt.resync_samples) + ")");
    auto piece = [&](const Segment& s, Progress* p) {
        return opt.single_precision ? run<float>(model, data, s, opt.gamma, opt.record_states, p)
                                    : run<double>(model, data, s, opt.gamma, opt.record_states, p);
    };
    const std::vector<Segment> windows = resyncWindows(seg, opt.resync_samples);
    if (windows.size() == 1) {
        SimulationResult res = piece(seg, progress);
        res.resync_samples = opt.resync_samples;
        return res;
    }
    // Re-synchronised: the windows' runs side by side in one result.
    SimulationResult res;
    for (std::size_t w = 0; w < windows.size(); ++w) {
        if (progress && !progress->report(static_cast<double>(w) / static_cast<double>(windows.size()),
                                          "simulating window " + std::to_string(w + 1) + " of " +
                                              std::to_string(windows.size())))
            throw Cancelled();
        SimulationResult r = piece(windows[w], nullptr);
        const long at = windows[w].begin - seg.begin, n = windows[w].length();
        if (w == 0) {
            res = r; // sizes, names and settings of a piece; the matrices widened below
            res.segment = seg;
            res.resync_samples = opt.resync_samples;
            res.v.resize(r.v.rows(), seg.length());
            res.i_int.resize(r.i_int.rows(), seg.length());
            res.i_leak.resize(r.i_leak.rows(), seg.length());
            res.i_syn.resize(r.i_syn.rows(), seg.length());
            for (auto& x : res.states)
                x.resize(x.rows(), seg.length());
            res.warnings.clear();
        }
        res.v.middleCols(at, n) = r.v;
        res.i_int.middleCols(at, n) = r.i_int;
        res.i_leak.middleCols(at, n) = r.i_leak;
        res.i_syn.middleCols(at, n) = r.i_syn;
        for (std::size_t k = 0; k < res.states.size(); ++k)
            res.states[k].middleCols(at, n) = r.states[k];
        for (const auto& m : r.warnings)
            if (std::find(res.warnings.begin(), res.warnings.end(), m) == res.warnings.end())
                res.warnings.push_back(m);
        if (res.nonfinite_sample < 0 && r.nonfinite_sample >= 0) {
            res.nonfinite_sample = r.nonfinite_sample;
            res.nonfinite_neuron = r.nonfinite_neuron;
        }
    }
    if (progress)
        progress->report(1.0, "simulated");
    return res;
}

std::vector<double> angularSeparationOf(const SimulationResult& sim, const Dataset& data,
                                        const AngularSeparationSettings& s)
{
    AngularSeparationSettings as = s;
    as.dt_ms = data.dt_ms;
    const Segment& seg = sim.segment;
    const auto& tr = data.trials[static_cast<std::size_t>(seg.trial)];
    std::vector<double> out;
    for (long i = 0; i < sim.v.rows(); ++i) {
        if (!sim.v.row(i).allFinite()) { // a run that blew up predicts nothing
            out.push_back(0.0);
            continue;
        }
        AngularSeparationParts parts;
        for (const Segment& w : resyncWindows(seg, sim.resync_samples)) {
            std::vector<double> meas(static_cast<std::size_t>(w.length()));
            std::vector<double> pred(meas.size());
            for (long t = 0; t < w.length(); ++t) {
                meas[static_cast<std::size_t>(t)] = tr.v(i, w.begin + t);
                pred[static_cast<std::size_t>(t)] = sim.v(i, w.begin - seg.begin + t);
            }
            parts += angularSeparationParts(meas, pred, as);
        }
        out.push_back(parts.value());
    }
    return out;
}

long resyncSamples(double window_s, double dtMs)
{
    return window_s > 0 ? std::lround(window_s * 1000.0 / dtMs) : 0;
}

std::vector<Segment> resyncWindows(const Segment& seg, long window)
{
    const long n = seg.length();
    const long pieces =
        window > 0 ? std::max(1L, std::lround(static_cast<double>(n) / static_cast<double>(window))) : 1;
    std::vector<Segment> out;
    for (long k = 0; k < pieces; ++k)
        out.push_back({seg.trial, seg.begin + n * k / pieces, seg.begin + n * (k + 1) / pieces});
    return out;
}

SimulationResult simulate(const CircuitModel& model, const Dataset& data, const Segment& seg, double gamma,
                          Progress* progress)
{
    SimulationOptions o;
    o.gamma = gamma;
    return simulate(model, data, seg, o, progress);
}

} // namespace rmm
