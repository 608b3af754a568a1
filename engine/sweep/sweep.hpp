// SPDX-License-Identifier: GPL-3.0-or-later
// Hyperparameter sweeps (issue 19): a base experiment config (the `rmm train` JSON) and a sweep
// spec expand into runs, each a complete config of its own; a sweep folder holds them and what
// their trainings wrote, and is read back into one summary. No Qt here: `rmm sweep` (local
// scheduler, SLURM job array) and the workbench's sweep view are shells over this.
//
// The sweep spec (JSON; comments allowed):
//   {
//     "grid":   {"training.rho": [5e-9, 5e-8], "training.shot": [20, 30]},
//     "random": {"count": 8, "seed": 1,
//                "training.lr": {"log_uniform": [1e-3, 1e-2]},
//                "training.gamma": {"uniform": [0, 1]},
//                "training.batches": {"choice": [24, 48, 96]}},
//     "seeds":  [1, 2, 3]
//   }
// Any dotted key of the experiment config ("training.rho", "model.hidden", "data.prefilter_hz",
// "model.synapses[0].kind" style array items are not supported). Every part is optional but
// the spec must give at least one run. Runs are the grid's product (keys in the order written,
// the last varying fastest) x the random draws (count; drawn once from "seed", default 1, so
// re-expanding gives the same values) x the seeds (each sets training.seed; default: the base's
// seed). A key may be in one part only; "training.seed" belongs in "seeds".
//
// The sweep folder:
//   DIR/sweep.json               what was expanded: spec, base config, and every run's index,
//                                swept values, seed and full config (format below); written
//                                once, atomically; a later `rmm sweep run` with another base or
//                                spec into the same DIR is refused (refuse to mix)
//   DIR/runs/NNNN/config.json    the run's full config (data.file relative to this folder)
//   DIR/runs/NNNN/started        written when a training starts: "host=H pid=P time=T
//                                [slurm_job=J]" on one line
//   DIR/runs/NNNN/train.log      stdout + stderr of `rmm train`
//   DIR/runs/NNNN/result/        `rmm train --out`: model.h5, curves.csv, report.json
//   DIR/runs/NNNN/exit_code      rmm train's exit code (one integer), written when it ends
//   DIR/summary.csv, summary.json, summary.png   `rmm sweep summary`
//
// sweep.json: {"format": "rmm-sweep", "version": 1, "keys": ["training.rho", ...],
//   "spec": {...}, "base": {...}, "runs": [{"index": 0, "folder": "runs/0000",
//   "values": {"training.rho": 5e-9, ...}, "seed": 1, "config": {...}}, ...]}
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace rmm::sweep {

/// One random dimension of a spec.
struct RandomKey {
    enum class Kind { Uniform, LogUniform, Choice };
    std::string key;
    Kind kind = Kind::Uniform;
    double low = 0, high = 0;          ///< Uniform, LogUniform (LogUniform: 0 < low < high)
    std::vector<nlohmann::json> items; ///< Choice
};

struct SweepSpec {
    std::vector<std::pair<std::string, std::vector<nlohmann::json>>> grid; ///< in the order written
    int random_count = 0;
    std::uint64_t random_seed = 1;
    std::vector<RandomKey> random;
    std::vector<std::uint64_t> seeds; ///< empty = the base config's seed
};

/// Parses a spec; errors name `source` and the key ("sweep.json: grid.training.rho: the list
/// is empty"). Throws rmm::Error.
SweepSpec parseSweepSpec(const nlohmann::json& j, const std::string& source);
SweepSpec loadSweepSpec(const std::string& path);

struct SweepRun {
    int index = 0;
    std::string folder;          ///< "runs/0007"
    nlohmann::json values;       ///< object: swept key -> value (without the seed)
    std::uint64_t seed = 1;      ///< training.seed of this run
    nlohmann::json config;       ///< the full config (every default filled in), data.file absolute
};

/// The swept keys in column order: grid keys, then random keys.
std::vector<std::string> sweptKeys(const SweepSpec& spec);

/// Expands base x spec into runs and validates each run's config with the engine's own config
/// parser before anything starts. All problems of all runs are collected and thrown as one
/// rmm::Error, one line each, naming the run and the key ("run 3 (training.shot = 0):
/// training.shot: ..."); an unknown key is named once ("training.rhoo is not a key of the
/// experiment config; did you mean training.rho?"). `baseDir` is the base config's folder (its
/// relative data path resolves against it).
std::vector<SweepRun> expandSweep(const nlohmann::json& base, const std::string& baseDir, const SweepSpec& spec);

/// Creates DIR/sweep.json and every run's folder with its config.json, or checks that an existing
/// DIR holds the same expansion (refusing a folder of another spec or base with a message saying
/// what differs, and a folder holding other things); recreates run folders or config files that
/// were deleted. Paths in config.json files are written relative to the run folder. Throws
/// rmm::Error naming the file on a write error (full disk).
void prepareSweepFolder(const std::string& dir, const nlohmann::json& base, const nlohmann::json& specJson,
                        const SweepSpec& spec, const std::vector<SweepRun>& runs);

/// Reads DIR/sweep.json back. Throws rmm::Error when missing or not a sweep folder.
struct SweepFolder {
    std::string dir;
    std::vector<std::string> keys;
    nlohmann::json spec, base;
    std::vector<SweepRun> runs;
};
SweepFolder openSweepFolder(const std::string& dir);

enum class RunState {
    Pending,     ///< never started (or its folder was deleted)
    Running,     ///< started, not ended, its process alive (or on another host / in SLURM)
    Done,        ///< result/report.json: completed or stopped by its time limit
    Failed,      ///< ended with an error (diverged, bad data, crash): `reason` says why
    Interrupted, ///< cancelled, killed, or its process is gone without an exit code
};
const char* toString(RunState s);

/// What one run's folder says. Never throws: a damaged file gives Failed/Interrupted with a reason.
struct RunStatus {
    int index = 0;
    RunState state = RunState::Pending;
    std::string reason;       ///< Failed/Interrupted: one line for the user
    std::string slurm_job;    ///< from `started`, when the run was started by SLURM
    double best_as = std::numeric_limits<double>::quiet_NaN(); ///< report.json best_validation
    std::vector<double> synaptic_r;      ///< per neuron (report synaptic_current pearson), NaN = none
    std::vector<double> amplitude_ratio; ///< per neuron
    int best_epoch = -1;                 ///< 1-based, -1 = none
    double train_seconds = std::numeric_limits<double>::quiet_NaN();
    bool physiological = true; ///< report free_run.in_range (true when not checked)
};
RunStatus readRunStatus(const std::string& dir, const SweepRun& run);

/// One row per setting (runs with the same swept values, over seeds).
struct SettingSummary {
    nlohmann::json values; ///< swept key -> value
    int runs = 0, done = 0;
    double mean_as = std::numeric_limits<double>::quiet_NaN(), min_as = mean_as, sd_as = mean_as;
    double mean_r = mean_as; ///< mean over done runs of the worst neuron's synaptic r
    double min_r = mean_as;
};

struct SweepSummary {
    std::vector<std::string> keys;
    std::vector<SweepRun> runs;       ///< without their configs' bulk needed? (kept: full)
    std::vector<RunStatus> status;    ///< one per run, same order
    std::vector<SettingSummary> settings;
    int neurons = 0; ///< most synaptic_r entries of any run
};
/// Reads the folder and every run's status; aggregates over seeds.
SweepSummary summarizeSweep(const std::string& dir);
nlohmann::json toJson(const SweepSummary& s);
/// One row per run: index, folder, every swept key, seed, status, best_as, r_n1.., amplitude_n1..,
/// best_epoch, train_seconds, physiological, reason.
std::string toCsv(const SweepSummary& s);
/// Writes DIR/summary.csv and DIR/summary.json atomically.
void writeSummaryFiles(const std::string& dir, const SweepSummary& s);

} // namespace rmm::sweep
