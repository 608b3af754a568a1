// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace rmm {

struct Recording;

enum class Quantity { Voltage, Current, Time, Conductance, Capacitance, Unknown };

/// How to bring a value in `unit` to engine units (mV, nA, ms, uS, nF).
struct UnitConversion {
    Quantity quantity = Quantity::Unknown;
    double factor = 1.0;    ///< engine_value = factor * file_value
    std::string engineUnit; ///< "mV", "nA", ... ; the original unit when unknown
    bool known = false;
};

/// Parses SI-prefixed units: V, mV, uV/µV, A, mA, uA/µA, nA, pA, fA, s, ms, us, S, mS, uS, nS,
/// F, uF, nF, pF. Case of the prefix matters (m vs M); "Volts"/"amps" spelled out are accepted.
UnitConversion engineUnitFor(std::string_view unit);

/// Plausibility limits of intracellular recordings in engine units (README, "Limits").
/// Membrane voltages: +-200 mV spans every resting, action and reversal potential (about -100
/// to +60 mV) with room for offsets. Currents (injected or synaptic): +-1000 nA = 1 uA, a hundred
/// times the largest currents injected into neurons through microelectrodes (a few to tens of
/// nA) and above what a microelectrode amplifier can pass. Sampling interval: 1e-4 ms (10 MHz)
/// is beyond any intracellular amplifier's bandwidth; 100 ms (10 Hz) cannot resolve a spike.
inline constexpr double kPlausibleVoltageMv = 200;
inline constexpr double kPlausibleCurrentNa = 1000;
inline constexpr double kMinSamplingIntervalMs = 1e-4;
inline constexpr double kMaxSamplingIntervalMs = 100;

/// Samples of a voltage or current channel outside the plausible range.
struct ImplausibleSamples {
    long count = 0;   ///< how many samples lie outside
    long first = -1;  ///< index of the first of them
    double value = 0; ///< its value in engine units
    /// A unit of the same quantity under which every sample is plausible (and, for a voltage,
    /// typical of a membrane: median magnitude at least 5 mV), when many samples lie outside;
    /// "" for isolated outliers or when no unit fits.
    std::string likelyUnit;
};

/// Checks raw samples that `factor` brings to engine units (mV for Voltage, nA for Current).
ImplausibleSamples findImplausible(const std::vector<double>& raw, double factor, Quantity q);

/// A copy of `rec` with every known unit converted to engine units. Channels whose unit is not
/// understood are kept unchanged; their names are appended to `unknown` when given.
Recording toEngineUnits(const Recording& rec, std::vector<std::string>* unknown = nullptr);

} // namespace rmm
