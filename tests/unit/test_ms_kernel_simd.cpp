// SPDX-License-Identifier: GPL-3.0-or-later
// The AVX-512 float32 multiple-shooting kernel (engine/train/ms_kernel_simd) against the float64
// Eigen path of MsProblem: loss, parameter gradient and shot-state gradient for MS and GTF,
// lumped, conductance and mixed synapses, 1- and 3-neuron circuits, MLP widths that are not
// multiples of the register tiles, batch sizes that leave partial 16-lane groups and block tails;
// also the float32 Eigen path against the kernel, and bitwise reproducibility of the kernel and of
// float32 GTF training.
#include "common/synthetic_circuit.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/train/ms_kernel_simd.hpp"
#include "engine/train/multiple_shooting.hpp"
#include "engine/train/trainer.hpp"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

using namespace rmm;

namespace {

/// kind: 0 lumped, 1 conductance, 2 mixed (neuron 0 sends lumped synapses, the others conductance).
ModelConfig circuit(int neurons, int kind, bool oddWidths)
{
    ModelConfig c = rmmtest::allToAllCircuit(neurons, kind);
    if (oddWidths) {
        c.intrinsic_hidden = {9, 7, 5};
        c.lumped_hidden = {6};
        c.conductance_hidden = 11;
    } else {
        c.intrinsic_hidden = {20, 20, 20};
        c.lumped_hidden = {10, 10, 10};
        c.conductance_hidden = 20;
    }
    return c;
}

struct Result {
    double loss = 0;
    std::vector<double> grad, shotGrad;
};

template <typename S>
Result evaluate(MsProblem<S>& p, const std::vector<double>& theta, const ShotBatch& b,
                const std::vector<double>& X0)
{
    auto& X = p.shotStates();
    for (std::size_t k = 0; k < X.size(); ++k)
        X[k] = static_cast<S>(X0[k]);
    Result r;
    std::vector<S> gs(static_cast<std::size_t>(b.length() * p.stateSize()));
    r.loss = p.evaluate(theta, b, 1e-3, 3.0, 2.0, &r.grad, gs.data());
    r.shotGrad.assign(gs.begin(), gs.end());
    return r;
}

/// Relative difference of two vectors in the 2-norm, and the worst per-component relative
/// difference over the components larger than `floor` times the largest one.
void compare(const std::vector<double>& ref, const std::vector<double>& got, double normTol, double compTol,
             const char* what)
{
    QCOMPARE(got.size(), ref.size());
    double num = 0, den = 0, amax = 0;
    for (std::size_t k = 0; k < ref.size(); ++k) {
        num += (ref[k] - got[k]) * (ref[k] - got[k]);
        den += ref[k] * ref[k];
        amax = std::max(amax, std::abs(ref[k]));
    }
    QVERIFY2(den > 0, what);
    const double rel = std::sqrt(num / den);
    QVERIFY2(rel < normTol, qPrintable(QString("%1: relative norm difference %2").arg(what).arg(rel)));
    double worst = 0;
    std::size_t at = 0;
    for (std::size_t k = 0; k < ref.size(); ++k)
        if (std::abs(ref[k]) > 1e-2 * amax) {
            const double r = std::abs(ref[k] - got[k]) / std::abs(ref[k]);
            if (r > worst) {
                worst = r;
                at = k;
            }
        }
    QVERIFY2(worst < compTol, qPrintable(QString("%1[%2]: float64 %3, kernel %4 (relative %5)")
                                             .arg(what)
                                             .arg(at)
                                             .arg(ref[at], 0, 'g', 10)
                                             .arg(got[at], 0, 'g', 10)
                                             .arg(worst)));
}

} // namespace

class TestMsKernelSimd : public QObject {
    Q_OBJECT
  private slots:
    void agreesWithDouble_data();
    void agreesWithDouble();
    void agreesWithEigenFloat();
    void reproducible();
    void trainingReproducible();
    void environmentSelectsEigen();
};

void TestMsKernelSimd::agreesWithDouble_data()
{
    QTest::addColumn<int>("neurons");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("gamma");
    QTest::addColumn<bool>("odd");
    QTest::addColumn<int>("shot");
    QTest::addColumn<int>("block"); // shots per task (0: the kernel's default)
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("count");
    QTest::newRow("1 neuron MS") << 1 << 0 << 0.0 << false << 10 << 0 << 3 << 37;
    QTest::newRow("1 neuron GTF") << 1 << 0 << 0.3 << false << 10 << 0 << 0 << 50;
    QTest::newRow("3 neurons lumped MS, odd widths, block 20") << 3 << 0 << 0.0 << true << 7 << 20 << 5 << 53;
    QTest::newRow("3 neurons lumped GTF") << 3 << 0 << 0.3 << false << 8 << 0 << 2 << 40;
    QTest::newRow("3 neurons conductance MS") << 3 << 1 << 0.0 << false << 9 << 0 << 1 << 33;
    QTest::newRow("3 neurons conductance GTF, odd widths, block 17")
        << 3 << 1 << 0.3 << true << 6 << 17 << 0 << 61;
    QTest::newRow("3 neurons mixed GTF") << 3 << 2 << 0.3 << false << 12 << 0 << 4 << 19;
    QTest::newRow("1 neuron MS, one shot") << 1 << 0 << 0.0 << true << 5 << 0 << 7 << 1;
}

void TestMsKernelSimd::agreesWithDouble()
{
    QFETCH(int, neurons);
    QFETCH(int, kind);
    QFETCH(double, gamma);
    QFETCH(bool, odd);
    QFETCH(int, shot);
    QFETCH(int, block);
    QFETCH(int, first);
    QFETCH(int, count);
    if (!detail::simdMsAvailable())
        QSKIP("this build has no AVX-512 kernel (the Eigen path is used)");
    const Dataset data = rmmtest::smoothDataset(neurons, {2400, 800}, 0.1, 17);
    CircuitModel model = CircuitModel::initialize(circuit(neurons, kind, odd), data.dt_ms, 3);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<double> pd(data, model, shot, gamma, 2, 5);
    MsProblem<float> pf(data, model, shot, gamma, 2, block);
    QVERIFY(pf.simdKernel() || std::getenv("RMM_MS_KERNEL"));
    QCOMPARE(pf.stateSize(), pd.stateSize());
    QVERIFY(first + count <= pd.shots());
    std::vector<double> theta = model.flatParameters();
    for (std::size_t k = 0; k < theta.size(); ++k)
        theta[k] += 0.05 * std::sin(1.3 * static_cast<double>(k) + 0.2);
    std::vector<double> X0(pd.shotStates().begin(), pd.shotStates().end());
    for (std::size_t k = 0; k < X0.size(); ++k) // non-zero continuity terms
        X0[k] += 0.2 * std::cos(0.7 * static_cast<double>(k));
    const ShotBatch b{first, first + count};
    const Result rd = evaluate(pd, theta, b, X0);
    const Result rf = evaluate(pf, theta, b, X0);
    QVERIFY(std::isfinite(rd.loss) && rd.loss > 0);
    QVERIFY2(
        std::abs(rf.loss - rd.loss) < 1e-4 * rd.loss,
        qPrintable(QString("loss: float64 %1, kernel %2").arg(rd.loss, 0, 'g', 12).arg(rf.loss, 0, 'g', 12)));
    compare(rd.grad, rf.grad, 1e-4, 2e-3, "parameter gradient");
    compare(rd.shotGrad, rf.shotGrad, 1e-4, 2e-3, "shot-state gradient");
}

void TestMsKernelSimd::agreesWithEigenFloat()
{
    if (!detail::simdMsAvailable())
        QSKIP("this build has no AVX-512 kernel (the Eigen path is used)");
    const Dataset data = rmmtest::smoothDataset(2, {900, 800}, 0.1, 5);
    CircuitModel model = CircuitModel::initialize(circuit(2, 2, false), data.dt_ms, 9);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<float> ps(data, model, 10, 0.5, 1);
    MsProblem<float> pe(data, model, 10, 0.5, 1);
    QVERIFY(ps.simdKernel() || std::getenv("RMM_MS_KERNEL"));
    QVERIFY(!pe.setSimdKernel(false));
    const std::vector<double> theta = model.flatParameters();
    const std::vector<double> X0(ps.shotStates().begin(), ps.shotStates().end());
    const ShotBatch b{2, 47};
    const Result rs = evaluate(ps, theta, b, X0);
    const Result re = evaluate(pe, theta, b, X0);
    QVERIFY(std::abs(rs.loss - re.loss) < 1e-4 * re.loss);
    compare(re.grad, rs.grad, 1e-4, 2e-3, "parameter gradient");
    compare(re.shotGrad, rs.shotGrad, 1e-4, 2e-3, "shot-state gradient");
}

void TestMsKernelSimd::reproducible()
{
    if (!detail::simdMsAvailable())
        QSKIP("this build has no AVX-512 kernel (the Eigen path is used)");
    const Dataset data = rmmtest::smoothDataset(2, {2400, 800}, 0.1, 6);
    CircuitModel model = CircuitModel::initialize(circuit(2, 0, false), data.dt_ms, 4);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<float> p(data, model, 9, 0.2, 2, 16);
    const std::vector<double> theta = model.flatParameters();
    const std::vector<double> X0(p.shotStates().begin(), p.shotStates().end());
    const ShotBatch b{0, 70};
    const Result r1 = evaluate(p, theta, b, X0);
    const Result r2 = evaluate(p, theta, b, X0);
    QCOMPARE(r1.loss, r2.loss);
    QVERIFY(std::memcmp(r1.grad.data(), r2.grad.data(), r1.grad.size() * sizeof(double)) == 0);
    QVERIFY(std::memcmp(r1.shotGrad.data(), r2.shotGrad.data(), r1.shotGrad.size() * sizeof(double)) == 0);
}

void TestMsKernelSimd::trainingReproducible()
{
    // Same seed and thread count: bitwise identical GTF training in float32 (kernel path).
    const Dataset data = rmmtest::smoothDataset(2, {28000, 20000}, 0.1, 12);
    TrainingConfig t;
    t.method = TrainingMethod::GeneralizedTeacherForcing;
    t.gamma = 0.3;
    t.epochs = 3;
    t.batches = 4;
    t.shot = 12;
    t.schedule = {{0, 1e-2}};
    t.seed = 5;
    t.threads = 2;
    t.validate_every = 3;
    t.precision = Precision::Float32;
    const TrainingResult a = train(data, rmmtest::smallConfig(), t);
    const TrainingResult b = train(data, rmmtest::smallConfig(), t);
    QCOMPARE(a.curves.size(), std::size_t(3));
    QCOMPARE(b.curves.size(), a.curves.size());
    for (std::size_t k = 0; k < a.curves.size(); ++k) {
        QVERIFY(std::isfinite(a.curves[k].train_loss));
        QCOMPARE(a.curves[k].train_loss, b.curves[k].train_loss); // bitwise
    }
    QVERIFY(a.curves.back().train_loss < a.curves.front().train_loss);
    QVERIFY(a.best.flatParameters() == b.best.flatParameters());
}

void TestMsKernelSimd::environmentSelectsEigen()
{
    const Dataset data = rmmtest::smoothDataset(1, {300}, 0.1, 2);
    CircuitModel model = CircuitModel::initialize(circuit(1, 0, true), data.dt_ms, 1);
    qputenv("RMM_MS_KERNEL", "eigen");
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<float> pe(data, model, 10, 0.0, 1);
    qunsetenv("RMM_MS_KERNEL");
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<float> ps(data, model, 10, 0.0, 1);
    MsProblem<double> pd(data, model, 10, 0.0, 1);
    QVERIFY(!pe.simdKernel());
    QCOMPARE(ps.simdKernel(), detail::simdMsAvailable());
    QVERIFY(!pd.simdKernel());
}

QTEST_GUILESS_MAIN(TestMsKernelSimd)
#include "test_ms_kernel_simd.moc"
