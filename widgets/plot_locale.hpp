// SPDX-License-Identifier: GPL-3.0-or-later
// Number format of plot tick labels: the user's locale (decimal comma in German) without digit
// grouping, so an axis reads 1000 rather than 1.000 or 1,000. QCustomPlot itself defaults to C.
#pragma once
#include <QLocale>

namespace rmm {

inline QLocale plotLocale()
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() | QLocale::OmitGroupSeparator);
    return locale;
}

} // namespace rmm
