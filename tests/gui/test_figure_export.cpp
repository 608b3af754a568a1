// SPDX-License-Identifier: GPL-3.0-or-later
// Figure export of every workbench plot type (recording traces, learning curves, predictions,
// conductance map panels), through the one export the File menu uses (widgets/plot_export).
// SVG: zoomed in so that the curves run far outside the visible ranges, exported, and the SVG
// parsed: every coordinate drawn in the curves' colour must lie inside an axis rect (up to half a
// marker), and embedded images (the colour maps) inside one too (Qt 6.4's SVG generator writes no
// clip paths; SvgClipGuard cuts the curves). PNG: the same figure at 96, 300 and 600 dpi with one
// physical size must be the same picture: text and lines keep their size in millimetres (the
// 300 dpi default once drew text about 3x too large and lines a third as thick), and the file
// records its dpi.
#include "common/fixtures.hpp"
#include "engine/synth/hco.hpp"
#include "widgets/conductance_map.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/predictions_view.hpp"
#include "widgets/trace_plot.hpp"

#include <QFile>
#include <QImage>
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
            frame.transform =
                parseTransform(a.value(QStringLiteral("transform")).toString()) * stack.last().transform;
        if (a.hasAttribute(QStringLiteral("stroke")))
            frame.stroke = a.value(QStringLiteral("stroke")).toString().toLower();
        stack.append(frame);
        const QString name = xml.name().toString();
        auto attr = [&](const char* n) { return a.value(QLatin1String(n)).toDouble(); };
        if (name == QLatin1String("image")) {
            out.images << frame.transform.mapRect(
                QRectF(attr("x"), attr("y"), attr("width"), attr("height")));
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
    QVERIFY2(outside == 0,
             qPrintable(QStringLiteral("%1 of %2 curve points outside the axis rects, e.g. (%3, %4)")
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

struct Ink {
    double fraction = 0; ///< share of the pixels darker than mid-grey
    QRect box;           ///< their bounding box
};

/// Dark pixels of an image (any colour darker than mid-grey counts as ink).
Ink inkOf(const QImage& image)
{
    Ink out;
    long dark = 0;
    const QImage g = image.convertToFormat(QImage::Format_Grayscale8);
    int x0 = g.width(), y0 = g.height(), x1 = -1, y1 = -1;
    for (int y = 0; y < g.height(); ++y) {
        const uchar* row = g.constScanLine(y);
        for (int x = 0; x < g.width(); ++x)
            if (row[x] < 128) {
                ++dark;
                x0 = std::min(x0, x);
                x1 = std::max(x1, x);
                y0 = std::min(y0, y);
                y1 = std::max(y1, y);
            }
    }
    out.fraction = static_cast<double>(dark) / (static_cast<double>(g.width()) * g.height());
    if (x1 >= 0)
        out.box = QRect(QPoint(x0, y0), QPoint(x1, y1));
    return out;
}

/// Mean absolute grey-level difference (0..255) of two images of one size.
double meanDifference(const QImage& a, const QImage& b)
{
    const QImage ga = a.convertToFormat(QImage::Format_Grayscale8);
    const QImage gb = b.convertToFormat(QImage::Format_Grayscale8);
    double sum = 0;
    for (int y = 0; y < ga.height(); ++y) {
        const uchar* ra = ga.constScanLine(y);
        const uchar* rb = gb.constScanLine(y);
        for (int x = 0; x < ga.width(); ++x)
            sum += std::abs(int(ra[x]) - int(rb[x]));
    }
    return sum / (static_cast<double>(ga.width()) * ga.height());
}

/// Exports `plot` as PNG at 96, 300 and 600 dpi with one physical size and checks that the three
/// files are the same figure: the pixel size follows the dpi, the file records its dpi, the share
/// of dark pixels (text and lines, whose physical size must not change) stays within a third of the
/// 96 dpi figure's, and the larger figures shrunk to 96 dpi differ from it by little on average
/// (anti-aliasing and font hinting only). Returns the three images for further checks.
QList<QImage> checkPngResolutions(QCustomPlot* plot, const QString& stem, const FigureOptions& o0 = figure())
{
    QList<QImage> images;
    for (int dpi : {96, 300, 600}) {
        FigureOptions o = o0;
        o.dpi = dpi;
        const QString path = QStringLiteral("%1-%2dpi.png").arg(stem).arg(dpi);
        QString error;
        if (!exportFigure({plot}, path, o, &error)) {
            QTest::qFail(qPrintable(error), __FILE__, __LINE__);
            return {};
        }
        QImage image(path);
        if (image.isNull()) {
            QTest::qFail(qPrintable(QStringLiteral("cannot read %1 back").arg(path)), __FILE__, __LINE__);
            return {};
        }
        if (image.width() != pixelsFor(o.width_mm, dpi) || image.height() != pixelsFor(o.height_mm, dpi) ||
            std::abs(image.dotsPerMeterX() * 0.0254 - dpi) > 1 ||
            std::abs(image.dotsPerMeterY() * 0.0254 - dpi) > 1) {
            QTest::qFail(qPrintable(QStringLiteral("%1: %2 x %3 px at %4 dpi, expected %5 x %6 px at %7 dpi")
                                        .arg(path)
                                        .arg(image.width())
                                        .arg(image.height())
                                        .arg(image.dotsPerMeterX() * 0.0254)
                                        .arg(pixelsFor(o.width_mm, dpi))
                                        .arg(pixelsFor(o.height_mm, dpi))
                                        .arg(dpi)),
                         __FILE__, __LINE__);
            return {};
        }
        images << image;
    }
    const Ink base = inkOf(images[0]);
    for (int i = 1; i < images.size(); ++i) {
        const Ink ink = inkOf(images[i]);
        const double ratio = ink.fraction / base.fraction;
        const QImage shrunk =
            images[i].scaled(images[0].size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        const double diff = meanDifference(shrunk, images[0]);
        qInfo("%s: dark pixels %.4f of the figure at %d px wide vs %.4f at 96 dpi (ratio %.2f); shrunk to "
              "96 dpi it differs by %.2f grey levels on average",
              qPrintable(stem), ink.fraction, images[i].width(), base.fraction, ratio, diff);
        // Measured: 0.97 to 1.04 and at most 11 grey levels when right; with text and lines scaled
        // twice (the old 300 dpi export) 1.9 to 5.9 and 16 to 53.
        if (ratio < 0.75 || ratio > 1.33 || diff > 18) {
            QTest::qFail(
                qPrintable(QStringLiteral("%1: the figure at %2 px wide is not the 96 dpi figure scaled: "
                                          "dark-pixel ratio %3, mean difference %4 grey levels")
                               .arg(stem)
                               .arg(images[i].width())
                               .arg(ratio)
                               .arg(diff)),
                __FILE__, __LINE__);
            return {};
        }
    }
    return images;
}

} // namespace

class TestFigureExport : public QObject {
    Q_OBJECT
  private:
    QString m_dir;

  private slots:
    void initTestCase() { m_dir = rmmtest::scratchDir(QStringLiteral("figure-export")); }

    /// A figure holding only a line of capitals at 20 pt: in every PNG, the letters are as tall
    /// in millimetres as 20 pt capitals are (cap height 0.6 to 0.8 of the 7.06 mm em), whatever
    /// the dpi; their height in pixels scales with the dpi.
    void pngTextKeepsItsPhysicalSize()
    {
        QCustomPlot plot;
        plot.resize(kW, kH);
        plot.plotLayout()->insertRow(0);
        QFont font(QStringLiteral("DejaVu Sans"));
        font.setPointSizeF(20);
        plot.plotLayout()->addElement(0, 0, new QCPTextElement(&plot, QStringLiteral("HHHH"), font));
        for (QCPAxis* a : plot.axisRect()->axes())
            a->setVisible(false);
        const QList<QImage> images = checkPngResolutions(&plot, m_dir + "/text");
        QCOMPARE(images.size(), 3);
        const double em_mm = 20.0 / 72.0 * 25.4;
        const int dpis[] = {96, 300, 600};
        double height96 = 0;
        for (int i = 0; i < 3; ++i) {
            const QRect box = inkOf(images[i]).box;
            QVERIFY(!box.isNull());
            const double mm = box.height() * 25.4 / dpis[i];
            qInfo("text at %d dpi: %d px tall = %.2f mm (em %.2f mm)", dpis[i], box.height(), mm, em_mm);
            QVERIFY2(mm > 0.6 * em_mm && mm < 0.8 * em_mm,
                     qPrintable(QStringLiteral("capitals %1 mm tall at %2 dpi").arg(mm).arg(dpis[i])));
            if (i == 0)
                height96 = box.height();
            else // +-1.5 px of rounding at 96 dpi
                QVERIFY(std::abs(box.height() - height96 * dpis[i] / 96.0) <= 1.5 * dpis[i] / 96.0);
        }
    }

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
        const QString svg = m_dir + "/traces.svg";
        QString error;
        QVERIFY2(exportFigure({plot}, svg, figure(), &error), qPrintable(error));
        checkClipped(plot, svg, 5);
        if (QTest::currentTestFailed())
            return;
        checkPngResolutions(plot, m_dir + "/traces");
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
            w.appendEpoch(1, e, 10.0 * std::exp(-0.03 * e) * (1 + 0.3 * std::sin(e)),
                          0.5 + 0.4 * std::sin(0.1 * e), 2.0 * e);
            w.appendEpoch(2, e, 5.0 * std::exp(-0.02 * e) * (1 + 0.3 * std::cos(e)),
                          0.5 + 0.4 * std::cos(0.1 * e), 3.0 * e);
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
        if (!QTest::currentTestFailed())
            checkPngResolutions(w.plot(), m_dir + "/curves");
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
        if (!QTest::currentTestFailed())
            checkPngResolutions(w.plot(), m_dir + "/predictions");
    }

    /// A legend inside a panel (the predictions view's, the sweep plot's) sits over the traces on
    /// screen; in the figure the panel's range makes room for it, and the plot is left as it was.
    void legendsLeaveTheTracesClear()
    {
        QCustomPlot plot;
        plot.resize(kW, kH);
        QCPGraph* g = plot.addGraph();
        g->setPen(QPen(Qt::red, 3));
        g->setName(QStringLiteral("a legend entry wide enough to cover the line"));
        g->setData(QVector<double>{0, 1}, QVector<double>{0.91, 0.91}); // through the legend
        plot.xAxis->setRange(0, 1);
        plot.yAxis->setRange(0, 1);
        auto* legend = new QCPLegend;
        plot.axisRect()->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
        legend->setLayer(QStringLiteral("legend")); // above the traces, as in the views
        g->addToLegend(legend);
        legend->setBrush(Qt::white);
        // How much of the red line shows: the most red pixels in one row, as a share of the width.
        auto redReach = [](const QImage& image) {
            int most = 0;
            for (int y = 0; y < image.height(); ++y) {
                int count = 0;
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    count += c.red() > 200 && c.green() < 80 && c.blue() < 80 ? 1 : 0;
                }
                most = std::max(most, count);
            }
            return static_cast<double>(most) / image.width();
        };
        // On screen the legend hides the line's right end (the case the export has to handle).
        const double onScreen = redReach(plot.toPixmap(kW, kH).toImage());
        QVERIFY2(onScreen > 0.1 && onScreen < 0.6, qPrintable(QString::number(onScreen)));
        const QString png = m_dir + "/legend.png";
        FigureOptions o = figure();
        o.dpi = 96;
        QString error;
        QVERIFY2(exportFigure({&plot}, png, o, &error), qPrintable(error));
        const double inFigure = redReach(QImage(png));
        QVERIFY2(inFigure > 0.85, qPrintable(QString::number(inFigure)));
        // The plot is as it was.
        QCOMPARE(plot.yAxis->range().lower, 0.0);
        QCOMPARE(plot.yAxis->range().upper, 1.0);
        QCOMPARE(legend->wrap(), 0);
        QCOMPARE(legend->fillOrder(), QCPLayoutGrid::foRowsFirst);
        QCOMPARE(redReach(plot.toPixmap(kW, kH).toImage()), onScreen);
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
        if (!QTest::currentTestFailed())
            checkPngResolutions(plot, m_dir + "/conductance");
    }
};

QTEST_MAIN(TestFigureExport)
#include "test_figure_export.moc"
