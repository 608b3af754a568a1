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
// Any dotted key of the experiment config ("training.rho", "model.lumped_hidden",
// "data.prefilter_hz"; array items such as "model.synapses[0].kind" are not supported, a whole
// list is one value: "model.intrinsic_hidden": [[10, 10], [20]]). Every part is optional but the
// spec must sweep something. Runs are the grid's product (keys in the order written, the last
// varying fastest) x the random draws x the seeds (each sets training.seed; default: the base's
// seed), seeds varying fastest. A key may be in one part only; "training.seed" belongs in
// "seeds". "description" may hold a note.
//
// Random draws are made once ("count" draws, each one value per random key in the order
// written), the same for every grid point, from std::mt19937_64 seeded with SplitMix64("seed")
// ("seed" default 1): one 64-bit number x per value, mapped by this code (not by <random>'s
// distributions, whose output differs between standard libraries), so re-expanding gives the
// same values everywhere (log_uniform up to the last bit of the platform's exp and log, which
// the comparison with a stored sweep tolerates). u = (x >> 11) * 2^-53 in [0, 1): uniform = low + u (high -
// low), log_uniform = exp(ln low + u (ln high - ln low)), choice = items[floor(u n)]. A uniform
// or log_uniform value of a key whose value in the base config (defaults filled in) is an
// integer ("training.batches", "training.shot", "training.epochs") is rounded to the nearest
// integer and stored as one.
//
// The sweep folder:
//   DIR/sweep.json               what was expanded: spec, base config, and every run's index,
//                                swept values, seed and full config (format below); written
//                                once, atomically; a later `rmm sweep run` with another base or
//                                spec into the same DIR is refused (refuse to mix)
//   DIR/sweep.lock               flock(2) of the local scheduler (`rmm sweep run`), holds its pid
//   DIR/runs/NNNN/config.json    the run's full config (data.file relative to this folder, so
//                                `rmm train --config DIR/runs/NNNN/config.json` works from anywhere)
//   DIR/runs/NNNN/started        written when a training starts: "host=H pid=P time=T
//                                [slurm_job=J]" on one line (T: UTC, 2024-05-01T12:00:00Z)
//   DIR/runs/NNNN/train.log      stdout + stderr of `rmm train`
//   DIR/runs/NNNN/result/        `rmm train --out`: model.h5, curves.csv, report.json
//   DIR/runs/NNNN/exit_code      rmm train's exit code (one integer; 128 + N when signal N ended
//                                it), written when it ends
//   DIR/runs/NNNN/*.previous     what an earlier attempt left (resetRunForRestart)
//   DIR/summary.csv, summary.json, summary.png   `rmm sweep summary`
//
// sweep.json: {"format": "rmm-sweep", "version": 1, "keys": ["training.rho", ...],
//   "spec": {...}, "base": {...}, "base_dir": "/abs/folder/of/base", "runs": [{"index": 0,
//   "folder": "runs/0000", "values": {"training.rho": 5e-9, ...}, "seed": 1, "config": {...}},
//   ...]}. The runs' configs there hold data.file relative to DIR ("base" is the user's file as
//   written, its data.file relative to base_dir); in memory (SweepRun::config) it is absolute.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
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
/// is empty"). Throws rmm::Error. The grid and random keys come in the object's order: the order
/// written for an ordered_json (loadSweepSpec), alphabetical for a plain json.
SweepSpec parseSweepSpec(const nlohmann::ordered_json& j, const std::string& source);
SweepSpec parseSweepSpec(const nlohmann::json& j, const std::string& source);
/// Reads and parses a spec file (comments allowed), keeping the order written. `raw`, when
/// given, receives the file's JSON (for prepareSweepFolder).
SweepSpec loadSweepSpec(const std::string& path, nlohmann::json* raw = nullptr);

struct SweepRun {
    int index = 0;
    std::string folder;     ///< "runs/0007"
    nlohmann::json values;  ///< object: swept key -> value (without the seed)
    std::uint64_t seed = 1; ///< training.seed of this run
    nlohmann::json config;  ///< the full config (every default filled in), data.file absolute
};

/// "training.rho = 5e-09, training.shot = 20, seed 1", for messages and tables; the values in
/// the order of `keys` (sweptKeys, SweepFolder::keys), alphabetical when it is empty.
std::string runLabel(const SweepRun& run, const std::vector<std::string>& keys = {});

/// The swept keys in column order: grid keys, then random keys.
std::vector<std::string> sweptKeys(const SweepSpec& spec);

/// Expands base x spec into runs and validates each run's config with the engine's own config
/// parser before anything starts. All problems of all runs are collected and thrown as one
/// rmm::Error, one line each, naming the run and the key ("run 3 (training.shot = 0):
/// training.shot: ..."); an unknown key is named once ("training.rhoo is not a key of the
/// experiment config; did you mean training.rho?"), so is a key that cannot be set (a part of
/// it is a value, not a section). A data.file that does not exist is a problem too. A problem
/// every run has is reported once ("all 24 runs: ..."). `baseDir` is the base config's folder
/// (its relative data path resolves against it). `base` is the user's config as written (not
/// toJson of it, so that a swept "training.lr" does not meet a filled-in "schedule").
std::vector<SweepRun> expandSweep(const nlohmann::json& base, const std::string& baseDir,
                                  const SweepSpec& spec);

/// Reads a base config file for expandSweep: its JSON as written and its folder (absolute).
/// Throws rmm::Error naming the file.
nlohmann::json loadBaseConfig(const std::string& path, std::string& baseDir);

/// Creates DIR/sweep.json and every run's folder with its config.json, or checks that an existing
/// DIR holds the same expansion (refusing a folder of another spec or base with a message saying
/// what differs, and a folder holding other things); recreates run folders or config files that
/// were deleted. Paths in config.json files are written relative to the run folder. Throws
/// rmm::Error naming the file on a write error (full disk).
/// A DIR that does not exist yet is created, with its parents. `baseDir` as for expandSweep.
/// sweep.json is written first, so a folder interrupted while being prepared is completed by the
/// next call. A runs/NNNN/config.json that exists but differs from sweep.json (edited by hand)
/// is refused, not overwritten.
void prepareSweepFolder(const std::string& dir, const nlohmann::json& base, const std::string& baseDir,
                        const nlohmann::json& specJson, const SweepSpec& spec,
                        const std::vector<SweepRun>& runs);

/// The read-only part of prepareSweepFolder (for --dry-run): throws rmm::Error when DIR holds
/// another sweep or other files; a missing DIR, an empty one or one with the same sweep pass.
void checkSweepFolder(const std::string& dir, const std::vector<SweepRun>& runs);

/// Takes DIR/sweep.lock (flock) for the rest of this process's life, so that two schedulers (a
/// local `rmm sweep run`, a `rmm sweep slurm` submission) never hand out the same runs, and writes
/// "pid P on HOST" into it. Returns false, with the holder's text in `holder`, when another process
/// holds it; throws rmm::Error naming the file when it cannot be created or locked.
bool lockSweepFolder(const std::string& dir, std::string& holder);

/// Reads DIR/sweep.json back. Throws rmm::Error when missing or not a sweep folder.
struct SweepFolder {
    std::string dir;
    std::vector<std::string> keys;
    nlohmann::json spec, base;
    std::vector<SweepRun> runs;
};
SweepFolder openSweepFolder(const std::string& dir);

/// The exit code of a training that could not be started at all (the shell's "command not found"
/// or exec failure): the run counts as Interrupted, to be run again, not as Failed.
inline constexpr int kCouldNotStart = 127;

enum class RunState {
    Pending,     ///< never started (or its folder was deleted)
    Running,     ///< started, not ended, its process alive (or on another host / in SLURM)
    Done,        ///< result/report.json: completed or stopped by its time limit
    Failed,      ///< ended with an error (diverged, bad data, crash): `reason` says why
    Interrupted, ///< cancelled, killed, or its process is gone without an exit code
};
const char* toString(RunState s);

/// What one run's folder says. Never throws: a damaged file gives Failed/Interrupted with a reason.
/// The rules, in order:
///   no run folder, or neither result/report.json nor exit_code nor started: Pending
///   result/report.json with stop_reason "completed" or time_limited true: Done
///   exit_code 130, 143 or 129 (SIGINT/SIGTERM/SIGHUP), or a report saying "cancelled": Interrupted
///   exit_code other than 0, or a report with another stop_reason (a divergence): Failed; reason =
///     the report's stop_reason, else the last "rmm train: ..." / "rmm: ..." line of train.log
///     (without that prefix), else "exit code N"; exit code 0 without a report: Failed
///   `started` without exit_code: slurm_job given, or another host: Running; this host: Running
///     while the pid is alive, else Interrupted ("its process ended without an exit code")
///   a damaged report.json or exit_code: Failed naming the file; a damaged started: Interrupted
struct RunStatus {
    int index = 0;
    RunState state = RunState::Pending;
    std::string reason;       ///< Failed/Interrupted: one line for the user
    std::string slurm_job;    ///< from `started`, when the run was started by SLURM
    std::string host;         ///< from `started`
    long pid = 0;             ///< from `started`, 0 = none
    std::string started_time; ///< from `started`
    int exit_code = -1;       ///< from exit_code, -1 = none
    double best_as = std::numeric_limits<double>::quiet_NaN(); ///< report.json best_validation
    std::vector<double> synaptic_r;      ///< per neuron (report synaptic_current pearson), NaN = none
    std::vector<double> amplitude_ratio; ///< per neuron
    int best_epoch = -1;                 ///< 1-based, -1 = none
    double train_seconds = std::numeric_limits<double>::quiet_NaN();
    bool physiological = true; ///< report free_run.in_range (true when not checked)
};
RunStatus readRunStatus(const std::string& dir, const SweepRun& run);

/// The worst (lowest) synaptic-current r over neurons, NaN when none.
double worstSynapticR(const RunStatus& s);

/// This machine's host name, as written to `started`.
std::string hostName();
/// Writes runs/NNNN/started atomically: "host=H pid=P time=T" (+ " slurm_job=J" when not empty).
void writeStarted(const std::string& dir, const SweepRun& run, long pid, const std::string& slurmJob = {});
/// Writes runs/NNNN/exit_code atomically.
void writeExitCode(const std::string& dir, const SweepRun& run, int code);
/// Before a run starts again: removes `started` and `exit_code`, and moves result/ and train.log
/// of the earlier attempt to result.previous and train.log.previous (replacing older ones), so
/// that what the new attempt writes is all that counts. Creates the run folder and its
/// config.json when missing. Throws rmm::Error naming the file that cannot be moved.
void resetRunForRestart(const std::string& dir, const SweepRun& run);
/// The run's config as written to runs/NNNN/config.json (data.file relative to that folder).
nlohmann::json runConfigFileJson(const std::string& dir, const SweepRun& run);

/// One row per setting (runs with the same swept values, over seeds).
struct SettingSummary {
    nlohmann::json values; ///< swept key -> value
    int runs = 0, done = 0;
    double mean_as = std::numeric_limits<double>::quiet_NaN(), min_as = mean_as, sd_as = mean_as;
    double mean_r = mean_as; ///< mean over done runs of the worst neuron's synaptic r
    double min_r = mean_as;
};

struct SweepSummary {
    std::string dir;
    std::vector<std::string> keys;
    std::vector<SweepRun> runs;           ///< as in sweep.json (full configs)
    std::vector<RunStatus> status;        ///< one per run, same order
    std::vector<SettingSummary> settings; ///< in the order of first appearance
    int neurons = 0;                      ///< most synaptic_r entries of any run
};
/// Reads the folder and every run's status; aggregates over seeds (statistics over Done runs
/// with a finite value; sd is the sample sd, NaN for fewer than two).
SweepSummary summarizeSweep(const std::string& dir);
/// Aggregates already-read runs (summarizeSweep = openSweepFolder + readRunStatus + this).
SweepSummary summarize(const SweepFolder& folder, std::vector<RunStatus> status);
/// {"format": "rmm-sweep-summary", "version": 1, "keys": [...], "neurons": N, "runs": [{"index",
/// "folder", "values", "seed", "status", "reason", "best_as", "synaptic_r": [...],
/// "worst_synaptic_r", "amplitude_ratio": [...], "best_epoch", "train_seconds",
/// "physiological", "slurm_job"}], "settings": [{"values", "runs", "done", "mean_as", "min_as",
/// "sd_as", "mean_r", "min_r"}]}; NaN is null.
nlohmann::json toJson(const SweepSummary& s);
/// One row per run: index, folder, every swept key, seed, status, best_as, r_n1.., amplitude_n1..,
/// best_epoch, train_seconds, physiological, reason. Numbers as %.9g, empty for NaN/none; a
/// swept value that is not a number as its JSON text ("\"ms\"", "[10,10]"); fields holding a
/// comma, quote or line break are quoted (RFC 4180).
std::string toCsv(const SweepSummary& s);
/// Writes DIR/summary.csv and DIR/summary.json atomically.
void writeSummaryFiles(const std::string& dir, const SweepSummary& s);

} // namespace rmm::sweep
