// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/trainer.hpp"

#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/train/epoch_loop.hpp"
#include "engine/train/multiple_shooting.hpp"
#include "engine/train/tf_problem.hpp"
#include "engine/train/trainable.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <new>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

// GCC 12 reports a spurious -Wfree-nonheap-object on inlined std::vector destructors in trainTf
// (offsets up to PTRDIFF_MAX, i.e. a path it cannot rule out, not a real free of non-heap memory).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wfree-nonheap-object"
#endif

namespace rmm {

const char* toString(StopReason s)
{
    switch (s) {
    case StopReason::Completed:
        return "completed";
    case StopReason::Cancelled:
        return "cancelled";
    case StopReason::TimeLimit:
        return "time limit";
    case StopReason::Diverged:
        return "diverged";
    }
    return "completed";
}
namespace {

using Clock = std::chrono::steady_clock;

std::vector<LrStep> effectiveSchedule(const TrainingConfig& c)
{
    std::vector<LrStep> s = c.schedule;
    if (s.empty())
        s = defaultSchedule(c.method);
    return s;
}

/// Runs f(); an allocation failure becomes rmm::Error "not enough memory for <what>".
template <typename F> auto allocating(const std::string& what, F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const std::bad_alloc&) {
        throw Error("not enough memory for " + what);
    } catch (const std::length_error&) {
        throw Error("not enough memory for " + what + " (beyond the largest array this system allows)");
    }
}

/// Trainable parameters a config gives (CircuitModel::initialize's layout), computed without
/// allocating them.
double parameterCount(const ModelConfig& m)
{
    auto mlp = [](double in, const std::vector<int>& hidden) {
        double n = 0;
        for (int h : hidden) {
            n += in * h + h;
            in = h;
        }
        return n + (hidden.empty() ? 0 : hidden.back());
    };
    const double nw = static_cast<double>(m.intrinsic_taus_ms.size());
    const double nz = static_cast<double>(m.synaptic_taus_ms.size());
    double n = m.neurons * (3 + mlp(1 + nw, m.intrinsic_hidden));
    for (const auto& s : m.synapses)
        n += s.kind == SynapseKind::Lumped ? mlp(1 + nz, m.lumped_hidden)
                                           : 1 + m.conductance_hidden * (nz + 2);
    return n;
}

std::string gigabytes(double values)
{
    return formatNumber(values * 8 / 1e9, 3) + " GB";
}

template <typename S> class TfStepper final : public detail::BatchStepper {
  public:
    TfStepper(TfProblem<S>& prob, const TrainingConfig& c) : prob_(prob), c_(c), N_(prob.samples())
    {
        order_.resize(static_cast<std::size_t>(c.batches));
    }
    int batches() const override { return c_.batches; }
    void beginEpoch(std::mt19937_64& rng) override
    {
        auto randBelow = [&rng](std::size_t k) { return static_cast<std::size_t>(rng() % k); };
        std::iota(order_.begin(), order_.end(), 0);
        for (std::size_t k = order_.size(); k > 1; --k)
            std::swap(order_[k - 1], order_[randBelow(k)]);
        if (c_.shuffle) {
            perm_.resize(static_cast<std::size_t>(N_));
            std::iota(perm_.begin(), perm_.end(), 0L);
            for (std::size_t k = perm_.size(); k > 1; --k)
                std::swap(perm_[k - 1], perm_[randBelow(k)]);
        }
    }
    double evaluate(int bi, const std::vector<double>& theta, std::vector<double>& grad, bool&) override
    {
        const int k = order_[static_cast<std::size_t>(bi)];
        const long first = chunkBegin(k), count = chunkBegin(k + 1) - first;
        if (!c_.shuffle)
            return prob_.evaluate(theta, nullptr, first, count, c_.rho, &grad);
        batchIdx_.assign(perm_.begin() + first, perm_.begin() + first + count);
        std::sort(batchIdx_.begin(), batchIdx_.end()); // same sum, better memory locality
        return prob_.evaluate(theta, batchIdx_.data(), 0, count, c_.rho, &grad);
    }

  private:
    long chunkBegin(int k) const { return static_cast<long>(static_cast<double>(N_) * k / c_.batches); }
    TfProblem<S>& prob_;
    const TrainingConfig& c_;
    long N_;
    std::vector<int> order_;
    std::vector<long> perm_, batchIdx_;
};

template <typename S>
TrainingResult trainTf(const Dataset& data, CircuitModel model, const TrainingConfig& c,
                       TrainingObserver* obs)
{
    const auto t0 = Clock::now();
    if (obs && !obs->report(0.0, "computing filter states of the training data"))
        throw Cancelled();
    long samples = 0;
    for (const auto& seg : data.train)
        samples += seg.length();
    // Per neuron, TfProblem keeps (1 + its banks' states) x samples numbers.
    const int states = 1 + model.intrinsicBank().size() + model.synapticBank().size() +
                       (model.hasConductanceSynapses() ? model.conductanceBank().size() : 0);
    auto probPtr = allocating(
        "the filter states of the training data (" + std::to_string(samples) + " samples x " +
            std::to_string(states) + " states x " + std::to_string(model.neurons()) + " neuron(s), about " +
            gigabytes(static_cast<double>(samples) * states * model.neurons() * (sizeof(S) / 8.0)) +
            "); use fewer or shorter trials, or a smaller data.train_fraction",
        [&] { return std::make_unique<TfProblem<S>>(data, model, c.threads); });
    TfProblem<S>& prob = *probPtr;
    if (c.shuffle)
        allocating(
            "a sample-major copy of the filter states for shuffled mini-batches (training.shuffle; about " +
                gigabytes(static_cast<double>(samples) * (states + 3) * model.neurons() * (sizeof(S) / 8.0)) +
                ")",
            [&] { prob.prepareScatteredAccess(); });
    if (c.batches > prob.samples())
        throw Error("training.batches (" + std::to_string(c.batches) +
                    ") exceeds the number of training samples (" + std::to_string(prob.samples()) + ")");
    TfStepper<S> stepper(prob, c);
    return detail::runEpochs(data, model, c, obs, stepper, c.seed * 0x9E3779B97F4A7C15ULL + 12345, t0,
                             prob.warnings());
}

TrainingResult dispatch(const Dataset& data, const CircuitModel& initial, const TrainingConfig& c,
                        TrainingObserver* obs)
{
    checkTrainable(data, c, &initial.config()); // the one list of checks (also `rmm config --check-data`)
    Eigen::setNbThreads(1); // parallelism is over sample blocks; Eigen's own threads only add overhead
    TrainingConfig full = c;
    full.schedule = effectiveSchedule(c);
    full.batches = effectiveBatches(data, c, &initial.config()); // "auto" chosen from the data
    const std::string what =
        "training " + std::to_string(initial.parameterCount()) +
        " parameters (the optimiser keeps several copies of them, the shots their states)";
    // The input normalisation is a value of the training data, computed once before any method
    // runs (a model that has one, e.g. training.init's, keeps it).
    CircuitModel start = initial;
    if (!start.normalisationFrozen())
        start.freezeNormalisation(data);
    TrainingResult r = allocating(what, [&] {
        return c.method != TrainingMethod::TeacherForcing ? trainShooting(data, start, full, obs)
               : c.precision == Precision::Float32        ? trainTf<float>(data, start, full, obs)
                                                          : trainTf<double>(data, start, full, obs);
    });
    // A user's Stop takes effect at once: no further free runs after a cancel.
    if (r.stop != StopReason::Cancelled) {
        if (obs)
            obs->report(1.0, "checking the free run over all held-out input");
        r.free_run = checkFreeRun(r.best, data);
        r.free_run_checked = true;
        for (const auto& p : r.free_run.problems)
            r.warnings.push_back(kNotPhysiological + p);
    }
    return r;
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

std::vector<double> validateModel(const CircuitModel& model, const Dataset& data,
                                  const AngularSeparationSettings& s, std::vector<std::string>* rangeProblems)
{
    return validateModel(model, data, data.validation, s, rangeProblems);
}

std::vector<Segment> heldOutSegments(const Dataset& data, long dropped)
{
    std::vector<Segment> out = {data.validation};
    for (const Segment& t : data.train) {
        if (t.trial == data.validation.trial)
            continue;
        const long length = data.trials[static_cast<std::size_t>(t.trial)].v.cols();
        if (length - t.end > 2 * dropped + 1)
            out.push_back({t.trial, t.end, length});
    }
    return out;
}

std::vector<double> validateModel(const CircuitModel& model, const Dataset& data, const Segment& segment,
                                  const AngularSeparationSettings& s, std::vector<std::string>* rangeProblems)
{
    AngularSeparationSettings as = s;
    as.dt_ms = data.dt_ms;
    SimulationOptions opt;
    opt.resync_samples = resyncSamples(as.window_s, data.dt_ms);
    const SimulationResult sim = simulate(model, data, segment, opt);
    if (rangeProblems)
        checkSpan(model, data, segment, sim, kFreeRunMarginMv, kSynapticCurrentFactor, *rangeProblems);
    return angularSeparationOf(sim, data, as);
}

CircuitModel newModel(const ModelConfig& mcfg, double dtMs, std::uint64_t seed)
{
    const double n = parameterCount(mcfg);
    const std::string what =
        "the model's " + formatNumber(n, 3) + " parameters (about " + gigabytes(n) +
        " per copy; model.intrinsic_hidden, lumped_hidden and conductance_hidden set the size)";
    if (n > std::numeric_limits<int>::max())
        throw Error(
            "the model would have " + formatNumber(n, 3) + " parameters, more than the " +
            std::to_string(std::numeric_limits<int>::max()) +
            " supported; use fewer or narrower hidden layers (model.intrinsic_hidden, lumped_hidden)");
    return allocating(what, [&] { return CircuitModel::initialize(mcfg, dtMs, seed); });
}

TrainingResult train(const Dataset& data, const ModelConfig& mcfg, const TrainingConfig& tcfg,
                     TrainingObserver* observer)
{
    return dispatch(data, newModel(mcfg, data.dt_ms, tcfg.seed), tcfg, observer);
}

TrainingResult train(const Dataset& data, const CircuitModel& initial, const TrainingConfig& tcfg,
                     TrainingObserver* observer)
{
    return dispatch(data, initial, tcfg, observer);
}

} // namespace rmm
