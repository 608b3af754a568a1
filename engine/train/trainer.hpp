// SPDX-License-Identifier: GPL-3.0-or-later
// Training (docs/method.md section 3): feed-forward teacher forcing with Adam, a piecewise-constant
// learning-rate schedule, mini-batches, periodic validation (free simulation + modified angular
// separation) and best-snapshot selection.
#pragma once
#include "engine/config/model_config.hpp"
#include "engine/config/training_config.hpp"
#include "engine/core/progress.hpp"
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/sim/model_health.hpp"

#include <limits>
#include <string>
#include <vector>

namespace rmm {

struct EpochRecord {
    int epoch = 0;      ///< 0-based
    double seconds = 0; ///< wall time of the epoch's training steps
    double elapsed = 0; ///< wall time since training started, at the end of this epoch (validation included)
    double lr = 0;
    double train_loss = 0; ///< mean over the epoch's mini-batches (data term + rho L2)
    double validation_metric = std::numeric_limits<double>::quiet_NaN(); ///< NaN if not validated
    std::vector<double> per_neuron_metric;                               ///< empty if not validated
};

/// How a training ended.
enum class StopReason {
    Completed, ///< every planned epoch ran
    Cancelled, ///< the observer asked to stop (Ctrl-C, the Stop button)
    TimeLimit, ///< TrainingConfig::time_limit_s passed
    Diverged,  ///< non-finite loss or gradient, loss growth, or an implausible parameter
};
/// "completed", "cancelled", "time limit", "diverged".
const char* toString(StopReason s);

struct TrainingResult {
    CircuitModel best;   ///< best validated snapshot (the initial model if none validated)
    int best_epoch = -1; ///< -1: no validation happened
    double best_metric = std::numeric_limits<double>::quiet_NaN();
    int epochs_run = 0;
    double train_seconds = 0; ///< total wall time including precompute and validation
    std::vector<EpochRecord> curves;
    StopReason stop = StopReason::Completed;
    /// The words for users and for report.json's stop_reason: "completed", "cancelled", the
    /// time-limit message ("time limit reached (600 s) in epoch 12, ...") or the divergence's
    /// ("diverged: ... ; try ...").
    std::string stop_message = "completed";
    bool timeLimited() const { return stop == StopReason::TimeLimit; }
    /// Completed or stopped by its time limit: a result to keep as it is.
    bool finished() const { return stop == StopReason::Completed || stop == StopReason::TimeLimit; }
    std::vector<double> per_neuron_metric; ///< of the best snapshot
    /// The parameters at the end of training (after a divergence: those of `best`), with their
    /// epoch and their validation metric (NaN when the last epoch was not validated), for a user
    /// who prefers them to a best snapshot that never validated above 0.
    CircuitModel last;
    int last_epoch = -1;
    double last_metric = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::string> warnings;
    /// The kept model's free run over all held-out input (not computed after a cancel).
    FreeRunCheck free_run;
    bool free_run_checked = false;
};

/// Progress hook for the GUI/CLI: report() as Progress, called once before the filter-state
/// precompute (false there → rmm::Cancelled, nothing trained) and after every mini-batch (false →
/// stop after that mini-batch, result with StopReason::Cancelled); epochFinished after each epoch.
class TrainingObserver : public Progress {
  public:
    bool report(double, const std::string&) override { return true; }
    virtual void epochFinished(const EpochRecord&) {}
};

/// A new model of these settings, initialised from `seed` (CircuitModel::initialize); throws
/// rmm::Error when it would be too large to hold (naming the settings that size it).
CircuitModel newModel(const ModelConfig& mcfg, double dtMs, std::uint64_t seed);

/// Trains a model from scratch (initialised with tcfg.seed). Dispatches on tcfg.method:
/// TeacherForcing (tf_problem), MultipleShooting and GeneralizedTeacherForcing (multiple_shooting;
/// shot < 2 or longer than a training segment, gamma outside [0, 1], negative rho_v / rho_x are
/// errors). Default schedules: TF 1e-3; MS 0.01 -> 0.005 (epoch 50) -> 0.0025 (100) ->
/// 0.00125 (400); GTF 0.01.
/// Throws rmm::Error on bad settings (batches < 1, epochs < 1, empty schedule entries, lr <= 0,
/// threads < 1, too few training samples, too short validation segment) before any work starts.
TrainingResult train(const Dataset& data, const ModelConfig& mcfg, const TrainingConfig& tcfg,
                     TrainingObserver* observer = nullptr);

/// Same, continuing from a given model (its normalisation is re-frozen from `data` if not frozen).
TrainingResult train(const Dataset& data, const CircuitModel& initial, const TrainingConfig& tcfg,
                     TrainingObserver* observer = nullptr);

/// Learning rate at `epoch` for a schedule (sorted by from_epoch; entries before the first step
/// use the first entry's rate).
double learningRate(const std::vector<LrStep>& schedule, int epoch);

/// Validation metric of a model on data.validation: a free simulation restarted from the
/// recording every s.window_s seconds (SimulationOptions::resync_samples), the angular separation
/// of each neuron pooled over the windows (AngularSeparationParts; settings s, dt from data). Returns
/// per-neuron values; the metric is their mean. Always in float64, the arithmetic of `rmm simulate` and the
/// workbench, whatever the training precision: the metric reported for a snapshot is what its saved model
/// gives when re-run (a float32 free run of a spiking model drifts apart from the float64 one within
/// seconds). `rangeProblems` (if given) receives checkSpan's findings on the same free run.
std::vector<double> validateModel(const CircuitModel& model, const Dataset& data,
                                  const AngularSeparationSettings& s,
                                  std::vector<std::string>* rangeProblems = nullptr);
/// The same on another segment of `data` (a held-out part of any trial).
std::vector<double> validateModel(const CircuitModel& model, const Dataset& data, const Segment& segment,
                                  const AngularSeparationSettings& s,
                                  std::vector<std::string>* rangeProblems = nullptr);
/// The held-out segments that training.select_on = "held_out" scores: the validation segment,
/// then the part after the training segment of every other trial that is long enough for the
/// metric (more than twice the kernel half-width `dropped` samples).
std::vector<Segment> heldOutSegments(const Dataset& data, long dropped);

} // namespace rmm
