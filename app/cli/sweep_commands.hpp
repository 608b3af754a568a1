// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm sweep` is one command with sub-commands in two files: cmd_sweep.cpp (run: the local
// scheduler; status; summary; the dispatch and the help text) and cmd_sweep_slurm.cpp (slurm:
// the SLURM job array, and what squeue/sacct say about runs). The functions below are defined in
// cmd_sweep_slurm.cpp and called by cmd_sweep.cpp.
#pragma once
#include "command.hpp"
#include "engine/core/error.hpp"
#include "engine/sweep/sweep.hpp"

#include <string>
#include <vector>

namespace rmm::cli {

/// `rmm sweep slurm ...`: args.positional()[0] is "slurm". Returns the exit code. An rmm::Error
/// thrown is printed as "rmm sweep: error: ..." and ends with exit code 2 (bad input).
int sweepSlurm(const Args& args);

/// Bad input to `rmm sweep` (exit code 2): settings, a folder of another sweep, a busy folder.
struct BadInput : Error {
    using Error::Error;
};

/// The absolute path of this rmm program (what the sweeps start for each training).
std::string rmmProgramPath();

/// Creates DIR (when new), takes its lock (sweep::lockSweepFolder; an rmm::Error ending with `busy`
/// when another scheduler holds it) and fills it as sweep::prepareSweepFolder does; a DIR this call
/// created is removed again when that fails. Returns the folder as its sweep.json says.
sweep::SweepFolder prepareLockedSweepFolder(const std::string& dir, const nlohmann::json& base,
                                            const std::string& baseDir, const nlohmann::json& specJson,
                                            const sweep::SweepSpec& spec,
                                            const std::vector<sweep::SweepRun>& runs,
                                            const std::string& busy);

/// The options of `rmm sweep slurm` that take no value (e.g. "submit"), added to the flags of
/// `rmm sweep` (Args needs them before the sub-command is known). Called while static objects
/// are constructed: must not use other files' static objects.
std::vector<std::string> sweepSlurmFlags();

/// The help text of `rmm sweep slurm`, printed within `rmm sweep --help`: lines starting
/// "  rmm sweep slurm --config ...", the explanation indented by six spaces, ending with "\n".
/// Same restriction as sweepSlurmFlags.
std::string sweepSlurmUsage();

/// Called by `rmm sweep status` and `rmm sweep summary` after readRunStatus: corrects the runs
/// that have a slurm_job with what squeue/sacct say (a job SLURM no longer runs that wrote no
/// exit_code becomes Interrupted or Failed with SLURM's reason, e.g. TIMEOUT, OUT_OF_MEMORY;
/// a queued one says so in `reason`), and may add runs not started yet that SLURM holds
/// queued. Lines in `notes` are printed after the table ("squeue not found: states from the run
/// folders only"). Must not throw for a missing squeue/sacct.
void refineSlurmStatus(const rmm::sweep::SweepFolder& folder, std::vector<rmm::sweep::RunStatus>& status,
                       std::vector<std::string>& notes);

} // namespace rmm::cli
