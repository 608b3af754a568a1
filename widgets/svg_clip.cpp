// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/svg_clip.hpp"

#include "widgets/polyline_clip.hpp"

#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace rmm {

namespace {

/// Logarithmic axes are clipped in log space: there the drawn line is straight.
struct AxisSpace {
    bool log = false;
    double lo = 0, hi = 0;

    explicit AxisSpace(const QCPAxis* axis)
        : log(axis->scaleType() == QCPAxis::stLogarithmic), lo(toSpace(axis->range().lower)),
          hi(toSpace(axis->range().upper))
    {
    }
    double toSpace(double v) const
    {
        if (!log)
            return v;
        return v > 0 ? std::log(v) : std::numeric_limits<double>::quiet_NaN();
    }
    double fromSpace(double v) const { return log && std::isfinite(v) ? std::exp(v) : v; }
    bool contains(double v) const { return v >= lo && v <= hi; }
};

struct Clipped {
    std::vector<double> keys, values;         ///< the clipped line (NaN values are gaps)
    std::vector<double> markKeys, markValues; ///< samples inside the rect (for markers)
};

Clipped clipSamples(const std::vector<double>& keys, const std::vector<double>& values, const AxisSpace& x,
                    const AxisSpace& y, bool line)
{
    Clipped out;
    std::vector<double> k(keys.size()), v(values.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        k[i] = x.toSpace(keys[i]);
        v[i] = y.toSpace(values[i]);
        if (x.contains(k[i]) && y.contains(v[i])) {
            out.markKeys.push_back(keys[i]);
            out.markValues.push_back(values[i]);
        }
    }
    if (line) {
        const Polyline p = clipPolyline(k, v, x.lo, x.hi, y.lo, y.hi);
        out.keys.resize(p.keys.size());
        out.values.resize(p.values.size());
        for (std::size_t i = 0; i < p.keys.size(); ++i) {
            out.keys[i] = x.fromSpace(p.keys[i]);
            out.values[i] = y.fromSpace(p.values[i]);
        }
    }
    return out;
}

QVector<QCPGraphData> graphData(const std::vector<double>& keys, const std::vector<double>& values)
{
    QVector<QCPGraphData> d(static_cast<qsizetype>(keys.size()));
    for (std::size_t i = 0; i < keys.size(); ++i)
        d[static_cast<qsizetype>(i)] = QCPGraphData(keys[i], values[i]);
    return d;
}

QVector<QCPCurveData> curveData(const std::vector<double>& keys, const std::vector<double>& values)
{
    QVector<QCPCurveData> d(static_cast<qsizetype>(keys.size()));
    for (std::size_t i = 0; i < keys.size(); ++i) // a gap point is NaN in both coordinates for curves
        d[static_cast<qsizetype>(i)] =
            QCPCurveData(static_cast<double>(i), std::isnan(values[i]) ? values[i] : keys[i], values[i]);
    return d;
}

} // namespace

SvgClipGuard::SvgClipGuard(QCustomPlot* plot)
{
    if (!plot)
        return;
    const int count = plot->plottableCount(); // markers added below are not visited
    for (int i = 0; i < count; ++i) {
        QCPAbstractPlottable* p = plot->plottable(i);
        if (!p->visible() || !p->keyAxis() || !p->valueAxis())
            continue;
        const AxisSpace x(p->keyAxis()), y(p->valueAxis());
        if (auto* g = qobject_cast<QCPGraph*>(p)) {
            const bool line = g->lineStyle() == QCPGraph::lsLine;
            if (!line && g->lineStyle() != QCPGraph::lsNone)
                continue;
            std::vector<double> keys, values;
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
                keys.push_back(it->key);
                values.push_back(it->value);
            }
            const Clipped c = clipSamples(keys, values, x, y, line);
            const QSharedPointer<QCPGraphDataContainer> saved = g->data();
            auto container = QSharedPointer<QCPGraphDataContainer>::create();
            if (line)
                container->set(graphData(c.keys, c.values), true);
            else
                container->set(graphData(c.markKeys, c.markValues), true);
            g->setData(container);
            m_restore.push_back([g, saved]() { g->setData(saved); });
            if (line && g->scatterStyle().shape() != QCPScatterStyle::ssNone) {
                // Markers belong to samples, not to the cut points: a separate graph of the
                // visible samples draws them.
                QCPGraph* dots = plot->addGraph(g->keyAxis(), g->valueAxis());
                dots->removeFromLegend();
                dots->setLayer(g->layer());
                dots->setPen(g->pen());
                dots->setLineStyle(QCPGraph::lsNone);
                dots->setScatterStyle(g->scatterStyle());
                dots->data()->set(graphData(c.markKeys, c.markValues), true);
                const QCPScatterStyle style = g->scatterStyle();
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssNone));
                m_restore.push_back([plot, g, dots, style]() {
                    g->setScatterStyle(style);
                    plot->removePlottable(dots);
                });
            }
        } else if (auto* cv = qobject_cast<QCPCurve*>(p)) {
            const bool line = cv->lineStyle() == QCPCurve::lsLine;
            std::vector<double> keys, values;
            for (auto it = cv->data()->constBegin(); it != cv->data()->constEnd(); ++it) {
                keys.push_back(it->key);
                values.push_back(it->value);
            }
            const Clipped c = clipSamples(keys, values, x, y, line);
            const QSharedPointer<QCPCurveDataContainer> saved = cv->data();
            auto container = QSharedPointer<QCPCurveDataContainer>::create();
            if (line)
                container->set(curveData(c.keys, c.values), true);
            else
                container->set(curveData(c.markKeys, c.markValues), true);
            cv->setData(container);
            m_restore.push_back([cv, saved]() { cv->setData(saved); });
            if (line && cv->scatterStyle().shape() != QCPScatterStyle::ssNone) {
                auto* dots = new QCPCurve(cv->keyAxis(), cv->valueAxis());
                dots->removeFromLegend();
                dots->setLayer(cv->layer());
                dots->setPen(cv->pen());
                dots->setLineStyle(QCPCurve::lsNone);
                dots->setScatterStyle(cv->scatterStyle());
                dots->data()->set(curveData(c.markKeys, c.markValues), true);
                const QCPScatterStyle style = cv->scatterStyle();
                cv->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssNone));
                m_restore.push_back([plot, cv, dots, style]() {
                    cv->setScatterStyle(style);
                    plot->removePlottable(dots);
                });
            }
        }
    }
}

SvgClipGuard::~SvgClipGuard()
{
    for (auto it = m_restore.rbegin(); it != m_restore.rend(); ++it)
        (*it)();
}

} // namespace rmm
