// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/trainer.hpp"

#include "engine/core/error.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/train/multiple_shooting.hpp"
#include "engine/train/tf_problem.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>

// GCC 12 reports a spurious -Wfree-nonheap-object on inlined std::vector destructors in trainTf
// (offsets up to PTRDIFF_MAX, i.e. a path it cannot rule out, not a real free of non-heap memory).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wfree-nonheap-object"
#endif

namespace rmm {
namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::vector<LrStep> effectiveSchedule(const TrainingConfig& c)
{
    std::vector<LrStep> s = c.schedule;
    if (s.empty())
        s = defaultSchedule(c.method);
    return s;
}

void checkSettings(const Dataset& data, const TrainingConfig& c)
{
    auto bad = [](const std::string& m) { throw Error(m); };
    if (c.epochs < 1)
        bad("training.epochs must be >= 1 (got " + std::to_string(c.epochs) + ")");
    if (c.batches < 1)
        bad("training.batches must be >= 1 (got " + std::to_string(c.batches) + ")");
    if (c.validate_every < 1)
        bad("training.validate_every must be >= 1 (got " + std::to_string(c.validate_every) + ")");
    if (c.threads < 1)
        bad("training.threads must be >= 1 (got " + std::to_string(c.threads) + ")");
    if (!(c.rho >= 0) || !std::isfinite(c.rho))
        bad("training.rho must be >= 0");
    const auto sched = effectiveSchedule(c);
    for (std::size_t k = 0; k < sched.size(); ++k) {
        if (!(sched[k].lr > 0) || !std::isfinite(sched[k].lr))
            bad("training.schedule[" + std::to_string(k) + "]: learning rate must be > 0");
        if (k > 0 && sched[k].from_epoch < sched[k - 1].from_epoch)
            bad("training.schedule must be sorted by epoch");
    }
    if (c.method != TrainingMethod::TeacherForcing) {
        if (c.shot < 2)
            bad("training.shot must be >= 2 samples (got " + std::to_string(c.shot) + ")");
        for (const auto& s : data.train)
            if (s.length() < c.shot)
                bad("training.shot (" + std::to_string(c.shot) + " samples) is longer than the training segment of trial '" +
                    data.trials[static_cast<std::size_t>(s.trial)].name + "' (" + std::to_string(s.length()) + " samples)");
        if (c.method == TrainingMethod::GeneralizedTeacherForcing && !(c.gamma >= 0 && c.gamma <= 1))
            bad("training.gamma must be in [0, 1] (got " + std::to_string(c.gamma) + ")");
        if (!(c.rho_v >= 0) || !std::isfinite(c.rho_v))
            bad("training.rho_v must be >= 0");
        if (!(c.rho_x >= 0) || !std::isfinite(c.rho_x))
            bad("training.rho_x must be >= 0");
    }
    const auto& v = data.validation;
    if (v.trial < 0 || static_cast<std::size_t>(v.trial) >= data.trials.size() || v.begin < 0 ||
        v.end > data.trials[static_cast<std::size_t>(v.trial)].v.cols())
        bad("the validation segment lies outside the data");
    if (v.length() <= 2L * c.validation.kernel_half_width)
        bad("the validation segment has " + std::to_string(v.length()) +
            " samples; the angular-separation metric needs more than " +
            std::to_string(2 * c.validation.kernel_half_width) + " (twice the kernel half-width)");
}

bool finiteVec(const std::vector<double>& x)
{
    return std::all_of(x.begin(), x.end(), [](double a) { return std::isfinite(a); });
}

template <typename S>
TrainingResult trainTf(const Dataset& data, CircuitModel model, const TrainingConfig& c, TrainingObserver* obs)
{
    const auto t0 = Clock::now();
    TrainingResult res;
    res.best = model;
    if (obs && !obs->report(0.0, "computing filter states of the training data"))
        throw Cancelled();
    TfProblem<S> prob(data, model, c.threads);
    res.best = model;  // with the normalisation frozen
    res.warnings = prob.warnings();
    const long N = prob.samples();
    if (c.batches > N)
        throw Error("training.batches (" + std::to_string(c.batches) + ") exceeds the number of training samples (" +
                    std::to_string(N) + ")");
    AngularSeparationSettings as = c.validation;
    as.dt_ms = data.dt_ms;
    const auto sched = effectiveSchedule(c);
    const bool single = c.precision == Precision::Float32;

    std::vector<double> theta = model.flatParameters(), grad, m1(theta.size(), 0.0), m2(theta.size(), 0.0);
    std::vector<double> lastGood = theta;
    constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    long adamStep = 0;
    std::mt19937_64 rng(c.seed * 0x9E3779B97F4A7C15ULL + 12345);
    auto randBelow = [&rng](std::size_t k) { return static_cast<std::size_t>(rng() % k); };
    std::vector<long> perm;
    std::vector<long> batchIdx;
    std::vector<int> order(static_cast<std::size_t>(c.batches));
    auto chunkBegin = [&](int k) { return static_cast<long>(static_cast<double>(N) * k / c.batches); };
    bool stop = false;
    res.stop_reason = "completed";

    for (int epoch = 0; epoch < c.epochs && !stop; ++epoch) {
        const auto te = Clock::now();
        const double lr = learningRate(sched, epoch);
        std::iota(order.begin(), order.end(), 0);
        for (std::size_t k = order.size(); k > 1; --k)
            std::swap(order[k - 1], order[randBelow(k)]);
        if (c.shuffle) {
            perm.resize(static_cast<std::size_t>(N));
            std::iota(perm.begin(), perm.end(), 0L);
            for (std::size_t k = perm.size(); k > 1; --k)
                std::swap(perm[k - 1], perm[randBelow(k)]);
        }
        double lossSum = 0;
        int done = 0;
        for (int bi = 0; bi < c.batches; ++bi) {
            const int k = order[static_cast<std::size_t>(bi)];
            const long first = chunkBegin(k), count = chunkBegin(k + 1) - first;
            double loss;
            if (c.shuffle) {
                batchIdx.assign(perm.begin() + first, perm.begin() + first + count);
                std::sort(batchIdx.begin(), batchIdx.end());  // same sum, better memory locality
                loss = prob.evaluate(theta, batchIdx.data(), 0, count, c.rho, &grad);
            } else {
                loss = prob.evaluate(theta, nullptr, first, count, c.rho, &grad);
            }
            if (!std::isfinite(loss) || !finiteVec(grad)) {
                std::ostringstream m;
                m << "training diverged at epoch " << epoch + 1 << ", mini-batch " << bi + 1
                  << ": the loss or its gradient is not finite (learning rate " << lr
                  << " may be too large); the best snapshot is kept";
                res.stop_reason = m.str();
                stop = true;
                break;
            }
            ++adamStep;
            const double c1 = 1 - std::pow(b1, static_cast<double>(adamStep));
            const double c2 = 1 - std::pow(b2, static_cast<double>(adamStep));
            for (std::size_t p = 0; p < theta.size(); ++p) {
                m1[p] = b1 * m1[p] + (1 - b1) * grad[p];
                m2[p] = b2 * m2[p] + (1 - b2) * grad[p] * grad[p];
                theta[p] -= lr * (m1[p] / c1) / (std::sqrt(m2[p] / c2) + eps);
            }
            if (!finiteVec(theta)) {
                res.stop_reason = "training diverged at epoch " + std::to_string(epoch + 1) + ", mini-batch " +
                                  std::to_string(bi + 1) + ": parameters became non-finite; the best snapshot is kept";
                stop = true;
                break;
            }
            lastGood = theta;
            lossSum += loss;
            ++done;
            if (obs) {
                const double frac = (epoch + static_cast<double>(bi + 1) / c.batches) / c.epochs;
                if (!obs->report(frac, "epoch " + std::to_string(epoch + 1) + "/" + std::to_string(c.epochs))) {
                    res.stop_reason = "cancelled";
                    stop = true;
                    break;
                }
            }
        }
        if (done == 0)
            break;
        EpochRecord rec;
        rec.epoch = epoch;
        rec.seconds = secondsSince(te);
        rec.lr = lr;
        rec.train_loss = lossSum / done;
        const bool last = epoch + 1 == c.epochs || stop;
        // A user's Stop must take effect at once: no free-run validation after a cancel
        // (it takes seconds on a long validation segment); the last good parameters are
        // returned when no snapshot was validated yet.
        const bool cancelled = res.stop_reason == "cancelled";
        if (!cancelled && ((epoch + 1) % c.validate_every == 0 || last)) {
            model.setFlatParameters(lastGood);
            rec.per_neuron_metric = validateModel(model, data, as, single);
            rec.validation_metric = std::accumulate(rec.per_neuron_metric.begin(), rec.per_neuron_metric.end(), 0.0) /
                                    static_cast<double>(rec.per_neuron_metric.size());
            if (res.best_epoch < 0 || rec.validation_metric > res.best_metric) {
                res.best = model;
                res.best_epoch = epoch;
                res.best_metric = rec.validation_metric;
                res.per_neuron_metric = rec.per_neuron_metric;
            }
        }
        res.curves.push_back(rec);
        res.epochs_run = epoch + 1;
        if (obs)
            obs->epochFinished(rec);
    }
    if (res.best_epoch < 0) {
        model.setFlatParameters(lastGood);
        res.best = model;
    }
    res.train_seconds = secondsSince(t0);
    return res;
}

TrainingResult dispatch(const Dataset& data, const CircuitModel& initial, const TrainingConfig& c, TrainingObserver* obs)
{
    checkSettings(data, c);
    Eigen::setNbThreads(1);  // parallelism is over sample blocks; Eigen's own threads only add overhead
    if (c.method != TrainingMethod::TeacherForcing) {
        TrainingConfig ms = c;
        ms.schedule = effectiveSchedule(c);
        return trainShooting(data, initial, ms, obs);
    }
    if (c.precision == Precision::Float32)
        return trainTf<float>(data, initial, c, obs);
    return trainTf<double>(data, initial, c, obs);
}

} // namespace

double learningRate(const std::vector<LrStep>& schedule, int epoch)
{
    if (schedule.empty())
        throw Error("learning-rate schedule is empty");
    double lr = schedule.front().lr;
    for (const auto& s : schedule)
        if (s.from_epoch <= epoch)
            lr = s.lr;
    return lr;
}

std::vector<double> validateModel(const CircuitModel& model, const Dataset& data, const AngularSeparationSettings& s,
                                  bool singlePrecision)
{
    SimulationOptions o;
    o.single_precision = singlePrecision;
    const SimulationResult sim = simulate(model, data, data.validation, o);
    const auto& tr = data.trials[static_cast<std::size_t>(data.validation.trial)];
    AngularSeparationSettings as = s;
    as.dt_ms = data.dt_ms;
    std::vector<double> out;
    for (int i = 0; i < model.neurons(); ++i) {
        std::vector<double> meas(static_cast<std::size_t>(data.validation.length()));
        std::vector<double> pred(meas.size());
        bool finite = true;
        for (long t = 0; t < data.validation.length(); ++t) {
            meas[static_cast<std::size_t>(t)] = tr.v(i, data.validation.begin + t);
            pred[static_cast<std::size_t>(t)] = sim.v(i, t);
            finite = finite && std::isfinite(sim.v(i, t));
        }
        // A simulation that blew up predicts nothing: metric 0.
        out.push_back(finite ? angularSeparation(meas, pred, as) : 0.0);
    }
    return out;
}

TrainingResult train(const Dataset& data, const ModelConfig& mcfg, const TrainingConfig& tcfg, TrainingObserver* observer)
{
    checkSettings(data, tcfg);
    return dispatch(data, CircuitModel::initialize(mcfg, data.dt_ms, tcfg.seed), tcfg, observer);
}

TrainingResult train(const Dataset& data, const CircuitModel& initial, const TrainingConfig& tcfg, TrainingObserver* observer)
{
    return dispatch(data, initial, tcfg, observer);
}

} // namespace rmm
