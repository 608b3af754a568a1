// SPDX-License-Identifier: GPL-3.0-or-later
// End to end through the built `rmm` binary: train for a few epochs on a short two-neuron
// recording, check the files and report keys, simulate the trained model, refuse bad configs
// before any work, and stop cleanly on Ctrl-C (SIGINT) with the best snapshot saved.
#include "common/bursting_pair.hpp"
#include "common/fixtures.hpp"
#include "common/rmm_process.hpp"
#include "engine/config/experiment_config.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"
#include "engine/recording/recording.hpp"
#include "engine/store/model_file.hpp"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTest>

#include <cmath>
#include <csignal>
#include <fstream>
#include <random>

using nlohmann::json;

namespace {

using rmmtest::kRmm;
constexpr std::size_t kSamples = 30000; // 3 s per trial at 10 kHz

/// Two alternately bursting cells with a "synaptic" current following the other cell (3 s trials).
rmm::Recording demoRecording()
{
    rmmtest::BurstingPair o;
    o.samples = kSamples;
    o.seed = 7;
    o.period_ms = 700;
    o.period_step_ms = 50;
    o.isyn = true;
    o.u_in_pA = true;
    o.source = "cli-test";
    return rmmtest::burstingPair(o);
}

/// Without the default voltage pre-filter, so that sample positions match the file exactly (the
/// pre-filter's trimming is tested in test_dataset).
json config(int epochs)
{
    json j = json::parse(R"({"data": {"file": "rec.h5", "trials": ["trial1", "trial2"],
        "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1"}, {"v": "v2", "u": "u2", "isyn": "Isyn2"}],
        "train_fraction": 0.75, "validation_trial": "trial1", "prefilter": false},
        "model": {"synapse": "lumped"},
        "training": {"method": "tf", "batches": 8, "seed": 1, "threads": 1}})");
    j["training"]["epochs"] = epochs;
    return j;
}

void writeJson(const QString& path, const json& j)
{
    std::ofstream f(path.toStdString());
    f << j.dump(2);
}

using rmmtest::readJson;
using rmmtest::runRmm;
using Run = rmmtest::RmmRun;

} // namespace

class TestCliTrain : public QObject {
    Q_OBJECT
  private:
    QString dir_;

  private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(kRmm), qPrintable("build the rmm binary first: " + kRmm));
        dir_ = rmmtest::scratchDir("cli_train");
        rmm::writeGenericHdf5(demoRecording(), (dir_ + "/rec.h5").toStdString());
        writeJson(dir_ + "/exp.json", config(3));
    }

    void trainWritesModelCurvesReport()
    {
        Run r = runRmm({"train", "--config", dir_ + "/exp.json", "--out", dir_ + "/out", "--threads", "1"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QCOMPARE(r.out.count(QRegularExpression("^epoch \\d+/3 ", QRegularExpression::MultilineOption)), 3);

        QVERIFY(rmm::h5::isHdf5File((dir_ + "/out/model.h5").toStdString()));
        // The model file carries the full config with defaults filled in, and a format version.
        rmm::ModelFile mf = rmm::loadModel((dir_ + "/out/model.h5").toStdString());
        QCOMPARE(mf.format_version, rmm::kModelFileVersion);
        QCOMPARE(mf.model.neurons(), 2);
        QCOMPARE(mf.model.synapseCount(), 2);
        json stored = json::parse(mf.config_json);
        QCOMPARE(stored["training"]["epochs"].get<int>(), 3);
        QCOMPARE(stored["training"]["rho"].get<double>(), 5e-8);
        QCOMPARE(stored["model"]["intrinsic_taus_ms"].size(), std::size_t(32));
        QCOMPARE(stored["data"]["neurons"][1]["isyn"].get<std::string>(), std::string("Isyn2"));
        QVERIFY(rmm::parseExperimentConfig(stored).training.epochs == 3);

        QFile csv(dir_ + "/out/curves.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QString("epoch,seconds,elapsed_seconds,lr,train_loss,validation_metric"));
        QVERIFY(lines[1].startsWith("0,"));
        QCOMPARE(lines[1].split(',').size(), 6);
        QVERIFY(lines[2].split(',')[2].toDouble() > lines[1].split(',')[2].toDouble());

        json rep = readJson(dir_ + "/out/report.json");
        for (const char* key : {"method", "epochs_run", "train_seconds", "best_epoch", "best_validation",
                                "stop_reason", "validation", "synaptic_current"})
            QVERIFY2(rep.contains(key), key);
        QCOMPARE(rep["method"].get<std::string>(), std::string("tf"));
        QCOMPARE(rep["epochs_run"].get<int>(), 3);
        QCOMPARE(rep["stop_reason"].get<std::string>(), std::string("completed"));
        QVERIFY(rep["train_seconds"].get<double>() > 0);
        QVERIFY(rep["validation"].contains("angular_separation"));
        QCOMPARE(rep["validation"]["per_neuron"].size(), std::size_t(2));
        QCOMPARE(rep["synaptic_current"].size(), std::size_t(2));
        for (int i = 0; i < 2; ++i) {
            const auto& s = rep["synaptic_current"][static_cast<std::size_t>(i)];
            QCOMPARE(s["neuron"].get<int>(), i + 1);
            QVERIFY(s.contains("pearson") && s.contains("nrmse"));
            QVERIFY(std::abs(s["pearson"].get<double>()) <= 1.0);
        }
    }

    /// `--init`: MS warm-started from the TF model of trainWritesModelCurvesReport; the report
    /// names the model started from, the saved config keeps it, and a model of another recording
    /// (other dt) or a missing file is refused before any training.
    void trainInitStartsFromAModel()
    {
        const QString tfModel = dir_ + "/out/model.h5";
        QVERIFY(QFile::exists(tfModel));
        json j = config(2);
        j["training"]["method"] = "ms";
        j["training"]["batches"] = 4;
        writeJson(dir_ + "/exp_ms.json", j);
        Run r = runRmm(
            {"train", "--config", dir_ + "/exp_ms.json", "--out", dir_ + "/out_init", "--init", tfModel});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("starting from " + tfModel), qPrintable(r.out));
        json rep = readJson(dir_ + "/out_init/report.json");
        QCOMPARE(QString::fromStdString(rep["started_from"].get<std::string>()), tfModel);
        QCOMPARE(rep["method"].get<std::string>(), std::string("ms"));
        rmm::ModelFile mf = rmm::loadModel((dir_ + "/out_init/model.h5").toStdString());
        QCOMPARE(QString::fromStdString(json::parse(mf.config_json)["training"]["init"].get<std::string>()),
                 tfModel);

        // The same config naming the model itself (relative to the config's folder).
        j["training"]["init"] = "out/model.h5";
        writeJson(dir_ + "/exp_ms_init.json", j);
        r = runRmm({"train", "--config", dir_ + "/exp_ms_init.json", "--out", dir_ + "/out_init2"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));

        r = runRmm({"train", "--config", dir_ + "/exp_ms.json", "--out", dir_ + "/out_missing", "--init",
                    dir_ + "/no_such_model.h5"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("training.init") && r.err.contains("no_such_model.h5"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir_ + "/out_missing/report.json"));
    }

    void simulateWritesPredictions()
    {
        const QString model = dir_ + "/out/model.h5";
        QVERIFY(QFile::exists(model));
        Run r = runRmm(
            {"simulate", "--model", model, "--config", dir_ + "/exp.json", "--out", dir_ + "/pred.h5"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        rmm::Recording pred = rmm::loadRecording((dir_ + "/pred.h5").toStdString());
        QCOMPARE(pred.trials.size(), std::size_t(1));
        QVERIFY(rmmtest::near(pred.dt_ms, 0.1, 1e-12));
        const auto& t = pred.trials[0];
        QCOMPARE(t.name, std::string("trial1"));
        QCOMPARE(t.length(), kSamples / 4);
        for (const char* ch : {"v1_pred", "v2_pred", "i_int1", "i_leak2", "i_syn_1_2", "i_syn_2_1",
                               "isyn1_pred", "v1", "u2", "isyn2"})
            QVERIFY2(t.find(ch), ch);
        QCOMPARE(t.find("v1_pred")->unit, std::string("mV"));
        QCOMPARE(t.find("i_syn_1_2")->unit, std::string("nA"));
        // The free run starts from the measured voltage.
        QVERIFY(rmmtest::near(t.find("v1_pred")->samples[0], t.find("v1")->samples[0], 1e-9));
        // u was recorded in pA and is written in nA.
        const auto src = rmm::loadRecording((dir_ + "/rec.h5").toStdString());
        QVERIFY(rmmtest::near(t.find("u1")->samples[10], src.trials[0].find("u1")->samples[22500 + 10] / 1000,
                              1e-9));
        for (double x : t.find("v2_pred")->samples)
            QVERIFY(std::isfinite(x));

        r = runRmm({"simulate", "--model", model, "--config", dir_ + "/exp.json", "--out", dir_ + "/all.h5",
                    "--all", "--gamma", "0.1"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        pred = rmm::loadRecording((dir_ + "/all.h5").toStdString());
        QCOMPARE(pred.trials.size(), std::size_t(2));
        QCOMPARE(pred.trials[1].length(), kSamples);

        r = runRmm({"simulate", "--model", model, "--config", dir_ + "/exp.json", "--out", dir_ + "/x.h5",
                    "--gamma", "2"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("--gamma"));
    }

    void observerWritesStateEstimates()
    {
        // --states writes the internal filter states. They must follow Eq. 18 in its dense form,
        // x[k+1] = A x[k] + B v_fed[k], driven by the observer's fed voltage
        // v_fed = gamma v_measured + (1 - gamma) v_pred (docs/method.md section 3.3).
        const QString model = dir_ + "/out/model.h5";
        QVERIFY(QFile::exists(model));
        const rmm::ModelFile mf = rmm::loadModel(model.toStdString());
        const Eigen::MatrixXd A = mf.model.intrinsicBank().denseA();
        const Eigen::VectorXd B = mf.model.intrinsicBank().denseB();
        const long nw = mf.model.intrinsicBank().size();
        for (double gamma : {1.0, 0.5}) {
            const QString out = dir_ + "/states.h5";
            Run r = runRmm({"simulate", "--model", model, "--config", dir_ + "/exp.json", "--out", out,
                            "--gamma", QString::number(gamma), "--states"});
            QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
            const rmm::Recording rec = rmm::loadRecording(out.toStdString());
            const auto& t = rec.trials[0];
            for (int i = 1; i <= 2; ++i) {
                const std::string n = std::to_string(i);
                QVERIFY(t.find("x" + n + "_int" + std::to_string(nw)));
                QVERIFY(!t.find("x" + n + "_int" + std::to_string(nw + 1)));
                QCOMPARE(t.find("x" + n + "_int1")->unit, std::string("mV"));
                QVERIFY(t.find("x" + n + "_syn1")); // the model has lumped synapses
                const auto& vm = t.find("v" + n)->samples;
                const auto& vp = t.find("v" + n + "_pred")->samples;
                for (long k : {0L, 1L, 777L, static_cast<long>(vm.size()) - 2}) {
                    Eigen::VectorXd x(nw), next(nw);
                    for (long q = 0; q < nw; ++q) {
                        x[q] = t.find("x" + n + "_int" + std::to_string(q + 1))
                                   ->samples[static_cast<std::size_t>(k)];
                        next[q] = t.find("x" + n + "_int" + std::to_string(q + 1))
                                      ->samples[static_cast<std::size_t>(k + 1)];
                    }
                    const double fed = gamma * vm[static_cast<std::size_t>(k)] +
                                       (1 - gamma) * vp[static_cast<std::size_t>(k)];
                    const Eigen::VectorXd expect = A * x + B * fed;
                    QVERIFY2((expect - next).norm() <= 1e-9 * (1 + next.norm()),
                             qPrintable(QString("gamma %1 neuron %2 sample %3: |error| %4")
                                            .arg(gamma)
                                            .arg(i)
                                            .arg(k)
                                            .arg((expect - next).norm())));
                }
            }
        }
        // Without --states, no state channels.
        const rmm::Recording plain = rmm::loadRecording((dir_ + "/pred.h5").toStdString());
        QVERIFY(!plain.trials[0].find("x1_int1"));
    }

    void timeLimitEndsNormally()
    {
        // A budget shorter than one mini-batch: one epoch, validated, exit code 0, the limit in
        // the report; durations with units are understood and nonsense is refused.
        Run r = runRmm({"train", "--config", dir_ + "/exp.json", "--out", dir_ + "/limited", "--threads", "1",
                        "--time-limit", "0.001s"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        json rep = readJson(dir_ + "/limited/report.json");
        QCOMPARE(rep["epochs_run"].get<int>(), 1);
        QCOMPARE(rep["time_limited"].get<bool>(), true);
        QCOMPARE(rep["time_limit_s"].get<double>(), 0.001);
        QVERIFY(rep["stop_reason"].get<std::string>().find("time limit reached") != std::string::npos);
        QCOMPARE(rep["best_epoch"].get<int>(), 0);
        // A scheduler's budget (rmm sweep slurm) shortens a longer limit, never lengthens a shorter one.
        r = runRmm({"train", "--config", dir_ + "/exp.json", "--out", dir_ + "/budget", "--threads", "1",
                    "--time-limit", "0.001s", "--time-budget", "1h"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QCOMPARE(readJson(dir_ + "/budget/report.json")["time_limit_s"].get<double>(), 0.001);
        r = runRmm({"train", "--config", dir_ + "/exp.json", "--out", dir_ + "/budget2", "--threads", "1",
                    "--time-budget", "0.002s"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QCOMPARE(readJson(dir_ + "/budget2/report.json")["time_limit_s"].get<double>(), 0.002);
        QCOMPARE(readJson(dir_ + "/budget2/report.json")["time_limited"].get<bool>(), true);
        for (const char* bad : {"ten", "5x", "-3m"}) {
            r = runRmm(
                {"train", "--config", dir_ + "/exp.json", "--out", dir_ + "/bad_limit", "--time-limit", bad});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains("--time-limit"), qPrintable(r.err));
        }
        QVERIFY(!QFileInfo::exists(dir_ + "/bad_limit"));
    }

    void openMpWaitsPassivelyUnlessTold()
    {
        // rmm starts itself again with OMP_WAIT_POLICY=passive when the user set no policy
        // (openmp_wait.hpp); a policy the user set is kept. Arguments survive the re-execution.
        const QStringList bench = {"bench", "--samples", "20000", "--epochs", "2", "--threads", "2"};
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("OMP_WAIT_POLICY");
        env.remove("RMM_KEEP_OMP_WAIT");
        Run r = runRmm(bench, 120000, env);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("OpenMP wait policy passive"), qPrintable(r.out));
        QVERIFY(r.out.contains("20000 training samples"));
        env.insert("OMP_WAIT_POLICY", "active");
        r = runRmm(bench, 120000, env);
        QVERIFY2(r.out.contains("OpenMP wait policy active"), qPrintable(r.out));
        env.remove("OMP_WAIT_POLICY");
        env.insert("RMM_KEEP_OMP_WAIT", "1");
        r = runRmm(bench, 120000, env);
        QVERIFY2(r.out.contains("OpenMP wait policy default"), qPrintable(r.out));
    }

    void configCommandPrintsDefaults()
    {
        Run r = runRmm({"config", "--config", dir_ + "/exp.json", "--check-data"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY(r.err.contains("data ok"));
        json full = json::parse(r.out.toStdString());
        QCOMPARE(full["training"]["batches"].get<int>(), 8);
        QCOMPARE(full["training"]["shot"].get<int>(), 30);
        QCOMPARE(full["model"]["synaptic_taus_ms"].size(), std::size_t(24));

        json j = config(3);
        j["data"]["neurons"][0]["v"] = "v7";
        writeJson(dir_ + "/bad_channel.json", j);
        r = runRmm({"config", "--config", dir_ + "/bad_channel.json", "--check-data"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("'v7'"), qPrintable(r.err));
    }

    void badConfigFailsBeforeWork_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown key") << R"({"training": {"epocs": 3}})"
                                     << "training.epocs";
        QTest::newRow("missing channel")
            << R"({"data": {"neurons": [{"v": "v1", "u": "u1"}, {"v": "v9", "u": "u2"}]}})"
            << "'v9'";
        QTest::newRow("missing trial") << R"({"data": {"trials": ["trial1", "trial7"]}})"
                                       << "'trial7'";
        QTest::newRow("shot too long") << R"({"training": {"method": "ms", "shot": 40000}})"
                                       << "training.shot";
        QTest::newRow("negative batches") << R"({"training": {"batches": -1}})"
                                          << "training.batches";
        QTest::newRow("bad tau") << R"({"model": {"synaptic_taus_ms": [0]}})"
                                 << "model.synaptic_taus_ms[0]";
    }

    void badConfigFailsBeforeWork()
    {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        json j = config(3);
        j.merge_patch(json::parse(patch.toStdString()));
        writeJson(dir_ + "/bad.json", j);
        const QString out = dir_ + "/bad_out";
        Run r = runRmm({"train", "--config", dir_ + "/bad.json", "--out", out}, 60000);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QVERIFY(!r.out.contains("epoch 1/"));
        QVERIFY(!QFile::exists(out)); // nothing written, not even the output folder
    }

    void ctrlCSavesBestSnapshot()
    {
        writeJson(dir_ + "/long.json", config(100000));
        const QString out = dir_ + "/cancel_out";
        QProcess p;
        p.start(kRmm, {"train", "--config", dir_ + "/long.json", "--out", out});
        QVERIFY(p.waitForStarted());
        const QString seen = rmmtest::waitForOutput(p, QStringLiteral("epoch 2/"));
        QVERIFY2(seen.contains("epoch 2/"), qPrintable(seen + QString::fromUtf8(p.readAllStandardError())));
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(QFile::exists(out + "/model.h5"));
        json rep = readJson(out + "/report.json");
        QCOMPARE(rep["stop_reason"].get<std::string>(), std::string("cancelled"));
        QVERIFY(rep["epochs_run"].get<int>() >= 2);
        QVERIFY(rep["epochs_run"].get<int>() < 100000);
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "test_cli_train.moc"
