// SPDX-License-Identifier: GPL-3.0-or-later
// Conductance-map widget: background computation, colour map size and symmetric range, zero
// contour, candidate tooltips, PNG export; and the marching-squares contour on a known field.
#include "common/fixtures.hpp"
#include "engine/model/circuit_model.hpp"
#include "widgets/conductance_map.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/zero_contour.hpp"

#include <qcustomplot.h>

#include <QImage>
#include <QSignalSpy>
#include <QtTest>

#include <cmath>
#include <numbers>

using namespace rmm;

namespace {

std::vector<double> paperIntrinsic()
{
    std::vector<double> t;
    for (int k = 1; k <= 8; ++k)
        t.insert(t.end(), {0.2 * k, 2.0 * k, 10.0 + 10.0 * k, 200.0 * k - 100});
    return t;
}

/// A random two-neuron model with amplified MLPs and a weak leak, so that the map has both signs.
CircuitModel demoModel(std::uint64_t seed)
{
    ModelConfig cfg;
    cfg.neurons = 2;
    cfg.intrinsic_taus_ms = paperIntrinsic();
    cfg.synaptic_taus_ms = {1, 10, 50};
    cfg.intrinsic_hidden = {10, 10};
    cfg.lumped_hidden = {4};
    cfg.synapses = {{0, 1, SynapseKind::Lumped}, {1, 0, SynapseKind::Lumped}};
    auto m = CircuitModel::initialize(cfg, 0.1, seed);
    std::vector<InputNormalisation> qs(2);
    const double lo = -65, hi = -35;
    for (auto& q : qs) {
        q.v_lo = lo;
        q.v_hi = hi;
        const auto fill = [&](const FilterBank& b, Eigen::VectorXd& l, Eigen::VectorXd& h) {
            l = b.dcGain() * lo;
            h = b.dcGain() * hi;
        };
        fill(m.intrinsicBank(), q.w_lo, q.w_hi);
        fill(m.synapticBank(), q.z_lo, q.z_hi);
    }
    m.setNormalisation(qs);
    for (int b = 0; b < static_cast<int>(m.blocks().size()); ++b)
        if (m.blocks()[static_cast<std::size_t>(b)].kind == ParamKind::MlpReadout)
            for (long k = 0; k < m.blocks()[static_cast<std::size_t>(b)].size(); ++k)
                m.blockData(b)[k] *= 5;
    for (int i = 0; i < 2; ++i) {
        *m.blockData(m.neuronIndex(i).g) = inverseSoftplus(0.05);
        *m.blockData(m.neuronIndex(i).a) = inverseSoftplus(20.0);
    }
    return m;
}

} // namespace

class TestConductanceMap : public QObject {
    Q_OBJECT
  private slots:
    void marchingSquaresFindsACircle();
    void computesAndDraws();
    void recomputesOnGridChangeAndReportsErrors();
    void destroyWhileBusy();
};

void TestConductanceMap::marchingSquaresFindsACircle()
{
    const int n = 81;
    std::vector<double> x(n), y(n);
    for (int k = 0; k < n; ++k)
        x[static_cast<std::size_t>(k)] = y[static_cast<std::size_t>(k)] = -2 + 4.0 * k / (n - 1);
    Eigen::MatrixXd f(n, n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
            f(r, c) = x[static_cast<std::size_t>(c)] * x[static_cast<std::size_t>(c)] +
                      y[static_cast<std::size_t>(r)] * y[static_cast<std::size_t>(r)] - 1;
    const auto segs = zeroContour(f, x, y);
    QVERIFY(segs.size() > 40);
    double length = 0;
    for (const auto& s : segs) {
        QVERIFY(std::abs(std::hypot(s.x0, s.y0) - 1) < 2e-3);
        QVERIFY(std::abs(std::hypot(s.x1, s.y1) - 1) < 2e-3);
        length += std::hypot(s.x1 - s.x0, s.y1 - s.y0);
    }
    QVERIFY(std::abs(length - 2 * std::numbers::pi) < 0.01); // the segments close the circle
    QVERIFY(zeroContour(Eigen::MatrixXd::Ones(5, 5), std::vector<double>(5), std::vector<double>(5)).empty());
    QVERIFY(zeroContour(f, x, std::vector<double>(3)).empty());
}

void TestConductanceMap::computesAndDraws()
{
    ConductanceMap w;
    w.resize(1100, 800);
    QSignalSpy spy(&w, &ConductanceMap::computed);
    AdmittanceSettings s;
    s.vStep = 0.2;
    s.wCount = 120;
    w.setModel(demoModel(1));
    w.setNeuron(1);
    w.setGrid(s);
    QVERIFY(spy.wait(60000));
    QCOMPARE(spy.count(), 1); // the three setters were coalesced into one computation
    QVERIFY(w.lastError().isEmpty());
    QVERIFY(w.result().has_value());
    const AdmittanceMap& r = *w.result();
    QCOMPARE(r.neuron, 1);

    auto* cm = w.conductanceMap();
    QCOMPARE(cm->data()->keySize(), 126);
    QCOMPARE(cm->data()->valueSize(), 120);
    const QCPRange range = cm->dataRange();
    QCOMPARE(range.lower, -range.upper);
    QVERIFY(rmmtest::near(range.upper, r.G.cwiseAbs().maxCoeff(), 0, 1e-15));
    QCOMPARE(cm->data()->cell(37, 81), r.G(81, 37));
    QCOMPARE(w.susceptanceMap()->data()->cell(37, 81), r.B(81, 37));
    const QCPRange bRange = w.susceptanceMap()->dataRange();
    QCOMPARE(bRange.lower, -bRange.upper);
    // The y axis is log10 of the frequency in Hz.
    const double fTop = 20.0 / (2 * std::numbers::pi) * 1000;
    QVERIFY(rmmtest::near(cm->data()->valueRange().upper, std::log10(fTop), 1e-12));
    // Colours: negative red, zero white, positive blue.
    const QRgb neg = cm->gradient().color(-range.upper, range),
               pos = cm->gradient().color(range.upper, range);
    const QRgb mid = cm->gradient().color(0.0, range);
    QVERIFY(qRed(neg) > qBlue(neg));
    QVERIFY(qBlue(pos) > qRed(pos));
    QVERIFY(qRed(mid) > 250 && qGreen(mid) > 250 && qBlue(mid) > 250);

    const bool bothSigns = r.G.minCoeff() < 0 && r.G.maxCoeff() > 0;
    QVERIFY(bothSigns); // the demo model is chosen to have an excitable region
    QVERIFY(w.contourSegments() > 0);
    qInfo("map: G in [%.3g, %.3g] uS, %d contour segments, %d candidates", r.G.minCoeff(), r.G.maxCoeff(),
          w.contourSegments(), int(r.candidates.size()));

    const QString dir = rmmtest::scratchDir("conductance_map");
    const QString png = dir + "/conductance_map.png";
    FigureOptions o; // the figure export's defaults: 180 x 120 mm at 300 dpi
    QString error;
    QVERIFY2(exportFigure({w.plot()}, png, o, &error), qPrintable(error));
    QImage img(png);
    QCOMPARE(img.size(), QSize(pixelsFor(o.width_mm, o.dpi), pixelsFor(o.height_mm, o.dpi)));
    qInfo("wrote %s", qPrintable(png));

    // Tooltips name the candidates (at their own position the nearest marker is themselves).
    for (const auto& c : r.candidates) {
        if (c.kind == CandidateKind::Fold) { // marked on the lowest frequency row
            const QString tip =
                w.tooltipAt(c.vMv, std::log10(r.omega.front() / (2 * std::numbers::pi) * 1000));
            QVERIFY2(tip.contains("fold"), qPrintable(tip));
            continue;
        }
        const QString tip = w.tooltipAt(c.vMv, std::log10(c.omegaRadPerMs / (2 * std::numbers::pi) * 1000));
        QVERIFY2(tip.contains("Neimark-Sacker"), qPrintable(tip));
        QVERIFY2(tip.contains(QString::number(c.vMv, 'f', 3)), qPrintable(tip));
    }
    const QString cellTip = w.tooltipAt(-50.0, 1.0, 0.0);
    QVERIFY2(cellTip.contains("G =") || cellTip.contains("candidate"), qPrintable(cellTip));
}

void TestConductanceMap::recomputesOnGridChangeAndReportsErrors()
{
    ConductanceMap w;
    QSignalSpy done(&w, &ConductanceMap::computed);
    QSignalSpy failed(&w, &ConductanceMap::failed);
    AdmittanceSettings s;
    s.vStep = 0.5;
    s.wCount = 30;
    w.setGrid(s);
    w.setModel(demoModel(2));
    QVERIFY(done.wait(60000));
    QCOMPARE(w.conductanceMap()->data()->keySize(), 51);
    s.vMin = -50;
    s.wCount = 17;
    w.setGrid(s);
    QVERIFY(done.wait(60000));
    QCOMPARE(w.conductanceMap()->data()->keySize(), 31);
    QCOMPARE(w.conductanceMap()->data()->valueSize(), 17);
    s.wMax = 100; // above the Nyquist frequency of dt = 0.1 ms
    w.setGrid(s);
    QVERIFY(failed.wait(60000));
    QVERIFY(w.lastError().contains("Nyquist"));
    w.setNeuron(5);
    s.wMax = 20;
    w.setGrid(s);
    QVERIFY(failed.wait(60000));
    QVERIFY(w.lastError().contains("neuron 6"));
}

void TestConductanceMap::destroyWhileBusy()
{
    auto* w = new ConductanceMap;
    w->setModel(demoModel(3));
    QTest::qWait(1);
    QVERIFY(w->busy());
    delete w; // cancels and waits for the worker; must not crash
}

QTEST_MAIN(TestConductanceMap)
#include "test_conductance_map.moc"
