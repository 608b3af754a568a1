// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/recording/units.hpp"

#include "engine/recording/recording.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace rmm {

namespace {

std::string trimmed(std::string_view s)
{
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

// SI prefix -> power of ten, for the prefixes that occur in electrophysiology.
bool prefixExponent(const std::string& p, int& exp10)
{
    if (p.empty()) {
        exp10 = 0;
        return true;
    }
    if (p == "k") {
        exp10 = 3;
        return true;
    }
    if (p == "m") {
        exp10 = -3;
        return true;
    }
    if (p == "u" || p == "\xC2\xB5" /* µ micro sign */ || p == "\xCE\xBC" /* μ greek mu */) {
        exp10 = -6;
        return true;
    }
    if (p == "n") {
        exp10 = -9;
        return true;
    }
    if (p == "p") {
        exp10 = -12;
        return true;
    }
    if (p == "f") {
        exp10 = -15;
        return true;
    }
    return false;
}

double pow10i(int e)
{
    double r = 1;
    for (int i = 0; i < (e < 0 ? -e : e); ++i)
        r *= 10;
    return e < 0 ? 1 / r : r;
}

} // namespace

UnitConversion engineUnitFor(std::string_view unitIn)
{
    std::string unit = trimmed(unitIn);
    std::string lower = unit;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // Spelled-out forms.
    static const std::pair<const char*, const char*> spelled[] = {
        {"volt", "V"},   {"volts", "V"},   {"millivolt", "mV"}, {"millivolts", "mV"},
        {"amp", "A"},    {"amps", "A"},    {"ampere", "A"},     {"amperes", "A"},
        {"second", "s"}, {"seconds", "s"}, {"sec", "s"},        {"msec", "ms"}};
    for (const auto& [from, to] : spelled)
        if (lower == from)
            unit = std::string(to);

    struct Base {
        const char* symbol;
        Quantity q;
        const char* engine;
        int engineExp;
    };
    static const Base bases[] = {
        {"V", Quantity::Voltage, "mV", -3},     {"A", Quantity::Current, "nA", -9},
        {"s", Quantity::Time, "ms", -3},        {"S", Quantity::Conductance, "uS", -6},
        {"F", Quantity::Capacitance, "nF", -9},
    };
    for (const auto& b : bases) {
        std::string sym = b.symbol;
        if (unit.size() < sym.size() || unit.compare(unit.size() - sym.size(), sym.size(), sym) != 0)
            continue;
        int e = 0;
        if (!prefixExponent(unit.substr(0, unit.size() - sym.size()), e))
            continue;
        UnitConversion c;
        c.quantity = b.q;
        c.factor = pow10i(e - b.engineExp);
        c.engineUnit = b.engine;
        c.known = true;
        return c;
    }
    UnitConversion c;
    c.engineUnit = unit;
    return c;
}

ImplausibleSamples findImplausible(const std::vector<double>& raw, double factor, Quantity q)
{
    ImplausibleSamples r;
    const bool voltage = q == Quantity::Voltage;
    const double limit = voltage ? kPlausibleVoltageMv : kPlausibleCurrentNa;
    double maxAbs = 0;
    for (std::size_t k = 0; k < raw.size(); ++k) {
        const double a = std::abs(raw[k]);
        maxAbs = std::max(maxAbs, a);
        if (!(a * std::abs(factor) <= limit)) {
            if (r.count++ == 0) {
                r.first = static_cast<long>(k);
                r.value = raw[k] * factor;
            }
        }
    }
    // A unit mix-up shifts most samples (voltages) or every large one (current steps); one or a
    // few outliers in a long trace are glitches, whatever the unit.
    if (r.count == 0 || r.count < std::max<long>(2, static_cast<long>(raw.size() / 1000)))
        return r;
    static const std::pair<const char*, double> volts[] = {{"V", 1e3}, {"mV", 1.0}, {"uV", 1e-3}};
    static const std::pair<const char*, double> amps[] = {{"A", 1e9},  {"mA", 1e6},  {"uA", 1e3},
                                                          {"nA", 1.0}, {"pA", 1e-3}, {"fA", 1e-6}};
    double median = 0;
    if (voltage) {
        std::vector<double> m(raw.size());
        for (std::size_t k = 0; k < raw.size(); ++k)
            m[k] = std::abs(raw[k]);
        std::nth_element(m.begin(), m.begin() + static_cast<long>(m.size() / 2), m.end());
        median = m[m.size() / 2];
    }
    auto fits = [&](double f) { return maxAbs * f <= limit && (!voltage || median * f >= 5); };
    if (voltage) {
        for (const auto& [unit, f] : volts)
            if (f < std::abs(factor) && fits(f)) {
                r.likelyUnit = unit;
                break;
            }
    } else {
        for (const auto& [unit, f] : amps)
            if (f < std::abs(factor) && fits(f)) {
                r.likelyUnit = unit;
                break;
            }
    }
    return r;
}

Recording toEngineUnits(const Recording& rec, std::vector<std::string>* unknown)
{
    Recording out = rec;
    for (auto& t : out.trials)
        for (auto& ch : t.channels) {
            auto c = engineUnitFor(ch.unit);
            if (!c.known) {
                if (unknown && std::find(unknown->begin(), unknown->end(), ch.name) == unknown->end())
                    unknown->push_back(ch.name);
                continue;
            }
            if (c.factor != 1.0)
                for (auto& v : ch.samples)
                    v *= c.factor;
            ch.unit = c.engineUnit;
        }
    return out;
}

} // namespace rmm
