// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/sweep_plot.hpp"
#include "widgets/plot_locale.hpp"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace rmm {

namespace {

/// The axis labels each value of the key when there are at most this many.
constexpr int kMaxLabelledValues = 8;

const QColor kPointColor(0x1f, 0x77, 0xb4, 170);
const QColor kMeanColor(0xd6, 0x27, 0x28);
const QColor kHighlightColor(0xff, 0x7f, 0x0e);

/// How a non-numeric value reads on the axis: a string as it is, anything else as JSON.
QString categoryLabel(const nlohmann::json& v)
{
    return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString::fromStdString(v.dump());
}

/// Padded [lo, hi] for an axis showing values in [lo, hi].
QCPRange paddedRange(double lo, double hi, double fraction)
{
    if (!(hi > lo)) {
        const double pad = lo != 0 ? std::abs(lo) * 0.1 : 1.0;
        return {lo - pad, hi + pad};
    }
    const double pad = (hi - lo) * fraction;
    return {lo - pad, hi + pad};
}

} // namespace

QString sweepMetricName(SweepMetric metric)
{
    return metric == SweepMetric::BestAs ? SweepPlot::tr("best validation angular separation")
                                         : SweepPlot::tr("worst neuron's synaptic-current r");
}

double sweepMetricValue(const sweep::RunStatus& status, SweepMetric metric)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (status.state != sweep::RunState::Done)
        return nan;
    if (metric == SweepMetric::BestAs)
        return std::isfinite(status.best_as) ? status.best_as : nan;
    double worst = nan;
    for (double r : status.synaptic_r)
        if (std::isfinite(r) && !(worst <= r))
            worst = r;
    return worst;
}

SweepPanelData sweepPanelData(const sweep::SweepSummary& summary, const std::string& key, SweepMetric metric)
{
    SweepPanelData d;
    d.key = QString::fromStdString(key);
    d.metric = metric;
    const bool seedKey = key == kSweepSeedKey;
    const std::size_t n = summary.runs.size();
    std::vector<nlohmann::json> values(n);
    bool numeric = true, any = false;
    for (std::size_t i = 0; i < n; ++i) {
        const sweep::SweepRun& run = summary.runs[i];
        if (seedKey)
            values[i] = run.seed;
        else if (run.values.is_object() && run.values.contains(key))
            values[i] = run.values.at(key);
        if (values[i].is_null())
            continue;
        any = true;
        if (!values[i].is_number())
            numeric = false;
    }
    d.categorical = any && !numeric;
    // The axis covers every value of the key, finished or not, so it stays put as runs finish.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::vector<double> x(n, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < n; ++i) {
        if (values[i].is_null())
            continue;
        if (d.categorical) {
            const QString label = categoryLabel(values[i]);
            qsizetype at = d.categories.indexOf(label);
            if (at < 0) {
                at = d.categories.size();
                d.categories << label;
            }
            x[i] = static_cast<double>(at);
        } else {
            x[i] = values[i].get<double>();
            lo = std::min(lo, x[i]);
            hi = std::max(hi, x[i]);
        }
        d.allX << x[i];
    }
    d.logarithmic = any && !d.categorical && lo > 0 && hi / lo >= 10.0; // a decade or more

    std::map<double, std::pair<double, int>> groups; // x -> (sum, count)
    for (std::size_t i = 0; i < n; ++i) {
        const double y = i < summary.status.size() ? sweepMetricValue(summary.status[i], metric)
                                                   : std::numeric_limits<double>::quiet_NaN();
        if (!std::isfinite(x[i]) || !std::isfinite(y)) {
            ++d.withoutValue;
            continue;
        }
        d.x << x[i];
        d.y << y;
        d.runs << summary.runs[i].index;
        auto& g = groups[x[i]];
        g.first += y;
        ++g.second;
    }
    for (const auto& [gx, g] : groups) {
        d.meanX << gx;
        d.meanY << g.first / g.second;
    }
    if (!d.categorical && any) {
        d.lower = lo;
        d.upper = hi;
    }
    return d;
}

SweepPanelGraphs drawSweepPanel(QCustomPlot* plot, const SweepPanelData& d, const QString& title)
{
    plot->clearItems();
    plot->clearGraphs();
    plot->plotLayout()->clear();
    plot->setAutoAddPlottableToLegend(false);
    int row = 0;
    if (!title.isEmpty()) {
        QFont f = plot->font();
        f.setBold(true);
        plot->plotLayout()->addElement(row++, 0, new QCPTextElement(plot, title, f));
    }
    auto* rect = new QCPAxisRect(plot);
    plot->plotLayout()->addElement(row, 0, rect);
    rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    rect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    xa->setLabel(d.key == QLatin1String(kSweepSeedKey) ? SweepPlot::tr("seed") : d.key);
    ya->setLabel(sweepMetricName(d.metric));

    // x axis: categories, logarithmic or linear.
    if (d.categorical) {
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        int longest = 0;
        for (int i = 0; i < d.categories.size(); ++i) {
            ticker->addTick(i, d.categories[i]);
            longest = std::max(longest, static_cast<int>(d.categories[i].size()));
        }
        xa->setTicker(ticker);
        xa->setSubTicks(false);
        xa->setTickLabelRotation(longest > 8 || d.categories.size() > 6 ? 30 : 0);
        xa->setRange(-0.5, std::max<double>(0.5, static_cast<double>(d.categories.size()) - 0.5));
    } else {
        // A grid's few values are labelled where they are (5e-10, 5e-9, 5e-8 rather than decades;
        // 20, 30 rather than 20, 22.5, 25, ...).
        QVector<double> distinct;
        for (double x : d.allX)
            if (!distinct.contains(x))
                distinct << x;
        const bool labelValues = !distinct.isEmpty() && distinct.size() <= kMaxLabelledValues;
        if (labelValues) {
            auto ticker = QSharedPointer<QCPAxisTickerText>::create();
            const QLocale locale = plot->locale();
            for (double x : distinct)
                ticker->addTick(x, locale.toString(x, 'g', 3));
            xa->setTicker(ticker);
            xa->setSubTicks(false);
        }
        if (d.logarithmic) {
            xa->setScaleType(QCPAxis::stLogarithmic);
            if (!labelValues) {
                xa->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
                xa->setNumberFormat(QStringLiteral("gb"));
            }
            xa->setRange(d.lower / 1.6, d.upper * 1.6);
        } else if (std::isfinite(d.lower)) {
            xa->setRange(paddedRange(d.lower, d.upper, 0.1));
        }
    }

    SweepPanelGraphs g;
    g.points = plot->addGraph(xa, ya);
    g.points->setLineStyle(QCPGraph::lsNone);
    g.points->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(kPointColor, 1.0), kPointColor, 7));
    g.points->setPen(QPen(kPointColor));
    g.points->setName(SweepPlot::tr("runs (%n)", nullptr, static_cast<int>(d.x.size())));
    g.points->setData(d.x, d.y); // sorted by x (a graph keeps its data in key order)
    g.mean = plot->addGraph(xa, ya);
    g.mean->setPen(QPen(kMeanColor, 2.0));
    g.mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kMeanColor, 1.5), Qt::white, 7));
    g.mean->setName(SweepPlot::tr("mean"));
    g.mean->setData(d.meanX, d.meanY, true);

    if (!d.y.isEmpty()) {
        // Headroom above the highest point for the legend (one row in the top right corner).
        const auto [lo, hi] = std::minmax_element(d.y.begin(), d.y.end());
        const QCPRange r = paddedRange(*lo, *hi, 0.1);
        ya->setRange(r.lower, r.upper + 0.22 * r.size());
        auto* legend = new QCPLegend;
        rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
        legend->setLayer(QStringLiteral("legend"));
        legend->setWrap(0);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        legend->setBrush(QColor(255, 255, 255, 210));
        g.points->addToLegend(legend);
        g.mean->addToLegend(legend);
    } else {
        ya->setRange(0, 1);
        auto* text = new QCPItemText(plot);
        text->setClipAxisRect(rect);
        text->position->setAxisRect(rect);
        text->position->setAxes(xa, ya);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.5);
        text->setText(d.metric == SweepMetric::WorstR
                          ? SweepPlot::tr("No finished run has a synaptic-current r\n(the configs map no "
                                          "ground-truth isyn channel, or no run has finished yet)")
                          : SweepPlot::tr("No run has finished yet"));
        text->setColor(Qt::gray);
    }
    return g;
}

SweepPlot::SweepPlot(QWidget* parent) : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    m_plot->setLocale(plotLocale());
    m_plot->setAccessibleName(tr("Sweep plot"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    m_plot->setMinimumHeight(160);
    connect(m_plot, &QWidget::customContextMenuRequested, this,
            [this](const QPoint& pos) { contextMenu()->popup(m_plot->mapToGlobal(pos)); });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &SweepPlot::redraw);
    connect(m_plot, &QCustomPlot::plottableClick, this,
            [this](QCPAbstractPlottable* p, int dataIndex, QMouseEvent*) {
                if (p != m_graphs.points || dataIndex < 0 || dataIndex >= m_graphs.points->dataCount())
                    return;
                const auto it = m_graphs.points->data()->at(dataIndex);
                for (int i = 0; i < m_data.x.size(); ++i)
                    if (m_data.x[i] == it->key && m_data.y[i] == it->value) {
                        emit runClicked(m_data.runs[i]);
                        return;
                    }
            });

    m_metricBox = new QComboBox(this);
    m_metricBox->addItem(sweepMetricName(SweepMetric::BestAs), static_cast<int>(SweepMetric::BestAs));
    m_metricBox->addItem(sweepMetricName(SweepMetric::WorstR), static_cast<int>(SweepMetric::WorstR));
    m_metricBox->setAccessibleName(tr("Metric of the sweep plot"));
    m_metricBox->setToolTip(tr("The value plotted for each finished run: its best validation angular "
                               "separation, or the lowest synaptic-current Pearson r over its neurons"));
    m_keyBox = new QComboBox(this);
    m_keyBox->setAccessibleName(tr("Swept key of the sweep plot"));
    m_keyBox->setToolTip(tr("The swept setting on the horizontal axis; the mean line averages over the "
                            "runs sharing a value (seeds and the other keys)"));
    m_keyBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_metricBox, &QComboBox::currentIndexChanged, this, &SweepPlot::redraw);
    connect(m_keyBox, &QComboBox::currentIndexChanged, this, &SweepPlot::redraw);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(tr("Plot"), this));
    bar->addWidget(m_metricBox);
    bar->addWidget(new QLabel(tr("against"), this));
    bar->addWidget(m_keyBox);
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    setToolTip(tr("Wheel zooms, drag pans, double-click fits; click a point to select its run; right-click "
                  "to export."));
    clear();
}

void SweepPlot::clear()
{
    m_haveSummary = false;
    m_summary = sweep::SweepSummary{};
    {
        const QSignalBlocker block(m_keyBox);
        m_keyBox->clear();
    }
    m_data = SweepPanelData{};
    m_graphs = drawSweepPanel(m_plot, m_data);
    m_highlight = nullptr;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SweepPlot::setSummary(const sweep::SweepSummary& summary)
{
    m_summary = summary;
    m_haveSummary = true;
    const QString keep = key();
    {
        const QSignalBlocker block(m_keyBox);
        m_keyBox->clear();
        for (const std::string& k : summary.keys)
            m_keyBox->addItem(QString::fromStdString(k), QString::fromStdString(k));
        m_keyBox->addItem(tr("seed"), QString::fromLatin1(kSweepSeedKey));
        const int at = m_keyBox->findData(keep);
        m_keyBox->setCurrentIndex(at >= 0 ? at : 0);
    }
    redraw();
}

void SweepPlot::setKey(const QString& key)
{
    const int at = m_keyBox->findData(key);
    if (at >= 0)
        m_keyBox->setCurrentIndex(at);
}

QString SweepPlot::key() const
{
    return m_keyBox->currentData().toString();
}

void SweepPlot::setMetric(SweepMetric metric)
{
    m_metricBox->setCurrentIndex(m_metricBox->findData(static_cast<int>(metric)));
}

SweepMetric SweepPlot::metric() const
{
    return static_cast<SweepMetric>(m_metricBox->currentData().toInt());
}

void SweepPlot::redraw()
{
    if (!m_haveSummary || key().isEmpty())
        return;
    m_data = sweepPanelData(m_summary, key().toStdString(), metric());
    m_graphs = drawSweepPanel(m_plot, m_data);
    m_highlight = m_plot->addGraph(m_graphs.points->keyAxis(), m_graphs.points->valueAxis());
    m_highlight->setLineStyle(QCPGraph::lsNone);
    m_highlight->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kHighlightColor, 2.0), Qt::NoBrush, 13));
    m_highlight->setName(tr("selected"));
    drawHighlight();
}

void SweepPlot::setHighlightedRuns(const QList<int>& runIndexes)
{
    m_highlighted = runIndexes;
    drawHighlight();
}

void SweepPlot::drawHighlight()
{
    if (m_highlight) {
        QVector<double> x, y;
        for (int i = 0; i < m_data.runs.size(); ++i)
            if (m_highlighted.contains(m_data.runs[i])) {
                x << m_data.x[i];
                y << m_data.y[i];
            }
        m_highlight->setData(x, y);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QMenu* SweepPlot::contextMenu()
{
    if (!m_menu) {
        m_menu = new QMenu(this);
        m_menu->addAction(tr("&Fit"), this, &SweepPlot::redraw);
        m_menu->addSeparator();
        m_menu->addAction(tr("&Export this plot…"), this, &SweepPlot::exportRequested);
    }
    return m_menu;
}

} // namespace rmm
