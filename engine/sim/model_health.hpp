// SPDX-License-Identifier: GPL-3.0-or-later
// What a trained model says about the cell, and whether its free run stays physiological
// (issue 15): the learned membrane capacitance, leak and passive time constant per neuron,
// the maximal synaptic conductances, and a free run over held-out data checked against the
// recording's voltage range (and, where ground truth exists, the synaptic currents' range).
#pragma once
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/sim/simulate.hpp"

#include <string>
#include <vector>

namespace rmm {

struct NeuronSummary {
    double capacitance_nF = 0;   ///< 1 / softplus(a)
    double leak_uS = 0;          ///< softplus(g)
    double leak_reversal_mV = 0; ///< -b / g: where the leak current is zero
    double time_constant_ms = 0; ///< C / g: the passive membrane time constant of the leak alone
};

struct SynapseSummary {
    int pre = 0, post = 0; ///< 0-based
    SynapseKind kind = SynapseKind::Lumped;
    double gbar_uS = 0; ///< maximal conductance (conductance synapses; 0 for lumped)
};

struct ModelSummary {
    std::vector<NeuronSummary> neurons;
    std::vector<SynapseSummary> synapses;
};

ModelSummary summarizeModel(const CircuitModel& model);

/// One free run checked against the recording.
struct FreeRunSpan {
    int trial = 0;
    long begin = 0, end = 0;                        ///< samples of the trial simulated
    std::vector<double> v_min, v_max;               ///< per neuron, predicted (NaN when not finite)
    std::vector<double> rec_min, rec_max;           ///< per neuron, recorded over the whole trial
    std::vector<double> isyn_min, isyn_max;         ///< per neuron, predicted -sum_j I_syn_ij
    std::vector<double> isyn_rec_min, isyn_rec_max; ///< recorded ground truth (NaN when not mapped)
};

/// A free run is physiological while its voltage stays within the recorded range +- this margin
/// and its synaptic current within this factor x the recorded one's (issue 15).
inline constexpr double kFreeRunMarginMv = 20;
inline constexpr double kSynapticCurrentFactor = 2;
/// Prefix of the warnings (and the workbench's run status) for a model that fails the check.
inline constexpr const char* kNotPhysiological = "not physiological: ";

struct FreeRunCheck {
    bool in_range = true;                ///< every span stays within the limits below
    double margin_mV = kFreeRunMarginMv; ///< allowed excursion beyond the recorded voltage range
    double isyn_factor =
        kSynapticCurrentFactor; ///< predicted synaptic current within factor x the truth's range
    double seconds = 0;         ///< total simulated time
    std::vector<FreeRunSpan> spans;
    std::vector<std::string> problems; ///< one plain sentence per violation
};

/// Checks one simulated span `seg` (sim = its free run) against the limits of FreeRunCheck;
/// appends one sentence per violation to `problems`.
FreeRunSpan checkSpan(const CircuitModel& model, const Dataset& data, const Segment& seg,
                      const SimulationResult& sim, double marginMv, double isynFactor,
                      std::vector<std::string>& problems);

/// Free runs (gamma = 0, warmed up from the measured voltage where there is a lead-in) from the
/// validation segment's start to the end of its trial, and over every other trial whole: the
/// model runs on held-out input for as long as the recording allows.
FreeRunCheck checkFreeRun(const CircuitModel& model, const Dataset& data, double marginMv = kFreeRunMarginMv,
                          double isynFactor = kSynapticCurrentFactor);

} // namespace rmm
