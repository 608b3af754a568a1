// SPDX-License-Identifier: GPL-3.0-or-later
// The experiment config: the paper's defaults, a lossless round trip through JSON, and an error
// naming the key for every kind of bad input.
#include "common/fixtures.hpp"
#include "engine/config/experiment_config.hpp"
#include "engine/core/error.hpp"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QObject>
#include <QTest>

#include <algorithm>
#include <fstream>

using nlohmann::json;

namespace {

json minimal()
{
    return json::parse(R"({"data": {"file": "rec.h5",
        "neurons": [{"v": "v1", "u": "u1"}, {"v": "v2", "u": "u2"}]}})");
}

/// Applies a JSON merge patch to the minimal config and returns the parse error message.
QString errorOf(const json& patch)
{
    json j = minimal();
    j.merge_patch(patch);
    try {
        rmm::parseExperimentConfig(j);
    } catch (const rmm::Error& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

bool sameTraining(const rmm::TrainingConfig& a, const rmm::TrainingConfig& b)
{
    const auto& va = a.validation;
    const auto& vb = b.validation;
    return a.method == b.method && a.epochs == b.epochs && a.schedule == b.schedule && a.rho == b.rho &&
           a.batches == b.batches && a.shuffle == b.shuffle && a.validate_every == b.validate_every &&
           a.seed == b.seed && a.threads == b.threads && a.precision == b.precision && a.shot == b.shot &&
           a.rho_v == b.rho_v && a.rho_x == b.rho_x && a.gamma == b.gamma &&
           a.time_limit_s == b.time_limit_s && va.band_low_hz == vb.band_low_hz &&
           va.band_high_hz == vb.band_high_hz && va.filter_order == vb.filter_order &&
           va.threshold_mV == vb.threshold_mV && va.peak_half_window == vb.peak_half_window &&
           va.kernel_tau_samples == vb.kernel_tau_samples && va.kernel_half_width == vb.kernel_half_width;
}

} // namespace

class TestExperimentConfig : public QObject {
    Q_OBJECT
  private slots:
    void defaultsAreThePapers()
    {
        auto c = rmm::parseExperimentConfig(minimal(), "/base");
        QCOMPARE(c.base_dir, std::string("/base"));
        QCOMPARE(c.data.file, std::string("rec.h5"));
        QVERIFY(c.data.trials.empty());
        QCOMPARE(c.data.train_fraction, 0.75);
        QCOMPARE(c.data.validation_fraction, 0.25);
        QVERIFY(c.data.validation_trial.empty());
        QVERIFY(c.data.prefilter); // on by default, as the reference's HCO scripts (issue 15)
        QCOMPARE(c.data.prefilter_hz, 2000.0);
        QVERIFY(!c.data.neurons[0].isyn);

        // Model: docs/method.md section 2.
        const auto& m = c.model;
        QCOMPARE(m.neurons, 2);
        QCOMPARE(m.synapses.size(), std::size_t(2));
        QVERIFY((m.synapses[0] == rmm::SynapseConfig{1, 0, rmm::SynapseKind::Lumped}));
        QVERIFY((m.synapses[1] == rmm::SynapseConfig{0, 1, rmm::SynapseKind::Lumped}));
        // Time constants written out by hand from docs/method.md: {0.2k} U {2k} U {10+10k} U {200k-100}.
        const std::vector<double> fastSlow = {0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 2,  4,  6,  8,
                                              10,  12,  14,  16,  20,  30,  40,  50,  60, 70, 80, 90};
        const std::vector<double> ultra = {100, 300, 500, 700, 900, 1100, 1300, 1500};
        QCOMPARE(m.synaptic_taus_ms.size(), std::size_t(24));
        QCOMPARE(m.intrinsic_taus_ms.size(), std::size_t(32));
        for (std::size_t k = 0; k < 24; ++k) {
            QVERIFY(rmmtest::near(m.synaptic_taus_ms[k], fastSlow[k], 1e-12));
            QVERIFY(rmmtest::near(m.intrinsic_taus_ms[k], fastSlow[k], 1e-12));
        }
        for (std::size_t k = 0; k < 8; ++k)
            QCOMPARE(m.intrinsic_taus_ms[24 + k], ultra[k]);
        QCOMPARE(m.intrinsic_hidden, (std::vector<int>{20, 20, 20}));
        QCOMPARE(m.lumped_hidden, (std::vector<int>{10, 10, 10}));
        QCOMPARE(m.conductance_hidden, 20);
        QCOMPARE(m.e_syn_mV, -80.0);
        QCOMPARE(m.activation_min_mV, -60.0);
        QCOMPARE(m.activation_max_mV, -40.0);

        // Training: docs/method.md section 3, teacher forcing.
        const auto& t = c.training;
        QVERIFY(t.method == rmm::TrainingMethod::TeacherForcing);
        QCOMPARE(t.epochs, 600);
        QCOMPARE(t.schedule.size(), std::size_t(1));
        QCOMPARE(t.schedule[0].lr, 1e-3);
        QCOMPARE(t.rho, 5e-8);
        QCOMPARE(t.batches, 0); // "auto": 48 for teacher forcing (effectiveBatches)
        QVERIFY(t.capacitance_units);
        QCOMPARE(t.validate_every, 4);
        QCOMPARE(t.average_epochs, 0.0);
        QCOMPARE(c.model.leak_rest_mV, -50.0);
        QVERIFY(c.model.capacitance_nF.empty());
        QVERIFY(!t.shuffle);
        QCOMPARE(t.seed, std::uint64_t(1));
        QCOMPARE(t.threads, 2);
        QVERIFY(t.precision == rmm::Precision::Float32);
        QCOMPARE(t.shot, 30);
        QCOMPARE(t.rho_v, 500.0);
        QCOMPARE(t.rho_x, 500.0);
        QCOMPARE(t.gamma, 0.0);
        QCOMPARE(t.validation.band_low_hz, 20.0);
        QCOMPARE(t.validation.band_high_hz, 500.0);
        QCOMPARE(t.validation.filter_order, 3);
        QCOMPARE(t.validation.threshold_mV, 5.0);
        QCOMPARE(t.validation.peak_half_window, 5);
        QCOMPARE(t.validation.kernel_tau_samples, 500.0);
        QCOMPARE(t.validation.kernel_half_width, 3000);
    }

    void qualitySettings()
    {
        json j = minimal();
        j["model"] = {{"capacitance_nF", {6.5, 5.0}}, {"learn_capacitance", true}, {"leak_rest_mV", -60}};
        j["training"] = {{"current_units", "nA"}, {"select_physiological", true}, {"average_epochs", 5}};
        const auto c = rmm::parseExperimentConfig(j);
        QVERIFY((c.model.capacitance_nF == std::vector<double>{6.5, 5.0}));
        QVERIFY(c.model.learn_capacitance);
        QCOMPARE(c.model.leak_rest_mV, -60.0);
        QVERIFY(!c.training.capacitance_units);
        QVERIFY(c.training.select_physiological);
        QCOMPARE(c.training.average_epochs, 5.0);
        // The printed config reads back the same.
        const auto again = rmm::parseExperimentConfig(rmm::toJson(c));
        QVERIFY(again.model == c.model);
        QVERIFY(!again.training.capacitance_units && again.training.select_physiological);
        QCOMPARE(again.training.average_epochs, 5.0);
        // One number means every neuron; errors name the key.
        j["model"] = {{"capacitance_nF", 4}};
        QVERIFY((rmm::parseExperimentConfig(j).model.capacitance_nF == std::vector<double>{4.0}));
        auto error = [&](const json& bad) {
            try {
                rmm::parseExperimentConfig(bad);
            } catch (const rmm::Error& e) {
                return std::string(e.what());
            }
            return std::string();
        };
        j = minimal();
        j["training"] = {{"current_units", "pA"}};
        QVERIFY(error(j).find("training.current_units") != std::string::npos);
        // The snapshot's criterion and the model to start from.
        j = minimal();
        j["training"] = {{"select_on", "held_out"}, {"init", "runs/tf/model.h5"}};
        const auto s = rmm::parseExperimentConfig(j);
        QVERIFY(s.training.select_held_out);
        QCOMPARE(s.training.init, std::string("runs/tf/model.h5"));
        const auto s2 = rmm::parseExperimentConfig(rmm::toJson(s));
        QVERIFY(s2.training.select_held_out && s2.training.init == s.training.init);
        QVERIFY(!rmm::parseExperimentConfig(minimal()).training.select_held_out);
        j["training"] = {{"select_on", "best"}};
        QVERIFY2(error(j).find("training.select_on = \"best\": expected \"validation\"") != std::string::npos,
                 error(j).c_str());
        j = minimal();
        j["model"] = {{"learn_capacitance", true}};
        QVERIFY(error(j).find("model.learn_capacitance") != std::string::npos);
        j = minimal();
        j["model"] = {{"capacitance_nF", {1, 2, 3}}};
        QVERIFY(error(j).find("model.capacitance_nF") != std::string::npos);
        j = minimal();
        j["training"] = {{"average_epochs", -1}};
        QVERIFY(error(j).find("training.average_epochs") != std::string::npos);
    }

    void methodDefaults()
    {
        json j = minimal();
        j["training"] = {{"method", "ms"}};
        auto ms = rmm::parseExperimentConfig(j).training;
        QCOMPARE(ms.epochs, 800);
        QCOMPARE(ms.rho, 5e-9); // paper section 2.2.2: MS rho 5e-9
        // Paper, Methods: 0.01, 0.005 at epoch 50, 0.0025 at epoch 100; then 0.00125 at 400 of 800.
        const std::vector<rmm::LrStep> msSchedule = {{0, 0.01}, {50, 0.005}, {100, 0.0025}, {400, 0.00125}};
        QVERIFY(ms.schedule == msSchedule);

        j["training"] = {{"method", "gtf"}, {"gamma", 0.05}};
        auto gtf = rmm::parseExperimentConfig(j).training;
        QCOMPARE(gtf.epochs, 300);
        QCOMPARE(gtf.schedule.size(), std::size_t(1));
        QCOMPARE(gtf.schedule[0].lr, 0.01);
        QCOMPARE(gtf.gamma, 0.05);
        QCOMPARE(gtf.rho, 5e-9);

        auto error = [](const json& bad) {
            try {
                rmm::parseExperimentConfig(bad);
            } catch (const rmm::Error& e) {
                return std::string(e.what());
            }
            return std::string();
        };
        // Mini-batches: "auto" (0) unless given, chosen from the data when training starts
        // (effectiveBatches, test_dataset); "auto" and 0 read alike and "auto" is written back.
        QCOMPARE(ms.batches, 0);
        j["training"] = {{"method", "ms"}, {"batches", "auto"}};
        QCOMPARE(rmm::parseExperimentConfig(j).training.batches, 0);
        QCOMPARE(rmm::toJson(rmm::parseExperimentConfig(j))["training"]["batches"], json("auto"));
        j["training"] = {{"method", "ms"}, {"batches", 96}};
        QCOMPARE(rmm::parseExperimentConfig(j).training.batches, 96);
        QCOMPARE(rmm::toJson(rmm::parseExperimentConfig(j))["training"]["batches"], json(96));
        j["training"] = {{"method", "ms"}, {"batches", "many"}};
        QVERIFY(error(j).find("training.batches = \"many\": expected a number") != std::string::npos);
        j["training"] = {{"method", "ms"}, {"batches", -1}};
        QVERIFY(error(j).find("training.batches = -1: needs at least 1 mini-batch per epoch (or \"auto\"") !=
                std::string::npos);

        // Given epochs / lr win over the method's defaults.
        j["training"] = {{"method", "ms"}, {"epochs", 7}, {"lr", 0.02}, {"rho", 1e-6}};
        auto given = rmm::parseExperimentConfig(j).training;
        QCOMPARE(given.epochs, 7);
        QCOMPARE(given.rho, 1e-6);
        QVERIFY((given.schedule == std::vector<rmm::LrStep>{{0, 0.02}}));
    }

    void singleNeuronHasNoSynapses()
    {
        json j = json::parse(R"({"data": {"file": "a.h5", "neurons": [{"v": "v", "u": "i"}]}})");
        auto c = rmm::parseExperimentConfig(j);
        QCOMPARE(c.model.neurons, 1);
        QVERIFY(c.model.synapses.empty());
    }

    void explicitEmptySynapsesMeansUncoupled()
    {
        json j = minimal();
        j["model"] = {{"synapses", json::array()}};
        auto c = rmm::parseExperimentConfig(j);
        QVERIFY(c.model.synapses.empty());
        auto again = rmm::parseExperimentConfig(rmm::toJson(c));
        QVERIFY(again.model.synapses.empty());
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("defaults") << QString::fromStdString(minimal().dump());
        QTest::newRow("everything") << QString(R"({
            "version": 1, "description": "full",
            "data": {"file": "sub/rec.h5", "trials": ["trial2", "trial1"],
                     "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1", "v_unit": "V", "u_unit": "pA", "isyn_unit": "pA"},
                                 {"v": "v2", "u": "u2"}, {"v": "v3", "u": "u3", "isyn": "I3"}],
                     "train_fraction": 0.6, "validation_fraction": 0.3, "validation_trial": "trial1",
                     "prefilter": true, "prefilter_hz": 1500},
            "model": {"neurons": 3, "synapse": "conductance",
                      "synapses": [{"pre": 0, "post": 1}, {"pre": 2, "post": 1, "kind": "lumped"}],
                      "intrinsic_taus_ms": [1, 2.5, 900], "synaptic_taus_ms": [0.5, 7],
                      "intrinsic_hidden": [8, 4], "lumped_hidden": [3], "conductance_hidden": 6,
                      "e_syn_mV": -75, "activation_range_mV": [-55, -35], "gbar_init": 0.5},
            "training": {"method": "gtf", "epochs": 12, "schedule": [{"epoch": 0, "lr": 0.02}, {"epoch": 5, "lr": 0.004}],
                         "rho": 1e-6, "batches": 7, "shuffle": true, "validate_every": 3,
                         "seed": 18446744073709551615, "threads": 1, "time_limit_s": 900.5, "dtype": "float64", "shot": 20,
                         "rho_v": 100, "rho_x": 250, "gamma": 0.025,
                         "validation": {"band_hz": [2, 100], "filter_order": 2, "threshold_mV": 3,
                                        "peak_half_window": 4, "kernel_tau_samples": 250, "kernel_half_width": 1000}}})");
    }

    void roundTrip()
    {
        QFETCH(QString, text);
        auto c = rmm::parseExperimentConfig(json::parse(text.toStdString()), "/x");
        json written = rmm::toJson(c);
        auto back = rmm::parseExperimentConfig(written, "/x");
        QVERIFY(back.data == c.data);
        QVERIFY(back.model == c.model);
        QVERIFY(sameTraining(back.training, c.training));
        QCOMPARE(QString::fromStdString(rmm::toJson(back).dump()), QString::fromStdString(written.dump()));
        // toJson fills every default: each section lists its keys explicitly.
        for (const char* key :
             {"epochs", "schedule", "rho", "batches", "seed", "threads", "dtype", "validation"})
            QVERIFY2(written["training"].contains(key), key);
        for (const char* key : {"synapses", "intrinsic_taus_ms", "synaptic_taus_ms", "intrinsic_hidden"})
            QVERIFY2(written["model"].contains(key), key);
    }

    void everythingParsed()
    {
        // Spot checks of the "everything" row: values arrive in the right fields.
        json j = json::parse(
            R"({"data": {"file": "r.h5", "neurons": [{"v": "a", "u": "b", "isyn": "c", "u_unit": "pA"}]},
            "model": {"synapse": "conductance"},
            "training": {"method": "ms", "seed": 18446744073709551615, "dtype": "float64", "shuffle": true}})");
        auto c = rmm::parseExperimentConfig(j);
        QCOMPARE(*c.data.neurons[0].isyn, std::string("c"));
        QCOMPARE(*c.data.neurons[0].u_unit, std::string("pA"));
        QVERIFY(c.model.default_synapse == rmm::SynapseKind::Conductance);
        QVERIFY(c.training.method == rmm::TrainingMethod::MultipleShooting);
        QCOMPARE(c.training.seed, std::uint64_t(18446744073709551615ULL));
        QVERIFY(c.training.precision == rmm::Precision::Float64);
        QVERIFY(c.training.shuffle);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char* name, const char* patch, QStringList expected) {
            QTest::newRow(name) << QString(patch) << expected;
        };
        row("unknown training key", R"({"training": {"epocs": 5}})",
            {"'training.epocs'", "did you mean 'epochs'", "allowed keys"});
        row("unknown top key", R"({"trainig": {}})", {"'trainig'", "did you mean 'training'"});
        row("unknown neuron key", R"({"data": {"neurons": [{"v": "v1", "u": "u1", "isyn1": "I"}]}})",
            {"'data.neurons[0].isyn1'", "isyn"});
        row("unknown validation key", R"({"training": {"validation": {"band": [1, 2]}}})",
            {"'training.validation.band'"});
        row("unknown synapse key", R"({"model": {"synapses": [{"pre": 0, "post": 1, "type": "lumped"}]}})",
            {"'model.synapses[0].type'"});
        row("missing file", R"({"data": {"file": null}})", {"data.file"});
        row("missing neurons", R"({"data": {"neurons": null}})", {"data.neurons"});
        row("empty neurons", R"({"data": {"neurons": []}})", {"data.neurons"});
        row("neuron without u", R"({"data": {"neurons": [{"v": "v1"}]}})", {"data.neurons[0]", "\"u\""});
        row("channel not string", R"({"data": {"neurons": [{"v": 3, "u": "u1"}]}})",
            {"data.neurons[0].v", "3"});
        row("train fraction 0", R"({"data": {"train_fraction": 0}})", {"data.train_fraction", "0"});
        row("validation fraction > 1", R"({"data": {"validation_fraction": 1.5}})",
            {"data.validation_fraction", "1.5"});
        row("voltage unit override in pA",
            R"({"data": {"neurons": [{"v": "v1", "u": "u1", "v_unit": "pA"}]}})",
            {"data.neurons[0].v_unit", "pA", "voltage"});
        row("unknown unit override",
            R"({"data": {"neurons": [{"v": "v1", "u": "u1", "u_unit": "furlong"}]}})",
            {"data.neurons[0].u_unit", "furlong"});
        row("validation trial not selected", R"({"data": {"trials": ["a", "b"], "validation_trial": "c"}})",
            {"data.validation_trial", "\"c\""});
        row("duplicate trial", R"({"data": {"trials": ["a", "a"]}})", {"data.trials[1]", "twice"});
        row("prefilter cut-off", R"({"data": {"prefilter_hz": -5}})", {"data.prefilter_hz", "-5"});
        row("model neurons disagree", R"({"model": {"neurons": 3}})", {"model.neurons", "3"});
        row("synapse kind", R"({"model": {"synapse": "chemical"}})", {"model.synapse", "chemical"});
        row("synapse pre out of range", R"({"model": {"synapses": [{"pre": 2, "post": 0}]}})",
            {"model.synapses[0].pre", "2"});
        row("self synapse", R"({"model": {"synapses": [{"pre": 1, "post": 1}]}})",
            {"model.synapses[0]", "itself"});
        row("duplicate synapse", R"({"model": {"synapses": [{"pre": 0, "post": 1}, {"pre": 0, "post": 1}]}})",
            {"model.synapses[1]", "twice"});
        row("tau zero", R"({"model": {"intrinsic_taus_ms": [1, 0]}})", {"model.intrinsic_taus_ms[1]", "0"});
        row("tau negative", R"({"model": {"synaptic_taus_ms": [-2]}})", {"model.synaptic_taus_ms[0]", "-2"});
        row("tau not a number", R"({"model": {"synaptic_taus_ms": [1, "x"]}})",
            {"model.synaptic_taus_ms[1]", "\"x\""});
        {
            std::string many = R"({"model": {"intrinsic_taus_ms": [1)";
            for (int k = 0; k < 600; ++k)
                many += ", 1";
            many += "]}}";
            row("too many taus", many.c_str(), {"model.intrinsic_taus_ms", "601", "512"});
        }
        row("hidden width zero", R"({"model": {"intrinsic_hidden": [20, 0]}})",
            {"model.intrinsic_hidden[1]", "0"});
        row("conductance width", R"({"model": {"conductance_hidden": 0}})",
            {"model.conductance_hidden", "0"});
        // Shape limits (README, "Limits"): at most 8 hidden layers of at most 1024 units.
        row("nine layers", R"({"model": {"intrinsic_hidden": [4, 4, 4, 4, 4, 4, 4, 4, 4]}})",
            {"model.intrinsic_hidden", "9 hidden layers", "at most 8"});
        row("wide layer", R"({"model": {"lumped_hidden": [10, 1025]}})",
            {"model.lumped_hidden[1] = 1025", "between 1 and 1024"});
        row("wide conductance", R"({"model": {"conductance_hidden": 4096}})",
            {"model.conductance_hidden = 4096", "1024"});
        row("activation range reversed", R"({"model": {"activation_range_mV": [-40, -60]}})",
            {"model.activation_range_mV", "-40", "-60"});
        row("activation range one value", R"({"model": {"activation_range_mV": [-40]}})",
            {"model.activation_range_mV"});
        row("method", R"({"training": {"method": "adam"}})", {"training.method", "adam"});
        row("epochs zero", R"({"training": {"epochs": 0}})", {"training.epochs", "0"});
        row("epochs fractional", R"({"training": {"epochs": 2.5}})", {"training.epochs", "2.5"});
        row("epochs string", R"({"training": {"epochs": "ten"}})", {"training.epochs", "ten"});
        row("negative batches", R"({"training": {"batches": -3}})", {"training.batches = -3", "or \"auto\""});
        row("shot 1", R"({"training": {"shot": 1}})", {"training.shot", "1"});
        row("gamma above 1", R"({"training": {"method": "gtf", "gamma": 1.5}})", {"training.gamma", "1.5"});
        row("gamma with tf", R"({"training": {"gamma": 0.1}})", {"training.gamma", "tf"});
        row("negative rho", R"({"training": {"rho": -1}})", {"training.rho", "-1"});
        row("negative rho_v", R"({"training": {"rho_v": -1}})", {"training.rho_v", "-1"});
        row("negative rho_x", R"({"training": {"rho_x": -3}})", {"training.rho_x", "-3"});
        row("zero threads", R"({"training": {"threads": 0}})", {"training.threads", "0"});
        row("negative time limit", R"({"training": {"time_limit_s": -60}})",
            {"training.time_limit_s", "-60"});
        row("time limit string", R"({"training": {"time_limit_s": "10m"}})",
            {"training.time_limit_s", "10m"});
        row("zero lr", R"({"training": {"lr": 0}})", {"training.lr", "0"});
        row("lr and schedule", R"({"training": {"lr": 0.1, "schedule": [{"epoch": 0, "lr": 0.1}]}})",
            {"schedule", "lr"});
        row("schedule unsorted",
            R"({"training": {"schedule": [{"epoch": 0, "lr": 0.1}, {"epoch": 9, "lr": 0.1}, {"epoch": 3, "lr": 0.1}]}})",
            {"training.schedule[2]", "sorted"});
        row("schedule late start", R"({"training": {"schedule": [{"epoch": 5, "lr": 0.1}]}})",
            {"training.schedule[0].epoch", "5"});
        row("schedule negative lr", R"({"training": {"schedule": [{"epoch": 0, "lr": -0.1}]}})",
            {"training.schedule[0].lr", "-0.1"});
        row("dtype", R"({"training": {"dtype": "float16"}})", {"training.dtype", "float16"});
        row("shuffle not bool", R"({"training": {"shuffle": 1}})", {"training.shuffle", "1"});
        row("negative seed", R"({"training": {"seed": -1}})", {"training.seed", "-1"});
        row("validate_every zero", R"({"training": {"validate_every": 0}})",
            {"training.validate_every", "0"});
        row("band reversed", R"({"training": {"validation": {"band_hz": [500, 20]}}})",
            {"training.validation.band_hz", "500", "20"});
        row("kernel tau zero", R"({"training": {"validation": {"kernel_tau_samples": 0}}})",
            {"training.validation.kernel_tau_samples", "0"});
        row("version", R"({"version": 2})", {"version", "2"});
        row("data not object", R"({"data": 5})", {"'data'", "object"});
        // Every problem of the training settings at once, one per line (one list of checks).
        row("several at once", R"({"training": {"epochs": 0, "threads": 0, "gamma": 2}})",
            {"training.epochs = 0", "\ntraining.threads = 0", "\ntraining.gamma = 2"});
    }

    void badInput()
    {
        QFETCH(QString, patch);
        QFETCH(QStringList, expected);
        QString msg = errorOf(json::parse(patch.toStdString()));
        QVERIFY2(!msg.isEmpty(), "no error was raised");
        for (const auto& e : expected)
            QVERIFY2(msg.contains(e), qPrintable("message '" + msg + "' lacks '" + e + "'"));
    }

    void exampleConfigsParse()
    {
        for (const char* name : {"demo_tf.json", "demo_ms.json"}) {
            const QString path = QFINDTESTDATA(QString("../../resources/configs/") + name);
            QVERIFY2(!path.isEmpty(), name);
            auto c = rmm::loadExperimentConfig(path.toStdString());
            QCOMPARE(c.data.file, std::string("demo.h5"));
            QCOMPARE(c.data.neurons.size(), std::size_t(2));
            QCOMPARE(*c.data.neurons[1].isyn, std::string("Isyn2"));
            QCOMPARE(c.model.synapses.size(), std::size_t(2));
        }
        auto ms =
            rmm::loadExperimentConfig(QFINDTESTDATA("../../resources/configs/demo_ms.json").toStdString());
        QVERIFY(ms.training.method == rmm::TrainingMethod::MultipleShooting);
        QCOMPARE(ms.training.schedule.size(), std::size_t(3));
    }

    void fileLoading()
    {
        QString dir = rmmtest::scratchDir("experiment_config");
        std::string path = (dir + "/exp.json").toStdString();
        {
            std::ofstream f(path);
            f << "// comments are allowed\n" << minimal().dump(2) << "\n";
        }
        auto c = rmm::loadExperimentConfig(path);
        QCOMPARE(QString::fromStdString(c.base_dir), QDir(dir).absolutePath());

        try {
            rmm::loadExperimentConfig((dir + "/missing.json").toStdString());
            QFAIL("no error for a missing file");
        } catch (const rmm::Error& e) {
            QVERIFY(QString(e.what()).contains("missing.json"));
        }
        {
            std::ofstream f(path);
            f << "{\"data\": {\"file\": \"x\",\n \"neurons\": [}";
        }
        try {
            rmm::loadExperimentConfig(path);
            QFAIL("no error for broken JSON");
        } catch (const rmm::Error& e) {
            QVERIFY(QString(e.what()).contains("exp.json"));
            QVERIFY(QString(e.what()).contains("not valid JSON"));
        }
        // Issue 16: a number beyond a double's range names its key and says it is too large.
        for (const auto& [text, key] :
             {std::pair<const char*, const char*>{
                  R"({"data": {"file": "x", "neurons": [{"v": "a", "u": "b"}]},
                                                    "training": {"lr": 1e400}})",
                  "training.lr"},
              {R"({"data": {"file": "x", "neurons": [{"v": "a", "u": "b"}]},
                   "training": {"schedule": [{"epoch": 0, "lr": 0.1}, {"epoch": 5, "lr": -1e999}]}})",
               "training.schedule[1].lr"},
              {R"({"model": {"intrinsic_taus_ms": [1, 2, 3e500]}})", "model.intrinsic_taus_ms[2]"}}) {
            {
                std::ofstream f(path);
                f << text;
            }
            try {
                rmm::loadExperimentConfig(path);
                QFAIL("no error for 1e400");
            } catch (const rmm::Error& e) {
                const QString m = e.what();
                QVERIFY2(m.contains("exp.json") && m.contains(QString(key) + ": the number is too large"),
                         qPrintable(m));
            }
        }
        // Nesting deeper than 64 levels is refused while parsing (no recursion over 70 000
        // levels, which overflowed the stack); 64 levels parse (and fail on the key instead).
        for (int depth : {64, 65, 70000}) {
            {
                std::ofstream f(path);
                f << R"({"data": {"file": "x", "neurons": [{"v": "a", "u": "b"}]}, "description": )"
                  << std::string(static_cast<std::size_t>(depth - 1), '[')
                  << std::string(static_cast<std::size_t>(depth - 1), ']') << "}";
            }
            try {
                rmm::loadExperimentConfig(path);
                QFAIL("no error for a nested description");
            } catch (const rmm::Error& e) {
                const QString m = e.what();
                if (depth <= 64)
                    QVERIFY2(m.contains("description: expected a string"), qPrintable(m));
                else
                    QVERIFY2(m.contains("exp.json") && m.contains("more than 64 levels deep") &&
                                 m.contains("(at description[0]"),
                             qPrintable(m));
            }
        }
        {
            std::ofstream f(path);
            f << R"({"data": {"file": "x", "neurons": [{"v": "a", "u": "b"}]}, "training": {"epocs": 3}})";
        }
        try {
            rmm::loadExperimentConfig(path);
            QFAIL("no error for an unknown key");
        } catch (const rmm::Error& e) {
            QVERIFY(QString(e.what()).contains("exp.json"));
            QVERIFY(QString(e.what()).contains("training.epocs"));
        }
    }

    void oneListOfKeysForTheParserAndTheFrontEnds()
    {
        // The parser refuses exactly what configKeys does not list, and names the list.
        const std::vector<std::string> paths = rmm::configKeyPaths();
        auto has = [&](const char* p) { return std::find(paths.begin(), paths.end(), p) != paths.end(); };
        QVERIFY(has("training.validation.window_s"));
        QVERIFY(has("training.schedule[].lr"));
        QVERIFY(has("data.neurons[].v_unit"));
        QVERIFY(has("model.activation_range_mV"));
        QVERIFY(!has("training.validation")); // an object, not a value
        QVERIFY(!has("training.precision"));
        QVERIFY_THROWS_EXCEPTION(rmm::Error, rmm::configKeys("training.nothing"));
        auto j = minimal();
        j["training"]["precision"] = "float64";
        try {
            rmm::parseExperimentConfig(j, "/base");
            QFAIL("no error for training.precision");
        } catch (const rmm::Error& e) {
            const QString why = e.what();
            QVERIFY(why.contains(QStringLiteral("training.precision")));
            for (const std::string& key : rmm::configKeys("training"))
                QVERIFY2(why.contains(QString::fromStdString(key)), key.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestExperimentConfig)
#include "test_experiment_config.moc"
