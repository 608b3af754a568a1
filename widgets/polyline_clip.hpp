// SPDX-License-Identifier: GPL-3.0-or-later
// Clipping of a polyline to a rectangle, for vector export: Qt 6's SVG generator writes no clip
// paths, so traces are cut to their axis rect before they are drawn. Plain C++ (no Qt).
#pragma once
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace rmm {

struct Polyline {
    std::vector<double> keys;
    std::vector<double> values; ///< NaN marks a gap (the line is lifted)
};

/// Clips the polyline through (keys[i], values[i]) to [xLo, xHi] x [yLo, yHi] (Liang-Barsky per
/// segment). Segments crossing the border end (or start) exactly on it; where the line leaves
/// the rectangle a gap point (key of the exit point, value NaN) is inserted; segments that only
/// touch the border are dropped; no gap point ends the result. NaN input values are gaps and stay
/// gaps. A lone point (no neighbours) is kept when inside. Ascending keys stay ascending.
inline Polyline clipPolyline(const std::vector<double>& keys, const std::vector<double>& values, double xLo,
                             double xHi, double yLo, double yHi)
{
    Polyline out;
    const std::size_t n = std::min(keys.size(), values.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto inside = [&](double x, double y) { return x >= xLo && x <= xHi && y >= yLo && y <= yHi; };
    auto put = [&](double x, double y) {
        out.keys.push_back(x);
        out.values.push_back(y);
    };
    auto valid = [&](std::size_t i) { return std::isfinite(keys[i]) && std::isfinite(values[i]); };
    bool penDown = false; // the last emitted point is the current segment's start
    for (std::size_t i = 0; i < n; ++i) {
        if (!valid(i)) {
            if (penDown)
                put(keys[i], nan);
            penDown = false;
            continue;
        }
        const bool lone = (i == 0 || !valid(i - 1)) && (i + 1 >= n || !valid(i + 1));
        if (lone) {
            if (inside(keys[i], values[i])) {
                put(keys[i], values[i]);
                put(keys[i], nan);
            }
            continue;
        }
        if (i + 1 >= n || !valid(i + 1))
            continue; // the last point of a run was emitted as its segment's end
        const double x0 = keys[i], y0 = values[i];
        const double dx = keys[i + 1] - x0, dy = values[i + 1] - y0;
        double t0 = 0, t1 = 1;
        bool reject = false;
        auto edge = [&](double p, double q) {
            if (p == 0) {
                if (q < 0)
                    reject = true;
                return;
            }
            const double r = q / p;
            if (p < 0) {
                if (r > t1)
                    reject = true;
                else if (r > t0)
                    t0 = r;
            } else {
                if (r < t0)
                    reject = true;
                else if (r < t1)
                    t1 = r;
            }
        };
        edge(-dx, x0 - xLo);
        edge(dx, xHi - x0);
        edge(-dy, y0 - yLo);
        edge(dy, yHi - y0);
        if (reject || t1 <= t0) { // outside, or only touching the border
            if (penDown)
                put(x0, nan);
            penDown = false;
            continue;
        }
        if (!penDown || t0 > 0) {
            if (penDown)
                put(x0 + t0 * dx, nan);
            if (t0 > 0)
                put(x0 + t0 * dx, y0 + t0 * dy);
            else
                put(x0, y0);
        }
        // Unclipped ends are the input points themselves, bit for bit.
        const double ex = t1 >= 1 ? keys[i + 1] : x0 + t1 * dx;
        const double ey = t1 >= 1 ? values[i + 1] : y0 + t1 * dy;
        put(ex, ey);
        penDown = t1 >= 1;
        if (!penDown)
            put(ex, nan);
    }
    // A gap at the very end separates nothing.
    while (!out.values.empty() && std::isnan(out.values.back())) {
        out.keys.pop_back();
        out.values.pop_back();
    }
    return out;
}

} // namespace rmm
