// SPDX-License-Identifier: GPL-3.0-or-later
// Figure export of the trace plot: PNG (raster, 2x), PDF and SVG (vector).
#include "widgets/polyline_clip.hpp"
#include "widgets/trace_plot.hpp"

#include <QFileInfo>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <vector>

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
        // Qt's SVG generator writes no clip paths: cut each trace to its axis rect for the export.
        std::vector<QSharedPointer<QCPGraphDataContainer>> saved;
        std::vector<QCPGraph*> markerGraphs, unmarked;
        for (QCPGraph* g : m_graphs) {
            saved.push_back(g->data());
            std::vector<double> keys, values;
            keys.reserve(static_cast<std::size_t>(g->data()->size()));
            values.reserve(keys.capacity());
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
                keys.push_back(it->key);
                values.push_back(it->value);
            }
            const QCPRange xr = g->keyAxis()->range(), yr = g->valueAxis()->range();
            const Polyline clipped = clipPolyline(keys, values, xr.lower, xr.upper, yr.lower, yr.upper);
            QVector<QCPGraphData> points(static_cast<qsizetype>(clipped.keys.size()));
            for (std::size_t i = 0; i < clipped.keys.size(); ++i)
                points[static_cast<qsizetype>(i)] = QCPGraphData(clipped.keys[i], clipped.values[i]);
            auto container = QSharedPointer<QCPGraphDataContainer>::create();
            container->set(points, true);
            g->setData(container);
            if (g->scatterStyle().shape() != QCPScatterStyle::ssNone) {
                // Sample markers from a separate graph of the visible samples only (gap points
                // carry no marker).
                QVector<QCPGraphData> samples;
                for (std::size_t i = 0; i < keys.size(); ++i)
                    if (xr.contains(keys[i]) && yr.contains(values[i]))
                        samples.push_back(QCPGraphData(keys[i], values[i]));
                QCPGraph* dots = m_plot->addGraph(g->keyAxis(), g->valueAxis());
                dots->setPen(g->pen());
                dots->setLineStyle(QCPGraph::lsNone);
                dots->setScatterStyle(g->scatterStyle());
                dots->data()->set(samples, true);
                markerGraphs.push_back(dots);
                unmarked.push_back(g);
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssNone));
            }
        }
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
        for (std::size_t i = 0; i < m_graphs.size(); ++i)
            m_graphs[i]->setData(saved[i]);
        for (std::size_t i = 0; i < markerGraphs.size(); ++i) {
            unmarked[i]->setScatterStyle(markerGraphs[i]->scatterStyle());
            m_plot->removeGraph(markerGraphs[i]);
        }
    } else {
        return fail(tr("Cannot export to '%1': use a .png, .pdf or .svg file name.").arg(path));
    }
    if (!ok || !QFileInfo::exists(path))
        return fail(tr("Could not write '%1' (check that the folder exists and is writable).").arg(path));
    return true;
}

} // namespace rmm
