// SPDX-License-Identifier: GPL-3.0-or-later
// The circuit's one step (engine/model/circuit_step.hpp): every adjoint against central finite
// differences in float64, the all-pass and low-pass adjoints as transposes (<J^T y, x> = <y, J x>),
// and a block of columns (the Eigen lane type of the trainers) giving, column for column, exactly
// what the scalar lane type (the simulation) gives. The MLP's block reverse pass (mlpBackwardBlock,
// mlpWeightGradients) against central differences.
#include "common/synthetic_circuit.hpp"
#include "engine/model/circuit_kernels.hpp"
#include "engine/model/circuit_step.hpp"

#include <Eigen/Core>
#include <QtTest>

#include <cmath>
#include <random>

using namespace rmm;

namespace {

template <typename F> double centralDifference(F f, double x, double h = 1e-6)
{
    return (f(x + h) - f(x - h)) / (2 * h);
}

bool close(double a, double b, double tol = 1e-7)
{
    return std::abs(a - b) <= tol * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

} // namespace

class TestCircuitStep : public QObject {
    Q_OBJECT
  private slots:
    void conductanceSynapseAdjoints();
    void membraneStepAdjoints();
    void observerAndLeak();
    void activationSlopes();
    void allpassAdjointIsTranspose();
    void lowpassAdjointIsTranspose();
    void blockOfColumnsEqualsScalarColumns();
    void mlpBlockGradientsMatchFiniteDifferences();
};

void TestCircuitStep::conductanceSynapseAdjoints()
{
    const double gbar = 0.13, s = 0.7, v = -47.0, e = -80.0, dI = 1.7;
    auto I = [&](double g, double sv, double vv) {
        return step::conductanceCurrent(g, sv, step::synapticDrive(vv, e));
    };
    QVERIFY(close(I(gbar, s, v), gbar * s * (v - e))); // the paper's Eq. 19-20
    const double drive = step::synapticDrive(v, e);
    QVERIFY(close(step::conductanceGbarAdjoint(dI, s, drive),
                  dI * centralDifference([&](double x) { return I(x, s, v); }, gbar)));
    QVERIFY(close(step::conductanceActivationAdjoint(gbar, dI, drive),
                  dI * centralDifference([&](double x) { return I(gbar, x, v); }, s)));
    QVERIFY(close(step::conductanceVoltageAdjoint(gbar, dI, s),
                  dI * centralDifference([&](double x) { return I(gbar, s, x); }, v, 1e-4)));
}

void TestCircuitStep::membraneStepAdjoints()
{
    const double vf = -52.0, dt = 0.1, invCap = 0.16, u = 0.35, I = 0.9, g = -2.3;
    auto next = [&](double cur) { return step::nextVoltage(vf, dt * invCap, u - cur); };
    QVERIFY(close(next(I), vf + dt / (1 / invCap) * (u - I)));
    QVERIFY(close(step::nextVoltageCurrentAdjoint(dt * invCap, g), g * centralDifference(next, I)));
    // d v_next / d(1/C) = dt (u - I), and the rate teacher forcing fits is (v_next - v_fed) / dt.
    QVERIFY(close(centralDifference([&](double c) { return step::nextVoltage(vf, dt * c, u - I); }, invCap),
                  dt * (u - I)));
    QVERIFY(close((next(I) - vf) / dt, step::voltageRate(invCap, u - I), 1e-9));
}

void TestCircuitStep::observerAndLeak()
{
    const step::Observer<double> off(0.0), gtf(0.25);
    QVERIFY(!off.active());
    QVERIFY(gtf.active());
    QVERIFY(close(gtf.fed(-40.0, -60.0), 0.25 * -40.0 + 0.75 * -60.0));
    QVERIFY(close(centralDifference([&](double vp) { return gtf.fed(-40.0, vp); }, -60.0), gtf.keep));
    const double gl = 0.3, bl = 15.0, iInt = -0.4, v = -50.0;
    QCOMPARE(step::leakCurrent(gl, bl, -bl / gl), 0.0); // zero at the leak's rest potential
    QVERIFY(close(step::ownCurrent(iInt, gl, bl, v), iInt + step::leakCurrent(gl, bl, v), 1e-14));
    QVERIFY(close(centralDifference([&](double x) { return step::ownCurrent(iInt, gl, bl, x); }, v), gl));
}

void TestCircuitStep::activationSlopes()
{
    for (double x : {-3.0, -0.5, 0.0, 0.8, 2.5}) {
        QVERIFY(close(step::tanhSlope<double>(std::tanh(x)),
                      centralDifference([](double y) { return std::tanh(y); }, x)));
        auto sig = [](double y) { return 1 / (1 + std::exp(-y)); };
        QVERIFY(close(step::sigmoidSlope<double>(sig(x)), centralDifference(sig, x)));
    }
}

void TestCircuitStep::allpassAdjointIsTranspose()
{
    // A cascade of three sections as a linear map of (x, v) to (x', e_out); its adjoint applied to
    // (gx, ge) must be the transpose: <adjoint(y), z> = <y, map(z)> for random y, z.
    const double p[3] = {0.99, 0.9, 0.5};
    double g[3];
    for (int k = 0; k < 3; ++k)
        g[k] = std::sqrt(1 - p[k] * p[k]);
    std::mt19937 rng(3);
    std::normal_distribution<double> nd;
    for (int trial = 0; trial < 5; ++trial) {
        double x[3], xin[3], gx[3], gxin[3];
        for (int k = 0; k < 3; ++k) {
            x[k] = xin[k] = nd(rng);
            gx[k] = gxin[k] = nd(rng);
        }
        const double v = nd(rng), geOut = nd(rng);
        double e = v, t = 0;
        for (int k = 0; k < 3; ++k)
            step::allpassSection(x[k], e, t, p[k], g[k]);
        double ge = geOut;
        for (int k = 2; k >= 0; --k)
            step::allpassSectionAdjoint(gx[k], ge, t, p[k], g[k]);
        double lhs = ge * v, rhs = geOut * e;
        for (int k = 0; k < 3; ++k) {
            lhs += gx[k] * xin[k];
            rhs += gxin[k] * x[k];
        }
        QVERIFY2(close(lhs, rhs, 1e-12), qPrintable(QString("%1 vs %2").arg(lhs).arg(rhs)));
    }
}

void TestCircuitStep::lowpassAdjointIsTranspose()
{
    const double lambda = 0.97, c = 0.4, v = -1.2, gc = 0.8;
    double gcIn = gc, gv = 0.0;
    step::lowpassAdjoint(lambda, gcIn, gv);
    // <adjoint(gc), (c, v)> = <gc, lowpass(c, v)>
    QVERIFY(close(gcIn * c + gv * v, gc * step::lowpass(lambda, c, v), 1e-14));
    QVERIFY(close(step::lowpass(lambda, 1.0, 1.0), 1.0, 1e-15)); // unit DC gain
}

void TestCircuitStep::blockOfColumnsEqualsScalarColumns()
{
    // The trainers evaluate the step on Eigen arrays of columns; the simulation on one double.
    // The same template must give the same numbers, bit for bit, in either lane type.
    const int n = 37;
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> ud(-1.0f, 1.0f);
    Eigen::ArrayXf s(n), v(n), iInt(n), u(n), x(n), ev(n), gI(n);
    for (int k = 0; k < n; ++k) {
        s[k] = 0.5f + 0.5f * ud(rng);
        v[k] = -50.0f + 20.0f * ud(rng);
        iInt[k] = ud(rng);
        u[k] = ud(rng);
        x[k] = ud(rng);
        ev[k] = v[k] + ud(rng);
        gI[k] = ud(rng);
    }
    const float gbar = 0.15f, esyn = -80.0f, gl = 0.2f, bl = 10.0f, dtc = 0.016f, p = 0.95f, g = 0.3122499f;
    const step::Observer<float> obs(0.3);
    const Eigen::ArrayXf drive = step::synapticDrive(v, esyn);
    const Eigen::ArrayXf isyn = step::conductanceCurrent(gbar, s, drive);
    const Eigen::ArrayXf own = step::ownCurrent(iInt, gl, bl, obs.fed(ev, v));
    const Eigen::ArrayXf next = step::nextVoltage(v, dtc, u - own - isyn);
    const Eigen::ArrayXf dS = step::conductanceActivationAdjoint(gbar, gI, drive);
    const Eigen::ArrayXf slope = step::tanhSlope<float>(x);
    Eigen::ArrayXf xs = x, es = v, ts(n);
    step::allpassSection(xs, es, ts, p, g);
    for (int k = 0; k < n; ++k) {
        const float d = step::synapticDrive(v[k], esyn);
        QCOMPARE(isyn[k], step::conductanceCurrent(gbar, s[k], d));
        const float o = step::ownCurrent(iInt[k], gl, bl, obs.fed(ev[k], v[k]));
        QCOMPARE(own[k], o);
        QCOMPARE(next[k], step::nextVoltage(v[k], dtc, u[k] - o - isyn[k]));
        QCOMPARE(dS[k], step::conductanceActivationAdjoint(gbar, gI[k], d));
        QCOMPARE(slope[k], step::tanhSlope<float>(x[k]));
        float xk = x[k], ek = v[k], tk = 0;
        step::allpassSection(xk, ek, tk, p, g);
        QCOMPARE(xs[k], xk);
        QCOMPARE(es[k], ek);
    }
}

QTEST_GUILESS_MAIN(TestCircuitStep)
void TestCircuitStep::mlpBlockGradientsMatchFiniteDifferences()
{
    // Neuron 0's intrinsic MLP (two tanh layers) of a small model over a block of 5 columns, with
    // L = sum_c w_c out_c: the deltas and weight gradients of the reverse pass against central
    // differences of L in every parameter the block functions own (readout, biases, W_1), and
    // W_0^T delta_0 against the input's.
    using Mat = detail::RowMat<double>;
    const CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), 0.1, 3);
    const MlpIndex& mi = model.neuronIndex(0).intrinsic;
    const int cols = 5, in = model.blocks()[static_cast<std::size_t>(mi.W[0])].cols;
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> ud(-1.0, 1.0);
    Mat x(in, cols);
    detail::RowVec<double> w(cols);
    for (int c = 0; c < cols; ++c) {
        w[c] = ud(rng);
        for (int r = 0; r < in; ++r)
            x(r, c) = ud(rng);
    }
    auto loss = [&](const std::vector<double>& theta, const Mat& input, std::vector<Mat>* layers) {
        const detail::TypedCircuit<double> tc(model, theta);
        const auto& mlp = tc.neurons[0].mlp;
        std::vector<Mat> H;
        for (const auto& W : mlp.W)
            H.emplace_back(W.rows(), cols);
        H[0].noalias() = mlp.W[0] * input;
        detail::RowVec<double> out(cols);
        detail::mlpForwardBlock(
            mlp, [&](std::size_t l) -> Mat& { return H[l]; }, out);
        if (layers)
            *layers = H;
        return out.dot(w);
    };
    const std::vector<double> theta = model.flatParameters();
    std::vector<Mat> H, D;
    loss(theta, x, &H);
    for (const auto& h : H)
        D.emplace_back(h.rows(), cols);
    const detail::TypedCircuit<double> tc(model, theta);
    const auto& mlp = tc.neurons[0].mlp;
    auto layer = [&](std::size_t l) -> const Mat& { return H[l]; };
    auto delta = [&](std::size_t l) -> Mat& { return D[l]; };
    detail::mlpBackwardBlock(mlp, layer, delta, w);
    std::vector<double> g(theta.size(), 0.0);
    detail::mlpWeightGradients(model, mi, g.data(), layer, delta, w);

    std::vector<int> owned = {mi.readout};
    for (std::size_t l = 0; l < mi.W.size(); ++l) {
        owned.push_back(mi.b[l]);
        if (l > 0)
            owned.push_back(mi.W[l]);
    }
    int checked = 0;
    for (int block : owned) {
        const auto& bl = model.blocks()[static_cast<std::size_t>(block)];
        for (long k = 0; k < bl.size(); ++k) {
            const auto p = static_cast<std::size_t>(bl.offset + k);
            const double fd = centralDifference(
                [&](double v) {
                    auto t = theta;
                    t[p] = v;
                    return loss(t, x, nullptr);
                },
                theta[p]);
            QVERIFY2(close(g[p], fd, 1e-6), qPrintable(QString::fromStdString(bl.name) +
                                                       QString(" [%1]: %2 vs %3").arg(k).arg(g[p]).arg(fd)));
            ++checked;
        }
    }
    QVERIFY(checked > 20);
    const Mat dx = mlp.W[0].transpose() * D[0];
    for (int r = 0; r < in; ++r)
        for (int c = 0; c < cols; ++c) {
            const double fd = centralDifference(
                [&](double v) {
                    Mat xp = x;
                    xp(r, c) = v;
                    return loss(theta, xp, nullptr);
                },
                x(r, c));
            QVERIFY(close(dx(r, c), fd, 1e-6));
        }
}

#include "test_circuit_step.moc"
