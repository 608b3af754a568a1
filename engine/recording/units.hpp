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
    double factor = 1.0;        ///< engine_value = factor * file_value
    std::string engineUnit;     ///< "mV", "nA", ... ; the original unit when unknown
    bool known = false;
};

/// Parses SI-prefixed units: V, mV, uV/µV, A, mA, uA/µA, nA, pA, fA, s, ms, us, S, mS, uS, nS,
/// F, uF, nF, pF. Case of the prefix matters (m vs M); "Volts"/"amps" spelled out are accepted.
UnitConversion engineUnitFor(std::string_view unit);

/// A copy of `rec` with every known unit converted to engine units. Channels whose unit is not
/// understood are kept unchanged; their names are appended to `unknown` when given.
Recording toEngineUnits(const Recording& rec, std::vector<std::string>* unknown = nullptr);

} // namespace rmm
