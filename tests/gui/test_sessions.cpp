// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions and quitting: a genuine version-1 session opens (migrated), relative paths with the
// absolute fallback survive moving a session folder, saves are written in the background and
// coalesced, a demo recording is written beside exported configs and sessions so the engine
// trains on them, and closing the window during training stops the run, keeps it with its best
// snapshot, saves and closes.
#include "app/gui/main_window.hpp"
#include "app/gui/session.hpp"
#include "app/gui/session_saver.hpp"
#include "app/gui/train_page.hpp"
#include "app/gui/training_worker.hpp"
#include "common/fixtures.hpp"
#include "common/synthetic_circuit.hpp"
#include "engine/data/dataset.hpp"
#include "engine/recording/formats.hpp"
#include "engine/synth/hco.hpp"
#include "widgets/channel_map_dialog.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/model_form.hpp"
#include "widgets/trainer_form.hpp"

#include <QAbstractButton>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <nlohmann/json.hpp>

#include <time.h>

using namespace rmm;
using nlohmann::json;

namespace {

constexpr int kTimeoutMs = 120000;

ModelConfig smallModel()
{
    return rmmtest::smallGuiModel();
}

/// An untrained model with its input normalisation set (model files need one).
CircuitModel savableModel(const ModelConfig& cfg, double dtMs, std::uint64_t seed)
{
    CircuitModel m = CircuitModel::initialize(cfg, dtMs, seed);
    std::vector<InputNormalisation> qs(static_cast<std::size_t>(cfg.neurons));
    for (InputNormalisation& q : qs) {
        q.v_lo = -65;
        q.v_hi = -35;
        q.w_lo = m.intrinsicBank().dcGain() * q.v_lo;
        q.w_hi = m.intrinsicBank().dcGain() * q.v_hi;
        q.z_lo = m.synapticBank().dcGain() * q.v_lo;
        q.z_hi = m.synapticBank().dcGain() * q.v_hi;
    }
    m.setNormalisation(qs);
    return m;
}

json readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return json::parse(f.readAll().toStdString(), nullptr, false);
}

void writeJson(const QString& path, const json& j)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(QByteArray::fromStdString(j.dump(1)));
}

bool copyFile(const QString& from, const QString& to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    return QFile::copy(from, to);
}

std::shared_ptr<const Recording> shortDemo(double seconds)
{
    HcoConfig c;
    c.seconds = seconds;
    c.warmup_s = 0.5;
    return std::make_shared<const Recording>(synthesizeHco(c));
}

/// Opens the demo in `w` and sets a small model and a trainer of `epochs` epochs.
bool openDemoWithSmallModel(MainWindow& w, int epochs)
{
    w.setDemoSeconds(4);
    QSignalSpy loaded(&w, &MainWindow::recordingLoaded);
    w.openDemo();
    if (!loaded.wait(kTimeoutMs))
        return false;
    w.trainPage()->modelForm()->setConfig(smallModel());
    TrainingConfig t;
    t.epochs = epochs;
    t.batches = 40;
    t.threads = 1;
    t.finalize(true);
    w.trainPage()->trainerForm()->setConfig(t);
    return true;
}

EpochRecord epoch(int e, double loss, double metric)
{
    EpochRecord r;
    r.epoch = e;
    r.seconds = 0.1;
    r.lr = 1e-3;
    r.train_loss = loss;
    r.validation_metric = metric;
    return r;
}

NeuronChannels channels(const char* v, const char* u)
{
    NeuronChannels n;
    n.v = v;
    n.u = u;
    return n;
}

/// CPU time consumed so far by the calling thread, in ms.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

QStringList g_messages;
void collectMessages(QtMsgType, const QMessageLogContext&, const QString& message)
{
    g_messages << message;
}

} // namespace

class TestSessions : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // autosave into the test location
        QCoreApplication::setOrganizationName(QStringLiteral("RMM-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_sessions"));
    }

    void versionOneSessionOpens()
    {
        // A copy in another folder: the session's own files are found beside it.
        const QString src = QStringLiteral(RMM_SOURCE_DIR "/tests/data/session-v1");
        const QString dir = rmmtest::scratchDir(QStringLiteral("session-v1")) + "/moved";
        QVERIFY(copyFile(src + "/w.rmmsession", dir + "/w.rmmsession"));
        QVERIFY(copyFile(src + "/w.models/run-1.h5", dir + "/w.models/run-1.h5"));
        const QString path = dir + "/w.rmmsession";
        QCOMPARE(readJson(path).value("version", 0), 1);

        SessionState s;
        QString error;
        QVERIFY2(loadSession(path, &s, &error), qPrintable(error));
        QVERIFY(s.recording.demo);
        QCOMPARE(s.recording.demo_seconds, 4.0);
        QCOMPARE(s.runs.size(), std::size_t(1));
        const Run& r = s.runs.front();
        QCOMPARE(r.displayName(),
                 QStringLiteral("Run 1")); // a default name: shown in the language of the day
        QVERIFY(r.name.isEmpty());
        QCOMPARE(r.status, QStringLiteral("completed"));
        QCOMPARE(r.curves.size(), std::size_t(3));
        QCOMPARE(r.curves[1].train_loss, 1030.4700043954429);
        // v1 stored no elapsed time: the running sum of the epochs' times stands in.
        QCOMPARE(r.curves[1].elapsed, r.curves[0].seconds + r.curves[1].seconds);
        QCOMPARE(r.best_epoch, 0);
        QCOMPARE(r.config.training.seed, std::uint64_t(7));
        QCOMPARE(r.config.training.epochs, 3);
        QCOMPARE(r.config.model.intrinsic_hidden, std::vector<int>{6});
        QVERIFY(r.model);
        QCOMPARE(r.modelPath, QDir(dir).filePath(QStringLiteral("w.models/run-1.h5")));
        const ExperimentConfig forms = parseExperimentConfig(s.config);
        QCOMPARE(forms.training.batches, 6);
        QCOMPARE(forms.data.neurons.size(), std::size_t(2));

        // The migration: paths become {relative, absolute} references.
        const json migrated = migrateSession(readJson(path), QDir(dir));
        QCOMPARE(migrated.value("version", 0), kSessionVersion);
        QCOMPARE(migrated["runs"][0]["model_file"]["relative"].get<std::string>(),
                 std::string("w.models/run-1.h5"));
        QVERIFY(!migrated["recording"].contains("path"));

        // The window opens it (the demo regenerated) and saving writes the current version.
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::recordingLoaded);
        QVERIFY(w.openSession(path));
        QVERIFY(loaded.wait(kTimeoutMs));
        QCOMPARE(w.trainPage()->runs()->runs().size(), std::size_t(1));
        QCOMPARE(w.trainPage()->curves()->pointCount(w.trainPage()->runs()->runs().front().id), 3);
        QCOMPARE(w.trainPage()->experimentConfig().training.seed, std::uint64_t(7));
        w.saveSessionTo(dir + "/w2.rmmsession");
        w.waitForSaves();
        QCOMPARE(readJson(dir + "/w2.rmmsession").value("version", 0), kSessionVersion);
        QVERIFY(QFileInfo::exists(dir + "/w2-demo.h5"));
        SessionState again;
        QVERIFY2(loadSession(dir + "/w2.rmmsession", &again, &error), qPrintable(error));
        QCOMPARE(again.runs.size(), std::size_t(1));
        QCOMPARE(again.runs.front().curves.size(), std::size_t(3));
        QCOMPARE(again.runs.front().curves[2].elapsed, r.curves[2].elapsed); // v2 stores it
    }

    void newerVersionIsRefused()
    {
        const QString dir = rmmtest::scratchDir(QStringLiteral("session-newer"));
        json j = readJson(QStringLiteral(RMM_SOURCE_DIR "/tests/data/session-v1/w.rmmsession"));
        j["version"] = kSessionVersion + 1;
        QFile g(dir + "/newer.rmmsession");
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray::fromStdString(j.dump()));
        g.close();
        SessionState st;
        QString error;
        QVERIFY(!loadSession(dir + "/newer.rmmsession", &st, &error));
        QVERIFY2(error.contains(QStringLiteral("version %1").arg(kSessionVersion + 1)), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("1 to %1").arg(kSessionVersion)), qPrintable(error));
    }

    void pathsAreRelativeWithAbsoluteFallback()
    {
        const QString root = rmmtest::scratchDir(QStringLiteral("session-paths"));
        const QString a = root + "/a", b = root + "/b", c = root + "/c";
        const auto rec = shortDemo(2);
        const QString recPath = a + "/data/rec.h5";
        QDir().mkpath(a + "/data");
        writeGenericHdf5(*rec, recPath.toStdString());

        ExperimentConfig cfg;
        cfg.data = ChannelMapDialog::suggest(*rec);
        cfg.data.file = recPath.toStdString();
        cfg.model = smallModel();
        cfg.training.finalize(true);
        Run run;
        run.id = 1;
        run.config = cfg;
        run.status = QStringLiteral("completed");
        run.curves = {epoch(0, 2.0, 0.5)};
        run.model = std::make_shared<const CircuitModel>(savableModel(cfg.model, rec->dt_ms, 3));
        SessionState s;
        s.recording.path = recPath;
        s.config = toJson(cfg);
        s.runs = {run};
        s.selected_run = 1;
        QString error;
        QVERIFY2(saveSession(a + "/s.rmmsession", s, &error), qPrintable(error));
        const json j = readJson(a + "/s.rmmsession");
        QCOMPARE(j["recording"]["file"]["relative"].get<std::string>(), std::string("data/rec.h5"));
        QCOMPARE(j["recording"]["file"]["absolute"].get<std::string>(), recPath.toStdString());
        QCOMPARE(j["config"]["data"]["file"].get<std::string>(), std::string("data/rec.h5"));
        QCOMPARE(j["runs"][0]["model_file"]["relative"].get<std::string>(), std::string("s.models/run-1.h5"));

        // The session file alone elsewhere: the absolute paths are the fallback.
        QVERIFY(copyFile(a + "/s.rmmsession", c + "/s.rmmsession"));
        SessionState back;
        QVERIFY2(loadSession(c + "/s.rmmsession", &back, &error), qPrintable(error));
        QCOMPARE(back.recording.path, recPath);
        QCOMPARE(back.runs.front().modelPath, a + "/s.models/run-1.h5");
        QCOMPARE(back.selected_run, 1);

        // The whole folder moved: everything is found beside the session.
        QVERIFY(QDir().rename(a, b));
        QVERIFY2(loadSession(b + "/s.rmmsession", &back, &error), qPrintable(error));
        QCOMPARE(back.recording.path, b + "/data/rec.h5");
        QCOMPARE(back.runs.front().modelPath, b + "/s.models/run-1.h5");
        QCOMPARE(QString::fromStdString(back.config["data"]["file"].get<std::string>()), b + "/data/rec.h5");
        QCOMPARE(QString::fromStdString(back.runs.front().config.data.file), b + "/data/rec.h5");
        QVERIFY(back.runs.front().model);
        QCOMPARE(back.runs.front().model->parameterCount(), run.model->parameterCount());

        // Neither place has the model any more: the error names the file.
        QVERIFY(!loadSession(c + "/s.rmmsession", &back, &error));
        QVERIFY2(error.contains(QStringLiteral("run-1.h5")), qPrintable(error));
    }

    void savesRunInTheBackground()
    {
        const QString dir = rmmtest::scratchDir(QStringLiteral("session-async"));
        MainWindow w;
        // Several runs with models big enough that writing them takes a while.
        ModelConfig big = smallModel();
        big.intrinsic_hidden = {100, 100};
        big.lumped_hidden = {50, 50};
        big.finalize();
        ExperimentConfig cfg;
        cfg.data.file = "rec.h5";
        cfg.data.neurons = {channels("v1", "u1"), channels("v2", "u2")};
        cfg.model = big;
        cfg.training.finalize(true);
        const auto model = std::make_shared<const CircuitModel>(savableModel(big, 0.1, 1));
        constexpr int kRuns = 40;
        for (int i = 0; i < kRuns; ++i) {
            Run r;
            r.config = cfg;
            r.status = QStringLiteral("completed");
            r.curves = {epoch(0, 2.0, 0.5)};
            r.model = model;
            w.trainPage()->runs()->add(r);
        }
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(5);
        connect(&ticker, &QTimer::timeout, this, [&ticks]() { ++ticks; });
        ticker.start();
        QSignalSpy saved(&w, &MainWindow::sessionSaved);
        QElapsedTimer clock;
        clock.start();
        const double cpu0 = threadCpuMs();
        w.saveSessionTo(dir + "/s.rmmsession");
        const double callCpuMs = threadCpuMs() - cpu0;
        const qint64 callMs = clock.elapsed();
        QVERIFY(saved.wait(kTimeoutMs));
        const qint64 doneMs = clock.elapsed();
        QElapsedTimer syncClock; // for comparison: the same save on this thread
        syncClock.start();
        const double syncCpu0 = threadCpuMs();
        QString error;
        QVERIFY2(saveSession(dir + "/sync.rmmsession", w.currentSession(), &error), qPrintable(error));
        const qint64 syncMs = syncClock.elapsed();
        const double syncCpuMs = threadCpuMs() - syncCpu0;
        qInfo("%d runs: synchronous save %lld ms (%.0f ms CPU); background save returned after %lld ms (%.1f "
              "ms GUI-thread CPU), "
              "written after %lld ms, %d event-loop ticks meanwhile",
              kRuns, static_cast<long long>(syncMs), syncCpuMs, static_cast<long long>(callMs), callCpuMs,
              static_cast<long long>(doneMs), ticks);
        // The call only serialises the JSON (CPU time of the GUI thread, so that a loaded machine
        // descheduling the test does not count); the event loop runs while the files are written.
        QVERIFY2(callCpuMs < 50,
                 qPrintable(QStringLiteral("saveSessionTo took %1 ms of CPU").arg(callCpuMs)));
        QVERIFY2(ticks >= 2, "the event loop did not run while the session was written");
        for (int i = 1; i <= kRuns; ++i)
            QVERIFY(QFileInfo::exists(dir + QStringLiteral("/s.models/run-%1.h5").arg(i)));
        SessionState back;
        QVERIFY2(loadSession(dir + "/s.rmmsession", &back, &error), qPrintable(error));
        QCOMPARE(back.runs.size(), std::size_t(kRuns));
        QCOMPARE(back.runs.back().model->parameterCount(), model->parameterCount());

        // Saves asked for while one is written are coalesced: one runs, the newest waits.
        const int before = w.sessionSaver()->writtenCount();
        for (int i = 0; i < 5; ++i)
            w.saveSessionTo(dir + "/s.rmmsession");
        QVERIFY(w.sessionSaver()->isBusy());
        w.waitForSaves();
        QCOMPARE(w.sessionSaver()->writtenCount() - before, 2);
        QVERIFY(!w.sessionSaver()->isBusy());
        QVERIFY2(loadSession(dir + "/s.rmmsession", &back, &error), qPrintable(error));

        // A failed save (its folder is a file) is reported.
        QFile blocker(dir + "/not-a-folder");
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QSignalSpy shown(&w, &MainWindow::errorShown);
        w.saveSessionTo(dir + "/not-a-folder/s.rmmsession");
        QVERIFY(shown.wait(kTimeoutMs));
        // The automatic save to the same (broken) session file says so in the status bar.
        w.autosave();
        w.waitForSaves();
        QVERIFY2(w.statusBar()->currentMessage().startsWith(QStringLiteral("Autosave failed")),
                 qPrintable(w.statusBar()->currentMessage()));
    }

    void demoIsWrittenForTheEngine()
    {
        const QString dir = rmmtest::scratchDir(QStringLiteral("session-demo"));
        const auto rec = shortDemo(3);
        QCOMPARE(rec->source, std::string("demo"));
        TrainPage page;
        page.setRecording(rec);
        page.modelForm()->setConfig(smallModel());
        QCOMPARE(page.dataConfig().file, std::string("demo"));
        QSignalSpy exported(&page, &TrainPage::configExported);
        page.exportConfig(dir + "/experiment.json");
        QVERIFY(exported.wait(kTimeoutMs));
        QVERIFY2(exported.front().at(1).toString().isEmpty(), qPrintable(exported.front().at(1).toString()));
        const ExperimentConfig cfg = loadExperimentConfig((dir + "/experiment.json").toStdString());
        QCOMPARE(cfg.data.file, std::string("experiment-demo.h5"));
        const Dataset ds = loadDataset(cfg.data, cfg.base_dir);
        const Dataset direct = buildDataset(*rec, cfg.data);
        QCOMPARE(ds.neurons, 2);
        QCOMPARE(ds.dt_ms, rec->dt_ms);
        QCOMPARE(ds.trials.size(), direct.trials.size());
        QVERIFY(ds.trials.front().v.isApprox(direct.trials.front().v, 0));
        QVERIFY(ds.trials.back().isyn.isApprox(direct.trials.back().isyn, 0));

        // A demo session: the same file beside it, referenced by the session's config.
        MainWindow w;
        QVERIFY(openDemoWithSmallModel(w, 3));
        w.saveSessionTo(dir + "/d.rmmsession");
        w.waitForSaves();
        QVERIFY(QFileInfo::exists(dir + "/d-demo.h5"));
        const json j = readJson(dir + "/d.rmmsession");
        QCOMPARE(j["config"]["data"]["file"].get<std::string>(), std::string("d-demo.h5"));
        const ExperimentConfig fromSession = parseExperimentConfig(j["config"], dir.toStdString());
        const Dataset sds = loadDataset(fromSession.data, fromSession.base_dir);
        QCOMPARE(sds.trials.front().v.cols(),
                 buildDataset(*w.recording(), fromSession.data).trials.front().v.cols());
        // Reopened, the session reads the samples it was saved with.
        MainWindow w2;
        QSignalSpy loaded(&w2, &MainWindow::recordingLoaded);
        QVERIFY(w2.openSession(dir + "/d.rmmsession"));
        QVERIFY(loaded.wait(kTimeoutMs));
        QCOMPARE(QString::fromStdString(w2.recording()->source), dir + "/d-demo.h5");
    }

    void quittingDuringTrainingKeepsTheRun()
    {
        const QString dir = rmmtest::scratchDir(QStringLiteral("session-quit"));
        const QString path = dir + "/q.rmmsession";
        auto* w = new MainWindow;
        w->show();
        QVERIFY(openDemoWithSmallModel(*w, 100000));
        w->saveSessionTo(path);
        w->waitForSaves();
        TrainPage* page = w->trainPage();
        QVERIFY(page->startTraining());
        const int id = page->selectedRun();
        QTRY_VERIFY_WITH_TIMEOUT(page->curves()->pointCount(id) >= 2, kTimeoutMs);

        // By default the window asks; answering Cancel keeps everything running.
        QStringList buttons;
        QTimer::singleShot(0, w, [&buttons]() {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box)
                return;
            for (QAbstractButton* b : box->buttons())
                buttons << b->text();
            box->button(QMessageBox::Cancel)->click();
        });
        QVERIFY(!w->close());
        QCOMPARE(buttons.size(), 2);
        QVERIFY(buttons.contains(QStringLiteral("Stop and keep the best model")));
        QVERIFY(w->isVisible());
        QVERIFY(page->controller()->isRunning());
        QVERIFY(!w->isClosingAfterStop());

        // "Cancel" through the hook: nothing happens.
        w->setQuitWhileTraining(MainWindow::QuitWhileTraining::Cancel);
        QVERIFY(!w->close());
        QVERIFY(w->isVisible());
        QVERIFY(page->controller()->isRunning());

        // "Stop and keep the best model": the run stops, is kept, saved, and the window closes.
        w->setQuitWhileTraining(MainWindow::QuitWhileTraining::StopAndKeep);
        QSignalSpy finished(page, &TrainPage::runFinished);
        QSignalSpy saved(w, &MainWindow::sessionSaved);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!w->close()); // closes once the run has ended
        QVERIFY(w->isClosingAfterStop());
        QVERIFY(finished.wait(5000));
        const qint64 stopMs = clock.elapsed();
        qInfo("quit during training: the run stopped after %lld ms", static_cast<long long>(stopMs));
        QVERIFY2(stopMs < 200, qPrintable(QStringLiteral("stop took %1 ms").arg(stopMs)));
        QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 10000);
        QCOMPARE(saved.count(), 1); // written before the window closed
        const Run* run = page->runs()->find(id);
        QVERIFY(run && run->model);
        QCOMPARE(run->status, QStringLiteral("cancelled"));

        SessionState s;
        QString error;
        QVERIFY2(loadSession(path, &s, &error), qPrintable(error));
        QCOMPARE(s.runs.size(), std::size_t(1));
        QCOMPARE(s.runs.front().status, QStringLiteral("cancelled"));
        QVERIFY(s.runs.front().model);
        QCOMPARE(s.runs.front().curves.size(), run->curves.size());
        QCOMPARE(s.runs.front().best_epoch, run->best_epoch);
        // The engine's report came with the run and was saved with it (the run list shows it).
        QVERIFY(run->report);
        QVERIFY(s.runs.front().report);
        QCOMPARE(s.runs.front().report->best_epoch, run->report->best_epoch);
        QCOMPARE(s.runs.front().report->model.neurons.size(), std::size_t(2));
        QCOMPARE(s.runs.front().report->model.neurons[0].capacitance_nF,
                 run->report->model.neurons[0].capacitance_nF);
        QVERIFY(runReportSummary(s.runs.front()).contains(QStringLiteral("Neuron 2: C ")));
        delete w;

        // A damaged report costs only the report: the run opens with its curves and model.
        json j = readJson(path);
        j["runs"][0]["report"]["best_epoch"] = "seven";
        writeJson(path, j);
        SessionState damaged;
        QVERIFY2(loadSession(path, &damaged, &error), qPrintable(error));
        QCOMPARE(damaged.runs.size(), std::size_t(1));
        QVERIFY(!damaged.runs.front().report);
        QVERIFY(damaged.runs.front().model);
    }

    void deletingTheWindowWhileTrainingJoinsTheThread()
    {
        auto* w = new MainWindow;
        QVERIFY(openDemoWithSmallModel(*w, 100000));
        QVERIFY(w->trainPage()->startTraining());
        const int id = w->trainPage()->selectedRun();
        QTRY_VERIFY_WITH_TIMEOUT(w->trainPage()->curves()->pointCount(id) >= 1, kTimeoutMs);
        g_messages.clear();
        const QtMessageHandler previous = qInstallMessageHandler(collectMessages);
        QElapsedTimer clock;
        clock.start();
        delete w; // joins the training thread (stop within a mini-batch), no crash
        const qint64 ms = clock.elapsed();
        qInstallMessageHandler(previous);
        qInfo("window deleted during training in %lld ms", static_cast<long long>(ms));
        for (const QString& m : g_messages)
            QVERIFY2(!m.contains(QStringLiteral("QThread")), qPrintable(m));
        QVERIFY(ms < 5000);
    }
};

QTEST_MAIN(TestSessions)
#include "test_sessions.moc"
