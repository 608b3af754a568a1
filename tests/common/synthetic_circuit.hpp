// SPDX-License-Identifier: GPL-3.0-or-later
// Small hand-made datasets for engine tests: smooth random voltages with occasional spikes and
// random injected currents, already split like buildDataset does (first 75 % of every trial
// trains, last 25 % of the first trial validates).
#pragma once
#include "engine/config/model_config.hpp"
#include "engine/data/dataset.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rmmtest {

inline rmm::Dataset smoothDataset(int neurons, const std::vector<long>& lengths, double dt,
                                  std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> nd(0.0, 1.0);
    rmm::Dataset d;
    d.dt_ms = dt;
    d.neurons = neurons;
    for (std::size_t k = 0; k < lengths.size(); ++k) {
        rmm::TrialData t;
        t.name = "trial" + std::to_string(k + 1);
        const long T = lengths[k];
        t.v.resize(neurons, T);
        t.u.resize(neurons, T);
        for (int i = 0; i < neurons; ++i) {
            double x = 0, y = 0;
            for (long s = 0; s < T; ++s) {
                x = 0.995 * x + 0.1 * nd(rng);
                y = 0.9 * y + 0.05 * nd(rng);
                const double phase = 2 * M_PI * s * dt / (40.0 + 7 * i);
                const double spike = std::pow(std::max(0.0, std::sin(phase)), 40.0);
                t.v(i, s) = -55 + 5 * std::sin(0.3 * phase) + 3 * x + 30 * spike;
                t.u(i, s) = y;
            }
        }
        d.trials.push_back(t);
        d.train.push_back({static_cast<int>(k), 0, static_cast<long>(0.75 * T)});
    }
    d.validation = {0, static_cast<long>(0.75 * lengths[0]), lengths[0]};
    return d;
}

/// A small two-neuron model config with both synapse kinds (0 -> 1 lumped, 1 -> 0 conductance).
inline rmm::ModelConfig smallConfig()
{
    rmm::ModelConfig c;
    c.neurons = 2;
    c.intrinsic_taus_ms = {0.3, 1.5, 4.0};
    c.synaptic_taus_ms = {0.5, 2.0};
    c.intrinsic_hidden = {5, 4};
    c.lumped_hidden = {3, 3};
    c.conductance_hidden = 3;
    c.synapses = {{0, 1, rmm::SynapseKind::Lumped}, {1, 0, rmm::SynapseKind::Conductance}};
    return c;
}

/// smallConfig() with `neurons` cells, all-to-all synapses of one kind (0 lumped, 1 conductance)
/// or mixed (2: neuron 0 sends lumped synapses, the others conductance ones), and the synaptic
/// activation range around the synthetic data (-55 +- 10 mV) so the sigmoid is not saturated.
inline rmm::ModelConfig allToAllCircuit(int neurons, int kind)
{
    rmm::ModelConfig c = smallConfig();
    c.neurons = neurons;
    c.synapses.clear();
    for (int j = 0; j < neurons; ++j)
        for (int i = 0; i < neurons; ++i)
            if (i != j) {
                rmm::SynapseKind k = kind == 0 ? rmm::SynapseKind::Lumped : rmm::SynapseKind::Conductance;
                if (kind == 2)
                    k = j == 0 ? rmm::SynapseKind::Lumped : rmm::SynapseKind::Conductance;
                c.synapses.push_back({j, i, k});
            }
    c.activation_min_mV = -65;
    c.activation_max_mV = -35;
    return c;
}

/// The GUI tests' small two-neuron model (four intrinsic and two synaptic time constants).
inline rmm::ModelConfig smallGuiModel()
{
    rmm::ModelConfig m;
    m.neurons = 2;
    m.intrinsic_taus_ms = {1, 5, 20, 100};
    m.synaptic_taus_ms = {2, 20};
    m.intrinsic_hidden = {6};
    m.lumped_hidden = {4};
    m.conductance_hidden = 4;
    m.finalize();
    return m;
}

} // namespace rmmtest
