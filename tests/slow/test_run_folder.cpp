// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm train --out DIR` writes its run folder as one unit (engine/core/run_folder.hpp): killed at
// every step of the write (RMM_TEST_KILL_AT, engine/core/kill_point.hpp), with and without
// renameat2's exchange, DIR holds the old complete run or the new one, and the next start cleans
// up or recovers; a run already in DIR is kept as DIR.previous, a failed run goes to DIR.failed;
// SIGTERM/SIGHUP stop like Ctrl-C; an unwritable place fails before the data are loaded; a full
// disk leaves an earlier run intact; text that is not UTF-8 reaches report.json escaped.
#include "common/bursting_pair.hpp"
#include "common/fixtures.hpp"
#include "common/rmm_process.hpp"
#include "engine/recording/formats.hpp"
#include "engine/recording/recording.hpp"
#include "engine/store/model_file.hpp"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QTest>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using rmmtest::kRmm;
using Run = rmmtest::RmmRun;
constexpr std::size_t kSamples = 6000; // 0.6 s per trial at 10 kHz: a few epochs take well under a second

/// Two cells with slow anti-phase waves, spikes on the up phase and noisy injected currents.
rmm::Recording tinyRecording()
{
    rmmtest::BurstingPair o;
    o.samples = kSamples;
    o.source = "run-folder-test";
    return rmmtest::burstingPair(o);
}

json config(int epochs, const std::string& file = "rec.h5")
{
    json j = json::parse(R"({"data": {"trials": ["trial1", "trial2"],
        "neurons": [{"v": "v1", "u": "u1"}, {"v": "v2", "u": "u2"}],
        "train_fraction": 0.75, "validation_trial": "trial1", "prefilter": false},
        "model": {"synapse": "lumped"},
        "training": {"method": "tf", "batches": 2, "seed": 1, "threads": 1,
                     "validation": {"kernel_half_width": 100, "kernel_tau_samples": 20}}})");
    j["data"]["file"] = file;
    j["training"]["epochs"] = epochs;
    return j;
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream f(path, std::ios::binary);
    f << text;
}

std::string readText(const std::string& path)
{
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// One run folder as read back: which run it is (epochs planned), and whether its three files
/// agree with each other.
struct RunSet {
    bool present = false;
    int epochs = -1; ///< training.epochs of the config in model.h5
    QString problem; ///< why the set is not complete and consistent ("" = it is)
};

RunSet readSet(const fs::path& dir)
{
    RunSet s;
    std::error_code ec;
    s.present = fs::exists(dir, ec);
    if (!s.present) {
        s.problem = "missing";
        return s;
    }
    for (const char* f : {"model.h5", "curves.csv", "report.json"})
        if (!fs::is_regular_file(dir / f)) {
            s.problem = QString("no ") + f;
            return s;
        }
    try {
        const rmm::ModelFile mf = rmm::loadModel((dir / "model.h5").string());
        s.epochs = json::parse(mf.config_json)["training"]["epochs"].get<int>();
        const json rep = json::parse(readText((dir / "report.json").string()));
        std::istringstream csv(readText((dir / "curves.csv").string()));
        int rows = -1;
        for (std::string line; std::getline(csv, line);)
            ++rows;
        if (rep["epochs_planned"].get<int>() != s.epochs)
            s.problem = QString("report.json is of a run of %1 epochs, model.h5 of %2")
                            .arg(rep["epochs_planned"].get<int>())
                            .arg(s.epochs);
        else if (rep["epochs_run"].get<int>() != rows)
            s.problem = QString("curves.csv has %1 epochs, report.json %2")
                            .arg(rows)
                            .arg(rep["epochs_run"].get<int>());
        else if (mf.extra.at("best_epoch") != std::to_string(rep["best_epoch"].get<int>()))
            s.problem = "best_epoch differs between model.h5 and report.json";
    } catch (const std::exception& e) {
        s.problem = QString("unreadable: ") + e.what();
    }
    return s;
}

/// Names in `parent` that start with `prefix`.
QStringList entriesStartingWith(const fs::path& parent, const std::string& prefix)
{
    QStringList out;
    for (const auto& e : fs::directory_iterator(parent)) {
        const std::string n = e.path().filename().string();
        if (n.compare(0, prefix.size(), prefix) == 0)
            out << QString::fromStdString(n);
    }
    return out;
}

/// PID of a process that has ended.
pid_t deadPid()
{
    const pid_t p = ::fork();
    if (p == 0)
        ::_exit(0);
    ::waitpid(p, nullptr, 0);
    return p;
}

/// Runs rmm with arguments given as bytes (QProcess cannot pass bytes that are not UTF-8).
Run runRaw(const std::vector<std::string>& args, const std::string& scratch)
{
    const std::string out = scratch + "/raw.out", err = scratch + "/raw.err";
    const std::string bin = kRmm.toStdString();
    std::vector<char*> argv{const_cast<char*>(bin.c_str())};
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t p = ::fork();
    if (p == 0) {
        const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(o, 1);
        ::dup2(e, 2);
        ::execv(bin.c_str(), argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(p, &status, 0);
    Run r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = QString::fromUtf8(QByteArray::fromStdString(readText(out)));
    r.err = QString::fromUtf8(QByteArray::fromStdString(readText(err)));
    return r;
}

/// A tmpfs mounted for one test, unmounted when it ends.
struct TmpfsMount {
    std::string path;
    bool ok = false;
    QString error;
    TmpfsMount(const std::string& p, const char* options, unsigned long flags = 0) : path(p)
    {
        fs::create_directories(p);
        ok = ::mount("tmpfs", p.c_str(), "tmpfs", flags, options) == 0;
        if (!ok)
            error = QString::fromLocal8Bit(std::strerror(errno));
    }
    ~TmpfsMount()
    {
        if (ok)
            ::umount2(path.c_str(), MNT_DETACH);
    }
};

} // namespace

class TestRunFolder : public QObject {
    Q_OBJECT
  private:
    std::string dir_;
    fs::path base_; ///< out (a run of 2 epochs) and out.previous (1 epoch), copied for each kill

    Run train(const QString& config, const fs::path& out, const QStringList& extra = {},
              const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        return rmmtest::runRmm(QStringList{"train", "--config", QString::fromStdString(dir_) + "/" + config,
                                           "--out", QString::fromStdString(out.string())} +
                                   extra,
                               120000, env);
    }

    /// Starts rmm train on the long config, waits for two epochs, sends `sig`, returns the run.
    Run stopWith(int sig, const fs::path& out)
    {
        QProcess p;
        p.start(kRmm, {"train", "--config", QString::fromStdString(dir_) + "/long.json", "--out",
                       QString::fromStdString(out.string())});
        Run r;
        if (!p.waitForStarted())
            return r;
        const QString seen = rmmtest::waitForOutput(p, QStringLiteral("epoch 2/"));
        if (!seen.contains("epoch 2/")) {
            p.kill();
            p.waitForFinished();
            r.err = "never reached epoch 2: " + seen + QString::fromUtf8(p.readAllStandardError());
            return r;
        }
        ::kill(static_cast<pid_t>(p.processId()), sig);
        if (!p.waitForFinished(120000))
            return r;
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = seen + QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

  private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(kRmm), qPrintable("build the rmm binary first: " + kRmm));
        dir_ = rmmtest::scratchDir("run_folder").toStdString();
        rmm::writeGenericHdf5(tinyRecording(), dir_ + "/rec.h5");
        for (int e : {1, 2, 3})
            writeText(dir_ + "/e" + std::to_string(e) + ".json", config(e).dump(2));
        json longer = config(100000);
        longer["training"]["validate_every"] = 1;
        writeText(dir_ + "/long.json", longer.dump(2));
        writeText(dir_ + "/nodata.json", config(2, "missing.h5").dump(2)); // starts, then fails on the data
        json diverge = config(3);
        diverge["training"]["lr"] = 1e300;
        writeText(dir_ + "/diverge.json", diverge.dump(2));

        base_ = fs::path(dir_) / "base";
        fs::create_directories(base_);
        Run r = train("e1.json", base_ / "out");
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        r = train("e2.json", base_ / "out");
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QCOMPARE(readSet(base_ / "out").epochs, 2);
        QCOMPARE(readSet(base_ / "out.previous").epochs, 1); // the first run, kept
        QVERIFY(entriesStartingWith(base_, "out.tmp-").isEmpty());
    }

    void newRunKeepsOldAsPrevious()
    {
        const fs::path d = fs::path(dir_) / "policy";
        fs::copy(base_, d, fs::copy_options::recursive);
        Run r = train("e3.json", d / "out/"); // a trailing separator names the same folder
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QCOMPARE(readSet(d / "out").epochs, 3);
        QCOMPARE(readSet(d / "out.previous").epochs, 2); // the older .previous (1 epoch) is gone
        QVERIFY2(readSet(d / "out.previous").problem.isEmpty(),
                 qPrintable(readSet(d / "out.previous").problem));
        QCOMPARE(entriesStartingWith(d, "out."), QStringList{"out.previous"});

        // A failed run (exit code 3) never replaces a run: it goes beside, as out.failed.
        r = train("diverge.json", d / "out");
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("out.failed"), qPrintable(r.err));
        QCOMPARE(readSet(d / "out").epochs, 3);
        QCOMPARE(readSet(d / "out.previous").epochs, 2);
        const RunSet failed = readSet(d / "out.failed");
        QVERIFY2(failed.problem.isEmpty(), qPrintable(failed.problem));
        QCOMPARE(failed.epochs, 3);
        const json rep = rmmtest::readJson(QString::fromStdString((d / "out.failed/report.json").string()));
        QVERIFY2(rep["stop_reason"].get<std::string>().find("diverged") != std::string::npos,
                 rep["stop_reason"].get<std::string>().c_str());

        // Where there is no run yet, a failed run is written to the folder itself.
        r = train("diverge.json", d / "fresh");
        QCOMPARE(r.code, 3);
        QVERIFY(readSet(d / "fresh").problem.isEmpty());
        QVERIFY(!fs::exists(d / "fresh.failed"));

        // A folder with other things in it is refused before any work, and left alone.
        fs::create_directories(d / "mine");
        writeText((d / "mine/notes.txt").string(), "mine");
        r = train("e1.json", d / "mine");
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("mine") && r.err.contains("not results"), qPrintable(r.err));
        QVERIFY(!r.out.contains("epoch 1/"));
        QCOMPARE(readText((d / "mine/notes.txt").string()), std::string("mine"));
    }

    void killDuringWrite_data()
    {
        QTest::addColumn<QString>("step");
        QTest::addColumn<bool>("exchange");
        // In the order the writer passes them (cmd_train, writeAtomically, FolderWriter::commit).
        const QStringList common = {"train-model-written",    "atomic-file-written", "train-curves-written",
                                    "folder-files-written",   "folder-synced",       "folder-previous-moved",
                                    "folder-previous-removed"};
        for (const bool ex : {true, false}) {
            QStringList steps = common;
            steps << (ex ? "folder-exchanged" : "folder-old-moved") << "folder-moved";
            for (const auto& s : steps)
                QTest::newRow(qPrintable(s + (ex ? " (exchange)" : " (two renames)"))) << s << ex;
        }
    }

    void killDuringWrite()
    {
        QFETCH(QString, step);
        QFETCH(bool, exchange);
        const fs::path d = fs::path(dir_) / ("kill-" + step.toStdString() + (exchange ? "-x" : "-r"));
        fs::remove_all(d);
        fs::copy(base_, d, fs::copy_options::recursive);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("RMM_TEST_KILL_AT", step);
        if (!exchange)
            env.insert("RMM_TEST_NO_EXCHANGE", "1");
        Run r = train("e3.json", d / "out", {}, env);
        QVERIFY2(r.code == -1,
                 qPrintable("not killed at " + step + ": " + r.out + r.err)); // the step was reached

        // Right after the kill: the old run (2 epochs) or the new (3), complete. Only between
        // the two renames of the fallback is out missing for a moment.
        const RunSet now = readSet(d / "out");
        if (!(step == "folder-old-moved" && !now.present)) {
            QVERIFY2(now.problem.isEmpty(), qPrintable(now.problem));
            QVERIFY2(now.epochs == 2 || now.epochs == 3, qPrintable(QString::number(now.epochs)));
        }

        // The next start (here one that fails on its data, after the clean-up) repairs and cleans.
        r = train("nodata.json", d / "out");
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("missing.h5"), qPrintable(r.err));
        const RunSet after = readSet(d / "out");
        QVERIFY2(after.problem.isEmpty(), qPrintable(after.problem + "\n" + r.out + r.err));
        const bool committed =
            step == "folder-exchanged" || step == "folder-old-moved" || step == "folder-moved";
        const bool beforeMoves =
            !committed && step != "folder-previous-moved" && step != "folder-previous-removed";
        QCOMPARE(after.epochs, committed ? 3 : 2);
        if (fs::exists(d / "out.previous")) {
            const RunSet prev = readSet(d / "out.previous");
            QVERIFY2(prev.problem.isEmpty(), qPrintable(prev.problem));
            if (committed)
                QCOMPARE(prev.epochs, 2); // the run that was replaced
            if (beforeMoves)
                QCOMPARE(prev.epochs, 1); // nothing moved yet
        } else {
            QVERIFY(!beforeMoves && !committed); // only the older .previous was on its way out
        }
        QVERIFY2(entriesStartingWith(d, "out.tmp-").isEmpty(),
                 qPrintable(entriesStartingWith(d, "out.").join(", ")));
        for (const auto& e : fs::directory_iterator(d / "out"))
            QVERIFY2(e.path().filename().string()[0] != '.', e.path().c_str());

        // And a normal run afterwards works as usual.
        if (step == "folder-moved" && exchange) {
            r = train("e1.json", d / "out");
            QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
            QCOMPARE(readSet(d / "out").epochs, 1);
            QCOMPARE(readSet(d / "out.previous").epochs, 3);
        }
    }

    void staleTempFilesRemoved()
    {
        // What an older rmm (or a kill inside writeAtomically) left in the folder: removed when
        // its process is gone, kept while it runs.
        const fs::path d = fs::path(dir_) / "stale";
        fs::copy(base_, d, fs::copy_options::recursive);
        const std::string dead = std::to_string(deadPid()), alive = std::to_string(::getpid());
        writeText((d / "out" / (".model.h5.tmp-" + dead + "-0")).string(), "half");
        writeText((d / "out" / (".report.json.tmp-" + alive + "-3")).string(), "busy");
        fs::create_directories(d / ("out.tmp-" + dead));
        writeText((d / ("out.tmp-" + dead) / "model.h5").string(), "half"); // incomplete
        fs::create_directories(d / ("out.tmp-" + alive));
        Run r = train("nodata.json", d / "out");
        QCOMPARE(r.code, 1);
        QVERIFY(!fs::exists(d / "out" / (".model.h5.tmp-" + dead + "-0")));
        QVERIFY(fs::exists(d / "out" / (".report.json.tmp-" + alive + "-3")));
        QVERIFY(!fs::exists(d / ("out.tmp-" + dead)));
        QVERIFY(fs::exists(d / ("out.tmp-" + alive)));
        QVERIFY2(r.out.contains("interrupted write"), qPrintable(r.out));
        QCOMPARE(readSet(d / "out").epochs, 2);
    }

    void signalsStopLikeCtrlC_data()
    {
        QTest::addColumn<int>("sig");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("name");
        QTest::newRow("SIGTERM") << int(SIGTERM) << 143 << "SIGTERM";
        QTest::newRow("SIGHUP") << int(SIGHUP) << 129 << "SIGHUP";
    }

    void signalsStopLikeCtrlC()
    {
        QFETCH(int, sig);
        QFETCH(int, code);
        QFETCH(QString, name);
        const fs::path d = fs::path(dir_) / ("signal-" + name.toStdString());
        fs::copy(base_, d, fs::copy_options::recursive);
        Run r = stopWith(sig, d / "out");
        QVERIFY2(r.code == code, qPrintable(QString::number(r.code) + " " + r.out + r.err));
        QVERIFY2(r.err.contains(name), qPrintable(r.err));
        const RunSet s = readSet(d / "out");
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QCOMPARE(s.epochs, 100000);
        const json rep = rmmtest::readJson(QString::fromStdString((d / "out/report.json").string()));
        QCOMPARE(rep["stop_reason"].get<std::string>(), std::string("cancelled"));
        QVERIFY(rep["epochs_run"].get<int>() >= 2);
        QVERIFY(rep["best_epoch"].get<int>() >= 0); // a validated snapshot was kept
        QCOMPARE(readSet(d / "out.previous").epochs, 2);
        QVERIFY(entriesStartingWith(d, "out.tmp-").isEmpty());
    }

    void unwritablePlaceFailsBeforeTheData()
    {
        const std::string ro = dir_ + "/readonly";
        std::unique_ptr<TmpfsMount> m;
        if (::geteuid() == 0) {
            // root writes through permissions: a read-only mount instead
            m = std::make_unique<TmpfsMount>(ro, "size=64k", MS_RDONLY);
            if (!m->ok)
                QSKIP(qPrintable("cannot mount a read-only tmpfs at " + QString::fromStdString(ro) + ": " +
                                 m->error));
        } else {
            fs::create_directories(ro);
            fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
        }
        Run r = train("e2.json", fs::path(ro) / "sub" / "out");
        if (!m)
            fs::permissions(ro, fs::perms::owner_all);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QString::fromStdString(ro) + ": cannot create files"), qPrintable(r.err));
        QVERIFY2(!r.out.contains("data:"), qPrintable(r.out)); // the recording was not even loaded
    }

    void fullDiskKeepsEarlierRun()
    {
        const std::string mnt = dir_ + "/full";
        TmpfsMount m(mnt, "size=1m");
        if (!m.ok)
            QSKIP(qPrintable("cannot mount a tmpfs at " + QString::fromStdString(mnt) +
                             " (needs root): " + m.error));
        const fs::path out = fs::path(mnt) / "out";
        Run r = train("e1.json", out);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        const std::string model = readText((out / "model.h5").string()),
                          report = readText((out / "report.json").string());
        {
            // Fill the disk to the last byte.
            std::ofstream fill(mnt + "/filler", std::ios::binary);
            const std::string block(4096, 'x');
            while (fill.write(block.data(), static_cast<std::streamsize>(block.size())) && fill.flush()) {
            }
        }
        r = train("e2.json", out);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QString::fromStdString(out.string())) && r.err.contains("unchanged"),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains("disk is full"), qPrintable(r.err));
        QCOMPARE(readText((out / "model.h5").string()), model);
        QCOMPARE(readText((out / "report.json").string()), report);
        QVERIFY(readSet(out).problem.isEmpty());
        QVERIFY(entriesStartingWith(mnt, "out.tmp-").isEmpty());
    }

    void textThatIsNotUtf8IsEscaped()
    {
        // A folder name, a unit and the output folder with bytes that are not UTF-8: training
        // runs to the end and report.json shows the bytes as \xHH.
        const std::string d = dir_ + "/bytes-\xff";
        fs::create_directories(d);
        std::ostringstream csv;
        csv << "time [ms],v1 [m\xfeV],u1 [nA],v2 [mV],u2 [nA]\n";
        const rmm::Recording rec = tinyRecording();
        const auto& t = rec.trials[0];
        for (std::size_t k = 0; k < kSamples; ++k)
            csv << k * 0.1 << "," << t.channels[0].samples[k] << "," << t.channels[1].samples[k] << ","
                << t.channels[2].samples[k] << "," << t.channels[3].samples[k] << "\n";
        writeText(d + "/rec.csv", csv.str());
        json cfg = config(2, "rec.csv");
        cfg["data"]["trials"] = json::array({"trial1"});
        writeText(d + "/exp.json", cfg.dump(2));
        const std::string out = d + "/out-\xfd";
        Run r = runRaw({"train", "--config", d + "/exp.json", "--out", out}, dir_);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        const json rep = json::parse(readText(out + "/report.json"));
        QVERIFY2(rep["data"]["file"].get<std::string>().find("bytes-\\xff/rec.csv") != std::string::npos,
                 rep["data"]["file"].get<std::string>().c_str());
        bool unitShown = false;
        for (const auto& w : rep["warnings"])
            unitShown = unitShown || w.get<std::string>().find("'m\\xfeV'") != std::string::npos;
        QVERIFY2(unitShown, rep["warnings"].dump().c_str());
        QVERIFY(readSet(out).problem.isEmpty());
        QCOMPARE(readSet(out).epochs, 2);
    }
};

QTEST_GUILESS_MAIN(TestRunFolder)
#include "test_run_folder.moc"
