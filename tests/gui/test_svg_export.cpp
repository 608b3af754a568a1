// SPDX-License-Identifier: GPL-3.0-or-later
// SVG export of every workbench plot is clipped to the axes: each plot type (recording traces,
// learning curves, predictions, conductance map panels) is zoomed in so that its curves run far
// outside the visible ranges, exported to SVG, and the SVG is parsed: every coordinate drawn in
// the curves' colour must lie inside an axis rect (up to half a marker), and embedded images
// (the colour maps) must lie inside one too. Qt 6.4's SVG generator writes no clip paths, so
// without SvgClipGuard the curves run across the axes and labels.
#include "engine/synth/hco.hpp"
#include "widgets/conductance_map.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/predictions_view.hpp"
#include "widgets/trace_plot.hpp"
#include "common/fixtures.hpp"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTransform>
#include <QXmlStreamReader>
#include <qcustomplot.h>

#include <cmath>

using namespace rmm;

namespace {

const QColor kCurve(255, 0, 255); // the colour the test gives every curve

/// Widget size = figure size, so the export lays the plot out exactly as on screen: 480 x 360
/// logical pixels at 96 dpi.
constexpr int kW = 480, kH = 360;
FigureOptions figure()
{
    FigureOptions o;
    o.width_mm = kW * 25.4 / 96.0;
    o.height_mm = kH * 25.4 / 96.0;
    return o;
}

QTransform parseTransform(const QString& text)
{
    static const QRegularExpression matrix(QStringLiteral("matrix\\(([^)]*)\\)"));
    const auto m = matrix.match(text);
    if (!m.hasMatch())
        return {};
    const QStringList v = m.captured(1).split(QLatin1Char(','));
    if (v.size() != 6)
        return {};
    return QTransform(v[0].toDouble(), v[1].toDouble(), v[2].toDouble(), v[3].toDouble(), v[4].toDouble(),
                      v[5].toDouble());
}

QList<double> numbers(const QString& text)
{
    static const QRegularExpression number(QStringLiteral("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?"));
    QList<double> out;
    for (auto it = number.globalMatch(text); it.hasNext();)
        out << it.next().captured(0).toDouble();
    return out;
}

struct SvgShapes {
    QList<QPointF> curvePoints; ///< every coordinate drawn with the curve colour
    QList<QRectF> images;
};

/// Collects the points of paths, polylines, polygons, lines, ellipses and rects stroked in
/// kCurve (inherited from enclosing groups) and the rectangles of embedded images, in figure
/// coordinates (group transforms applied).
SvgShapes parseSvg(const QString& path)
{
    SvgShapes out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    QXmlStreamReader xml(&f);
    struct Frame {
        QTransform transform;
        QString stroke;
    };
    QList<Frame> stack{Frame{}};
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::EndElement) {
            stack.removeLast();
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        const QXmlStreamAttributes a = xml.attributes();
        Frame frame = stack.last();
        if (a.hasAttribute(QStringLiteral("transform")))
            frame.transform = parseTransform(a.value(QStringLiteral("transform")).toString()) * stack.last().transform;
        if (a.hasAttribute(QStringLiteral("stroke")))
            frame.stroke = a.value(QStringLiteral("stroke")).toString().toLower();
        stack.append(frame);
        const QString name = xml.name().toString();
        auto attr = [&](const char* n) { return a.value(QLatin1String(n)).toDouble(); };
        if (name == QLatin1String("image")) {
            out.images << frame.transform.mapRect(QRectF(attr("x"), attr("y"), attr("width"), attr("height")));
            continue;
        }
        if (frame.stroke != kCurve.name())
            continue;
        QList<double> v;
        if (name == QLatin1String("path"))
            v = numbers(a.value(QStringLiteral("d")).toString());
        else if (name == QLatin1String("polyline") || name == QLatin1String("polygon"))
            v = numbers(a.value(QStringLiteral("points")).toString());
        else if (name == QLatin1String("line"))
            v = {attr("x1"), attr("y1"), attr("x2"), attr("y2")};
        else if (name == QLatin1String("ellipse") || name == QLatin1String("circle"))
            v = {attr("cx"), attr("cy")};
        else if (name == QLatin1String("rect"))
            v = {attr("x"), attr("y"), attr("x") + attr("width"), attr("y") + attr("height")};
        for (qsizetype i = 0; i + 1 < v.size(); i += 2)
            out.curvePoints << frame.transform.map(QPointF(v[i], v[i + 1]));
    }
    return out;
}

/// Fails unless every curve point lies in one of the plot's axis rects (grown by `tolerance`
/// pixels: half the largest marker) and every image inside one (up to rounding).
void checkClipped(QCustomPlot* plot, const QString& svgPath, double tolerance, bool expectImages = false)
{
    const SvgShapes shapes = parseSvg(svgPath);
    QVERIFY2(!shapes.curvePoints.isEmpty(), "no curve found in the SVG");
    QList<QRectF> rects;
    for (QCPAxisRect* r : plot->axisRects())
        rects << QRectF(r->rect());
    int outside = 0;
    QPointF worst;
    for (const QPointF& p : shapes.curvePoints) {
        bool in = false;
        for (const QRectF& r : rects)
            in = in || r.adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(p);
        if (!in) {
            if (outside == 0)
                worst = p;
            ++outside;
        }
    }
    QVERIFY2(outside == 0, qPrintable(QStringLiteral("%1 of %2 curve points outside the axis rects, e.g. (%3, %4)")
                                          .arg(outside)
                                          .arg(shapes.curvePoints.size())
                                          .arg(worst.x())
                                          .arg(worst.y())));
    if (expectImages)
        QVERIFY(!shapes.images.isEmpty());
    // The colour scales' gradients are images too, drawn in the scales' own rects.
    QList<QRectF> imageRects = rects;
    for (QCPLayoutElement* e : plot->plotLayout()->elements(true))
        if (auto* scale = qobject_cast<QCPColorScale*>(e))
            imageRects << QRectF(scale->outerRect());
    for (const QRectF& image : shapes.images) {
        bool in = false;
        for (const QRectF& r : imageRects)
            in = in || r.adjusted(-1.5, -1.5, 1.5, 1.5).contains(image);
        QVERIFY2(in, qPrintable(QStringLiteral("image (%1, %2, %3 x %4) not inside an axis rect")
                                    .arg(image.x())
                                    .arg(image.y())
                                    .arg(image.width())
                                    .arg(image.height())));
    }
}

/// Every graph and curve drawn in kCurve (markers included, as far as they use the pen).
void paintCurves(QCustomPlot* plot)
{
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QPen pen = plot->plottable(i)->pen();
        pen.setColor(kCurve);
        plot->plottable(i)->setPen(pen);
    }
}

/// Zooms every axis rect into the middle tenth of its current ranges.
void zoomIn(QCustomPlot* plot)
{
    for (QCPAxisRect* r : plot->axisRects())
        for (QCPAxis* a : {r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft)}) {
            const QCPRange range = a->range();
            if (a->scaleType() == QCPAxis::stLogarithmic) {
                const double lo = std::log(range.lower), hi = std::log(range.upper);
                a->setRange(std::exp(lo + 0.45 * (hi - lo)), std::exp(lo + 0.55 * (hi - lo)));
            } else {
                a->setRange(range.lower + 0.45 * range.size(), range.lower + 0.55 * range.size());
            }
        }
    plot->replot();
}

} // namespace

class TestSvgExport : public QObject {
    Q_OBJECT
  private:
    QString m_dir;

  private slots:
    void initTestCase() { m_dir = rmmtest::scratchDir(QStringLiteral("svg-export")); }

    void tracePlot()
    {
        HcoConfig c;
        c.seconds = 2;
        c.warmup_s = 0.5;
        TracePlot w;
        w.resize(kW, kH);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy updated(&w, &TracePlot::dataUpdated);
        w.setRecording(std::make_shared<const Recording>(synthesizeHco(c)));
        QVERIFY(updated.wait(60000)); // the decimated traces are computed in the background
        QCustomPlot* plot = w.plot();
        plot->resize(kW, kH); // the figure size, so the export keeps the on-screen layout
        paintCurves(plot);
        zoomIn(plot);
        const QString own = m_dir + "/traces.svg", figure = m_dir + "/traces-figure.svg";
        QString error;
        QVERIFY2(w.exportFigure(own, &error, kW, kH), qPrintable(error));
        checkClipped(plot, own, 5);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(exportFigure({plot}, figure, ::figure(), &error), qPrintable(error));
        checkClipped(plot, figure, 5);
    }

    void learningCurves()
    {
        LearningCurvePlot w;
        w.resize(kW, kH);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setSeries(1, QStringLiteral("a"), Qt::blue);
        w.setSeries(2, QStringLiteral("b"), Qt::red);
        for (int e = 0; e < 200; ++e) {
            w.appendEpoch(1, e, 10.0 * std::exp(-0.03 * e) * (1 + 0.3 * std::sin(e)), 0.5 + 0.4 * std::sin(0.1 * e), 2.0 * e);
            w.appendEpoch(2, e, 5.0 * std::exp(-0.02 * e) * (1 + 0.3 * std::cos(e)), 0.5 + 0.4 * std::cos(0.1 * e), 3.0 * e);
        }
        w.setBest(1, 100, 0.5 + 0.4 * std::sin(10.0));
        w.setBest(2, 40, 0.5 + 0.4 * std::cos(4.0));
        w.fit();
        w.plot()->resize(kW, kH);
        paintCurves(w.plot());
        zoomIn(w.plot());
        const QString svg = m_dir + "/curves.svg";
        QString error;
        QVERIFY2(exportFigure({w.plot()}, svg, figure(), &error), qPrintable(error));
        checkClipped(w.plot(), svg, 8); // the best marker is a 14 px star
    }

    void predictions()
    {
        PredictionData d;
        d.dt_ms = 0.5;
        for (int n = 0; n < 2; ++n) {
            NeuronPrediction p;
            p.name = QStringLiteral("neuron %1").arg(n + 1);
            for (int k = 0; k < 4000; ++k) {
                const double t = k * 0.5e-3;
                p.v_measured.push_back(-50 + 20 * std::sin(2 * M_PI * 3 * t + n));
                p.v_predicted.push_back(-50 + 18 * std::sin(2 * M_PI * 3 * t + n + 0.2));
                p.isyn_true.push_back(std::cos(2 * M_PI * 3 * t));
                p.isyn_predicted.push_back(0.9 * std::cos(2 * M_PI * 3 * t + 0.1));
            }
            d.neurons.push_back(p);
        }
        PredictionsView w;
        w.resize(kW, kH);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setPredictions(d);
        w.plot()->resize(kW, kH);
        paintCurves(w.plot());
        zoomIn(w.plot());
        const QString svg = m_dir + "/predictions.svg";
        QString error;
        QVERIFY2(exportFigure({w.plot()}, svg, figure(), &error), qPrintable(error));
        checkClipped(w.plot(), svg, 2);
    }

    void conductanceMapPanels()
    {
        ConductanceMap w;
        w.resize(kW, kH);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCustomPlot* plot = w.plot();
        // The panels filled directly (the analysis itself is tested in test_conductance_map):
        // colour maps, the G = 0 contour (a curve of separate segments), IV/GV lines and markers.
        for (QCPColorMap* map : {w.conductanceMap(), w.susceptanceMap()}) {
            map->data()->setSize(60, 40);
            map->data()->setRange(QCPRange(-80, -20), QCPRange(0, 3));
            for (int i = 0; i < 60; ++i)
                for (int j = 0; j < 40; ++j)
                    map->data()->setCell(i, j, std::sin(0.2 * i) * std::cos(0.3 * j));
            map->rescaleDataRange(true);
        }
        for (int i = 0; i < plot->plottableCount(); ++i) {
            QCPAbstractPlottable* p = plot->plottable(i);
            if (auto* curve = qobject_cast<QCPCurve*>(p)) {
                QVector<QCPCurveData> seg;
                const double nan = std::numeric_limits<double>::quiet_NaN();
                for (int k = 0; k < 50; ++k) {
                    const double a = 0.2 * k, b = 0.2 * (k + 1);
                    seg << QCPCurveData(3 * k, -50 + 25 * std::cos(a), 1.5 + 1.2 * std::sin(a))
                        << QCPCurveData(3 * k + 1, -50 + 25 * std::cos(b), 1.5 + 1.2 * std::sin(b))
                        << QCPCurveData(3 * k + 2, nan, nan);
                }
                curve->data()->set(seg, true);
            } else if (auto* g = qobject_cast<QCPGraph*>(p)) {
                QVector<double> x, y;
                for (int k = 0; k <= 60; ++k) {
                    x << -80 + k;
                    y << 1.5 + std::sin(0.2 * k);
                }
                g->setData(x, y, true);
            }
        }
        for (QCPAxisRect* r : plot->axisRects()) {
            r->axis(QCPAxis::atBottom)->setRange(-80, -20);
            r->axis(QCPAxis::atLeft)->setRange(0, 3);
        }
        plot->resize(kW, kH);
        paintCurves(plot);
        zoomIn(plot);
        const QString svg = m_dir + "/conductance.svg";
        QString error;
        QVERIFY2(exportFigure({plot}, svg, figure(), &error), qPrintable(error));
        checkClipped(plot, svg, 6, /*expectImages=*/true); // markers are 9 px
    }
};

QTEST_MAIN(TestSvgExport)
#include "test_svg_export.moc"
