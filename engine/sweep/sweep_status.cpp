// SPDX-License-Identifier: GPL-3.0-or-later
// What a sweep's run folders say (run states) and the summary over them (sweep.hpp).
#include "engine/sweep/sweep.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/run/experiment.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <unistd.h>

namespace rmm::sweep {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Reads a small file; false when it does not exist.
bool readSmall(const fs::path& path, std::string& text)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return false;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read");
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    return true;
}

std::string trim(const std::string& s)
{
    const auto a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos)
        return {};
    const auto b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

std::string signalName(int code)
{
    switch (code) {
    case 129:
        return "SIGHUP";
    case 130:
        return "SIGINT";
    case 143:
        return "SIGTERM";
    case 137:
        return "SIGKILL";
    case 134:
        return "SIGABRT";
    case 139:
        return "SIGSEGV";
    default:
        return {};
    }
}

/// The last "rmm train: ..." or "rmm: ..." line of train.log, without that prefix.
std::string lastRmmLine(const fs::path& log)
{
    std::ifstream in(log, std::ios::binary);
    if (!in)
        return {};
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    const std::streamoff from = std::max<std::streamoff>(0, size - 65536);
    in.seekg(from);
    std::string tail((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string found;
    std::istringstream lines(tail);
    std::string line;
    while (std::getline(lines, line)) {
        line = trim(line);
        for (const char* prefix : {"rmm train: ", "rmm: "})
            if (line.rfind(prefix, 0) == 0)
                found = line.substr(std::char_traits<char>::length(prefix));
    }
    if (found.size() > 400)
        found = found.substr(0, 397) + "...";
    return found;
}

/// Fills the metrics of a report.json.
void readReport(const RunReport& r, RunStatus& s)
{
    s.best_as = r.best_validation;
    s.best_epoch = r.best_epoch >= 0 ? r.best_epoch + 1 : -1;
    s.train_seconds = r.train_seconds;
    int neurons = std::clamp(r.data.neurons, 0, 64);
    for (const SynapticCurrentScore& e : r.synaptic_current)
        if (e.neuron < 64)
            neurons = std::max(neurons, e.neuron + 1);
    s.synaptic_r.assign(static_cast<std::size_t>(neurons), kNaN);
    s.amplitude_ratio.assign(static_cast<std::size_t>(neurons), kNaN);
    for (const SynapticCurrentScore& e : r.synaptic_current) {
        if (e.neuron >= neurons)
            continue;
        const auto i = static_cast<std::size_t>(e.neuron);
        s.synaptic_r[i] = e.metrics.pearson;
        s.amplitude_ratio[i] = e.metrics.amplitude_ratio;
    }
    s.physiological = !r.free_run_checked || r.free_run.in_range;
}

bool isInterruptCode(int code)
{
    return code == 130 || code == 143 || code == 129;
}

RunStatus readRunStatusUnchecked(const std::string& dir, const SweepRun& run)
{
    RunStatus s;
    s.index = run.index;
    const fs::path runDir = fs::path(dir) / run.folder;
    std::error_code ec;
    if (!fs::is_directory(runDir, ec))
        return s; // Pending

    // result/report.json
    std::string text;
    std::optional<RunReport> report;
    std::string reportProblem;
    const fs::path reportPath = runDir / "result" / "report.json";
    const std::string reportName = run.folder + "/result/report.json";
    try {
        if (readSmall(reportPath, text))
            report = parseRunReport(json::parse(text), reportName);
    } catch (const std::exception& e) {
        std::string why = trim(e.what());
        if (why.rfind(reportName + ": ", 0) == 0)
            why = why.substr(reportName.size() + 2);
        reportProblem = reportName + ": damaged (" + why + ")";
    }
    std::string stopReason;
    bool timeLimited = false;
    if (report) {
        readReport(*report, s);
        stopReason = report->stop_reason;
        timeLimited = report->time_limited;
    }

    // started
    bool started = false, startedDamaged = false;
    try {
        if (readSmall(runDir / "started", text)) {
            started = true;
            std::istringstream in(trim(text));
            std::string token;
            bool any = false;
            while (in >> token) {
                const auto eq = token.find('=');
                if (eq == std::string::npos)
                    continue;
                const std::string k = token.substr(0, eq), v = token.substr(eq + 1);
                any = true;
                if (k == "host")
                    s.host = v;
                else if (k == "pid")
                    s.pid = std::strtol(v.c_str(), nullptr, 10);
                else if (k == "time")
                    s.started_time = v;
                else if (k == "slurm_job")
                    s.slurm_job = v;
            }
            startedDamaged = !any;
        }
    } catch (const std::exception&) {
        started = startedDamaged = true;
    }

    // exit_code
    bool exitDamaged = false;
    try {
        if (readSmall(runDir / "exit_code", text)) {
            const std::string t = trim(text);
            char* end = nullptr;
            errno = 0;
            const long v = std::strtol(t.c_str(), &end, 10);
            if (t.empty() || *end != '\0' || errno != 0 || v < 0 || v > 255)
                exitDamaged = true;
            else
                s.exit_code = static_cast<int>(v);
        }
    } catch (const std::exception&) {
        exitDamaged = true;
    }

    if (report && (stopReason == "completed" || timeLimited)) {
        s.state = RunState::Done;
        return s;
    }
    const std::string exitName = run.folder + "/exit_code";
    if (exitDamaged) {
        s.state = RunState::Failed;
        s.reason = exitName + ": damaged (expected one integer)";
        return s;
    }
    if (s.exit_code == kCouldNotStart && !report) {
        // Not the run's fault (the rmm program missing or replaced while the sweep ran): to do again.
        s.state = RunState::Interrupted;
        const std::string line = lastRmmLine(runDir / "train.log");
        s.reason = "rmm train could not be started" + (line.empty() ? std::string() : " (" + line + ")");
        return s;
    }
    if (isInterruptCode(s.exit_code) || (report && stopReason == "cancelled")) {
        s.state = RunState::Interrupted;
        s.reason = s.exit_code >= 0 ? "stopped by " + signalName(s.exit_code) + " (exit code " +
                                          std::to_string(s.exit_code) + ")"
                                    : "cancelled";
        return s;
    }
    if (!reportProblem.empty() && (s.exit_code >= 0 || !started)) {
        s.state = RunState::Failed;
        s.reason = reportProblem;
        return s;
    }
    if (report || s.exit_code >= 0) {
        s.state = RunState::Failed;
        if (report && !stopReason.empty())
            s.reason = stopReason;
        else if (std::string line = lastRmmLine(runDir / "train.log"); !line.empty())
            s.reason = line;
        else if (s.exit_code == 0)
            s.reason = "exit code 0 but " + reportName + " is missing";
        else
            s.reason = "exit code " + std::to_string(s.exit_code) +
                       (signalName(s.exit_code).empty() ? "" : " (ended by " + signalName(s.exit_code) + ")");
        return s;
    }
    if (started) {
        if (startedDamaged) {
            s.state = RunState::Interrupted;
            s.reason = run.folder + "/started: damaged, and no exit_code";
        } else if (!s.slurm_job.empty() || s.host != hostName() || processAlive(s.pid)) {
            s.state = RunState::Running;
        } else {
            s.state = RunState::Interrupted;
            s.reason = "its process ended without an exit code" +
                       (s.pid > 0 ? " (pid " + std::to_string(s.pid) + ")" : std::string());
        }
        return s;
    }
    return s; // Pending
}

double mean(const std::vector<double>& v)
{
    if (v.empty())
        return kNaN;
    double sum = 0;
    for (double x : v)
        sum += x;
    return sum / static_cast<double>(v.size());
}

double sampleSd(const std::vector<double>& v)
{
    if (v.size() < 2)
        return kNaN;
    const double m = mean(v);
    double ss = 0;
    for (double x : v)
        ss += (x - m) * (x - m);
    return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double minimum(const std::vector<double>& v)
{
    return v.empty() ? kNaN : *std::min_element(v.begin(), v.end());
}

json num(double v)
{
    return std::isfinite(v) ? json(v) : json();
}

json nums(const std::vector<double>& v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(num(x));
    return a;
}

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string csvValue(const json& v)
{
    if (v.is_number_float())
        return fileNumber(v.get<double>());
    return v.dump(); // integers as written, everything else as JSON text
}

std::string nowUtc()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

const char* toString(RunState s)
{
    switch (s) {
    case RunState::Pending:
        return "pending";
    case RunState::Running:
        return "running";
    case RunState::Done:
        return "done";
    case RunState::Failed:
        return "failed";
    case RunState::Interrupted:
        return "interrupted";
    }
    return "?";
}

RunStatus readRunStatus(const std::string& dir, const SweepRun& run)
{
    try {
        return readRunStatusUnchecked(dir, run);
    } catch (const std::exception& e) {
        RunStatus s;
        s.index = run.index;
        s.state = RunState::Failed;
        s.reason = "cannot read " + run.folder + ": " + e.what();
        return s;
    }
}

double worstSynapticR(const RunStatus& s)
{
    double worst = kNaN;
    for (double r : s.synaptic_r)
        if (std::isfinite(r) && !(r >= worst))
            worst = r;
    return worst;
}

std::string hostName()
{
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0])
        return "localhost";
    std::string h = buf;
    for (char& c : h)
        if (c == ' ' || c == '\t' || c == '\n' || c == '=')
            c = '_';
    return h;
}

void writeStarted(const std::string& dir, const SweepRun& run, long pid, const std::string& slurmJob)
{
    std::string line = "host=" + hostName() + " pid=" + std::to_string(pid) + " time=" + nowUtc();
    if (!slurmJob.empty())
        line += " slurm_job=" + slurmJob;
    writeTextAtomically((fs::path(dir) / run.folder / "started").string(), line + "\n");
}

void writeExitCode(const std::string& dir, const SweepRun& run, int code)
{
    writeTextAtomically((fs::path(dir) / run.folder / "exit_code").string(), std::to_string(code) + "\n");
}

// ---- summary ---------------------------------------------------------------------------------

SweepSummary summarize(const SweepFolder& folder, std::vector<RunStatus> status)
{
    SweepSummary s;
    s.dir = folder.dir;
    s.keys = folder.keys;
    s.runs = folder.runs;
    s.status = std::move(status);
    for (const auto& st : s.status)
        s.neurons = std::max(s.neurons, static_cast<int>(st.synaptic_r.size()));
    std::map<std::string, std::size_t> settingOf;
    std::vector<std::vector<double>> as, worst;
    for (std::size_t k = 0; k < s.runs.size() && k < s.status.size(); ++k) {
        const std::string id = s.runs[k].values.dump();
        auto it = settingOf.find(id);
        if (it == settingOf.end()) {
            it = settingOf.emplace(id, s.settings.size()).first;
            SettingSummary setting;
            setting.values = s.runs[k].values;
            s.settings.push_back(setting);
            as.emplace_back();
            worst.emplace_back();
        }
        SettingSummary& setting = s.settings[it->second];
        ++setting.runs;
        const RunStatus& st = s.status[k];
        if (st.state != RunState::Done)
            continue;
        ++setting.done;
        if (std::isfinite(st.best_as))
            as[it->second].push_back(st.best_as);
        if (const double r = worstSynapticR(st); std::isfinite(r))
            worst[it->second].push_back(r);
    }
    for (std::size_t k = 0; k < s.settings.size(); ++k) {
        s.settings[k].mean_as = mean(as[k]);
        s.settings[k].min_as = minimum(as[k]);
        s.settings[k].sd_as = sampleSd(as[k]);
        s.settings[k].mean_r = mean(worst[k]);
        s.settings[k].min_r = minimum(worst[k]);
    }
    return s;
}

SweepSummary summarizeSweep(const std::string& dir)
{
    SweepFolder folder = openSweepFolder(dir);
    std::vector<RunStatus> status;
    for (const auto& r : folder.runs)
        status.push_back(readRunStatus(dir, r));
    return summarize(folder, std::move(status));
}

json toJson(const SweepSummary& s)
{
    json j;
    j["format"] = "rmm-sweep-summary";
    j["version"] = 1;
    j["keys"] = s.keys;
    j["neurons"] = s.neurons;
    json runs = json::array();
    for (std::size_t k = 0; k < s.runs.size() && k < s.status.size(); ++k) {
        const SweepRun& r = s.runs[k];
        const RunStatus& st = s.status[k];
        json o;
        o["index"] = r.index;
        o["folder"] = r.folder;
        o["values"] = r.values;
        o["seed"] = r.seed;
        o["status"] = toString(st.state);
        o["reason"] = st.reason;
        o["best_as"] = num(st.best_as);
        o["synaptic_r"] = nums(st.synaptic_r);
        o["worst_synaptic_r"] = num(worstSynapticR(st));
        o["amplitude_ratio"] = nums(st.amplitude_ratio);
        o["best_epoch"] = st.best_epoch >= 1 ? json(st.best_epoch) : json();
        o["train_seconds"] = num(st.train_seconds);
        o["physiological"] = st.physiological;
        o["slurm_job"] = st.slurm_job;
        runs.push_back(std::move(o));
    }
    j["runs"] = std::move(runs);
    json settings = json::array();
    for (const auto& set : s.settings)
        settings.push_back({{"values", set.values},
                            {"runs", set.runs},
                            {"done", set.done},
                            {"mean_as", num(set.mean_as)},
                            {"min_as", num(set.min_as)},
                            {"sd_as", num(set.sd_as)},
                            {"mean_r", num(set.mean_r)},
                            {"min_r", num(set.min_r)}});
    j["settings"] = std::move(settings);
    return j;
}

std::string toCsv(const SweepSummary& s)
{
    std::vector<std::string> header = {"index", "folder"};
    for (const auto& k : s.keys)
        header.push_back(k);
    for (const char* h : {"seed", "status", "best_as"})
        header.push_back(h);
    for (int i = 1; i <= s.neurons; ++i)
        header.push_back("r_n" + std::to_string(i));
    for (int i = 1; i <= s.neurons; ++i)
        header.push_back("amplitude_n" + std::to_string(i));
    for (const char* h : {"best_epoch", "train_seconds", "physiological", "reason"})
        header.push_back(h);

    std::ostringstream out;
    for (std::size_t c = 0; c < header.size(); ++c)
        out << (c ? "," : "") << csvField(header[c]);
    out << "\n";
    for (std::size_t k = 0; k < s.runs.size() && k < s.status.size(); ++k) {
        const SweepRun& r = s.runs[k];
        const RunStatus& st = s.status[k];
        std::vector<std::string> row = {std::to_string(r.index), r.folder};
        for (const auto& key : s.keys)
            row.push_back(r.values.contains(key) ? csvValue(r.values[key]) : std::string());
        row.push_back(std::to_string(r.seed));
        row.push_back(toString(st.state));
        row.push_back(fileNumber(st.best_as));
        for (int i = 0; i < s.neurons; ++i)
            row.push_back(static_cast<std::size_t>(i) < st.synaptic_r.size()
                              ? fileNumber(st.synaptic_r[static_cast<std::size_t>(i)])
                              : std::string());
        for (int i = 0; i < s.neurons; ++i)
            row.push_back(static_cast<std::size_t>(i) < st.amplitude_ratio.size()
                              ? fileNumber(st.amplitude_ratio[static_cast<std::size_t>(i)])
                              : std::string());
        row.push_back(st.best_epoch >= 1 ? std::to_string(st.best_epoch) : std::string());
        row.push_back(fileNumber(st.train_seconds));
        row.push_back(st.physiological ? "true" : "false");
        row.push_back(st.reason);
        for (std::size_t c = 0; c < row.size(); ++c)
            out << (c ? "," : "") << csvField(row[c]);
        out << "\n";
    }
    return out.str();
}

void writeSummaryFiles(const std::string& dir, const SweepSummary& s)
{
    writeTextAtomically((fs::path(dir) / "summary.csv").string(), toCsv(s));
    writeTextAtomically((fs::path(dir) / "summary.json").string(), toJson(s).dump(2) + "\n");
}

} // namespace rmm::sweep
