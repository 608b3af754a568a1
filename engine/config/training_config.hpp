// SPDX-License-Identifier: GPL-3.0-or-later
// Settings of training (docs/method.md section 3). Every default is the paper's / reference code's.
#pragma once
#include "engine/metrics/metrics.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rmm {

enum class TrainingMethod { TeacherForcing, MultipleShooting, GeneralizedTeacherForcing };
enum class Precision { Float32, Float64 };

/// Learning rate `lr` applies from epoch `from_epoch` (0-based) on.
struct LrStep {
    int from_epoch = 0;
    double lr = 1e-3;
    bool operator==(const LrStep&) const = default;
};

struct TrainingConfig {
    TrainingMethod method = TrainingMethod::TeacherForcing;
    int epochs = 600;             ///< TF 600, MS 800, GTF 300 when not given (see defaultsFor)
    std::vector<LrStep> schedule; ///< empty = method default
    double rho = 5e-8; ///< L2 penalty on weights, leak conductances, gbar (MS/GTF: 5e-9 when not given)
    /// Mini-batches per epoch; 0 = "auto": chosen from the training data by effectiveBatches()
    /// (engine/train/trainable.hpp; 48 or 96 by the data's length).
    int batches = 0;
    bool shuffle = false;   ///< TF: re-permute samples every epoch
    int validate_every = 4; ///< K: validate and snapshot every K epochs
    /// Validate and keep an exponential moving average of the parameters over about this many
    /// epochs (Polyak averaging) instead of the last iterate; 0 = off.
    double average_epochs = 0;
    /// Train currents in units of the membrane capacitance (current_units.hpp): removes the
    /// (C, I) -> (kC, kI) drift to a tiny C with huge cancelling currents. "current_units":
    /// "capacitance" (true) or "nA" (false) in the config.
    bool capacitance_units = true;
    /// Keep the best snapshot among those whose validation free run stays physiological (voltage
    /// within the recorded range +- 20 mV, synaptic current within twice the recorded one's), if
    /// any; otherwise the best of all.
    bool select_physiological = false;
    /// Which free runs choose the best snapshot: false ("validation") the validation segment's
    /// metric; true ("held_out") its mean with the metric of every other trial's held-out end (the
    /// samples after its training part), a criterion less at the mercy of one segment's spike
    /// timing. The metric reported is the validation segment's either way.
    bool select_held_out = false;
    /// A model file (model.h5 of an earlier run) to start from instead of a new model drawn from
    /// `seed`: warm-starting MS from a TF model, or training on. Relative paths are relative to the
    /// config file's folder; "" = a new model. See startingModel() (initial_model.hpp).
    std::string init;
    std::uint64_t seed = 1;
    int threads = 2;
    double time_limit_s =
        0; ///< wall-clock budget; 0 = none. Stops after the mini-batch that passes it, then validates
    Precision precision = Precision::Float32;
    // Multiple shooting / generalized teacher forcing
    int shot = 30; ///< samples per shot (reference: 10..40; paper best 30)
    double rho_v = 500;
    double rho_x = 500;
    double gamma = 0; ///< GTF: 0 = MS, 1 = recurrent TF
    // Validation
    AngularSeparationSettings validation; ///< dt filled from the data

    /// Fills the method's default epochs/schedule (and rho, unless `rhoGiven`) where not set,
    /// checks ranges; throws rmm::Error.
    void finalize(bool epochsGiven, bool rhoGiven = true);
    /// Every problem of these settings on their own (ranges, the schedule's order), one sentence
    /// each naming the key, its value and what is allowed; empty = valid. The one list of checks
    /// of the training settings: finalize() throws them, checkTrainable() adds the data's.
    std::vector<std::string> problems() const;
};

const char* toString(TrainingMethod m);
/// The paper's learning-rate schedule of a method (used when `schedule` is empty).
std::vector<LrStep> defaultSchedule(TrainingMethod m);

} // namespace rmm
