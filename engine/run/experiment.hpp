// SPDX-License-Identifier: GPL-3.0-or-later
// One trained run, from its config to the files of its folder (issue 18): runExperiment() is the
// training `rmm train` and the workbench both run (check, start model, train, validate the kept
// model, score its synaptic currents, summarise it), and RunReport is report.json, written and
// read only here (`rmm train`, the workbench's import of run folders, `rmm sweep status`).
#pragma once
#include "engine/config/experiment_config.hpp"
#include "engine/data/dataset.hpp"
#include "engine/sim/model_health.hpp"
#include "engine/sim/synaptic_scores.hpp"
#include "engine/train/trainable.hpp"
#include "engine/train/trainer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <limits>
#include <string>
#include <vector>

namespace rmm {

/// report.json's schema: "format": "rmm-run-report", "version". Version 1 added both keys; files
/// without them (earlier releases) read as version 0 with the same keys.
inline constexpr int kRunReportVersion = 1;

/// What report.json says about a run (README, "rmm train"). Indices are 0-based here; the file
/// numbers neurons and synapse ends from 1, as users do.
struct RunReport {
    int version = kRunReportVersion;
    std::string method;       ///< "tf", "ms", "gtf"
    std::string started_from; ///< the model file training.init named, "" = a new model
    int epochs_run = 0;
    int epochs_planned = 0;
    int batches = 0; ///< mini-batches per epoch used (training.batches, "auto" resolved; older reports: 0)
    double train_seconds = 0;
    int best_epoch = -1; ///< 0-based, -1 = none validated
    double best_validation = std::numeric_limits<double>::quiet_NaN();
    std::string stop_reason = "completed"; ///< TrainingResult::stop_message
    bool time_limited = false;
    double time_limit_s = 0; ///< 0 = none
    struct Validation {
        double angular_separation = std::numeric_limits<double>::quiet_NaN();
        std::vector<double> per_neuron;
        std::string trial;
        long begin = 0, end = 0;
        /// The protocol: the free run restarted from the recording every window_s seconds (0 =
        /// one free run over the segment; older reports: 0).
        double window_s = 0;
        /// The same metric of one free run over the whole segment, without restarts (equal to
        /// angular_separation when window_s = 0; NaN in older reports).
        double free_run_angular_separation = std::numeric_limits<double>::quiet_NaN();
    } validation;
    std::vector<SynapticCurrentScore> synaptic_current; ///< without traces
    bool free_run_checked = false;
    FreeRunCheck free_run; ///< without spans
    ModelSummary model;    ///< learned capacitance, leak, gbar ("membrane" and "synapses")
    struct Data {
        std::string file;
        double dt_ms = 0;
        int neurons = 0;
        int trials = 0;
        long training_samples = 0;
    } data;
    long parameters = 0;
    int threads = 0;
    std::vector<std::string> warnings;
    std::string rmm_version;
};

nlohmann::json toJson(const RunReport& r);
/// Reads a report (any version up to kRunReportVersion; a missing key keeps its default, a
/// non-finite number is written as null and read as NaN). Throws rmm::Error naming `where` and the
/// key when a value has the wrong type, or the version is newer than this release reads.
RunReport parseRunReport(const nlohmann::json& j, const std::string& where);
/// Reads and parses the file; throws rmm::Error naming it.
RunReport readRunReport(const std::string& path);

/// A trained run: the config as trained (its model section that of training.init's file when
/// one was given), the trainer's result (best and last models, curves) and the report.
struct TrainedRun {
    ExperimentConfig config;
    TrainingResult result;
    RunReport report;
};

/// The training of one experiment on a mapped dataset, for every front end: the checks of
/// checkTrainable, the starting model (startingModel: new or training.init's), training with
/// `observer` (cancel and progress as rmm::train), the kept model's validation when no epoch was
/// validated (an early stop), its synaptic currents against the recorded ones (docs/method.md
/// section 5), and the report. `cfg.training.validation.dt_ms` is filled from the data.
TrainedRun runExperiment(const ExperimentConfig& cfg, const Dataset& ds, TrainingObserver* observer);

/// The three files of a run folder: the kept model (with the config as trained and the run's
/// metadata), curves.csv and report.json, each written atomically to the paths given (the caller
/// places them: a FolderWriter's temporary folder for `rmm train`).
void writeRunFiles(const TrainedRun& run, const std::string& modelPath, const std::string& curvesPath,
                   const std::string& reportPath);

} // namespace rmm
