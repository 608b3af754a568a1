// SPDX-License-Identifier: GPL-3.0-or-later
// Synaptic-current prediction scored against a recorded ground truth (docs/method.md section 5): the one
// place that pairs a free run's synaptic currents with the recording's Isyn channels, for
// `rmm train`'s report, the workbench's Predictions view and the sweep summaries.
#pragma once
#include "engine/data/dataset.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/sim/simulate.hpp"

#include <vector>

namespace rmm {

struct SynapticCurrentScore {
    int neuron = 0;               ///< 0-based
    std::vector<int> presynaptic; ///< 0-based presynaptic neurons of the model's synapses into it
    SynapticCurrentMetrics metrics;
    std::vector<double> recorded; ///< the recorded Isyn over the segment (with keepTraces)
    std::vector<double>
        predicted; ///< -sum_j I_syn_ij of the free run, zeros when no synapse (with keepTraces)
};

/// One score per neuron that has a recorded isyn channel, from `sim`, a simulation of `sim.segment`
/// of `ds` by `model`. A neuron with an isyn channel but no incoming synapse in the model is scored
/// against a zero prediction and adds a warning.
std::vector<SynapticCurrentScore> scoreSynapticCurrents(const CircuitModel& model, const Dataset& ds,
                                                        const SimulationResult& sim, bool keepTraces,
                                                        std::vector<std::string>* warnings = nullptr);

} // namespace rmm
