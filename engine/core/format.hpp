// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>

namespace rmm {

/// A number as it appears in messages: shortest natural form, `precision` significant digits.
inline std::string formatNumber(double v, int precision = 6)
{
    std::ostringstream s;
    s.precision(precision);
    s << v;
    return s.str();
}

/// A number as files store it (curves.csv, the sweep summary, model metadata): 9 significant
/// digits, so that it reads back to the value written at that precision; "" for NaN or infinity.
inline std::string fileNumber(double v)
{
    if (!std::isfinite(v))
        return {};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

} // namespace rmm
