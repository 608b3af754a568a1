// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/trace_plot.hpp"
#include "widgets/plot_locale.hpp"

#include "engine/recording/units.hpp"
#include "widgets/decimate.hpp"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace rmm {

namespace {

/// Distinct, colour-blind-aware line colours (Okabe-Ito order, then Tableau extras).
QColor channelColor(int index)
{
    static const QColor palette[] = {QColor(0, 114, 178),   QColor(213, 94, 0),   QColor(0, 158, 115),
                                     QColor(204, 121, 167), QColor(86, 180, 233), QColor(230, 159, 0),
                                     QColor(117, 112, 179), QColor(166, 118, 29), QColor(102, 102, 102),
                                     QColor(27, 158, 119)};
    return palette[index % static_cast<int>(std::size(palette))];
}

/// Dimensionless channels (unit "" or "1", e.g. gating variables) get no unit in their label.
bool dimensionless(const QString& unit)
{
    return unit.isEmpty() || unit == QLatin1String("1");
}

QString labelFor(const Channel& ch)
{
    const QString unit = displayUnitFor(ch.unit).first;
    const QString name = QString::fromStdString(ch.name);
    return dimensionless(unit) ? name : QStringLiteral("%1 [%2]").arg(name, unit);
}

constexpr int kTopMargin = 6;
constexpr int kBottomMargin = 6;
constexpr int kRightMargin = 18;
constexpr int kCoalesceMs = 30;
/// Decimate this many visible widths on each side too, so a pan shows data at once.
constexpr double kOverscan = 1.0;

} // namespace

std::pair<QString, double> displayUnitFor(const std::string& unit)
{
    const UnitConversion conv = engineUnitFor(unit);
    if (conv.known && conv.quantity == Quantity::Voltage)
        return {QStringLiteral("mV"), conv.factor};
    return {QString::fromStdString(unit), 1.0};
}

// ---- Background work --------------------------------------------------------------------------

struct TracePlot::Job {
    std::shared_ptr<const Recording> recording;
    std::size_t trial = 0;
    std::vector<std::size_t> channels; ///< trial channel index per plot row
    std::vector<double> factors;       ///< per plot row
    double xFrom = 0, xTo = 1;
    int pixels = 1000;
    bool computeRanges = false;
    quint64 generation = 0;
};

struct TracePlot::Result {
    quint64 generation = 0;
    std::vector<QSharedPointer<QCPGraphDataContainer>> data;
    std::vector<char> markers;                     ///< few enough raw samples to mark each one
    std::vector<std::pair<double, double>> ranges; ///< only when computeRanges
};

TracePlot::Result TracePlot::runJob(const Job& job)
{
    TracePlot::Result out;
    out.generation = job.generation;
    const Trial& trial = job.recording->trials[job.trial];
    const double dt = job.recording->dt_ms * 1e-3;
    const double width = job.xTo - job.xFrom;
    const double from = job.xFrom - kOverscan * width;
    const double to = job.xTo + kOverscan * width;
    const int pixels = static_cast<int>(std::lround(job.pixels * (1.0 + 2.0 * kOverscan)));
    for (std::size_t row = 0; row < job.channels.size(); ++row) {
        const std::vector<double>& y = trial.channels[job.channels[row]].samples;
        const double factor = row < job.factors.size() ? job.factors[row] : 1.0;
        const DecimatedTrace d = decimateMinMax(y.data(), y.size(), 0.0, dt, from, to, pixels);
        QVector<QCPGraphData> points(static_cast<qsizetype>(d.keys.size()));
        for (std::size_t i = 0; i < d.keys.size(); ++i)
            points[static_cast<qsizetype>(i)] = QCPGraphData(d.keys[i], d.values[i] * factor);
        auto container = QSharedPointer<QCPGraphDataContainer>::create();
        container->set(points, true);
        out.data.push_back(container);
        out.markers.push_back(d.raw && d.keys.size() * 6 < static_cast<std::size_t>(pixels));
        if (job.computeRanges) {
            double lo = INFINITY, hi = -INFINITY;
            for (double v : y) {
                if (std::isfinite(v)) {
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                }
            }
            if (!(lo <= hi)) {
                lo = -1;
                hi = 1;
            }
            lo *= factor;
            hi *= factor;
            out.ranges.emplace_back(std::min(lo, hi), std::max(lo, hi));
        }
    }
    return out;
}

// ---- Widget -----------------------------------------------------------------------------------

TracePlot::TracePlot(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(8, 4, 8, 0);
    m_trialLabel = new QLabel(tr("&Trial:"), this);
    m_trialBox = new QComboBox(this);
    m_trialBox->setAccessibleName(tr("Trial"));
    m_trialBox->setToolTip(tr("Trial (sweep) of the recording to show"));
    m_trialBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_trialLabel->setBuddy(m_trialBox);
    bar->addWidget(m_trialLabel);
    bar->addWidget(m_trialBox);
    bar->addSpacing(12);
    m_channelButton = new QToolButton(this);
    m_channelButton->setText(tr("&Channels"));
    m_channelButton->setAccessibleName(tr("Channels"));
    m_channelButton->setToolTip(tr("Choose which channels to show"));
    m_channelButton->setPopupMode(QToolButton::InstantPopup);
    m_channelButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_channelMenu = new QMenu(m_channelButton);
    m_channelButton->setMenu(m_channelMenu);
    m_channelButton->hide();
    bar->addWidget(m_channelButton);
    bar->addStretch(1);
    layout->addLayout(bar);
    m_trialLabel->hide();
    m_trialBox->hide();
    connect(m_trialBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && index != m_trial)
            setCurrentTrial(index);
    });

    m_plot = new QCustomPlot(this);
    m_plot->setLocale(plotLocale());
    m_plot->setAccessibleName(tr("Traces"));
    m_plot->setToolTip(tr("Wheel: zoom time (over a y axis: that axis) · drag: pan · Ctrl+drag: zoom to "
                          "rectangle · double-click: fit"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->plotLayout()->clear();
    m_plot->plotLayout()->setRowSpacing(0);
    QPen rectPen(QColor(60, 60, 60), 1, Qt::DashLine);
    m_plot->selectionRect()->setPen(rectPen);
    m_plot->selectionRect()->setBrush(QColor(0, 114, 178, 40));
    layout->addWidget(m_plot, 1);

    connect(m_plot, &QCustomPlot::mousePress, this, &TracePlot::onMousePress);
    connect(m_plot, &QCustomPlot::mouseWheel, this, &TracePlot::onMouseWheel);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &TracePlot::onDoubleClick);

    m_decimateTimer = new QTimer(this);
    m_decimateTimer->setSingleShot(true);
    m_decimateTimer->setInterval(kCoalesceMs);
    connect(m_decimateTimer, &QTimer::timeout, this, &TracePlot::startDecimation);
}

TracePlot::~TracePlot() = default;

void TracePlot::setRecording(std::shared_ptr<const Recording> recording)
{
    m_recording = std::move(recording);
    m_trial = 0;
    {
        const QSignalBlocker block(m_trialBox);
        m_trialBox->clear();
        if (m_recording)
            for (const auto& t : m_recording->trials)
                m_trialBox->addItem(QString::fromStdString(t.name));
        m_trialBox->setCurrentIndex(0);
    }
    const bool several = trialCount() > 1;
    m_trialLabel->setVisible(several);
    m_trialBox->setVisible(several);
    m_hidden.clear();
    rebuild(false);
}

int TracePlot::trialCount() const
{
    return m_recording ? static_cast<int>(m_recording->trials.size()) : 0;
}

void TracePlot::setCurrentTrial(int trial)
{
    if (trial < 0 || trial >= trialCount())
        return;
    m_trial = trial;
    {
        const QSignalBlocker block(m_trialBox);
        m_trialBox->setCurrentIndex(trial);
    }
    rebuild(false);
    emit currentTrialChanged(trial);
}

QCPAxisRect* TracePlot::axisRect(int channel) const
{
    return channel >= 0 && channel < channelCount() ? m_rects[static_cast<std::size_t>(channel)] : nullptr;
}

QCPGraph* TracePlot::graph(int channel) const
{
    return channel >= 0 && channel < channelCount() ? m_graphs[static_cast<std::size_t>(channel)] : nullptr;
}

QString TracePlot::channelLabel(int channel) const
{
    if (!m_recording || channel < 0 || channel >= channelCount())
        return {};
    return labelFor(m_recording->trials[static_cast<std::size_t>(m_trial)]
                        .channels[m_channels[static_cast<std::size_t>(channel)]]);
}

double TracePlot::trialSeconds() const
{
    if (!m_recording || m_trial >= trialCount())
        return 0;
    const Trial& t = m_recording->trials[static_cast<std::size_t>(m_trial)];
    return static_cast<double>(t.length()) * m_recording->dt_ms * 1e-3;
}

void TracePlot::setChannelVisible(const QString& name, bool visible)
{
    if (visible == !m_hidden.contains(name))
        return;
    if (!visible && channelCount() <= 1)
        return; // keep at least one plot
    if (visible)
        m_hidden.remove(name);
    else
        m_hidden.insert(name);
    rebuild(true);
}

bool TracePlot::isChannelVisible(const QString& name) const
{
    return !m_hidden.contains(name);
}

void TracePlot::rebuildChannelMenu()
{
    m_channelMenu->clear();
    if (!m_recording || m_recording->trials.empty()) {
        m_channelButton->hide();
        return;
    }
    const Trial& trial = m_recording->trials[static_cast<std::size_t>(m_trial)];
    m_channelButton->setVisible(trial.channels.size() > 1);
    QAction* all = m_channelMenu->addAction(tr("Show &all"));
    all->setEnabled(!m_hidden.isEmpty());
    // Queued: rebuilding deletes these actions, which must not happen inside their own signal.
    connect(
        all, &QAction::triggered, this,
        [this]() {
            m_hidden.clear();
            rebuild(true);
        },
        Qt::QueuedConnection);
    m_channelMenu->addSeparator();
    const int visible = channelCount();
    for (const Channel& ch : trial.channels) {
        const QString name = QString::fromStdString(ch.name);
        QAction* a = m_channelMenu->addAction(labelFor(ch));
        a->setCheckable(true);
        a->setChecked(!m_hidden.contains(name));
        a->setEnabled(!(a->isChecked() && visible <= 1)); // keep at least one channel
        connect(
            a, &QAction::toggled, this, [this, name](bool on) { setChannelVisible(name, on); },
            Qt::QueuedConnection);
    }
    m_channelButton->setText(m_hidden.isEmpty()
                                 ? tr("&Channels")
                                 : tr("&Channels (%1 of %2)").arg(visible).arg(trial.channels.size()));
}

void TracePlot::rebuild(bool keepTimeRange)
{
    const bool hadView = keepTimeRange && !m_rects.empty();
    const QCPRange oldX = hadView ? m_rects.front()->axis(QCPAxis::atBottom)->range() : QCPRange();
    ++m_generation; // results of earlier layouts no longer apply
    m_plot->clearGraphs();
    m_plot->plotLayout()->clear();
    delete m_marginGroup;
    m_marginGroup = nullptr;
    m_rects.clear();
    m_graphs.clear();
    m_channels.clear();
    m_displayFactor.clear();
    m_yRange.clear();

    if (!m_recording || m_recording->trials.empty()) {
        rebuildChannelMenu();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const Trial& trial = m_recording->trials[static_cast<std::size_t>(m_trial)];
    for (std::size_t c = 0; c < trial.channels.size(); ++c)
        if (!m_hidden.contains(QString::fromStdString(trial.channels[c].name)))
            m_channels.push_back(c);
    if (m_channels.empty() && !trial.channels.empty()) { // never show an empty plot
        m_hidden.clear();
        for (std::size_t c = 0; c < trial.channels.size(); ++c)
            m_channels.push_back(c);
    }
    const int n = static_cast<int>(m_channels.size());
    m_marginGroup = new QCPMarginGroup(m_plot);

    QFont tickFont = font();
    tickFont.setPointSizeF(std::max(7.0, font().pointSizeF() - 1.0));
    QFont labelFont = font();
    const QColor axisColor(70, 70, 70);
    const QColor gridColor(225, 225, 225);
    const double seconds = trialSeconds();

    for (int i = 0; i < n; ++i) {
        const std::size_t ci = m_channels[static_cast<std::size_t>(i)];
        const bool lastRow = i == n - 1;
        auto* rect = new QCPAxisRect(m_plot, true);
        m_plot->plotLayout()->addElement(i, 0, rect);
        rect->setAutoMargins(lastRow ? (QCP::msLeft | QCP::msBottom) : QCP::msLeft);
        rect->setMargins(QMargins(0, i == 0 ? kTopMargin + 4 : kTopMargin, kRightMargin, kBottomMargin));
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, m_marginGroup);
        rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
        rect->setRangeZoom(Qt::Horizontal);
        rect->setRangeZoomFactor(0.85);

        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        for (QCPAxis* a : {x, y}) {
            a->setBasePen(QPen(axisColor, 1));
            a->setTickPen(QPen(axisColor, 1));
            a->setSubTickPen(QPen(axisColor, 1));
            a->setTickLabelColor(axisColor.darker(130));
            a->setLabelColor(axisColor.darker(130));
            a->setTickLabelFont(tickFont);
            a->setLabelFont(labelFont);
            a->setTickLengthIn(0);
            a->setTickLengthOut(4);
            a->setSubTickLengthIn(0);
            a->setSubTickLengthOut(2);
            a->grid()->setPen(QPen(gridColor, 1));
            a->grid()->setZeroLinePen(Qt::NoPen);
        }
        y->setNumberFormat(QStringLiteral("gb"));
        y->setSubTicks(false);
        x->ticker()->setTickCount(8);
        x->setTickLabels(lastRow);
        if (lastRow)
            x->setLabel(tr("time [s]"));
        if (hadView)
            x->setRange(oldX);
        else
            x->setRange(0, seconds > 0 ? seconds : 1);
        y->setRange(-1, 1);

        QCPGraph* g = m_plot->addGraph(x, y);
        QPen pen(channelColor(static_cast<int>(ci)), 1.0);
        pen.setCosmetic(true);
        g->setPen(pen);
        g->setAdaptiveSampling(true);
        g->setName(QString::fromStdString(trial.channels[ci].name));

        m_rects.push_back(rect);
        m_graphs.push_back(g);
        m_displayFactor.push_back(displayUnitFor(trial.channels[ci].unit).second);

        connect(x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
                [this, x](const QCPRange& r) { onXRangeChanged(r, x); });
    }
    updateLabels();
    rebuildChannelMenu();
    m_fitPending = hadView ? FitPending::YOnly : FitPending::All;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    m_decimateTimer->stop();
    startDecimation();
}

void TracePlot::updateLabels()
{
    if (m_rects.empty())
        return;
    // Rotated labels run along the rect's height; when "name [unit]" is longer than a row is
    // tall, the unit goes on a second line so labels never spill into the neighbouring rows.
    const int n = channelCount();
    const double rowHeight = (m_plot->height() - 30.0) / n;
    for (int i = 0; i < n; ++i) {
        QCPAxis* y = m_rects[static_cast<std::size_t>(i)]->axis(QCPAxis::atLeft);
        const Channel& ch = m_recording->trials[static_cast<std::size_t>(m_trial)]
                                .channels[m_channels[static_cast<std::size_t>(i)]];
        QFont labelFont = font();
        if (rowHeight < 75)
            labelFont.setPointSizeF(std::max(7.0, labelFont.pointSizeF() - 1.0));
        y->setLabelFont(labelFont);
        const QString oneLine = labelFor(ch);
        const QString unit = displayUnitFor(ch.unit).first;
        const int textWidth = QFontMetrics(y->labelFont()).horizontalAdvance(oneLine);
        if (textWidth + 8 > rowHeight - kTopMargin - kBottomMargin && !dimensionless(unit))
            y->setLabel(QStringLiteral("%1\n[%2]").arg(QString::fromStdString(ch.name), unit));
        else
            y->setLabel(oneLine);
        y->ticker()->setTickCount(rowHeight < 60 ? 2 : rowHeight < 140 ? 3 : 5);
    }
    m_plot->plotLayout()->setRowStretchFactor(n - 1, 1.0 + 34.0 / std::max(40.0, rowHeight));
}

void TracePlot::scheduleDecimation()
{
    if (!m_decimateTimer->isActive())
        m_decimateTimer->start();
}

void TracePlot::startDecimation()
{
    if (!m_recording || m_rects.empty())
        return;
    if (m_jobRunning) {
        m_jobQueued = true;
        return;
    }
    Job job;
    job.recording = m_recording;
    job.trial = static_cast<std::size_t>(m_trial);
    job.channels = m_channels;
    job.factors = m_displayFactor;
    const QCPRange r = m_rects.front()->axis(QCPAxis::atBottom)->range();
    job.xFrom = r.lower;
    job.xTo = r.upper;
    int width = m_rects.front()->width();
    if (width < 50)
        width = std::max(50, m_plot->width() - 80);
    job.pixels = static_cast<int>(std::lround(width * devicePixelRatioF()));
    job.computeRanges = m_yRange.empty();
    job.generation = m_generation;

    m_jobRunning = true;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher]() {
        m_jobRunning = false;
        applyResult(watcher->result());
        watcher->deleteLater();
        if (m_jobQueued) {
            m_jobQueued = false;
            startDecimation();
        }
    });
    watcher->setFuture(QtConcurrent::run([job]() { return runJob(job); }));
}

void TracePlot::applyResult(const Result& result)
{
    if (result.generation != m_generation) {
        // Stale (layout changed meanwhile): make sure the current layout gets its data.
        m_jobQueued = true;
        return;
    }
    if (result.data.size() != m_graphs.size())
        return;
    for (std::size_t c = 0; c < m_graphs.size(); ++c) {
        m_graphs[c]->setData(result.data[c]);
        m_graphs[c]->setScatterStyle(result.markers[c] ? QCPScatterStyle(QCPScatterStyle::ssDisc, 4)
                                                       : QCPScatterStyle(QCPScatterStyle::ssNone));
    }
    if (!result.ranges.empty())
        m_yRange = result.ranges;
    if (m_fitPending != FitPending::None && m_yRange.size() == m_rects.size()) {
        const FitPending what = m_fitPending;
        m_fitPending = FitPending::None;
        if (what == FitPending::All)
            fit();
        else
            for (int c = 0; c < channelCount(); ++c)
                fitChannelY(c);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    emit dataUpdated();
}

void TracePlot::fit()
{
    if (m_rects.empty())
        return;
    const double seconds = trialSeconds();
    // Setting one x axis moves the others through the link.
    m_rects.front()->axis(QCPAxis::atBottom)->setRange(0, seconds > 0 ? seconds : 1);
    if (m_yRange.size() != m_rects.size()) {
        m_fitPending = FitPending::All;
    } else {
        for (int c = 0; c < channelCount(); ++c)
            fitChannelY(c);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TracePlot::fitChannelY(int channel)
{
    if (channel < 0 || channel >= channelCount() || m_yRange.size() != m_rects.size())
        return;
    auto [lo, hi] = m_yRange[static_cast<std::size_t>(channel)];
    double span = hi - lo;
    if (!(span > 0))
        span = std::max(1e-12, std::abs(hi) * 0.1 + 1e-9);
    const double pad = 0.06 * span;
    m_rects[static_cast<std::size_t>(channel)]->axis(QCPAxis::atLeft)->setRange(lo - pad, hi + pad);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TracePlot::onXRangeChanged(const QCPRange& range, QCPAxis* source)
{
    if (m_linking)
        return;
    // The user moved the view before the first data arrived: keep their time range.
    if (m_fitPending == FitPending::All)
        m_fitPending = FitPending::YOnly;
    m_linking = true;
    for (QCPAxisRect* rect : m_rects) {
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        if (x != source)
            x->setRange(range);
    }
    m_linking = false;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    scheduleDecimation();
}

int TracePlot::rectAt(const QPointF& pos) const
{
    for (std::size_t i = 0; i < m_rects.size(); ++i)
        if (m_rects[i]->outerRect().contains(pos.toPoint()))
            return static_cast<int>(i);
    return -1;
}

void TracePlot::onMousePress(QMouseEvent* event)
{
    // Ctrl+drag draws a zoom rectangle; a plain drag pans (QCustomPlot routes the press after
    // this signal, so switching the mode here takes effect for this very press).
    const bool rectZoom = event->modifiers().testFlag(Qt::ControlModifier);
    m_plot->setSelectionRectMode(rectZoom ? QCP::srmZoom : QCP::srmNone);
}

void TracePlot::onMouseWheel(QWheelEvent* event)
{
    // Over the data or the time axis the wheel zooms time; over a y axis it zooms that axis.
    const int at = rectAt(event->position());
    for (std::size_t i = 0; i < m_rects.size(); ++i) {
        const bool overY = static_cast<int>(i) == at && event->position().x() < m_rects[i]->left();
        m_rects[i]->setRangeZoom(overY ? Qt::Vertical : Qt::Horizontal);
    }
}

void TracePlot::onDoubleClick(QMouseEvent* event)
{
    const int at = rectAt(event->position());
    if (at >= 0 && event->position().x() < m_rects[static_cast<std::size_t>(at)]->left())
        fitChannelY(at);
    else
        fit();
}

void TracePlot::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateLabels();
    scheduleDecimation();
}

} // namespace rmm
