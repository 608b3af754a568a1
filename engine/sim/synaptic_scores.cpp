// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sim/synaptic_scores.hpp"

namespace rmm {

std::vector<SynapticCurrentScore> scoreSynapticCurrents(const CircuitModel& model, const Dataset& ds,
                                                        const SimulationResult& sim, bool keepTraces,
                                                        std::vector<std::string>* warnings)
{
    std::vector<SynapticCurrentScore> out;
    const Segment& seg = sim.segment;
    const TrialData& trial = ds.trials[static_cast<std::size_t>(seg.trial)];
    const long T = sim.v.cols();
    auto row = [T](const Eigen::MatrixXd& m, int r, long offset) {
        std::vector<double> v(static_cast<std::size_t>(T));
        for (long k = 0; k < T; ++k)
            v[static_cast<std::size_t>(k)] = m(r, offset + k);
        return v;
    };
    for (int i = 0; i < ds.neurons; ++i) {
        if (trial.has_isyn.size() <= i || !trial.has_isyn(i))
            continue;
        SynapticCurrentScore s;
        s.neuron = i;
        std::vector<double> recorded = row(trial.isyn, i, seg.begin);
        std::vector<std::vector<double>> modelIsyn;
        for (int k = 0; k < model.synapseCount(); ++k) {
            const auto& sc = model.synapseIndex(k).config;
            if (sc.post != i)
                continue;
            modelIsyn.push_back(row(sim.i_syn, k, 0));
            s.presynaptic.push_back(sc.pre);
        }
        if (modelIsyn.empty() && warnings)
            warnings->push_back("neuron " + std::to_string(i + 1) +
                                " has an isyn channel but no incoming synapse in the model: its predicted "
                                "synaptic current is zero");
        std::vector<double> predicted;
        s.metrics = synapticCurrentMetrics(recorded, modelIsyn, &predicted);
        if (keepTraces) {
            if (predicted.empty())
                predicted.assign(recorded.size(), 0.0);
            s.recorded = std::move(recorded);
            s.predicted = std::move(predicted);
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace rmm
