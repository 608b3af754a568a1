// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plot_export.hpp"

#include "widgets/svg_clip.hpp"

#include <QCoreApplication>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

namespace rmm {

namespace {

/// Logical units of the drawing: 1/96 inch, so fonts keep their on-screen size relative to the page.
constexpr double kLogicalDpi = 96.0;

/// Translation context of this file's messages (lupdate reads PlotExport::tr).
struct PlotExport {
    Q_DECLARE_TR_FUNCTIONS(PlotExport)
};

void drawPanels(QCPPainter& painter, const QList<QCustomPlot*>& panels, int width, int height)
{
    const int n = static_cast<int>(panels.size());
    for (int i = 0; i < n; ++i) {
        const int top = height * i / n, bottom = height * (i + 1) / n;
        painter.save();
        painter.translate(0, top);
        panels[i]->toPainter(&painter, width, bottom - top);
        painter.restore();
    }
}

QList<QCPLegend*> insetLegends(QCPAxisRect* rect)
{
    QList<QCPLegend*> legends;
    for (QCPLayoutElement* e : rect->insetLayout()->elements(false))
        if (auto* legend = qobject_cast<QCPLegend*>(e))
            legends << legend;
    return legends;
}

/// While alive, each legend inside a panel of `plot` (the views put them in the top right corner,
/// over the traces) is laid out in one row and its panel's left-axis upper limit raised until the
/// traces stay below it, at the size the panel takes in the figure; the plot's legends and ranges
/// come back on destruction. Plots without such legends are left alone.
class LegendRoomGuard {
  public:
    LegendRoomGuard(QCustomPlot* plot, int width, int height) : m_plot(plot)
    {
        for (QCPAxisRect* rect : plot->axisRects())
            for (QCPLegend* legend : insetLegends(rect)) {
                m_legends.push_back({legend, legend->wrap(), legend->fillOrder()});
                legend->setWrap(0);
                legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
            }
        if (m_legends.empty())
            return;
        plot->toPixmap(width, height); // lays the panel out at its size in the figure
        for (QCPAxisRect* rect : plot->axisRects()) {
            int legendHeight = 0;
            for (QCPLegend* legend : insetLegends(rect))
                legendHeight = std::max(legendHeight, legend->outerRect().height());
            QCPAxis* y = rect->axis(QCPAxis::atLeft);
            const double f = (legendHeight + 2.0) / std::max(1, rect->height());
            if (legendHeight == 0 || f > 0.5 || !y || y->scaleType() != QCPAxis::stLinear ||
                y->rangeReversed())
                continue;
            const QCPRange r = y->range();
            m_ranges.push_back({y, r});
            y->setRange(r.lower, (r.upper - f * r.lower) / (1 - f)); // the legend's share above the traces
        }
    }
    ~LegendRoomGuard()
    {
        if (m_legends.empty())
            return;
        for (const auto& [axis, range] : m_ranges)
            axis->setRange(range);
        for (const auto& l : m_legends) {
            l.legend->setWrap(l.wrap);
            l.legend->setFillOrder(l.order);
        }
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    LegendRoomGuard(const LegendRoomGuard&) = delete;
    LegendRoomGuard& operator=(const LegendRoomGuard&) = delete;

  private:
    struct Legend {
        QCPLegend* legend;
        int wrap;
        QCPLayoutGrid::FillOrder order;
    };
    QCustomPlot* m_plot;
    std::vector<Legend> m_legends;
    std::vector<std::pair<QCPAxis*, QCPRange>> m_ranges;
};

void setResolution(QImage& image, double dpi)
{
    const int dpm = static_cast<int>(std::lround(dpi / 0.0254));
    image.setDotsPerMeterX(dpm);
    image.setDotsPerMeterY(dpm);
}

} // namespace

int pixelsFor(double mm, int dpi)
{
    return static_cast<int>(std::lround(mm / 25.4 * dpi));
}

bool exportFigure(const QList<QCustomPlot*>& panels, const QString& path, const FigureOptions& o,
                  QString* error)
{
    auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (panels.isEmpty())
        return fail(PlotExport::tr("Nothing to export: the view has no plots."));
    if (!(o.width_mm > 1) || !(o.height_mm > 1) || o.width_mm > 2000 || o.height_mm > 2000)
        return fail(PlotExport::tr("Figure size must be between 1 and 2000 mm."));
    if (o.dpi < 30 || o.dpi > 2400)
        return fail(PlotExport::tr("Resolution must be between 30 and 2400 dpi."));
    const int w = pixelsFor(o.width_mm, static_cast<int>(kLogicalDpi));
    const int h = pixelsFor(o.height_mm, static_cast<int>(kLogicalDpi));
    const QString suffix = QFileInfo(path).suffix().toLower();
    // Legends move out of the traces' way for the figure (before the SVG clip, which cuts the
    // curves to the ranges as drawn).
    std::vector<std::unique_ptr<LegendRoomGuard>> legendRoom;
    for (int i = 0; i < static_cast<int>(panels.size()); ++i) {
        const int n = static_cast<int>(panels.size());
        legendRoom.push_back(std::make_unique<LegendRoomGuard>(panels[i], w, h * (i + 1) / n - h * i / n));
    }
    // Render into a temporary file, then rename: a failed export never leaves half a file.
    QSaveFile file(path);
    if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf") && suffix != QLatin1String("svg"))
        return fail(PlotExport::tr("Cannot export to '%1': use a .png, .pdf or .svg file name.").arg(path));
    if (!file.open(QIODevice::WriteOnly))
        return fail(PlotExport::tr("Could not write '%1': %2").arg(path, file.errorString()));
    bool ok = false;
    // PDF and SVG: vector output, no pixel caches, line widths scaled with the page.
    auto drawVector = [&](QPaintDevice* device) {
        QCPPainter painter;
        if (!painter.begin(device))
            return false;
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        painter.setMode(QCPPainter::pmNonCosmetic);
        drawPanels(painter, panels, w, h);
        return painter.end();
    };
    if (suffix == QLatin1String("png")) {
        const double scale = o.dpi / kLogicalDpi;
        QImage image(pixelsFor(o.width_mm, o.dpi), pixelsFor(o.height_mm, o.dpi), QImage::Format_ARGB32);
        if (image.isNull())
            return fail(PlotExport::tr("The figure is too large for memory at %1 dpi.").arg(o.dpi));
        image.fill(Qt::white);
        // The painter draws in logical units (1/96 inch) scaled up by dpi/96; fonts given in
        // points must therefore resolve at 96 dpi while drawing. The image's own resolution is
        // what converts points to pixels, so it says 96 dpi while painting (otherwise text is
        // scaled twice: once by the resolution, once by the painter) and the target dpi in the file.
        setResolution(image, kLogicalDpi);
        {
            QCPPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            // Lines keep their physical width too: a cosmetic 1 px pen would be a third as thick
            // at 300 dpi. (Below 96 dpi, cosmetic pens keep thin lines from vanishing.)
            if (scale > 1)
                painter.setMode(QCPPainter::pmNonCosmetic);
            painter.scale(scale, scale);
            drawPanels(painter, panels, w, h);
        }
        setResolution(image, o.dpi);
        ok = image.save(&file, "PNG");
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter writer(&file);
        writer.setCreator(QStringLiteral("RMM Workbench"));
        writer.setPageSize(QPageSize(QSizeF(o.width_mm, o.height_mm), QPageSize::Millimeter));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setResolution(static_cast<int>(kLogicalDpi));
        ok = drawVector(&writer);
    } else {
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setResolution(static_cast<int>(kLogicalDpi));
        generator.setTitle(PlotExport::tr("RMM Workbench figure"));
        // Qt's SVG generator writes no clip paths: the curves are cut to their axis rects.
        std::vector<std::unique_ptr<SvgClipGuard>> clips;
        for (QCustomPlot* panel : panels)
            clips.push_back(std::make_unique<SvgClipGuard>(panel));
        ok = drawVector(&generator);
    }
    if (!ok) {
        file.cancelWriting();
        return fail(PlotExport::tr("Could not render the figure to '%1'.").arg(path));
    }
    if (!file.commit())
        return fail(PlotExport::tr("Could not write '%1': %2").arg(path, file.errorString()));
    return true;
}

} // namespace rmm
