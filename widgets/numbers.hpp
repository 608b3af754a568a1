// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers typed into the forms and shown in them, in the user's locale: "1,5e-07" in German,
// "1.5e-07" in English. A point is accepted as the decimal separator everywhere (numbers copied
// from papers and scripts), group separators nowhere. Lists ("0.1, 1, 10") are separated by
// commas, or, where the comma is the decimal separator, by semicolons ("0,1; 1; 10").
#pragma once
#include <QString>
#include <QStringList>

#include <vector>

namespace rmm {

/// The number in `text` (surrounding blanks ignored); false when it is not one or not finite.
bool parseNumber(const QString& text, double* out);
/// `v` as the locale writes it, with up to 6 significant digits.
QString formatNumber(double v);
/// The items of a typed list (empty items dropped).
QStringList splitNumberList(const QString& text);
/// How lists are written in the locale: ", " or "; ".
QString numberListSeparator();

/// A list of positive numbers; false on any bad item.
bool parsePositiveList(const QString& text, std::vector<double>* out);
/// A non-empty list of at most kMaxHiddenLayers layer widths in [1, kMaxHiddenWidth] (the
/// engine's limits, model_config.hpp); false on any bad item.
bool parseWidthList(const QString& text, std::vector<int>* out);
QString formatList(const std::vector<double>& values);
QString formatList(const std::vector<int>& values);

} // namespace rmm
