// SPDX-License-Identifier: GPL-3.0-or-later
// Validation metric and current metrics (docs/method.md sections 4-5). Reference constants come from
// Debian's python3-scipy 1.10.1 and a 60-digit decimal filtfilt: tests/unit/metrics_reference.py.
#include "common/errors.hpp"
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/metrics/metrics.hpp"

#include <QElapsedTimer>
#include <QtTest>

#include <cmath>
#include <complex>
#include <functional>
#include <limits>
#include <numbers>

using namespace rmm;

namespace {

using rmmtest::errorOf;

constexpr double kFs = 10000;
const std::vector<std::size_t> kIdx{0, 1, 2, 10, 100, 1234, 2500, 4000, 4990, 4998, 4999};

/// The deterministic test signal of metrics_reference.py.
std::vector<double> testSignal(std::size_t n)
{
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double noise =
            static_cast<double>((i * 1103515245ULL + 12345ULL) % 2147483648ULL) / 2147483648.0;
        const double t = static_cast<double>(i);
        x[i] = 10 * std::sin(0.0123 * t) + 3 * std::sin(0.71 * t + 0.3) + 4 * (noise - 0.5) - 60;
    }
    return x;
}

/// scipy.signal.butter(3, ..., fs=10000): 0 = band 20-500 Hz, 1 = band 2-100 Hz, 2 = low-pass 2 kHz.
IirCoefficients scipyCoefficients(int which)
{
    switch (which) {
    case 0:
        return {{0.0025918862424476594, 0.0, -0.007775658727342979, 0.0, 0.007775658727342979, 0.0,
                 -0.0025918862424476594},
                {1.0, -5.388224194731291, 12.123571305733158, -14.58656717061034, 9.901111231455143,
                 -3.595677959849029, 0.5457868344637804}};
    case 1:
        return {{2.7465884465822324e-05, 0.0, -8.239765339746697e-05, 0.0, 8.239765339746697e-05, 0.0,
                 -2.7465884465822324e-05},
                {1.0, -5.876636876721782, 14.390899546328614, -18.796990230321374, 13.811942763115201,
                 -5.413328636247869, 0.8841134338476746}};
    default:
        return {{0.09853116092392705, 0.29559348277178116, 0.29559348277178116, 0.09853116092392705},
                {1.0, -0.5772405248063026, 0.42178704868956163, -0.056297236491842595}};
    }
}

/// |H(e^{j omega})| of a digital filter.
double gainAt(const IirCoefficients& f, double omega)
{
    using C = std::complex<long double>;
    const C z1 = std::exp(C(0, -omega));
    C num(0), den(0), zk(1);
    for (std::size_t k = 0; k < std::max(f.b.size(), f.a.size()); ++k, zk *= z1) {
        if (k < f.b.size())
            num += static_cast<long double>(f.b[k]) * zk;
        if (k < f.a.size())
            den += static_cast<long double>(f.a[k]) * zk;
    }
    return static_cast<double>(std::abs(num / den));
}

/// |H(e^{j omega})| of a cascade of second-order sections.
double gainAt(const SosFilter& f, double omega)
{
    double g = 1;
    for (const auto& c : f.sections)
        g *= gainAt(IirCoefficients{{c[0], c[1], c[2]}, {c[3], c[4], c[5]}}, omega);
    return g;
}

/// The sections multiplied out into (b, a), in long double.
IirCoefficients multipliedOut(const SosFilter& f)
{
    std::vector<long double> b{1}, a{1};
    auto mul = [](const std::vector<long double>& p, const double* q) {
        std::vector<long double> r(p.size() + 2, 0);
        for (std::size_t i = 0; i < p.size(); ++i)
            for (std::size_t j = 0; j < 3; ++j)
                r[i + j] += p[i] * q[j];
        return r;
    };
    for (const auto& c : f.sections) {
        b = mul(b, c.data());
        a = mul(a, c.data() + 3);
    }
    while (b.size() > 1 && b.back() == 0 && a.back() == 0) { // first-order sections
        b.pop_back();
        a.pop_back();
    }
    return {std::vector<double>(b.begin(), b.end()), std::vector<double>(a.begin(), a.end())};
}

void compareVectors(const std::vector<double>& got, const std::vector<double>& want, double relTol,
                    double absTol, const char* what)
{
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        QVERIFY2(rmmtest::near(got[i], want[i], absTol, relTol), qPrintable(QString("%1[%2]: got %3, want %4")
                                                                                .arg(what)
                                                                                .arg(i)
                                                                                .arg(got[i], 0, 'g', 17)
                                                                                .arg(want[i], 0, 'g', 17)));
}

/// A voltage trace: a slow wave (period 10000 samples, 1 Hz at 10 kHz) around -55 mV with narrow
/// 60 mV Gaussian spikes (sigma 3 samples).
std::vector<double> spikingTrace(std::size_t n, const std::vector<std::size_t>& spikes,
                                 double slowWave_mV = 10)
{
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = -55 + slowWave_mV * std::sin(2 * std::numbers::pi * static_cast<double>(i) / 10000);
    for (std::size_t p : spikes)
        for (std::size_t i = p > 40 ? p - 40 : 0; i < std::min(n, p + 41); ++i) {
            const double d = (static_cast<double>(i) - static_cast<double>(p)) / 3.0;
            v[i] += 60 * std::exp(-0.5 * d * d);
        }
    return v;
}

double sum(const std::vector<double>& y)
{
    long double s = 0;
    for (double v : y)
        s += v;
    return static_cast<double>(s);
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

  private slots:
    void butterworthMatchesScipy_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("paper band 20-500 Hz") << 0;
        QTest::newRow("reference band 2-100 Hz") << 1;
        QTest::newRow("low-pass 2 kHz") << 2;
    }

    void butterworthMatchesScipy()
    {
        QFETCH(int, which);
        const IirCoefficients want = scipyCoefficients(which);
        const IirCoefficients f = which == 0   ? butterBandpass(3, 20, 500, kFs)
                                  : which == 1 ? butterBandpass(3, 2, 100, kFs)
                                               : butterLowpass(3, 2000, kFs);
        double bmax = 0;
        for (double v : want.b)
            bmax = std::max(bmax, std::abs(v));
        compareVectors(f.b, want.b, 1e-10, 1e-14 * bmax, "b");
        compareVectors(f.a, want.a, 1e-10, 1e-14, "a");
    }

    void butterworthGainClosedForm()
    {
        // Band-pass: unit gain at the pre-warped centre, half power at both corners, zero at DC and
        // Nyquist. Rounding (b, a) to double costs accuracy when poles crowd near z = 1: the tolerance
        // grows with the order and the smallness of the low corner (2 Hz at 10 kHz, order 3: ~2e-3).
        struct Case {
            double lo, hi;
            int order;
            double tol;
        };
        for (const Case& c : {Case{20, 500, 1, 1e-12}, Case{20, 500, 2, 1e-11}, Case{20, 500, 3, 1e-7},
                              Case{2, 100, 1, 1e-12}, Case{2, 100, 2, 1e-8}, Case{2, 100, 3, 3e-3},
                              Case{300, 4000, 3, 1e-12}, Case{300, 4000, 5, 1e-12}}) {
            const IirCoefficients f = butterBandpass(c.order, c.lo, c.hi, kFs);
            QCOMPARE(f.b.size(), std::size_t(2 * c.order + 1));
            QCOMPARE(f.a[0], 1.0);
            const double wl = std::tan(std::numbers::pi * c.lo / kFs),
                         wh = std::tan(std::numbers::pi * c.hi / kFs);
            const double centre = 2 * std::atan(std::sqrt(wl * wh));
            QVERIFY(rmmtest::near(gainAt(f, centre), 1.0, c.tol));
            QVERIFY(rmmtest::near(gainAt(f, 2 * std::numbers::pi * c.lo / kFs), std::sqrt(0.5), c.tol));
            QVERIFY(rmmtest::near(gainAt(f, 2 * std::numbers::pi * c.hi / kFs), std::sqrt(0.5), c.tol));
            QVERIFY(gainAt(f, 0) < 1e-12);
            QVERIFY(gainAt(f, std::numbers::pi) < 1e-12);
        }
        // Low-pass: unit DC gain, half power at the cutoff, zero at Nyquist.
        for (int order : {1, 2, 3, 4, 6}) {
            const IirCoefficients f = butterLowpass(order, 2000, kFs);
            QCOMPARE(f.b.size(), std::size_t(order + 1));
            QVERIFY(rmmtest::near(gainAt(f, 0), 1.0, 1e-12));
            QVERIFY(rmmtest::near(gainAt(f, 2 * std::numbers::pi * 2000 / kFs), std::sqrt(0.5), 1e-12));
            QVERIFY(gainAt(f, std::numbers::pi) < 1e-12);
        }
        // Order 5 at 2-100 Hz is garbage in (b, a) form (realised centre gain ~0.01): refused.
        QVERIFY(errorOf([] { butterBandpass(5, 2, 100, kFs); }).contains("numerically unusable"));
    }

    void butterworthSosMatchesScipy()
    {
        // The sections' product is scipy's (b, a); section pairing is free, so only the product is compared.
        for (int which : {0, 1, 2}) {
            const SosFilter f = which == 0   ? butterBandpassSos(3, 20, 500, kFs)
                                : which == 1 ? butterBandpassSos(3, 2, 100, kFs)
                                             : butterLowpassSos(3, 2000, kFs);
            QCOMPARE(f.sections.size(), std::size_t(which == 2 ? 2 : 3));
            const IirCoefficients want = scipyCoefficients(which), got = multipliedOut(f);
            compareVectors(got.b, want.b, 1e-10, 1e-14 * std::abs(want.b[0]), "b");
            compareVectors(got.a, want.a, 1e-10, 1e-14, "a");
        }
        // Band-pass sections each hold the zeros {+1, -1}: b proportional to {1, 0, -1}.
        for (const auto& c : butterBandpassSos(3, 20, 500, kFs).sections) {
            QCOMPARE(c[1], 0.0);
            QCOMPARE(c[2], -c[0]);
            QCOMPARE(c[3], 1.0);
        }
        // Sections stay accurate where (b, a) breaks down (order 5, 2-100 Hz; 20 and 50 kHz). The
        // worst case, a 5 Hz low-pass at 50 kHz, is off by ~4e-10 at DC (1 + a1 + a2 ~ 1e-7 per section).
        for (double fs : {10000.0, 20000.0, 50000.0})
            for (int order : {1, 3, 5, 8}) {
                const SosFilter f = butterBandpassSos(order, 2, 100, fs);
                const double wl = std::tan(std::numbers::pi * 2 / fs),
                             wh = std::tan(std::numbers::pi * 100 / fs);
                QVERIFY(rmmtest::near(gainAt(f, 2 * std::atan(std::sqrt(wl * wh))), 1.0, 1e-9));
                QVERIFY(rmmtest::near(gainAt(f, 2 * std::numbers::pi * 2 / fs), std::sqrt(0.5), 1e-9));
                QVERIFY(rmmtest::near(gainAt(f, 2 * std::numbers::pi * 100 / fs), std::sqrt(0.5), 1e-9));
                QVERIFY(gainAt(f, 0) < 1e-12);
                const SosFilter lp = butterLowpassSos(order, 5, fs);
                QCOMPARE(lp.sections.size(), std::size_t((order + 1) / 2));
                QVERIFY(rmmtest::near(gainAt(lp, 0), 1.0, 1e-9));
                QVERIFY(rmmtest::near(gainAt(lp, 2 * std::numbers::pi * 5 / fs), std::sqrt(0.5), 1e-9));
            }
        QVERIFY(errorOf([] { butterBandpassSos(3, 200, 100, kFs); }).contains("0 < low < high"));
        QVERIFY(errorOf([] { butterLowpassSos(0, 100, kFs); }).contains("order"));
    }

    void butterworthRejectsBadInput()
    {
        QVERIFY(errorOf([] { butterBandpass(3, 500, 20, kFs); }).contains("0 < low < high"));
        QVERIFY(errorOf([] { butterBandpass(3, 0, 20, kFs); }).contains("0 < low < high"));
        QVERIFY(errorOf([] { butterBandpass(3, 20, 5000, kFs); }).contains("fs/2 = 5000"));
        QVERIFY(errorOf([] { butterBandpass(3, std::nan(""), 20, kFs); }).contains("0 < low < high"));
        QVERIFY(errorOf([] { butterBandpass(0, 20, 500, kFs); }).contains("order"));
        QVERIFY(errorOf([] { butterBandpass(11, 20, 500, kFs); }).contains("order"));
        QVERIFY(errorOf([] { butterBandpass(3, 20, 500, -1); }).contains("sampling rate"));
        QVERIFY(errorOf([] { butterLowpass(3, 6000, kFs); }).contains("0 < cutoff < fs/2"));
        QVERIFY(errorOf([] { butterLowpass(3, -1, kFs); }).contains("0 < cutoff < fs/2"));
    }

    void lfilterZiSteadyState()
    {
        // Well-conditioned low-pass: scipy.signal.lfilter_zi.
        compareVectors(lfilterZi(butterLowpass(3, 2000, kFs)),
                       {0.9014688390760729, 0.02863483149798918, 0.15482839741576965}, 1e-13, 1e-15, "zi");
        // Band-pass (DC gain 0): zi_i = sum_{k > i} b_k exactly, i.e. c * {-1, -1, 2, 2, -1, -1}.
        const IirCoefficients f = butterBandpass(3, 20, 500, kFs);
        const double c = f.b[0];
        compareVectors(lfilterZi(f), {-c, -c, 2 * c, 2 * c, -c, -c}, 1e-6, 0, "zi");
        // A pole at z = 1 has no steady state.
        QVERIFY(errorOf([] { lfilterZi(IirCoefficients{{1}, {1, -1}}); }).contains("pole at z = 1"));
        QVERIFY(errorOf([] { lfilterZi(IirCoefficients{{1}, {0, 1}}); }).contains("a[0]"));
    }

    void filtfiltMatchesReference_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<std::vector<double>>("ideal");
        QTest::addColumn<double>("idealSum");
        QTest::addColumn<double>("idealSumSq");
        QTest::addColumn<std::vector<double>>("stock");
        QTest::addColumn<double>("stockTol");
        QTest::addColumn<double>("idealTol");
        // "ideal": 60-digit filtfilt of the same (b, a); "stock": scipy.signal.filtfilt, whose lfilter_zi
        // comes from a double LU of a near-singular system (|stock - ideal| <= 1.7e-8, 8.9e-4, 2.8e-14).
        QTest::newRow("paper band 20-500 Hz")
            << 0 << std::vector<double>{-2.081820485639842,  -1.9559205246112026, -1.829290470294883,
                                        -0.7752889020900642, 4.773206927354749,   1.7243615165873207,
                                        -3.3551262485909596, -3.496122420075254,  -0.9236957195283673,
                                        -0.3759174215177408, -0.3576369048457992}
            << 342.1978067142387 << 51871.42443519973
            << std::vector<double>{-2.0818204912504226, -1.9559205302374056, -1.8292904759362039,
                                   -0.7752889078241773, 4.773206924050069,   1.7243615104867702,
                                   -3.3551262547433742, -3.4961224179429395, -0.923695716890512,
                                   -0.3759174194869985, -0.35763690289930955}
            << 2e-8 << 1e-10;
        QTest::newRow("reference band 2-100 Hz")
            << 1 << std::vector<double>{2.1606346385184496,    2.348586956525491,    2.5364831955204283,
                                        4.017983532557178,     12.833648694868799,   6.348932164942668,
                                        -7.1455779229629615,   -11.167463653379173,  -0.08672889993061278,
                                        -0.035849565713038975, -0.031063648586208775}
            << 2418.5106864592412 << 285222.2463957281
            << std::vector<double>{2.160711953450135,    2.3486639463517647,  2.5365598600322237,
                                   4.01805758571276,     12.833691940468004,  6.348136051747504,
                                   -7.1461260543579765,  -11.167674955176475, -0.08673080697951284,
                                   -0.03585062023901632, -0.03106463309625759}
            << 1e-3 << 1e-6;
        QTest::newRow("low-pass 2 kHz")
            << 2 << std::vector<double>{-61.112625800888296, -58.609616926952945, -57.582886644058675,
                                        -56.572358747874645, -47.60984689141621,  -55.333283814582714,
                                        -67.40670548150956,  -67.06061330007458,  -71.66019936040216,
                                        -71.93294141590239,  -69.70937539478446}
            << -299384.59117002314 << 18200338.06575343
            << std::vector<double>{-61.11262580088829, -58.60961692695293, -57.582886644058675,
                                   -56.57235874787465, -47.60984689141622, -55.333283814582714,
                                   -67.40670548150956, -67.06061330007458, -71.66019936040216,
                                   -71.93294141590239, -69.70937539478446}
            << 1e-12 << 1e-10;
    }

    void filtfiltMatchesReference()
    {
        QFETCH(int, which);
        QFETCH(std::vector<double>, ideal);
        QFETCH(double, idealSum);
        QFETCH(double, idealSumSq);
        QFETCH(std::vector<double>, stock);
        QFETCH(double, stockTol);
        QFETCH(double, idealTol);
        // scipy's own coefficients, so that this tests filtfilt alone: with poles this close to z = 1 a
        // last-bit change of a coefficient moves the 2-100 Hz output by ~1e-3 (see butterworthSensitivity).
        const IirCoefficients f = scipyCoefficients(which);
        const std::vector<double> y = filtfilt(f, testSignal(5000));
        QCOMPARE(y.size(), std::size_t(5000));
        std::vector<double> picked;
        for (std::size_t i : kIdx)
            picked.push_back(y[i]);
        double ss = 0;
        for (double v : y)
            ss += v * v;
        qInfo(
            "max |filtfilt - ideal| at the chosen samples: %.3g; sum %.17g (ideal %.17g), sum of squares "
            "%.17g (%.17g)",
            [&] {
                double m = 0;
                for (std::size_t i = 0; i < picked.size(); ++i)
                    m = std::max(m, std::abs(picked[i] - ideal[i]));
                return m;
            }(),
            sum(y), idealSum, ss, idealSumSq);
        // Roundoff in the recursion reaches the output through 1/A(z), whose DC gain 1/sum(a) is ~2e12 for
        // the 2-100 Hz band: long double state keeps that near 1e-7 (stock scipy in double: ~1e-3).
        compareVectors(picked, ideal, 0, idealTol, "ideal");
        compareVectors(picked, stock, 1e-14, stockTol, "scipy");
        QVERIFY(rmmtest::near(sum(y), idealSum, idealTol * 5000));
        QVERIFY(rmmtest::near(ss, idealSumSq, 0, idealTol));
    }

    void sosFiltfiltMatchesScipy_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<double>("fs");
        QTest::addColumn<std::vector<double>>("want");
        QTest::addColumn<double>("wantSum");
        QTest::addColumn<double>("wantSumSq");
        // scipy.signal.sosfiltfilt, itself within 4e-11 of a 60-digit evaluation of its sections. It
        // differs from filtfilt(b, a) by 3e-7 (20-500 Hz) and 6e-3 (2-100 Hz): the (b, a) rounding.
        QTest::newRow("paper band 20-500 Hz")
            << 0 << 10000.0
            << std::vector<double>{-2.0818206507979187,  -1.9559206864121057, -1.8292906286949142,
                                   -0.775289031823239,   4.773207153939579,   1.7243616810745301,
                                   -3.355126449126815,   -3.4961226985766087, -0.9236956876999622,
                                   -0.37591739472167107, -0.3576368791105849}
            << 342.19782419855994 << 51871.43125417699;
        QTest::newRow("reference band 2-100 Hz")
            << 1 << 10000.0
            << std::vector<double>{2.160065841277211,     2.3480077165571105,   2.535893515735712,
                                   4.017310438552984,     12.832050159702131,   6.342611431129102,
                                   -7.144891916715886,    -11.165762061852224,  -0.08674049263153134,
                                   -0.035853734296516046, -0.031067203945208274}
            << 2412.6264340144717 << 285166.49665391387;
        QTest::newRow("low-pass 2 kHz")
            << 2 << 10000.0
            << std::vector<double>{-61.11262580088828,  -58.60961692695293, -57.58288664405867,
                                   -56.572358747874645, -47.60984689141621, -55.33328381458271,
                                   -67.40670548150955,  -67.06061330007456, -71.66019936040215,
                                   -71.93294141590238,  -69.70937539478443}
            << -299384.5911700231 << 18200338.065753426;
        QTest::newRow("reference band 2-100 Hz at 20 kHz")
            << 1 << 20000.0
            << std::vector<double>{1.537121155911216,    1.6698496370228284,  1.8032412711332273,
                                   2.8891981175388364,   12.287485820012492,  4.444067394526365,
                                   -9.1496890383184,     -8.222689585306085,  0.02439170686760168,
                                   0.007281912776063362, 0.006067891099992949}
            << 1028.2633950006743 << 295252.46151119703;
    }

    void sosFiltfiltMatchesScipy()
    {
        QFETCH(int, which);
        QFETCH(double, fs);
        QFETCH(std::vector<double>, want);
        QFETCH(double, wantSum);
        QFETCH(double, wantSumSq);
        const SosFilter f = which == 0   ? butterBandpassSos(3, 20, 500, fs)
                            : which == 1 ? butterBandpassSos(3, 2, 100, fs)
                                         : butterLowpassSos(3, 2000, fs);
        const std::vector<double> y = filtfilt(f, testSignal(5000));
        std::vector<double> picked;
        for (std::size_t i : kIdx)
            picked.push_back(y[i]);
        compareVectors(picked, want, 0, 1e-9, "sosfiltfilt");
        double ss = 0;
        for (double v : y)
            ss += v * v;
        QVERIFY(rmmtest::near(sum(y), wantSum, 1e-6));
        QVERIFY(rmmtest::near(ss, wantSumSq, 0, 1e-11));
    }

    void filtfiltShortSignals()
    {
        const IirCoefficients f = butterLowpass(3, 2000, kFs);
        const std::vector<double> x{1.0, 4, 2, 8, 5, 7, 3, 9, 6, 0, 2, 5, 1};
        compareVectors(filtfilt(f, x),
                       {0.9999707605592704, 2.805593736617291, 4.448711537892054, 5.56605657012782,
                        5.959286288850075, 6.041609192453493, 6.216728339348291, 5.97440497460332,
                        4.736361089964712, 3.2224430696514252, 2.4274775245186175, 1.9402201991320474,
                        0.999623120676049},
                       0, 1e-13, "short");
        const QString e = errorOf([&] { filtfilt(f, std::vector<double>(x.begin(), x.end() - 1)); });
        QVERIFY2(e.contains("more than 12 samples") && e.contains("has 12"), qPrintable(e));
        QVERIFY(!errorOf([&] { filtfilt(f, {}); }).isEmpty());
        std::vector<double> bad = testSignal(100);
        bad[37] = std::numeric_limits<double>::infinity();
        QVERIFY(errorOf([&] { filtfilt(f, bad); }).contains("sample 37"));
        // Sections: a first-order section shortens the padding as in scipy (3 * (2 * 2 + 1 - 1) = 12).
        const SosFilter sos = butterLowpassSos(3, 2000, kFs);
        compareVectors(filtfilt(sos, x),
                       {0.9999707605592698, 2.8055937366172907, 4.448711537892054, 5.56605657012782,
                        5.959286288850075, 6.041609192453494, 6.2167283393482915, 5.9744049746033205,
                        4.736361089964712, 3.2224430696514252, 2.4274775245186175, 1.940220199132047,
                        0.9996231206760489},
                       0, 1e-13, "short sos");
        QVERIFY(errorOf([&] {
                    filtfilt(sos, std::vector<double>(x.begin(), x.end() - 1));
                }).contains("more than 12"));
        QVERIFY(errorOf([&] {
                    filtfilt(butterBandpassSos(3, 20, 500, kFs), std::vector<double>(21, 1.0));
                }).contains("more than 21"));
        QVERIFY(errorOf([&] { filtfilt(sos, bad); }).contains("sample 37"));
        QVERIFY(errorOf([&] { filtfilt(SosFilter{}, x); }).contains("no sections"));
        QVERIFY(errorOf([&] { filtfilt(SosFilter{{{1, 0, 0, 0, 1, 0}}}, x); }).contains("section 0"));
    }

    void filtfiltConstantAndLinear()
    {
        // Odd padding continues a straight line; a DC-unity low-pass then passes it almost unchanged,
        // and a band-pass removes a constant entirely.
        std::vector<double> c(1000, -61.5);
        for (double v : filtfilt(butterBandpass(3, 20, 500, kFs), c))
            QVERIFY(std::abs(v) < 1e-9);
        for (double v : filtfilt(butterLowpass(3, 2000, kFs), c))
            QVERIFY(rmmtest::near(v, -61.5, 1e-11));
        // Zero phase: |H|^2 is even in frequency, so a ramp leaves the low-pass unchanged once the
        // start-up transient (initial conditions assume a step, not a ramp) has died out.
        std::vector<double> ramp(1000);
        for (std::size_t i = 0; i < ramp.size(); ++i)
            ramp[i] = 0.25 * static_cast<double>(i) - 70;
        const std::vector<double> y = filtfilt(butterLowpass(3, 2000, kFs), ramp);
        for (std::size_t i = 100; i < 900; ++i)
            QVERIFY(rmmtest::near(y[i], ramp[i], 1e-9));
    }

    void strictMaximaWindows()
    {
        using Idx = std::vector<std::size_t>;
        // Plateaus are never strict maxima; neither are the first and last samples.
        QCOMPARE(strictMaxima({0, 1, 3, 3, 1, 0}, 5), Idx{});
        QCOMPARE(strictMaxima({9, 1, 0, 0, 0, 0, 0, 0, 2}, 5), Idx{});
        QCOMPARE(strictMaxima({0, 2, 0}, 5), Idx{1});
        QCOMPARE(strictMaxima({0, 0, 0, 0}, 1), Idx{});
        QCOMPARE(strictMaxima({}, 5), Idx{});
        QCOMPARE(strictMaxima({1}, 5), Idx{});
        // A higher sample 5 away suppresses a peak; 6 away it does not.
        std::vector<double> x(30, 0.0);
        x[10] = 5;
        x[15] = 4;
        x[22] = 4.5;
        QCOMPARE(strictMaxima(x, 5), (Idx{10, 22}));
        x[15] = 5; // equal heights within one window: neither is strict
        QCOMPARE(strictMaxima(x, 5), (Idx{22}));
        // The window is clipped at the edges: index 1 only needs to beat the samples that exist.
        QCOMPARE(strictMaxima({0, 3, 2, 1, 0, 0, 0, 0, 0}, 5), Idx{1});
        QCOMPARE(strictMaxima({0, 0, 0, 0, 0, 1, 2, 3, 0}, 5), Idx{7});
        QCOMPARE(strictMaxima({0, 0, 0, 0, 0, 1, 2, 3, 4}, 5), Idx{});
        QVERIFY(errorOf([] { strictMaxima({1, 2}, 0); }).contains("at least 1"));
    }

    void smoothSpikesMatchesDirectConvolution()
    {
        const std::size_t n = 120;
        const int K = 20;
        const double tau = 7;
        const std::vector<std::size_t> spikes{0, 3, 19, 20, 21, 50, 51, 79, 80, 99, 100, 119};
        std::vector<double> train(n, 0.0), w(2 * K + 1);
        for (std::size_t p : spikes)
            train[p] = 1;
        double ws = 0;
        for (int k = -K; k <= K; ++k)
            ws += w[std::size_t(k + K)] = std::exp(-std::abs(k) / tau);
        // numpy.convolve(train, w / ws, 'same')[K:n-K], written out directly.
        std::vector<double> want;
        for (std::size_t i = K; i < n - K; ++i) {
            double acc = 0;
            for (int k = -K; k <= K; ++k) {
                const long j = long(i) - k;
                if (j >= 0 && j < long(n))
                    acc += train[std::size_t(j)] * w[std::size_t(k + K)] / ws;
            }
            want.push_back(acc);
        }
        compareVectors(smoothSpikes(spikes, n, tau, K), want, 1e-13, 1e-16, "smoothed");
        // Paper kernel (r = exp(-1/500), K = 3000): a spike fully inside the kept range [3000, 9000]
        // contributes exactly 1 in total; one at 11000 only its tail k = 2000..3000, which is
        // (r^2000 - r^3001) / (1 + r - 2 r^3001) of the kernel's sum (geometric series).
        const std::vector<double> y = smoothSpikes({6000, 11000}, 12001, 500, 3000);
        QCOMPARE(y.size(), std::size_t(6001));
        QVERIFY(y[6000] > 0 && y[5999] < y[6000]);
        const double r = std::exp(-1.0 / 500);
        const double tail = (std::pow(r, 2000) - std::pow(r, 3001)) / (1 + r - 2 * std::pow(r, 3001));
        QVERIFY(rmmtest::near(sum(y), 1 + tail, 1e-12));
        QVERIFY(rmmtest::near(y[3000], (1 - r) / (1 + r - 2 * std::pow(r, 3001)), 1e-15)); // peak weight w[0]
        QVERIFY(!errorOf([] { smoothSpikes({5, 3}, 100, 5, 10); }).isEmpty());
        QVERIFY(!errorOf([] { smoothSpikes({100}, 100, 5, 10); }).isEmpty());
        QVERIFY(errorOf([] { smoothSpikes({}, 20, 5, 10); }).contains("more than 20"));
    }

    void angularSeparationHandMadeCases()
    {
        const AngularSeparationSettings s; // paper: 20-500 Hz, relu(x - 5 mV), +/-5 samples, tau 500, K 3000
        // Eight spikes 6500 samples apart, each at least 2K = 6000 from both ends: kernels never overlap
        // and none is cut by the dropped ends, so every detected spike adds exactly 1 to sum(y).
        std::vector<std::size_t> all, even, odd, shifted;
        for (std::size_t j = 0; j < 8; ++j) {
            all.push_back(6000 + 6500 * j);
            (j % 2 ? odd : even).push_back(all.back());
            shifted.push_back(all.back() + 40);
        }
        const std::size_t n = 6000 + 6500 * 7 + 6100;
        const std::vector<double> v = spikingTrace(n, all);
        const std::vector<double> y = smoothedSpikeTrain(v, s);
        QCOMPARE(y.size(), n - 6000);
        QVERIFY2(rmmtest::near(sum(y), 8, 1e-9), qPrintable(QString::number(sum(y), 'g', 17)));

        QCOMPARE(angularSeparation(v, v, s), 1.0);
        // Half of the spikes missing: <y, yhat> = 4 |k|^2, max(|y|^2, |yhat|^2) = 8 |k|^2.
        QVERIFY(rmmtest::near(angularSeparation(v, spikingTrace(n, even), s), 0.5, 1e-12));
        QVERIFY(rmmtest::near(angularSeparation(spikingTrace(n, odd), v, s), 0.5, 1e-12));
        // Disjoint spike sets (more than the kernel width apart) give exactly 0.
        QCOMPARE(angularSeparation(spikingTrace(n, even), spikingTrace(n, odd), s), 0.0);
        // No spikes at all: 0 by definition, whether one or both traces are silent.
        const std::vector<double> silent = spikingTrace(n, {});
        QCOMPARE(angularSeparation(silent, silent, s), 0.0);
        QCOMPARE(angularSeparation(v, silent, s), 0.0);
        // Every spike 40 samples late: the autocorrelation of the Laplace kernel, for r = exp(-1/500),
        // sum_k r^(|k| + |k - d|) / sum_k r^(2|k|) = r^d (d + 1 + 2 r^2 / (1 - r^2)) (1 - r^2) / (1 + r^2),
        // up to the kernel's truncation at |k| = 3000 (relative ~r^6000 = 6e-6).
        const double r = std::exp(-1.0 / 500), d = 40;
        const double want = std::pow(r, d) * (d + 1 + 2 * r * r / (1 - r * r)) * (1 - r * r) / (1 + r * r);
        const double got = angularSeparation(v, spikingTrace(n, shifted), s);
        QVERIFY2(rmmtest::near(got, want, 1e-4), qPrintable(QString("%1 vs %2").arg(got).arg(want)));
    }

    void angularSeparationReferenceBand()
    {
        AngularSeparationSettings s;
        s.band_low_hz = 2;
        s.band_high_hz = 100;
        std::vector<std::size_t> all, even;
        for (std::size_t j = 0; j < 4; ++j) {
            all.push_back(6000 + 6500 * j);
            if (j % 2 == 0)
                even.push_back(all.back());
        }
        const std::size_t n = 6000 + 6500 * 3 + 6100;
        const std::vector<double> v = spikingTrace(n, all);
        QVERIFY(rmmtest::near(sum(smoothedSpikeTrain(v, s)), 4, 1e-9));
        QVERIFY(rmmtest::near(angularSeparation(v, spikingTrace(n, even), s), 0.5, 1e-12));
        // At 20 kHz the (b, a) form of this band is unusable; the metric's sections are not. (The slow
        // wave, now at 2 Hz, would pass the band and hide spikes below threshold: leave it out; the
        // spikes, now half as wide, peak at 4.6 mV after filtering: lower the threshold.)
        s.dt_ms = 0.05;
        s.threshold_mV = 2;
        QVERIFY(!errorOf([] { butterBandpass(3, 2, 100, 20000); }).isEmpty());
        const std::vector<double> flat = spikingTrace(n, all, 0);
        QVERIFY(rmmtest::near(sum(smoothedSpikeTrain(flat, s)), 4, 1e-9));
        QVERIFY(rmmtest::near(angularSeparation(flat, spikingTrace(n, even, 0), s), 0.5, 1e-12));
    }

    void angularSeparationRejectsBadInput()
    {
        const AngularSeparationSettings s;
        const std::vector<double> v = spikingTrace(7000, {3500});
        QString e = errorOf([&] { angularSeparation(v, std::vector<double>(6999, -60.0), s); });
        QVERIFY2(e.contains("7000") && e.contains("6999"), qPrintable(e));
        e = errorOf([&] {
            angularSeparation(std::vector<double>(6000, -60.0), std::vector<double>(6000, -60.0), s);
        });
        QVERIFY2(e.contains("longer than 6000 samples") && e.contains("600 ms") && e.contains("measured"),
                 qPrintable(e));
        std::vector<double> bad = v;
        bad[4321] = std::nan("");
        e = errorOf([&] { angularSeparation(v, bad, s); });
        QVERIFY2(e.contains("predicted voltage") && e.contains("sample 4321"), qPrintable(e));

        auto withSetting = [&](const std::function<void(AngularSeparationSettings&)>& change) {
            AngularSeparationSettings t;
            change(t);
            return errorOf([&] { smoothedSpikeTrain(v, t); });
        };
        QVERIFY(withSetting([](auto& t) { t.dt_ms = 0; }).contains("dt_ms"));
        QVERIFY(withSetting([](auto& t) { t.band_high_hz = 6000; }).contains("fs/2 = 5000"));
        QVERIFY(withSetting([](auto& t) { t.filter_order = 0; }).contains("order"));
        QVERIFY(withSetting([](auto& t) { t.peak_half_window = 0; }).contains("peak_half_window"));
        QVERIFY(withSetting([](auto& t) { t.kernel_tau_samples = -1; }).contains("kernel_tau_samples"));
        QVERIFY(withSetting([](auto& t) { t.kernel_half_width = -1; }).contains("kernel_half_width"));
        QVERIFY(withSetting([](auto& t) { t.threshold_mV = std::nan(""); }).contains("threshold_mV"));
        QCOMPARE(errorOf([&] { modifiedAngularSeparation({1, 2}, {1}); }).contains("2 and 1"), true);
    }

    void angularSeparationPaperSegmentTiming()
    {
        // 27 s at 10 kHz (the paper's validation segment): bursts of 10 spikes at 100 Hz every second.
        const std::size_t n = 270000;
        std::vector<std::size_t> measured, predicted;
        for (std::size_t b = 0; b < 27; ++b)
            for (std::size_t k = 0; k < 10; ++k) {
                measured.push_back(2000 + 10000 * b + 100 * k);
                if (k < 8)
                    predicted.push_back(2000 + 10000 * b + 110 * k + 30);
            }
        const std::vector<double> v = spikingTrace(n, measured), vhat = spikingTrace(n, predicted);
        QElapsedTimer timer;
        timer.start();
        const double as = angularSeparation(v, vhat, AngularSeparationSettings{});
        qInfo("angularSeparation on 2 x %zu samples: %lld ms (AS = %.4f)", n,
              static_cast<long long>(timer.elapsed()), as);
        QVERIFY(as > 0.3 && as < 1);
        QCOMPARE(angularSeparation(v, v, AngularSeparationSettings{}), 1.0);
    }

    void pearsonClosedForms()
    {
        QCOMPARE(pearson({1, 2, 3, 4}, {3, 5, 7, 9}), 1.0);
        QCOMPARE(pearson({1, 2, 3, 4}, {-1, -2, -3, -4}), -1.0);
        // dx = (-1, 0, 1), dy = (-1, 1, 0): 1 / sqrt(2 * 2).
        QVERIFY(rmmtest::near(pearson({1, 2, 3}, {1, 3, 2}), 0.5, 1e-15));
        QCOMPARE(pearson({0.1, 0.1, 0.1}, {1, 2, 3}), 0.0);
        QCOMPARE(pearson({1, 2, 3}, {7, 7, 7}), 0.0);
        // Large offset, small spread: mean removal must not lose the signal.
        QVERIFY(rmmtest::near(pearson({1e9 + 1, 1e9 + 2, 1e9 + 3}, {1, 3, 2}), 0.5, 1e-12));
        QVERIFY(errorOf([] { pearson({1, 2}, {1, 2, 3}); }).contains("2 and 3"));
        QVERIFY(!errorOf([] { pearson({}, {}); }).isEmpty());
    }

    void nrmseClosedForms()
    {
        const std::vector<double> truth{1, 2, 3, 4}; // population std sqrt(1.25)
        QCOMPARE(nrmse(truth, truth), 0.0);
        QVERIFY(rmmtest::near(nrmse(truth, {2.5, 2.5, 2.5, 2.5}), 1.0, 1e-15));
        QVERIFY(rmmtest::near(nrmse(truth, {2, 3, 4, 5}), 1 / std::sqrt(1.25), 1e-15));
        QVERIFY(rmmtest::near(nrmse(truth, {1, 2, 3, 6}), std::sqrt(4.0 / 4) / std::sqrt(1.25), 1e-15));
        QVERIFY(std::isnan(nrmse({3, 3, 3}, {1, 2, 3})));
        QVERIFY(errorOf([] { nrmse({1, 2}, {1}); }).contains("2 and 1"));
    }

    void synapticCurrentSignConvention()
    {
        // The clamp injects Isyn; the model subtracts its I_syn_ij: prediction = -(I_1 + I_2).
        const std::vector<double> i1{0.1, -0.2, 0.3, 0.0, 0.5}, i2{0.0, 0.1, 0.1, -0.4, 0.2};
        std::vector<double> recorded(5), predicted;
        for (std::size_t k = 0; k < 5; ++k)
            recorded[k] = -(i1[k] + i2[k]);
        SynapticCurrentMetrics m = synapticCurrentMetrics(recorded, {i1, i2}, &predicted);
        QVERIFY(rmmtest::near(m.pearson, 1.0, 1e-15));
        QVERIFY(rmmtest::near(m.nrmse, 0.0, 1e-15));
        compareVectors(predicted, recorded, 0, 1e-16, "predicted");
        // A model current equal to the injected one predicts -recorded: Pearson -1 and
        // NRMSE = rms(2 recorded) / std(recorded) = 2 sqrt(E[x^2] / (E[x^2] - E[x]^2)).
        double m1 = 0, m2 = 0;
        for (double x : recorded) {
            m1 += x / 5;
            m2 += x * x / 5;
        }
        m = synapticCurrentMetrics(recorded, {recorded}, nullptr);
        QVERIFY(rmmtest::near(m.pearson, -1.0, 1e-15));
        QVERIFY(rmmtest::near(m.nrmse, 2 * std::sqrt(m2 / (m2 - m1 * m1)), 1e-13));
        QVERIFY(
            errorOf([&] { synapticCurrentMetrics(recorded, {}, nullptr); }).contains("no synaptic current"));
        QVERIFY(errorOf([&] {
                    synapticCurrentMetrics(recorded, {i1, {1, 2}}, nullptr);
                }).contains("synapse 1"));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
