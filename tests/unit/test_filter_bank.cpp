// SPDX-License-Identifier: GPL-3.0-or-later
// The cascade filter bank against Eq. 18 built independently, orthogonality of the all-pass
// realisation, DC gain, warm-up length and the contraction check.
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/model/filter_bank.hpp"

#include <Eigen/Dense>
#include <QtTest>

#include <cmath>

using namespace rmm;

namespace {

/// Eq. 18 of the paper, literally: A_1 = l_1, B_1 = sqrt(1-l_1^2), Gamma_1 = B_1, Delta_1 = -l_1;
/// A_i = [[A_{i-1}, 0], [sqrt(1-l_i^2) Gamma_{i-1}, l_i]], B_i = [B_{i-1}; sqrt(1-l_i^2) Delta_{i-1}],
/// Gamma_i = [-l_i Gamma_{i-1}, sqrt(1-l_i^2)], Delta_i = -l_i Delta_{i-1}.
struct Eq18 {
    Eigen::MatrixXd A;
    Eigen::VectorXd B;
    Eigen::RowVectorXd G;
    double D;
};

Eq18 buildEq18(const std::vector<double>& taus, double dt)
{
    Eq18 e;
    const double l1 = std::exp(-dt / taus[0]);
    e.A = Eigen::MatrixXd::Constant(1, 1, l1);
    e.B = Eigen::VectorXd::Constant(1, std::sqrt(1 - l1 * l1));
    e.G = Eigen::RowVectorXd::Constant(1, std::sqrt(1 - l1 * l1));
    e.D = -l1;
    for (std::size_t i = 1; i < taus.size(); ++i) {
        const double l = std::exp(-dt / taus[i]);
        const double s = std::sqrt(1 - l * l);
        const Eigen::Index n = e.A.rows();
        Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n + 1, n + 1);
        A.topLeftCorner(n, n) = e.A;
        A.block(n, 0, 1, n) = s * e.G;
        A(n, n) = l;
        Eigen::VectorXd B(n + 1);
        B.head(n) = e.B;
        B[n] = s * e.D;
        Eigen::RowVectorXd G(n + 1);
        G.head(n) = -l * e.G;
        G[n] = s;
        e.A = A;
        e.B = B;
        e.G = G;
        e.D = -l * e.D;
    }
    return e;
}

std::vector<double> paperIntrinsicTaus()
{
    std::vector<double> t;
    for (int k = 1; k <= 8; ++k)
        t.push_back(0.2 * k);
    for (int k = 1; k <= 8; ++k)
        t.push_back(2.0 * k);
    for (int k = 1; k <= 8; ++k)
        t.push_back(10.0 + 10.0 * k);
    for (int k = 1; k <= 8; ++k)
        t.push_back(200.0 * k - 100);
    return t;
}

} // namespace

class TestFilterBank : public QObject {
    Q_OBJECT
  private slots:
    void cascadeEqualsEq18();
    void allPassRealisationIsOrthogonal();
    void dcGain();
    void warmup();
    void lowpassBank();
    void refusesBadBanks();
};

void TestFilterBank::cascadeEqualsEq18()
{
    const auto taus = paperIntrinsicTaus();
    const FilterBank bank(taus, 0.1);
    const Eq18 e = buildEq18(taus, 0.1);
    QCOMPARE(bank.size(), 32);
    QVERIFY((bank.denseA() - e.A).cwiseAbs().maxCoeff() < 1e-14);
    QVERIFY((bank.denseB() - e.B).cwiseAbs().maxCoeff() < 1e-14);
    QVERIFY((bank.denseGamma() - e.G).cwiseAbs().maxCoeff() < 1e-14);
    QVERIFY(std::abs(bank.denseDelta() - e.D) < 1e-14);
    // A is lower triangular with the poles on its diagonal.
    QVERIFY(e.A.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().cwiseAbs().maxCoeff() == 0);
    // Stepping the cascade on a random input equals x[t+1] = A x[t] + B in[t].
    Eigen::VectorXd x = Eigen::VectorXd::Zero(32), y = x;
    for (int t = 0; t < 2000; ++t) {
        const double in = std::sin(0.01 * t) + 0.3 * std::cos(0.37 * t);
        bank.step(x.data(), in);
        y = e.A * y + e.B * in;
    }
    QVERIFY((x - y).cwiseAbs().maxCoeff() < 1e-11);
    // float stepping follows the double one to single precision.
    Eigen::VectorXf xf = Eigen::VectorXf::Zero(32);
    Eigen::VectorXd xd = Eigen::VectorXd::Zero(32);
    for (int t = 0; t < 500; ++t) {
        bank.step(xf.data(), static_cast<float>(std::sin(0.05 * t)));
        bank.step(xd.data(), static_cast<double>(static_cast<float>(std::sin(0.05 * t))));
    }
    QVERIFY((xf.cast<double>() - xd).cwiseAbs().maxCoeff() < 1e-4);
}

void TestFilterBank::allPassRealisationIsOrthogonal()
{
    const auto taus = paperIntrinsicTaus();
    const Eq18 e = buildEq18(taus, 0.1);
    const Eigen::Index n = e.A.rows();
    Eigen::MatrixXd M(n + 1, n + 1);
    M.topLeftCorner(n, n) = e.A;
    M.topRightCorner(n, 1) = e.B;
    M.bottomLeftCorner(1, n) = e.G;
    M(n, n) = e.D;
    const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(n + 1, n + 1);
    QVERIFY((M.transpose() * M - I).cwiseAbs().maxCoeff() < 1e-12);
    QVERIFY((M * M.transpose() - I).cwiseAbs().maxCoeff() < 1e-12);
}

void TestFilterBank::dcGain()
{
    const std::vector<double> taus = {0.5, 3, 20, 150};
    const FilterBank bank(taus, 0.1);
    const Eq18 e = buildEq18(taus, 0.1);
    const Eigen::VectorXd expected = (Eigen::MatrixXd::Identity(4, 4) - e.A).fullPivLu().solve(e.B);
    QVERIFY((bank.dcGain() - expected).cwiseAbs().maxCoeff() < 1e-12);
    // A constant input from the DC state stays there.
    Eigen::VectorXd x = bank.dcGain() * -55.0;
    const Eigen::VectorXd x0 = x;
    for (int t = 0; t < 100; ++t)
        bank.step(x.data(), -55.0);
    QVERIFY((x - x0).cwiseAbs().maxCoeff() < 1e-10);
    // Closed form of the first state: a first-order section, DC gain sqrt(1-p^2)/(1-p).
    const double p = std::exp(-0.1 / 0.5);
    QVERIFY(std::abs(bank.dcGain()[0] - std::sqrt(1 - p * p) / (1 - p)) < 1e-12);
}

void TestFilterBank::warmup()
{
    // docs/method.md: M = 69,078 for tau = 1500 ms at 0.1 ms.
    const FilterBank bank(paperIntrinsicTaus(), 0.1);
    QCOMPARE(bank.warmupSamples(), 69078L);
    // Warm-up over a constant input gives the DC state; the two passes equal stepping twice.
    const std::vector<double> taus = {1, 5};
    const FilterBank small(taus, 0.1);
    std::vector<double> in(300);
    for (std::size_t t = 0; t < in.size(); ++t)
        in[t] = -50 + std::sin(0.1 * static_cast<double>(t));
    Eigen::VectorXd x = small.dcGain() * in[0];
    for (int pass = 0; pass < 2; ++pass)
        for (double v : in)
            small.step(x.data(), v);
    QVERIFY((small.warmUp(in.data(), 300) - x).cwiseAbs().maxCoeff() < 1e-13);
    std::vector<double> c(50, -42.0);
    QVERIFY((small.warmUp(c.data(), 50) - small.dcGain() * -42.0).cwiseAbs().maxCoeff() < 1e-10);
    QVERIFY(small.warmUp(in.data(), 0).isZero());
}

void TestFilterBank::lowpassBank()
{
    const LowpassBank lp({1.0, 10.0}, 0.1);
    Eigen::VectorXd z = Eigen::VectorXd::Zero(2);
    for (int t = 0; t < 10; ++t)
        lp.step(z.data(), 1.0);
    // Step response 1 - lambda^t.
    for (int k = 0; k < 2; ++k)
        QVERIFY(std::abs(z[k] - (1 - std::pow(lp.poles()[k], 10))) < 1e-14);
    std::vector<double> c(20, -60.0);
    QVERIFY((lp.warmUp(c.data(), 20).array() + 60.0).abs().maxCoeff() < 1e-12);
}

void TestFilterBank::refusesBadBanks()
{
    QVERIFY_THROWS_EXCEPTION(Error, FilterBank({1.0, 0.0}, 0.1));
    QVERIFY_THROWS_EXCEPTION(Error, FilterBank({1.0, -2.0}, 0.1));
    QVERIFY_THROWS_EXCEPTION(Error, FilterBank({1.0, std::nan("")}, 0.1));
    QVERIFY_THROWS_EXCEPTION(Error, FilterBank({1.0}, 0.0));
    QVERIFY_THROWS_EXCEPTION(Error, FilterBank({}, 0.1));
    // A time constant so long that the pole rounds to 1 violates the contraction condition.
    QVERIFY_THROWS_EXCEPTION(Error, FilterBank({1e20}, 0.1));
    try {
        FilterBank({2.0, -1.0}, 0.1, "model.intrinsic_taus_ms");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY(QString(e.what()).contains("model.intrinsic_taus_ms"));
        QVERIFY(QString(e.what()).contains("#2"));
    }
}

QTEST_GUILESS_MAIN(TestFilterBank)
#include "test_filter_bank.moc"
