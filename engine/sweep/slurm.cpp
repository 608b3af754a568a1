// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sweep/slurm.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace rmm::sweep {
namespace fs = std::filesystem;

namespace {

bool allDigits(const std::string& s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> split(const std::string& s, char sep)
{
    std::vector<std::string> parts;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    return parts;
}

std::string runFolderName(int index)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "runs/%04d", index);
    return buf;
}

std::string firstLine(const std::string& s)
{
    std::string line = s.substr(0, s.find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    return line;
}

/// A value of an #SBATCH line, double-quoted (sbatch strips the quotes; spaces survive).
std::string directiveValue(const std::string& v)
{
    return "\"" + v + "\"";
}

} // namespace

bool isSlurmTime(const std::string& t)
{
    if (t == "UNLIMITED" || t == "INFINITE" || t == "unlimited" || t == "infinite")
        return true;
    // [days-]rest, where rest has 1..3 colon-separated fields; with days, rest is HH[:MM[:SS]].
    std::string rest = t;
    bool days = false;
    if (const auto dash = t.find('-'); dash != std::string::npos) {
        if (!allDigits(t.substr(0, dash)))
            return false;
        rest = t.substr(dash + 1);
        days = true;
    }
    const auto fields = split(rest, ':');
    if (fields.size() > 3)
        return false;
    for (const auto& f : fields)
        if (!allDigits(f) || f.size() > 9)
            return false;
    // Every field after the first counts in a base of 60 (minutes, seconds) or 24 (hours).
    for (std::size_t i = 1; i < fields.size(); ++i)
        if (std::stol(fields[i]) >= 60)
            return false;
    if (days && std::stol(fields[0]) >= 24)
        return false;
    // A zero limit is no limit at all to SLURM's parser only in some versions: refuse it.
    bool anyNonZero = days && std::stol(t.substr(0, t.find('-'))) > 0;
    for (const auto& f : fields)
        anyNonZero = anyNonZero || std::stol(f) > 0;
    return anyNonZero;
}

long slurmTimeSeconds(const std::string& t)
{
    if (!isSlurmTime(t) || t == "UNLIMITED" || t == "INFINITE" || t == "unlimited" || t == "infinite")
        return 0;
    long days = 0;
    std::string rest = t;
    if (const auto dash = t.find('-'); dash != std::string::npos) {
        days = std::stol(t.substr(0, dash));
        rest = t.substr(dash + 1);
    }
    const auto f = split(rest, ':');
    std::vector<long> v;
    v.reserve(f.size());
    for (const auto& x : f)
        v.push_back(std::stol(x));
    long s = 0;
    if (days > 0 || t.find('-') != std::string::npos) // D-HH[:MM[:SS]]
        s = v[0] * 3600 + (v.size() > 1 ? v[1] * 60 : 0) + (v.size() > 2 ? v[2] : 0);
    else if (v.size() == 1) // minutes
        s = v[0] * 60;
    else if (v.size() == 2) // MM:SS
        s = v[0] * 60 + v[1];
    else // HH:MM:SS
        s = v[0] * 3600 + v[1] * 60 + v[2];
    return days * 86400 + s;
}

long trainTimeLimitFor(long seconds)
{
    if (seconds <= 0)
        return 0;
    const long margin = std::clamp(seconds / 10, 60L, 600L);
    return seconds - margin >= 60 ? seconds - margin : 0;
}

bool isSlurmMemory(const std::string& m)
{
    if (m.empty() || m.size() > 12)
        return false;
    std::string digits = m;
    const char last = m.back();
    if (std::strchr("KMGTkmgt", last) != nullptr)
        digits.pop_back();
    return allDigits(digits) && std::stoll(digits) > 0;
}

void validateSlurmOptions(const SlurmOptions& o)
{
    for (unsigned char c : o.partition)
        if (!(std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == ','))
            throw Error("--partition '" + o.partition +
                        "': expected a partition name (letters, digits, _ - .; several separated by commas)");
    if (!o.time.empty() && !isSlurmTime(o.time))
        throw Error("--time '" + o.time +
                    "': expected a SLURM time limit: minutes (\"30\"), \"MM:SS\", \"HH:MM:SS\", \"D-HH\", "
                    "\"D-HH:MM\" or \"D-HH:MM:SS\" (e.g. \"2:00:00\", \"1-12\")");
    if (o.cpus < 1 || o.cpus > 4096)
        throw Error("--cpus " + std::to_string(o.cpus) + ": expected 1 to 4096 CPUs per run");
    if (!o.mem.empty() && !isSlurmMemory(o.mem))
        throw Error("--mem '" + o.mem +
                    "': expected a memory size per run: a whole number with an optional unit K, M, G or T "
                    "(\"4G\", \"500M\"; no unit = megabytes)");
    if (o.max_parallel < 0)
        throw Error("--max-parallel " + std::to_string(o.max_parallel) +
                    ": expected at least 1 run at a time");
}

std::string compactIndexList(std::vector<int> indices)
{
    if (indices.empty())
        throw Error("a SLURM job array needs at least one run");
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    if (indices.front() < 0)
        throw Error("run index " + std::to_string(indices.front()) + " cannot be a SLURM array index");
    std::string out;
    for (std::size_t i = 0; i < indices.size();) {
        std::size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1)
            ++j;
        if (!out.empty())
            out += ',';
        out += std::to_string(indices[i]);
        if (j > i)
            out += '-' + std::to_string(indices[j]);
        i = j + 1;
    }
    return out;
}

std::string shellQuote(const std::string& s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string sbatchScript(const SweepFolder& f, const SlurmOptions& o, const std::vector<int>& indices,
                         const std::string& rmmPath)
{
    validateSlurmOptions(o);
    std::error_code ec;
    fs::path dirPath = fs::absolute(fs::path(f.dir), ec);
    if (ec)
        throw Error(f.dir + ": cannot make the sweep folder's path absolute: " + ec.message());
    dirPath = dirPath.lexically_normal();
    std::string dir = dirPath.string();
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    for (char c : dir)
        if (c == '"' || c == '\n' || c == '\r' || c == '\\')
            throw Error(dir + ": a sweep folder for SLURM cannot have \", \\ or a line break in its path "
                              "(#SBATCH lines cannot hold them); use another folder");
    std::string rmm = fs::absolute(fs::path(rmmPath), ec).lexically_normal().string();
    if (ec || rmmPath.empty())
        rmm = rmmPath;

    for (int index : indices) {
        const auto it =
            std::find_if(f.runs.begin(), f.runs.end(), [&](const SweepRun& r) { return r.index == index; });
        if (it == f.runs.end())
            throw Error(dir + ": the sweep has no run " + std::to_string(index));
        if (it->folder != runFolderName(index))
            throw Error(dir + "/sweep.json: run " + std::to_string(index) + " is in '" + it->folder +
                        "', expected '" + runFolderName(index) +
                        "' (a SLURM array task finds its run folder by its index)");
    }
    const std::string array = compactIndexList(indices);

    std::string name = fs::path(dir).filename().string();
    for (char& c : name)
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
            c = '_';
    std::string outputDir = dir; // '%' starts a SLURM file name pattern; "%%" is a literal one.
    std::string escaped;
    for (char c : outputDir)
        escaped += c == '%' ? std::string("%%") : std::string(1, c);

    std::ostringstream s;
    s << "#!/bin/bash\n";
    s << "#SBATCH --job-name=" << directiveValue("rmm-sweep-" + name) << "\n";
    s << "#SBATCH --array=" << array;
    if (o.max_parallel > 0)
        s << "%" << o.max_parallel;
    s << "\n";
    s << "#SBATCH --cpus-per-task=" << o.cpus << "\n";
    if (!o.time.empty())
        s << "#SBATCH --time=" << o.time << "\n";
    if (!o.mem.empty())
        s << "#SBATCH --mem=" << o.mem << "\n";
    if (!o.partition.empty())
        s << "#SBATCH --partition=" << o.partition << "\n";
    s << "#SBATCH --chdir=" << directiveValue(dir) << "\n";
    s << "#SBATCH --output=" << directiveValue(escaped + "/runs/slurm-%A_%a.log") << "\n";
    // Under a SLURM time limit, training stops a margin before it (trainTimeLimitFor), or at the
    // run's own training.time_limit_s when that comes first (rmm train --time-budget).
    std::string timeLimit;
    if (const long limit = trainTimeLimitFor(slurmTimeSeconds(o.time)); limit > 0)
        timeLimit = "--time-budget " + std::to_string(limit) + "s ";
    // The body, with @DIR@ (in a comment), @SWEEP@ and @RMM@ (bash words) filled in below.
    std::string body = R"SH(#
# Written by `rmm sweep slurm` (rmm @VERSION@): a SLURM job array over the sweep in
# @DIR@, one array task per run. Task N trains runs/NNNN as `rmm sweep run`
# does (started, train.log, result/, exit_code in the run's folder) and skips a run that is done
# already, so submitting this file again is safe. Submit it with
#   sbatch @SCRIPT@
# Another rmm binary: RMM=/path/to/rmm sbatch ... (the environment is passed to the tasks).
set -u
SWEEP=@SWEEP@
if [ -z "${RMM:-}" ]; then
    RMM=@RMM@
fi
N=${SLURM_ARRAY_TASK_ID:?not a SLURM array task: submit this script with sbatch}
RUN="$SWEEP/runs/$(printf '%04d' "$N")"
if [ ! -f "$RUN/config.json" ]; then
    echo "rmm sweep: run $N: $RUN/config.json is missing (run 'rmm sweep slurm' again to recreate it)" >&2
    exit 2
fi
if [ -f "$RUN/result/report.json" ] && [ "$(cat "$RUN/exit_code" 2>/dev/null)" = 0 ]; then
    echo "rmm sweep: run $N is done already; skipped"
    exit 0
fi
# As `rmm sweep run` does before a run starts again: what an earlier attempt left is set aside.
rm -f "$RUN/exit_code" "$RUN/started"
if [ -e "$RUN/result" ]; then rm -rf "$RUN/result.previous" && mv -f "$RUN/result" "$RUN/result.previous"; fi
if [ -e "$RUN/train.log" ]; then mv -f "$RUN/train.log" "$RUN/train.log.previous"; fi
echo "host=$(hostname) pid=$$ time=$(date -u +%Y-%m-%dT%H:%M:%SZ) slurm_job=${SLURM_ARRAY_JOB_ID:-${SLURM_JOB_ID:-0}}_$N" \
    >"$RUN/.started.tmp.$$" && mv -f "$RUN/.started.tmp.$$" "$RUN/started"
# At the time limit or on scancel SLURM sends SIGTERM to every process of the task: rmm train
# then saves its best model so far and exits. Wait for it and record its exit code.
trap 'echo "rmm sweep: run $N: SIGTERM from SLURM (time limit or scancel)"' TERM
"$RMM" train --config "$RUN/config.json" --out "$RUN/result" --threads "${SLURM_CPUS_PER_TASK:-1}" \
    @TIMELIMIT@>"$RUN/train.log" 2>&1
code=$?
echo "$code" >"$RUN/.exit_code.tmp.$$" && mv -f "$RUN/.exit_code.tmp.$$" "$RUN/exit_code"
echo "rmm sweep: run $N ended with exit code $code (log: $RUN/train.log)"
exit "$code"
)SH";
    // One pass, so that a value holding a key (a folder named "@RMM@") stays as it is.
    const std::vector<std::pair<std::string, std::string>> values = {
        {"@VERSION@", RMM_VERSION},
        {"@DIR@", dir},
        {"@SCRIPT@", shellQuote(dir + "/sweep.sbatch")},
        {"@SWEEP@", shellQuote(dir)},
        {"@RMM@", shellQuote(rmm)},
        {"@TIMELIMIT@", timeLimit}};
    for (std::size_t at = 0; at < body.size();) {
        const auto it = std::find_if(values.begin(), values.end(), [&](const auto& kv) {
            return body.compare(at, kv.first.size(), kv.first) == 0;
        });
        if (it == values.end()) {
            s << body[at++];
        } else {
            s << it->second;
            at += it->first.size();
        }
    }
    return s.str();
}

ProgramResult runProgram(const std::vector<std::string>& argv, double timeoutSeconds)
{
    ProgramResult r;
    if (argv.empty()) {
        r.error = "no program given";
        return r;
    }
    int outPipe[2], errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0) {
        r.error = std::string("cannot create a pipe: ") + std::strerror(errno);
        return r;
    }
    if (pipe2(errPipe, O_CLOEXEC) != 0) {
        r.error = std::string("cannot create a pipe: ") + std::strerror(errno);
        close(outPipe[0]);
        close(outPipe[1]);
        return r;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
    std::vector<char*> cargv;
    cargv.reserve(argv.size() + 1);
    for (const auto& a : argv)
        cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(outPipe[1]);
    close(errPipe[1]);
    if (rc != 0) {
        close(outPipe[0]);
        close(errPipe[0]);
        r.error = rc == ENOENT ? argv[0] + " is not installed (not found in PATH)"
                               : "cannot run " + argv[0] + ": " + std::strerror(rc);
        return r;
    }
    r.started = true;

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutSeconds);
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open = 2;
    bool timedOut = false;
    while (open > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        const int n = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (n < 0 && errno != EINTR)
            break;
        for (int k = 0; k < 2; ++k) {
            if (fds[k].fd < 0 || fds[k].revents == 0)
                continue;
            char buf[4096];
            const ssize_t got = read(fds[k].fd, buf, sizeof buf);
            if (got > 0) {
                sinks[k]->append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[k].fd);
                fds[k].fd = -1;
                --open;
            }
        }
    }
    for (auto& p : fds)
        if (p.fd >= 0)
            close(p.fd);
    if (timedOut)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut) {
        r.exit_code = -1;
        r.error =
            argv[0] + " did not finish within " + std::to_string(static_cast<int>(timeoutSeconds)) + " s";
    } else if (WIFEXITED(status)) {
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.exit_code = 128 + WTERMSIG(status);
    }
    return r;
}

std::string submitSbatch(const std::string& scriptPath)
{
    const ProgramResult r = runProgram({"sbatch", "--parsable", scriptPath}, 120);
    if (!r.started)
        throw Error("cannot submit " + scriptPath + ": " + r.error);
    if (r.exit_code != 0)
        throw Error("sbatch refused " + scriptPath + " (exit code " + std::to_string(r.exit_code) +
                    "): " + (r.err.empty() ? r.error : firstLine(r.err)));
    // --parsable prints "jobid" or "jobid;cluster".
    std::string id = firstLine(r.out);
    id = id.substr(0, id.find(';'));
    if (!allDigits(id))
        throw Error("sbatch accepted " + scriptPath + " but printed no job id: '" + firstLine(r.out) + "'");
    return id;
}

bool slurmStateActive(const std::string& state)
{
    static const std::set<std::string> active = {
        "PENDING",      "RUNNING",  "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED",     "REQUEUE_FED",
        "REQUEUE_HOLD", "RESIZING", "STAGE_OUT",   "SIGNALING",  "STOPPED",   "RESV_DEL_HOLD"};
    return active.count(state) > 0;
}

SlurmQuery querySlurm(const std::vector<std::string>& jobIds, bool accounting)
{
    SlurmQuery q;
    // Job ids as written by the script: "123_4" (array task) or "123". Others are not asked about.
    std::vector<std::string> ids;
    std::set<std::string> bases;
    for (const auto& id : jobIds) {
        const auto parts = split(id, '_');
        if (parts.size() > 2 || !allDigits(parts[0]) || (parts.size() == 2 && !allDigits(parts[1])))
            continue;
        if (std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
        bases.insert(parts[0]);
    }
    if (ids.empty())
        return q;
    std::string list;
    for (const auto& b : bases)
        list += (list.empty() ? "" : ",") + b;

    const ProgramResult sq = runProgram({"squeue", "-h", "-r", "-t", "all", "-o", "%i %T", "-j", list}, 30);
    if (!sq.started) {
        q.note = "SLURM not asked: " + sq.error + "; run states come from the run folders only";
        return q;
    }
    std::map<std::string, std::string> seen;
    if (sq.exit_code == 0) {
        std::istringstream lines(sq.out);
        std::string line;
        while (std::getline(lines, line)) {
            std::istringstream fields(line);
            std::string id, state;
            if (fields >> id >> state)
                seen[id] = state;
        }
    } else if (sq.err.find("Invalid job id") == std::string::npos) {
        // squeue answers "Invalid job id specified" when none of the jobs is known any more
        // (they ended); anything else means the controller could not be asked.
        q.note = "SLURM not asked: squeue failed (exit code " + std::to_string(sq.exit_code) +
                 "): " + firstLine(sq.err.empty() ? sq.error : sq.err) +
                 "; run states come from the run folders only";
        return q;
    }
    std::vector<std::string> missing;
    for (const auto& id : ids) {
        if (auto it = seen.find(id); it != seen.end())
            q.states[id] = it->second;
        else
            missing.push_back(id);
    }
    if (missing.empty())
        return q;
    if (!accounting) {
        for (const auto& id : missing)
            q.states[id] = "ENDED";
        return q;
    }

    // Jobs squeue has forgotten: their final state from accounting, where there is one.
    std::string missingList;
    for (const auto& id : missing)
        missingList += (missingList.empty() ? "" : ",") + id;
    const ProgramResult sa =
        runProgram({"sacct", "-n", "-P", "-X", "-o", "JobID,State", "-j", missingList}, 30);
    std::map<std::string, std::string> final;
    if (sa.started && sa.exit_code == 0) {
        std::istringstream lines(sa.out);
        std::string line;
        while (std::getline(lines, line)) {
            const auto bar = line.find('|');
            if (bar == std::string::npos)
                continue;
            std::string state = line.substr(bar + 1);
            state = state.substr(0, state.find(' ')); // "CANCELLED by 0"
            final[line.substr(0, bar)] = state;
        }
    }
    for (const auto& id : missing) {
        auto it = final.find(id);
        q.states[id] = it != final.end() && !it->second.empty() ? it->second : "ENDED";
    }
    return q;
}

std::vector<std::string> submittedJobs(const std::string& dir)
{
    std::vector<std::string> ids;
    std::ifstream in(fs::path(dir) / "slurm_jobs.txt");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string id;
        if (words >> id && allDigits(id) && std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    }
    return ids;
}

void recordSubmittedJob(const std::string& dir, const std::string& jobId, const std::string& array)
{
    const std::string path = (fs::path(dir) / "slurm_jobs.txt").string();
    std::string text;
    {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream old;
        old << in.rdbuf();
        text = old.str();
    }
    if (!text.empty() && text.back() != '\n')
        text += '\n';
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    text += jobId + " submitted=" + std::to_string(now) + " array=" + array + "\n";
    writeTextAtomically(path, text);
}

namespace {

/// A SLURM end state that means the run failed, as opposed to was stopped.
bool slurmStateFailure(const std::string& state)
{
    return state == "FAILED" || state == "OUT_OF_MEMORY" || state == "NODE_FAIL" || state == "BOOT_FAIL" ||
           state == "DEADLINE";
}

} // namespace

SlurmRefinement refineWithSlurm(const SweepFolder& folder, std::vector<RunStatus>& status)
{
    SlurmRefinement out;
    const std::vector<std::string> jobs = submittedJobs(folder.dir);
    std::vector<std::string> started; // slurm_job of the runs that SLURM started, not done
    std::vector<std::string> queued;  // JOB_INDEX of the runs not done nor running, for every submitted job
    for (const auto& s : status) {
        if (!s.slurm_job.empty() && s.state != RunState::Done)
            started.push_back(s.slurm_job);
        if (s.state == RunState::Pending || s.state == RunState::Failed || s.state == RunState::Interrupted)
            for (const auto& j : jobs)
                if (j + "_" + std::to_string(s.index) != s.slurm_job)
                    queued.push_back(j + "_" + std::to_string(s.index));
    }
    if (started.empty() && queued.empty())
        return out;
    out.asked = true;
    const SlurmQuery a = querySlurm(started, true);
    const SlurmQuery b = queued.empty() ? SlurmQuery{} : querySlurm(queued, false);
    out.note = !a.note.empty() ? a.note : b.note;

    for (std::size_t k = 0; k < status.size(); ++k) {
        RunStatus& s = status[k];
        bool active = false;
        if (!s.slurm_job.empty() && s.state != RunState::Done) {
            if (auto it = a.states.find(s.slurm_job); it != a.states.end()) {
                const std::string& state = it->second;
                active = slurmStateActive(state);
                const bool told = state != "ENDED" && state != "COMPLETED"; // says more than "it ended"
                if (s.state == RunState::Running && !active) {
                    // The task may have written its exit code since the folder was read.
                    const std::string runFolder =
                        k < folder.runs.size() ? folder.runs[k].folder : runFolderName(s.index);
                    std::error_code ec;
                    if (!fs::exists(fs::path(folder.dir) / runFolder / "exit_code", ec)) {
                        s.state = slurmStateFailure(state) ? RunState::Failed : RunState::Interrupted;
                        s.reason = "SLURM job " + s.slurm_job + " ended" + (told ? " (" + state + ")" : "") +
                                   " without an exit code";
                    }
                } else if ((s.state == RunState::Failed || s.state == RunState::Interrupted) && told &&
                           state != "FAILED" && !active) {
                    // E.g. killed at its memory limit or time limit: SLURM's word says why.
                    s.reason += (s.reason.empty() ? "" : "; ") + std::string("SLURM: ") + state;
                }
            }
        }
        if (s.state == RunState::Pending || s.state == RunState::Failed || s.state == RunState::Interrupted) {
            for (const auto& j : jobs) {
                const std::string id = j + "_" + std::to_string(s.index);
                auto it = b.states.find(id);
                if (it == b.states.end() || !slurmStateActive(it->second))
                    continue;
                active = true;
                const std::string where =
                    (it->second == "PENDING" ? "queued in SLURM as job " : "in SLURM as job ") + id +
                    (it->second == "PENDING" ? "" : " (" + it->second + ")");
                if (s.state == RunState::Pending)
                    s.reason = where;
                else
                    s.reason += (s.reason.empty() ? "" : "; ") + std::string("again ") + where;
            }
        }
        if (active)
            out.active.push_back(s.index);
    }
    return out;
}

} // namespace rmm::sweep
