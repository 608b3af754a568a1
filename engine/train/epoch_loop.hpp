// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the trainers: the epoch loop shared by teacher forcing and multiple shooting / GTF.
// Adam on the model parameters, the learning-rate schedule, divergence and cancel handling, the
// wall-clock limit, validation every K epochs with best-snapshot selection, and the observer.
// What differs per method (how a mini-batch's loss and gradient are computed, the visiting
// order, MS's shot-state update) comes through a BatchStepper.
#pragma once
#include "engine/train/trainer.hpp"

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rmm::detail {

class BatchStepper {
  public:
    virtual ~BatchStepper() = default;
    /// Mini-batches per epoch.
    virtual int batches() const = 0;
    /// Draws the epoch's visiting order (and any other per-epoch randomness) from rng.
    virtual void beginEpoch(std::mt19937_64& rng) = 0;
    /// Loss of the epoch's bi-th mini-batch at theta; grad receives dL/dtheta. Sets `finite` to
    /// false when a gradient the stepper keeps itself (MS shot states) is not finite.
    virtual double evaluate(int bi, const std::vector<double>& theta, std::vector<double>& grad,
                            bool& finite) = 0;
    /// After the parameter step of mini-batch bi at learning rate lr (MS: the shot states' step).
    virtual void afterStep(int /*bi*/, double /*lr*/) {}
};

/// Divergence (besides a non-finite loss, gradient or parameter, and a parameter beyond
/// kParameterBound): an epoch's mean training loss above this factor x the lowest epoch mean so
/// far. Training loss falls in a healthy run; three orders of magnitude above its best is no
/// noise between epochs but a step size the loss surface cannot take.
inline constexpr double kLossGrowthFactor = 1e3;

/// The snapshot selection rule: a snapshot whose validation free run stays physiological beats one
/// that does not; between two of the same kind the higher metric wins (ties keep the earlier).
inline bool betterSnapshot(bool physiological, double metric, bool bestPhysiological, double bestMetric)
{
    return physiological != bestPhysiological ? physiological : metric > bestMetric;
}

/// Runs c.epochs epochs (c.schedule filled) from `model` (normalisation frozen). `rngSeed` seeds
/// the visiting order; `t0` is when the training started (the time limit counts from it).
TrainingResult runEpochs(const Dataset& data, CircuitModel model, const TrainingConfig& c,
                         TrainingObserver* obs, BatchStepper& stepper, std::uint64_t rngSeed,
                         std::chrono::steady_clock::time_point t0, std::vector<std::string> warnings);

} // namespace rmm::detail
