// SPDX-License-Identifier: GPL-3.0-or-later
// Polyline clipping for vector export (widgets/polyline_clip.hpp): hand-computed crossings.
#include "common/fixtures.hpp"
#include "widgets/polyline_clip.hpp"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using rmm::clipPolyline;

namespace {

/// Compares with NaN == NaN (gaps) and a small tolerance for interpolated points.
bool sameValues(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) != std::isnan(b[i]))
            return false;
        if (!std::isnan(a[i]) && std::abs(a[i] - b[i]) > 1e-12)
            return false;
    }
    return true;
}

QString show(const std::vector<double>& v)
{
    QStringList parts;
    for (double x : v)
        parts << QString::number(x);
    return parts.join(' ');
}

} // namespace

class TestPolylineClip : public QObject {
    Q_OBJECT
  private slots:
    void insideIsUnchanged()
    {
        const auto p = clipPolyline({0, 1, 2}, {1, 2, 3}, 0, 2, 0, 3);
        QCOMPARE(p.keys, (std::vector<double>{0, 1, 2}));
        QCOMPARE(p.values, (std::vector<double>{1, 2, 3}));
    }
    void leavingThroughTheRightEdge()
    {
        // (0,0)-(2,2) cut at x = 1: ends at (1,1), then a gap.
        auto p = clipPolyline({0, 2}, {0, 2}, 0, 1, 0, 10);
        QCOMPARE(p.keys, (std::vector<double>{0, 1}));
        QVERIFY2(sameValues(p.values, {0, 1}), qPrintable(show(p.values)));
        // ... and when more follows outside, a gap after the exit point; a point on the border
        // ends the line there without a zero-length piece.
        p = clipPolyline({0, 2, 3, 4}, {0, 2, 1, 0.5}, 0, 1, 0, 10);
        QCOMPARE(p.keys, (std::vector<double>{0, 1}));
        p = clipPolyline({0, 1, 2, 3}, {0, 1, 5, 3}, 0, 3, 0, 1);
        QCOMPARE(p.keys, (std::vector<double>{0, 1}));
        QVERIFY(sameValues(p.values, {0, 1}));
        // Out through the top at (1,1), back in at (2.5,1), along the bottom border and up.
        p = clipPolyline({0, 2, 3, 4}, {0, 2, 0, 0.25}, 0, 4, 0, 1);
        QCOMPARE(p.keys, (std::vector<double>{0, 1, 1, 2.5, 3, 4}));
        QVERIFY2(sameValues(p.values, {0, 1, NAN, 1, 0, 0.25}), qPrintable(show(p.values)));
    }
    void enteringThroughTheLeftEdge()
    {
        // (-1,0)-(1,2) starts at x = 0, y = 1.
        const auto p = clipPolyline({-1, 1}, {0, 2}, 0, 2, -5, 5);
        QCOMPARE(p.keys, (std::vector<double>{0, 1}));
        QVERIFY(sameValues(p.values, {1, 2}));
    }
    void spikeThroughTheTop()
    {
        // (0,0)-(1,10)-(2,0) against y <= 5: leaves at (0.5,5), comes back at (1.5,5).
        const auto p = clipPolyline({0, 1, 2}, {0, 10, 0}, 0, 2, -1, 5);
        QCOMPARE(p.keys, (std::vector<double>{0, 0.5, 0.5, 1.5, 2}));
        QVERIFY2(sameValues(p.values, {0, 5, NAN, 5, 0}), qPrintable(show(p.values)));
    }
    void outsideSegmentsVanish()
    {
        const auto p = clipPolyline({0, 1, 2}, {10, 10, 12}, 0, 2, 0, 5);
        QVERIFY(p.keys.empty());
        QVERIFY(p.values.empty());
    }
    void gapsStayGaps()
    {
        // Point 3 has no valid neighbour: kept alone.
        const auto p = clipPolyline({0, 1, 2, 3, 4, 5}, {0, 1, NAN, 1, NAN, 2}, -1, 5, -1, 4);
        QCOMPARE(p.keys, (std::vector<double>{0, 1, 2, 3, 3, 5}));
        QVERIFY2(sameValues(p.values, {0, 1, NAN, 1, NAN, 2}), qPrintable(show(p.values)));
    }
    void randomTraceStaysInsideAndSorted()
    {
        std::mt19937 rng(3);
        std::normal_distribution<double> g(0, 1);
        std::vector<double> k(5000), v(5000);
        for (std::size_t i = 0; i < k.size(); ++i) {
            k[i] = 0.01 * static_cast<double>(i);
            v[i] = 10 * std::sin(k[i]) + g(rng); // crosses y = +-8 many times
        }
        const double xLo = 10.005, xHi = 35.0, yLo = -8, yHi = 8;
        const auto p = clipPolyline(k, v, xLo, xHi, yLo, yHi);
        QVERIFY(!p.keys.empty());
        QVERIFY(std::count_if(p.values.begin(), p.values.end(), [](double x) { return std::isnan(x); }) > 10);
        QVERIFY(std::is_sorted(p.keys.begin(), p.keys.end()));
        for (std::size_t i = 0; i < p.keys.size(); ++i) {
            if (std::isnan(p.values[i]))
                continue;
            QVERIFY(p.keys[i] >= xLo - 1e-9 && p.keys[i] <= xHi + 1e-9);
            QVERIFY(p.values[i] >= yLo - 1e-9 && p.values[i] <= yHi + 1e-9);
        }
        // Every original sample inside the rectangle is still there.
        for (std::size_t i = 0; i < k.size(); ++i)
            if (k[i] >= xLo && k[i] <= xHi && v[i] >= yLo && v[i] <= yHi)
                QVERIFY(std::find(p.values.begin(), p.values.end(), v[i]) != p.values.end());
    }
};

QTEST_GUILESS_MAIN(TestPolylineClip)
#include "test_polyline_clip.moc"
