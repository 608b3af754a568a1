// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/trace_plot.hpp"
#include "widgets/plot_locale.hpp"

#include "engine/recording/units.hpp"
#include "widgets/decimate.hpp"
#include "widgets/trace_measure.hpp"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCursor>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QScrollArea>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

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

} // namespace

bool naturalLess(const QString& a, const QString& b)
{
    // Runs of digits compare by value (QCollator's numeric mode needs ICU, which not every Qt has).
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype i1 = i, j1 = j;
            while (i1 < a.size() && a[i1].isDigit())
                ++i1;
            while (j1 < b.size() && b[j1].isDigit())
                ++j1;
            QStringView da = QStringView(a).mid(i, i1 - i), db = QStringView(b).mid(j, j1 - j);
            while (da.size() > 1 && da.front() == u'0')
                da = da.mid(1);
            while (db.size() > 1 && db.front() == u'0')
                db = db.mid(1);
            if (da.size() != db.size())
                return da.size() < db.size();
            if (const int c = da.compare(db); c != 0)
                return c < 0;
            i = i1;
            j = j1;
            continue;
        }
        const int c = QString::compare(QString(a[i]), QString(b[j]), Qt::CaseInsensitive);
        if (c != 0)
            return c < 0;
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

namespace {

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
    std::vector<std::size_t> overlayTrials; ///< other sweeps drawn behind the current one
    bool average = false;                   ///< and their average (over every sweep)
    /// Per row: the average of the sweeps when already computed (null: the job computes it).
    std::vector<std::shared_ptr<const std::vector<double>>> averages;
    quint64 generation = 0;
};

struct TracePlot::Result {
    quint64 generation = 0;
    std::vector<QSharedPointer<QCPGraphDataContainer>> data;
    std::vector<char> markers;                     ///< few enough raw samples to mark each one
    std::vector<std::pair<double, double>> ranges; ///< only when computeRanges
    /// Per row: the overlaid sweeps, then the average when asked for (empty containers where a
    /// sweep lacks the channel).
    std::vector<std::vector<QSharedPointer<QCPGraphDataContainer>>> overlay;
    /// Per row: the average of the sweeps (computed once per channel, kept by the plot).
    std::vector<std::shared_ptr<const std::vector<double>>> averages;
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
    auto decimated = [&](const std::vector<double>& y, double factor, DecimatedTrace* trace = nullptr) {
        const DecimatedTrace d = decimateMinMax(y.data(), y.size(), 0.0, dt, from, to, pixels);
        QVector<QCPGraphData> points(static_cast<qsizetype>(d.keys.size()));
        for (std::size_t i = 0; i < d.keys.size(); ++i)
            points[static_cast<qsizetype>(i)] = QCPGraphData(d.keys[i], d.values[i] * factor);
        auto container = QSharedPointer<QCPGraphDataContainer>::create();
        container->set(points, true);
        if (trace)
            *trace = d;
        return container;
    };
    for (std::size_t row = 0; row < job.channels.size(); ++row) {
        const Channel& channel = trial.channels[job.channels[row]];
        const std::vector<double>& y = channel.samples;
        const double factor = row < job.factors.size() ? job.factors[row] : 1.0;
        DecimatedTrace d;
        out.data.push_back(decimated(y, factor, &d));
        std::vector<QSharedPointer<QCPGraphDataContainer>> overlay;
        for (std::size_t t : job.overlayTrials) {
            const Channel* other = job.recording->trials[t].find(channel.name);
            overlay.push_back(other ? decimated(other->samples, factor)
                                    : QSharedPointer<QCPGraphDataContainer>::create());
        }
        std::shared_ptr<const std::vector<double>> mean =
            row < job.averages.size() ? job.averages[row] : nullptr;
        if (job.average && !mean) { // sample by sample over every sweep holding the channel (shortest length)
            std::vector<const std::vector<double>*> sweeps;
            for (const Trial& t : job.recording->trials)
                if (const Channel* c = t.find(channel.name))
                    sweeps.push_back(&c->samples);
            std::size_t n = sweeps.empty() ? 0 : sweeps.front()->size();
            for (const auto* sw : sweeps)
                n = std::min(n, sw->size());
            auto sum = std::make_shared<std::vector<double>>(n, 0.0);
            for (const auto* sw : sweeps)
                for (std::size_t k = 0; k < n; ++k)
                    (*sum)[k] += (*sw)[k] / static_cast<double>(sweeps.size());
            mean = std::move(sum);
        }
        if (job.average)
            overlay.push_back(decimated(*mean, factor));
        out.averages.push_back(job.average ? mean : nullptr);
        out.overlay.push_back(std::move(overlay));
        out.markers.push_back(
            static_cast<char>(d.raw && d.keys.size() * 6 < static_cast<std::size_t>(pixels)));
        if (job.computeRanges) {
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
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
    auto toolButton = [this, bar](QAction* a) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setAutoRaise(true);
        bar->addWidget(b);
        return b;
    };
    m_cursorAction = new QAction(tr("C&ursors"), this);
    m_cursorAction->setCheckable(true);
    m_cursorAction->setShortcut(QKeySequence(Qt::Key_C));
    m_cursorAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cursorAction->setToolTip(
        tr("Two measurement cursors (drag them): delta t, and per channel delta, mean, "
           "minimum and maximum between them (C)"));
    connect(m_cursorAction, &QAction::toggled, this, &TracePlot::setCursorsVisible);
    addAction(m_cursorAction);
    toolButton(m_cursorAction);
    m_overlayAction = new QAction(tr("&Overlay sweeps"), this);
    m_overlayAction->setCheckable(true);
    m_overlayAction->setToolTip(tr("Draw the other sweeps in grey behind the current one"));
    connect(m_overlayAction, &QAction::toggled, this, [this]() { rebuild(true); });
    m_averageAction = new QAction(tr("A&verage"), this);
    m_averageAction->setCheckable(true);
    m_averageAction->setToolTip(tr("Draw the average of all sweeps in black"));
    connect(m_averageAction, &QAction::toggled, this, [this]() { rebuild(true); });
    m_overlayButton = toolButton(m_overlayAction);
    m_averageButton = toolButton(m_averageAction);
    m_backAction = new QAction(tr("◀ Zoom"), this);
    m_backAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    m_backAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_backAction->setToolTip(tr("Back to the previous zoom (Alt+Left)"));
    connect(m_backAction, &QAction::triggered, this, &TracePlot::zoomBack);
    addAction(m_backAction);
    toolButton(m_backAction);
    m_forwardAction = new QAction(tr("Zoom ▶"), this);
    m_forwardAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    m_forwardAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_forwardAction->setToolTip(tr("Forward to the next zoom (Alt+Right)"));
    connect(m_forwardAction, &QAction::triggered, this, &TracePlot::zoomForward);
    addAction(m_forwardAction);
    toolButton(m_forwardAction);
    m_mappedOnlyAction = new QAction(tr("&Mapped channels only"), this);
    m_mappedOnlyAction->setCheckable(true);
    m_mappedOnlyAction->setToolTip(tr("Show only the channels the channel map uses"));
    connect(m_mappedOnlyAction, &QAction::toggled, this, [this]() { rebuild(true); });
    // Sweeps: arrow keys and PgUp/PgDn, as in Clampfit and Stimfit.
    for (const auto& [key, next] : {std::pair{Qt::Key_Right, true}, std::pair{Qt::Key_PageDown, true},
                                    std::pair{Qt::Key_Left, false}, std::pair{Qt::Key_PageUp, false}}) {
        auto* a = new QAction(this);
        a->setShortcut(QKeySequence(key));
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, next ? &TracePlot::nextTrial : &TracePlot::previousTrial);
        addAction(a);
    }
    m_backAction->setEnabled(false);
    m_forwardAction->setEnabled(false);
    m_mappedOnlyAction->setEnabled(false);
    bar->addStretch(1);
    m_readout = new QLabel(this);
    m_readout->setAccessibleName(tr("Value under the mouse"));
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_readout);
    layout->addLayout(bar);
    m_measure = new QLabel(this);
    m_measure->setAccessibleName(tr("Cursor measurements"));
    m_measure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_measure->setContentsMargins(8, 0, 8, 0);
    m_measure->setWordWrap(true);
    m_measure->hide();
    layout->addWidget(m_measure);
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
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_plot->setFocusPolicy(Qt::StrongFocus);
    // Many channels scroll: rows keep kMinRowHeight (the plot grows, the area scrolls).
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_plot);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(m_scroll, 1);

    connect(m_plot, &QCustomPlot::mousePress, this, &TracePlot::onMousePress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &TracePlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &TracePlot::onMouseRelease);
    connect(m_plot, &QCustomPlot::mouseWheel, this, &TracePlot::onMouseWheel);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &TracePlot::onDoubleClick);
    connect(m_plot, &QWidget::customContextMenuRequested, this,
            [this](const QPoint& pos) { contextMenu()->popup(m_plot->mapToGlobal(pos)); });
    m_historyTimer = new QTimer(this);
    m_historyTimer->setSingleShot(true);
    m_historyTimer->setInterval(400);
    connect(m_historyTimer, &QTimer::timeout, this, &TracePlot::recordView);

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
    m_overlayButton->setVisible(several);
    m_averageButton->setVisible(several);
    m_hidden.clear();
    m_averages.clear();
    m_userOrder.clear();
    m_history.clear();
    m_historyPos = -1;
    m_backAction->setEnabled(false);
    m_forwardAction->setEnabled(false);
    const double seconds = trialSeconds();
    m_cursorT[0] = 0.25 * seconds;
    m_cursorT[1] = 0.75 * seconds;
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
    rebuild(true); // the zoom stays, as in Clampfit: the same window of every sweep
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
    std::vector<const Channel*> ordered;
    for (const Channel& ch : trial.channels)
        ordered.push_back(&ch);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Channel* a, const Channel* b) {
        return naturalLess(QString::fromStdString(a->name), QString::fromStdString(b->name));
    });
    for (const Channel* c : ordered) {
        const Channel& ch = *c;
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
    m_relayoutPending = false;
    const bool hadView = keepTimeRange && !m_rects.empty();
    const QCPRange oldX = hadView ? m_rects.front()->axis(QCPAxis::atBottom)->range() : QCPRange();
    // A layout whose first data has not come yet has no view of the user's to keep.
    const bool wasFitted = m_fitPending != FitPending::All;
    const ViewState oldView = hadView && wasFitted ? currentView() : ViewState{};
    ++m_generation; // results of earlier layouts no longer apply
    m_cursorItems.clear();
    m_overlayGraphs.clear();
    m_plot->clearItems();
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
    const bool mappedOnly = m_mappedOnlyAction->isChecked() && !m_mapped.isEmpty();
    for (std::size_t c = 0; c < trial.channels.size(); ++c) {
        const QString name = QString::fromStdString(trial.channels[c].name);
        if (!m_hidden.contains(name) && (!mappedOnly || m_mapped.contains(name)))
            m_channels.push_back(c);
    }
    // Rows: the order the user chose (Move up/down), then the channel map's channels (voltages,
    // then injected currents, then synaptic currents), then the rest in natural order, as a person
    // reads channel names: v1, v2, ..., v10 (not v1, v10, v2).
    auto rank = [this](const QString& name) {
        if (const qsizetype i = m_userOrder.indexOf(name); i >= 0)
            return i;
        if (const qsizetype i = m_mapped.indexOf(name); i >= 0)
            return m_userOrder.size() + i;
        return m_userOrder.size() + m_mapped.size();
    };
    std::stable_sort(m_channels.begin(), m_channels.end(), [&](std::size_t a, std::size_t b) {
        const QString na = QString::fromStdString(trial.channels[a].name);
        const QString nb = QString::fromStdString(trial.channels[b].name);
        const qsizetype ra = rank(na), rb = rank(nb);
        return ra != rb ? ra < rb : naturalLess(na, nb);
    });
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

        std::vector<QCPGraph*> overlays; // drawn first: behind the current sweep
        const int others = m_overlayAction->isChecked() ? trialCount() - 1 : 0;
        for (int k = 0; k < others; ++k) {
            QCPGraph* o = m_plot->addGraph(x, y);
            QPen grey(QColor(170, 170, 170), 1.0);
            grey.setCosmetic(true);
            o->setPen(grey);
            overlays.push_back(o);
        }
        if (m_averageAction->isChecked() && trialCount() > 1) {
            QCPGraph* a = m_plot->addGraph(x, y);
            QPen black(Qt::black, 1.5);
            black.setCosmetic(true);
            a->setPen(black);
            a->setName(tr("average of %n sweep(s)", nullptr, trialCount()));
            overlays.push_back(a);
        }
        m_overlayGraphs.push_back(overlays);
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
    updatePlotHeight();
    updateLabels();
    rebuildChannelMenu();
    m_fitPending = hadView && wasFitted ? FitPending::YOnly : FitPending::All;
    if (hadView && wasFitted) { // channels shown before keep their value range; new ones are fitted
        bool all = true;
        for (int i = 0; i < n; ++i) {
            const QString name =
                QString::fromStdString(trial.channels[m_channels[static_cast<std::size_t>(i)]].name);
            const auto it = std::find_if(oldView.y.begin(), oldView.y.end(),
                                         [&](const auto& e) { return e.first == name; });
            if (it == oldView.y.end())
                all = false;
            else
                m_rects[static_cast<std::size_t>(i)]
                    ->axis(QCPAxis::atLeft)
                    ->setRange(it->second.first, it->second.second);
        }
        if (all)
            m_fitPending = FitPending::None;
    }
    updateCursorItems();
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
    if (m_overlayAction->isChecked())
        for (int t = 0; t < trialCount(); ++t)
            if (t != m_trial)
                job.overlayTrials.push_back(static_cast<std::size_t>(t));
    job.average = m_averageAction->isChecked() && trialCount() > 1;
    if (job.average)
        for (int row = 0; row < channelCount(); ++row)
            job.averages.push_back(m_averages.value(QString::fromStdString(shownChannel(row)->name)));
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
        if (c < result.averages.size() && result.averages[c]) // computed once per channel
            m_averages.insert(QString::fromStdString(shownChannel(static_cast<int>(c))->name),
                              result.averages[c]);
        if (c < result.overlay.size() && c < m_overlayGraphs.size())
            for (std::size_t k = 0; k < std::min(result.overlay[c].size(), m_overlayGraphs[c].size()); ++k)
                m_overlayGraphs[c][k]->setData(result.overlay[c][k]);
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
        recordView();
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
        recordView();
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
    m_dragCursor = -1;
    if (cursorsVisible() && event->button() == Qt::LeftButton && !m_rects.empty()) {
        // A press within a few pixels of a cursor drags it (not the view).
        QCPAxis* x = m_rects.front()->axis(QCPAxis::atBottom);
        for (int c = 0; c < 2; ++c)
            if (std::abs(x->coordToPixel(m_cursorT[c]) - event->position().x()) <= 5) {
                m_dragCursor = c;
                for (QCPAxisRect* r : m_rects)
                    r->setRangeDrag(Qt::Orientations());
                return;
            }
    }
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
    m_historyTimer->start(); // recorded once the wheel rests
}

void TracePlot::onDoubleClick(QMouseEvent* event)
{
    const int at = rectAt(event->position());
    if (at >= 0 && event->position().x() < m_rects[static_cast<std::size_t>(at)]->left()) {
        fitChannelY(at);
        recordView();
    } else {
        fit();
    }
}

void TracePlot::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updatePlotHeight();
    updateLabels();
    scheduleDecimation();
}

// ---- Cursors, read-outs, history, menu -------------------------------------------------------

const Channel* TracePlot::shownChannel(int row) const
{
    if (!m_recording || row < 0 || row >= channelCount())
        return nullptr;
    return &m_recording->trials[static_cast<std::size_t>(m_trial)]
                .channels[m_channels[static_cast<std::size_t>(row)]];
}

QStringList TracePlot::shownChannels() const
{
    QStringList out;
    for (int i = 0; i < channelCount(); ++i)
        out << QString::fromStdString(shownChannel(i)->name);
    return out;
}

void TracePlot::setMappedChannels(const QStringList& names)
{
    if (names == m_mapped)
        return;
    m_mapped = names;
    m_mappedOnlyAction->setEnabled(!names.isEmpty());
    // Mapped channels come first: laid out once control returns (a recording being set meanwhile
    // lays out anyway).
    m_relayoutPending = true;
    QTimer::singleShot(0, this, [this]() {
        if (m_relayoutPending)
            rebuild(true);
    });
}

void TracePlot::moveChannel(const QString& name, int by)
{
    QStringList order = shownChannels();
    const qsizetype from = order.indexOf(name);
    const qsizetype to = from + by;
    if (from < 0 || to < 0 || to >= order.size())
        return;
    order.move(from, to);
    m_userOrder = order;
    rebuild(true);
}

void TracePlot::setMappedOnly(bool on)
{
    m_mappedOnlyAction->setChecked(on);
}

bool TracePlot::mappedOnly() const
{
    return m_mappedOnlyAction->isChecked();
}

void TracePlot::setOverlay(bool on)
{
    m_overlayAction->setChecked(on);
}

bool TracePlot::overlay() const
{
    return m_overlayAction->isChecked();
}

void TracePlot::setAverage(bool on)
{
    m_averageAction->setChecked(on);
}

bool TracePlot::average() const
{
    return m_averageAction->isChecked();
}

void TracePlot::nextTrial()
{
    if (m_trial + 1 < trialCount())
        setCurrentTrial(m_trial + 1);
}

void TracePlot::previousTrial()
{
    if (m_trial > 0)
        setCurrentTrial(m_trial - 1);
}

void TracePlot::updatePlotHeight()
{
    const int n = std::max(1, channelCount());
    const int needed = n * kMinRowHeight + 40;
    m_plot->setMinimumHeight(needed > m_scroll->viewport()->height() ? needed : 0);
}

void TracePlot::setCursorsVisible(bool on)
{
    if (m_cursorAction->isChecked() != on) {
        m_cursorAction->setChecked(on); // comes back here through toggled
        return;
    }
    const double seconds = trialSeconds();
    if (on && !m_rects.empty() &&
        !(m_cursorT[0] >= 0 && m_cursorT[1] <= seconds && m_cursorT[0] != m_cursorT[1])) {
        const QCPRange r = m_rects.front()->axis(QCPAxis::atBottom)->range();
        m_cursorT[0] = r.lower + 0.25 * r.size();
        m_cursorT[1] = r.lower + 0.75 * r.size();
    }
    updateCursorItems();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool TracePlot::cursorsVisible() const
{
    return m_cursorAction->isChecked();
}

void TracePlot::setCursor(int which, double t)
{
    m_cursorT[which == 0 ? 0 : 1] = t;
    updateCursorItems();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TracePlot::updateCursorItems()
{
    const bool on = cursorsVisible() && !m_rects.empty();
    if (on && m_cursorItems.size() != m_rects.size()) {
        for (auto& [a, b] : m_cursorItems) {
            m_plot->removeItem(a);
            m_plot->removeItem(b);
        }
        m_cursorItems.clear();
        const QColor colours[2] = {QColor(200, 0, 0), QColor(0, 90, 200)};
        for (QCPAxisRect* rect : m_rects) {
            QCPItemStraightLine* lines[2];
            for (int c = 0; c < 2; ++c) {
                auto* line = new QCPItemStraightLine(m_plot);
                line->setClipAxisRect(rect);
                line->setClipToAxisRect(true);
                for (auto* p : {line->point1, line->point2}) {
                    p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
                    p->setAxisRect(rect);
                }
                QPen pen(colours[c], 1, Qt::DashLine);
                pen.setCosmetic(true);
                line->setPen(pen);
                line->setSelectable(false);
                lines[c] = line;
            }
            m_cursorItems.emplace_back(lines[0], lines[1]);
        }
    }
    for (std::size_t i = 0; i < m_cursorItems.size(); ++i) {
        auto [a, b] = m_cursorItems[i];
        a->setVisible(on);
        b->setVisible(on);
        if (!on)
            continue;
        const QCPRange y = m_rects[i]->axis(QCPAxis::atLeft)->range();
        a->point1->setCoords(m_cursorT[0], y.lower);
        a->point2->setCoords(m_cursorT[0], y.upper);
        b->point1->setCoords(m_cursorT[1], y.lower);
        b->point2->setCoords(m_cursorT[1], y.upper);
    }
    updateMeasurement();
}

QString TracePlot::measurementText() const
{
    if (!cursorsVisible() || !m_recording)
        return {};
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    const double dt = m_recording->dt_ms * 1e-3;
    auto num = [&](double v) { return std::isfinite(v) ? locale.toString(v, 'g', 5) : QStringLiteral("–"); };
    QStringList lines;
    lines << tr("C1 %1 s · C2 %2 s · Δt %3 s")
                 .arg(num(std::min(m_cursorT[0], m_cursorT[1])), num(std::max(m_cursorT[0], m_cursorT[1])),
                      num(std::abs(m_cursorT[1] - m_cursorT[0])));
    for (int i = 0; i < channelCount(); ++i) {
        const Channel* ch = shownChannel(i);
        const auto [unit, factor] = displayUnitFor(ch->unit);
        const CursorStats st = measureBetween(ch->samples, dt, m_cursorT[0], m_cursorT[1], factor);
        const QString u = dimensionless(unit) ? QString() : QStringLiteral(" ") + unit;
        lines << tr("%1: Δ %2%6 · mean %3%6 · min %4%6 · max %5%6")
                     .arg(QString::fromStdString(ch->name), num(st.delta), num(st.mean), num(st.min),
                          num(st.max), u);
    }
    return lines.join(QLatin1Char('\n'));
}

void TracePlot::updateMeasurement()
{
    const QString text = measurementText();
    m_measure->setVisible(!text.isEmpty());
    // At most a few lines under the bar; the whole text is in the tooltip.
    QStringList lines = text.split(QLatin1Char('\n'));
    if (lines.size() > 5)
        lines = lines.mid(0, 4) << tr("… (%n more channel(s): see the tooltip)", nullptr,
                                      static_cast<int>(lines.size()) - 4);
    m_measure->setText(lines.join(QLatin1Char('\n')));
    m_measure->setToolTip(text);
}

QString TracePlot::valueAt(int channel, double t) const
{
    const Channel* ch = shownChannel(channel);
    if (!ch || ch->samples.empty())
        return {};
    const double dt = m_recording->dt_ms * 1e-3;
    const auto k = static_cast<std::size_t>(
        std::clamp(std::round(t / dt), 0.0, static_cast<double>(ch->samples.size() - 1)));
    const auto [unit, factor] = displayUnitFor(ch->unit);
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    return tr("t = %1 s · %2 = %3%4")
        .arg(locale.toString(static_cast<double>(k) * dt, 'f', 4), QString::fromStdString(ch->name),
             locale.toString(ch->samples[k] * factor, 'g', 5),
             dimensionless(unit) ? QString() : QStringLiteral(" ") + unit);
}

QString TracePlot::hoverText() const
{
    return m_readout->text();
}

void TracePlot::onMouseMove(QMouseEvent* event)
{
    const int at = rectAt(event->position());
    if (m_dragCursor >= 0 && !m_rects.empty()) {
        const double t = m_rects.front()->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x());
        m_cursorT[m_dragCursor] = std::clamp(t, 0.0, trialSeconds());
        updateCursorItems();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    if (at < 0 || !m_rects[static_cast<std::size_t>(at)]->rect().contains(event->position().toPoint())) {
        m_readout->clear();
        return;
    }
    const double t =
        m_rects[static_cast<std::size_t>(at)]->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x());
    m_readout->setText(valueAt(at, t));
    if (cursorsVisible() && !m_rects.empty()) { // a resize arrow over a cursor says it can be dragged
        QCPAxis* x = m_rects.front()->axis(QCPAxis::atBottom);
        bool near = false;
        for (double c : m_cursorT)
            near = near || std::abs(x->coordToPixel(c) - event->position().x()) <= 5;
        m_plot->setCursor(near || m_dragCursor >= 0 ? Qt::SizeHorCursor : Qt::ArrowCursor);
    }
}

void TracePlot::onMouseRelease(QMouseEvent*)
{
    if (m_dragCursor >= 0) {
        m_dragCursor = -1;
        for (QCPAxisRect* r : m_rects)
            r->setRangeDrag(Qt::Horizontal | Qt::Vertical);
        return;
    }
    recordView(); // a pan or a rectangle zoom ends here (nothing is recorded when nothing moved)
}

bool TracePlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::Leave)
        m_readout->clear();
    return QWidget::eventFilter(watched, event);
}

TracePlot::ViewState TracePlot::currentView() const
{
    ViewState v;
    if (m_rects.empty())
        return v;
    const QCPRange x = m_rects.front()->axis(QCPAxis::atBottom)->range();
    v.x0 = x.lower;
    v.x1 = x.upper;
    for (int i = 0; i < channelCount(); ++i) {
        const QCPRange y = m_rects[static_cast<std::size_t>(i)]->axis(QCPAxis::atLeft)->range();
        v.y.emplace_back(QString::fromStdString(shownChannel(i)->name), std::pair{y.lower, y.upper});
    }
    return v;
}

void TracePlot::applyView(const ViewState& view)
{
    if (m_rects.empty())
        return;
    m_restoringView = true;
    m_rects.front()->axis(QCPAxis::atBottom)->setRange(view.x0, view.x1);
    for (int i = 0; i < channelCount(); ++i) {
        const QString name = QString::fromStdString(shownChannel(i)->name);
        for (const auto& [n, r] : view.y)
            if (n == name)
                m_rects[static_cast<std::size_t>(i)]->axis(QCPAxis::atLeft)->setRange(r.first, r.second);
    }
    m_restoringView = false;
    updateCursorItems();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TracePlot::recordView()
{
    if (m_restoringView || m_rects.empty() || m_fitPending == FitPending::All)
        return;
    const ViewState v = currentView();
    if (m_historyPos >= 0) {
        const ViewState& last = m_history[static_cast<std::size_t>(m_historyPos)];
        if (last.x0 == v.x0 && last.x1 == v.x1 && last.y == v.y)
            return;
    }
    m_history.resize(static_cast<std::size_t>(m_historyPos) + 1); // a new zoom drops the forward ones
    m_history.push_back(v);
    if (m_history.size() > 100)
        m_history.erase(m_history.begin());
    m_historyPos = static_cast<int>(m_history.size()) - 1;
    m_backAction->setEnabled(canZoomBack());
    m_forwardAction->setEnabled(canZoomForward());
    updateCursorItems();
}

void TracePlot::zoomBack()
{
    m_historyTimer->stop();
    recordView(); // a zoom not yet recorded (the wheel still settling) is the one to go back from
    if (!canZoomBack())
        return;
    applyView(m_history[static_cast<std::size_t>(--m_historyPos)]);
    m_backAction->setEnabled(canZoomBack());
    m_forwardAction->setEnabled(canZoomForward());
}

void TracePlot::zoomForward()
{
    if (!canZoomForward())
        return;
    applyView(m_history[static_cast<std::size_t>(++m_historyPos)]);
    m_backAction->setEnabled(canZoomBack());
    m_forwardAction->setEnabled(canZoomForward());
}

QString TracePlot::valuesText(int maxRows) const
{
    if (!m_recording || m_rects.empty())
        return {};
    const double dt = m_recording->dt_ms * 1e-3;
    double a = 0, b = 0;
    if (cursorsVisible()) {
        a = std::min(m_cursorT[0], m_cursorT[1]);
        b = std::max(m_cursorT[0], m_cursorT[1]);
    } else {
        const QCPRange x = m_rects.front()->axis(QCPAxis::atBottom)->range();
        a = x.lower;
        b = x.upper;
    }
    QStringList header{tr("time [s]")};
    std::vector<std::pair<const Channel*, double>> columns;
    std::size_t length = 0;
    for (int i = 0; i < channelCount(); ++i) {
        const Channel* ch = shownChannel(i);
        header << labelFor(*ch);
        columns.emplace_back(ch, displayUnitFor(ch->unit).second);
        length = std::max(length, ch->samples.size());
    }
    if (length == 0)
        return header.join(QLatin1Char('\t'));
    const auto k0 =
        static_cast<std::size_t>(std::clamp(std::ceil(a / dt - 1e-9), 0.0, static_cast<double>(length - 1)));
    const auto k1 =
        static_cast<std::size_t>(std::clamp(std::floor(b / dt + 1e-9), 0.0, static_cast<double>(length - 1)));
    QString out = header.join(QLatin1Char('\t')) + QLatin1Char('\n');
    const QLocale c = QLocale::c(); // values for spreadsheets and scripts: a point, no grouping
    int rows = 0;
    for (std::size_t k = k0; k <= k1 && rows < maxRows; ++k, ++rows) {
        out += c.toString(static_cast<double>(k) * dt, 'g', 10);
        for (const auto& [ch, factor] : columns) {
            out += QLatin1Char('\t');
            if (k < ch->samples.size())
                out += c.toString(ch->samples[k] * factor, 'g', 8);
        }
        out += QLatin1Char('\n');
    }
    return out;
}

void TracePlot::copyValues()
{
    const QString text = valuesText();
    QApplication::clipboard()->setText(text);
    m_readout->setText(tr("Copied %n row(s) of values", nullptr,
                          std::max(0, static_cast<int>(text.count(QLatin1Char('\n'))) - 1)));
}

QMenu* TracePlot::contextMenu()
{
    if (!m_menu)
        m_menu = new QMenu(this);
    m_menu->clear();
    m_menu->addAction(tr("&Fit"), this, &TracePlot::fit);
    m_menu->addAction(m_backAction);
    m_menu->addAction(m_forwardAction);
    m_menu->addSeparator();
    m_menu->addAction(m_cursorAction);
    if (trialCount() > 1) {
        m_menu->addAction(m_overlayAction);
        m_menu->addAction(m_averageAction);
        QAction* prev = m_menu->addAction(tr("&Previous sweep"), this, &TracePlot::previousTrial);
        prev->setEnabled(m_trial > 0);
        QAction* next = m_menu->addAction(tr("&Next sweep"), this, &TracePlot::nextTrial);
        next->setEnabled(m_trial + 1 < trialCount());
    }
    m_menu->addAction(m_mappedOnlyAction);
    const int row = rectAt(m_plot->mapFromGlobal(QCursor::pos()));
    if (row >= 0 && channelCount() > 1) {
        const QString name = shownChannels()[row];
        QAction* up =
            m_menu->addAction(tr("Move %1 &up").arg(name), this, [this, name]() { moveChannel(name, -1); });
        up->setEnabled(row > 0);
        QAction* down =
            m_menu->addAction(tr("Move %1 &down").arg(name), this, [this, name]() { moveChannel(name, +1); });
        down->setEnabled(row + 1 < channelCount());
    }
    m_menu->addSeparator();
    m_menu->addAction(cursorsVisible() ? tr("&Copy values between the cursors") : tr("&Copy values in view"),
                      this, &TracePlot::copyValues);
    m_menu->addAction(tr("&Export this plot…"), this, &TracePlot::exportRequested);
    return m_menu;
}

} // namespace rmm
