// SPDX-License-Identifier: GPL-3.0-or-later
// Default time-constant sets (docs/method.md section 2) and the checks of a circuit model's settings.
#include "engine/config/model_config.hpp"
#include "engine/core/format.hpp"

#include "engine/core/error.hpp"

#include <cmath>
#include <set>
#include <sstream>
#include <utility>

namespace rmm {

namespace {

void checkTaus(const std::vector<double>& taus, const char* key)
{
    if (taus.empty())
        throw Error(std::string("model.") + key + ": a filter bank needs at least one time constant");
    if (taus.size() > 512)
        throw Error(std::string("model.") + key + ": " + std::to_string(taus.size()) +
                    " time constants; at most 512 per bank are supported");
    for (std::size_t k = 0; k < taus.size(); ++k)
        if (!std::isfinite(taus[k]) || !(taus[k] > 0))
            throw Error(std::string("model.") + key + "[" + std::to_string(k) +
                        "] = " + formatNumber(taus[k]) + ": a time constant must be a finite number > 0 ms");
}

void checkWidths(const std::vector<int>& widths, const char* key)
{
    if (widths.empty())
        throw Error(std::string("model.") + key + ": needs at least one hidden layer (e.g. [20, 20, 20])");
    if (widths.size() > static_cast<std::size_t>(kMaxHiddenLayers))
        throw Error(std::string("model.") + key + ": " + std::to_string(widths.size()) +
                    " hidden layers; at most " + std::to_string(kMaxHiddenLayers) +
                    " are supported (the paper uses 3)");
    for (std::size_t k = 0; k < widths.size(); ++k)
        if (widths[k] < 1 || widths[k] > kMaxHiddenWidth)
            throw Error(std::string("model.") + key + "[" + std::to_string(k) +
                        "] = " + std::to_string(widths[k]) + ": a hidden layer width must be between 1 and " +
                        std::to_string(kMaxHiddenWidth) + " (the paper uses 10 to 20)");
}

} // namespace

std::vector<double> defaultFastSlowTausMs()
{
    std::vector<double> t;
    for (int k = 1; k <= 8; ++k)
        t.push_back(0.2 * k);
    for (int k = 1; k <= 8; ++k)
        t.push_back(2.0 * k);
    for (int k = 1; k <= 8; ++k)
        t.push_back(10.0 + 10.0 * k);
    return t;
}

std::vector<double> defaultUltraslowTausMs()
{
    std::vector<double> t;
    for (int k = 1; k <= 8; ++k)
        t.push_back(200.0 * k - 100.0);
    return t;
}

void ModelConfig::finalize()
{
    if (neurons < 1 || neurons > 64)
        throw Error("model.neurons = " + std::to_string(neurons) +
                    ": a circuit needs between 1 and 64 neurons");
    if (intrinsic_taus_ms.empty()) {
        intrinsic_taus_ms = defaultFastSlowTausMs();
        auto ultra = defaultUltraslowTausMs();
        intrinsic_taus_ms.insert(intrinsic_taus_ms.end(), ultra.begin(), ultra.end());
    }
    if (synaptic_taus_ms.empty())
        synaptic_taus_ms = defaultFastSlowTausMs();
    checkTaus(intrinsic_taus_ms, "intrinsic_taus_ms");
    checkTaus(synaptic_taus_ms, "synaptic_taus_ms");

    if (synapses_default && synapses.empty()) {
        for (int post = 0; post < neurons; ++post)
            for (int pre = 0; pre < neurons; ++pre)
                if (pre != post)
                    synapses.push_back({pre, post, default_synapse});
    }
    synapses_default = false;
    std::set<std::pair<int, int>> seen;
    for (std::size_t k = 0; k < synapses.size(); ++k) {
        const auto& s = synapses[k];
        std::string where = "model.synapses[" + std::to_string(k) + "]";
        for (auto [name, idx] : {std::pair<const char*, int>{"pre", s.pre}, {"post", s.post}})
            if (idx < 0 || idx >= neurons)
                throw Error(where + "." + name + " = " + std::to_string(idx) +
                            ": neuron indices are 0-based and " + "must be below the number of neurons (" +
                            std::to_string(neurons) + ")");
        if (s.pre == s.post)
            throw Error(where + ": a synapse from neuron " + std::to_string(s.pre) +
                        " onto itself is not supported (the intrinsic current already covers self-feedback)");
        if (!seen.insert({s.pre, s.post}).second)
            throw Error(where + ": synapse " + std::to_string(s.pre) + " -> " + std::to_string(s.post) +
                        " is listed twice");
    }

    checkWidths(intrinsic_hidden, "intrinsic_hidden");
    checkWidths(lumped_hidden, "lumped_hidden");
    if (conductance_hidden < 1 || conductance_hidden > kMaxHiddenWidth)
        throw Error("model.conductance_hidden = " + std::to_string(conductance_hidden) +
                    ": the hidden width must be between 1 and " + std::to_string(kMaxHiddenWidth));
    if (!std::isfinite(e_syn_mV))
        throw Error("model.e_syn_mV = " + formatNumber(e_syn_mV) + ": must be a finite voltage");
    if (!std::isfinite(activation_min_mV) || !std::isfinite(activation_max_mV) ||
        !(activation_min_mV < activation_max_mV))
        throw Error("model.activation_range_mV = [" + formatNumber(activation_min_mV) + ", " +
                    formatNumber(activation_max_mV) +
                    "]: needs two finite voltages, the first below the second");
    if (!std::isfinite(gbar_init) || !(gbar_init > 0))
        throw Error("model.gbar_init = " + formatNumber(gbar_init) + ": must be a finite conductance > 0");
    if (!capacitance_nF.empty() && capacitance_nF.size() != 1 &&
        static_cast<int>(capacitance_nF.size()) != neurons)
        throw Error("model.capacitance_nF lists " + std::to_string(capacitance_nF.size()) + " values for " +
                    std::to_string(neurons) + " neuron(s): give one value for all or one per neuron");
    for (std::size_t k = 0; k < capacitance_nF.size(); ++k)
        if (!std::isfinite(capacitance_nF[k]) || !(capacitance_nF[k] >= 1e-3) || capacitance_nF[k] > 1e6)
            throw Error("model.capacitance_nF[" + std::to_string(k) +
                        "] = " + formatNumber(capacitance_nF[k]) +
                        ": a membrane capacitance must lie between 0.001 and 1e6 nF");
    if (!std::isfinite(leak_rest_mV) || std::abs(leak_rest_mV) > 1000)
        throw Error("model.leak_rest_mV = " + formatNumber(leak_rest_mV) +
                    ": must be a finite voltage within +-1000 mV");
}

double ModelConfig::capacitanceOf(int i) const
{
    if (capacitance_nF.empty())
        return 0;
    return capacitance_nF.size() == 1 ? capacitance_nF.front()
                                      : capacitance_nF.at(static_cast<std::size_t>(i));
}

} // namespace rmm
