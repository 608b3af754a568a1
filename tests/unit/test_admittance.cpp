// SPDX-License-Identifier: GPL-3.0-or-later
// Admittance analysis (docs/method.md section 6): identities, closed forms and a simulation check.
#include "common/fixtures.hpp"
#include "engine/analysis/admittance.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/store/model_file.hpp"

#include <Eigen/Dense>
#include <QElapsedTimer>
#include <QtTest>

#include <cmath>
#include <complex>
#include <numbers>

using namespace rmm;

namespace {

/// A config with every list filled explicitly (no reliance on finalize()).
ModelConfig smallConfig(SynapseKind kind, std::vector<double> intTaus, std::vector<double> synTaus,
                        std::vector<int> hidden)
{
    ModelConfig cfg;
    cfg.neurons = 2;
    cfg.intrinsic_taus_ms = std::move(intTaus);
    cfg.synaptic_taus_ms = std::move(synTaus);
    cfg.intrinsic_hidden = hidden;
    cfg.lumped_hidden = {6, 6};
    cfg.conductance_hidden = 5;
    cfg.synapses = {{0, 1, kind}, {1, 0, kind}};
    return cfg;
}

/// The paper's banks (docs/method.md section 2): fast+slow {0.2k} U {2k} U {10+10k}, ultraslow {200k - 100}.
std::vector<double> paperFastSlow()
{
    std::vector<double> t;
    for (int k = 1; k <= 8; ++k)
        t.insert(t.end(), {0.2 * k, 2.0 * k, 10.0 + 10.0 * k});
    return t;
}

std::vector<double> paperIntrinsic()
{
    auto t = paperFastSlow();
    for (int k = 1; k <= 8; ++k)
        t.push_back(200.0 * k - 100);
    return t;
}

/// Closed-form DC gain of state k of the all-pass cascade: every section passes DC with gain 1,
/// so x_k = sqrt(1 - p^2) / (1 - p) = sqrt((1 + p) / (1 - p)) per unit input.
Eigen::VectorXd closedFormDcGain(const std::vector<double>& taus, double dt)
{
    Eigen::VectorXd g(static_cast<long>(taus.size()));
    for (std::size_t k = 0; k < taus.size(); ++k) {
        const double p = std::exp(-dt / taus[k]);
        g[static_cast<long>(k)] = std::sqrt((1 + p) / (1 - p));
    }
    return g;
}

/// Normalisation that maps the steady states of v in [lo, hi] to [-1, 1].
void normaliseFor(CircuitModel& m, double lo, double hi)
{
    const auto wdc = closedFormDcGain(m.config().intrinsic_taus_ms, m.dtMs());
    const auto zdc = closedFormDcGain(m.config().synaptic_taus_ms, m.dtMs());
    std::vector<InputNormalisation> qs(static_cast<std::size_t>(m.neurons()));
    for (auto& q : qs) {
        q.v_lo = lo;
        q.v_hi = hi;
        q.w_lo = wdc * lo;
        q.w_hi = wdc * hi;
        q.z_lo = zdc * lo;
        q.z_hi = zdc * hi;
    }
    m.setNormalisation(qs);
}

void scaleReadouts(CircuitModel& m, double factor)
{
    for (int b = 0; b < static_cast<int>(m.blocks().size()); ++b)
        if (m.blocks()[static_cast<std::size_t>(b)].kind == ParamKind::MlpReadout)
            for (long k = 0; k < m.blocks()[static_cast<std::size_t>(b)].size(); ++k)
                m.blockData(b)[k] *= factor;
}

AdmittanceSettings coarseGrid()
{
    AdmittanceSettings s;
    s.vStep = 0.25;
    s.wCount = 60;
    return s;
}

} // namespace

class TestAdmittance : public QObject {
    Q_OBJECT
  private slots:
    void matchesTheEngineForwardPass_data();
    void matchesTheEngineForwardPass();
    void gInfIsTheIvDerivative_data();
    void gInfIsTheIvDerivative();
    void ohmicModelHasConstantAdmittance();
    void tanhModelFoldsInClosedForm();
    void sinusoidResponseMatchesAdmittance();
    void candidatesSolveTheBifurcationEquation();
    void writesHdf5();
    void savedModelGivesTheSameMap();
    void rejectsBadInput();
};

void TestAdmittance::matchesTheEngineForwardPass_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("lumped synapses") << 0;
    QTest::newRow("conductance synapses") << 1;
}

void TestAdmittance::matchesTheEngineForwardPass()
{
    // The engine's own simulation as an observer with gamma = 1 evaluates the currents on the
    // measured voltage. Both neurons get the same voltage (constant, then a chirp-like wave), so
    // h of this file, stepped with its own A and B from x_inf, must reproduce i_int + i_leak
    // (+ the synapses onto the neuron, with --with-synapses) sample by sample.
    QFETCH(int, kind);
    auto cfg = smallConfig(kind == 0 ? SynapseKind::Lumped : SynapseKind::Conductance, {0.4, 2, 8, 30, 120},
                           {1, 10}, {10, 10});
    auto m = CircuitModel::initialize(cfg, 0.1, 21);
    normaliseFor(m, -65, -35);
    scaleReadouts(m, 3.0);
    const long n0 = 2000, n = 3000;
    Dataset d;
    d.dt_ms = 0.1;
    d.neurons = 2;
    TrialData tr;
    tr.name = "synthetic";
    tr.v.resize(2, n0 + n);
    tr.u = Eigen::MatrixXd::Zero(2, n0 + n);
    for (long t = 0; t < n0 + n; ++t) {
        const double s = t < n0 ? 0.0 : static_cast<double>(t - n0);
        const double v = -50 + 8 * std::sin(0.01 * s + 2e-5 * s * s); // -50 mV, then a chirp
        tr.v(0, t) = tr.v(1, t) = v;
    }
    d.trials.push_back(tr);
    const Segment seg{0, n0, n0 + n};
    d.train = {seg};
    d.validation = seg;
    const SimulationResult sim = simulate(m, d, seg, 1.0);
    for (int neuron = 0; neuron < 2; ++neuron)
        for (bool syn : {false, true}) {
            const MembraneCurrent mc = membraneCurrent(m, neuron, syn);
            Eigen::VectorXd x = mc.dcGain() * -50.0;
            double worst = 0;
            for (long k = 0; k < n; ++k) {
                const double v = tr.v(neuron, n0 + k);
                double ref = sim.i_int(neuron, k) + sim.i_leak(neuron, k);
                if (syn)
                    for (int s = 0; s < m.synapseCount(); ++s)
                        if (m.synapseIndex(s).config.post == neuron)
                            ref += sim.i_syn(s, k);
                const double h = mc.value(v, x);
                worst = std::max(worst, std::abs(h - ref) / (1 + std::abs(ref)));
                mc.step(x, v);
            }
            if (syn)
                qInfo("neuron %d: max |I_syn| %.3g nA, worst relative mismatch %.2e", neuron + 1,
                      sim.i_syn.cwiseAbs().maxCoeff(), worst);
            QVERIFY2(
                worst < 1e-7,
                qPrintable(QString("neuron %1, synapses %2: worst %3").arg(neuron + 1).arg(syn).arg(worst)));
        }
}

void TestAdmittance::gInfIsTheIvDerivative_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("withSynapses");
    QTest::newRow("intrinsic, paper banks") << 0 << false;
    QTest::newRow("with lumped synapses") << 0 << true;
    QTest::newRow("with conductance synapses") << 1 << true;
}

void TestAdmittance::gInfIsTheIvDerivative()
{
    QFETCH(int, kind);
    QFETCH(bool, withSynapses);
    auto cfg = smallConfig(kind == 0 ? SynapseKind::Lumped : SynapseKind::Conductance, paperIntrinsic(),
                           paperFastSlow(), {20, 20, 20});
    auto m = CircuitModel::initialize(cfg, 0.1, 7);
    normaliseFor(m, -70, -30);
    for (int neuron = 0; neuron < 2; ++neuron) {
        const MembraneCurrent mc = membraneCurrent(m, neuron, withSynapses);
        QCOMPARE(mc.stateSize(), 32 + (withSynapses ? 24 : 0));
        AdmittanceSettings s = coarseGrid();
        s.withSynapses = withSynapses;
        const AdmittanceMap map = analyzeNeuron(m, neuron, s);
        QCOMPARE(static_cast<long>(map.v.size()), 101L);
        QCOMPARE(map.G.rows(), 60L);
        QCOMPARE(map.G.cols(), 101L);
        double worst = 0;
        for (std::size_t k = 0; k < map.v.size(); k += 5) {
            const double v = map.v[k], h = 1e-3;
            // Richardson-extrapolated central difference of the IV curve (error O(h^4)).
            const double d1 = (steadyStateCurrent(mc, v + h) - steadyStateCurrent(mc, v - h)) / (2 * h);
            const double d2 =
                (steadyStateCurrent(mc, v + 2 * h) - steadyStateCurrent(mc, v - 2 * h)) / (4 * h);
            const double fd = (4 * d1 - d2) / 3;
            QVERIFY2(rmmtest::near(map.gv[k], fd, 1e-10, 1e-6), qPrintable(QString("v %1: G_inf %2 vs FD %3")
                                                                               .arg(v)
                                                                               .arg(map.gv[k], 0, 'g', 12)
                                                                               .arg(fd, 0, 'g', 12)));
            worst = std::max(worst, std::abs(map.gv[k] - fd) / std::max(1e-12, std::abs(fd)));
            // Eq. 13: Y(v, 0) = G_inf(v), real.
            const auto y0 = admittance(mc, v, 0);
            QVERIFY(rmmtest::near(y0.real(), map.gv[k], 1e-13, 1e-12));
            QVERIFY(std::abs(y0.imag()) < 1e-13);
            QVERIFY(rmmtest::near(map.iv[k], steadyStateCurrent(mc, v), 1e-12, 1e-12));
        }
        qInfo("neuron %d: worst relative |G_inf - dIV/dv| = %.2e", neuron + 1, worst);
        if (neuron == 0) { // timing on the paper's grid (251 x 200) with the paper's banks and MLP
            QElapsedTimer timer;
            timer.start();
            AdmittanceSettings paper;
            paper.withSynapses = withSynapses;
            const auto full = analyzeNeuron(m, neuron, paper);
            qInfo("paper grid %d x %d, %d states: %lld ms, %d candidates", int(full.v.size()),
                  int(full.omega.size()), mc.stateSize(), static_cast<long long>(timer.elapsed()),
                  int(full.candidates.size()));
        }
        // The map's first row is at w = wMin > 0; the single-point Y agrees with the grid.
        const auto y = admittance(mc, map.v[40], map.omega[17]);
        QVERIFY(rmmtest::near(map.G(17, 40), y.real(), 1e-12, 1e-10));
        QVERIFY(rmmtest::near(map.B(17, 40), y.imag(), 1e-12, 1e-10));
        QVERIFY(map.maxPoleModulus < 1);
    }
}

void TestAdmittance::ohmicModelHasConstantAdmittance()
{
    auto cfg = smallConfig(SynapseKind::Lumped, {0.5, 4, 30, 400}, {1, 10}, {8, 8});
    auto m = CircuitModel::initialize(cfg, 0.1, 3);
    normaliseFor(m, -70, -30);
    scaleReadouts(m, 0.0);
    *m.blockData(m.neuronIndex(0).g) = 0.3;
    *m.blockData(m.neuronIndex(0).b) = 2.5;
    const double g = softplus(0.3);
    for (bool syn : {false, true}) {
        AdmittanceSettings s = coarseGrid();
        s.withSynapses = syn;
        const auto map = analyzeNeuron(m, 0, s);
        QVERIFY(((map.G.array() - g).abs() < 1e-14).all());
        QVERIFY((map.B.array().abs() < 1e-14).all());
        for (std::size_t k = 0; k < map.v.size(); ++k) {
            QVERIFY(rmmtest::near(map.iv[k], g * map.v[k] + 2.5, 1e-12, 1e-14));
            QVERIFY(rmmtest::near(map.gv[k], g, 1e-14));
        }
        QVERIFY(map.gInfZeroCrossings.empty());
        // C (e^{jw dt} - 1) + dt g = 0 needs sin(w dt) = 0 and then dt g = 0: no solution for g > 0.
        QVERIFY(map.candidates.empty());
    }
}

void TestAdmittance::tanhModelFoldsInClosedForm()
{
    // One hidden tanh unit on (v, w1, w2) and a leak: at steady state the unit's argument is
    // affine in v, y = alpha v + beta, so u_inf(v) = r tanh(alpha v + beta) + g v + b is
    // N-shaped and G_inf(v) = r alpha sech^2(y) + g vanishes at y = +-acosh(sqrt(-r alpha / g)).
    const std::vector<double> taus = {1.5, 12};
    auto cfg = smallConfig(SynapseKind::Lumped, taus, {2}, {1});
    const double dt = 0.1;
    auto m = CircuitModel::initialize(cfg, dt, 11);
    const double lo = -80, hi = -20;
    normaliseFor(m, lo, hi);
    const auto& ni = m.neuronIndex(1);
    const double w[3] = {3.0, 2.0, 1.0}, b1 = -0.6, r = -1.2;
    for (int k = 0; k < 3; ++k)
        m.blockData(ni.intrinsic.W[0])[k] = w[k];
    m.blockData(ni.intrinsic.b[0])[0] = b1;
    m.blockData(ni.intrinsic.readout)[0] = r;
    const double g = 0.1;
    *m.blockData(ni.g) = inverseSoftplus(g);
    *m.blockData(ni.b) = 0.7;

    // alpha, beta from the normalisation: q(x) = 2 (x - lo') / (hi' - lo') - 1 with x_inf = dc v.
    const Eigen::VectorXd dc = closedFormDcGain(taus, dt);
    double alpha = w[0] * 2 / (hi - lo), beta = b1 + w[0] * (-1 - 2 * lo / (hi - lo));
    for (int k = 0; k < 2; ++k) {
        const double l = dc[k] * lo, h = dc[k] * hi;
        alpha += w[k + 1] * 2 / (h - l) * dc[k];
        beta += w[k + 1] * (-1 - 2 * l / (h - l));
    }
    const double ystar = std::acosh(std::sqrt(-r * alpha / g));
    const double fold1 = (-ystar - beta) / alpha, fold2 = (ystar - beta) / alpha;
    qInfo("closed-form folds: %.9f mV and %.9f mV", fold1, fold2);
    QVERIFY(fold1 > -60 && fold2 < -35);

    const MembraneCurrent mc = membraneCurrent(m, 1, false);
    for (double v : {-55.0, -47.0, -41.3}) // the IV curve itself in closed form
        QVERIFY(rmmtest::near(steadyStateCurrent(mc, v), r * std::tanh(alpha * v + beta) + g * v + 0.7, 1e-12,
                              1e-12));

    const auto map = analyzeNeuron(m, 1, AdmittanceSettings{});
    QCOMPARE(map.v.size(), std::size_t(251));
    QCOMPARE(map.gInfZeroCrossings.size(), std::size_t(2));
    QVERIFY2(std::abs(map.gInfZeroCrossings[0] - fold1) < 1e-9,
             qPrintable(QString::number(map.gInfZeroCrossings[0], 'g', 15)));
    QVERIFY2(std::abs(map.gInfZeroCrossings[1] - fold2) < 1e-9,
             qPrintable(QString::number(map.gInfZeroCrossings[1], 'g', 15)));
    int folds = 0;
    for (const auto& c : map.candidates)
        if (c.kind == CandidateKind::Fold) {
            ++folds;
            QCOMPARE(c.omegaRadPerMs, 0.0);
            QVERIFY(c.relResidual < 1e-8);
        }
    QCOMPARE(folds, 2);
    // Between the folds the steady-state conductance is negative (locally excitable, red).
    const std::size_t mid = static_cast<std::size_t>(std::lround((0.5 * (fold1 + fold2) + 60) / 0.1));
    QVERIFY(map.gv[mid] < 0);
}

void TestAdmittance::sinusoidResponseMatchesAdmittance()
{
    const std::vector<double> taus = {0.8, 3, 10};
    auto cfg = smallConfig(SynapseKind::Lumped, taus, {2}, {6, 6});
    const double dt = 0.1;
    auto m = CircuitModel::initialize(cfg, dt, 5);
    normaliseFor(m, -70, -30);
    scaleReadouts(m, 10.0); // MLP-dominated, so the response has a clear phase
    const MembraneCurrent mc = membraneCurrent(m, 0, false);
    const FilterBank& bank = m.intrinsicBank();
    const double vbar = -50, eps = 1e-3;
    for (double omega : {0.02, 0.3, 2.0, 9.0}) {
        // Simulate x_{t+1} = A x_t + B v_t with the engine's O(n) cascade, y_t = h(v_t, x_t).
        Eigen::VectorXd x = closedFormDcGain(taus, dt) * vbar;
        const long settle = 3000,
                   periods =
                       std::max(4L, static_cast<long>(std::ceil(omega * dt * 4000 / (2 * std::numbers::pi))));
        const long n = static_cast<long>(std::round(periods * 2 * std::numbers::pi / (omega * dt))) + 1;
        Eigen::MatrixXd X(n, 3);
        Eigen::VectorXd Yv(n);
        for (long t = 0; t < settle + n; ++t) {
            const double vt = vbar + eps * std::sin(omega * dt * static_cast<double>(t));
            if (t >= settle) {
                const long i = t - settle;
                X(i, 0) = std::sin(omega * dt * static_cast<double>(t));
                X(i, 1) = std::cos(omega * dt * static_cast<double>(t));
                X(i, 2) = 1;
                Yv[i] = mc.value(vt, x);
            }
            bank.step(x.data(), vt);
        }
        // Least squares y = a sin + b cos + c  =>  eps Y = a + j b  (Eq. 28).
        const Eigen::Vector3d coef = X.colPivHouseholderQr().solve(Yv);
        const std::complex<double> measured(coef[0] / eps, coef[1] / eps);
        const std::complex<double> Y = admittance(mc, vbar, omega);
        qInfo("w %.3g rad/ms: |Y| %.6g vs %.6g, arg %.6f vs %.6f", omega, std::abs(measured), std::abs(Y),
              std::arg(measured), std::arg(Y));
        QVERIFY(std::abs(std::abs(measured) - std::abs(Y)) <= 0.01 * std::abs(Y));
        QVERIFY(std::abs(measured - Y) <= 0.01 * std::abs(Y)); // phase within ~0.01 rad too
        QVERIFY(rmmtest::near(coef[2], steadyStateCurrent(mc, vbar), 1e-5, 1e-4));
    }
}

void TestAdmittance::candidatesSolveTheBifurcationEquation()
{
    // Random models with amplified MLPs so that negative-conductance regions exist; every
    // candidate must solve Eq. 30 and folds must sit on sign changes of G_inf.
    int folds = 0, ns = 0;
    for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
        auto cfg = smallConfig(SynapseKind::Lumped, {0.4, 2, 8, 30, 120}, {1, 10}, {10, 10});
        auto m = CircuitModel::initialize(cfg, 0.1, seed);
        normaliseFor(m, -65, -35);
        scaleReadouts(m, 5.0);
        for (int i = 0; i < 2; ++i) {
            *m.blockData(m.neuronIndex(i).g) = inverseSoftplus(0.05);
            *m.blockData(m.neuronIndex(i).a) = inverseSoftplus(20.0); // C = 0.05 nF
        }
        for (int neuron = 0; neuron < 2; ++neuron) {
            const MembraneCurrent mc = membraneCurrent(m, neuron, false);
            AdmittanceSettings s;
            s.vStep = 0.2;
            s.wCount = 120;
            const auto map = analyzeNeuron(m, neuron, s);
            qInfo("seed %d neuron %d: G_inf in [%.3g, %.3g], G in [%.3g, %.3g], %d candidates", int(seed),
                  neuron + 1, *std::min_element(map.gv.begin(), map.gv.end()),
                  *std::max_element(map.gv.begin(), map.gv.end()), map.G.minCoeff(), map.G.maxCoeff(),
                  int(map.candidates.size()));
            for (const auto& c : map.candidates) {
                const auto res = bifurcationResidual(mc, c.vMv, c.omegaRadPerMs);
                QVERIFY2(c.relResidual < 1e-8, qPrintable(QString::number(c.relResidual)));
                QVERIFY(std::abs(res) <= 1e-8);
                QVERIFY(c.vMv >= s.vMin - 1e-6 && c.vMv <= s.vMax + 1e-6);
                if (c.kind == CandidateKind::Fold) {
                    ++folds;
                    QCOMPARE(c.omegaRadPerMs, 0.0);
                    const double a = steadyStateConductance(mc, c.vMv - 1e-4),
                                 b = steadyStateConductance(mc, c.vMv + 1e-4);
                    QVERIFY2(a * b < 0, "fold candidate without a sign change of G_inf");
                } else {
                    ++ns;
                    QVERIFY(c.omegaRadPerMs > 0);
                    // Eq. 16: Re part, C (cos w dt - 1) + dt G(v, w) = 0, so G is slightly positive.
                    const double G = admittance(mc, c.vMv, c.omegaRadPerMs).real();
                    QVERIFY(G > 0);
                    QVERIFY(rmmtest::near(G, mc.capacitance * (1 - std::cos(c.omegaRadPerMs * 0.1)) / 0.1,
                                          1e-9, 1e-6));
                }
            }
            // Folds and G_inf zero crossings are the same points; every grid sign change is found.
            int changes = 0;
            for (std::size_t k = 0; k + 1 < map.gv.size(); ++k)
                changes += (map.gv[k] > 0) != (map.gv[k + 1] > 0);
            QCOMPARE(static_cast<int>(map.gInfZeroCrossings.size()), changes);
        }
    }
    qInfo("candidates over 8 random neurons: %d folds, %d Neimark-Sacker", folds, ns);
    QVERIFY(folds > 0);
    QVERIFY(ns > 0);
}

void TestAdmittance::writesHdf5()
{
    auto cfg = smallConfig(SynapseKind::Conductance, {0.5, 5, 50}, {1, 10}, {5});
    auto m = CircuitModel::initialize(cfg, 0.1, 9);
    normaliseFor(m, -70, -30);
    AdmittanceSettings s = coarseGrid();
    s.withSynapses = true;
    const auto map = analyzeNeuron(m, 1, s);
    const QString path = rmmtest::scratchDir("admittance") + "/a.h5";
    saveAdmittanceMap(path.toStdString(), map, "model.h5");
    auto f = h5::File::openRead(path.toStdString());
    QCOMPARE(f.attrNumber("/", "neuron").value(), 2.0);
    QCOMPARE(f.attrNumber("/", "with_synapses").value(), 1.0);
    const auto shape = f.shape("/G_uS");
    QCOMPARE(shape.size(), std::size_t(2));
    QCOMPARE(static_cast<long>(shape[0]), 60L);
    QCOMPARE(static_cast<long>(shape[1]), 101L);
    const auto G = f.readDoubles("/G_uS");
    QCOMPARE(G[101 * 7 + 33], map.G(7, 33));
    QCOMPARE(f.readDoubles("/iv_nA"), map.iv);
    const auto hz = f.readDoubles("/frequency_Hz");
    QVERIFY(rmmtest::near(hz[0], 5e-3 / (2 * std::numbers::pi) * 1000, 1e-15, 1e-12));
    QCOMPARE(f.readDoubles("/candidates/v_mV").size(), map.candidates.size());
}

void TestAdmittance::savedModelGivesTheSameMap()
{
    // A model written and read back through the model file analyses identically (the file keeps
    // every block and the frozen normalisation); the file is left for a CLI smoke run.
    auto cfg = smallConfig(SynapseKind::Conductance, {0.4, 2, 8, 30, 120}, {1, 10}, {10, 10});
    auto m = CircuitModel::initialize(cfg, 0.1, 2);
    normaliseFor(m, -65, -35);
    scaleReadouts(m, 5.0);
    for (int i = 0; i < 2; ++i) {
        *m.blockData(m.neuronIndex(i).g) = inverseSoftplus(0.05);
        *m.blockData(m.neuronIndex(i).a) = inverseSoftplus(20.0);
    }
    const QString path = rmmtest::scratchDir("admittance_model") + "/model.h5";
    saveModel(path.toStdString(), m);
    const ModelFile mf = loadModel(path.toStdString());
    for (bool syn : {false, true}) {
        AdmittanceSettings s = coarseGrid();
        s.withSynapses = syn;
        const auto a = analyzeNeuron(m, 0, s), b = analyzeNeuron(mf.model, 0, s);
        QCOMPARE(a.G, b.G);
        QCOMPARE(a.B, b.B);
        QCOMPARE(a.candidates.size(), b.candidates.size());
    }
}

void TestAdmittance::rejectsBadInput()
{
    auto cfg = smallConfig(SynapseKind::Lumped, {1, 10}, {2}, {3});
    auto m = CircuitModel::initialize(cfg, 0.1, 1);
    AdmittanceSettings s;
    s.vStep = 0;
    QVERIFY_THROWS_EXCEPTION(Error, analyzeNeuron(m, 0, s));
    s = AdmittanceSettings{};
    s.wMax = 40; // above pi / 0.1 ms
    QVERIFY_THROWS_EXCEPTION(Error, analyzeNeuron(m, 0, s));
    s = AdmittanceSettings{};
    s.vMin = 1e9;
    QVERIFY_THROWS_EXCEPTION(Error, analyzeNeuron(m, 0, s));
    s = AdmittanceSettings{};
    s.vStep = 1e-9;
    QVERIFY_THROWS_EXCEPTION(Error, analyzeNeuron(m, 0, s));
    QVERIFY_THROWS_EXCEPTION(Error, analyzeNeuron(m, 2, AdmittanceSettings{}));
    QVERIFY_THROWS_EXCEPTION(Error, analyzeNeuron(m, -1, AdmittanceSettings{}));
    // A non-finite normalisation is refused like a non-finite parameter, each named (issue 16).
    CircuitModel n = m;
    auto norm = n.normalisation();
    norm[0].v_hi = std::nan("");
    n.setNormalisation(norm);
    try {
        analyzeNeuron(n, 0, AdmittanceSettings{});
        QFAIL("a NaN normalisation was analysed");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("input normalisation of neuron 1 (voltage range"), e.what());
    }
    m.blockData(m.neuronIndex(0).intrinsic.readout)[0] = std::nan("");
    try {
        analyzeNeuron(m, 0, AdmittanceSettings{});
        QFAIL("a NaN parameter was analysed");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("parameter neuron0/intrinsic/readout[0] is nan"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestAdmittance)
#include "test_admittance.moc"
