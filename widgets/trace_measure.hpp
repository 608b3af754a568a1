// SPDX-License-Identifier: GPL-3.0-or-later
// Measurements between two cursors of a sampled trace, as Clampfit and Stimfit give them:
// the difference of the values at the cursors, and the mean, minimum and maximum in between.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace rmm {

struct CursorStats {
    double t1_s = 0, t2_s = 0; ///< the cursors, ordered (t1 <= t2)
    double v1 = 0, v2 = 0;     ///< values at the samples nearest the cursors
    double delta = 0;          ///< v2 - v1
    double mean = 0, min = 0, max = 0;
    std::size_t samples = 0; ///< samples in [t1, t2] (0: the span holds none; the rest is NaN)
};

/// Statistics of `y` (sample k at time k * dt_s) between the times a and b (either order),
/// each value multiplied by `factor`; NaN samples are skipped in mean/min/max.
inline CursorStats measureBetween(const std::vector<double>& y, double dt_s, double a, double b,
                                  double factor = 1.0)
{
    CursorStats s;
    s.t1_s = std::min(a, b);
    s.t2_s = std::max(a, b);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.v1 = s.v2 = s.delta = s.mean = s.min = s.max = nan;
    if (y.empty() || !(dt_s > 0))
        return s;
    const auto last = static_cast<double>(y.size() - 1);
    auto nearest = [&](double t) {
        return static_cast<std::size_t>(std::clamp(std::round(t / dt_s), 0.0, last));
    };
    s.v1 = y[nearest(s.t1_s)] * factor;
    s.v2 = y[nearest(s.t2_s)] * factor;
    s.delta = s.v2 - s.v1;
    const double k0 = std::max(0.0, std::ceil(s.t1_s / dt_s - 1e-9));
    const double k1 = std::min(last, std::floor(s.t2_s / dt_s + 1e-9));
    if (k0 > k1)
        return s;
    double sum = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (auto k = static_cast<std::size_t>(k0); k <= static_cast<std::size_t>(k1); ++k) {
        const double v = y[k];
        if (!std::isfinite(v))
            continue;
        sum += v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        ++s.samples;
    }
    if (s.samples > 0) {
        s.mean = sum / static_cast<double>(s.samples) * factor;
        s.min = std::min(lo * factor, hi * factor);
        s.max = std::max(lo * factor, hi * factor);
    }
    return s;
}

} // namespace rmm
