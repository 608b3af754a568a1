// SPDX-License-Identifier: GPL-3.0-or-later
// Figure export of the trace plot: PNG (raster, 2x), PDF and SVG (vector).
#include "widgets/svg_clip.hpp"
#include "widgets/trace_plot.hpp"

#include <QFileInfo>
#include <QSvgGenerator>
#include <qcustomplot.h>


namespace rmm {

bool TracePlot::exportFigure(const QString& path, QString* error, int width, int height)
{
    auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (width <= 0 || height <= 0) {
        width = m_plot->width();
        height = m_plot->height();
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = m_plot->savePng(path, width, height, 2.0, -1, 192);
    } else if (suffix == QLatin1String("pdf")) {
        ok = m_plot->savePdf(path, width, height, QCP::epNoCosmetic, QStringLiteral("RMM Workbench"),
                             tr("Traces"));
    } else if (suffix == QLatin1String("svg")) {
        const SvgClipGuard clip(m_plot); // Qt's SVG generator writes no clip paths
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(QSize(width, height));
        generator.setViewBox(QRect(0, 0, width, height));
        generator.setTitle(tr("Traces"));
        generator.setDescription(tr("Exported by RMM Workbench"));
        QCPPainter painter;
        if (painter.begin(&generator)) {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            painter.setMode(QCPPainter::pmNonCosmetic);
            m_plot->toPainter(&painter, width, height);
            ok = painter.end();
        }
    } else {
        return fail(tr("Cannot export to '%1': use a .png, .pdf or .svg file name.").arg(path));
    }
    if (!ok || !QFileInfo::exists(path))
        return fail(tr("Could not write '%1' (check that the folder exists and is writable).").arg(path));
    return true;
}

} // namespace rmm
