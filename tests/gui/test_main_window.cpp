// SPDX-License-Identifier: GPL-3.0-or-later
// GUI smoke test of the workbench window (QT_QPA_PLATFORM=offscreen): the demo opens through
// the real background-loading path, one plot per channel, linked time axes, wheel zoom, fit,
// status bar, display units, errors shown without crashing, and figure export.
#include "app/gui/main_window.hpp"
#include "common/fixtures.hpp"
#include "engine/recording/formats.hpp"
#include "widgets/trace_plot.hpp"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>
#include <QToolButton>
#include <QWheelEvent>
#include <QXmlStreamReader>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

using rmm::MainWindow;
using rmm::TracePlot;

namespace {

constexpr double kDemoSeconds = 4.0;
constexpr int kLoadTimeoutMs = 120000;

void sendWheel(QWidget* target, QPointF pos, int angle)
{
    QWheelEvent event(pos, target->mapToGlobal(pos), QPoint(), QPoint(0, angle), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(target, &event);
}

QCPRange xRange(TracePlot* plot, int channel)
{
    return plot->axisRect(channel)->axis(QCPAxis::atBottom)->range();
}

QCPRange yRange(TracePlot* plot, int channel)
{
    return plot->axisRect(channel)->axis(QCPAxis::atLeft)->range();
}

bool sameRange(const QCPRange& a, const QCPRange& b)
{
    return rmmtest::near(a.lower, b.lower, 1e-9) && rmmtest::near(a.upper, b.upper, 1e-9);
}

QByteArray fileHead(const QString& path, int bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(bytes);
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void cleanupTestCase();
    void demoOpensWithOnePlotPerChannel();
    void timeAxesAreLinked();
    void wheelZoomsTimeOrOneYAxis();
    void fitShowsEverything();
    void dragPansAndCtrlDragZooms();
    void deepZoomShowsRawSamples();
    void trialSelectorSwitchesTrials();
    void channelsCanBeHidden();
    void statusBarAndTitle();
    void missingFileShowsMessageAndKeepsRunning();
    void garbageFileShowsMessage();
    void fileInVoltsIsShownInMillivolts();
    void exportsPngPdfSvg();
    void closingWhileLoadingCancels();

  private:
    MainWindow* m_window = nullptr;
    TracePlot* m_plot = nullptr;
};

void TestMainWindow::initTestCase()
{
    // Keep the user's real settings out of the test.
    QCoreApplication::setOrganizationName(QStringLiteral("RMM-test"));
    QCoreApplication::setApplicationName(QStringLiteral("RMM Workbench test"));
    m_window = new MainWindow;
    m_window->setDemoSeconds(kDemoSeconds);
    m_window->resize(1200, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_plot = m_window->tracePlot();
    QVERIFY(m_plot);
    QVERIFY(!m_window->fitAction()->isEnabled());
}

void TestMainWindow::cleanupTestCase()
{
    delete m_window;
}

void TestMainWindow::demoOpensWithOnePlotPerChannel()
{
    QSignalSpy loaded(m_window, &MainWindow::recordingLoaded);
    QSignalSpy data(m_plot, &TracePlot::dataUpdated);
    m_window->openDemo();
    // Loading runs in the background: the call returns at once with the window busy.
    QVERIFY(m_window->isLoading());
    QVERIFY(!m_window->recording());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);
    QVERIFY(!m_window->isLoading());

    const auto rec = m_window->recording();
    QVERIFY(rec);
    QCOMPARE(rec->trials.size(), std::size_t(2));
    const auto& trial = rec->trials.front();
    const int channels = static_cast<int>(trial.channels.size());
    QVERIFY(channels >= 2);
    QCOMPARE(static_cast<int>(std::llround(static_cast<double>(trial.length()) * rec->dt_ms)),
             static_cast<int>(kDemoSeconds * 1000));

    QCOMPARE(m_plot->channelCount(), channels);
    QCOMPARE(m_plot->plot()->axisRectCount(), channels);
    QCOMPARE(m_plot->plot()->graphCount(), channels);
    for (int c = 0; c < channels; ++c) {
        QCPGraph* g = m_plot->graph(c);
        QCOMPARE(g->keyAxis()->axisRect(), m_plot->axisRect(c));
        const auto& ch = *trial.find(m_plot->shownChannels()[c].toStdString()); // rows in natural order
        const QString label = m_plot->channelLabel(c);
        QVERIFY2(label.startsWith(QString::fromStdString(ch.name)), qPrintable(label));
        if (ch.unit == "1" || ch.unit.empty())
            QCOMPARE(label, QString::fromStdString(ch.name)); // dimensionless: no unit shown
        else
            QVERIFY2(label.endsWith(QStringLiteral("[%1]").arg(QString::fromStdString(ch.unit))),
                     qPrintable(label));
        // Only the bottom plot labels the time axis.
        QCOMPARE(m_plot->axisRect(c)->axis(QCPAxis::atBottom)->label().isEmpty(), c != channels - 1);
    }
    QCOMPARE(m_plot->axisRect(channels - 1)->axis(QCPAxis::atBottom)->label(), QStringLiteral("time [s]"));

    // Decimated data arrives from the worker.
    QTRY_VERIFY_WITH_TIMEOUT(data.count() >= 1, 20000);
    for (int c = 0; c < channels; ++c)
        QVERIFY(m_plot->graph(c)->dataCount() > 10);
    QVERIFY(m_window->fitAction()->isEnabled());
    QVERIFY(sameRange(xRange(m_plot, 0), QCPRange(0, kDemoSeconds)));
}

void TestMainWindow::timeAxesAreLinked()
{
    const int n = m_plot->channelCount();
    QVERIFY(n >= 2);
    m_plot->axisRect(1)->axis(QCPAxis::atBottom)->setRange(1.0, 2.5);
    for (int c = 0; c < n; ++c)
        QVERIFY2(sameRange(xRange(m_plot, c), QCPRange(1.0, 2.5)), qPrintable(QString("channel %1").arg(c)));
    m_plot->axisRect(n - 1)->axis(QCPAxis::atBottom)->scaleRange(0.5);
    for (int c = 0; c < n; ++c)
        QVERIFY(sameRange(xRange(m_plot, c), xRange(m_plot, n - 1)));
    QVERIFY(rmmtest::near(xRange(m_plot, 0).size(), 0.75, 1e-9));
}

void TestMainWindow::wheelZoomsTimeOrOneYAxis()
{
    m_window->fitAction()->trigger();
    QCustomPlot* qcp = m_plot->plot();
    const int n = m_plot->channelCount();
    const int target = std::min(2, n - 1);
    QCPAxisRect* rect = m_plot->axisRect(target);
    const QCPRange x0 = xRange(m_plot, 0);
    const QCPRange yTarget0 = yRange(m_plot, target);

    // Inside the data area: time zooms in, on every plot; the y range stays.
    sendWheel(qcp, QPointF(rect->center()), 120);
    QVERIFY(xRange(m_plot, 0).size() < x0.size() * 0.95);
    for (int c = 0; c < n; ++c)
        QVERIFY(sameRange(xRange(m_plot, c), xRange(m_plot, 0)));
    QVERIFY(sameRange(yRange(m_plot, target), yTarget0));

    // Over the y tick labels: only that y axis zooms.
    const QCPRange x1 = xRange(m_plot, 0);
    const QCPRange yOther = yRange(m_plot, (target + 1) % n);
    sendWheel(qcp, QPointF(rect->left() - 12, rect->center().y()), 120);
    QVERIFY(sameRange(xRange(m_plot, 0), x1));
    QVERIFY(yRange(m_plot, target).size() < yTarget0.size() * 0.95);
    QVERIFY(sameRange(yRange(m_plot, (target + 1) % n), yOther));

    // Double-click fits again.
    QTest::mouseDClick(qcp, Qt::LeftButton, Qt::NoModifier, rect->center());
    QVERIFY(sameRange(xRange(m_plot, 0), QCPRange(0, kDemoSeconds)));
}

void TestMainWindow::fitShowsEverything()
{
    const auto rec = m_window->recording();
    const auto& trial = rec->trials[static_cast<std::size_t>(m_plot->currentTrial())];
    for (int c = 0; c < m_plot->channelCount(); ++c)
        m_plot->axisRect(c)->axis(QCPAxis::atLeft)->setRange(1000, 1001);
    m_plot->axisRect(0)->axis(QCPAxis::atBottom)->setRange(2, 3);
    m_window->fitAction()->trigger();
    for (int c = 0; c < m_plot->channelCount(); ++c) {
        QVERIFY(sameRange(xRange(m_plot, c), QCPRange(0, kDemoSeconds)));
        const auto& s = trial.find(m_plot->shownChannels()[c].toStdString())->samples;
        const auto [lo, hi] = std::minmax_element(s.begin(), s.end());
        const QCPRange y = yRange(m_plot, c);
        QVERIFY2(y.lower < *lo && y.upper > *hi, qPrintable(QString("channel %1").arg(c)));
        // ... with a modest margin, not an arbitrary range.
        QVERIFY(y.size() < 1.3 * (*hi - *lo) + 1e-9);
    }
}

void TestMainWindow::dragPansAndCtrlDragZooms()
{
    m_window->fitAction()->trigger();
    QCustomPlot* qcp = m_plot->plot();
    QCPAxisRect* rect = m_plot->axisRect(std::min(1, m_plot->channelCount() - 1));
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    const QCPRange x0 = x->range();
    const double secondsPerPixel = x0.size() / rect->width();

    // Plain drag 100 px to the left: the view moves 100 px later in time, on every plot.
    const QPoint c = rect->center();
    QTest::mousePress(qcp, Qt::LeftButton, Qt::NoModifier, c);
    QTest::mouseMove(qcp, c - QPoint(50, 0));
    QTest::mouseMove(qcp, c - QPoint(100, 0));
    QTest::mouseRelease(qcp, Qt::LeftButton, Qt::NoModifier, c - QPoint(100, 0));
    QVERIFY2(rmmtest::near(x->range().lower, x0.lower + 100 * secondsPerPixel, 2 * secondsPerPixel),
             qPrintable(QString::number(x->range().lower)));
    QVERIFY(rmmtest::near(x->range().size(), x0.size(), 1e-9));
    QVERIFY(sameRange(xRange(m_plot, 0), x->range()));

    // Ctrl+drag: zoom to the rectangle (time and that channel's y), other plots follow in time.
    m_window->fitAction()->trigger();
    const QPoint from(rect->left() + rect->width() / 4, rect->top() + 2);
    const QPoint to(rect->left() + rect->width() / 2, rect->bottom() - 2);
    const double t1 = x->pixelToCoord(from.x()), t2 = x->pixelToCoord(to.x());
    QTest::mousePress(qcp, Qt::LeftButton, Qt::ControlModifier, from);
    QTest::mouseMove(qcp, (from + to) / 2);
    QTest::mouseMove(qcp, to);
    QTest::mouseRelease(qcp, Qt::LeftButton, Qt::ControlModifier, to);
    QVERIFY2(
        rmmtest::near(x->range().lower, t1, 2 * secondsPerPixel) &&
            rmmtest::near(x->range().upper, t2, 2 * secondsPerPixel),
        qPrintable(QString("%1 %2 vs %3 %4").arg(x->range().lower).arg(x->range().upper).arg(t1).arg(t2)));
    QVERIFY(sameRange(xRange(m_plot, 0), x->range()));
    // The next plain press pans again instead of drawing a rectangle.
    QTest::mousePress(qcp, Qt::LeftButton, Qt::NoModifier, c);
    QCOMPARE(qcp->selectionRectMode(), QCP::srmNone);
    QTest::mouseRelease(qcp, Qt::LeftButton, Qt::NoModifier, c);
    m_window->fitAction()->trigger();
}

void TestMainWindow::deepZoomShowsRawSamples()
{
    const double dt = m_window->recording()->dt_ms * 1e-3;
    // 200 samples across the plot's width: far fewer than 2 per pixel.
    m_plot->axisRect(0)->axis(QCPAxis::atBottom)->setRange(1.0, 1.0 + 200 * dt);
    QCPGraph* g = m_plot->graph(0);
    auto pointsInside = [&]() {
        int inside = 0;
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            if (it->key >= 1.0 - 1e-9 && it->key <= 1.0 + 200 * dt + 1e-9)
                ++inside;
        return inside;
    };
    // Once the worker caught up with the new range, every one of the 201 samples is drawn.
    QTRY_COMPARE_WITH_TIMEOUT(pointsInside(), 201, 20000);
    m_window->fitAction()->trigger();
}

void TestMainWindow::trialSelectorSwitchesTrials()
{
    auto* box = m_plot->findChild<QComboBox*>();
    QVERIFY(box);
    QVERIFY(box->isVisible());
    QCOMPARE(box->count(), 2);
    QSignalSpy data(m_plot, &TracePlot::dataUpdated);
    box->setCurrentIndex(1);
    QCOMPARE(m_plot->currentTrial(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(data.count() >= 1, 20000);
    const auto& second = m_window->recording()->trials[1];
    QCOMPARE(m_plot->channelCount(), static_cast<int>(second.channels.size()));
    // The plotted maximum of the top row is the second trial's, not the first's.
    const auto& s = second.find(m_plot->shownChannels()[0].toStdString())->samples;
    const double hi = *std::max_element(s.begin(), s.end());
    double plotted = -INFINITY;
    for (auto it = m_plot->graph(0)->data()->constBegin(); it != m_plot->graph(0)->data()->constEnd(); ++it)
        plotted = std::max(plotted, it->value);
    QCOMPARE(plotted, hi);
    data.clear();
    box->setCurrentIndex(0);
    QTRY_VERIFY_WITH_TIMEOUT(data.count() >= 1, 20000);
}

void TestMainWindow::channelsCanBeHidden()
{
    const auto& trial = m_window->recording()->trials[static_cast<std::size_t>(m_plot->currentTrial())];
    const int all = static_cast<int>(trial.channels.size());
    QCOMPARE(m_plot->channelCount(), all);
    m_plot->axisRect(0)->axis(QCPAxis::atBottom)->setRange(0.5, 1.5);
    const QString second = m_plot->shownChannels()[1]; // rows in natural order
    const QString third = m_plot->shownChannels()[2];
    QSignalSpy data(m_plot, &TracePlot::dataUpdated);

    // Through the "Channels" menu, as a user would.
    auto* button = m_plot->findChild<QToolButton*>();
    QVERIFY(button && button->isVisible() && button->menu());
    QAction* toggle = nullptr;
    for (QAction* a : button->menu()->actions())
        if (a->isCheckable() && a->text() == m_plot->channelLabel(1))
            toggle = a;
    QVERIFY(toggle && toggle->isChecked());
    toggle->trigger();
    QTRY_COMPARE(m_plot->channelCount(), all - 1);
    QVERIFY(!m_plot->isChannelVisible(second));
    QVERIFY(sameRange(xRange(m_plot, 0), QCPRange(0.5, 1.5))); // the time view is kept
    // Rows below the hidden one moved up.
    QVERIFY(m_plot->channelLabel(1).startsWith(third));
    QCOMPARE(m_plot->plot()->axisRectCount(), all - 1);
    QTRY_VERIFY_WITH_TIMEOUT(data.count() >= 1, 20000);
    for (int c = 0; c < m_plot->channelCount(); ++c)
        QVERIFY(m_plot->graph(c)->dataCount() > 0);

    // The last visible channel cannot be hidden.
    for (const auto& ch : trial.channels)
        m_plot->setChannelVisible(QString::fromStdString(ch.name), false);
    QCOMPARE(m_plot->channelCount(), 1);

    m_plot->setChannelVisible(second, true);
    for (const auto& ch : trial.channels)
        m_plot->setChannelVisible(QString::fromStdString(ch.name), true);
    QCOMPARE(m_plot->channelCount(), all);
    m_window->fitAction()->trigger();
}

void TestMainWindow::statusBarAndTitle()
{
    const QString status = m_window->statusText();
    QVERIFY2(status.contains(QStringLiteral("demo")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("2 trials")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("%1 s").arg(2 * kDemoSeconds, 0, 'f', 3)), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("10 kHz")), qPrintable(status));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("demo")));
}

void TestMainWindow::missingFileShowsMessageAndKeepsRunning()
{
    const auto before = m_window->recording();
    const QString status = m_window->statusText();
    QSignalSpy errors(m_window, &MainWindow::errorShown);
    const QString missing = rmmtest::scratchDir("gui-missing") + "/no_such_recording.h5";
    m_window->openFile(missing);
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 20000);
    const QString message = errors.front().front().toString();
    QVERIFY2(message.contains(QStringLiteral("no_such_recording.h5")), qPrintable(message));
    // The message is on screen, non-modal for the event loop, and the window keeps what it had.
    auto* box = m_window->findChild<QMessageBox*>(QStringLiteral("errorMessageBox"));
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QCOMPARE(box->text(), message);
    QCOMPARE(m_window->recording(), before);
    QCOMPARE(m_window->statusText(), status);
    QVERIFY(!m_window->isLoading());
    box->close();
    QTRY_VERIFY(!m_window->findChild<QMessageBox*>(QStringLiteral("errorMessageBox")));
    QCOMPARE(m_plot->channelCount(), static_cast<int>(before->trials.front().channels.size()));
}

void TestMainWindow::garbageFileShowsMessage()
{
    const QString path = rmmtest::scratchDir("gui-garbage") + "/garbage.h5";
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(5000, '\x5a'));
    }
    QSignalSpy errors(m_window, &MainWindow::errorShown);
    m_window->openFile(path);
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 20000);
    QVERIFY(errors.front().front().toString().contains(QStringLiteral("garbage.h5")));
    for (auto* box : m_window->findChildren<QMessageBox*>())
        box->close();
    QVERIFY(m_window->recording());
}

void TestMainWindow::fileInVoltsIsShownInMillivolts()
{
    rmm::Recording rec;
    rec.format = "hdf5-generic";
    rec.source = "units";
    rec.dt_ms = 0.5;
    rmm::Trial t;
    t.name = "sweep1";
    rmm::Channel vm{"vm", "V", {}}, im{"im", "pA", {}};
    for (int i = 0; i < 4000; ++i) {
        vm.samples.push_back(-0.065 + 0.01 * std::sin(i * 0.01));
        im.samples.push_back(50.0 * std::cos(i * 0.003));
    }
    t.channels = {vm, im};
    rec.trials.push_back(t);
    const QString path = rmmtest::scratchDir("gui-units") + "/units.h5";
    rmm::writeGenericHdf5(rec, path.toStdString());

    QSignalSpy loaded(m_window, &MainWindow::recordingLoaded);
    QSignalSpy data(m_plot, &TracePlot::dataUpdated);
    m_window->openFile(path);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(data.count() >= 1, 20000);
    QCOMPARE(m_plot->channelCount(), 2);
    QCOMPARE(m_plot->shownChannels(), (QStringList{"vm", "im"})); // the channel map's voltage first
    QCOMPARE(m_plot->channelLabel(0), QStringLiteral("vm [mV]"));
    QCOMPARE(m_plot->channelLabel(1), QStringLiteral("im [pA]"));
    // Voltage drawn in mV (x1000), current as the file says. The axes are fitted once a decimation
    // with the channels' ranges has arrived, which under load can be after the first dataUpdated
    // (one full ctest run saw it): wait for the fit rather than for the first update.
    auto fitted = [this]() {
        const QCPRange y0 = yRange(m_plot, 0), y1 = yRange(m_plot, 1);
        return y0.lower < -74.9 && y0.lower > -80 && y0.upper > -55.1 && y0.upper < -50 && y1.lower < -49.9 &&
               y1.upper > 49.9 && y1.upper < 60;
    };
    QTRY_VERIFY_WITH_TIMEOUT(fitted(), 10000);
    // A single trial needs no selector.
    QVERIFY(!m_plot->findChild<QComboBox*>()->isVisible());
    QVERIFY(m_window->statusText().contains(QStringLiteral("units.h5")));
    QVERIFY(m_window->statusText().contains(QStringLiteral("1 trial")));
    QVERIFY(m_window->statusText().contains(QStringLiteral("2 kHz")));
}

void TestMainWindow::exportsPngPdfSvg()
{
    QVERIFY(m_window->recording());
    const QString dir = rmmtest::scratchDir("gui-export");

    const QString png = dir + "/traces.png";
    QVERIFY(m_window->exportFigure(png));
    QCOMPARE(fileHead(png, 8), QByteArray("\x89PNG\r\n\x1a\n", 8));

    const QString pdf = dir + "/traces.pdf";
    QVERIFY(m_window->exportFigure(pdf));
    QCOMPARE(fileHead(pdf, 4), QByteArray("%PDF"));

    const QString svg = dir + "/traces.svg";
    const int graphs = m_plot->plot()->graphCount();
    const auto data0 = m_plot->graph(0)->data();
    QVERIFY(m_window->exportFigure(svg));
    // The SVG path clips traces through temporary data; the plot gets its own back.
    QCOMPARE(m_plot->plot()->graphCount(), graphs);
    QCOMPARE(m_plot->graph(0)->data(), data0);
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    bool sawSvgRoot = false;
    int shapes = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement) {
            if (xml.name() == QLatin1String("svg"))
                sawSvgRoot = true;
            if (xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline"))
                ++shapes;
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(sawSvgRoot);
    QVERIFY(shapes > m_plot->channelCount());

    QSignalSpy errors(m_window, &MainWindow::errorShown);
    QVERIFY(!m_window->exportFigure(dir + "/traces.bmp"));
    QCOMPARE(errors.count(), 1);
    QVERIFY(!m_window->exportFigure(dir + "/no/such/folder/traces.png"));
    QCOMPARE(errors.count(), 2);
    for (auto* box : m_window->findChildren<QMessageBox*>())
        box->close();
}

void TestMainWindow::closingWhileLoadingCancels()
{
    // A long demo (the paper's 2 x 120 s) is cancelled when its window goes away: the worker
    // stops at its next progress report instead of running to the end.
    auto* window = new MainWindow;
    window->setDemoSeconds(120);
    window->openDemo();
    QVERIFY(window->isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(window->loadProgress() > 0.02, 60000); // simulating, past allocation
    QVERIFY(window->loadProgress() < 0.5);
    QElapsedTimer timer;
    timer.start();
    delete window;
    QVERIFY(QThreadPool::globalInstance()->waitForDone(20000));
    qInfo("worker stopped %lld ms after the window closed", timer.elapsed());
    QVERIFY(timer.elapsed() < 3000);
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
