// SPDX-License-Identifier: GPL-3.0-or-later
// The AVX-512 float32 TF kernel (engine/train/tf_kernel_simd) against the Eigen float32 path and
// the float64 path: same loss and gradient on random data, for paper-sized and odd-sized MLPs,
// block sizes that leave partial 16-lane groups, contiguous ranges and gathered index subsets.
#include "common/synthetic_circuit.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/train/tf_kernel_simd.hpp"
#include "engine/train/tf_problem.hpp"

#include <QtTest>

#include <cmath>
#include <vector>

using namespace rmm;

class TestTfKernelSimd : public QObject {
    Q_OBJECT
  private slots:
    void agreesWithEigen_data();
    void agreesWithEigen();
};

void TestTfKernelSimd::agreesWithEigen_data()
{
    QTest::addColumn<int>("config");
    QTest::addColumn<int>("block");
    QTest::addColumn<bool>("subset");
    QTest::newRow("paper sizes, block 512, range") << 0 << 512 << false;
    QTest::newRow("paper sizes, block 50, subset") << 0 << 50 << true;
    QTest::newRow("odd sizes, block 37, range") << 1 << 37 << false;
    QTest::newRow("odd sizes, block 16, subset") << 1 << 16 << true;
    QTest::newRow("small + conductance, block 45, range") << 2 << 45 << false;
}

void TestTfKernelSimd::agreesWithEigen()
{
    QFETCH(int, config);
    QFETCH(int, block);
    QFETCH(bool, subset);
    if (!detail::simdMlpAvailable())
        QSKIP("this build has no AVX-512 kernel (the Eigen path is used)");
    ModelConfig cfg = rmmtest::smallConfig();
    if (config == 0) { // paper widths: intrinsic 33 -> 20 -> 20 -> 20 -> 1, lumped 25 -> 10 -> 10 -> 10 -> 1
        cfg.intrinsic_taus_ms.clear();
        for (int k = 0; k < 32; ++k)
            cfg.intrinsic_taus_ms.push_back(0.2 + 0.3 * k);
        cfg.synaptic_taus_ms.clear();
        for (int k = 0; k < 24; ++k)
            cfg.synaptic_taus_ms.push_back(0.5 + 0.4 * k);
        cfg.intrinsic_hidden = {20, 20, 20};
        cfg.lumped_hidden = {10, 10, 10};
        cfg.synapses = {{0, 1, SynapseKind::Lumped}, {1, 0, SynapseKind::Lumped}};
    } else if (config == 1) { // widths that are not multiples of the 4-wide register tiles
        cfg.intrinsic_hidden = {7, 5, 6};
        cfg.lumped_hidden = {9};
        cfg.synapses = {{0, 1, SynapseKind::Lumped}, {1, 0, SynapseKind::Lumped}};
    }
    const Dataset data = rmmtest::smoothDataset(2, {700, 650}, 0.1, 21);
    CircuitModel model = CircuitModel::initialize(cfg, data.dt_ms, 5);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    TfProblem<float> fast(data, model, 1, block);
    TfProblem<float> eigen(data, model, 1, block);
    TfProblem<double> ref(data, model, 1, block);
    QVERIFY(fast.simdKernel());
    QVERIFY(!eigen.setSimdKernel(false));
    QVERIFY(!ref.simdKernel());

    std::vector<long> idx;
    for (long k = 0; k < fast.samples(); k += 3)
        idx.push_back((k * 11) % fast.samples());
    const long* ip = subset ? idx.data() : nullptr;
    const long count = subset ? static_cast<long>(idx.size()) : fast.samples();
    // Some block ends in a partial 16-lane group.
    QVERIFY(block % 16 != 0 || (count % block) % 16 != 0);

    std::vector<double> theta = model.flatParameters();
    for (std::size_t k = 0; k < theta.size(); ++k)
        theta[k] += 0.1 * std::sin(2.3 * k + 0.7);
    std::vector<double> gf, ge, gr;
    const double lf = fast.evaluate(theta, ip, 0, count, 1e-3, &gf);
    const double le = eigen.evaluate(theta, ip, 0, count, 1e-3, &ge);
    const double lr = ref.evaluate(theta, ip, 0, count, 1e-3, &gr);
    QVERIFY(std::isfinite(lf) && lf > 0);
    QVERIFY2(std::abs(lf - le) <= 1e-5 * std::abs(le),
             qPrintable(QString("SIMD %1 vs Eigen %2").arg(lf).arg(le)));
    QVERIFY2(std::abs(lf - lr) <= 1e-5 * std::abs(lr),
             qPrintable(QString("SIMD %1 vs float64 %2").arg(lf).arg(lr)));

    double ginf = 0;
    for (double v : gr)
        ginf = std::max(ginf, std::abs(v));
    QVERIFY(ginf > 0);
    double worstE = 0, worstR = 0, worstEigenR = 0;
    for (std::size_t k = 0; k < theta.size(); ++k) {
        worstE = std::max(worstE, std::abs(gf[k] - ge[k]) / (std::abs(ge[k]) + 1e-3 * ginf));
        worstR = std::max(worstR, std::abs(gf[k] - gr[k]) / (std::abs(gr[k]) + 1e-3 * ginf));
        worstEigenR = std::max(worstEigenR, std::abs(ge[k] - gr[k]) / (std::abs(gr[k]) + 1e-3 * ginf));
    }
    qInfo("worst relative gradient difference: SIMD-Eigen %.3g, SIMD-float64 %.3g, Eigen-float64 %.3g",
          worstE, worstR, worstEigenR);
    QVERIFY2(worstE < 1e-4, qPrintable(QString::number(worstE)));
    QVERIFY2(worstR < 1e-4, qPrintable(QString::number(worstR)));
}

QTEST_GUILESS_MAIN(TestTfKernelSimd)
#include "test_tf_kernel_simd.moc"
