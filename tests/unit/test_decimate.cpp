// SPDX-License-Identifier: GPL-3.0-or-later
// Min/max decimation for trace display (widgets/decimate.hpp): exact results on small inputs
// worked out by hand, and the per-bucket invariants on a long random trace.
#include "common/fixtures.hpp"
#include "widgets/decimate.hpp"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using rmm::decimateMinMax;

class TestDecimate : public QObject {
    Q_OBJECT
  private slots:
    void rawWhenFewSamplesPerPixel();
    void minMaxPerBucketInSampleOrder();
    void maxBeforeMinKeepsSampleOrder();
    void offsetAndInterval();
    void nanBucketsBecomeGaps();
    void degenerateInput();
    void rangeOutsideData();
    void zoomedBetweenTwoSamples();
    void longTraceInvariantsAndTiming();
};

void TestDecimate::rawWhenFewSamplesPerPixel()
{
    std::vector<double> y(10);
    for (int i = 0; i < 10; ++i)
        y[static_cast<std::size_t>(i)] = i * i;
    // Samples at t = 2..5 are visible (4 <= 2 * 10 pixels): returned raw, plus t = 1 and t = 6.
    const auto d = decimateMinMax(y.data(), y.size(), 0.0, 1.0, 2.0, 5.0, 10);
    QVERIFY(d.raw);
    QCOMPARE(d.keys, (std::vector<double>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(d.values, (std::vector<double>{1, 4, 9, 16, 25, 36}));
}

void TestDecimate::minMaxPerBucketInSampleOrder()
{
    const std::vector<double> y{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
    // [0, 11] over 2 pixels: bucket width 5.5 -> samples 0..5 and 6..11. 12 > 4 samples: decimated.
    // Bucket 0 {3,1,4,1,5,9}: min 1 first at index 1, max 9 at index 5.
    // Bucket 1 {2,6,5,3,5,8}: min 2 at index 6, max 8 at index 11.
    const auto d = decimateMinMax(y.data(), y.size(), 0.0, 1.0, 0.0, 11.0, 2);
    QVERIFY(!d.raw);
    QCOMPARE(d.keys, (std::vector<double>{1, 5, 6, 11}));
    QCOMPARE(d.values, (std::vector<double>{1, 9, 2, 8}));
}

void TestDecimate::maxBeforeMinKeepsSampleOrder()
{
    const std::vector<double> y{0, 10, 5, -3, 1, 2, 2, 2, 2, 7};
    // [0, 9] over 2 pixels: bucket width 4.5 -> samples 0..4 and 5..9.
    // Bucket 0 {0,10,5,-3,1}: max 10 at 1 comes before min -3 at 3.
    // Bucket 1 {2,2,2,2,7}: min 2 at 5, max 7 at 9.
    const auto d = decimateMinMax(y.data(), y.size(), 0.0, 1.0, 0.0, 9.0, 2);
    QVERIFY(!d.raw);
    QCOMPARE(d.keys, (std::vector<double>{1, 3, 5, 9}));
    QCOMPARE(d.values, (std::vector<double>{10, -3, 2, 7}));

    // A constant bucket yields a single point.
    const std::vector<double> flat(8, 4.0);
    const auto f = decimateMinMax(flat.data(), flat.size(), 0.0, 1.0, 0.0, 7.0, 2);
    QCOMPARE(f.keys, (std::vector<double>{0, 4}));
    QCOMPARE(f.values, (std::vector<double>{4, 4}));
}

void TestDecimate::offsetAndInterval()
{
    // t_i = 2 + 0.5 i. Visible [3.0, 6.5] -> indices 2..9 (8 samples) over 2 pixels of width 1.75:
    // bucket 0 is t in [3.0, 4.75) -> indices 2..5, bucket 1 is [4.75, 6.5] -> indices 6..9.
    const std::vector<double> y{9, 9, 5, -1, 0, 3, 7, 8, -2, 1, 9, 9};
    const auto d = decimateMinMax(y.data(), y.size(), 2.0, 0.5, 3.0, 6.5, 2);
    QVERIFY(!d.raw);
    // Neighbours: index 1 (t=2.5) before, index 10 (t=7) after.
    QCOMPARE(d.keys, (std::vector<double>{2.5, 3.0, 3.5, 5.5, 6.0, 7.0}));
    QCOMPARE(d.values, (std::vector<double>{9, 5, -1, 8, -2, 9}));
}

void TestDecimate::nanBucketsBecomeGaps()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> y{nan, nan, nan, nan, nan, 1, nan, 4, 2, nan};
    // [0, 9] over 2 pixels: bucket 0 = indices 0..4 (all NaN), bucket 1 = 5..9 (NaNs skipped).
    const auto d = decimateMinMax(y.data(), y.size(), 0.0, 1.0, 0.0, 9.0, 2);
    QCOMPARE(d.keys, (std::vector<double>{0, 5, 7}));
    QVERIFY(std::isnan(d.values[0]));
    QCOMPARE(d.values[1], 1.0);
    QCOMPARE(d.values[2], 4.0);
}

void TestDecimate::degenerateInput()
{
    const std::vector<double> y{1, 2, 3};
    QVERIFY(decimateMinMax(y.data(), 0, 0.0, 1.0, 0.0, 2.0, 10).keys.empty());
    QVERIFY(decimateMinMax(nullptr, 3, 0.0, 1.0, 0.0, 2.0, 10).keys.empty());
    QVERIFY(decimateMinMax(y.data(), 3, 0.0, 0.0, 0.0, 2.0, 10).keys.empty());
    QVERIFY(decimateMinMax(y.data(), 3, 0.0, -1.0, 0.0, 2.0, 10).keys.empty());
    QVERIFY(decimateMinMax(y.data(), 3, 0.0, 1.0, 2.0, 2.0, 10).keys.empty());
    QVERIFY(decimateMinMax(y.data(), 3, 0.0, 1.0, 2.0, 1.0, 10).keys.empty());
    QVERIFY(decimateMinMax(y.data(), 3, 0.0, 1.0, 0.0, INFINITY, 10).keys.empty());
    // Zero or negative pixel counts act as one pixel.
    const auto d = decimateMinMax(y.data(), 3, 0.0, 1.0, 0.0, 2.0, 0);
    QCOMPARE(d.keys, (std::vector<double>{0, 2}));
    QCOMPARE(d.values, (std::vector<double>{1, 3}));
}

void TestDecimate::rangeOutsideData()
{
    const std::vector<double> y{1, 2, 3, 4};
    // Entirely after the data: only the last sample, as the left neighbour.
    auto d = decimateMinMax(y.data(), y.size(), 0.0, 1.0, 100.0, 200.0, 50);
    QCOMPARE(d.keys, (std::vector<double>{3}));
    // Entirely before: only the first sample, as the right neighbour.
    d = decimateMinMax(y.data(), y.size(), 0.0, 1.0, -20.0, -10.0, 50);
    QCOMPARE(d.keys, (std::vector<double>{0}));
    // Huge ranges do not overflow index arithmetic.
    d = decimateMinMax(y.data(), y.size(), 0.0, 1.0, -1e300, 1e300, 50);
    QCOMPARE(d.keys, (std::vector<double>{0, 1, 2, 3}));
}

void TestDecimate::zoomedBetweenTwoSamples()
{
    const std::vector<double> y{1, 2, 3, 4};
    // No sample inside [1.2, 1.8]: the two neighbours keep the line drawn across the view.
    const auto d = decimateMinMax(y.data(), y.size(), 0.0, 1.0, 1.2, 1.8, 500);
    QVERIFY(d.raw);
    QCOMPARE(d.keys, (std::vector<double>{1, 2}));
    QCOMPARE(d.values, (std::vector<double>{2, 3}));
}

void TestDecimate::longTraceInvariantsAndTiming()
{
    // 1.2 M samples (120 s at 10 kHz) of noise with a few large spikes, shown on 1500 pixels.
    const std::size_t n = 1'200'000;
    const double dt = 1e-4;
    const int pixels = 1500;
    std::vector<double> y(n);
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0.0, 1.0);
    for (double& v : y)
        v = noise(rng);
    const std::size_t spikes[] = {17, 400'001, 799'999, n - 3};
    for (std::size_t s : spikes)
        y[s] = 100.0 + static_cast<double>(s % 7);
    y[600'000] = -100.0;

    const double xTo = static_cast<double>(n - 1) * dt;
    rmm::DecimatedTrace d;
    double bestMs = 1e9;
    for (int rep = 0; rep < 5; ++rep) {
        QElapsedTimer timer;
        timer.start();
        d = decimateMinMax(y.data(), n, 0.0, dt, 0.0, xTo, pixels);
        bestMs = std::min(bestMs, static_cast<double>(timer.nsecsElapsed()) * 1e-6);
    }
    qInfo("decimateMinMax: 1.2 M samples -> %d px in %.2f ms (best of 5)", pixels, bestMs);

    QVERIFY(!d.raw);
    QVERIFY(d.keys.size() <= 2 * static_cast<std::size_t>(pixels));
    QVERIFY(d.keys.size() >= static_cast<std::size_t>(pixels));
    QVERIFY(std::is_sorted(d.keys.begin(), d.keys.end()));
    // Every point is a real sample at its own time.
    for (std::size_t k = 0; k < d.keys.size(); ++k) {
        const auto i = static_cast<std::size_t>(std::llround(d.keys[k] / dt));
        QVERIFY(i < n);
        QCOMPARE(d.values[k], y[i]);
    }
    // Each spike and the trough survive.
    for (std::size_t s : spikes)
        QVERIFY(std::find(d.values.begin(), d.values.end(), y[s]) != d.values.end());
    QVERIFY(std::find(d.values.begin(), d.values.end(), -100.0) != d.values.end());
    // Per bucket (brute force, buckets of equal time width): the points hold its exact min and max.
    const double w = xTo / pixels;
    std::size_t start = 0;
    std::size_t point = 0;
    for (int b = 0; b < pixels; ++b) {
        std::size_t end = n;
        if (b + 1 < pixels)
            end = static_cast<std::size_t>(std::ceil((b + 1) * w / dt));
        const auto [lo, hi] =
            std::minmax_element(y.begin() + static_cast<long>(start), y.begin() + static_cast<long>(end));
        std::vector<double> got;
        while (point < d.keys.size() && std::llround(d.keys[point] / dt) < static_cast<long long>(end))
            got.push_back(d.values[point++]);
        QVERIFY2(!got.empty() && got.size() <= 2, qPrintable(QString("bucket %1").arg(b)));
        QCOMPARE(*std::min_element(got.begin(), got.end()), *lo);
        QCOMPARE(*std::max_element(got.begin(), got.end()), *hi);
        start = end;
    }
    QCOMPARE(point, d.keys.size());
}

QTEST_GUILESS_MAIN(TestDecimate)
#include "test_decimate.moc"
