// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/error.hpp"
#include "engine/train/epoch_loop.hpp"
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

template <typename T> bool allFinite(const T* x, std::size_t n)
{
    for (std::size_t k = 0; k < n; ++k)
        if (!std::isfinite(x[k]))
            return false;
    return true;
}

/// Mini-batches of consecutive shots in a new random order every epoch; Adam on the shot initial
/// conditions of each mini-batch (moments and step counts per shot, touched only by their batch).
template <typename S> class ShotStepper final : public detail::BatchStepper {
  public:
    ShotStepper(MsProblem<S>& prob, const TrainingConfig& c)
        : prob_(prob), c_(c), batches_(prob.makeBatches(c.batches)), order_(batches_.size()),
          shotOpt_(prob.shots(), prob.stateSize())
    {
        long maxCount = 0;
        for (const auto& b : batches_)
            maxCount = std::max(maxCount, b.length());
        shotGrad_.resize(static_cast<std::size_t>(maxCount * prob.stateSize()));
    }
    int batches() const override { return static_cast<int>(batches_.size()); }
    void beginEpoch(std::mt19937_64& rng) override
    {
        std::iota(order_.begin(), order_.end(), std::size_t(0));
        for (std::size_t k = order_.size(); k > 1; --k)
            std::swap(order_[k - 1], order_[static_cast<std::size_t>(rng() % k)]);
    }
    double evaluate(int bi, const std::vector<double>& theta, std::vector<double>& grad,
                    bool& finite) override
    {
        const ShotBatch& b = batch(bi);
        const double loss = prob_.evaluate(theta, b, c_.rho, c_.rho_v, c_.rho_x, &grad, shotGrad_.data());
        finite = allFinite(shotGrad_.data(), static_cast<std::size_t>(b.length() * prob_.stateSize()));
        return loss;
    }
    void afterStep(int bi, double lr) override
    {
        shotOpt_.step(prob_.shotStates(), batch(bi), shotGrad_.data(), lr);
    }

  private:
    const ShotBatch& batch(int bi) const { return batches_[order_[static_cast<std::size_t>(bi)]]; }
    MsProblem<S>& prob_;
    const TrainingConfig& c_;
    std::vector<ShotBatch> batches_;
    std::vector<std::size_t> order_;
    ShotAdam<S> shotOpt_;
    std::vector<S> shotGrad_;
};

template <typename S>
TrainingResult run(const Dataset& data, CircuitModel model, const TrainingConfig& c, TrainingObserver* obs)
{
    const auto t0 = Clock::now();
    const bool gtf = c.method == TrainingMethod::GeneralizedTeacherForcing;
    const double gamma = gtf ? c.gamma : 0.0;
    if (!(c.rho_v >= 0) || !std::isfinite(c.rho_v) || !(c.rho_x >= 0) || !std::isfinite(c.rho_x))
        throw Error("training.rho_v and training.rho_x must be finite and >= 0");
    if (obs && !obs->report(0.0, "cutting shots and computing their initial filter states"))
        throw Cancelled();
    MsProblem<S> prob(data, model, c.shot, gamma, c.threads);
    ShotStepper<S> stepper(prob, c);
    return detail::runEpochs(data, model, c, obs, stepper, c.seed * 0x9E3779B97F4A7C15ULL + 777, t0,
                             prob.warnings());
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
