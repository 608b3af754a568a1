// SPDX-License-Identifier: GPL-3.0-or-later
// Divergence is recognised, not only NaN (issue 16): a learning rate far too large stops TF, MS
// and GTF with a stop reason starting "diverged" within the first epochs and keeps a sane best
// snapshot; a normal rate completes; an epoch whose training loss grows 1000x over the lowest
// so far stops (with the snapshot of that lowest epoch kept); a capacitance beyond 1e6 nF stops;
// an allocation too large for the machine is an error naming what was being allocated.
// Simulation: a model with a non-finite parameter or normalisation is refused; a run whose
// state turns non-finite stops there and says at which sample and neuron.
#include "common/synthetic_circuit.hpp"
#include "engine/core/error.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/train/epoch_loop.hpp"
#include "engine/train/trainer.hpp"

#include <QtTest>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <limits>

using namespace rmm;

namespace {

Dataset data()
{
    return rmmtest::smoothDataset(2, {6000, 4000}, 0.1, 21);
}

TrainingConfig config(TrainingMethod m, double lr)
{
    TrainingConfig t;
    t.method = m;
    t.epochs = 10;
    t.batches = 4;
    t.schedule = {{0, lr}};
    t.seed = 4;
    t.threads = 1;
    t.validate_every = 2;
    t.shot = 8;
    t.gamma = 0.2;
    t.validation.kernel_half_width = 300;
    return t;
}

bool startsWith(const std::string& s, const char* prefix)
{
    return s.rfind(prefix, 0) == 0;
}

/// A stepper with scripted losses: loss(epoch) for every mini-batch, and a constant gradient
/// (Adam then moves every parameter by about -lr per step, or only the `only` parameter).
class ScriptedStepper final : public detail::BatchStepper {
  public:
    ScriptedStepper(std::vector<double> losses, std::size_t params, long only = -1)
        : losses_(std::move(losses)), params_(params), only_(only)
    {
    }
    int batches() const override { return 2; }
    void beginEpoch(std::mt19937_64&) override { ++epoch_; }
    double evaluate(int, const std::vector<double>&, std::vector<double>& grad, bool&) override
    {
        grad.assign(params_, only_ < 0 ? 1.0 : 0.0);
        if (only_ >= 0)
            grad[static_cast<std::size_t>(only_)] = 1.0;
        return losses_[static_cast<std::size_t>(std::min<int>(epoch_, static_cast<int>(losses_.size())) - 1)];
    }

  private:
    std::vector<double> losses_;
    std::size_t params_;
    long only_;
    int epoch_ = 0;
};

} // namespace

class TestDivergence : public QObject {
    Q_OBJECT
  private slots:
    void hugeLearningRatesDiverge_data();
    void hugeLearningRatesDiverge();
    void normalLearningRateCompletes_data();
    void normalLearningRateCompletes();
    void lossGrowthStops();
    void lossWithinTheFactorContinues();
    void capacitanceBeyondBoundStops();
    void parameterProblemNamesTheParameter();
    void allocationFailureNamesWhat();
    void simulateRefusesNonFiniteModel();
    void simulationStopsWhereItDiverges();
};

void TestDivergence::hugeLearningRatesDiverge_data()
{
    QTest::addColumn<int>("method");
    QTest::addColumn<double>("lr");
    for (auto m : {TrainingMethod::TeacherForcing, TrainingMethod::MultipleShooting,
                   TrainingMethod::GeneralizedTeacherForcing})
        for (double lr : {10.0, 1e30})
            QTest::addRow("%s lr %g", toString(m), lr) << static_cast<int>(m) << lr;
}

void TestDivergence::hugeLearningRatesDiverge()
{
    QFETCH(int, method);
    QFETCH(double, lr);
    const auto m = static_cast<TrainingMethod>(method);
    const TrainingResult r = train(data(), rmmtest::smallConfig(), config(m, lr));
    QCOMPARE(r.stop, rmm::StopReason::Diverged);
    QVERIFY2(startsWith(r.stop_message, "diverged: "), r.stop_message.c_str());
    QVERIFY2(r.stop_message.find("training.lr = ") != std::string::npos, r.stop_message.c_str());
    QVERIFY(r.epochs_run <= 3);
    // The kept model is sane: finite, every parameter within the bound (an independent scan).
    for (double x : r.best.flatParameters())
        QVERIFY(std::isfinite(x) && std::abs(x) <= 1e4);
    QVERIFY(r.best.parameterProblem(r.best.flatParameters()).empty());
    QVERIFY(1.0 / r.best.invCap(0) < 1e6 && 1.0 / r.best.invCap(1) < 1e6);
}

void TestDivergence::normalLearningRateCompletes_data()
{
    QTest::addColumn<int>("method");
    for (auto m : {TrainingMethod::TeacherForcing, TrainingMethod::MultipleShooting,
                   TrainingMethod::GeneralizedTeacherForcing})
        QTest::addRow("%s", toString(m)) << static_cast<int>(m);
}

void TestDivergence::normalLearningRateCompletes()
{
    QFETCH(int, method);
    const TrainingResult r =
        train(data(), rmmtest::smallConfig(), config(static_cast<TrainingMethod>(method), 1e-2));
    QCOMPARE(r.stop, rmm::StopReason::Completed);
    QCOMPARE(r.epochs_run, 10);
    QVERIFY(r.best.parameterProblem(r.best.flatParameters()).empty());
}

void TestDivergence::lossGrowthStops()
{
    // Epoch means 1, 0.5, 0.6, 600: 600 > 1000 x 0.5 stops at epoch 4, naming 0.5 (epoch 2).
    const Dataset d = data();
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), d.dt_ms, 1);
    model.freezeNormalisation(d);
    const std::vector<double> theta0 = model.flatParameters();
    TrainingConfig c = config(TrainingMethod::TeacherForcing, 1e-3);
    c.validate_every = 100; // nothing validated before the divergence
    c.capacitance_units = false;
    c.schedule = {{0, 1e-3}};
    ScriptedStepper st({1.0, 0.5, 0.6, 600.0, 1.0}, theta0.size());
    const TrainingResult r =
        detail::runEpochs(d, model, c, nullptr, st, 1, std::chrono::steady_clock::now(), {});
    QCOMPARE(r.stop, rmm::StopReason::Diverged);
    QVERIFY2(startsWith(r.stop_message, "diverged: training loss grew from 0.5 (epoch 2) to 600 at epoch 4"),
             r.stop_message.c_str());
    QCOMPARE(r.epochs_run, 4);
    QCOMPARE(r.best_epoch, -1);
    // Kept: the parameters at the end of epoch 2 (the lowest loss): 4 Adam steps of a constant
    // unit gradient, each -lr / (1 + 1e-8).
    const double step = 1e-3 / (1 + 1e-8);
    for (std::size_t p = 0; p < theta0.size(); ++p)
        QVERIFY(std::abs(r.best.flatParameters()[p] - (theta0[p] - 4 * step)) < 1e-12);
}

void TestDivergence::lossWithinTheFactorContinues()
{
    // 400 < 1000 x 0.5: a bad epoch, not a divergence.
    const Dataset d = data();
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), d.dt_ms, 1);
    model.freezeNormalisation(d);
    TrainingConfig c = config(TrainingMethod::TeacherForcing, 1e-3);
    c.epochs = 5;
    c.validate_every = 100;
    ScriptedStepper st({1.0, 0.5, 0.6, 400.0, 1.0}, model.flatParameters().size());
    const TrainingResult r =
        detail::runEpochs(d, model, c, nullptr, st, 1, std::chrono::steady_clock::now(), {});
    QCOMPARE(r.stop, rmm::StopReason::Completed);
    QCOMPARE(r.epochs_run, 5);
}

void TestDivergence::capacitanceBeyondBoundStops()
{
    // Only a (1/C = softplus(a)) of neuron 1 moves, by -10 per step: C = 1 / softplus(a) passes
    // 1e6 nF when a < log(expm1(1e-6)) = -13.8, long before |a| reaches 1e4.
    const Dataset d = data();
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), d.dt_ms, 1);
    model.freezeNormalisation(d);
    const long a = model.blocks()[static_cast<std::size_t>(model.neuronIndex(0).a)].offset;
    const double a0 = model.flatParameters()[static_cast<std::size_t>(a)];
    TrainingConfig c = config(TrainingMethod::TeacherForcing, 10);
    c.capacitance_units = false;
    ScriptedStepper st({1.0}, model.flatParameters().size(), a);
    const TrainingResult r =
        detail::runEpochs(d, model, c, nullptr, st, 1, std::chrono::steady_clock::now(), {});
    QCOMPARE(r.stop, rmm::StopReason::Diverged);
    QVERIFY2(startsWith(r.stop_message, "diverged: the membrane capacitance of neuron 1 reached"),
             r.stop_message.c_str());
    // Steps of -10 from a0: the first a below -13.8 is the step that stops.
    const int steps = static_cast<int>(std::floor((a0 - std::log(std::expm1(1e-6))) / 10)) + 1;
    const int epoch = (steps - 1) / 2 + 1, batch = (steps - 1) % 2 + 1;
    QVERIFY2(r.stop_message.find("at epoch " + std::to_string(epoch) + ", mini-batch " +
                                 std::to_string(batch)) != std::string::npos,
             r.stop_message.c_str());
    QVERIFY(1.0 / r.best.invCap(0) <= 1e6);
}

void TestDivergence::parameterProblemNamesTheParameter()
{
    const Dataset d = data();
    CircuitModel model = CircuitModel::initialize(rmmtest::smallConfig(), d.dt_ms, 1);
    std::vector<double> theta = model.flatParameters();
    QVERIFY(model.parameterProblem(theta).empty());
    const long b = model.blocks()[static_cast<std::size_t>(model.neuronIndex(1).b)].offset;
    theta[static_cast<std::size_t>(b)] = 2e4;
    QVERIFY2(model.parameterProblem(theta).find("neuron1/b[0] reached 2e+04") != std::string::npos,
             model.parameterProblem(theta).c_str());
    theta[static_cast<std::size_t>(b)] = std::numeric_limits<double>::quiet_NaN();
    QVERIFY2(model.parameterProblem(theta).find("not a finite number") != std::string::npos,
             model.parameterProblem(theta).c_str());
}

void TestDivergence::allocationFailureNamesWhat()
{
    // 8 neurons, all-to-all lumped synapses, 8 layers of 1024: 64 MLPs of ~8.4 M parameters, about
    // 4.3 GB per copy. In a child with a 2 GB address-space limit the allocation fails; the error
    // names the parameters rather than std::bad_alloc.
    ModelConfig m = rmmtest::allToAllCircuit(8, 0);
    m.intrinsic_hidden = std::vector<int>(8, 1024);
    m.lumped_hidden = std::vector<int>(8, 1024);
    const Dataset d = rmmtest::smoothDataset(8, {4000}, 0.1, 3);
    const pid_t pid = fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
        rlimit lim{2UL << 30, 2UL << 30};
        setrlimit(RLIMIT_AS, &lim);
        int code = 3;
        try {
            train(d, m, config(TrainingMethod::TeacherForcing, 1e-3));
        } catch (const Error& e) {
            const std::string w = e.what();
            code = w.find("not enough memory for the model's") != std::string::npos &&
                           w.find("parameters") != std::string::npos
                       ? 0
                       : 1;
            if (code)
                std::fprintf(stderr, "%s\n", e.what());
        } catch (...) {
            code = 2;
        }
        _exit(code);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
}

namespace {

/// One neuron, no synapses, intrinsic readout 0: v' = v + dt softplus(a) (u - softplus(g) v - b).
CircuitModel leakOnlyModel(const Dataset& d, double a, double g)
{
    ModelConfig c = rmmtest::smallConfig();
    c.neurons = 1;
    c.synapses.clear();
    CircuitModel m = CircuitModel::initialize(c, d.dt_ms, 2);
    m.freezeNormalisation(d);
    std::vector<double> theta = m.flatParameters();
    const auto& ni = m.neuronIndex(0);
    const auto& ro = m.blocks()[static_cast<std::size_t>(ni.intrinsic.readout)];
    for (long k = 0; k < ro.size(); ++k)
        theta[static_cast<std::size_t>(ro.offset + k)] = 0;
    theta[static_cast<std::size_t>(m.blocks()[static_cast<std::size_t>(ni.a)].offset)] = a;
    theta[static_cast<std::size_t>(m.blocks()[static_cast<std::size_t>(ni.g)].offset)] = g;
    theta[static_cast<std::size_t>(m.blocks()[static_cast<std::size_t>(ni.b)].offset)] = 0;
    m.setFlatParameters(theta);
    return m;
}

} // namespace

void TestDivergence::simulateRefusesNonFiniteModel()
{
    const Dataset d = rmmtest::smoothDataset(1, {2000}, 0.1, 5);
    CircuitModel m = leakOnlyModel(d, 0, 0);
    const Segment seg{0, 0, 2000};
    QVERIFY(simulate(m, d, seg).nonfinite_sample < 0);
    std::vector<double> theta = m.flatParameters();
    const long g = m.blocks()[static_cast<std::size_t>(m.neuronIndex(0).g)].offset;
    theta[static_cast<std::size_t>(g)] = std::numeric_limits<double>::quiet_NaN();
    CircuitModel bad = m;
    bad.setFlatParameters(theta);
    try {
        simulate(bad, d, seg);
        QFAIL("a NaN parameter was simulated");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("parameter neuron0/g[0] is nan"), e.what());
    }
    auto norm = m.normalisation();
    norm[0].w_hi[1] = std::numeric_limits<double>::infinity();
    bad = m;
    bad.setNormalisation(norm);
    try {
        simulate(bad, d, seg);
        QFAIL("an infinite normalisation was simulated");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("input normalisation of neuron 1 (intrinsic state 2 bound inf)"),
                 e.what());
    }
}

void TestDivergence::simulationStopsWhereItDiverges()
{
    // softplus(30) ~ 30 for both: each step multiplies v by 1 - dt 30 * 30 = -89, so v overflows
    // after ~160 samples. The recurrence is run here independently to find the first sample.
    const Dataset d = rmmtest::smoothDataset(1, {2000}, 0.1, 5);
    const CircuitModel m = leakOnlyModel(d, 30, 30);
    const Segment seg{0, 100, 2000};
    const double sa = std::log1p(std::exp(30.0)), sg = sa;
    double v = d.trials[0].v(0, seg.begin);
    long expected = -1;
    for (long t = 0; t + 1 < seg.length(); ++t) {
        v = v + d.dt_ms * sa * (d.trials[0].u(0, seg.begin + t) - (sg * v + 0.0));
        if (!std::isfinite(v)) {
            expected = seg.begin + t + 1;
            break;
        }
    }
    QVERIFY(expected > seg.begin && expected < seg.end);
    const SimulationResult r = simulate(m, d, seg);
    QCOMPARE(r.nonfinite_sample, expected);
    QCOMPARE(r.nonfinite_neuron, 0);
    const long col = expected - seg.begin;
    QVERIFY(std::isfinite(r.v(0, col - 1)));
    for (long t = col; t < seg.length(); ++t)
        QVERIFY(std::isnan(r.v(0, t)) && std::isnan(r.i_leak(0, t)));
    const QString msg = QString::fromStdString(r.nonFiniteMessage("trial1"));
    QVERIFY2(msg.contains("neuron 1 in trial 'trial1' became non-finite at sample " +
                          QString::number(expected) +
                          " (t = " + QString::number(static_cast<double>(expected) * 0.1) + " ms)"),
             qPrintable(msg));
    QVERIFY(simulate(leakOnlyModel(d, 0, 0), d, seg).nonFiniteMessage("x").empty());
}

QTEST_GUILESS_MAIN(TestDivergence)
#include "test_divergence.moc"
