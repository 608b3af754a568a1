// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/conductance_map.hpp"
#include "widgets/plot_locale.hpp"

#include "engine/core/error.hpp"
#include "engine/core/progress.hpp"
#include "widgets/zero_contour.hpp"

#include <qcustomplot.h>

#include <QFutureWatcher>
#include <QLocale>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>

namespace rmm {
namespace {

double toHz(double omegaRadPerMs)
{
    return omegaRadPerMs / (2 * std::numbers::pi) * 1000.0;
}

struct Outcome {
    std::optional<AdmittanceMap> map;
    QString error;
    bool cancelled = false;
};

/// Red for negative, white at 0, blue for positive (used with a symmetric data range).
QCPColorGradient divergingGradient()
{
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(165, 0, 38));
    g.setColorStopAt(0.25, QColor(244, 109, 67));
    g.setColorStopAt(0.5, QColor(255, 255, 255));
    g.setColorStopAt(0.75, QColor(116, 173, 209));
    g.setColorStopAt(1.0, QColor(49, 54, 149));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    return g;
}

/// Ticks of a log10 axis: labelled decades, unlabelled 2..9 in between.
QSharedPointer<QCPAxisTickerText> logTicker(double lo, double hi)
{
    QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
    for (int d = static_cast<int>(std::floor(lo)); d <= static_cast<int>(std::ceil(hi)); ++d)
        for (int m = 1; m <= 9; ++m) {
            const double pos = d + std::log10(static_cast<double>(m));
            if (pos < lo - 1e-9 || pos > hi + 1e-9)
                continue;
            t->addTick(pos, m == 1 ? plotLocale().toString(std::pow(10.0, d), 'g', 6) : QString());
        }
    t->setSubTickCount(0);
    return t;
}

void styleAxisRect(QCPAxisRect* r, const QString& xLabel, const QString& yLabel)
{
    r->axis(QCPAxis::atBottom)->setLabel(xLabel);
    r->axis(QCPAxis::atLeft)->setLabel(yLabel);
    r->axis(QCPAxis::atTop)->setVisible(true);
    r->axis(QCPAxis::atRight)->setVisible(true);
    r->axis(QCPAxis::atTop)->setTickLabels(false);
    r->axis(QCPAxis::atRight)->setTickLabels(false);
    for (auto* ax : r->axes())
        ax->grid()->setVisible(false);
}

QCPColorScale* addScale(QCustomPlot* plot, int row, int col, QCPColorMap* map, const QString& label,
                        QCPMarginGroup* mg)
{
    auto* scale = new QCPColorScale(plot);
    plot->plotLayout()->addElement(row, col, scale);
    scale->setType(QCPAxis::atRight);
    scale->setBarWidth(12);
    scale->axis()->setLabel(label);
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, mg);
    map->setColorScale(scale);
    map->setGradient(divergingGradient());
    map->setInterpolate(false);
    map->setTightBoundary(false);
    return scale;
}

} // namespace

struct ConductanceMap::Job {
    std::atomic<bool> cancel{false};
    QFuture<Outcome> future;
};

namespace {
class FlagProgress final : public Progress {
  public:
    explicit FlagProgress(const std::atomic<bool>& flag) : flag_(flag) {}
    bool report(double, const std::string&) override { return !flag_.load(); }

  private:
    const std::atomic<bool>& flag_;
};
} // namespace

ConductanceMap::ConductanceMap(QWidget* parent) : QWidget(parent)
{
    plot_ = new QCustomPlot(this);
    plot_->setLocale(plotLocale());
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(plot_);
    setMinimumSize(480, 360);

    auto* layout = plot_->plotLayout();
    layout->clear();
    const QString vLabel = tr("membrane voltage v (mV)");
    const QString us = QString::fromUtf8("\u00b5S");

    auto* gTitle =
        new QCPTextElement(plot_, tr("conductance G(v, f)"), QFont(font().family(), 10, QFont::Bold));
    auto* bTitle =
        new QCPTextElement(plot_, tr("susceptance B(v, f)"), QFont(font().family(), 10, QFont::Bold));
    layout->addElement(0, 0, gTitle);
    layout->addElement(0, 2, bTitle);

    auto* mgTop = new QCPMarginGroup(plot_);
    auto* mgLeft = new QCPMarginGroup(plot_);
    auto* mgRight = new QCPMarginGroup(plot_);
    gRect_ = new QCPAxisRect(plot_);
    bRect_ = new QCPAxisRect(plot_);
    ivRect_ = new QCPAxisRect(plot_);
    gvRect_ = new QCPAxisRect(plot_);
    layout->addElement(1, 0, gRect_);
    layout->addElement(1, 2, bRect_);
    layout->addElement(2, 0, ivRect_);
    layout->addElement(2, 2, gvRect_);
    styleAxisRect(gRect_, vLabel, tr("frequency (Hz)"));
    styleAxisRect(bRect_, vLabel, tr("frequency (Hz)"));
    styleAxisRect(ivRect_, vLabel, tr("steady-state current u\u221e (nA)"));
    styleAxisRect(gvRect_, vLabel, tr("steady-state conductance G\u221e (%1)").arg(us));
    for (auto* r : {gRect_, bRect_})
        r->setMarginGroup(QCP::msTop | QCP::msBottom, mgTop);
    gRect_->setMarginGroup(QCP::msLeft, mgLeft);
    ivRect_->setMarginGroup(QCP::msLeft, mgLeft);
    bRect_->setMarginGroup(QCP::msLeft, mgRight);
    gvRect_->setMarginGroup(QCP::msLeft, mgRight);

    gMap_ = new QCPColorMap(gRect_->axis(QCPAxis::atBottom), gRect_->axis(QCPAxis::atLeft));
    bMap_ = new QCPColorMap(bRect_->axis(QCPAxis::atBottom), bRect_->axis(QCPAxis::atLeft));
    gScale_ = addScale(plot_, 1, 1, gMap_, tr("G (%1)").arg(us), mgTop);
    bScale_ = addScale(plot_, 1, 3, bMap_, tr("B (%1)").arg(us), mgTop);
    layout->setColumnStretchFactors({1.0, 0.05, 1.0, 0.05});
    layout->setRowStretchFactors({0.01, 1.6, 1.0});

    contour_ = new QCPCurve(gRect_->axis(QCPAxis::atBottom), gRect_->axis(QCPAxis::atLeft));
    contour_->setPen(QPen(Qt::black, 1.5));
    contour_->setName(tr("G = 0"));

    auto marks = [&](QCPAxisRect* r, QCPScatterStyle::ScatterShape shape, QColor fill) {
        QCPGraph* g = plot_->addGraph(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(shape, QPen(Qt::black, 1.2), QBrush(fill), 9));
        return g;
    };
    nsMarks_ = marks(gRect_, QCPScatterStyle::ssCircle, QColor(255, 215, 0));
    foldMarks_ = marks(gRect_, QCPScatterStyle::ssTriangle, QColor(255, 215, 0));

    iv_ = plot_->addGraph(ivRect_->axis(QCPAxis::atBottom), ivRect_->axis(QCPAxis::atLeft));
    iv_->setPen(QPen(QColor(30, 30, 30), 1.6));
    gvZero_ = plot_->addGraph(gvRect_->axis(QCPAxis::atBottom), gvRect_->axis(QCPAxis::atLeft));
    gvZero_->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    gv_ = plot_->addGraph(gvRect_->axis(QCPAxis::atBottom), gvRect_->axis(QCPAxis::atLeft));
    gv_->setPen(QPen(QColor(30, 30, 30), 1.6));
    gvFolds_ = marks(gvRect_, QCPScatterStyle::ssTriangle, QColor(255, 215, 0));

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    connect(plot_, &QCustomPlot::mouseMove, this, &ConductanceMap::onMouseMove);
}

ConductanceMap::~ConductanceMap()
{
    if (running_) {
        running_->cancel = true;
        running_->future.waitForFinished();
    }
}

void ConductanceMap::setModel(const CircuitModel& model)
{
    model_ = model;
    scheduleRecompute();
}

void ConductanceMap::setNeuron(int neuron)
{
    neuron_ = neuron;
    scheduleRecompute();
}

void ConductanceMap::setGrid(const AdmittanceSettings& settings)
{
    settings_ = settings;
    scheduleRecompute();
}

bool ConductanceMap::busy() const
{
    return running_ != nullptr || scheduled_;
}

void ConductanceMap::scheduleRecompute()
{
    // Coalesce several setters called in a row into one computation.
    if (scheduled_)
        return;
    scheduled_ = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            scheduled_ = false;
            startJob();
        },
        Qt::QueuedConnection);
}

void ConductanceMap::startJob()
{
    if (!model_)
        return;
    if (running_)
        running_->cancel = true; // superseded: it stops at its next progress report
    auto job = std::make_shared<Job>();
    const quint64 gen = ++generation_;
    job->future = QtConcurrent::run([job, model = *model_, neuron = neuron_, s = settings_]() {
        Outcome o;
        try {
            FlagProgress progress(job->cancel);
            o.map = analyzeNeuron(model, neuron, s, &progress);
        } catch (const Cancelled&) {
            o.cancelled = true;
        } catch (const std::exception& e) {
            o.error = QString::fromStdString(e.what());
        }
        return o;
    });
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen, job] {
        watcher->deleteLater();
        if (running_ == job)
            running_.reset();
        const Outcome o = watcher->result();
        if (gen != generation_ || o.cancelled)
            return;
        if (o.map)
            display(*o.map);
        else
            showFailure(o.error);
    });
    watcher->setFuture(job->future);
    running_ = job;
}

void ConductanceMap::showFailure(const QString& message)
{
    error_ = message;
    emit failed(message);
}

void ConductanceMap::display(const AdmittanceMap& map)
{
    error_.clear();
    const int nv = static_cast<int>(map.v.size()), nw = static_cast<int>(map.omega.size());
    std::vector<double> ly(static_cast<std::size_t>(nw));
    for (int k = 0; k < nw; ++k)
        ly[static_cast<std::size_t>(k)] = std::log10(toHz(map.omega[static_cast<std::size_t>(k)]));
    const double v0 = map.v.front(), v1 = map.v.back(), y0 = ly.front(), y1 = ly.back();
    const double hv = nv > 1 ? 0.5 * (v1 - v0) / (nv - 1) : 0.5,
                 hy = nw > 1 ? 0.5 * (y1 - y0) / (nw - 1) : 0.5;

    auto fill = [&](QCPColorMap* cm, const Eigen::MatrixXd& M) {
        cm->data()->setSize(nv, nw);
        cm->data()->setRange(QCPRange(v0, v1), QCPRange(y0, y1));
        for (int ix = 0; ix < nv; ++ix)
            for (int iy = 0; iy < nw; ++iy)
                cm->data()->setCell(ix, iy, M(iy, ix));
        double m = M.size() ? M.cwiseAbs().maxCoeff() : 0.0;
        if (!(m > 0) || !std::isfinite(m))
            m = 1e-12;
        cm->setDataRange(QCPRange(-m, m)); // symmetric: white is exactly 0
    };
    fill(gMap_, map.G);
    fill(bMap_, map.B);
    for (auto* r : {gRect_, bRect_}) {
        r->axis(QCPAxis::atBottom)->setRange(v0 - hv, v1 + hv);
        r->axis(QCPAxis::atLeft)->setRange(y0 - hy, y1 + hy);
        r->axis(QCPAxis::atLeft)->setTicker(logTicker(y0 - hy, y1 + hy));
        r->axis(QCPAxis::atRight)->setRange(y0 - hy, y1 + hy);
        r->axis(QCPAxis::atRight)->setTicker(logTicker(y0 - hy, y1 + hy));
    }

    // G = 0 contour: segments separated by NaN gaps in one curve.
    const auto segs = zeroContour(map.G, map.v, ly);
    contourCount_ = static_cast<int>(segs.size());
    QVector<QCPCurveData> cdata;
    cdata.reserve(static_cast<qsizetype>(segs.size()) * 3);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    double t = 0;
    for (const auto& s : segs) {
        cdata.append(QCPCurveData(t++, s.x0, s.y0));
        cdata.append(QCPCurveData(t++, s.x1, s.y1));
        cdata.append(QCPCurveData(t++, nan, nan));
    }
    contour_->data()->set(cdata, true);

    QVector<double> nsx, nsy, fx, fy, fz;
    for (const auto& c : map.candidates) {
        if (c.kind == CandidateKind::NeimarkSacker) {
            nsx.append(c.vMv);
            nsy.append(std::log10(toHz(c.omegaRadPerMs)));
        } else {
            fx.append(c.vMv);
            fy.append(y0); // w = 0 lies below the log axis: mark folds on the lowest frequency row
            fz.append(0.0);
        }
    }
    nsMarks_->setData(nsx, nsy);
    foldMarks_->setData(fx, fy);
    gvFolds_->setData(fx, fz);

    QVector<double> vv(map.v.begin(), map.v.end()), iv(map.iv.begin(), map.iv.end()),
        gv(map.gv.begin(), map.gv.end());
    iv_->setData(vv, iv, true);
    gv_->setData(vv, gv, true);
    gvZero_->setData(QVector<double>{v0, v1}, QVector<double>{0.0, 0.0}, true);
    for (auto* r : {ivRect_, gvRect_})
        r->axis(QCPAxis::atBottom)->setRange(v0 - hv, v1 + hv);
    iv_->rescaleValueAxis(false, true);
    gv_->rescaleValueAxis(false, true);
    auto pad = [](QCPAxis* ax, bool includeZero) {
        QCPRange r = ax->range();
        if (includeZero) {
            r.lower = std::min(r.lower, 0.0);
            r.upper = std::max(r.upper, 0.0);
        }
        const double m = r.size() > 0 ? 0.06 * r.size() : 1e-3;
        ax->setRange(r.lower - m, r.upper + m);
    };
    pad(ivRect_->axis(QCPAxis::atLeft), false);
    pad(gvRect_->axis(QCPAxis::atLeft), true);

    result_ = map;
    plot_->replot(QCustomPlot::rpQueuedReplot);
    emit computed();
}

QString ConductanceMap::tooltipAt(double vMv, double log10Hz, double pixelTolerance) const
{
    if (!result_)
        return {};
    const auto* xa = gRect_->axis(QCPAxis::atBottom);
    const auto* ya = gRect_->axis(QCPAxis::atLeft);
    const double px = xa->coordToPixel(vMv), py = ya->coordToPixel(log10Hz);
    const double yBottom = std::log10(toHz(result_->omega.front())); // where folds are marked
    const BifurcationCandidate* best = nullptr;
    double bestDist = pixelTolerance;
    for (const auto& c : result_->candidates) {
        const double cy = c.kind == CandidateKind::Fold ? yBottom : std::log10(toHz(c.omegaRadPerMs));
        const double d = std::hypot(xa->coordToPixel(c.vMv) - px, ya->coordToPixel(cy) - py);
        if (d <= bestDist) {
            bestDist = d;
            best = &c;
        }
    }
    if (best) {
        if (best->kind == CandidateKind::Fold)
            return tr("fold (saddle-node) candidate\nv = %1 mV\nf = 0 Hz (G\u221e(v) = 0)")
                .arg(QLocale().toString(best->vMv, 'f', 3));
        const QLocale l;
        return tr("Neimark-Sacker candidate\nv = %1 mV\nf = %2 Hz (\u03c9 = %3 rad/ms)")
            .arg(l.toString(best->vMv, 'f', 3), l.toString(toHz(best->omegaRadPerMs), 'g', 4),
                 l.toString(best->omegaRadPerMs, 'g', 4));
    }
    double G = 0, B = 0;
    int kx = 0, ky = 0;
    gMap_->data()->coordToCell(vMv, log10Hz, &kx, &ky);
    if (kx < 0 || ky < 0 || kx >= gMap_->data()->keySize() || ky >= gMap_->data()->valueSize())
        return {};
    G = gMap_->data()->cell(kx, ky);
    B = bMap_->data()->cell(kx, ky);
    const QString us = QString::fromUtf8("\u00b5S");
    const QLocale l;
    return tr("v = %1 mV, f = %2 Hz\nG = %3 %5, B = %4 %5")
        .arg(l.toString(result_->v[static_cast<std::size_t>(kx)], 'f', 2),
             l.toString(toHz(result_->omega[static_cast<std::size_t>(ky)]), 'g', 4), l.toString(G, 'g', 4),
             l.toString(B, 'g', 4), us);
}

void ConductanceMap::onMouseMove(QMouseEvent* event)
{
    const QPointF pos = event->position();
    if (!gRect_->rect().contains(pos.toPoint())) {
        QToolTip::hideText();
        return;
    }
    const double v = gRect_->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
    const double y = gRect_->axis(QCPAxis::atLeft)->pixelToCoord(pos.y());
    const QString text = tooltipAt(v, y);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
}

} // namespace rmm
