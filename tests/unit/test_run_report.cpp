// SPDX-License-Identifier: GPL-3.0-or-later
// report.json (engine/run/experiment.hpp): what the writer writes the reader reads back, reports of
// earlier releases (no format/version keys) still read, and a damaged or foreign file is an error
// naming the file and the key. runExperiment on a small dataset fills the report from the result.
#include "common/synthetic_circuit.hpp"
#include "engine/core/error.hpp"
#include "engine/run/experiment.hpp"

#include <nlohmann/json.hpp>

#include <QObject>
#include <QTest>

#include <cmath>

using namespace rmm;
using nlohmann::json;

namespace {

RunReport sample()
{
    RunReport r;
    r.method = "ms";
    r.started_from = "/runs/tf/model.h5";
    r.epochs_run = 12;
    r.epochs_planned = 400;
    r.batches = 96;
    r.train_seconds = 33.5;
    r.best_epoch = 7;
    r.best_validation = 0.625;
    r.stop_reason = "time limit reached (30 s) in epoch 12";
    r.time_limited = true;
    r.time_limit_s = 30;
    r.validation.angular_separation = 0.625;
    r.validation.per_neuron = {0.5, std::numeric_limits<double>::quiet_NaN()};
    r.validation.trial = "trial1";
    r.validation.begin = 900;
    r.validation.end = 1200;
    SynapticCurrentScore s;
    s.neuron = 1;
    s.presynaptic = {0};
    s.metrics.pearson = 0.9;
    s.metrics.nrmse = 0.3;
    s.metrics.amplitude_ratio = 1.1;
    r.synaptic_current = {s};
    r.free_run_checked = true;
    r.free_run.in_range = false;
    r.free_run.seconds = 150;
    r.free_run.problems = {"neuron 2 reaches 80 mV"};
    r.model.neurons = {{3.5, 0.1, -55, 35}, {2.5, 0.2, -60, 12.5}};
    r.model.synapses = {{0, 1, SynapseKind::Conductance, 0.15}, {1, 0, SynapseKind::Lumped, 0}};
    r.data = {"rec.h5", 0.1, 2, 2, 1800};
    r.parameters = 4321;
    r.threads = 2;
    r.warnings = {"a warning"};
    r.rmm_version = "0.1.0";
    return r;
}

QString errorOf(const json& j)
{
    try {
        parseRunReport(j, "runs/a/report.json");
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestRunReport : public QObject {
    Q_OBJECT
  private slots:
    void roundTrip()
    {
        const RunReport in = sample();
        const json j = toJson(in);
        QCOMPARE(j["format"].get<std::string>(), std::string("rmm-run-report"));
        QCOMPARE(j["version"].get<int>(), kRunReportVersion);
        // 1-based neuron numbers in the file, as users count.
        QCOMPARE(j["synaptic_current"][0]["neuron"].get<int>(), 2);
        QCOMPARE(j["synaptic_current"][0]["presynaptic"][0].get<int>(), 1);
        QVERIFY(j["validation"]["per_neuron"][1].is_null());
        const RunReport out = parseRunReport(json::parse(j.dump()), "report.json");
        QCOMPARE(toJson(out).dump(), j.dump());
        QCOMPARE(out.synaptic_current[0].neuron, 1);
        QCOMPARE(out.model.synapses[0].kind, SynapseKind::Conductance);
        QVERIFY(std::isnan(out.validation.per_neuron[1]));
        QCOMPARE(out.started_from, in.started_from);
    }

    void earlierReleasesRead()
    {
        json j = toJson(sample());
        j.erase("format");
        j.erase("version");
        j.erase("started_from");
        j.erase("membrane");
        j.erase("batches");
        const RunReport r = parseRunReport(j, "old/report.json");
        QCOMPARE(r.version, 0);
        QCOMPARE(r.batches, 0);
        QVERIFY(r.started_from.empty());
        QVERIFY(r.model.neurons.empty());
        QCOMPARE(r.best_epoch, 7);
    }

    void damagedOrForeign()
    {
        json j = toJson(sample());
        j["best_validation"] = "high";
        QString e = errorOf(j);
        QVERIFY2(e.startsWith("runs/a/report.json: best_validation is not a number"), qPrintable(e));
        j = toJson(sample());
        j["synaptic_current"][0]["neuron"] = 0;
        e = errorOf(j);
        QVERIFY2(e.contains("synaptic_current[0].neuron is not a neuron number from 1"), qPrintable(e));
        j = toJson(sample());
        j["version"] = kRunReportVersion + 1;
        e = errorOf(j);
        QVERIFY2(e.contains("newer than this release reads"), qPrintable(e));
        j["format"] = "rmm-sweep";
        QVERIFY2(errorOf(j).contains("not a report of rmm train"), qPrintable(errorOf(j)));
        QVERIFY2(errorOf(json::array()).contains("not a JSON object"), qPrintable(errorOf(json::array())));
        try {
            readRunReport("/nonexistent/report.json");
            QFAIL("expected an error");
        } catch (const Error& err) {
            QVERIFY2(QString(err.what()).contains("/nonexistent/report.json"), err.what());
        }
    }

    /// runExperiment fills the report from the training result: the kept model's metric, its
    /// membrane summary, the data's size, the method; and the config as trained.
    void experimentReport()
    {
        Dataset ds = rmmtest::smoothDataset(2, {28000, 20000}, 0.1, 21);
        ds.source = "synthetic";
        ExperimentConfig cfg;
        cfg.model = rmmtest::smallConfig();
        cfg.model.finalize();
        cfg.training.method = TrainingMethod::TeacherForcing;
        cfg.training.epochs = 4;
        cfg.training.batches = 0; // "auto": 48 on 3.6 s of training data, recorded in config and report
        cfg.training.validate_every = 2;
        cfg.training.threads = 1;
        cfg.training.precision = Precision::Float64;
        cfg.training.finalize(true);
        const TrainedRun run = runExperiment(cfg, ds, nullptr);
        const RunReport& r = run.report;
        QCOMPARE(r.method, std::string("tf"));
        QCOMPARE(r.epochs_run, 4);
        QCOMPARE(r.batches, 48);
        QCOMPARE(run.config.training.batches, 48);
        QCOMPARE(r.best_epoch, run.result.best_epoch);
        QCOMPARE(r.best_validation, run.result.best_metric);
        QCOMPARE(r.validation.per_neuron.size(), std::size_t(2));
        QCOMPARE(r.model.neurons.size(), std::size_t(2));
        QCOMPARE(r.data.neurons, 2);
        QCOMPARE(r.data.training_samples, 21000L + 15000L);
        QCOMPARE(r.data.file, std::string("synthetic"));
        QVERIFY(r.started_from.empty());
        QCOMPARE(run.config.training.validation.dt_ms, 0.1);
        QCOMPARE(r.parameters, static_cast<long>(run.result.best.parameterCount()));
    }
};

QTEST_GUILESS_MAIN(TestRunReport)
#include "test_run_report.moc"
