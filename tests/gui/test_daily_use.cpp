// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench in daily use, at its defaults: unsaved runs are never dropped without a question
// and every window keeps its own autosave; a removed run comes back with Ctrl+Z; a run opens the
// recording it was trained on (and says so when that file is missing); the trace viewer has
// Clampfit's basics (cursors with their measurements checked against sums done here, a value
// read-out, sweeps on the arrow keys with the zoom kept, zoom history, copy values, natural
// channel order, scrolling rows); numbers typed the German way; a channel map that puts a current
// on a voltage is refused as it is chosen; empty result views say what to do.
#include "app/gui/autosave_dialog.hpp"
#include "app/gui/autosaves.hpp"
#include "app/gui/main_window.hpp"
#include "app/gui/result_pages.hpp"
#include "app/gui/run_store.hpp"
#include "app/gui/session.hpp"
#include "app/gui/train_page.hpp"
#include "common/damaged_hdf5.hpp"
#include "common/fixtures.hpp"
#include "common/synthetic_circuit.hpp"
#include "engine/config/experiment_config.hpp"
#include "engine/core/error.hpp"
#include "engine/recording/fingerprint.hpp"
#include "engine/recording/formats.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/synth/hco.hpp"
#include "widgets/channel_map_dialog.hpp"
#include "widgets/model_form.hpp"
#include "widgets/numbers.hpp"
#include "widgets/predictions_view.hpp"
#include "widgets/trace_measure.hpp"
#include "widgets/trace_plot.hpp"
#include "widgets/trainer_form.hpp"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <qcustomplot.h>

#include <cmath>
#include <set>

using namespace rmm;

namespace {

constexpr int kTimeoutMs = 120000;

/// Opens the (short) demo in `w` with a small model and a 2-epoch trainer, and trains one run.
int trainOneRun(MainWindow& w)
{
    w.setDemoSeconds(4);
    QSignalSpy loaded(&w, &MainWindow::recordingLoaded);
    w.openDemo();
    if (!loaded.wait(kTimeoutMs))
        return 0;
    w.trainPage()->modelForm()->setConfig(rmmtest::smallGuiModel());
    TrainingConfig t;
    t.epochs = 2;
    t.batches = 40;
    t.threads = 1;
    t.finalize(true);
    w.trainPage()->trainerForm()->setConfig(t);
    QSignalSpy done(w.trainPage(), &TrainPage::runFinished);
    if (!w.trainPage()->startTraining() || !done.wait(kTimeoutMs))
        return 0;
    return done.front().at(0).toInt();
}

/// A recording with three sweeps of channels named so that alphabetical and natural order differ:
/// "v10" holds k (its sample index) in mV, "v2" holds sweep + 1 in V (shown in mV), "v1" a sine.
std::shared_ptr<const Recording> sweeps()
{
    Recording r;
    r.format = "test";
    r.source = "sweeps";
    r.dt_ms = 1.0;
    for (int s = 0; s < 3; ++s) {
        Trial t;
        t.name = "sweep " + std::to_string(s + 1);
        Channel ramp{"v10", "mV", {}}, level{"v2", "V", {}}, sine{"v1", "pA", {}};
        for (int k = 0; k < 1000; ++k) {
            ramp.samples.push_back(k);
            level.samples.push_back(s + 1.0);
            sine.samples.push_back(std::sin(0.01 * k + s));
        }
        t.channels = {ramp, level, sine};
        r.trials.push_back(t);
    }
    return std::make_shared<const Recording>(r);
}

/// Shows `recording` in `w` (900 x 600) and waits for its first data.
bool show(TracePlot& w, std::shared_ptr<const Recording> recording)
{
    w.resize(900, 600);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return false;
    QSignalSpy updated(&w, &TracePlot::dataUpdated);
    w.setRecording(std::move(recording));
    return updated.wait(kTimeoutMs);
}

/// Clicks the button called `text` of the question box that `action` opens (after it opened);
/// returns the texts of its buttons.
QStringList answer(const QString& text)
{
    QStringList buttons;
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box)
        return buttons;
    QAbstractButton* pick = nullptr;
    for (QAbstractButton* b : box->buttons()) {
        buttons << b->text();
        if (b->text() == text)
            pick = b;
    }
    if (pick)
        pick->click();
    return buttons;
}

} // namespace

class TestDailyUse : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings and autosaves in the test location
        QDir(autosaveFolder()).removeRecursively();
    }

    void quittingAsksAboutUnsavedRunsAndKeepsEachWindowsAutosave()
    {
        QDir(autosaveFolder()).removeRecursively();
        auto* w = new MainWindow;
        w->show();
        const int id = trainOneRun(*w);
        QVERIFY(id > 0);
        QVERIFY(w->hasUnsavedRuns());

        // By default the window asks; Cancel keeps it open with its run.
        QStringList buttons;
        QTimer::singleShot(0, w, [&buttons]() { buttons = answer(QStringLiteral("Cancel")); });
        QVERIFY(!w->close());
        QVERIFY2(buttons.contains(QStringLiteral("Save…")) && buttons.contains(QStringLiteral("Don't save")),
                 qPrintable(buttons.join(QStringLiteral(", "))));
        QVERIFY(w->isVisible());
        QCOMPARE(w->trainPage()->runs()->runs().size(), std::size_t(1));

        // "Don't save" closes, and the run is still in this window's own autosave.
        const QString autosave = w->autosavePath();
        w->setUnsavedRunsAnswer(MainWindow::UnsavedRuns::Discard);
        QVERIFY(w->close());
        delete w;
        QVERIFY(QFileInfo::exists(autosave));

        // A second window that only opens a recording and quits writes no autosave over it.
        {
            MainWindow w2;
            QSignalSpy loaded(&w2, &MainWindow::recordingLoaded);
            w2.setDemoSeconds(4);
            w2.openDemo();
            QVERIFY(loaded.wait(kTimeoutMs));
            QVERIFY(!w2.hasUnsavedRuns());
            QVERIFY(w2.close()); // nothing to ask
            QVERIFY(w2.autosavePath() != autosave);
            QVERIFY(!QFileInfo::exists(w2.autosavePath()));
        }
        const QList<SessionSummary> list = listAutosaves();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.front().path, autosave);
        QCOMPARE(list.front().runs, 1);

        // Restoring it brings the run back, as an untitled session (Save asks where).
        MainWindow w3;
        w3.setUnsavedRunsAnswer(MainWindow::UnsavedRuns::Discard);
        QSignalSpy loaded(&w3, &MainWindow::recordingLoaded);
        QVERIFY(w3.openSession(autosave));
        QVERIFY(loaded.wait(kTimeoutMs));
        QCOMPARE(w3.trainPage()->runs()->runs().size(), std::size_t(1));
        QVERIFY(w3.sessionPath().isEmpty());
        QVERIFY(w3.hasUnsavedRuns());
    }

    void autosavesAreListedNewestFirstAndPruned()
    {
        QDir(autosaveFolder()).removeRecursively();
        SessionState s;
        Run r;
        r.id = 1;
        r.config.training.finalize(true);
        s.runs = {r, r};
        s.runs[1].id = 2;
        const QDateTime t0 = QDateTime::currentDateTime().addDays(-1);
        QStringList paths;
        for (int i = 0; i < kAutosavesKept + 3; ++i) {
            const QString p = newAutosavePath(t0.addSecs(60 * i));
            QString error;
            QVERIFY2(saveSession(p, s, &error), qPrintable(error));
            QFile f(p);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.setFileTime(t0.addSecs(60 * i), QFileDevice::FileModificationTime);
            paths << p;
        }
        pruneAutosaves(kAutosavesKept, paths.front()); // the oldest is this window's: kept
        const QList<SessionSummary> list = listAutosaves();
        QCOMPARE(list.size(), kAutosavesKept + 1);
        for (int i = 1; i < list.size(); ++i)
            QVERIFY(list[i - 1].saved >= list[i].saved);
        QCOMPARE(list.front().runs, 2);
        QVERIFY(QFileInfo::exists(paths.front()));
        QVERIFY(!QFileInfo::exists(paths[1]));
        QVERIFY(QFileInfo::exists(paths.back()));
        AutosaveDialog dialog(list);
        QCOMPARE(dialog.list()->topLevelItemCount(), list.size());
        QCOMPARE(dialog.selectedPath(), list.front().path);
    }

    void removedRunsComeBackWithUndo()
    {
        MainWindow w;
        const int id = trainOneRun(w);
        QVERIFY(id > 0);
        TrainPage* page = w.trainPage();
        const Run before = *page->runs()->find(id);
        page->selectRun(id);
        QVERIFY(!page->undoRemoveAction()->isEnabled());
        page->removeRunAction()->trigger();
        QVERIFY(page->runs()->runs().empty());
        QVERIFY(page->undoRemoveAction()->isEnabled());
        QVERIFY(w.hasUnsavedRuns() || page->runs()->runs().empty());
        page->undoRemoveAction()->trigger();
        QCOMPARE(page->runs()->runs().size(), std::size_t(1));
        const Run& after = page->runs()->runs().front();
        QCOMPARE(after.id, before.id);
        QCOMPARE(after.curves.size(), before.curves.size());
        QCOMPARE(after.model.get(), before.model.get());
        QVERIFY(!page->undoRemoveAction()->isEnabled());

        // A run whose snapshots never validated above 0 can take its parameters at the end instead.
        QVERIFY(after.last_model);
        QCOMPARE(after.last_epoch, static_cast<int>(after.curves.size()) - 1);
        QVERIFY(!page->useLastSnapshotAction()->isEnabled() || !(after.best_metric > 0));
        Run poor = after;
        poor.id = 0;
        poor.best_epoch = 0;
        poor.best_metric = 0;
        poor.last_model = std::make_shared<const CircuitModel>(*after.model);
        poor.last_epoch = 1;
        poor.last_metric = -0.2;
        const int poorId = page->addFinishedRun(poor);
        QVERIFY(page->useLastSnapshotAction()->isEnabled());
        page->useLastSnapshotAction()->trigger();
        const Run* taken = page->runs()->find(poorId);
        QCOMPARE(taken->model.get(), taken->last_model.get());
        QCOMPARE(taken->best_epoch, 1);
        QCOMPARE(taken->best_metric, -0.2);
        QVERIFY(!page->useLastSnapshotAction()->isEnabled());
        w.setUnsavedRunsAnswer(MainWindow::UnsavedRuns::Discard);
    }

    void runsRememberTheirRecording()
    {
        const QString dir = rmmtest::scratchDir(QStringLiteral("run-recording"));
        MainWindow w;
        w.setUnsavedRunsAnswer(MainWindow::UnsavedRuns::Discard);
        const int id = trainOneRun(w);
        QVERIFY(id > 0);
        const Run original = *w.trainPage()->runs()->find(id); // a copy: adding runs moves them
        const Run* run = &original;
        QCOMPARE(run->recording_path, QStringLiteral("demo"));
        QCOMPARE(run->recording_fingerprint, QString::fromStdString(recordingFingerprint(*w.recording())));
        // Same samples, same fingerprint: the demo written to a file and read back.
        const QString demoFile = dir + "/demo.h5";
        writeGenericHdf5(*w.recording(), demoFile.toStdString());
        QCOMPARE(QString::fromStdString(recordingFingerprint(loadRecording(demoFile.toStdString()))),
                 run->recording_fingerprint);

        // Another recording opens; the run's predictions open the run's own recording again.
        const QString other = dir + "/other.csv";
        {
            QFile f(other);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("time [ms],v1 [mV],u1 [nA]\n");
            for (int k = 0; k < 200; ++k)
                f.write(
                    QStringLiteral("%1,%2,%3\n").arg(0.1 * k).arg(-50 + std::sin(0.1 * k)).arg(0.0).toUtf8());
        }
        {
            QSignalSpy loaded(&w, &MainWindow::recordingLoaded);
            w.openFile(other);
            QVERIFY(loaded.wait(kTimeoutMs));
        }
        // A run trained here keeps its dataset in memory; one restored from a session rebuilds it
        // from its recording, which is then opened.
        Run restored = original;
        restored.id = 0;
        restored.dataset.reset();
        const int restoredId = w.trainPage()->addFinishedRun(restored);
        w.trainPage()->selectRun(restoredId);
        QSignalSpy loaded(&w, &MainWindow::recordingLoaded);
        QSignalSpy computed(w.predictionsPage(), &PredictionsPage::computed);
        w.tabs()->setCurrentWidget(w.predictionsPage());
        QVERIFY2(w.predictionsPage()->view()->message().contains(QStringLiteral("opening")),
                 qPrintable(w.predictionsPage()->view()->message()));
        QVERIFY2(loaded.wait(kTimeoutMs), qPrintable(w.predictionsPage()->view()->message()));
        QCOMPARE(w.recording()->source, std::string("demo"));
        QVERIFY(computed.wait(kTimeoutMs));
        QVERIFY(w.predictionsPage()->view()->message().isEmpty());
        // Whole trials and the observer are offered beside the validation segment.
        PredictionsPage* predictions = w.predictionsPage();
        QCOMPARE(predictions->segmentBox()->count(), 1 + static_cast<int>(w.recording()->trials.size()));
        const std::size_t validationSamples =
            predictions->view()->predictions().neurons.front().v_measured.size();
        predictions->segmentBox()->setCurrentIndex(1);
        QVERIFY(computed.wait(kTimeoutMs));
        const PredictionData& whole = predictions->view()->predictions();
        QVERIFY2(whole.title.contains(QStringLiteral("Whole trial")), qPrintable(whole.title));
        const std::size_t wholeSamples = whole.neurons.front().v_measured.size();
        QVERIFY(wholeSamples > 3 * validationSamples); // the dataset's trial (its start may be trimmed)
        QVERIFY(wholeSamples <= w.recording()->trials.front().length());
        QCOMPARE(whole.t0_s, 0.0);
        QVERIFY(whole.neurons.front().v_observer.empty());
        // The free run restarts from the recording as validation does (the run's window_s), and
        // every so many seconds the user asks for: each piece starts at the measured voltage.
        QCOMPARE(predictions->restartBox()->value(), run->config.training.validation.window_s);
        predictions->restartBox()->setValue(1.0);
        QVERIFY(computed.wait(kTimeoutMs));
        {
            const PredictionData& p = predictions->view()->predictions();
            QVERIFY2(p.title.contains(QStringLiteral("restarted from the recording every 1 s")),
                     qPrintable(p.title));
            const auto& n = p.neurons.front();
            const auto pieces =
                resyncWindows({0, 0, static_cast<long>(n.v_measured.size())}, resyncSamples(1.0, p.dt_ms));
            QVERIFY(pieces.size() > 2);
            for (const Segment& piece : pieces)
                QCOMPARE(n.v_predicted[static_cast<std::size_t>(piece.begin)],
                         n.v_measured[static_cast<std::size_t>(piece.begin)]);
        }
        predictions->restartBox()->setValue(0);
        QVERIFY(computed.wait(kTimeoutMs));
        QVERIFY(!predictions->view()->predictions().title.contains(QStringLiteral("restarted")));
        predictions->gammaBox()->setValue(0.5);
        QVERIFY(computed.wait(kTimeoutMs));
        QCOMPARE(predictions->view()->predictions().gamma, 0.5);
        QCOMPARE(predictions->view()->predictions().neurons.front().v_observer.size(), wholeSamples);
        predictions->segmentBox()->setCurrentIndex(0);
        predictions->gammaBox()->setValue(0);
        QVERIFY(computed.wait(kTimeoutMs));

        // A run whose file is gone says so and names it.
        Run lost = *run;
        lost.id = 0;
        lost.dataset.reset();
        lost.recording_path = dir + "/gone.abf";
        lost.recording_fingerprint = QStringLiteral("rec1:0000000000000000");
        const int lostId = w.trainPage()->addFinishedRun(lost);
        w.trainPage()->selectRun(lostId);
        QTRY_VERIFY(w.predictionsPage()->view()->message().contains(QStringLiteral("missing")));
        QVERIFY(w.predictionsPage()->view()->message().contains(QStringLiteral("gone.abf")));

        // Sessions keep each run's recording.
        const QString session = dir + "/s.rmmsession";
        QString error;
        QVERIFY2(saveSession(session, w.currentSession(), &error), qPrintable(error));
        SessionState back;
        QVERIFY2(loadSession(session, &back, &error), qPrintable(error));
        QCOMPARE(back.runs.size(), std::size_t(3));
        QCOMPARE(back.runs[0].recording_fingerprint, run->recording_fingerprint);
        QCOMPARE(back.runs[2].recording_path, lost.recording_path);
    }

    void cursorsMeasureWhatTheSamplesSay()
    {
        // measureBetween against sums done here: a ramp y = k between t = 100 and 300 samples.
        std::vector<double> ramp(1000);
        for (int k = 0; k < 1000; ++k)
            ramp[static_cast<std::size_t>(k)] = k;
        const CursorStats s = measureBetween(ramp, 1e-3, 0.3, 0.1); // cursors in either order
        QCOMPARE(s.t1_s, 0.1);
        QCOMPARE(s.samples, std::size_t(201));
        QCOMPARE(s.v1, 100.0);
        QCOMPARE(s.v2, 300.0);
        QCOMPARE(s.delta, 200.0);
        QCOMPARE(s.mean, 200.0);
        QCOMPARE(s.min, 100.0);
        QCOMPARE(s.max, 300.0);
        QVERIFY(std::isnan(measureBetween({}, 1e-3, 0, 1).mean));

        TracePlot w;
        QVERIFY(show(w, sweeps()));
        // Natural order: v1, v2, v10.
        QCOMPARE(w.shownChannels(), (QStringList{"v1", "v2", "v10"}));
        w.setCursorsVisible(true);
        w.setCursor(0, 0.1);
        w.setCursor(1, 0.3);
        const QString text = w.measurementText();
        QVERIFY2(text.contains(QStringLiteral("Δt 0.2 s")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("v10: Δ 200 mV · mean 200 mV · min 100 mV · max 300 mV")),
                 qPrintable(text));
        // v2 is in V in the file: shown in mV.
        QVERIFY2(text.contains(QStringLiteral("v2: Δ 0 mV · mean 1000 mV")), qPrintable(text));
        QCOMPARE(w.valueAt(2, 0.25), QStringLiteral("t = 0.2500 s · v10 = 250 mV"));

        // Copy values between the cursors: a header and one row per sample.
        const QString values = w.valuesText();
        const QStringList lines = values.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 201);
        QCOMPARE(lines[0], QStringLiteral("time [s]\tv1 [pA]\tv2 [mV]\tv10 [mV]"));
        QVERIFY2(lines[1].startsWith(QStringLiteral("0.1\t")) &&
                     lines[1].endsWith(QStringLiteral("\t1000\t100")),
                 qPrintable(lines[1]));
        QVERIFY(w.contextMenu()->actions().size() > 5);
    }

    void sweepsStepWithTheKeysAndKeepTheZoom()
    {
        TracePlot w;
        QVERIFY(show(w, sweeps()));
        QCustomPlot* plot = w.plot();
        plot->setFocus();
        // Zoom in (as the wheel would): recorded in the history.
        w.axisRect(0)->axis(QCPAxis::atBottom)->setRange(0.2, 0.4);
        w.axisRect(1)->axis(QCPAxis::atLeft)->setRange(500, 1500);
        QTest::mouseRelease(plot, Qt::LeftButton, {}, QPoint(300, 200)); // a pan ends: recorded
        QVERIFY(w.canZoomBack());
        QTest::keyClick(plot, Qt::Key_Right);
        QCOMPARE(w.currentTrial(), 1);
        QTest::keyClick(plot, Qt::Key_PageDown);
        QCOMPARE(w.currentTrial(), 2);
        QTest::keyClick(plot, Qt::Key_Right); // the last sweep stays
        QCOMPARE(w.currentTrial(), 2);
        QTest::keyClick(plot, Qt::Key_PageUp);
        QCOMPARE(w.currentTrial(), 1);
        // The zoom is the same window of the next sweep.
        QCOMPARE(w.axisRect(0)->axis(QCPAxis::atBottom)->range().lower, 0.2);
        QCOMPARE(w.axisRect(1)->axis(QCPAxis::atLeft)->range().upper, 1500.0);
        // Back to the fitted view, forward again.
        w.zoomBack();
        QVERIFY(w.axisRect(0)->axis(QCPAxis::atBottom)->range().upper > 0.9);
        QVERIFY(w.canZoomForward());
        w.zoomForward();
        QCOMPARE(w.axisRect(0)->axis(QCPAxis::atBottom)->range().lower, 0.2);
        // Overlay and average add the other sweeps' graphs.
        const int graphs = plot->graphCount();
        QSignalSpy updated(&w, &TracePlot::dataUpdated);
        w.setOverlay(true);
        w.setAverage(true);
        QVERIFY(updated.wait(kTimeoutMs));
        QCOMPARE(plot->graphCount(), graphs + 3 * 3); // per channel: 2 other sweeps + the average
        bool averageFound = false;
        for (int i = 0; i < plot->graphCount(); ++i)
            if (plot->graph(i)->name().startsWith(QStringLiteral("average")) &&
                plot->graph(i)->dataCount() > 0) {
                // v2 averages to (1 + 2 + 3) / 3 V = 2000 mV
                if (plot->graph(i)->valueAxis() == w.axisRect(1)->axis(QCPAxis::atLeft)) {
                    QCOMPARE(plot->graph(i)->data()->begin()->value, 2000.0);
                    averageFound = true;
                }
            }
        QVERIFY(averageFound);
    }

    void manyChannelsScrollAndCanBeLimitedToTheMappedOnes()
    {
        Recording r;
        r.format = "test";
        r.source = "many";
        r.dt_ms = 1;
        Trial t;
        t.name = "trial";
        for (int c = 34; c >= 1; --c)
            t.channels.push_back({"v" + std::to_string(c), "mV", std::vector<double>(500, c)});
        r.trials.push_back(t);
        TracePlot w;
        QVERIFY(show(w, std::make_shared<const Recording>(r)));
        QCOMPARE(w.channelCount(), 34);
        QCOMPARE(w.shownChannels().front(), QStringLiteral("v1"));
        QCOMPARE(w.shownChannels()[9], QStringLiteral("v10"));
        QVERIFY(w.plot()->minimumHeight() >= 34 * TracePlot::kMinRowHeight);
        QTRY_VERIFY(w.axisRect(0)->rect().height() >= TracePlot::kMinRowHeight - 20);
        // The channel map's channels come first, in its order; a row can be moved.
        w.setMappedChannels({"v3", "v1"});
        QTRY_COMPARE(w.shownChannels().mid(0, 3), (QStringList{"v3", "v1", "v2"}));
        w.moveChannel(QStringLiteral("v2"), -2);
        QCOMPARE(w.shownChannels().mid(0, 4), (QStringList{"v2", "v3", "v1", "v4"}));
        w.setMappedOnly(true);
        QCOMPARE(w.shownChannels(), (QStringList{"v3", "v1"}));
        QCOMPARE(w.plot()->minimumHeight(), 0);
    }

    void numbersAreTypedInTheUsersLocale()
    {
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        double v = 0;
        QVERIFY(parseNumber(QStringLiteral("1,5e-07"), &v));
        QCOMPARE(v, 1.5e-7);
        QVERIFY(parseNumber(QStringLiteral(" 1.5e-07 "), &v)); // a point works everywhere
        QCOMPARE(v, 1.5e-7);
        QVERIFY(!parseNumber(QStringLiteral("1.000,5"), &v)); // no group separators
        QVERIFY(!parseNumber(QStringLiteral("abc"), &v));
        QCOMPARE(formatNumber(5e-9), QStringLiteral("5E-09"));
        std::vector<double> list;
        QVERIFY(parsePositiveList(QStringLiteral("0,5; 2; 20"), &list));
        QCOMPARE(list, (std::vector<double>{0.5, 2, 20}));
        QVERIFY(parsePositiveList(QStringLiteral("0,5, 2, 20"), &list));
        QCOMPARE(list, (std::vector<double>{0.5, 2, 20}));
        QCOMPARE(formatList(std::vector<double>{0.5, 2}), QStringLiteral("0,5; 2"));

        TrainerForm form;
        TrainingConfig c;
        c.finalize(true);
        form.setConfig(c);
        const QList<QLineEdit*> edits = form.findChildren<QLineEdit*>();
        QLineEdit* rhoEdit = nullptr;
        for (QLineEdit* e : edits)
            if (e->accessibleName() == QStringLiteral("rho"))
                rhoEdit = e;
        QVERIFY(rhoEdit);
        rhoEdit->setText(QStringLiteral("1,5e-07"));
        QString why;
        QVERIFY2(form.isValid(&why), qPrintable(why));
        QCOMPARE(form.config().rho, 1.5e-7);
        rhoEdit->setText(QStringLiteral("viel"));
        QVERIFY(!form.isValid(&why));
        QVERIFY2(why.startsWith(QStringLiteral("ρ: ")) && !why.contains(QStringLiteral("training.")),
                 qPrintable(why));
        // ... and as it is typed: the field is red and its tooltip names the allowed range.
        QVERIFY(!rhoEdit->styleSheet().isEmpty());
        QVERIFY2(rhoEdit->toolTip().startsWith(why), qPrintable(rhoEdit->toolTip()));
        QVERIFY2(rhoEdit->toolTip().contains(QStringLiteral("from 0 to")), qPrintable(rhoEdit->toolTip()));
        rhoEdit->setText(QStringLiteral("5e-9"));
        QVERIFY(rhoEdit->styleSheet().isEmpty());
        QVERIFY(!rhoEdit->toolTip().contains(QStringLiteral("is not a number")));
        // Mini-batches: the default is "auto" (chosen from the data when training starts), shown
        // as such; a number round-trips.
        QSpinBox* batchesBox = nullptr;
        for (QSpinBox* b : form.findChildren<QSpinBox*>())
            if (b->accessibleName() == QStringLiteral("Mini-batches"))
                batchesBox = b;
        QVERIFY(batchesBox);
        QCOMPARE(batchesBox->text(), QStringLiteral("auto"));
        QCOMPARE(form.config().batches, 0);
        batchesBox->setValue(96);
        QCOMPARE(form.config().batches, 96);
        batchesBox->setValue(0);
        QCOMPARE(form.config().batches, 0);
        // Start from (training.init): empty is a new model; a path round-trips, trimmed.
        QVERIFY(form.config().init.empty());
        form.initEdit()->setText(QStringLiteral(" /data/run 1/model.h5 "));
        QCOMPARE(form.config().init, std::string("/data/run 1/model.h5"));
        TrainingConfig withInit = form.config();
        form.setConfig(c);
        QVERIFY(form.initEdit()->text().isEmpty());
        form.setConfig(withInit);
        QCOMPARE(form.initEdit()->text(), QStringLiteral("/data/run 1/model.h5"));
        form.initEdit()->clear();

        ModelForm model;
        model.setConfig(rmmtest::smallGuiModel());
        QVERIFY2(model.isValid(&why), qPrintable(why));
        QCOMPARE(model.config().intrinsic_taus_ms, rmmtest::smallGuiModel().intrinsic_taus_ms);
        QLocale::setDefault(before);
    }

    void aCurrentIsRefusedAsAVoltageWhileMapping()
    {
        Recording r;
        r.source = "map.csv";
        r.dt_ms = 0.1;
        Trial t;
        t.name = "t";
        t.channels = {{"v1", "mV", {1, 2}}, {"i1", "nA", {1, 2}}, {"x", "", {1, 2}}};
        r.trials.push_back(t);
        ChannelMapDialog dialog(r);
        DataConfig d;
        NeuronChannels n;
        n.v = "i1"; // a current as the voltage
        n.u = "v1"; // and a voltage as the current
        d.neurons = {n};
        dialog.setDataConfig(d);
        auto* table = dialog.findChild<QTableWidget*>();
        QVERIFY(table);
        QWidget* vCell = table->cellWidget(0, 0);
        QVERIFY2(vCell->toolTip().contains(QStringLiteral("'i1' is in nA, not a voltage")),
                 qPrintable(vCell->toolTip()));
        QVERIFY(!vCell->styleSheet().isEmpty());
        QVERIFY_THROWS_EXCEPTION(Error, dialog.dataConfig());
        // A channel without a unit is taken as mV / nA (the engine warns): not refused.
        n.v = "x";
        n.u = "i1";
        d.neurons = {n};
        dialog.setDataConfig(d);
        QVERIFY(table->cellWidget(0, 0)->toolTip().isEmpty());
        QCOMPARE(dialog.dataConfig().neurons.front().v, std::string("x"));
    }

    void engineMessagesNameTheFormsFields()
    {
        QCOMPARE(inFormTerms(QStringLiteral(
                     "rec.csv: trial 't', channel 'v1': -65000 mV looks like mV labelled V: set "
                     "data.neurons[0].v_unit to \"mV\"")),
                 QStringLiteral(
                     "rec.csv: trial 't', channel 'v1': -65000 mV looks like mV labelled V: set Channel "
                     "map, neuron 1, unit of voltage v to \"mV\""));
        QCOMPARE(inFormTerms(QStringLiteral("training.lr: the number is too large")),
                 QStringLiteral("Trainer form, Schedule: the number is too large"));
        QCOMPARE(inFormTerms(QStringLiteral("model.intrinsic_hidden has 9 layers")),
                 QStringLiteral("Model form, Intrinsic MLP has 9 layers"));
        // Every key by the label of the row that sets it, nested and indexed keys included.
        QCOMPARE(inFormTerms(QStringLiteral("training.dtype = \"float16\": expected float32 or float64")),
                 QStringLiteral("Trainer form, Precision = \"float16\": expected float32 or float64"));
        QCOMPARE(inFormTerms(QStringLiteral("training.schedule[1].epoch = 0: the schedule must be sorted")),
                 QStringLiteral("Trainer form, Schedule, row 2, epoch = 0: the schedule must be sorted"));
        QCOMPARE(inFormTerms(QStringLiteral("data.validation_fraction = 2 and training.rho_v = -1")),
                 QStringLiteral("Channel map, Validation fraction = 2 and Trainer form, ρ_v = -1"));
        QCOMPARE(inFormTerms(QStringLiteral("model.synapses[0].kind must be lumped")),
                 QStringLiteral("Model form, Synapses, row 1, kind must be lumped"));
        // A key no field sets (config files only) stays the key; training.validation.window_s is
        // not training.validation.
        QCOMPARE(inFormTerms(QStringLiteral("training.validation.window_s = 0.001 s: too short")),
                 QStringLiteral("training.validation.window_s = 0.001 s: too short"));
        // File names that look like keys stay as they are.
        QCOMPARE(
            inFormTerms(QStringLiteral("/home/x/data.csv: no such file; model.h5 and training.json too")),
            QStringLiteral("/home/x/data.csv: no such file; model.h5 and training.json too"));
    }

    void everyConfigKeyHasAFormFieldOrIsFileOnly()
    {
        // The engine's one list of keys against the forms: a key the engine gains must get a
        // field (a label here) or be added to the keys only config files set, deliberately.
        const std::set<std::string> fileOnly = {"data.file", // the recording the workbench has open
                                                "training.validation.band_hz",
                                                "training.validation.filter_order",
                                                "training.validation.threshold_mV",
                                                "training.validation.peak_half_window",
                                                "training.validation.kernel_tau_samples",
                                                "training.validation.kernel_half_width",
                                                "training.validation.window_s",
                                                "training.average_epochs",
                                                "training.current_units",
                                                "training.select_physiological",
                                                "training.select_on"};
        std::set<std::string> unlabelled;
        for (const std::string& path : configKeyPaths()) {
            if (path.rfind("data.neurons[]", 0) == 0)
                continue; // the channel table, named per neuron
            const std::string section = path.substr(0, path.find('.'));
            std::string key = path.substr(section.size() + 1);
            key = key.substr(0, key.find_first_of(".["));
            const QString label = section == "data"    ? ChannelMapDialog::fieldLabel(key)
                                  : section == "model" ? ModelForm::fieldLabel(key)
                                                       : TrainerForm::fieldLabel(key);
            if (label.isEmpty())
                unlabelled.insert(path);
        }
        QCOMPARE(unlabelled, fileOnly);
        // A form's label is the row the user sees.
        TrainerForm form;
        bool found = false;
        for (auto* label : form.findChildren<QLabel*>())
            found = found || label->text() == TrainerForm::fieldLabel("batches");
        QVERIFY(found);
    }

    void emptyViewsSayWhatToDoAndStopsKeepTheirSnapshot()
    {
        PredictionsView view;
        QVERIFY(view.message().contains(QStringLiteral("No predictions yet")));
        AnalysisPage analysis;
        QVERIFY(analysis.showsPlaceholder());
        Run run;
        run.id = 4;
        run.status = QStringLiteral("cancelled");
        run.best_epoch = 11;
        QCOMPARE(displayStatus(run), QStringLiteral("stopped (best snapshot of epoch 12 kept)"));
        QCOMPARE(run.displayName(), QStringLiteral("Run 4"));
        run.best_epoch = -1;
        QCOMPARE(displayStatus(run), QStringLiteral("stopped before any snapshot"));
    }

    void damagedFilesDoNotTakeTheWorkbenchDown()
    {
        // A generic HDF5 file whose unit string is damaged so that libhdf5 itself crashes on it
        // (tests/common/damaged_hdf5.hpp): the workbench says so and keeps what it had open.
        const QString dir = rmmtest::scratchDir(QStringLiteral("gui-damaged"));
        MainWindow w;
        w.setUnsavedRunsAnswer(MainWindow::UnsavedRuns::Discard);
        const int id = trainOneRun(w);
        QVERIFY(id > 0);
        auto before = w.recording();
        const QString good = dir + "/good.h5";
        writeGenericHdf5(*before, good.toStdString());
        for (const auto& [damage, name] : rmmtest::heapDamages()) {
            if (damage == rmmtest::HeapDamage::ObjectSizeIntoFreeSpace)
                continue; // an endless loop in libhdf5: stopped by the stall watchdog after 120 s
            rmmtest::Bytes bytes = rmmtest::readBytes(good.toStdString());
            QVERIFY(rmmtest::damageHeapString(bytes, "mV", damage) > 0);
            const QString path = dir + "/damaged-" + name + ".h5";
            rmmtest::writeBytes(path.toStdString(), bytes);
            QSignalSpy errors(&w, &MainWindow::errorShown);
            QSignalSpy loaded(&w, &MainWindow::recordingLoaded);
            w.openFile(path);
            QTRY_VERIFY_WITH_TIMEOUT(errors.count() + loaded.count() > 0, kTimeoutMs);
            QCOMPARE(w.trainPage()->runs()->runs().size(), std::size_t(1)); // the run is still there
            const bool reference = damage == rmmtest::HeapDamage::ReferenceIndexHuge ||
                                   damage == rmmtest::HeapDamage::ReferenceIndexWide;
            if (loaded.count() > 0 && reference) {
                // A reference to a heap object that does not exist makes libhdf5 read whatever
                // lies there: in the forked child of this (larger) process that is sometimes
                // mapped memory, and the file then opens with the junk string it read (an empty
                // unit here; the engine then warns that the unit is unknown).
                qInfo("%s: opened, unit of v1 '%s'", name,
                      w.recording()->trials.front().channels.front().unit.c_str());
                before = w.recording();
                continue;
            }
            QVERIFY2(errors.count() == 1, name);
            const QString message = errors.front().front().toString();
            qInfo("%s: %s", name, qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("damaged-")) &&
                         (message.contains(QStringLiteral("damaged")) ||
                          message.contains(QStringLiteral("unreadable"))),
                     qPrintable(message));
            QCOMPARE(w.recording(), before); // the open recording is still there
            for (auto* box : w.findChildren<QMessageBox*>())
                box->close();
        }
    }

    void helpAndVersionNeedNoDisplay()
    {
        const QString exe = QString::fromUtf8(RMM_BINARY_DIR) + "/app/gui/rmm-workbench";
        if (!QFileInfo::exists(exe))
            QSKIP("rmm-workbench not built");
        for (const QString& arg : {QStringLiteral("--help"), QStringLiteral("--version")}) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("DISPLAY"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
            env.remove(QStringLiteral("QT_QPA_PLATFORM"));
            p.setProcessEnvironment(env);
            p.start(exe, {arg});
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 0);
            const QString out = QString::fromUtf8(p.readAllStandardOutput());
            QVERIFY2(out.contains(arg == QLatin1String("--help") ? QStringLiteral("Usage")
                                                                 : QStringLiteral("rmm-workbench")),
                     qPrintable(out + QString::fromUtf8(p.readAllStandardError())));
        }
    }
};

QTEST_MAIN(TestDailyUse)
#include "test_daily_use.moc"
