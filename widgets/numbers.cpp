// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/numbers.hpp"

#include "engine/config/model_config.hpp"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace rmm {

namespace {

bool commaDecimal()
{
    return QLocale().decimalPoint() == QStringLiteral(",");
}

} // namespace

bool parseNumber(const QString& text, double* out)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return false;
    QLocale locale;
    locale.setNumberOptions(QLocale::RejectGroupSeparator);
    bool ok = false;
    double v = locale.toDouble(t, &ok);
    if (!ok) // a point as the decimal separator, whatever the locale
        v = QLocale::c().toDouble(t, &ok);
    if (!ok || !std::isfinite(v))
        return false;
    *out = v;
    return true;
}

QString formatNumber(double v)
{
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    return locale.toString(v, 'g', 6);
}

QStringList splitNumberList(const QString& text)
{
    // Semicolons always separate; commas separate unless they are the decimal separator, then
    // only a comma followed by a blank does ("0,1, 1" is 0.1 and 1).
    static const QRegularExpression semicolon(QStringLiteral(";"));
    static const QRegularExpression comma(QStringLiteral(","));
    static const QRegularExpression commaBlank(QStringLiteral(",\\s+"));
    QStringList out;
    for (const QString& part : text.split(semicolon, Qt::SkipEmptyParts))
        for (const QString& item : part.split(commaDecimal() ? commaBlank : comma, Qt::SkipEmptyParts))
            if (!item.trimmed().isEmpty())
                out << item.trimmed();
    return out;
}

QString numberListSeparator()
{
    return commaDecimal() ? QStringLiteral("; ") : QStringLiteral(", ");
}

bool parsePositiveList(const QString& text, std::vector<double>* out)
{
    out->clear();
    for (const QString& item : splitNumberList(text)) {
        double v = 0;
        if (!parseNumber(item, &v) || !(v > 0))
            return false;
        out->push_back(v);
    }
    return true;
}

bool parseWidthList(const QString& text, std::vector<int>* out)
{
    out->clear();
    for (const QString& item : splitNumberList(text)) {
        bool ok = false;
        const int v = item.toInt(&ok);
        if (!ok || v < 1 || v > kMaxHiddenWidth)
            return false;
        out->push_back(v);
    }
    return !out->empty() && out->size() <= static_cast<std::size_t>(kMaxHiddenLayers);
}

QString formatList(const std::vector<double>& values)
{
    QStringList s;
    for (double v : values)
        s << formatNumber(v);
    return s.join(numberListSeparator());
}

QString formatList(const std::vector<int>& values)
{
    QStringList s;
    for (int v : values)
        s << QString::number(v);
    return s.join(numberListSeparator());
}

} // namespace rmm
