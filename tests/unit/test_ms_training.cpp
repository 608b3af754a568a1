// SPDX-License-Identifier: GPL-3.0-or-later
// Multiple shooting / GTF training (docs/method.md sections 3.2-3.3): GTF with gamma = 0 is MS, MS
// lowers its loss and validates, the lazy shot optimiser touches only its mini-batch, mini-batches
// partition the shots inside training segments, bad settings are refused, divergence stops cleanly.
#include "common/fixtures.hpp"
#include "common/synthetic_circuit.hpp"
#include "engine/core/error.hpp"
#include "engine/model/training_samples.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/store/model_file.hpp"
#include "engine/train/initial_model.hpp"
#include "engine/train/multiple_shooting.hpp"
#include "engine/train/trainer.hpp"

#include <QtTest>

#include <cmath>

using namespace rmm;

namespace {

Dataset trainingData()
{
    return rmmtest::smoothDataset(2, {28000, 20000}, 0.1, 21);
}

TrainingConfig msConfig()
{
    TrainingConfig t;
    t.method = TrainingMethod::MultipleShooting;
    t.epochs = 10;
    t.batches = 6;
    t.shot = 10;
    t.schedule = {{0, 1e-2}, {6, 5e-3}};
    t.seed = 3;
    t.threads = 2;
    t.validate_every = 5;
    t.precision = Precision::Float64;
    return t;
}

void expectError(const TrainingConfig& t, const char* needle)
{
    try {
        train(trainingData(), rmmtest::smallConfig(), t);
        QFAIL(qPrintable(QString("expected an error mentioning '%1'").arg(needle)));
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(needle), e.what());
    }
}

} // namespace

class TestMsTraining : public QObject {
    Q_OBJECT
  private slots:
    void gtfWithGammaZeroIsMs();
    void lossDecreasesAndValidates();
    void gtfTrains();
    void onlyTouchedShotsChange();
    void batchesPartitionShots();
    void badSettings();
    void divergenceKeepsBestSnapshot();
    void observerStatesMatchShotInitialisation();
    void warmStartFromModelFile();
};

void TestMsTraining::gtfWithGammaZeroIsMs()
{
    const Dataset data = trainingData();
    TrainingConfig a = msConfig();
    a.epochs = 3;
    TrainingConfig b = a;
    b.method = TrainingMethod::GeneralizedTeacherForcing;
    b.gamma = 0;
    const TrainingResult ra = train(data, rmmtest::smallConfig(), a);
    const TrainingResult rb = train(data, rmmtest::smallConfig(), b);
    QCOMPARE(ra.curves.size(), rb.curves.size());
    for (std::size_t k = 0; k < ra.curves.size(); ++k)
        QCOMPARE(ra.curves[k].train_loss, rb.curves[k].train_loss); // bitwise
    QVERIFY(ra.best.flatParameters() == rb.best.flatParameters());
    // A positive gamma changes the problem.
    b.gamma = 0.2;
    const TrainingResult rc = train(data, rmmtest::smallConfig(), b);
    QVERIFY(rc.curves.front().train_loss != ra.curves.front().train_loss);
}

void TestMsTraining::lossDecreasesAndValidates()
{
    const Dataset data = trainingData();
    TrainingConfig t = msConfig();
    t.precision = Precision::Float32;
    ModelConfig m = rmmtest::smallConfig();
    m.leak_rest_mV = 0; // start far from the fit (leak current -g x 55 mV): the loss must halve
    const TrainingResult r = train(data, m, t);
    QCOMPARE(r.stop, rmm::StopReason::Completed);
    QCOMPARE(r.epochs_run, 10);
    QVERIFY2(r.curves.back().train_loss < 0.5 * r.curves.front().train_loss,
             qPrintable(
                 QString("loss %1 -> %2").arg(r.curves.front().train_loss).arg(r.curves.back().train_loss)));
    QVERIFY(std::isfinite(r.curves[4].validation_metric));
    QVERIFY(std::isnan(r.curves[3].validation_metric));
    QVERIFY(r.best_epoch == 4 || r.best_epoch == 9);
    QVERIFY(std::isfinite(r.best_metric) && r.best_metric >= 0 && r.best_metric <= 1);
    QVERIFY(r.best.normalisationFrozen());
    QCOMPARE(r.curves[0].lr, 1e-2);
    QCOMPARE(r.curves[7].lr, 5e-3);
}

void TestMsTraining::gtfTrains()
{
    const Dataset data = trainingData();
    TrainingConfig t = msConfig();
    t.method = TrainingMethod::GeneralizedTeacherForcing;
    t.gamma = 0.1;
    t.schedule.clear(); // GTF default: fixed 0.01
    t.epochs = 6;
    const TrainingResult r = train(data, rmmtest::smallConfig(), t);
    QCOMPARE(r.curves[5].lr, 1e-2);
    QVERIFY(r.curves.back().train_loss < r.curves.front().train_loss);
}

void TestMsTraining::onlyTouchedShotsChange()
{
    const Dataset data = trainingData();
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), data.dt_ms, 1);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<float> prob(data, model, 10, 0.0, 1);
    const int P = prob.stateSize();
    const auto batches = prob.makeBatches(6);
    const ShotBatch b = batches[2];
    const std::vector<float> before = prob.shotStates();
    std::vector<double> g;
    std::vector<float> gs(static_cast<std::size_t>(b.length() * P));
    prob.evaluate(model.flatParameters(), b, 0, 500, 500, &g, gs.data());
    ShotAdam<float> opt(prob.shots(), P);
    opt.step(prob.shotStates(), b, gs.data(), 1e-2);
    const auto& after = prob.shotStates();
    long changedInside = 0;
    for (long n = 0; n < prob.shots(); ++n) {
        const bool inside = n >= b.begin && n < b.end;
        QCOMPARE(opt.steps(n), inside ? 1 : 0);
        for (int q = 0; q < P; ++q) {
            const auto k = static_cast<std::size_t>(n * P + q);
            if (!inside)
                QCOMPARE(after[k], before[k]);
            else if (after[k] != before[k])
                ++changedInside;
        }
    }
    QVERIFY(changedInside > b.length()); // voltages and states of the batch moved
    // First Adam step moves every coordinate with a non-zero gradient by ~lr.
    for (long n = 0; n < b.length(); ++n) {
        const auto k = static_cast<std::size_t>((b.begin + n) * P);
        if (gs[static_cast<std::size_t>(n * P)] != 0.0f)
            QVERIFY(std::abs(std::abs(after[k] - before[k]) - 1e-2f) < 1e-4f);
    }
}

void TestMsTraining::batchesPartitionShots()
{
    const Dataset data = trainingData();
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), data.dt_ms, 1);
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<float> prob(data, model, 25, 0.0, 1);
    // Two training segments (21000 and 15000 samples) give two ranges of shots.
    const auto batches = prob.makeBatches(7);
    QVERIFY(batches.size() >= 6 && batches.size() <= 8); // per segment: round(7 * share), at least 1
    long next = 0;
    for (const auto& b : batches) {
        QCOMPARE(b.begin, next);
        QVERIFY(b.length() >= 1);
        next += b.length();
    }
    QCOMPARE(next, prob.shots());
    std::vector<double> g;
    // A batch straddling the two segments is refused.
    const ShotBatch straddle{batches[3].begin, batches[5].end};
    bool threw = false;
    try {
        prob.evaluate(model.flatParameters(), straddle, 0, 1, 1, &g, nullptr);
    } catch (const Error&) {
        threw = true;
    }
    QVERIFY(threw);
}

void TestMsTraining::badSettings()
{
    TrainingConfig t = msConfig();
    t.shot = 1;
    expectError(t, "shot");
    t.shot = 100000;
    expectError(t, "shot");
    t = msConfig();
    t.method = TrainingMethod::GeneralizedTeacherForcing;
    t.gamma = -0.1;
    expectError(t, "gamma");
    t.gamma = 1.5;
    expectError(t, "gamma");
    t = msConfig();
    t.rho_v = -1;
    expectError(t, "rho_v");
    t = msConfig();
    t.rho_x = -1;
    expectError(t, "rho_x");
    t = msConfig();
    t.batches = 1000000;
    expectError(t, "batches");
    const Dataset data = trainingData();
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), data.dt_ms, 1);
    QVERIFY_THROWS_EXCEPTION(Error, MsProblem<double>(data, model, 10, 2.0, 1));
    QVERIFY_THROWS_EXCEPTION(Error, MsProblem<double>(data, model, 0, 0.0, 1));
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<double> p(data, model, 10, 0.0, 1);
    QVERIFY_THROWS_EXCEPTION(Error, p.evaluate(model.flatParameters(), {0, 5}, 0, -1, 1, nullptr, nullptr));
}

void TestMsTraining::divergenceKeepsBestSnapshot()
{
    const Dataset data = trainingData();
    TrainingConfig t = msConfig();
    t.precision = Precision::Float32;
    t.validate_every = 1;
    t.epochs = 20;
    t.schedule = {{0, 1e-3}, {1, 1e20}};
    const TrainingResult r = train(data, rmmtest::smallConfig(), t);
    QCOMPARE(r.stop, rmm::StopReason::Diverged);
    QVERIFY2(r.stop_message.find("diverged") != std::string::npos, r.stop_message.c_str());
    QVERIFY(r.epochs_run < 20);
    QCOMPARE(r.best_epoch, 0);
    QVERIFY(r.best.finite());
    QVERIFY(std::isfinite(r.best_metric));
}

void TestMsTraining::observerStatesMatchShotInitialisation()
{
    // The observer with gamma = 1 drives every bank with measured voltage, exactly as the shot
    // initial conditions are computed (warm-up, then the banks run on measured data): its state
    // estimates at each shot start equal the untrained shot states.
    const Dataset data = rmmtest::smoothDataset(2, {3000}, 0.1, 33);
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), data.dt_ms, 2);
    const int s = 12;
    model.freezeNormalisation(data); // the trainers compute it before (rmm::train)
    MsProblem<double> prob(data, model, s, 0.0, 1);
    const auto r = trainingRanges(model, data, nullptr).at(0);
    QCOMPARE(r.begin, r.lead_in); // segment starts at 0: the warm-up windows coincide
    SimulationOptions o;
    o.gamma = 1.0;
    o.record_states = true;
    const auto sim = simulate(model, data, Segment{0, r.begin, r.end}, o);
    QCOMPARE(sim.states.size(), std::size_t(2));
    const int nw = model.intrinsicBank().size(), nz = model.synapticBank().size();
    const int P = prob.stateSize();
    QCOMPARE(P, 2 + 2 * nw + nz + model.conductanceBank().size());
    // Every neuron's rows: its intrinsic bank, then the model's synaptic cascade and conductance
    // low-passes (mixed synapses: both), named for the files rmm simulate --states writes.
    const int nc = model.conductanceBank().size();
    QCOMPARE(sim.state_names.size(), std::size_t(nw + nz + nc));
    QCOMPARE(sim.states[1].rows(), static_cast<Eigen::Index>(sim.state_names.size()));
    QCOMPARE(sim.state_names.front(), std::string("int1"));
    QCOMPARE(sim.state_names[static_cast<std::size_t>(nw)], std::string("syn1"));
    QCOMPARE(sim.state_names[static_cast<std::size_t>(nw + nz)], std::string("cond1"));
    QCOMPARE(sim.state_names.back(), "cond" + std::to_string(nc));
    double worst = 0;
    for (long n = 0; n < prob.shots(); ++n) {
        const double* x = prob.shotStates().data() + n * P;
        const long t = n * s;
        QCOMPARE(x[0], data.trials[0].v(0, r.begin + t));
        // Layout: v0 v1 | neuron 0: w, z (sends the lumped synapse) | neuron 1: w, c (conductance).
        for (int k = 0; k < nw; ++k) {
            worst = std::max(worst, std::abs(x[2 + k] - sim.states[0](k, t)));
            worst = std::max(worst, std::abs(x[2 + nw + nz + k] - sim.states[1](k, t)));
        }
        for (int k = 0; k < nz; ++k)
            worst = std::max(worst, std::abs(x[2 + nw + k] - sim.states[0](nw + k, t)));
        for (int k = 0; k < model.conductanceBank().size(); ++k)
            worst = std::max(worst, std::abs(x[2 + 2 * nw + nz + k] - sim.states[1](nw + nz + k, t)));
    }
    QVERIFY2(worst < 1e-9, qPrintable(QString("largest state difference %1").arg(worst)));
}

/// training.init (docs/method.md section 3.2: the reference warm-starts MS from its best TF model): the
/// model of the file, its settings and its normalisation are what training starts from; a file
/// that does not fit the data is refused naming it.
void TestMsTraining::warmStartFromModelFile()
{
    const Dataset data = trainingData();
    TrainingConfig tf = msConfig();
    tf.method = TrainingMethod::TeacherForcing;
    tf.epochs = 3;
    ModelConfig mc = rmmtest::smallConfig();
    mc.finalize();
    const TrainingResult first = train(data, mc, tf);
    const QString dir = rmmtest::scratchDir("warm_start");
    const std::string path = (dir + "/tf.h5").toStdString();
    saveModel(path, first.best);

    ExperimentConfig cfg;
    cfg.model = mc;
    cfg.model.conductance_hidden = 7; // differs from the file: the file's settings win, with a warning
    cfg.training = msConfig();
    cfg.training.init = "tf.h5";
    cfg.base_dir = dir.toStdString();
    QCOMPARE(initModelPath(cfg), path);
    std::vector<std::string> warnings;
    const CircuitModel start = startingModel(cfg, data, &warnings);
    QVERIFY(start.flatParameters() == first.best.flatParameters());
    QVERIFY(cfg.model == first.best.config());
    QCOMPARE(start.normalisation().front().v_lo, first.best.normalisation().front().v_lo);
    QCOMPARE(warnings.size(), std::size_t(1));
    QVERIFY2(QString::fromStdString(warnings[0]).contains("model section is not used"), warnings[0].c_str());

    // Settings that steer training only (a measured capacitance kept fixed) come from the config
    // stored in the file.
    {
        ExperimentConfig stored;
        stored.data.file = "rec.h5";
        stored.data.neurons = {{"v1", "u1", {}, {}, {}, {}}, {"v2", "u2", {}, {}, {}, {}}};
        stored.model = mc;
        stored.model.capacitance_nF = {6.28};
        saveModel((dir + "/tf_with_config.h5").toStdString(), first.best, toJson(stored).dump());
        ExperimentConfig c = cfg;
        c.training.init = "tf_with_config.h5";
        const CircuitModel s = startingModel(c, data, nullptr);
        QVERIFY(c.model.capacitance_nF == std::vector<double>{6.28});
        QVERIFY(!c.model.learn_capacitance);
        QVERIFY(s.config() == c.model);
        QVERIFY(s.flatParameters() == first.best.flatParameters());
    }

    // Training on from it stays near it at a tiny learning rate; a new model of the seed does not.
    cfg.training.schedule = {{0, 1e-9}};
    cfg.training.epochs = 1;
    const TrainingResult on = train(data, start, cfg.training);
    const CircuitModel fresh = CircuitModel::initialize(cfg.model, data.dt_ms, cfg.training.seed);
    double fromStart = 0, fromFresh = 0;
    for (std::size_t p = 0; p < start.flatParameters().size(); ++p) {
        fromStart = std::max(fromStart, std::abs(on.last.flatParameters()[p] - start.flatParameters()[p]));
        fromFresh = std::max(fromFresh, std::abs(fresh.flatParameters()[p] - start.flatParameters()[p]));
    }
    QVERIFY2(fromStart < 1e-5, qPrintable(QString::number(fromStart)));
    QVERIFY2(fromFresh > 1e-2, qPrintable(QString::number(fromFresh)));

    auto refused = [&](const Dataset& d, const std::string& init, const char* needle) {
        ExperimentConfig c = cfg;
        c.training.init = init;
        try {
            (void)startingModel(c, d, nullptr);
            QFAIL(qPrintable(QString("expected an error mentioning '%1'").arg(needle)));
        } catch (const Error& e) {
            const QString what = e.what();
            QVERIFY2(what.startsWith("training.init: ") && what.contains(needle), e.what());
        }
    };
    refused(rmmtest::smoothDataset(3, {28000}, 0.1, 2), "tf.h5",
            "models 2 neuron(s); the data section maps 3");
    refused(rmmtest::smoothDataset(2, {28000}, 0.05, 2), "tf.h5", "sampling interval of 0.1 ms");
    refused(data, "missing.h5", "missing.h5");
}

QTEST_GUILESS_MAIN(TestMsTraining)
#include "test_ms_training.moc"
