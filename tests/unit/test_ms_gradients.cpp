// SPDX-License-Identifier: GPL-3.0-or-later
// Exact MS / GTF gradients (docs/method.md sections 3.2-3.3) against fourth-order central finite
// differences in float64: every parameter kind and every shot initial condition of a mini-batch,
// lumped and conductance synapses, 1-, 2- and 3-neuron circuits, gamma = 0 and gamma in (0, 1).
// Also: gamma = 1 without continuity penalties reproduces the teacher-forcing loss.
#include "common/fixtures.hpp"
#include "common/synthetic_circuit.hpp"
#include "engine/core/error.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/train/multiple_shooting.hpp"
#include "engine/train/tf_problem.hpp"

#include <QtTest>

#include <cmath>
#include <functional>
#include <map>

using namespace rmm;

namespace {

ModelConfig circuit(int neurons, int kind)
{
    return rmmtest::allToAllCircuit(neurons, kind);
}

} // namespace

class TestMsGradients : public QObject {
    Q_OBJECT
  private slots:
    void gradientsMatchFiniteDifferences_data();
    void gradientsMatchFiniteDifferences();
    void gammaOneIsTeacherForcing();
    void floatAgreesWithDouble();
    void threadsAndBlocksAgree();
};

void TestMsGradients::gradientsMatchFiniteDifferences_data()
{
    QTest::addColumn<int>("neurons");
    QTest::addColumn<int>("kind"); // 0 lumped, 1 conductance, 2 mixed
    QTest::addColumn<double>("gamma");
    QTest::newRow("1 neuron MS") << 1 << 0 << 0.0;
    QTest::newRow("1 neuron GTF") << 1 << 0 << 0.3;
    QTest::newRow("2 neurons mixed MS") << 2 << 2 << 0.0;
    QTest::newRow("2 neurons mixed GTF") << 2 << 2 << 0.25;
    QTest::newRow("3 neurons lumped MS") << 3 << 0 << 0.0;
    QTest::newRow("3 neurons lumped GTF") << 3 << 0 << 0.4;
    QTest::newRow("3 neurons conductance MS") << 3 << 1 << 0.0;
    QTest::newRow("3 neurons conductance GTF") << 3 << 1 << 0.15;
}

void TestMsGradients::gradientsMatchFiniteDifferences()
{
    QFETCH(int, neurons);
    QFETCH(int, kind);
    QFETCH(double, gamma);
    const Dataset data = rmmtest::smoothDataset(neurons, {420, 360}, 0.1, 11);
    CircuitModel model = CircuitModel::initialize(circuit(neurons, kind), data.dt_ms, 5);
    const int s = 6;
    model.freezeNormalisation(data);                     // the trainers compute it before (rmm::train)
    MsProblem<double> prob(data, model, s, gamma, 2, 3); // 3-column blocks: several blocks per batch
    QVERIFY(prob.shots() > 20);
    const int P = prob.stateSize();
    const ShotBatch batch{4, 11};
    const double rho = 1e-3, rhoV = 3.0, rhoX = 2.0;

    std::vector<double> theta = model.flatParameters();
    for (std::size_t k = 0; k < theta.size(); ++k)
        theta[k] += 0.05 * std::sin(1.7 * static_cast<double>(k) + 0.3);
    // Perturb the shot states so that every continuity term is non-zero.
    auto& X = prob.shotStates();
    for (std::size_t k = 0; k < X.size(); ++k)
        X[k] += 0.2 * std::cos(0.9 * static_cast<double>(k));

    std::vector<double> g;
    std::vector<double> gs(static_cast<std::size_t>(batch.length() * P));
    const double L = prob.evaluate(theta, batch, rho, rhoV, rhoX, &g, gs.data());
    QVERIFY(std::isfinite(L));
    QCOMPARE(g.size(), theta.size());

    auto fd = [](const std::function<double(double)>& f, double h) {
        return (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
    };
    auto rel = [](double a, double b, double floor) {
        return std::abs(a - b) / std::max({std::abs(a), std::abs(b), floor});
    };
    double gmax = 0;
    for (double x : g)
        gmax = std::max(gmax, std::abs(x));
    std::map<ParamKind, double> worst;
    for (const auto& b : model.blocks()) {
        for (long k = 0; k < b.size(); ++k) {
            const auto p = static_cast<std::size_t>(b.offset + k);
            const double h = 1e-3 * std::max(1.0, std::abs(theta[p]));
            const double f = fd(
                [&](double dl) {
                    std::vector<double> t = theta;
                    t[p] += dl;
                    return prob.evaluate(t, batch, rho, rhoV, rhoX, nullptr, nullptr);
                },
                h);
            const double r = rel(g[p], f, 1e-7 * gmax);
            worst[b.kind] = std::max(worst[b.kind], r);
            if (r >= 1e-5)
                qWarning("%s[%ld]: analytic %.12g, finite difference %.12g", b.name.c_str(), k, g[p], f);
        }
    }
    std::vector<ParamKind> kinds = {ParamKind::MlpWeight, ParamKind::MlpBias, ParamKind::MlpReadout,
                                    ParamKind::InvCap,    ParamKind::LeakG,   ParamKind::LeakB};
    if (kind != 0 && neurons > 1)
        kinds.insert(kinds.end(), {ParamKind::Gbar, ParamKind::CondW1, ParamKind::CondW2, ParamKind::CondB1});
    for (ParamKind k : kinds) {
        QVERIFY2(worst.count(k), "parameter kind missing from the model");
        QVERIFY2(worst[k] < 1e-5,
                 qPrintable(QString("kind %1: worst relative error %2").arg(int(k)).arg(worst[k])));
    }
    // Shot initial conditions of the batch (and the shot just after it must not matter).
    double smax = 0;
    for (double x : gs)
        smax = std::max(smax, std::abs(x));
    QVERIFY(smax > 0);
    double worstShot = 0;
    for (long n = 0; n < batch.length(); ++n)
        for (int q = 0; q < P; ++q) {
            const std::size_t idx = static_cast<std::size_t>((batch.begin + n) * P + q);
            const double h = 1e-2;
            const double x0 = X[idx];
            const double f = fd(
                [&](double dl) {
                    X[idx] = x0 + dl;
                    const double v = prob.evaluate(theta, batch, rho, rhoV, rhoX, nullptr, nullptr);
                    X[idx] = x0;
                    return v;
                },
                h);
            const double a = gs[static_cast<std::size_t>(n * P + q)];
            // Floor: the round-off of the difference quotient, ~1e-16 |L| / h per evaluation.
            const double r = rel(a, f, std::max(1e-7 * smax, 1e-11 * std::abs(L) / h));
            worstShot = std::max(worstShot, r);
            if (r >= 1e-5)
                qWarning("shot %ld state %d: analytic %.12g, finite difference %.12g", batch.begin + n, q, a,
                         f);
        }
    QVERIFY2(worstShot < 1e-5, qPrintable(QString("shot states: worst relative error %1").arg(worstShot)));
    // States of shots outside the batch do not enter its loss.
    const std::size_t outside = static_cast<std::size_t>((batch.end + 1) * P);
    X[outside] += 1.0;
    QCOMPARE(prob.evaluate(theta, batch, rho, rhoV, rhoX, nullptr, nullptr), L);
}

void TestMsGradients::gammaOneIsTeacherForcing()
{
    // With gamma = 1 every step is fed the measured voltage and the filters see measured data, so
    // from the warmed-up initial states, V0 = v and no continuity terms, the MS data term equals
    // the TF residual over the same samples: pred_{k+1} - v_{k+1} = -dt * TF residual(t0 + k).
    const Dataset data = rmmtest::smoothDataset(2, {500, 400}, 0.1, 3);
    CircuitModel model = CircuitModel::initialize(circuit(2, 2), data.dt_ms, 9);
    const int s = 5;
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<double> ms(data, model, s, 1.0, 1);
    TfProblem<double> tf(data, model, 1, 64);
    const ShotBatch batch{2, 11};
    std::vector<long> idx;
    for (long n = batch.begin; n < batch.end; ++n)
        for (long k = 0; k + 1 < s; ++k)
            idx.push_back(n * s + k); // TF column = sample - first sample of the first range
    const std::vector<double> theta = model.flatParameters();
    const double lm = ms.evaluate(theta, batch, 0, 0, 0, nullptr, nullptr);
    const double lt = tf.evaluate(theta, idx.data(), 0, static_cast<long>(idx.size()), 0, nullptr);
    const double expected = lt * static_cast<double>(s - 1) / s;
    QVERIFY2(std::abs(lm - expected) <= 1e-9 * std::abs(expected),
             qPrintable(QString("MS(gamma=1) %1 vs TF %2").arg(lm, 0, 'g', 15).arg(expected, 0, 'g', 15)));
}

void TestMsGradients::floatAgreesWithDouble()
{
    const Dataset data = rmmtest::smoothDataset(2, {420, 360}, 0.1, 4);
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), data.dt_ms, 2);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<double> pd(data, model, 8, 0.1, 1);
    MsProblem<float> pf(data, model, 8, 0.1, 1);
    const ShotBatch batch{0, 10};
    std::vector<double> gd, gf;
    const double ld = pd.evaluate(model.flatParameters(), batch, 1e-4, 10, 10, &gd, nullptr);
    const double lf = pf.evaluate(model.flatParameters(), batch, 1e-4, 10, 10, &gf, nullptr);
    QVERIFY(std::abs(ld - lf) < 1e-4 * std::abs(ld));
    double num = 0, den = 0;
    for (std::size_t k = 0; k < gd.size(); ++k) {
        num += (gd[k] - gf[k]) * (gd[k] - gf[k]);
        den += gd[k] * gd[k];
    }
    QVERIFY(std::sqrt(num / den) < 1e-3);
}

void TestMsGradients::threadsAndBlocksAgree()
{
    const Dataset data = rmmtest::smoothDataset(2, {420, 360}, 0.1, 8);
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), data.dt_ms, 6);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<double> p1(data, model, 7, 0.05, 1, 128);
    MsProblem<double> p2(data, model, 7, 0.05, 2, 4);
    const ShotBatch batch{1, 16};
    std::vector<double> g1, g2, s1(static_cast<std::size_t>(15 * p1.stateSize())), s2(s1.size());
    const double l1 = p1.evaluate(model.flatParameters(), batch, 1e-4, 5, 5, &g1, s1.data());
    const double l2 = p2.evaluate(model.flatParameters(), batch, 1e-4, 5, 5, &g2, s2.data());
    QVERIFY(std::abs(l1 - l2) <= 1e-12 * std::abs(l1));
    for (std::size_t k = 0; k < g1.size(); ++k)
        QVERIFY(std::abs(g1[k] - g2[k]) <= 1e-10 * std::max(1.0, std::abs(g1[k])));
    for (std::size_t k = 0; k < s1.size(); ++k)
        QVERIFY(std::abs(s1[k] - s2[k]) <= 1e-10 * std::max(1.0, std::abs(s1[k])));
}

QTEST_GUILESS_MAIN(TestMsGradients)
#include "test_ms_gradients.moc"
