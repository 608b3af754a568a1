// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm sweep` end to end through the built binary: a 4-run sweep of short trainings two at a
// time with a diverging run recorded as failed while the others finish, bad input refused before
// anything is created, a folder of another sweep refused, a deleted run folder trained again,
// Ctrl-C stopping the running training with resume finishing it (finished runs untouched), the
// lock against a second scheduler, and the summary files.
#include "common/bursting_pair.hpp"
#include "common/fixtures.hpp"
#include "common/rmm_process.hpp"
#include "engine/recording/formats.hpp"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using rmmtest::kRmm;
using rmmtest::readJson;
using rmmtest::runRmm;
using Run = rmmtest::RmmRun;

json baseConfig()
{
    return json::parse(R"({"data": {"file": "rec.h5", "trials": ["trial1", "trial2"],
        "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1"}, {"v": "v2", "u": "u2", "isyn": "Isyn2"}],
        "validation_trial": "trial1", "prefilter": false},
        "model": {"synapse": "lumped"},
        "training": {"method": "tf", "epochs": 2, "batches": 4, "seed": 1, "threads": 1}})");
}

void writeText(const QString& path, const std::string& text)
{
    std::ofstream f(path.toStdString(), std::ios::binary);
    f << text;
}

std::string readText(const QString& path)
{
    std::ifstream f(path.toStdString(), std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

/// Content and modification time of a file, to show it was not rewritten.
struct Snapshot {
    std::string text;
    fs::file_time_type time;
    bool operator==(const Snapshot&) const = default;
};
Snapshot snapshot(const QString& path)
{
    return {readText(path), fs::last_write_time(path.toStdString())};
}

QProcessEnvironment noWorkbench()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RMM_WORKBENCH", "/nonexistent/rmm-workbench");
    return env;
}

} // namespace

class TestCliSweep : public QObject {
    Q_OBJECT
  private:
    QString dir_;

    QStringList runArgs(const QString& spec, const QString& out, const QString& base = "base.json")
    {
        return {"sweep",           "run",   "--config",      dir_ + "/" + base, "--spec",
                dir_ + "/" + spec, "--out", dir_ + "/" + out};
    }

  private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(kRmm), qPrintable("build the rmm binary first: " + kRmm));
        dir_ = rmmtest::scratchDir("cli_sweep");
        rmmtest::BurstingPair o;
        o.samples = 30000; // 3 s per trial at 10 kHz: a validation segment long enough
        o.isyn = true;
        rmm::writeGenericHdf5(rmmtest::burstingPair(o), (dir_ + "/rec.h5").toStdString());
        writeText(dir_ + "/base.json", baseConfig().dump(2));
    }

    void sweepWithAFailingRun()
    {
        // lr 1e6 diverges in the first mini-batch (exit code 3, report saying why); the others
        // finish. Two at a time.
        writeText(dir_ + "/spec.json",
                  R"({"grid": {"training.lr": [1e-3, 1e6], "training.batches": [4, 8]}})");
        Run r = runRmm(runArgs("spec.json", "sw") << "--jobs"
                                                  << "2",
                       120000);
        QVERIFY2(r.code == 3, qPrintable(QString::number(r.code) + r.out + r.err));
        QVERIFY2(r.out.contains("sweep: 0/4 done, 0 failed, 2 running"), qPrintable(r.out));
        QVERIFY2(
            r.out.contains("run 2 (training.lr = 1000000.0, training.batches = 4, seed 1) failed: diverged"),
            qPrintable(r.out));
        QVERIFY2(
            r.out.contains("run 3 (training.lr = 1000000.0, training.batches = 8, seed 1) failed: diverged"),
            qPrintable(r.out));
        QVERIFY2(r.out.contains("sweep: 2 of 4 runs done, 2 failed"), qPrintable(r.out));
        const QString sw = dir_ + "/sw";
        for (int k = 0; k < 4; ++k) {
            const QString run = sw + QString("/runs/%1").arg(k, 4, 10, QChar('0'));
            for (const char* f :
                 {"/config.json", "/started", "/exit_code", "/train.log", "/result/report.json"})
                QVERIFY2(QFile::exists(run + f), qPrintable(run + f));
            QCOMPARE(QString::fromStdString(readText(run + "/exit_code")).trimmed(),
                     QString(k < 2 ? "0" : "3"));
            QVERIFY(QString::fromStdString(readText(run + "/train.log"))
                        .contains("training: method tf, 2 epochs"));
            QVERIFY(QString::fromStdString(readText(run + "/started")).startsWith("host="));
            const json rep = readJson(run + "/result/report.json");
            QCOMPARE(rep["stop_reason"].get<std::string>() == "completed", k < 2);
        }
        // The run's config trains on its own, from anywhere.
        const json cfg = readJson(sw + "/runs/0001/config.json");
        QCOMPARE(cfg["training"]["batches"].get<int>(), 8);
        QCOMPARE(cfg["training"]["schedule"][0]["lr"].get<double>(), 1e-3);

        r = runRmm({"sweep", "status", sw});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("4 run(s), 2 done, 2 failed, 0 running, 0 interrupted, 0 pending"),
                 qPrintable(r.out));
        QVERIFY2(
            r.out.contains("run 2 (training.lr = 1000000.0, training.batches = 4, seed 1): failed: diverged"),
            qPrintable(r.out));
        QVERIFY(!r.out.contains("run 0 ("));

        // Again: nothing to do (failed runs stay failed without --retry-failed), nothing rewritten.
        const Snapshot done0 = snapshot(sw + "/runs/0000/result/report.json");
        const Snapshot failed2 = snapshot(sw + "/runs/0002/result/report.json");
        r = runRmm(runArgs("spec.json", "sw") << "--jobs"
                                              << "2",
                   60000);
        QCOMPARE(r.code, 3);
        QVERIFY2(r.out.contains("2 failed run(s) are not run again"), qPrintable(r.out));
        QVERIFY(snapshot(sw + "/runs/0000/result/report.json") == done0);
        QVERIFY(snapshot(sw + "/runs/0002/result/report.json") == failed2);

        // A run folder deleted: trained again, the others untouched.
        const Snapshot done1 = snapshot(sw + "/runs/0001/result/report.json");
        fs::remove_all((sw + "/runs/0000").toStdString());
        r = runRmm({"sweep", "status", sw});
        QVERIFY2(r.out.contains("1 done, 2 failed, 0 running, 0 interrupted, 1 pending"), qPrintable(r.out));
        r = runRmm(runArgs("spec.json", "sw"), 60000);
        QCOMPARE(r.code, 3);
        QVERIFY2(r.out.contains("4 run(s), 1 done, 1 to run"), qPrintable(r.out));
        QCOMPARE(readJson(sw + "/runs/0000/result/report.json")["stop_reason"].get<std::string>(),
                 std::string("completed"));
        QVERIFY(snapshot(sw + "/runs/0001/result/report.json") == done1);
        QVERIFY(snapshot(sw + "/runs/0002/result/report.json") == failed2);

        // The summary.
        r = runRmm({"sweep", "summary", sw, "--top", "1"}, 60000, noWorkbench());
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("2 of 4 runs done"), qPrintable(r.out));
        QVERIFY2(r.out.contains("top 1 run(s)"), qPrintable(r.out));
        QVERIFY2(r.out.contains("summary.png not written: rmm-workbench not found"), qPrintable(r.out));
        const QStringList csv = QString::fromStdString(readText(sw + "/summary.csv")).trimmed().split('\n');
        QCOMPARE(csv.size(), 5);
        QVERIFY2(
            csv[0].startsWith("index,folder,training.lr,training.batches,seed,status,best_as,r_n1,r_n2,"),
            qPrintable(csv[0]));
        QVERIFY2(csv[1].startsWith("0,runs/0000,0.001,4,1,done,"), qPrintable(csv[1]));
        QVERIFY2(csv[4].startsWith("3,runs/0003,1000000,8,1,failed,"), qPrintable(csv[4]));
        QVERIFY2(csv[4].contains("diverged"), qPrintable(csv[4]));
        const json sum = readJson(sw + "/summary.json");
        QCOMPARE(sum["runs"].size(), std::size_t(4));
        QCOMPARE(sum["settings"].size(), std::size_t(4));
        QCOMPARE(sum["neurons"].get<int>(), 2);
        const json rep0 = readJson(sw + "/runs/0000/result/report.json");
        QCOMPARE(sum["runs"][0]["best_as"].get<double>(), rep0["best_validation"].get<double>());
        QCOMPARE(sum["runs"][0]["best_epoch"].get<int>(), rep0["best_epoch"].get<int>() + 1);
        QCOMPARE(sum["runs"][0]["synaptic_r"][1].get<double>(),
                 rep0["synaptic_current"][1]["pearson"].get<double>());
        QCOMPARE(sum["settings"][0]["done"].get<int>(), 1);
        QVERIFY(sum["settings"][2]["mean_as"].is_null()); // failed runs do not count
    }

    void badInputCreatesNothing()
    {
        writeText(dir_ + "/typo.json", R"({"grid": {"training.rhoo": [1e-9, 1e-8]}, "seeds": [1, 2]})");
        Run r = runRmm(runArgs("typo.json", "typo"));
        QCOMPARE(r.code, 2);
        QVERIFY2(
            r.err.contains("training.rhoo is not a key of the experiment config; did you mean training.rho?"),
            qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir_ + "/typo"));

        writeText(dir_ + "/empty.json", R"({"grid": {"training.shot": []}})");
        r = runRmm(runArgs("empty.json", "empty"));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("grid.training.shot: the list is empty"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir_ + "/empty"));

        writeText(dir_ + "/zero.json", R"({"grid": {"training.batches": [-1, 4, -2]}})");
        r = runRmm(runArgs("zero.json", "zero") << "--dry-run");
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("run 0 (training.batches = -1, seed 1): training.batches"),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains("run 2 (training.batches = -2, seed 1): training.batches"),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir_ + "/zero"));

        // Another spec into the folder of the first sweep: refused, nothing changed.
        writeText(dir_ + "/other.json",
                  R"({"grid": {"training.lr": [1e-3, 1e-2], "training.batches": [4, 8]}})");
        const std::string before = readText(dir_ + "/sw/sweep.json");
        r = runRmm(runArgs("other.json", "sw"));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("refusing to mix"), qPrintable(r.err));
        QVERIFY2(r.err.contains("run 2: training.lr 1000000.0 vs 0.01"), qPrintable(r.err));
        QCOMPARE(readText(dir_ + "/sw/sweep.json"), before);

        r = runRmm({"sweep", "status", dir_ + "/nowhere"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("not a sweep folder"), qPrintable(r.err));
        r = runRmm({"sweep", "jump"});
        QCOMPARE(r.code, 2);
        r = runRmm(runArgs("spec.json", "x") << "--jobs"
                                             << "0");
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--jobs 0"), qPrintable(r.err));

        // --dry-run lists the runs and writes nothing.
        r = runRmm(runArgs("spec.json", "dry") << "--dry-run");
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("runs/0003  training.lr = 1000000.0, training.batches = 8, seed 1"),
                 qPrintable(r.out));
        QVERIFY(!QFileInfo::exists(dir_ + "/dry"));
    }

    void ctrlCStopsAndTheSameCommandResumes()
    {
        // Run 0 ends by its 1 s time limit; run 1 (6 s) is stopped by SIGINT on the way, then
        // finished by running the same command again.
        json base = baseConfig();
        base["training"]["epochs"] = 1000000;
        writeText(dir_ + "/long.json", base.dump(2));
        writeText(dir_ + "/limits.json", R"({"grid": {"training.time_limit_s": [1, 6]}})");
        const QStringList args = runArgs("limits.json", "resume", "long.json");
        const QString sw = dir_ + "/resume";
        QProcess p;
        p.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        p.start(kRmm, args);
        QVERIFY(p.waitForStarted());
        QElapsedTimer t;
        t.start();
        while (!QString::fromStdString(readText(sw + "/runs/0001/train.log")).contains("epoch 2/") &&
               t.elapsed() < 60000 && p.state() == QProcess::Running)
            QTest::qWait(50);
        QVERIFY2(QString::fromStdString(readText(sw + "/runs/0001/train.log")).contains("epoch 2/"),
                 qPrintable(QString::fromUtf8(p.readAll())));
        QCOMPARE(readJson(sw + "/runs/0000/result/report.json")["time_limited"].get<bool>(), true);
        const Snapshot done0 = snapshot(sw + "/runs/0000/result/report.json");

        // A second scheduler on the same folder is refused, naming the first.
        Run second = runRmm(args, 30000);
        QCOMPARE(second.code, 2);
        QVERIFY2(second.err.contains("is in use by another `rmm sweep run` (pid " +
                                     QString::number(p.processId())),
                 qPrintable(second.err));

        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 130, qPrintable(out + p.readAllStandardError()));
        QVERIFY2(out.contains("stopped: 1 run(s) interrupted; run the same command again to resume"),
                 qPrintable(out));
        QCOMPARE(QString::fromStdString(readText(sw + "/runs/0001/exit_code")).trimmed(), QString("130"));
        // The training saved its best snapshot as it stopped.
        QCOMPARE(readJson(sw + "/runs/0001/result/report.json")["stop_reason"].get<std::string>(),
                 std::string("cancelled"));
        Run status = runRmm({"sweep", "status", sw});
        QVERIFY2(status.out.contains("1 done, 0 failed, 0 running, 1 interrupted, 0 pending"),
                 qPrintable(status.out));
        QVERIFY2(
            status.out.contains("run 1 (training.time_limit_s = 6, seed 1): interrupted: stopped by SIGINT"),
            qPrintable(status.out));

        Run resumed = runRmm(args, 60000);
        QVERIFY2(resumed.code == 0, qPrintable(resumed.out + resumed.err));
        QVERIFY2(resumed.out.contains("2 run(s), 1 done, 1 to run"), qPrintable(resumed.out));
        QVERIFY2(resumed.out.contains("sweep: all 2 runs done"), qPrintable(resumed.out));
        QVERIFY(snapshot(sw + "/runs/0000/result/report.json") == done0);
        const json rep1 = readJson(sw + "/runs/0001/result/report.json");
        QCOMPARE(rep1["time_limited"].get<bool>(), true);
        QCOMPARE(QString::fromStdString(readText(sw + "/runs/0001/exit_code")).trimmed(), QString("0"));
        // The interrupted attempt is kept aside.
        QCOMPARE(readJson(sw + "/runs/0001/result.previous/report.json")["stop_reason"].get<std::string>(),
                 std::string("cancelled"));
        QVERIFY(QFile::exists(sw + "/runs/0001/train.log.previous"));
    }
};

QTEST_GUILESS_MAIN(TestCliSweep)
#include "test_cli_sweep.moc"
