// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps on a SLURM cluster (issue 19): the job array script that runs a sweep folder's runs, one
// array task per run, and the questions put to SLURM about those tasks (squeue, sacct). No Qt.
//
// The script (DIR/sweep.sbatch) is plain bash a user can read and submit by hand: `sbatch
// DIR/sweep.sbatch`. Array task N trains run N in DIR/runs/NNNN exactly as `rmm sweep run` does
// (same files: started, train.log, result/, exit_code; see sweep.hpp), skips a run that is done
// already (so resubmitting the same script is safe), and exits with rmm train's exit code.
#pragma once
#include "engine/sweep/sweep.hpp"

#include <map>
#include <string>
#include <vector>

namespace rmm::sweep {

/// sbatch options of a sweep's job array. Empty strings leave SLURM's (partition's) default.
struct SlurmOptions {
    std::string partition; ///< --partition
    std::string time;      ///< --time, SLURM format: "30" (minutes), "MM:SS", "HH:MM:SS", "D-HH",
                           ///< "D-HH:MM", "D-HH:MM:SS", "UNLIMITED"
    int cpus = 1;          ///< --cpus-per-task (>= 1); also rmm train's --threads
    std::string mem;       ///< --mem: a whole number with an optional unit K, M, G or T ("4G",
                           ///< "500M"; no unit = megabytes)
    int max_parallel = 0;  ///< the array's "%K" throttle: at most K runs at once; 0 = no throttle
};

/// True for a SLURM time limit in one of the formats above.
bool isSlurmTime(const std::string& t);
/// Seconds of a valid SLURM time ("30" = 30 min, "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM",
/// "D-HH:MM:SS"); 0 for UNLIMITED / INFINITE.
long slurmTimeSeconds(const std::string& t);
/// The `rmm train --time-limit` (seconds) the job array gives its tasks under a SLURM time of
/// `seconds`: a margin of 10 % (at least 1 min, at most 10 min) before SLURM's SIGTERM, so a long
/// run ends as time-limited (done, its best model validated and saved) instead of being cut off
/// and counted as interrupted; 0 = none (no SLURM time, or one too short for a margin).
long trainTimeLimitFor(long seconds);
/// True for a SLURM memory size as above.
bool isSlurmMemory(const std::string& m);
/// Throws rmm::Error naming the option (--partition, --time, --cpus, --mem, --max-parallel) and
/// what was expected, for the first invalid field.
void validateSlurmOptions(const SlurmOptions& o);

/// Sorted, duplicate-free run indices as a SLURM array list: {0,1,2,3,4,5,8,10,11} ->
/// "0-5,8,10-11". Throws rmm::Error for an empty list or a negative index.
std::string compactIndexList(std::vector<int> indices);

/// `s` as one bash word: single-quoted, with ' written as '\''.
std::string shellQuote(const std::string& s);

/// The text of DIR/sweep.sbatch for the runs `indices` (run indices of `f`, e.g. those not done)
/// of the sweep folder `f`: `#SBATCH` lines (--job-name=rmm-sweep-<folder name>,
/// --array=<compactIndexList(indices)>[%max_parallel], --cpus-per-task, --time, --mem, --partition
/// when given, --chdir=DIR, --output=DIR/runs/slurm-%A_%a.log) and the bash body described above.
/// `rmmPath` is the `rmm` binary the tasks run unless the environment sets RMM; it and DIR are
/// made absolute. Throws rmm::Error when the options are invalid (validateSlurmOptions), an index
/// is not a run of `f` or its folder is not runs/NNNN (printf %04d), or DIR contains a character
/// that an #SBATCH line cannot hold (", newline).
std::string sbatchScript(const SweepFolder& f, const SlurmOptions& o, const std::vector<int>& indices,
                         const std::string& rmmPath);

/// A program's outcome (runProgram).
struct ProgramResult {
    bool started = false; ///< false: could not be run (not installed: `error` says so)
    int exit_code = -1;   ///< exit status; 128 + signal when killed
    std::string out, err; ///< its standard output and error
    std::string error;    ///< why it could not be started
};
/// Runs argv[0] (looked up in PATH) with arguments argv[1..] directly (posix_spawnp, no shell),
/// with standard input from /dev/null, and collects its output. Waits at most `timeoutSeconds`
/// (then kills it: exit_code -1, error says so).
ProgramResult runProgram(const std::vector<std::string>& argv, double timeoutSeconds = 60);

/// Submits `scriptPath` with `sbatch --parsable` and returns the job id ("1234"; without a
/// ";cluster" suffix). Throws rmm::Error with sbatch's own message when sbatch is missing or
/// refuses the job.
std::string submitSbatch(const std::string& scriptPath);

/// What SLURM says about jobs.
struct SlurmQuery {
    /// Job id as given (e.g. "1234_7" for an array task, "1234" for a job) -> SLURM state:
    /// PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY,
    /// NODE_FAIL, ... from squeue (which keeps ended jobs a few minutes) or else sacct; "ENDED" for
    /// a job that neither knows any more (it ended). Empty when squeue is not installed or fails.
    std::map<std::string, std::string> states;
    std::string note; ///< empty, or why the map is empty or incomplete (for the user)
};
/// Asks `squeue -h -r -t all -o "%i %T" -j <job ids>` and, for jobs squeue no longer knows and
/// when `accounting`, `sacct -n -P -X -o JobID,State -j ...` (when sacct is installed and
/// accounting is enabled). Ids that are not "N" or "N_M" are left out. Never throws.
SlurmQuery querySlurm(const std::vector<std::string>& jobIds, bool accounting = true);

/// The job ids recorded in DIR/slurm_jobs.txt by `rmm sweep slurm --submit` (first word of each
/// line), oldest first; empty when there is no such file.
std::vector<std::string> submittedJobs(const std::string& dir);
/// Appends a line "JOBID submitted=<unix time> array=<list>" to DIR/slurm_jobs.txt (atomically:
/// the whole file is rewritten). Throws rmm::Error naming the file.
void recordSubmittedJob(const std::string& dir, const std::string& jobId, const std::string& array);

/// What refineWithSlurm learnt.
struct SlurmRefinement {
    bool asked = false;      ///< false: nothing in DIR came from SLURM, so SLURM was not asked
    std::string note;        ///< empty, or why SLURM could not be asked (squeue missing, failed)
    std::vector<int> active; ///< run indices whose SLURM array task is pending or running
};
/// For `rmm sweep status`/`summary` (and `rmm sweep slurm`, which must not submit a run twice):
/// refines the states read from the run folders (`status`: readRunStatus's, one per run of
/// `folder`, same order) with what SLURM says about the runs started by SLURM
/// (RunStatus::slurm_job) and about the array tasks of the jobs in DIR/slurm_jobs.txt:
///   * Running, its task ended in SLURM, and still no exit_code -> Interrupted, or Failed when
///     SLURM says FAILED, OUT_OF_MEMORY, NODE_FAIL, BOOT_FAIL or DEADLINE; reason "SLURM job 12_3
///     ended (TIMEOUT) without an exit code"
///   * Failed or Interrupted, and SLURM says more about how its task ended (TIMEOUT,
///     OUT_OF_MEMORY, CANCELLED, ...; not COMPLETED or FAILED): "; SLURM: OUT_OF_MEMORY" appended
///     to the reason
///   * Pending, its task waits (or runs) in a job of slurm_jobs.txt -> stays Pending, reason
///     "queued in SLURM as job 12_3"; Failed or Interrupted (an earlier attempt) and submitted
///     again: "; again queued in SLURM as job 13_3" appended
///   * every run whose task is pending or running in SLURM is listed in `active`.
/// Asks nothing when no run that is not done has a slurm_job and there is no slurm_jobs.txt.
/// Never throws.
SlurmRefinement refineWithSlurm(const SweepFolder& folder, std::vector<RunStatus>& status);

/// True for a SLURM state in which the job has not ended (PENDING, RUNNING, CONFIGURING,
/// COMPLETING, SUSPENDED, REQUEUED, RESIZING, STAGE_OUT, SIGNALING, ...).
bool slurmStateActive(const std::string& state);

} // namespace rmm::sweep
