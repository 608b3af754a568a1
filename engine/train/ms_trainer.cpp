// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/error.hpp"
#include "engine/train/multiple_shooting.hpp"
#include "engine/train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>

namespace rmm {
namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

template <typename T>
bool allFinite(const T* x, std::size_t n)
{
    for (std::size_t k = 0; k < n; ++k)
        if (!std::isfinite(x[k]))
            return false;
    return true;
}

template <typename S>
TrainingResult run(const Dataset& data, CircuitModel model, const TrainingConfig& c, TrainingObserver* obs)
{
    const auto t0 = Clock::now();
    const bool gtf = c.method == TrainingMethod::GeneralizedTeacherForcing;
    const double gamma = gtf ? c.gamma : 0.0;
    if (!(c.rho_v >= 0) || !std::isfinite(c.rho_v) || !(c.rho_x >= 0) || !std::isfinite(c.rho_x))
        throw Error("training.rho_v and training.rho_x must be finite and >= 0");
    TrainingResult res;
    if (obs && !obs->report(0.0, "cutting shots and computing their initial filter states"))
        throw Cancelled();
    MsProblem<S> prob(data, model, c.shot, gamma, c.threads);
    res.best = model;  // with the normalisation frozen
    res.warnings = prob.warnings();
    const std::vector<ShotBatch> batches = prob.makeBatches(c.batches);
    AngularSeparationSettings as = c.validation;
    as.dt_ms = data.dt_ms;
    const bool single = c.precision == Precision::Float32;
    const int P = prob.stateSize();

    std::vector<double> theta = model.flatParameters(), grad, m1(theta.size(), 0.0), m2(theta.size(), 0.0);
    std::vector<double> lastGood = theta;
    constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    long adamStep = 0;
    // Shot initial conditions: moments and step counts per shot, touched only by their batch.
    std::vector<S>& X = prob.shotStates();
    ShotAdam<S> shotOpt(prob.shots(), P);
    long maxCount = 0;
    for (const auto& b : batches)
        maxCount = std::max(maxCount, b.count);
    std::vector<S> shotGrad(static_cast<std::size_t>(maxCount * P));

    std::mt19937_64 rng(c.seed * 0x9E3779B97F4A7C15ULL + 777);
    std::vector<std::size_t> order(batches.size());
    bool stop = false;
    res.stop_reason = "completed";
    const int nb = static_cast<int>(batches.size());
    for (int epoch = 0; epoch < c.epochs && !stop; ++epoch) {
        const auto te = Clock::now();
        const double lr = learningRate(c.schedule, epoch);
        std::iota(order.begin(), order.end(), std::size_t(0));
        for (std::size_t k = order.size(); k > 1; --k)
            std::swap(order[k - 1], order[static_cast<std::size_t>(rng() % k)]);
        double lossSum = 0;
        int done = 0;
        for (int bi = 0; bi < nb; ++bi) {
            const ShotBatch& b = batches[order[static_cast<std::size_t>(bi)]];
            const double loss = prob.evaluate(theta, b, c.rho, c.rho_v, c.rho_x, &grad, shotGrad.data());
            const std::size_t ng = static_cast<std::size_t>(b.count * P);
            if (!std::isfinite(loss) || !allFinite(grad.data(), grad.size()) || !allFinite(shotGrad.data(), ng)) {
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
            shotOpt.step(X, b, shotGrad.data(), lr);
            if (!allFinite(theta.data(), theta.size())) {
                res.stop_reason = "training diverged at epoch " + std::to_string(epoch + 1) + ", mini-batch " +
                                  std::to_string(bi + 1) + ": parameters became non-finite; the best snapshot is kept";
                stop = true;
                break;
            }
            lastGood = theta;
            lossSum += loss;
            ++done;
            if (obs) {
                const double frac = (epoch + static_cast<double>(bi + 1) / nb) / c.epochs;
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

} // namespace

TrainingResult trainShooting(const Dataset& data, const CircuitModel& initial, const TrainingConfig& c,
                             TrainingObserver* observer)
{
    if (c.precision == Precision::Float32)
        return run<float>(data, initial, c, observer);
    return run<double>(data, initial, c, observer);
}

} // namespace rmm
