// SPDX-License-Identifier: GPL-3.0-or-later
// Clipping of a plot's lines and markers to their axis rects for SVG export. Qt 6.4's SVG
// generator ignores the painter's clip, so without this a zoomed-in plot draws its curves across
// the axes, labels and neighbouring panels. (Colour maps need nothing: QCustomPlot renders them
// into a buffer the size of the clip rect when painting vectorised.)
#pragma once
#include <functional>
#include <vector>

class QCustomPlot;

namespace rmm {

/// While alive, every visible QCPGraph and QCPCurve of `plot` holds only its part inside its axis
/// ranges (lines cut exactly at the border, markers of samples outside dropped); the original
/// data come back on destruction. Line styles other than plain lines and "none" are left as
/// they are. Logarithmic axes are clipped in log space, so cut points lie on the drawn line.
class SvgClipGuard {
  public:
    explicit SvgClipGuard(QCustomPlot* plot);
    ~SvgClipGuard();
    SvgClipGuard(const SvgClipGuard&) = delete;
    SvgClipGuard& operator=(const SvgClipGuard&) = delete;

  private:
    std::vector<std::function<void()>> m_restore; ///< run in reverse order
};

} // namespace rmm
