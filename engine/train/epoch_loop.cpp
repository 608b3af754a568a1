// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/epoch_loop.hpp"

#include "engine/core/format.hpp"
#include "engine/train/adam.hpp"
#include "engine/train/current_units.hpp"

#include <cmath>
#include <limits>
#include <sstream>

namespace rmm::detail {
namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool finiteVec(const std::vector<double>& x)
{
    for (double a : x)
        if (!std::isfinite(a))
            return false;
    return true;
}

/// A smaller learning rate to suggest after a divergence at rate lr: the method's default when lr
/// is above it, else a tenth of lr.
std::string smallerRate(TrainingMethod m, double lr)
{
    const double dflt = defaultSchedule(m).front().lr;
    return "try a smaller learning rate, e.g. training.lr = " + formatNumber(lr > dflt ? dflt : lr / 10, 3);
}

} // namespace

TrainingResult runEpochs(const Dataset& data, CircuitModel model, const TrainingConfig& c,
                         TrainingObserver* obs, BatchStepper& stepper, std::uint64_t rngSeed,
                         Clock::time_point t0, std::vector<std::string> warnings)
{
    TrainingResult res;
    res.best = model;
    res.warnings = std::move(warnings);
    AngularSeparationSettings as = c.validation;
    as.dt_ms = data.dt_ms;
    const int nb = stepper.batches();

    std::vector<double> theta = model.flatParameters(), grad, m1(theta.size(), 0.0), m2(theta.size(), 0.0);
    std::vector<double> lastGood = theta;
    // The optimiser's variables: the parameters themselves, or with currents in units of C the
    // change of variables of current_units.hpp; a measured C given as fixed is not trained.
    const ModelConfig& mc = model.config();
    const CurrentUnits units(model, c.capacitance_units, !mc.capacitance_nF.empty() && !mc.learn_capacitance);
    std::vector<double> phi = units.toOptimizer(theta);
    long adamStep = 0;
    // Polyak averaging: an exponential moving average of the iterates, validated and kept in
    // their place (smooths the mini-batch noise that makes a free run's spike timing jump).
    const bool averaging = c.average_epochs > 0;
    const double avgKeep = averaging ? 1.0 - 1.0 / std::max(1.0, c.average_epochs * nb) : 0.0;
    std::vector<double> avg = theta;
    std::mt19937_64 rng(rngSeed);
    bool stop = false;
    bool diverged = false;
    bool bestPhysiological = false; // with select_physiological: the kept snapshot passed checkSpan
    double bestScore = std::numeric_limits<double>::quiet_NaN(); // what chose the kept snapshot
    const std::vector<Segment> heldOut = c.select_held_out ? heldOutSegments(data, as.kernel_half_width)
                                                           : std::vector<Segment>{data.validation};
    // Divergence by loss growth: the lowest epoch-mean training loss so far, its epoch, and the
    // snapshot at its end (kept when the run diverges before any validation).
    double lowestLoss = std::numeric_limits<double>::infinity();
    int lowestLossEpoch = -1;
    std::vector<double> lowestLossTheta = theta;
    res.stop = StopReason::Completed;
    res.stop_message = "completed";

    for (int epoch = 0; epoch < c.epochs && !stop; ++epoch) {
        const auto te = Clock::now();
        const double lr = learningRate(c.schedule, epoch);
        stepper.beginEpoch(rng);
        double lossSum = 0;
        int done = 0;
        for (int bi = 0; bi < nb; ++bi) {
            bool finite = true;
            const double loss = stepper.evaluate(bi, theta, grad, finite);
            if (!finite || !std::isfinite(loss) || !finiteVec(grad)) {
                res.stop = StopReason::Diverged;
                res.stop_message = "diverged: the training loss or its gradient became non-finite at epoch " +
                                   std::to_string(epoch + 1) + ", mini-batch " + std::to_string(bi + 1) +
                                   " (learning rate " + formatNumber(lr) + "); " + smallerRate(c.method, lr);
                stop = diverged = true;
                break;
            }
            units.pullBack(phi, grad);
            adamUpdate(phi.data(), m1.data(), m2.data(), grad.data(), static_cast<long>(phi.size()),
                       ++adamStep, lr);
            theta = units.toPhysical(phi);
            stepper.afterStep(bi, lr);
            if (const std::string problem = model.parameterProblem(theta); !problem.empty()) {
                res.stop = StopReason::Diverged;
                res.stop_message = "diverged: " + problem + " at epoch " + std::to_string(epoch + 1) +
                                   ", mini-batch " + std::to_string(bi + 1) + " (learning rate " +
                                   formatNumber(lr) + "); " + smallerRate(c.method, lr);
                stop = diverged = true;
                break;
            }
            lastGood = theta;
            if (averaging)
                for (std::size_t p = 0; p < theta.size(); ++p)
                    avg[p] = avgKeep * avg[p] + (1 - avgKeep) * theta[p];
            lossSum += loss;
            ++done;
            if (obs) {
                const double frac = (epoch + static_cast<double>(bi + 1) / nb) / c.epochs;
                if (!obs->report(frac,
                                 "epoch " + std::to_string(epoch + 1) + "/" + std::to_string(c.epochs))) {
                    res.stop = StopReason::Cancelled;
                    res.stop_message = "cancelled";
                    stop = true;
                    break;
                }
            }
            if (c.time_limit_s > 0 && secondsSince(t0) >= c.time_limit_s) {
                std::ostringstream m;
                m << "time limit reached (" << c.time_limit_s << " s) in epoch " << epoch + 1
                  << ", after mini-batch " << bi + 1 << " of " << nb;
                res.stop = StopReason::TimeLimit;
                res.stop_message = m.str();
                stop = true;
                break;
            }
        }
        if (done == 0)
            break;
        EpochRecord rec;
        rec.epoch = epoch;
        rec.seconds = secondsSince(te);
        rec.lr = lr;
        rec.train_loss = lossSum / done;
        // Loss growth: an epoch whose mean training loss exceeds kLossGrowthFactor x the lowest
        // epoch mean so far (a complete epoch's mean, so mini-batch to mini-batch variation of
        // quiet and spiking segments does not count).
        if (!stop && done == nb && rec.train_loss > kLossGrowthFactor * lowestLoss) {
            res.stop = StopReason::Diverged;
            res.stop_message = "diverged: training loss grew from " + formatNumber(lowestLoss, 3) +
                               " (epoch " + std::to_string(lowestLossEpoch + 1) + ") to " +
                               formatNumber(rec.train_loss, 3) + " at epoch " + std::to_string(epoch + 1) +
                               " (learning rate " + formatNumber(lr) + "); " + smallerRate(c.method, lr);
            stop = diverged = true;
        } else if (done == nb && rec.train_loss < lowestLoss) {
            lowestLoss = rec.train_loss;
            lowestLossEpoch = epoch;
            lowestLossTheta = averaging ? avg : lastGood;
        }
        const bool last = epoch + 1 == c.epochs || stop;
        // A user's Stop must take effect at once: no free-run validation after a cancel
        // (it takes seconds on a long validation segment); the last good parameters are
        // returned when no snapshot was validated yet. A run stopped by its time limit
        // validates its last parameters once more, so the budget's last epochs count.
        // Nor after a divergence: the parameters of the diverging epoch are not a snapshot to keep.
        const bool cancelled = res.stop == StopReason::Cancelled;
        if (!cancelled && !diverged && ((epoch + 1) % c.validate_every == 0 || last)) {
            model.setFlatParameters(averaging ? avg : lastGood);
            std::vector<std::string> problems;
            // float64: the saved model's metric
            rec.per_neuron_metric =
                validateModel(model, data, as, c.select_physiological ? &problems : nullptr);
            rec.validation_metric = meanOverNeurons(rec.per_neuron_metric);
            const bool physiological = problems.empty();
            // The snapshot's score: its validation metric, or with select_on = "held_out" the mean
            // over every held-out segment (the validation segment's metric among them).
            double score = rec.validation_metric;
            if (heldOut.size() > 1) {
                double sum = rec.validation_metric;
                for (std::size_t k = 1; k < heldOut.size(); ++k)
                    sum += meanOverNeurons(validateModel(model, data, heldOut[k], as));
                score = sum / static_cast<double>(heldOut.size());
            }
            if (res.best_epoch < 0 || betterSnapshot(physiological, score, bestPhysiological, bestScore)) {
                bestPhysiological = physiological;
                bestScore = score;
                res.best = model;
                res.best_epoch = epoch;
                res.best_metric = rec.validation_metric;
                res.per_neuron_metric = rec.per_neuron_metric;
            }
        }
        rec.elapsed = secondsSince(t0);
        res.curves.push_back(rec);
        res.epochs_run = epoch + 1;
        if (obs)
            obs->epochFinished(rec);
        // A validation that carried the run past its limit ends it here, rather than after one
        // more mini-batch and another validation.
        if (!stop && epoch + 1 < c.epochs && c.time_limit_s > 0 && secondsSince(t0) >= c.time_limit_s) {
            std::ostringstream m;
            m << "time limit reached (" << c.time_limit_s << " s) at the end of epoch " << epoch + 1;
            res.stop = StopReason::TimeLimit;
            res.stop_message = m.str();
            stop = true;
        }
    }
    if (res.best_epoch < 0) {
        // Nothing validated: after a divergence the end of the epoch with the lowest training
        // loss (the initial model when the first epoch diverged), else the last parameters.
        model.setFlatParameters(diverged ? lowestLossTheta : averaging ? avg : lastGood);
        res.best = model;
    }
    if (diverged) {
        res.last = res.best;
        res.last_epoch = res.best_epoch;
        res.last_metric = res.best_metric;
    } else {
        model.setFlatParameters(averaging ? avg : lastGood);
        res.last = model;
        res.last_epoch = res.epochs_run - 1;
        if (!res.curves.empty() && res.curves.back().epoch == res.last_epoch)
            res.last_metric = res.curves.back().validation_metric;
    }
    res.train_seconds = secondsSince(t0);
    return res;
}

} // namespace rmm::detail
