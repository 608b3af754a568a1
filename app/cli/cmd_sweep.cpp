// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm sweep run|status|summary|slurm`: hyperparameter sweeps (engine/sweep/sweep.hpp). `run` is
// a local scheduler: it trains the sweep's runs J at a time, each as a child `rmm train` in its
// own process group (so that Ctrl-C reaches the trainings through this process only: the first
// signal is forwarded, the trainings save their best snapshot and exit 130; a second one kills
// them), writes each run's `started` and `exit_code`, and keeps one progress line. `slurm` is
// in cmd_sweep_slurm.cpp (sweep_commands.hpp).
#include "command.hpp"
#include "interrupt.hpp"
#include "sweep_commands.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/core/json_fields.hpp"
#include "engine/sweep/slurm.hpp"
#include "engine/sweep/sweep.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rmm::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
namespace sw = rmm::sweep;
using Clock = std::chrono::steady_clock;

/// Bad input (exit code 2), as opposed to a failure while working (exit code 1).

std::string fmt(const char* f, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

// ---- signals ---------------------------------------------------------------------------------

volatile std::sig_atomic_t g_firstSignal = 0;
volatile std::sig_atomic_t g_signalCount = 0;

extern "C" void onSweepSignal(int sig)
{
    if (g_firstSignal == 0)
        g_firstSignal = sig;
    g_signalCount = g_signalCount + 1;
}

/// Unlike interrupt.hpp's handler, a second signal does not end this process: it kills the
/// trainings, which are then waited for.
void installSweepSignals()
{
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction current = {};
        if (sigaction(sig, nullptr, &current) == 0 && current.sa_handler == SIG_IGN)
            continue; // nohup and background jobs of scripts: stays ignored
        struct sigaction sa = {};
        sa.sa_handler = onSweepSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;
        sigaction(sig, &sa, nullptr);
    }
}

// ---- processes -------------------------------------------------------------------------------

} // namespace

std::string rmmProgramPath()
{
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        throw Error("cannot find the rmm program itself (/proc/self/exe)");
    buf[n] = '\0';
    return buf;
}

sw::SweepFolder prepareLockedSweepFolder(const std::string& dir, const nlohmann::json& base,
                                         const std::string& baseDir, const nlohmann::json& specJson,
                                         const sw::SweepSpec& spec, const std::vector<sw::SweepRun>& runs,
                                         const std::string& busy)
{
    std::error_code ec;
    const bool created = !fs::exists(dir, ec);
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(dir + ": cannot create the sweep folder (" + ec.message() + ")");
    try {
        std::string holder;
        if (!sw::lockSweepFolder(dir, holder))
            throw BadInput(dir + " is in use by another `rmm sweep run`" +
                           (holder.empty() ? std::string() : " (" + holder + ")") + "; " + busy);
        sw::prepareSweepFolder(dir, base, baseDir, specJson, spec, runs);
    } catch (const Error&) {
        if (created && !fs::exists(fs::path(dir) / "sweep.json", ec)) {
            fs::remove(fs::path(dir) / "sweep.lock", ec);
            fs::remove(dir, ec);
        }
        throw;
    }
    return sw::openSweepFolder(dir);
}

namespace {

struct CArgs {
    std::vector<std::string> strings;
    std::vector<char*> pointers;
    explicit CArgs(std::vector<std::string> s) : strings(std::move(s))
    {
        for (auto& a : strings)
            pointers.push_back(a.data());
        pointers.push_back(nullptr);
    }
};

/// Starts `program args` in a process group of its own with stdin from /dev/null and stdout +
/// stderr to `outFd`; it receives SIGTERM when this process dies. Returns its pid; throws
/// rmm::Error when it cannot be started.
pid_t spawn(const std::string& program, const std::vector<std::string>& args, int outFd,
            const std::vector<std::pair<std::string, std::string>>& env = {})
{
    CArgs argv(args);
    const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(143);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE})
            signal(sig, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(outFd, 1);
        dup2(outFd, 2);
        for (const auto& [k, v] : env)
            setenv(k.c_str(), v.c_str(), 1);
        execv(program.c_str(), argv.pointers.data());
        const int why = errno;
        const std::string msg = "rmm: cannot start " + program + ": " + std::strerror(why) + "\n";
        [[maybe_unused]] ssize_t w = write(2, msg.data(), msg.size());
        _exit(sw::kCouldNotStart);
    }
    const int err = errno;
    if (devnull >= 0)
        close(devnull);
    if (pid < 0)
        throw Error("cannot start " + program + " (" + std::strerror(err) + ")");
    setpgid(pid, pid); // also from here, so that a signal sent right away reaches only the group
    return pid;
}

int exitCodeOf(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

// ---- the sweep lock --------------------------------------------------------------------------

/// Every run's state as its folder says, refined by what SLURM says about the runs it was given
/// (squeue/sacct, cmd_sweep_slurm.cpp); `notes` says when SLURM could not be asked.
std::vector<sw::RunStatus> currentStatus(const sw::SweepFolder& folder, std::vector<std::string>& notes)
{
    std::vector<sw::RunStatus> status;
    for (const auto& r : folder.runs)
        status.push_back(sw::readRunStatus(folder.dir, r));
    refineSlurmStatus(folder, status, notes);
    return status;
}

// ---- progress --------------------------------------------------------------------------------

std::string duration(double seconds)
{
    if (seconds < 60)
        return "< 1 min";
    const long minutes = std::lround(seconds / 60);
    if (minutes < 60)
        return std::to_string(minutes) + " min";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld h %02ld min", minutes / 60, minutes % 60);
    return buf;
}

/// One line for the whole sweep: rewritten in place on a terminal, one line per change otherwise.
class ProgressLine {
  public:
    ProgressLine() : tty_(isatty(STDOUT_FILENO) == 1) {}

    /// On a terminal the line is rewritten when it changes, at most once a second for the ETA
    /// alone; otherwise a line is printed when anything but the ETA changes.
    void show(const std::string& line)
    {
        const auto now = Clock::now();
        if (tty_) {
            const bool changed = withoutEta(line) != withoutEta(last_);
            if (line == last_ || (!changed && now - lastShown_ < std::chrono::seconds(1)))
                return;
            std::cout << "\r" << line << std::string(width_ > line.size() ? width_ - line.size() : 0, ' ')
                      << std::flush;
            width_ = line.size();
            lastShown_ = now;
        } else {
            if (withoutEta(line) == withoutEta(last_))
                return;
            std::cout << line << std::endl;
        }
        last_ = line;
    }
    /// A line of its own (a failed run), above the progress line.
    void message(const std::string& text)
    {
        if (tty_ && width_ > 0) {
            std::cout << "\r" << text << std::string(width_ > text.size() ? width_ - text.size() : 0, ' ')
                      << "\n"
                      << last_ << std::flush;
            width_ = last_.size();
        } else {
            std::cout << text << std::endl;
        }
    }
    void finish()
    {
        if (tty_ && width_ > 0)
            std::cout << "\n" << std::flush;
        width_ = 0;
    }
    /// The progress line without its ETA, to tell changes from the passing of time.
    static std::string withoutEta(const std::string& line) { return line.substr(0, line.find(", ETA")); }

  private:
    bool tty_;
    std::string last_;
    std::size_t width_ = 0;
    Clock::time_point lastShown_{};
};

// ---- rmm sweep run ---------------------------------------------------------------------------

struct Active {
    const sw::SweepRun* run;
    pid_t pid;
    Clock::time_point start;
    bool signalled = false;
    bool killed = false;
};

int sweepRun(const Args& args)
{
    std::string dir, baseDir;
    json base, specJson;
    sw::SweepSpec spec;
    std::vector<sw::SweepRun> runs;
    long jobs = 1, threads = 1;
    try {
        args.allowOnly({"config", "spec", "out", "jobs", "threads", "retry-failed", "dry-run"});
        if (args.positional().size() > 1)
            throw Error("unexpected argument '" + args.positional()[1] + "'");
        const std::string basePath = args.require("config");
        const std::string specPath = args.require("spec");
        dir = args.require("out");
        jobs = args.integer("jobs", 1);
        if (jobs < 1 || jobs > 1024)
            throw Error("--jobs " + std::to_string(jobs) + ": must be between 1 and 1024");
        const long cores = std::max(1u, std::thread::hardware_concurrency());
        threads = args.integer("threads", std::max(1L, cores / jobs));
        if (threads < 1 || threads > 1024)
            throw Error("--threads " + std::to_string(threads) + ": must be between 1 and 1024");
        base = sw::loadBaseConfig(basePath, baseDir);
        spec = sw::loadSweepSpec(specPath, &specJson);
        runs = sw::expandSweep(base, baseDir, spec);
        sw::checkSweepFolder(dir, runs);
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        throw BadInput(e.what());
    }
    const std::vector<std::string> keys = sw::sweptKeys(spec);

    if (args.flag("dry-run")) {
        std::cout << "sweep of " << runs.size() << " run(s) into " << dir << " (dry run: nothing written)\n";
        for (const auto& r : runs)
            std::cout << "  " << r.folder << "  " << sw::runLabel(r, keys) << "\n";
        std::error_code ec;
        if (fs::exists(fs::path(dir) / "sweep.json", ec))
            std::cout << dir << " holds this sweep already; running it resumes it\n";
        return 0;
    }

    const sw::SweepFolder folder = prepareLockedSweepFolder(
        dir, base, baseDir, specJson, spec, runs, "wait for it to end, or stop it with Ctrl-C or kill -INT");
    runs = folder.runs; // what sweep.json holds is what runs

    // What is to be done.
    std::deque<const sw::SweepRun*> queue;
    int done = 0, failed = 0, elsewhere = 0, failedSkipped = 0;
    std::vector<sw::RunStatus> states;
    states.reserve(runs.size());
    for (const auto& r : runs)
        states.push_back(sw::readRunStatus(dir, r));
    // Runs whose array task is still queued or running in SLURM (rmm sweep slurm) are left to it.
    const sw::SlurmRefinement slurm = sw::refineWithSlurm(folder, states);
    if (!slurm.note.empty())
        std::cout << "note: " << slurm.note << "\n";
    for (std::size_t k = 0; k < runs.size(); ++k) {
        const sw::SweepRun& r = runs[k];
        const sw::RunStatus& s = states[k];
        if (std::find(slurm.active.begin(), slurm.active.end(), r.index) != slurm.active.end()) {
            ++elsewhere;
            std::cout << "run " << r.index << " (" << sw::runLabel(r, keys)
                      << ") is queued or running in SLURM; left alone\n";
            continue;
        }
        switch (s.state) {
        case sw::RunState::Done:
            ++done;
            break;
        case sw::RunState::Failed:
            if (args.flag("retry-failed")) {
                queue.push_back(&r);
            } else {
                ++failed;
                ++failedSkipped;
            }
            break;
        case sw::RunState::Running:
            ++elsewhere;
            std::cout << "run " << r.index << " (" << sw::runLabel(r, keys) << ") is running "
                      << (s.slurm_job.empty() ? "as pid " + std::to_string(s.pid) + " on " + s.host
                                              : "as SLURM job " + s.slurm_job)
                      << "; left alone\n";
            break;
        case sw::RunState::Pending:
        case sw::RunState::Interrupted:
            queue.push_back(&r);
            break;
        }
    }
    const int total = static_cast<int>(runs.size());
    std::cout << "sweep " << dir << ": " << total << " run(s), " << done << " done, " << queue.size()
              << " to run, " << jobs << " at a time with " << threads << " thread(s) each" << std::endl;
    if (failedSkipped > 0)
        std::cout << failedSkipped << " failed run(s) are not run again (--retry-failed runs them)\n";

    installSweepSignals();
    const std::string self = rmmProgramPath();
    std::vector<Active> active;
    std::vector<double> durations;
    int interrupted = 0;
    bool stopping = false, killing = false;
    ProgressLine progress;
    const auto progressText = [&]() {
        std::string line = "sweep: " + std::to_string(done) + "/" + std::to_string(total) + " done, " +
                           std::to_string(failed) + " failed, " + std::to_string(active.size()) + " running";
        if (interrupted > 0)
            line += ", " + std::to_string(interrupted) + " interrupted";
        if (stopping) {
            line += ", stopping";
        } else if (!durations.empty() && (!queue.empty() || !active.empty())) {
            double perRun = 0;
            for (double d : durations)
                perRun += d / static_cast<double>(durations.size());
            double work = static_cast<double>(queue.size()) * perRun;
            const auto now = Clock::now();
            for (const auto& a : active)
                work += std::max(0.0, perRun - std::chrono::duration<double>(now - a.start).count());
            line += ", ETA " + duration(work / static_cast<double>(jobs));
        }
        return line;
    };

    const auto startRun = [&](const sw::SweepRun& run) {
        try {
            sw::resetRunForRestart(dir, run);
            const fs::path runDir = fs::path(dir) / run.folder;
            const std::string log = (runDir / "train.log").string();
            const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0)
                throw Error(log + ": cannot create (" + std::strerror(errno) + ")");
            pid_t pid = -1;
            try {
                pid = spawn(self,
                            {"rmm", "train", "--config", (runDir / "config.json").string(), "--out",
                             (runDir / "result").string(), "--threads", std::to_string(threads)},
                            fd);
            } catch (...) {
                close(fd);
                throw;
            }
            close(fd);
            active.push_back({&run, pid, Clock::now()});
            try {
                sw::writeStarted(dir, run, pid);
            } catch (const Error& e) {
                progress.message("warning: run " + std::to_string(run.index) + ": " + e.what());
            }
        } catch (const Error& e) {
            ++failed;
            progress.message("run " + std::to_string(run.index) + " (" + sw::runLabel(run, keys) +
                             ") could not start: " + e.what());
        }
    };

    const auto ended = [&](std::size_t k, int status) {
        const Active a = active[k];
        active.erase(active.begin() + static_cast<long>(k));
        // A training the sweep killed (second Ctrl-C) counts as interrupted, not failed.
        const bool killedHere = a.killed && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        const int code = killedHere ? 128 + static_cast<int>(g_firstSignal) : exitCodeOf(status);
        try {
            sw::writeExitCode(dir, *a.run, code);
        } catch (const Error& e) {
            progress.message("warning: run " + std::to_string(a.run->index) + ": " + e.what());
        }
        const sw::RunStatus s = sw::readRunStatus(dir, *a.run);
        const double seconds = std::chrono::duration<double>(Clock::now() - a.start).count();
        switch (s.state) {
        case sw::RunState::Done:
            ++done;
            durations.push_back(seconds);
            break;
        case sw::RunState::Interrupted:
            ++interrupted;
            if (code == sw::kCouldNotStart && !stopping) {
                // Every further run would fail the same way (e.g. rmm rebuilt or removed while the
                // sweep runs): stop starting runs instead of burning through the queue.
                stopping = true;
                progress.message("run " + std::to_string(a.run->index) + ": " + s.reason +
                                 "; no further runs are started (run the same command again to resume)");
            } else if (!stopping)
                progress.message("run " + std::to_string(a.run->index) + " (" + sw::runLabel(*a.run, keys) +
                                 ") was interrupted: " + s.reason);
            break;
        default:
            ++failed;
            durations.push_back(seconds);
            progress.message(
                "run " + std::to_string(a.run->index) + " (" + sw::runLabel(*a.run, keys) +
                ") failed: " + (s.reason.empty() ? "exit code " + std::to_string(code) : s.reason) +
                " (log: " + (fs::path(dir) / a.run->folder / "train.log").string() + ")");
            break;
        }
    };

    while (true) {
        if (g_signalCount > 0 && !stopping) {
            stopping = true;
            if (!active.empty())
                progress.message(
                    "stopping: " + std::to_string(active.size()) +
                    " training(s) save their best snapshot and end (" +
                    std::string(*signalName(g_firstSignal) ? signalName(g_firstSignal) : "a signal") +
                    " again kills them)");
        }
        if (stopping)
            for (auto& a : active)
                if (!a.signalled) {
                    kill(a.pid, g_firstSignal);
                    a.signalled = true;
                }
        if (g_signalCount > 1 && !killing) {
            killing = true;
            for (auto& a : active) {
                kill(-a.pid, SIGKILL); // its process group: the training and anything it started
                a.killed = true;
            }
        }
        bool reaped = false;
        for (std::size_t k = 0; k < active.size();) {
            int status = 0;
            const pid_t p = waitpid(active[k].pid, &status, WNOHANG);
            if (p == active[k].pid) {
                ended(k, status);
                reaped = true;
            } else {
                ++k;
            }
        }
        if (!stopping)
            while (static_cast<long>(active.size()) < jobs && !queue.empty()) {
                const sw::SweepRun* r = queue.front();
                queue.pop_front();
                startRun(*r);
            }
        if (active.empty() && (queue.empty() || stopping))
            break;
        progress.show(progressText());
        if (!reaped)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    progress.show(progressText());
    progress.finish();

    if (stopping && g_signalCount == 0) { // not a signal: a training could not be started
        std::cout << "stopped: rmm train could not be started (see above); " << done << " of " << total
                  << " runs done, the rest resume when the same command is run again" << std::endl;
        return 1;
    }
    if (stopping) {
        std::cout << "stopped: " << interrupted << " run(s) interrupted; run the same command again to resume"
                  << std::endl;
        return 128 + (g_firstSignal != 0 ? static_cast<int>(g_firstSignal) : SIGINT);
    }
    if (done == total) {
        std::cout << "sweep: all " << total << " runs done; `rmm sweep summary " << dir
                  << "` writes summary.csv, summary.json and summary.png" << std::endl;
        return 0;
    }
    std::cout << "sweep: " << done << " of " << total << " runs done";
    if (failed > 0)
        std::cout << ", " << failed << " failed (`rmm sweep status " << dir
                  << "` lists them; --retry-failed runs them again)";
    if (elsewhere > 0)
        std::cout << ", " << elsewhere << " running elsewhere";
    if (interrupted > 0)
        std::cout << ", " << interrupted << " interrupted (run the same command again to resume)";
    std::cout << std::endl;
    return 3;
}

// ---- rmm sweep status ------------------------------------------------------------------------

std::string folderArgument(const Args& args, const char* sub)
{
    if (args.positional().size() != 2)
        throw Error(std::string("expected the sweep folder: rmm sweep ") + sub + " DIR");
    return args.positional()[1];
}

std::string stateLine(const sw::RunStatus& s)
{
    std::string line = sw::toString(s.state);
    if (s.state == sw::RunState::Running) {
        if (!s.slurm_job.empty())
            line += " (SLURM job " + s.slurm_job + ")";
        else if (s.pid > 0)
            line += " (pid " + std::to_string(s.pid) + " on " + s.host + ")";
        if (!s.started_time.empty())
            line += ", since " + s.started_time;
    }
    if (!s.reason.empty())
        line += ": " + s.reason;
    return line;
}

int sweepStatus(const Args& args)
{
    std::string dir;
    sw::SweepFolder folder;
    try {
        args.allowOnly({});
        dir = folderArgument(args, "status");
        folder = sw::openSweepFolder(dir);
    } catch (const Error& e) {
        throw BadInput(e.what());
    }
    std::vector<std::string> notes;
    std::vector<sw::RunStatus> status = currentStatus(folder, notes);

    int count[5] = {};
    for (const auto& s : status)
        ++count[static_cast<int>(s.state)];
    std::cout << "sweep " << dir << ": " << folder.runs.size() << " run(s)";
    for (auto st : {sw::RunState::Done, sw::RunState::Failed, sw::RunState::Running,
                    sw::RunState::Interrupted, sw::RunState::Pending})
        std::cout << ", " << count[static_cast<int>(st)] << " " << sw::toString(st);
    std::cout << "\n";
    for (std::size_t k = 0; k < status.size(); ++k)
        if (status[k].state != sw::RunState::Done)
            std::cout << "  run " << folder.runs[k].index << " (" << sw::runLabel(folder.runs[k], folder.keys)
                      << "): " << stateLine(status[k]) << "\n";
    for (const auto& n : notes)
        std::cout << n << "\n";
    return 0;
}

// ---- rmm sweep summary -----------------------------------------------------------------------

std::string valueText(const json& v)
{
    if (v.is_number_float())
        return fmt("%.4g", v.get<double>());
    if (v.is_string())
        return v.get<std::string>();
    return jsonf::shown(v);
}

std::string numberText(const char* f, double v)
{
    return std::isfinite(v) ? fmt(f, v) : std::string("-");
}

/// Prints rows as columns: text left-aligned in the first `leftColumns`, the rest right-aligned.
void printTable(const std::vector<std::vector<std::string>>& rows, std::size_t leftColumns)
{
    std::vector<std::size_t> width;
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (width.size() <= c)
                width.push_back(0);
            width[c] = std::max(width[c], r[c].size());
        }
    for (const auto& r : rows) {
        std::string line = " ";
        for (std::size_t c = 0; c < r.size(); ++c) {
            line.push_back(' ');
            if (c >= leftColumns)
                line.append(width[c] - r[c].size(), ' ');
            line.append(r[c]);
            if (c < leftColumns)
                line.append(width[c] - r[c].size(), ' ');
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        std::cout << line << "\n";
    }
}

/// rmm-workbench beside this program (installed: the same bindir; build tree: app/gui/ beside
/// app/cli/), else on PATH; RMM_WORKBENCH overrides. Empty when not found.
std::string findWorkbench(std::string& looked)
{
    if (const char* env = std::getenv("RMM_WORKBENCH"); env && *env) {
        looked = std::string(env) + " (RMM_WORKBENCH)";
        return access(env, X_OK) == 0 ? env : "";
    }
    std::vector<fs::path> candidates;
    try {
        const fs::path here = fs::path(rmmProgramPath()).parent_path();
        candidates = {here / "rmm-workbench", here.parent_path() / "gui" / "rmm-workbench"};
    } catch (const Error&) {
    }
    if (const char* path = std::getenv("PATH")) {
        std::stringstream ss(path);
        std::string part;
        while (std::getline(ss, part, ':'))
            if (!part.empty())
                candidates.push_back(fs::path(part) / "rmm-workbench");
    }
    for (const auto& c : candidates)
        if (access(c.c_str(), X_OK) == 0)
            return c.string();
    looked = "beside rmm or on PATH";
    return {};
}

/// Runs the workbench headless to draw summary.png; returns "" or why it was not written.
std::string writeSummaryPlot(const std::string& dir, const std::string& png)
{
    std::string looked;
    const std::string workbench = findWorkbench(looked);
    if (workbench.empty())
        return "rmm-workbench not found (" + looked + ")";
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0)
        return std::string("cannot start rmm-workbench (") + std::strerror(errno) + ")";
    pid_t pid = -1;
    try {
        pid = spawn(workbench, {"rmm-workbench", "--export-sweep-plot", dir, "--figure-out", png}, pipeFds[1],
                    {{"QT_QPA_PLATFORM", "offscreen"}});
    } catch (const Error& e) {
        close(pipeFds[0]);
        close(pipeFds[1]);
        return e.what();
    }
    close(pipeFds[1]);
    fcntl(pipeFds[0], F_SETFL, O_NONBLOCK);
    std::string output;
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    int status = 0;
    bool finished = false;
    while (!finished) {
        char buf[4096];
        ssize_t n;
        while ((n = read(pipeFds[0], buf, sizeof buf)) > 0)
            output.append(buf, static_cast<std::size_t>(n));
        if (waitpid(pid, &status, WNOHANG) == pid) {
            finished = true;
            while ((n = read(pipeFds[0], buf, sizeof buf)) > 0)
                output.append(buf, static_cast<std::size_t>(n));
        } else if (Clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            close(pipeFds[0]);
            return "rmm-workbench did not finish within 120 s";
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    close(pipeFds[0]);
    const int code = exitCodeOf(status);
    std::error_code ec;
    if (code == 0 && fs::exists(png, ec))
        return {};
    std::string last;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            last = line;
    return workbench + " failed (exit code " + std::to_string(code) + ")" + (last.empty() ? "" : ": " + last);
}

int sweepSummary(const Args& args)
{
    std::string dir;
    sw::SweepFolder folder;
    long top = 10;
    try {
        args.allowOnly({"top"});
        dir = folderArgument(args, "summary");
        top = args.integer("top", 10);
        if (top < 0)
            throw Error("--top " + std::to_string(top) + ": must be >= 0");
        folder = sw::openSweepFolder(dir);
    } catch (const Error& e) {
        throw BadInput(e.what());
    }
    std::vector<std::string> notes;
    std::vector<sw::RunStatus> status = currentStatus(folder, notes);
    const sw::SweepSummary s = sw::summarize(folder, std::move(status));
    sw::writeSummaryFiles(dir, s);
    const fs::path d(dir);
    std::cout << "wrote " << (d / "summary.csv").string() << ", " << (d / "summary.json").string() << "\n";

    int count[5] = {};
    for (const auto& st : s.status)
        ++count[static_cast<int>(st.state)];
    const int total = static_cast<int>(s.runs.size());
    const int doneRuns = count[static_cast<int>(sw::RunState::Done)];
    std::cout << "\n" << doneRuns << " of " << total << " runs done";
    if (doneRuns < total)
        std::cout << " (" << count[static_cast<int>(sw::RunState::Failed)] << " failed, "
                  << count[static_cast<int>(sw::RunState::Running)] << " running, "
                  << count[static_cast<int>(sw::RunState::Interrupted)] << " interrupted, "
                  << count[static_cast<int>(sw::RunState::Pending)] << " pending; `rmm sweep status " << dir
                  << "` says why)";
    std::cout << "\n";

    // The best runs.
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < s.runs.size(); ++k)
        if (s.status[k].state == sw::RunState::Done && std::isfinite(s.status[k].best_as))
            order.push_back(k);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return s.status[a].best_as > s.status[b].best_as; });
    if (static_cast<long>(order.size()) > top)
        order.resize(static_cast<std::size_t>(top));
    if (!order.empty()) {
        std::cout << "\ntop " << order.size()
                  << " run(s) by angular separation (AS, higher is better; worst r: "
                  << "the lowest synaptic-current correlation over neurons):\n";
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> head = {"run"};
        for (const auto& k : s.keys)
            head.push_back(k);
        for (const char* h : {"seed", "AS", "worst r", "epoch", "seconds"})
            head.push_back(h);
        rows.push_back(head);
        for (std::size_t k : order) {
            const auto& r = s.runs[k];
            const auto& st = s.status[k];
            std::vector<std::string> row = {std::to_string(r.index)};
            for (const auto& key : s.keys)
                row.push_back(r.values.contains(key) ? valueText(r.values[key]) : "");
            row.push_back(std::to_string(r.seed));
            row.push_back(numberText("%.4f", st.best_as));
            row.push_back(numberText("%.3f", sw::worstSynapticR(st)));
            row.push_back(st.best_epoch >= 1 ? std::to_string(st.best_epoch) : "-");
            row.push_back(numberText("%.1f", st.train_seconds));
            rows.push_back(row);
        }
        printTable(rows, 0);
    }

    // Over seeds.
    bool seeds = false;
    for (const auto& set : s.settings)
        seeds = seeds || set.runs > 1;
    if (seeds) {
        std::vector<std::size_t> so(s.settings.size());
        for (std::size_t k = 0; k < so.size(); ++k)
            so[k] = k;
        std::stable_sort(so.begin(), so.end(), [&](std::size_t a, std::size_t b) {
            const double x = s.settings[a].mean_as, y = s.settings[b].mean_as;
            if (std::isfinite(x) != std::isfinite(y))
                return std::isfinite(x);
            return x > y;
        });
        std::cout
            << "\nper setting over seeds (AS of the done runs: mean, min, sample sd; worst r: mean, min):\n";
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> head;
        for (const auto& k : s.keys)
            head.push_back(k);
        for (const char* h : {"done", "mean AS", "min AS", "sd AS", "mean r", "min r"})
            head.push_back(h);
        rows.push_back(head);
        for (std::size_t k : so) {
            const auto& set = s.settings[k];
            std::vector<std::string> row;
            for (const auto& key : s.keys)
                row.push_back(set.values.contains(key) ? valueText(set.values[key]) : "");
            row.push_back(std::to_string(set.done) + "/" + std::to_string(set.runs));
            row.push_back(numberText("%.4f", set.mean_as));
            row.push_back(numberText("%.4f", set.min_as));
            row.push_back(numberText("%.4f", set.sd_as));
            row.push_back(numberText("%.3f", set.mean_r));
            row.push_back(numberText("%.3f", set.min_r));
            rows.push_back(row);
        }
        printTable(rows, 0);
    }
    for (const auto& n : notes)
        std::cout << n << "\n";

    const std::string png = (d / "summary.png").string();
    std::cout << std::flush;
    const std::string why = writeSummaryPlot(dir, png);
    if (why.empty())
        std::cout << "\nwrote " << png << "\n";
    else
        std::cout << "\nsummary.png not written: " << why << "\n";
    return 0;
}

// ---- dispatch --------------------------------------------------------------------------------

int sweep(const Args& args)
{
    try {
        if (args.positional().empty())
            throw BadInput("expected a sub-command: run, status, summary or slurm (see 'rmm sweep --help')");
        const std::string sub = args.positional()[0];
        if (sub == "run")
            return sweepRun(args);
        if (sub == "status")
            return sweepStatus(args);
        if (sub == "summary")
            return sweepSummary(args);
        if (sub == "slurm" || sub.rfind("slurm-", 0) == 0) {
            try {
                return sweepSlurm(args);
            } catch (const Cancelled&) {
                throw;
            } catch (const BadInput&) {
                throw;
            } catch (const Error& e) {
                throw BadInput(e.what());
            }
        }
        throw BadInput("unknown sub-command '" + sub + "'; expected run, status, summary or slurm");
    } catch (const BadInput& e) {
        std::cerr << "rmm sweep: error: " << e.what() << "\n";
        return 2;
    }
}

std::vector<std::string> sweepFlags()
{
    std::vector<std::string> flags = {"retry-failed", "dry-run"};
    for (auto& f : sweepSlurmFlags())
        if (std::find(flags.begin(), flags.end(), f) == flags.end())
            flags.push_back(f);
    return flags;
}

std::string sweepUsage()
{
    return "run|status|summary|slurm [options]\n"
           "  Hyperparameter sweeps: a base experiment config (as for rmm train) x a sweep spec\n"
           "  expand into runs DIR/runs/NNNN/, each with its full config.json.\n"
           "\n"
           "  rmm sweep run --config BASE.json --spec SPEC.json --out DIR [--jobs J] [--threads T]\n"
           "                [--retry-failed] [--dry-run]\n"
           "      Checks every run's config first (all problems at once; nothing is created when one\n"
           "      is wrong), then trains the runs here, J at a time (default 1) with T threads each\n"
           "      (default: the cores / J), each run's output in DIR/runs/NNNN/train.log, with one\n"
           "      progress line for the sweep. A run that fails is recorded with its reason and the\n"
           "      sweep goes on. Ctrl-C (or SIGTERM) stops the running trainings after their current\n"
           "      mini-batch with their best snapshot saved; a second one kills them. The same\n"
           "      command again resumes: done and failed runs are skipped (--retry-failed runs the\n"
           "      failed ones again), interrupted ones start again. DIR holding another sweep, or\n"
           "      other files, is refused. --dry-run lists the runs and writes nothing.\n"
           "      Exit code 0: all runs done; 3: some failed; 2: bad input; 130/143/129: stopped.\n"
           "  rmm sweep status DIR\n"
           "      Counts the runs per state (done, failed, running, interrupted, pending) and lists\n"
           "      every run not done with its reason.\n"
           "  rmm sweep summary DIR [--top N]\n"
           "      Writes DIR/summary.csv and DIR/summary.json (one row per run: swept values, seed,\n"
           "      status, best angular separation, synaptic-current r and amplitude per neuron, best\n"
           "      epoch, training seconds), prints the N best runs (default 10) and the mean, min and\n"
           "      sd over seeds of each setting, and draws DIR/summary.png with rmm-workbench run\n"
           "      headless (found beside rmm or on PATH; RMM_WORKBENCH names another).\n" +
           sweepSlurmUsage() +
           "\n"
           "  SPEC.json: {\"grid\": {\"training.rho\": [5e-9, 5e-8], \"training.shot\": [20, 30]},\n"
           "    \"random\": {\"count\": 8, \"seed\": 1, \"training.lr\": {\"log_uniform\": [1e-3, 1e-2]}},\n"
           "    \"seeds\": [1, 2, 3]}: any dotted key of the experiment config; runs = the grid's\n"
           "    product x the random draws (uniform, log_uniform or choice; the same draws for every\n"
           "    grid point, reproducible from \"seed\") x the seeds (training.seed).";
}

const Registrar reg({"sweep", "run a hyperparameter sweep here or on a SLURM cluster, and summarize it",
                     sweepUsage(), sweepFlags(), sweep});

} // namespace
} // namespace rmm::cli
