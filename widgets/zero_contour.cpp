// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/zero_contour.hpp"

#include <array>
#include <cmath>

namespace rmm {

std::vector<ContourSegment> zeroContour(const Eigen::MatrixXd& f, const std::vector<double>& x,
                                        const std::vector<double>& y)
{
    std::vector<ContourSegment> out;
    const long rows = f.rows(), cols = f.cols();
    if (rows < 2 || cols < 2 || static_cast<long>(x.size()) != cols || static_cast<long>(y.size()) != rows)
        return out;
    struct P {
        double x, y;
    };
    for (long r = 0; r + 1 < rows; ++r)
        for (long c = 0; c + 1 < cols; ++c) {
            // Corners counter-clockwise: a (x_c, y_r), b (x_c+1, y_r), cc (x_c+1, y_r+1), d (x_c, y_r+1).
            const std::array<double, 4> v = {f(r, c), f(r, c + 1), f(r + 1, c + 1), f(r + 1, c)};
            const std::array<P, 4> p = {
                P{x[static_cast<std::size_t>(c)], y[static_cast<std::size_t>(r)]},
                P{x[static_cast<std::size_t>(c + 1)], y[static_cast<std::size_t>(r)]},
                P{x[static_cast<std::size_t>(c + 1)], y[static_cast<std::size_t>(r + 1)]},
                P{x[static_cast<std::size_t>(c)], y[static_cast<std::size_t>(r + 1)]}};
            if (!(std::isfinite(v[0]) && std::isfinite(v[1]) && std::isfinite(v[2]) && std::isfinite(v[3])))
                continue;
            std::array<bool, 4> pos{};
            for (int k = 0; k < 4; ++k)
                pos[static_cast<std::size_t>(k)] = v[static_cast<std::size_t>(k)] >= 0;
            // Crossing on edge k (corner k -> corner k+1).
            std::array<P, 4> e{};
            std::array<bool, 4> has{};
            int n = 0;
            for (int k = 0; k < 4; ++k) {
                const auto i = static_cast<std::size_t>(k), j = static_cast<std::size_t>((k + 1) % 4);
                if (pos[i] == pos[j])
                    continue;
                const double t = v[i] / (v[i] - v[j]);
                e[i] = {p[i].x + t * (p[j].x - p[i].x), p[i].y + t * (p[j].y - p[i].y)};
                has[i] = true;
                ++n;
            }
            auto seg = [&](int a, int b) {
                const auto& s = e[static_cast<std::size_t>(a)];
                const auto& t = e[static_cast<std::size_t>(b)];
                out.push_back({s.x, s.y, t.x, t.y});
            };
            if (n == 2) {
                int a = -1, b = -1;
                for (int k = 0; k < 4; ++k)
                    if (has[static_cast<std::size_t>(k)])
                        (a < 0 ? a : b) = k;
                seg(a, b);
            } else if (n == 4) {
                const bool centre = (v[0] + v[1] + v[2] + v[3]) / 4 >= 0;
                if (centre == pos[0]) { // corners 0 and 2 joined through the centre: cut off 1 and 3
                    seg(0, 1);
                    seg(2, 3);
                } else { // cut off corners 0 and 2
                    seg(3, 0);
                    seg(1, 2);
                }
            }
        }
    return out;
}

} // namespace rmm
