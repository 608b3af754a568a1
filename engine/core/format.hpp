// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
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

} // namespace rmm
