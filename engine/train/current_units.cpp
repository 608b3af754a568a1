// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/current_units.hpp"

#include <cmath>

namespace rmm::detail {
namespace {

double sigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

// softplus(p) = c softplus(q) is solved in log space, L = log softplus(q) + log c, so that neither
// a very negative q (softplus underflows) nor a non-finite value (a diverging run, which the
// epoch loop reports) throws: p = isp(e^L).
double logSoftplus(double q)
{
    return q < -30 ? q : std::log(softplus(q));
}

double inverseSoftplusOfExp(double L)
{
    if (!(L > -30))
        return L; // isp(y) = log(expm1(y)) ~ log(y) for small y; NaN stays NaN
    const double y = std::exp(L);
    return y > 30 ? y : std::log(std::expm1(y));
}

/// d isp(e^L) / dL = y / (1 - e^-y), y = e^L (-> 1 as y -> 0).
double dInverseSoftplusOfExp(double L)
{
    if (L < -30)
        return 1;
    const double y = std::exp(L);
    return y / -std::expm1(-y);
}

/// d log softplus(q) / dq = sigmoid(q) / softplus(q) (-> 1 as q -> -inf).
double dLogSoftplus(double q)
{
    return q < -30 ? 1 : sigmoid(q) / softplus(q);
}

} // namespace

CurrentUnits::CurrentUnits(const CircuitModel& model, bool scaled, bool freezeCapacitance) : scaled_(scaled)
{
    auto offsetOf = [&](int block) { return model.blocks()[static_cast<std::size_t>(block)].offset; };
    auto add = [&](int block, int neuron, bool softplus) {
        const auto& b = model.blocks()[static_cast<std::size_t>(block)];
        blocks_.push_back({b.offset, b.size(), offsetOf(model.neuronIndex(neuron).a), softplus});
    };
    for (int i = 0; i < model.neurons(); ++i) {
        const auto& ni = model.neuronIndex(i);
        if (freezeCapacitance)
            frozen_.push_back(offsetOf(ni.a));
        add(ni.intrinsic.readout, i, false);
        add(ni.b, i, false);
        add(ni.g, i, true);
    }
    for (int s = 0; s < model.synapseCount(); ++s) {
        const auto& si = model.synapseIndex(s);
        if (si.config.kind == SynapseKind::Lumped)
            add(si.lumped.readout, si.config.post, false);
        else
            add(si.gbar, si.config.post, true);
    }
}

void CurrentUnits::rescale(std::vector<double>& x, bool toPhysical) const
{
    if (!scaled_)
        return;
    // The a_i are not rescaled, so C_i reads the same from either side.
    for (const auto& b : blocks_) {
        const double c = 1.0 / softplus(x[static_cast<std::size_t>(b.a)]);
        const double logC = toPhysical ? std::log(c) : -std::log(c);
        for (long k = b.offset; k < b.offset + b.count; ++k) {
            auto& v = x[static_cast<std::size_t>(k)];
            if (b.softplus)
                v = inverseSoftplusOfExp(logSoftplus(v) + logC);
            else
                v = toPhysical ? c * v : v / c;
        }
    }
}

std::vector<double> CurrentUnits::toOptimizer(const std::vector<double>& theta) const
{
    std::vector<double> phi = theta;
    rescale(phi, false);
    return phi;
}

std::vector<double> CurrentUnits::toPhysical(const std::vector<double>& phi) const
{
    std::vector<double> theta = phi;
    rescale(theta, true);
    return theta;
}

void CurrentUnits::pullBack(const std::vector<double>& phi, std::vector<double>& grad) const
{
    if (scaled_) {
        // Accumulate the a-terms from the untouched dL/dtheta first, then rescale.
        std::vector<double> ga(grad.size(), 0.0);
        for (const auto& b : blocks_) {
            const double a = phi[static_cast<std::size_t>(b.a)];
            const double c = 1.0 / softplus(a);
            const double dcda = -c * c * sigmoid(a);
            for (long k = b.offset; k < b.offset + b.count; ++k) {
                const double q = phi[static_cast<std::size_t>(k)];
                double& g = grad[static_cast<std::size_t>(k)];
                if (b.softplus) {
                    // p = isp(e^L), L = log sp(q) + log c.
                    const double dpdL = dInverseSoftplusOfExp(logSoftplus(q) + std::log(c));
                    ga[static_cast<std::size_t>(b.a)] += g * dpdL * dcda / c;
                    g *= dpdL * dLogSoftplus(q);
                } else {
                    ga[static_cast<std::size_t>(b.a)] += g * q * dcda;
                    g *= c;
                }
            }
        }
        for (std::size_t k = 0; k < grad.size(); ++k)
            grad[k] += ga[k];
    }
    for (long k : frozen_)
        grad[static_cast<std::size_t>(k)] = 0;
}

} // namespace rmm::detail
