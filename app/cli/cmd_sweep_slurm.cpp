// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm sweep slurm --config BASE.json --spec SPEC.json --out DIR [--partition P] [--time T]
// [--cpus C] [--mem M] [--max-parallel K] [--retry-failed] [--submit]`: prepares the sweep folder
// as `rmm sweep run` does, then writes DIR/sweep.sbatch, a SLURM job array with one task per run
// still to do (engine/sweep/slurm.hpp), and prints the sbatch command, or submits it (--submit)
// and records the job id in DIR/slurm_jobs.txt. Also what `rmm sweep status` and `summary` learn
// from squeue/sacct (refineSlurmStatus). Dispatched from cmd_sweep.cpp (sweep_commands.hpp).
#include "command.hpp"
#include "sweep_commands.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/sweep/slurm.hpp"
#include "engine/sweep/sweep.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace rmm::cli {
namespace {

namespace fs = std::filesystem;
namespace sw = rmm::sweep;

int intOption(const Args& args, const std::string& key, int fallback, int lo, int hi, const char* what)
{
    const long v = args.integer(key, fallback);
    if (v < lo || v > hi)
        throw Error("--" + key + " " + std::to_string(v) + ": expected " + what);
    return static_cast<int>(v);
}

} // namespace

std::vector<std::string> sweepSlurmFlags()
{
    return {"submit", "retry-failed"};
}

std::string sweepSlurmUsage()
{
    return "  rmm sweep slurm --config BASE.json --spec SPEC.json --out DIR [--partition P] [--time T]\n"
           "                  [--cpus C] [--mem M] [--max-parallel K] [--retry-failed] [--submit]\n"
           "      Prepares DIR as `rmm sweep run` does, then writes DIR/sweep.sbatch: a SLURM job array\n"
           "      with one task per run not done yet (failed runs only with --retry-failed; runs that\n"
           "      SLURM is running or holds queued are left out), at most K at once (--max-parallel),\n"
           "      each with C CPUs (default 1; also rmm train's threads), time limit T (SLURM format:\n"
           "      minutes, HH:MM:SS, D-HH, ...; training stops 10 % of it, 1-10 min, earlier and keeps\n"
           "      its best model: rmm train --time-budget), memory M (4G, 500M) and partition P when\n"
           "      given, its log in DIR/runs/slurm-JOB_TASK.log. Prints the sbatch command, or with\n"
           "      --submit runs it and records the job id in DIR/slurm_jobs.txt. Submitting again is\n"
           "      safe: a task whose run is done exits at once. `rmm sweep status DIR` asks\n"
           "      squeue/sacct about the runs. The tasks run this rmm binary, or $RMM when set at\n"
           "      submission.\n";
}

int sweepSlurm(const Args& args)
{
    args.allowOnly({"config", "spec", "out", "partition", "time", "cpus", "mem", "max-parallel",
                    "retry-failed", "submit"});
    if (args.positional().size() > 1)
        throw Error("unexpected argument '" + args.positional()[1] + "'");
    const std::string basePath = args.require("config");
    const std::string specPath = args.require("spec");
    const std::string dir = args.require("out");
    sw::SlurmOptions o;
    o.partition = args.get("partition").value_or("");
    o.time = args.get("time").value_or("");
    o.mem = args.get("mem").value_or("");
    o.cpus = intOption(args, "cpus", 1, 1, 4096, "1 to 4096 CPUs per run");
    o.max_parallel = intOption(args, "max-parallel", 0, args.get("max-parallel") ? 1 : 0, 1000000,
                               "at least 1 run at a time");
    sw::validateSlurmOptions(o);

    // The runs, every config checked before anything is written.
    std::string baseDir;
    const nlohmann::json base = sw::loadBaseConfig(basePath, baseDir);
    nlohmann::json specJson;
    const sw::SweepSpec spec = sw::loadSweepSpec(specPath, &specJson);
    const std::vector<sw::SweepRun> runs = sw::expandSweep(base, baseDir, spec);
    sw::checkSweepFolder(dir, runs);

    // The folder, as `rmm sweep run` prepares it.
    const sw::SweepFolder folder =
        prepareLockedSweepFolder(dir, base, baseDir, specJson, spec, runs,
                                 "let it finish or stop it (Ctrl-C) before handing the sweep to SLURM");

    // What is to be done: not done, not running, not waiting in SLURM already.
    std::vector<sw::RunStatus> status;
    for (const auto& r : folder.runs)
        status.push_back(sw::readRunStatus(dir, r));
    const sw::SlurmRefinement slurm = sw::refineWithSlurm(folder, status);
    std::vector<int> indices;
    int done = 0, running = 0, queued = 0, failedSkipped = 0;
    for (const auto& s : status) {
        const bool inSlurm =
            std::find(slurm.active.begin(), slurm.active.end(), s.index) != slurm.active.end();
        if (s.state == sw::RunState::Done)
            ++done;
        else if (s.state == sw::RunState::Running)
            ++running;
        else if (inSlurm)
            ++queued;
        else if (s.state == sw::RunState::Failed && !args.flag("retry-failed"))
            ++failedSkipped;
        else
            indices.push_back(s.index);
    }
    std::cout << "sweep " << dir << ": " << folder.runs.size() << " run(s), " << done << " done";
    if (running > 0)
        std::cout << ", " << running << " running";
    if (queued > 0)
        std::cout << ", " << queued << " queued in SLURM";
    if (failedSkipped > 0)
        std::cout << ", " << failedSkipped << " failed (not submitted again without --retry-failed)";
    std::cout << ", " << indices.size() << " to submit\n";
    if (!slurm.note.empty())
        std::cout << slurm.note << "\n";
    if (indices.empty()) {
        std::cout << "nothing to submit";
        if (running + queued > 0)
            std::cout << "; `rmm sweep status " << dir << "` follows the runs in SLURM";
        std::cout << "\n";
        return 0;
    }

    const std::string script = sw::sbatchScript(folder, o, indices, rmmProgramPath());
    std::error_code ec;
    const std::string scriptPath =
        fs::absolute(fs::path(dir) / "sweep.sbatch", ec).lexically_normal().string();
    writeTextAtomically(scriptPath, script);
    std::string array = sw::compactIndexList(indices);
    if (o.max_parallel > 0) {
        array += '%'; // (not "%" + to_string(): a false -Wrestrict of GCC 12)
        array += std::to_string(o.max_parallel);
    }
    std::cout << "wrote " << scriptPath << ": a SLURM job array of " << indices.size()
              << " run(s) (--array=" << array << "), " << o.cpus << " CPU(s) each";
    if (!o.time.empty())
        std::cout << ", time limit " << o.time;
    if (!o.mem.empty())
        std::cout << ", memory " << o.mem;
    if (!o.partition.empty())
        std::cout << ", partition " << o.partition;
    std::cout << "\n";

    if (!args.flag("submit")) {
        std::cout << "submit it with:\n  sbatch " << sw::shellQuote(scriptPath) << "\n";
        return 0;
    }
    std::string jobId;
    try {
        jobId = sw::submitSbatch(scriptPath);
    } catch (const Error& e) {
        std::cerr << "rmm sweep: error: " << e.what() << "\n"
                  << "rmm sweep: the script is written; submit it by hand: sbatch "
                  << sw::shellQuote(scriptPath) << "\n";
        return 1;
    }
    std::cout << "submitted: SLURM job " << jobId << " (array " << array << ")" << std::endl;
    try {
        sw::recordSubmittedJob(dir, jobId, array);
    } catch (const Error& e) {
        std::cerr << "rmm sweep: error: job " << jobId << " is submitted but not recorded: " << e.what()
                  << "\nrmm sweep: `rmm sweep status` will not see its queued runs; add a line \"" << jobId
                  << "\" to " << (fs::path(dir) / "slurm_jobs.txt").string() << " by hand\n";
        return 1;
    }
    std::cout << "recorded in " << (fs::path(dir) / "slurm_jobs.txt").string()
              << "; follow it with: rmm sweep status " << dir << "\n";
    return 0;
}

void refineSlurmStatus(const rmm::sweep::SweepFolder& folder, std::vector<rmm::sweep::RunStatus>& status,
                       std::vector<std::string>& notes)
{
    const sw::SlurmRefinement r = sw::refineWithSlurm(folder, status);
    if (!r.note.empty())
        notes.push_back(r.note);
}

} // namespace rmm::cli
