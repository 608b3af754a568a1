// SPDX-License-Identifier: GPL-3.0-or-later
// Exact TF-loss gradients (docs/method.md section 3) against central finite differences in float64,
// for every parameter kind of the model.
#include "common/fixtures.hpp"
#include "common/synthetic_circuit.hpp"
#include "engine/core/error.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/train/tf_problem.hpp"

#include <QtTest>

#include <cmath>
#include <map>
#include <numeric>

using namespace rmm;

class TestModelGradients : public QObject {
    Q_OBJECT
  private slots:
    void gradientsMatchFiniteDifferences_data();
    void gradientsMatchFiniteDifferences();
    void gatheredEqualsContiguous();
    void threadsAgree();
    void initialisationIsSeeded();
};

void TestModelGradients::gradientsMatchFiniteDifferences_data()
{
    QTest::addColumn<bool>("subset");
    QTest::newRow("all samples") << false;
    QTest::newRow("index subset") << true;
}

void TestModelGradients::gradientsMatchFiniteDifferences()
{
    QFETCH(bool, subset);
    const Dataset data = rmmtest::smoothDataset(2, {700, 600}, 0.1, 7);
    ModelConfig cfg = rmmtest::smallConfig();
    cfg.leak_rest_mV = 0; // leak offsets near 0, as the perturbation below assumes
    CircuitModel model = CircuitModel::initialize(cfg, data.dt_ms, 3);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    TfProblem<double> prob(data, model, 1, 64);
    QVERIFY(prob.samples() > 300);
    std::vector<long> idx;
    for (long k = 0; k < prob.samples(); k += 3)
        idx.push_back((k * 7) % prob.samples());
    const long* ip = subset ? idx.data() : nullptr;
    const long count = subset ? static_cast<long>(idx.size()) : prob.samples();
    const double rho = 1e-3;

    // Move parameters off the initialisation (and make the leak offset non-zero).
    std::vector<double> theta = model.flatParameters();
    for (std::size_t k = 0; k < theta.size(); ++k)
        theta[k] += 0.05 * std::sin(1.7 * k + 0.3);
    std::vector<double> g;
    const double L = prob.evaluate(theta, ip, 0, count, rho, &g);
    QVERIFY(std::isfinite(L));
    QCOMPARE(g.size(), theta.size());

    std::map<ParamKind, double> worst;
    std::map<ParamKind, double> largest;
    for (const auto& b : model.blocks()) {
        for (long k = 0; k < b.size(); ++k) {
            const auto p = static_cast<std::size_t>(b.offset + k);
            const double h = 1e-4 * std::max(1.0, std::abs(theta[p]));
            auto f = [&](double delta) {
                std::vector<double> t = theta;
                t[p] += delta;
                return prob.evaluate(t, ip, 0, count, rho, nullptr);
            };
            // Fourth-order central difference (truncation O(h^4)).
            const double fd = (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
            const double rel = std::abs(g[p] - fd) / std::max({std::abs(g[p]), std::abs(fd), 1e-8});
            worst[b.kind] = std::max(worst[b.kind], rel);
            largest[b.kind] = std::max(largest[b.kind], std::abs(g[p]));
            if (rel >= 1e-6)
                qWarning("%s[%ld]: analytic %.12g, finite difference %.12g", b.name.c_str(), k, g[p], fd);
        }
    }
    const std::vector<ParamKind> kinds = {ParamKind::MlpWeight, ParamKind::MlpBias, ParamKind::MlpReadout,
                                          ParamKind::InvCap,    ParamKind::LeakG,   ParamKind::LeakB,
                                          ParamKind::Gbar,      ParamKind::CondW1,  ParamKind::CondW2,
                                          ParamKind::CondB1};
    for (ParamKind k : kinds) {
        QVERIFY2(worst.count(k), "a parameter kind is missing from the model");
        QVERIFY2(largest[k] > 1e-6, "a parameter kind has an all-zero gradient");
        QVERIFY2(worst[k] < 1e-6,
                 qPrintable(QString("kind %1: relative error %2").arg(int(k)).arg(worst[k])));
    }
}

void TestModelGradients::gatheredEqualsContiguous()
{
    const Dataset data = rmmtest::smoothDataset(2, {700, 600}, 0.1, 8);
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), data.dt_ms, 4);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    TfProblem<double> prob(data, model, 1, 50);
    const long first = 17, count = 333;
    std::vector<long> idx(static_cast<std::size_t>(count));
    std::iota(idx.begin(), idx.end(), first);
    std::vector<double> g1, g2;
    const double a = prob.evaluate(model.flatParameters(), nullptr, first, count, 1e-4, &g1);
    const double b = prob.evaluate(model.flatParameters(), idx.data(), 0, count, 1e-4, &g2);
    QVERIFY(rmmtest::near(a, b, 0, 1e-13));
    for (std::size_t k = 0; k < g1.size(); ++k)
        QVERIFY(rmmtest::near(g1[k], g2[k], 1e-15, 1e-12));
    // Shuffled mini-batches gather scattered samples from the sample-major copy (built by the first
    // such evaluation): the same samples in another order give the same loss and gradient.
    const std::size_t before = prob.memoryBytes();
    std::vector<long> shuffled = idx;
    for (std::size_t k = shuffled.size(); k > 1; --k)
        std::swap(shuffled[k - 1], shuffled[(k * 7919) % k]);
    std::vector<double> g3;
    const double c = prob.evaluate(model.flatParameters(), shuffled.data(), 0, count, 1e-4, &g3);
    QVERIFY(rmmtest::near(a, c, 0, 1e-12));
    for (std::size_t k = 0; k < g1.size(); ++k)
        QVERIFY(rmmtest::near(g1[k], g3[k], 1e-15, 1e-11));
    QCOMPARE(before, prob.memoryBytes()); // the copy was already there
    TfProblem<double> fresh(data, model, 1, 50);
    const std::size_t without = fresh.memoryBytes();
    fresh.prepareScatteredAccess();
    QVERIFY(fresh.memoryBytes() > without + sizeof(double) * static_cast<std::size_t>(fresh.samples()) * 2);
    std::vector<long> outside = {0, fresh.samples()};
    QVERIFY_THROWS_EXCEPTION(Error, fresh.evaluate(model.flatParameters(), outside.data(), 0, 2, 0, nullptr));
    // Loss by hand for one neuron-sample pair would repeat the kernel; instead check the mean
    // structure: the loss over the range equals the count-weighted mean of two halves.
    const double l1 = prob.evaluate(model.flatParameters(), nullptr, first, 100, 0, nullptr);
    const double l2 = prob.evaluate(model.flatParameters(), nullptr, first + 100, count - 100, 0, nullptr);
    const double all = prob.evaluate(model.flatParameters(), nullptr, first, count, 0, nullptr);
    QVERIFY(rmmtest::near(all, (100 * l1 + (count - 100) * l2) / count, 0, 1e-12));
}

void TestModelGradients::threadsAgree()
{
    const Dataset data = rmmtest::smoothDataset(2, {900}, 0.1, 9);
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), data.dt_ms, 5);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    TfProblem<double> p1(data, model, 1, 32);
    TfProblem<double> p2(data, model, 2, 32);
    std::vector<double> g1, g2;
    const double a = p1.evaluate(model.flatParameters(), nullptr, 0, p1.samples(), 0, &g1);
    const double b = p2.evaluate(model.flatParameters(), nullptr, 0, p2.samples(), 0, &g2);
    QVERIFY(rmmtest::near(a, b, 0, 1e-12));
    for (std::size_t k = 0; k < g1.size(); ++k)
        QVERIFY(rmmtest::near(g1[k], g2[k], 1e-14, 1e-10));
    // float32 agrees with float64 to single precision.
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    TfProblem<float> pf(data, model, 1, 32);
    const double c = pf.evaluate(model.flatParameters(), nullptr, 0, pf.samples(), 0, nullptr);
    QVERIFY(rmmtest::near(a, c, 0, 1e-4));
}

void TestModelGradients::initialisationIsSeeded()
{
    const auto cfg = rmmtest::smallConfig();
    const auto a = CircuitModel::initialize(cfg, 0.1, 11);
    const auto b = CircuitModel::initialize(cfg, 0.1, 11);
    const auto c = CircuitModel::initialize(cfg, 0.1, 12);
    QVERIFY(a.flatParameters() == b.flatParameters());
    QVERIFY(a.flatParameters() != c.flatParameters());
    // Nguyen-Widrow: hidden rows of norm 2 * 0.7 * n_out^(1/n_in); 1/C in (0, 1]; readout of the
    // conductance synapse sums to 1; leak conductance softplus(g) in [0.25, 0.75] uS.
    for (const auto& blk : a.blocks()) {
        const double* p = a.flatParameters().data() + blk.offset;
        if (blk.kind == ParamKind::MlpWeight) {
            const double expect = 2 * 0.7 * std::pow(double(blk.rows), 1.0 / blk.cols);
            for (int r = 0; r < blk.rows; ++r) {
                double n2 = 0;
                for (int c2 = 0; c2 < blk.cols; ++c2)
                    n2 += p[r * blk.cols + c2] * p[r * blk.cols + c2];
                QVERIFY(rmmtest::near(std::sqrt(n2), expect, 1e-12));
            }
        } else if (blk.kind == ParamKind::CondW2) {
            double s = 0;
            for (int k = 0; k < blk.cols; ++k)
                s += softplus(p[k]);
            QVERIFY(rmmtest::near(s, 1.0, 1e-12));
        } else if (blk.kind == ParamKind::LeakG) {
            QVERIFY(softplus(p[0]) >= 0.25 - 1e-12 && softplus(p[0]) <= 0.75 + 1e-12);
        } else if (blk.kind == ParamKind::InvCap) {
            QVERIFY(softplus(p[0]) > 0 && softplus(p[0]) <= 1 + 1e-12);
        }
    }
    auto bad = cfg;
    bad.intrinsic_taus_ms[1] = 0;
    QVERIFY_THROWS_EXCEPTION(Error, CircuitModel::initialize(bad, 0.1, 1));
    bad = cfg;
    bad.intrinsic_hidden = {0};
    QVERIFY_THROWS_EXCEPTION(Error, CircuitModel::initialize(bad, 0.1, 1));
    bad = cfg;
    bad.synapses[0].pre = 5;
    QVERIFY_THROWS_EXCEPTION(Error, CircuitModel::initialize(bad, 0.1, 1));
}

QTEST_GUILESS_MAIN(TestModelGradients)
#include "test_model_gradients.moc"
