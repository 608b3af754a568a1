// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sim/model_health.hpp"

#include "engine/core/format.hpp"
#include "engine/sim/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rmm {

ModelSummary summarizeModel(const CircuitModel& model)
{
    ModelSummary s;
    for (int i = 0; i < model.neurons(); ++i) {
        NeuronSummary n;
        n.capacitance_nF = 1.0 / model.invCap(i);
        n.leak_uS = model.leakConductance(i);
        n.leak_reversal_mV = -model.leakOffset(i) / n.leak_uS;
        n.time_constant_ms = n.capacitance_nF / n.leak_uS;
        s.neurons.push_back(n);
    }
    for (int k = 0; k < model.synapseCount(); ++k) {
        const auto& si = model.synapseIndex(k);
        SynapseSummary y;
        y.pre = si.config.pre;
        y.post = si.config.post;
        y.kind = si.config.kind;
        if (si.config.kind == SynapseKind::Conductance)
            y.gbar_uS = softplus(*model.blockData(si.gbar));
        s.synapses.push_back(y);
    }
    return s;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void minMax(const double* x, long n, long stride, double& lo, double& hi)
{
    lo = std::numeric_limits<double>::infinity();
    hi = -lo;
    for (long k = 0; k < n; ++k) {
        const double v = x[k * stride];
        if (!std::isfinite(v)) {
            lo = hi = kNaN;
            return;
        }
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
}

} // namespace

FreeRunSpan checkSpan(const CircuitModel& model, const Dataset& data, const Segment& seg,
                      const SimulationResult& sim, double marginMv, double isynFactor,
                      std::vector<std::string>& problems)
{
    const TrialData& tr = data.trials[static_cast<std::size_t>(seg.trial)];
    const long T = seg.length();
    const int n = model.neurons();
    FreeRunSpan sp;
    sp.trial = seg.trial;
    sp.begin = seg.begin;
    sp.end = seg.end;
    for (int i = 0; i < n; ++i) {
        double lo, hi, rlo, rhi;
        minMax(sim.v.data() + i, T, sim.v.rows(), lo, hi);
        minMax(tr.v.data() + i, tr.v.cols(), tr.v.rows(), rlo, rhi);
        sp.v_min.push_back(lo);
        sp.v_max.push_back(hi);
        sp.rec_min.push_back(rlo);
        sp.rec_max.push_back(rhi);
        const std::string who = "neuron " + std::to_string(i + 1) + ", trial '" + tr.name + "' from " +
                                formatNumber(static_cast<double>(seg.begin) * data.dt_ms * 1e-3) + " s";
        if (!std::isfinite(lo))
            problems.push_back("free run of " + who + " is not finite (the model diverges)");
        else if (lo < rlo - marginMv || hi > rhi + marginMv)
            problems.push_back("free run of " + who + " spans [" + formatNumber(lo, 4) + ", " +
                               formatNumber(hi, 4) + "] mV, beyond the recorded range [" +
                               formatNumber(rlo, 4) + ", " + formatNumber(rhi, 4) + "] mV +- " +
                               formatNumber(marginMv) + " mV");
        // Predicted synaptic current into i (-sum_j I_syn_ij) against the recorded one.
        std::vector<double> pred(static_cast<std::size_t>(T), 0.0);
        bool any = false;
        for (int s = 0; s < model.synapseCount(); ++s)
            if (model.synapseIndex(s).config.post == i) {
                any = true;
                for (long k = 0; k < T; ++k)
                    pred[static_cast<std::size_t>(k)] -= sim.i_syn(s, k);
            }
        double plo = kNaN, phi = kNaN, tlo = kNaN, thi = kNaN;
        if (any)
            minMax(pred.data(), T, 1, plo, phi);
        if (tr.has_isyn.size() > i && tr.has_isyn(i))
            minMax(tr.isyn.data() + i, tr.isyn.cols(), tr.isyn.rows(), tlo, thi);
        sp.isyn_min.push_back(plo);
        sp.isyn_max.push_back(phi);
        sp.isyn_rec_min.push_back(tlo);
        sp.isyn_rec_max.push_back(thi);
        if (any && std::isfinite(tlo) && std::isfinite(lo)) {
            const double span = std::max(std::abs(tlo), std::abs(thi));
            if (!std::isfinite(plo) || std::max(std::abs(plo), std::abs(phi)) > isynFactor * span)
                problems.push_back("predicted synaptic current of " + who + " reaches " +
                                   formatNumber(std::abs(plo) > std::abs(phi) ? plo : phi, 4) +
                                   " nA, beyond " + formatNumber(isynFactor) + "x the recorded one's " +
                                   formatNumber(span, 4) + " nA");
        }
    }
    return sp;
}

FreeRunCheck checkFreeRun(const CircuitModel& model, const Dataset& data, double marginMv, double isynFactor)
{
    FreeRunCheck out;
    out.margin_mV = marginMv;
    out.isyn_factor = isynFactor;
    std::vector<Segment> segs;
    const auto& val = data.validation;
    segs.push_back({val.trial, val.begin, data.trials[static_cast<std::size_t>(val.trial)].v.cols()});
    for (std::size_t t = 0; t < data.trials.size(); ++t)
        if (static_cast<int>(t) != val.trial)
            segs.push_back({static_cast<int>(t), 0, data.trials[t].v.cols()});
    for (const auto& seg : segs) {
        const SimulationResult sim = simulate(model, data, seg, 0.0);
        out.seconds += static_cast<double>(seg.length()) * data.dt_ms * 1e-3;
        out.spans.push_back(checkSpan(model, data, seg, sim, marginMv, isynFactor, out.problems));
    }
    out.in_range = out.problems.empty();
    return out;
}

} // namespace rmm
