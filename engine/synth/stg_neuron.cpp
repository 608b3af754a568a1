// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/synth/stg_neuron.hpp"

#include "engine/core/error.hpp"

#include <cmath>

namespace rmm {
namespace {

double boltz(double v, double half, double slope)
{
    return 1.0 / (1.0 + std::exp((v + half) / slope));
}

} // namespace

GateRate stgGateRate(StgGate gate, double v)
{
    switch (gate) {
    case GateMNa:
        return {boltz(v, 25.5, -5.29), 2.64 - 2.52 / (1.0 + std::exp((v + 120.0) / -25.0))};
    case GateHNa:
        return {boltz(v, 48.9, 5.18), 1.34 / (1.0 + std::exp((v + 62.9) / -10.0)) *
                                          (1.5 + 1.0 / (1.0 + std::exp((v + 34.9) / 3.6)))};
    case GateMCaT:
        return {boltz(v, 27.1, -7.2), 43.4 - 42.6 / (1.0 + std::exp((v + 68.1) / -20.5))};
    case GateHCaT:
        return {boltz(v, 32.1, 5.5), 210.0 - 179.6 / (1.0 + std::exp((v + 55.0) / -16.9))};
    case GateMCaS:
        return {boltz(v, 33.0, -8.1),
                2.8 + 14.0 / (std::exp((v + 27.0) / 10.0) + std::exp((v + 70.0) / -13.0))};
    case GateHCaS:
        return {boltz(v, 60.0, 6.2),
                120.0 + 300.0 / (std::exp((v + 55.0) / 9.0) + std::exp((v + 65.0) / -16.0))};
    case GateMA:
        return {boltz(v, 27.2, -8.7), 23.2 - 20.8 / (1.0 + std::exp((v + 32.9) / -15.2))};
    case GateHA:
        return {boltz(v, 56.9, 4.9), 77.2 - 58.4 / (1.0 + std::exp((v + 38.9) / -26.5))};
    case GateMKCa:
        return {boltz(v, 28.3, -12.6), 180.6 - 150.2 / (1.0 + std::exp((v + 46.0) / -22.7))};
    case GateMKd:
        return {boltz(v, 12.3, -11.8), 14.4 - 12.8 / (1.0 + std::exp((v + 28.3) / -19.2))};
    case GateMH:
        return {boltz(v, 75.0, 5.5), 2.0 / (std::exp((v + 169.7) / -11.6) + std::exp((v - 26.7) / 14.3))};
    case GateCount:
        break;
    }
    throw Error("stgGateRate: no such gate");
}

StgKinetics::StgKinetics(double dt_ms)
    : dt_(dt_ms), caDecay_(std::exp(-dt_ms / StgConstants::tauCa_ms)), table_(points * GateCount)
{
    if (!(dt_ms > 0) || !std::isfinite(dt_ms))
        throw Error("STG neuron: integration step must be a positive number of ms");
    for (std::size_t i = 0; i < points; ++i) {
        const double v = vMin + step * static_cast<double>(i);
        for (std::size_t g = 0; g < GateCount; ++g) {
            const GateRate r = stgGateRate(static_cast<StgGate>(g), v);
            table_[i * GateCount + g] = {r.inf, std::exp(-dt_ms / r.tau)};
        }
    }
}

StgNeuron::StgNeuron(const StgConductances& g, double capacitance_nF, double v0)
    : g_(g), capacitance_nF_(capacitance_nF), v_(v0)
{
    if (!(capacitance_nF > 0) || !std::isfinite(capacitance_nF))
        throw Error("STG neuron: capacitance must be a positive number of nF");
    for (double c : {g.na, g.cat, g.cas, g.a, g.kca, g.kd, g.h, g.leak})
        if (!(c >= 0) || !std::isfinite(c))
            throw Error("STG neuron: maximal conductances must be finite and >= 0 mS/cm^2");
    // area [cm^2] = C [uF] / (1 uF/cm^2); 1 nA = 1e-3 uA.
    const double area_cm2 = capacitance_nF * 1e-3 / StgConstants::capacitance_uF_per_cm2;
    nAToDensity_ = 1e-3 / area_cm2;
    for (std::size_t k = 0; k < GateCount; ++k)
        x_[k] = stgGateRate(static_cast<StgGate>(k), v0).inf;
    x_[GateMKCa] *= ca_ / (ca_ + 3.0);
}

void StgNeuron::step(const StgKinetics& kinetics, double injected_nA)
{
    using C = StgConstants;
    StgKinetics::Entry r[GateCount];
    kinetics.lookup(v_, r);
    const double caFactor = ca_ / (ca_ + 3.0);
    for (std::size_t k = 0; k < GateCount; ++k) {
        const double inf = k == GateMKCa ? r[k].inf * caFactor : r[k].inf;
        x_[k] = inf + (x_[k] - inf) * r[k].decay;
    }
    const double eCa = C::nernstCa_mV * std::log(C::caOut_uM / ca_);
    auto cube = [](double x) { return x * x * x; };
    auto quad = [](double x) { return (x * x) * (x * x); };
    const double gNa = g_.na * cube(x_[GateMNa]) * x_[GateHNa];
    const double gCaT = g_.cat * cube(x_[GateMCaT]) * x_[GateHCaT];
    const double gCaS = g_.cas * cube(x_[GateMCaS]) * x_[GateHCaS];
    const double gA = g_.a * cube(x_[GateMA]) * x_[GateHA];
    const double gKCa = g_.kca * quad(x_[GateMKCa]);
    const double gKd = g_.kd * quad(x_[GateMKd]);
    const double gH = g_.h * x_[GateMH];
    const double gCa = gCaT + gCaS;
    const double gK = gA + gKCa + gKd;
    const double gTot = gNa + gCa + gK + gH + g_.leak;
    const double drive =
        gNa * C::eNa + gCa * eCa + gK * C::eK + gH * C::eH + g_.leak * C::eLeak + injected_nA * nAToDensity_;
    const double dt = kinetics.dt();
    // Calcium from the Ca current at the start of the step.
    const double iCa = gCa * (v_ - eCa);
    const double caInf = C::caRest_uM - C::caPerDensity * iCa;
    ca_ = caInf + (ca_ - caInf) * kinetics.calciumDecay();
    if (gTot > 0) {
        const double vInf = drive / gTot;
        v_ = vInf + (v_ - vInf) * std::exp(-dt * gTot / C::capacitance_uF_per_cm2);
    } else {
        v_ += dt * injected_nA * nAToDensity_ / C::capacitance_uF_per_cm2;
    }
}

} // namespace rmm
