// SPDX-License-Identifier: GPL-3.0-or-later
// A single-compartment conductance-based stomatogastric (STG) neuron with the kinetics of
// Liu et al. (1998) as used by Prinz, Billimoria & Marder (2003) and Prinz, Bucher & Marder
// (2004): Na, CaT, CaS, A, KCa, Kd, H and leak currents plus intracellular calcium.
//
// Units: conductance densities in mS/cm^2, voltage mV, time ms, specific capacitance
// 1 uF/cm^2, current density uA/cm^2, [Ca] in uM. The membrane area follows from the total
// capacitance (C [nF] = area [1e-3 cm^2]); injected currents are given in nA.
//
// Integration: exponential Euler for every gate, for calcium and for the voltage (with the
// conductances frozen over one step), which is stable for any step and accurate at the
// 0.01-0.05 ms steps used here. Voltage-dependent gate rates come from tables built once per
// step size (linear interpolation on a 0.05 mV grid), so a step costs one exp and one log.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

namespace rmm {

/// Maximal conductance densities, mS/cm^2.
struct StgConductances {
    double na = 0, cat = 0, cas = 0, a = 0, kca = 0, kd = 0, h = 0, leak = 0;
};

/// Reversal potentials (mV) and calcium handling constants (Prinz et al. 2003).
struct StgConstants {
    static constexpr double eNa = 50, eK = -80, eH = -20, eLeak = -50;
    static constexpr double caOut_uM = 3000;    ///< extracellular [Ca]
    static constexpr double nernstCa_mV = 12.8; ///< RT/2F near room temperature
    static constexpr double caRest_uM = 0.05;   ///< [Ca]0
    static constexpr double tauCa_ms = 200;
    /// uM per nA of Ca current into the reference cell of 0.628 nF (Prinz: 14.96 uM/nA),
    /// re-expressed per uA/cm^2 of current density: 14.96 * 0.628.
    static constexpr double caPerDensity = 14.96 * 0.628;
    static constexpr double capacitance_uF_per_cm2 = 1.0;
};

enum StgGate : std::size_t {
    GateMNa,
    GateHNa,
    GateMCaT,
    GateHCaT,
    GateMCaS,
    GateHCaS,
    GateMA,
    GateHA,
    GateMKCa, ///< voltage factor only; the steady state is multiplied by [Ca]/([Ca]+3)
    GateMKd,
    GateMH,
    GateCount
};

/// Steady state and time constant (ms) of one gate at voltage v, from the closed forms.
struct GateRate {
    double inf = 0;
    double tau = 1;
};
GateRate stgGateRate(StgGate gate, double v);

/// Per-step gate tables: for each gate, steady state and decay factor exp(-dt/tau) on a voltage
/// grid. Voltages outside the grid use its end values (far outside the physiological range).
class StgKinetics {
  public:
    explicit StgKinetics(double dt_ms);
    double dt() const { return dt_; }
    double calciumDecay() const { return caDecay_; } ///< exp(-dt / tau_Ca)

    struct Entry {
        double inf;
        double decay;
    };
    /// Interpolated (inf, decay) of all gates at v, written to out[GateCount].
    void lookup(double v, Entry* out) const
    {
        double x = (v - vMin) * invStep;
        if (x < 0)
            x = 0;
        if (x > static_cast<double>(points - 1) - 1e-9)
            x = static_cast<double>(points - 1) - 1e-9;
        const auto i = static_cast<std::size_t>(x);
        const double f = x - static_cast<double>(i);
        const Entry* a = &table_[i * GateCount];
        const Entry* b = a + GateCount;
        for (std::size_t g = 0; g < GateCount; ++g) {
            out[g].inf = a[g].inf + f * (b[g].inf - a[g].inf);
            out[g].decay = a[g].decay + f * (b[g].decay - a[g].decay);
        }
    }

    static constexpr double vMin = -130, vMax = 70, step = 0.05;
    static constexpr double invStep = 1.0 / step;
    // (vMax - vMin) / step rounded; positive, and std::lround is not constexpr.
    static constexpr std::size_t points =
        static_cast<std::size_t>((vMax - vMin) / step + 0.5) + 1; // NOLINT(bugprone-incorrect-roundings)

  private:
    double dt_;
    double caDecay_;
    std::vector<Entry> table_; ///< points x GateCount
};

class StgNeuron {
  public:
    /// capacitance_nF sets the membrane area (1 nF <-> 1e-3 cm^2). Starts at rest-like values.
    StgNeuron(const StgConductances& g, double capacitance_nF, double v0 = -60);

    /// Advance by kinetics.dt() with a constant injected current (nA, positive = depolarising).
    void step(const StgKinetics& kinetics, double injected_nA);

    double v() const { return v_; }
    double calcium() const { return ca_; }
    double gate(StgGate g) const { return x_[g]; }
    double capacitance_nF() const { return capacitance_nF_; }

  private:
    StgConductances g_;
    double capacitance_nF_;
    double nAToDensity_; ///< uA/cm^2 per nA
    double v_;
    double ca_ = StgConstants::caRest_uM;
    std::array<double, GateCount> x_{};
};

} // namespace rmm
