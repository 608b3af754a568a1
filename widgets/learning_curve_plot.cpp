// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/learning_curve_plot.hpp"
#include "widgets/plot_locale.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace rmm {

LearningCurvePlot::LearningCurvePlot(QWidget* parent) : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    m_plot->setLocale(plotLocale());
    m_plot->setAccessibleName(tr("Learning curves"));
    m_plot->plotLayout()->clear();
    m_lossRect = new QCPAxisRect(m_plot);
    m_metricRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_lossRect);
    m_plot->plotLayout()->addElement(1, 0, m_metricRect);
    auto* group = new QCPMarginGroup(m_plot);
    for (QCPAxisRect* r : {m_lossRect, m_metricRect}) {
        r->setMarginGroup(QCP::msLeft | QCP::msRight, group);
        r->setRangeDrag(Qt::Horizontal | Qt::Vertical);
        r->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    }
    QCPAxis* ly = m_lossRect->axis(QCPAxis::atLeft);
    ly->setScaleType(QCPAxis::stLogarithmic);
    ly->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    ly->setLabel(tr("training loss"));
    m_lossRect->axis(QCPAxis::atBottom)->setLabel(tr("epoch"));
    // Epochs are whole numbers: ticks at integer steps (1, 2, 5, 10, … apart as the range grows).
    for (QCPAxisRect* r : {m_lossRect, m_metricRect}) {
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        r->axis(QCPAxis::atBottom)->setTicker(ticker);
    }
    m_metricRect->axis(QCPAxis::atLeft)->setLabel(tr("validation angular separation"));
    m_metricRect->axis(QCPAxis::atBottom)->setLabel(tr("epoch"));
    // Linked epoch axes.
    connect(m_lossRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            m_metricRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    connect(m_metricRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            m_lossRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setAutoAddPlottableToLegend(false); // the default legend went with plotLayout()->clear()
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this]() { m_userZoomed = true; });
    connect(m_plot, &QCustomPlot::mousePress, this, [this]() { m_userZoomed = true; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this]() {
        m_userZoomed = false;
        fit();
    });
    m_axisBox = new QComboBox(this);
    m_axisBox->addItem(tr("epoch"));
    m_axisBox->addItem(tr("wall time (min)"));
    m_axisBox->setAccessibleName(tr("Horizontal axis of the learning curves"));
    m_axisBox->setToolTip(tr("Plot the curves against the epoch, or against the wall time since each run "
                             "started (validation included) to compare methods at equal time."));
    connect(m_axisBox, &QComboBox::currentIndexChanged, this, [this](int i) { setTimeAxis(i == 1); });
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addStretch();
    bar->addWidget(new QLabel(tr("Horizontal axis:"), this));
    bar->addWidget(m_axisBox);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_plot);
    setToolTip(tr("Wheel zooms, drag pans, double-click fits. Stars mark each run’s best snapshot (highest "
                  "validation angular separation score)."));

    m_timer = new QTimer(this);
    m_timer->setInterval(33);
    connect(m_timer, &QTimer::timeout, this, &LearningCurvePlot::refresh);
    m_timer->start();
}

void LearningCurvePlot::setSeries(int id, const QString& name, const QColor& color)
{
    Series s = m_series.value(id);
    if (!s.loss) {
        s.loss = m_plot->addGraph(m_lossRect->axis(QCPAxis::atBottom), m_lossRect->axis(QCPAxis::atLeft));
        s.metric =
            m_plot->addGraph(m_metricRect->axis(QCPAxis::atBottom), m_metricRect->axis(QCPAxis::atLeft));
        s.best = m_plot->addGraph(m_metricRect->axis(QCPAxis::atBottom), m_metricRect->axis(QCPAxis::atLeft));
        s.metric->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
        s.loss->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
        s.best->setLineStyle(QCPGraph::lsNone);
        s.best->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, 14));
    }
    QPen pen(color, 1.5);
    s.loss->setPen(pen);
    s.metric->setPen(pen);
    s.best->setPen(QPen(color.darker(130), 2));
    s.loss->setName(name);
    s.metric->setName(name);
    s.best->setName(tr("%1 best").arg(name));
    m_series.insert(id, s);
    m_dirty = true;
}

void LearningCurvePlot::removeSeries(int id)
{
    const Series s = m_series.take(id);
    for (QCPGraph* g : {s.loss, s.metric, s.best})
        if (g)
            m_plot->removeGraph(g);
    m_dirty = true;
}

void LearningCurvePlot::clear()
{
    for (int id : m_series.keys())
        removeSeries(id);
    m_userZoomed = false;
}

double LearningCurvePlot::xOf(const Series& s, int epoch) const
{
    if (!m_wallTime)
        return epoch + 1;
    for (const Point& p : s.points)
        if (p.epoch == epoch)
            return p.elapsed / 60.0;
    return std::numeric_limits<double>::quiet_NaN();
}

void LearningCurvePlot::addPoint(Series& s, const Point& p)
{
    const double x = m_wallTime ? p.elapsed / 60.0 : p.epoch + 1;
    if (!std::isfinite(x))
        return;
    if (std::isfinite(p.loss) && p.loss > 0)
        s.loss->addData(x, p.loss);
    if (std::isfinite(p.metric))
        s.metric->addData(x, p.metric);
}

void LearningCurvePlot::drawBest(Series& s)
{
    s.best->data()->clear();
    const double x = xOf(s, s.bestEpoch);
    if (s.bestEpoch >= 0 && std::isfinite(s.bestMetric) && std::isfinite(x))
        s.best->addData(x, s.bestMetric);
}

void LearningCurvePlot::appendEpoch(int id, int epoch, double loss, double metric, double elapsedSeconds)
{
    auto it = m_series.find(id);
    if (it == m_series.end())
        return;
    const Point p{epoch, elapsedSeconds, loss, metric};
    it->points.push_back(p);
    addPoint(*it, p);
    if (it->bestEpoch == epoch)
        drawBest(*it);
    m_dirty = true;
}

void LearningCurvePlot::setBest(int id, int epoch, double metric)
{
    auto it = m_series.find(id);
    if (it == m_series.end())
        return;
    it->bestEpoch = epoch;
    it->bestMetric = metric;
    drawBest(*it);
    m_dirty = true;
}

void LearningCurvePlot::setTimeAxis(bool wallTime)
{
    if (wallTime == m_wallTime)
        return;
    m_wallTime = wallTime;
    {
        const QSignalBlocker block(m_axisBox);
        m_axisBox->setCurrentIndex(wallTime ? 1 : 0);
    }
    for (QCPAxisRect* r : {m_lossRect, m_metricRect}) {
        QCPAxis* x = r->axis(QCPAxis::atBottom);
        x->setLabel(wallTime ? tr("wall time since start (min)") : tr("epoch"));
        if (wallTime) {
            x->setTicker(QSharedPointer<QCPAxisTicker>::create());
        } else {
            auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
            ticker->setTickStep(1.0);
            ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
            x->setTicker(ticker);
        }
    }
    for (Series& s : m_series) {
        s.loss->data()->clear();
        s.metric->data()->clear();
        for (const Point& p : s.points)
            addPoint(s, p);
        drawBest(s);
    }
    m_userZoomed = false;
    m_dirty = true;
}

void LearningCurvePlot::setVisibleSeries(const QList<int>& ids)
{
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        const bool on = ids.contains(it.key());
        it->loss->setVisible(on);
        it->metric->setVisible(on);
        it->best->setVisible(on);
    }
    m_userZoomed = false;
    m_dirty = true;
}

int LearningCurvePlot::pointCount(int id) const
{
    auto it = m_series.find(id);
    return it == m_series.end() ? 0 : it->loss->dataCount();
}

int LearningCurvePlot::metricPointCount(int id) const
{
    auto it = m_series.find(id);
    return it == m_series.end() ? 0 : it->metric->dataCount();
}

void LearningCurvePlot::fit()
{
    bool any = false;
    QCPRange x, yl, ym;
    bool anyL = false, anyM = false;
    for (const Series& s : m_series) {
        if (!s.loss->visible())
            continue;
        bool found = false;
        QCPRange r = s.loss->getKeyRange(found);
        if (found) {
            x = any ? QCPRange(std::min(x.lower, r.lower), std::max(x.upper, r.upper)) : r;
            any = true;
            r = s.loss->getValueRange(found, QCP::sdBoth);
            if (found) {
                yl = anyL ? QCPRange(std::min(yl.lower, r.lower), std::max(yl.upper, r.upper)) : r;
                anyL = true;
            }
        }
        r = s.metric->getValueRange(found, QCP::sdBoth);
        if (found) {
            ym = anyM ? QCPRange(std::min(ym.lower, r.lower), std::max(ym.upper, r.upper)) : r;
            anyM = true;
        }
    }
    if (!any)
        return;
    if (m_wallTime)
        m_lossRect->axis(QCPAxis::atBottom)->setRange(0, x.upper * 1.03 + 1e-3);
    else
        m_lossRect->axis(QCPAxis::atBottom)->setRange(0, std::max(2.0, x.upper + 1));
    if (anyL)
        m_lossRect->axis(QCPAxis::atLeft)->setRange(yl.lower / 1.5, yl.upper * 1.5);
    if (anyM) {
        const double pad = std::max(1e-3, 0.05 * (ym.upper - ym.lower));
        m_metricRect->axis(QCPAxis::atLeft)->setRange(ym.lower - pad, ym.upper + pad);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LearningCurvePlot::refresh()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    ++m_refreshes;
    if (!m_userZoomed)
        fit();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace rmm
