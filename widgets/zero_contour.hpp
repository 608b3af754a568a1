// SPDX-License-Identifier: GPL-3.0-or-later
// Zero level set of a sampled field by marching squares (for the G = 0 contour of the
// conductance map). Qt-free.
#pragma once
#include <Eigen/Core>

#include <vector>

namespace rmm {

struct ContourSegment {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

/// Segments of the curve f = 0, f sampled at f(r, c) = f(x[c], y[r]) (rows = y, columns = x),
/// linear interpolation along cell edges; saddle cells are resolved by the cell-centre mean.
/// Returns nothing when the sizes disagree or the grid has fewer than 2 x 2 points.
std::vector<ContourSegment> zeroContour(const Eigen::MatrixXd& f, const std::vector<double>& x,
                                        const std::vector<double>& y);

} // namespace rmm
