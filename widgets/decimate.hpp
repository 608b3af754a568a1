// SPDX-License-Identifier: GPL-3.0-or-later
// Min/max decimation of a uniformly sampled trace for display: per pixel column, the smallest
// and the largest sample, in the order they occur, so spikes and bursts survive any zoom level.
// Plain C++ (no Qt) so it can run on any worker thread and be unit-tested on its own.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace rmm {

/// Points to draw, keys ascending. `raw` is true when the samples are returned unchanged
/// (too few samples per pixel for decimation to pay off).
struct DecimatedTrace {
    std::vector<double> keys;
    std::vector<double> values;
    bool raw = false;
};

/// Decimates samples y[0..n) taken at times t0 + i*dt for a plot showing [xFrom, xTo] across
/// `pixels` columns.
///
/// The samples whose time lies in [xFrom, xTo] are split into `pixels` buckets of equal time
/// width (bucket b spans [xFrom + b*w, xFrom + (b+1)*w), w = (xTo-xFrom)/pixels, the last one
/// closed). Each non-empty bucket yields two points, its minimum and its maximum, at their own
/// sample times and in sample order (one point when both are the same sample). NaN samples are
/// skipped; a bucket holding only NaNs yields one NaN point (a gap in the line).
/// When the visible samples number at most 2 * pixels they are returned as they are (raw).
/// Either way, the nearest sample before xFrom and the nearest after xTo (when they exist) are
/// added unchanged so that a line drawn through the points reaches the plot edges.
/// Degenerate input (n == 0, dt <= 0, xTo <= xFrom, non-finite bounds) yields no points.
inline DecimatedTrace decimateMinMax(const double* y, std::size_t n, double t0, double dt, double xFrom,
                                     double xTo, int pixels)
{
    DecimatedTrace out;
    if (n == 0 || y == nullptr || !(dt > 0) || !std::isfinite(dt) || !std::isfinite(t0) ||
        !std::isfinite(xFrom) || !std::isfinite(xTo) || !(xTo > xFrom))
        return out;
    pixels = std::max(pixels, 1);
    const double last = static_cast<double>(n - 1);
    // First sample index with time >= xFrom, one past the last with time <= xTo (clamped to [0, n]).
    auto firstAtOrAfter = [&](double x) -> std::size_t {
        const double f = std::ceil((x - t0) / dt);
        if (f <= 0)
            return 0;
        if (f > last)
            return n;
        return static_cast<std::size_t>(f);
    };
    const std::size_t i0 = firstAtOrAfter(xFrom);
    std::size_t i1 = 0; // exclusive
    {
        const double f = std::floor((xTo - t0) / dt);
        i1 = f < 0 ? 0 : (f >= last ? n : static_cast<std::size_t>(f) + 1);
    }
    auto keyOf = [&](std::size_t i) { return t0 + static_cast<double>(i) * dt; };
    auto push = [&](std::size_t i) {
        out.keys.push_back(keyOf(i));
        out.values.push_back(y[i]);
    };

    const std::size_t count = i1 > i0 ? i1 - i0 : 0;
    const bool raw = count <= 2 * static_cast<std::size_t>(pixels);
    out.raw = raw;
    const std::size_t reserve = (raw ? count : 2 * static_cast<std::size_t>(pixels)) + 2;
    out.keys.reserve(reserve);
    out.values.reserve(reserve);

    if (i0 > 0)
        push(i0 - 1);
    if (raw) {
        for (std::size_t i = i0; i < i1; ++i)
            push(i);
    } else {
        const double w = (xTo - xFrom) / pixels;
        std::size_t start = i0;
        for (int b = 0; b < pixels && start < i1; ++b) {
            std::size_t end = i1;
            if (b + 1 < pixels)
                end = std::clamp(firstAtOrAfter(xFrom + (b + 1) * w), start, i1);
            if (end == start)
                continue;
            std::size_t iMin = end, iMax = end;
            double vMin = 0, vMax = 0;
            for (std::size_t i = start; i < end; ++i) {
                const double v = y[i];
                if (std::isnan(v))
                    continue;
                if (iMin == end) {
                    vMin = vMax = v;
                    iMin = iMax = i;
                } else if (v < vMin) {
                    vMin = v;
                    iMin = i;
                } else if (v > vMax) {
                    vMax = v;
                    iMax = i;
                }
            }
            if (iMin == end) { // only NaNs
                out.keys.push_back(keyOf(start));
                out.values.push_back(std::numeric_limits<double>::quiet_NaN());
            } else if (iMin == iMax) {
                push(iMin);
            } else {
                push(std::min(iMin, iMax));
                push(std::max(iMin, iMax));
            }
            start = end;
        }
    }
    if (i1 < n)
        push(i1);
    return out;
}

} // namespace rmm
