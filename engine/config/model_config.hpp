// SPDX-License-Identifier: GPL-3.0-or-later
// Settings of a circuit model (docs/method.md section 2). Every default is the paper's.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace rmm {

/// Limits of the MLPs' shape (README, "Limits"): hidden layers per MLP and units per layer. The
/// paper's networks have 3 layers of 10-20 units; these bounds leave two orders of magnitude of
/// room while keeping one neuron's intrinsic MLP below ~8.4 M parameters (8 x 1024^2).
inline constexpr int kMaxHiddenLayers = 8;
inline constexpr int kMaxHiddenWidth = 1024;

enum class SynapseKind { Lumped, Conductance };

/// Synapse from neuron `pre` (j) onto neuron `post` (i), 0-based.
struct SynapseConfig {
    int pre = 0;
    int post = 1;
    SynapseKind kind = SynapseKind::Lumped;
    bool operator==(const SynapseConfig&) const = default;
};

/// fast+slow = {0.2k} U {2k} U {10+10k}, k = 1..8 (24 values), in ms.
std::vector<double> defaultFastSlowTausMs();
/// ultraslow = {200k - 100}, k = 1..8 (8 values), in ms.
std::vector<double> defaultUltraslowTausMs();

struct ModelConfig {
    int neurons = 2;
    /// Connectivity list j -> i. Default (when `synapses_default` stays true): every ordered pair
    /// of distinct neurons, i.e. reciprocal coupling, of kind `default_synapse`.
    std::vector<SynapseConfig> synapses;
    /// When true and `synapses` is empty, finalize() fills the default connectivity; finalize()
    /// then sets it to false (the list is explicit from there on, e.g. in a saved config).
    bool synapses_default = true;
    SynapseKind default_synapse = SynapseKind::Lumped;
    /// Intrinsic bank = fast+slow U ultraslow (32 states); synaptic bank = fast+slow (24 states).
    std::vector<double> intrinsic_taus_ms; ///< empty = default
    std::vector<double> synaptic_taus_ms;  ///< empty = default
    std::vector<int> intrinsic_hidden = {20, 20, 20};
    std::vector<int> lumped_hidden = {10, 10, 10};
    int conductance_hidden = 20;    ///< hidden width of the conductance synapse s(z)
    double e_syn_mV = -80;          ///< reversal of conductance synapses (fixed)
    double activation_min_mV = -60; ///< range mapped to [-1, 1] in s(z)
    double activation_max_mV = -40;
    double gbar_init =
        0.15; ///< initial maximal conductance (uS): a graded STG synapse, 100-150 nS (the paper: 1)
    /// Membrane capacitance per neuron (nF) as measured on the rig (membrane test): one value for
    /// every neuron or one per neuron. Empty: 1/C starts at random (U(0, 1) nF^-1) and is learned.
    std::vector<double> capacitance_nF;
    /// With capacitance_nF given: false keeps C fixed at that value, true only starts there.
    bool learn_capacitance = false;
    /// Leak initialisation: the offset b starts at -g E (E = leak_rest_mV), so the leak current
    /// is near zero at rest instead of -g * 50 mV (reference code's examples).
    double leak_rest_mV = -50;

    /// Capacitance of neuron i from capacitance_nF (0 when not given).
    double capacitanceOf(int i) const;

    /// Fills empty defaults (tau sets, connectivity) and checks everything; throws rmm::Error
    /// naming the offending setting (tau <= 0, neuron index out of range, widths < 1, ...).
    void finalize();
    bool operator==(const ModelConfig&) const = default;
};

inline const char* toString(SynapseKind k)
{
    return k == SynapseKind::Lumped ? "lumped" : "conductance";
}

} // namespace rmm
