// SPDX-License-Identifier: GPL-3.0-or-later
// Importing `rmm train --out DIR` results into the workbench: a real CLI run is imported with its
// curves, best snapshot, status and config; bad folders give messages naming the file and line.
#include "app/gui/main_window.hpp"
#include "app/gui/run_import.hpp"
#include "app/gui/train_page.hpp"
#include "common/fixtures.hpp"
#include "engine/store/model_file.hpp"
#include "widgets/learning_curve_plot.hpp"

#include <QFile>
#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace rmm;
using nlohmann::json;

namespace {

const QString kRmm = QStringLiteral(RMM_BINARY_DIR "/app/cli/rmm");

bool runRmm(const QStringList& args, QString* log)
{
    QProcess p;
    p.start(kRmm, args);
    if (!p.waitForFinished(300000))
        return false;
    *log = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

} // namespace

class TestRunImport : public QObject {
    Q_OBJECT

    QString dir_;

  private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(kRmm), qPrintable("build the rmm binary first: " + kRmm));
        dir_ = rmmtest::scratchDir(QStringLiteral("run_import"));
        QString log;
        QVERIFY2(runRmm({"synth", "--out", dir_ + "/rec.h5", "--seconds", "6", "--trials", "1"}, &log),
                 qPrintable(log));
        const json cfg = json::parse(R"({
            "data": {"file": "rec.h5", "trials": ["trial1"],
                     "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1"}, {"v": "v2", "u": "u2", "isyn": "Isyn2"}],
                     "train_fraction": 0.75},
            "model": {"intrinsic_taus_ms": [1, 5, 20, 100], "synaptic_taus_ms": [2, 20],
                      "intrinsic_hidden": [6], "lumped_hidden": [4]},
            "training": {"method": "tf", "epochs": 3, "lr": 0.001, "batches": 4, "threads": 1, "seed": 3}})");
        std::ofstream(dir_.toStdString() + "/exp.json") << cfg.dump(1);
        QVERIFY2(runRmm({"train", "--config", dir_ + "/exp.json", "--out", dir_ + "/out"}, &log),
                 qPrintable(log));
    }

    void importsACommandLineRun()
    {
        QString error;
        const std::optional<Run> run = importTrainResults(dir_ + "/out", &error);
        QVERIFY2(run, qPrintable(error));
        QCOMPARE(run->name, QStringLiteral("out"));
        QCOMPARE(run->status, QStringLiteral("completed"));
        QCOMPARE(run->curves.size(), std::size_t(3));
        QVERIFY(run->curves[2].elapsed > run->curves[1].elapsed && run->curves[1].elapsed > 0);
        QCOMPARE(run->curves[0].lr, 0.001);
        std::ifstream in(dir_.toStdString() + "/out/report.json");
        const json report = json::parse(in);
        QCOMPARE(run->best_epoch, report["best_epoch"].get<int>());
        QCOMPARE(run->best_metric, report["best_validation"].get<double>());
        // The report comes along: the run list's tooltip says what it says.
        QVERIFY(run->report);
        QCOMPARE(run->report->validation.free_run_angular_separation,
                 report["validation"]["free_run_angular_separation"].get<double>());
        const QString summary = runReportSummary(*run);
        const double c1 = report["membrane"][0]["capacitance_nF"].get<double>();
        QVERIFY2(summary.contains(QStringLiteral("Neuron 1: C %1 nF").arg(QLocale().toString(c1, 'f', 2))),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("synaptic current r ")), qPrintable(summary));
        QCOMPARE(run->config.training.epochs, 3);
        QCOMPARE(run->config.training.seed, std::uint64_t(3));
        QCOMPARE(QString::fromStdString(run->config.data.file),
                 QDir(dir_).filePath(QStringLiteral("rec.h5")));
        QVERIFY(run->model);
        QCOMPARE(run->model->flatParameters(),
                 loadModel((dir_ + "/out/model.h5").toStdString()).model.flatParameters());

        // Through the window: the run joins the run list with its curves, selected.
        MainWindow w;
        QVERIFY(w.importResults(dir_ + "/out"));
        const auto& runs = w.trainPage()->runs()->runs();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(w.trainPage()->selectedRun(), runs.front().id);
        QCOMPARE(w.trainPage()->curves()->pointCount(runs.front().id), 3);
    }

    void badFoldersAreNamed()
    {
        QString error;
        const QString empty = rmmtest::scratchDir(QStringLiteral("run_import_empty"));
        QVERIFY(!importTrainResults(empty, &error));
        QVERIFY2(error.contains(QStringLiteral("model.h5")), qPrintable(error));

        // A damaged curves file: the file and the line are named.
        const QString bad = rmmtest::scratchDir(QStringLiteral("run_import_bad"));
        QVERIFY(QFile::copy(dir_ + "/out/model.h5", bad + "/model.h5"));
        writeText(bad + "/curves.csv",
                  "epoch,seconds,lr,train_loss,validation_metric\n0,1,0.001,5,\n1,x,0.001,4,0.2\n");
        QVERIFY(!importTrainResults(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("curves.csv")) && error.contains(QStringLiteral("line 3")),
                 qPrintable(error));
        writeText(bad + "/curves.csv", "time,loss\n");
        QVERIFY(!importTrainResults(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("'epoch'")), qPrintable(error));

        // An older curves file without elapsed_seconds: the epochs' times are summed.
        writeText(bad + "/curves.csv",
                  "epoch,seconds,lr,train_loss,validation_metric\n0,1.5,0.001,5,\n1,2,0.001,4,0.25\n");
        std::optional<Run> old = importTrainResults(bad, &error);
        QVERIFY2(old, qPrintable(error));
        QCOMPARE(old->curves[1].elapsed, 3.5);
        QCOMPARE(old->best_epoch, 1); // no report: the best validated epoch of the curves
        QCOMPARE(old->best_metric, 0.25);

        // A truncated model file: the engine's message names it.
        QFile model(bad + "/model.h5");
        QVERIFY(model.open(QIODevice::ReadWrite));
        QVERIFY(model.resize(model.size() / 3));
        model.close();
        QVERIFY(!importTrainResults(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("model.h5")), qPrintable(error));

        // A damaged report.
        QVERIFY(QFile::remove(bad + "/model.h5"));
        QVERIFY(QFile::copy(dir_ + "/out/model.h5", bad + "/model.h5"));
        writeText(bad + "/report.json", "{\"best_epoch\": ");
        QVERIFY(!importTrainResults(bad, &error));
        QVERIFY2(error.contains(QStringLiteral("report.json")), qPrintable(error));
    }
};

QTEST_MAIN(TestRunImport)
#include "test_run_import.moc"
