// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/run/experiment.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/core/kill_point.hpp"
#include "engine/core/utf8.hpp"
#include "engine/run/curves_file.hpp"
#include "engine/store/model_file.hpp"
#include "engine/train/initial_model.hpp"
#include "engine/train/trainable.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace rmm {
namespace {

using json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kFormat = "rmm-run-report";

json number(double v)
{
    return std::isfinite(v) ? json(v) : json();
}

/// Typed, tolerant access for reading reports: a missing key or null keeps the default; another
/// type is an error naming the file and the key path.
class Reader {
  public:
    explicit Reader(std::string where) : where_(std::move(where)) {}

    [[noreturn]] void wrong(const std::string& path, const char* expected) const
    {
        throw Error(where_ + ": " + path + " is not " + expected + " (not a report of rmm train?)");
    }
    const json* find(const json& o, const std::string& key) const
    {
        if (!o.is_object())
            return nullptr;
        auto it = o.find(key);
        return it == o.end() || it->is_null() ? nullptr : &*it;
    }
    double num(const json& o, const std::string& key, const std::string& path, double def = kNaN) const
    {
        const json* v = find(o, key);
        if (!v)
            return def;
        if (!v->is_number())
            wrong(path, "a number");
        return v->get<double>();
    }
    long integer(const json& o, const std::string& key, const std::string& path, long def) const
    {
        const json* v = find(o, key);
        if (!v)
            return def;
        if (!v->is_number_integer())
            wrong(path, "a whole number");
        return v->get<long>();
    }
    bool boolean(const json& o, const std::string& key, const std::string& path, bool def) const
    {
        const json* v = find(o, key);
        if (!v)
            return def;
        if (!v->is_boolean())
            wrong(path, "true or false");
        return v->get<bool>();
    }
    std::string text(const json& o, const std::string& key, const std::string& path,
                     const std::string& def = {}) const
    {
        const json* v = find(o, key);
        if (!v)
            return def;
        if (!v->is_string())
            wrong(path, "a string");
        return v->get<std::string>();
    }
    /// The array at key (empty when missing); elements visited with their path.
    template <typename F>
    void each(const json& o, const std::string& key, const std::string& path, F&& f) const
    {
        const json* v = find(o, key);
        if (!v)
            return;
        if (!v->is_array())
            wrong(path, "a list");
        for (std::size_t k = 0; k < v->size(); ++k)
            f((*v)[k], path + "[" + std::to_string(k) + "]");
    }
    const json& object(const json& o, const std::string& key, const std::string& path) const
    {
        static const json empty = json::object();
        const json* v = find(o, key);
        if (!v)
            return empty;
        if (!v->is_object())
            wrong(path, "an object");
        return *v;
    }

  private:
    std::string where_;
};

/// 1-based neuron numbers of a file as 0-based indices (a number below 1 is refused).
int index0(const Reader& rd, const json& o, const std::string& key, const std::string& path)
{
    const long n = rd.integer(o, key, path, 0);
    if (n < 1 || n > 100000)
        rd.wrong(path, "a neuron number from 1");
    return static_cast<int>(n - 1);
}

/// docs/method.md section 5: -sum_j I_syn_ij of the validation free run (restarted from the
/// recording as validation does) against the recorded Isyn_i, for every neuron whose isyn
/// channel is mapped.
std::vector<SynapticCurrentScore> synapticScores(const CircuitModel& model, const Dataset& ds,
                                                 const AngularSeparationSettings& as,
                                                 std::vector<std::string>& warnings)
{
    const TrialData& trial = ds.trials[static_cast<std::size_t>(ds.validation.trial)];
    if (trial.has_isyn.size() == 0 || trial.has_isyn.sum() == 0)
        return {};
    // No cancel check here: this runs after a stop too, to complete the report.
    SimulationOptions opt;
    opt.resync_samples = resyncSamples(as.window_s, ds.dt_ms);
    SimulationResult sim = simulate(model, ds, ds.validation, opt);
    warnings.insert(warnings.end(), sim.warnings.begin(), sim.warnings.end());
    return scoreSynapticCurrents(model, ds, sim, false, &warnings);
}

} // namespace

json toJson(const RunReport& r)
{
    json j;
    j["format"] = kFormat;
    j["version"] = r.version;
    j["method"] = r.method;
    if (!r.started_from.empty())
        j["started_from"] = r.started_from;
    j["epochs_run"] = r.epochs_run;
    j["epochs_planned"] = r.epochs_planned;
    j["batches"] = r.batches;
    j["train_seconds"] = r.train_seconds;
    j["best_epoch"] = r.best_epoch;
    j["best_validation"] = number(r.best_validation);
    j["stop_reason"] = r.stop_reason;
    j["time_limited"] = r.time_limited;
    if (r.time_limit_s > 0)
        j["time_limit_s"] = r.time_limit_s;
    json pn = json::array();
    for (double m : r.validation.per_neuron)
        pn.push_back(number(m));
    j["validation"] = {{"angular_separation", number(r.validation.angular_separation)},
                       {"per_neuron", pn},
                       {"trial", r.validation.trial},
                       {"begin", r.validation.begin},
                       {"end", r.validation.end},
                       {"window_s", r.validation.window_s},
                       {"free_run_angular_separation", number(r.validation.free_run_angular_separation)}};
    json syn = json::array();
    for (const SynapticCurrentScore& s : r.synaptic_current) {
        std::vector<int> pres;
        for (int p : s.presynaptic)
            pres.push_back(p + 1);
        syn.push_back({{"neuron", s.neuron + 1},
                       {"pearson", number(s.metrics.pearson)},
                       {"nrmse", number(s.metrics.nrmse)},
                       {"amplitude_ratio", number(s.metrics.amplitude_ratio)},
                       {"presynaptic", pres}});
    }
    j["synaptic_current"] = syn;
    j["free_run"] = {{"checked", r.free_run_checked},
                     {"in_range", r.free_run.in_range},
                     {"seconds", r.free_run.seconds},
                     {"margin_mV", r.free_run.margin_mV},
                     {"synaptic_current_factor", r.free_run.isyn_factor},
                     {"problems", r.free_run.problems}};
    json membrane = json::array();
    for (std::size_t i = 0; i < r.model.neurons.size(); ++i) {
        const NeuronSummary& n = r.model.neurons[i];
        membrane.push_back({{"neuron", i + 1},
                            {"capacitance_nF", number(n.capacitance_nF)},
                            {"leak_uS", number(n.leak_uS)},
                            {"leak_reversal_mV", number(n.leak_reversal_mV)},
                            {"time_constant_ms", number(n.time_constant_ms)}});
    }
    j["membrane"] = membrane;
    json synapses = json::array();
    for (const SynapseSummary& s : r.model.synapses) {
        json o = {{"pre", s.pre + 1}, {"post", s.post + 1}, {"kind", toString(s.kind)}};
        if (s.kind == SynapseKind::Conductance)
            o["gbar_uS"] = number(s.gbar_uS);
        synapses.push_back(o);
    }
    j["synapses"] = synapses;
    j["data"] = {{"file", r.data.file},
                 {"dt_ms", r.data.dt_ms},
                 {"neurons", r.data.neurons},
                 {"trials", r.data.trials},
                 {"training_samples", r.data.training_samples}};
    j["parameters"] = r.parameters;
    j["threads"] = r.threads;
    j["warnings"] = r.warnings;
    j["files"] = {{"model", "model.h5"}, {"curves", "curves.csv"}};
    j["rmm_version"] = r.rmm_version;
    makeValidUtf8(j); // names and paths from files may hold any bytes; JSON must be UTF-8
    return j;
}

RunReport parseRunReport(const json& j, const std::string& where)
{
    if (!j.is_object())
        throw Error(where + ": not a report of rmm train (not a JSON object)");
    const Reader rd(where);
    RunReport r;
    const std::string format = rd.text(j, "format", "format", kFormat);
    if (format != kFormat)
        throw Error(where + ": a \"" + format + "\" file, not a report of rmm train");
    r.version = static_cast<int>(rd.integer(j, "version", "version", 0));
    if (r.version > kRunReportVersion)
        throw Error(where + ": report version " + std::to_string(r.version) +
                    " is newer than this release reads (" + std::to_string(kRunReportVersion) +
                    "); update RMM Workbench");
    r.method = rd.text(j, "method", "method");
    r.started_from = rd.text(j, "started_from", "started_from");
    r.epochs_run = static_cast<int>(rd.integer(j, "epochs_run", "epochs_run", 0));
    r.epochs_planned = static_cast<int>(rd.integer(j, "epochs_planned", "epochs_planned", 0));
    r.batches = static_cast<int>(rd.integer(j, "batches", "batches", 0));
    r.train_seconds = rd.num(j, "train_seconds", "train_seconds", 0.0);
    r.best_epoch = static_cast<int>(rd.integer(j, "best_epoch", "best_epoch", -1));
    r.best_validation = rd.num(j, "best_validation", "best_validation");
    r.stop_reason = rd.text(j, "stop_reason", "stop_reason", "completed");
    r.time_limited = rd.boolean(j, "time_limited", "time_limited", false);
    r.time_limit_s = rd.num(j, "time_limit_s", "time_limit_s", 0.0);

    const json& v = rd.object(j, "validation", "validation");
    r.validation.angular_separation = rd.num(v, "angular_separation", "validation.angular_separation");
    rd.each(v, "per_neuron", "validation.per_neuron", [&](const json& e, const std::string& path) {
        if (!e.is_null() && !e.is_number())
            rd.wrong(path, "a number");
        r.validation.per_neuron.push_back(e.is_number() ? e.get<double>() : kNaN);
    });
    r.validation.trial = rd.text(v, "trial", "validation.trial");
    r.validation.begin = rd.integer(v, "begin", "validation.begin", 0);
    r.validation.end = rd.integer(v, "end", "validation.end", 0);
    r.validation.window_s = rd.num(v, "window_s", "validation.window_s", 0.0);
    r.validation.free_run_angular_separation =
        rd.num(v, "free_run_angular_separation", "validation.free_run_angular_separation");

    rd.each(j, "synaptic_current", "synaptic_current", [&](const json& e, const std::string& path) {
        SynapticCurrentScore s;
        s.neuron = index0(rd, e, "neuron", path + ".neuron");
        s.metrics.pearson = rd.num(e, "pearson", path + ".pearson");
        s.metrics.nrmse = rd.num(e, "nrmse", path + ".nrmse");
        s.metrics.amplitude_ratio = rd.num(e, "amplitude_ratio", path + ".amplitude_ratio");
        rd.each(e, "presynaptic", path + ".presynaptic", [&](const json& p, const std::string& pp) {
            if (!p.is_number_integer() || p.get<long>() < 1)
                rd.wrong(pp, "a neuron number from 1");
            s.presynaptic.push_back(static_cast<int>(p.get<long>() - 1));
        });
        r.synaptic_current.push_back(std::move(s));
    });

    const json& fr = rd.object(j, "free_run", "free_run");
    r.free_run_checked = rd.boolean(fr, "checked", "free_run.checked", false);
    r.free_run.in_range = rd.boolean(fr, "in_range", "free_run.in_range", true);
    r.free_run.seconds = rd.num(fr, "seconds", "free_run.seconds", 0.0);
    r.free_run.margin_mV = rd.num(fr, "margin_mV", "free_run.margin_mV", kFreeRunMarginMv);
    r.free_run.isyn_factor =
        rd.num(fr, "synaptic_current_factor", "free_run.synaptic_current_factor", kSynapticCurrentFactor);
    rd.each(fr, "problems", "free_run.problems", [&](const json& p, const std::string& path) {
        if (!p.is_string())
            rd.wrong(path, "a string");
        r.free_run.problems.push_back(p.get<std::string>());
    });

    rd.each(j, "membrane", "membrane", [&](const json& e, const std::string& path) {
        const int i = index0(rd, e, "neuron", path + ".neuron");
        if (static_cast<std::size_t>(i) >= r.model.neurons.size())
            r.model.neurons.resize(static_cast<std::size_t>(i) + 1);
        NeuronSummary& n = r.model.neurons[static_cast<std::size_t>(i)];
        n.capacitance_nF = rd.num(e, "capacitance_nF", path + ".capacitance_nF");
        n.leak_uS = rd.num(e, "leak_uS", path + ".leak_uS");
        n.leak_reversal_mV = rd.num(e, "leak_reversal_mV", path + ".leak_reversal_mV");
        n.time_constant_ms = rd.num(e, "time_constant_ms", path + ".time_constant_ms");
    });
    rd.each(j, "synapses", "synapses", [&](const json& e, const std::string& path) {
        SynapseSummary s;
        s.pre = index0(rd, e, "pre", path + ".pre");
        s.post = index0(rd, e, "post", path + ".post");
        const std::string kind = rd.text(e, "kind", path + ".kind", "lumped");
        if (kind != "lumped" && kind != "conductance")
            rd.wrong(path + ".kind", "\"lumped\" or \"conductance\"");
        s.kind = kind == "conductance" ? SynapseKind::Conductance : SynapseKind::Lumped;
        s.gbar_uS = rd.num(e, "gbar_uS", path + ".gbar_uS", 0.0);
        r.model.synapses.push_back(s);
    });

    const json& d = rd.object(j, "data", "data");
    r.data.file = rd.text(d, "file", "data.file");
    r.data.dt_ms = rd.num(d, "dt_ms", "data.dt_ms", 0.0);
    r.data.neurons = static_cast<int>(rd.integer(d, "neurons", "data.neurons", 0));
    r.data.trials = static_cast<int>(rd.integer(d, "trials", "data.trials", 0));
    r.data.training_samples = rd.integer(d, "training_samples", "data.training_samples", 0);
    r.parameters = rd.integer(j, "parameters", "parameters", 0);
    r.threads = static_cast<int>(rd.integer(j, "threads", "threads", 0));
    rd.each(j, "warnings", "warnings", [&](const json& w, const std::string& path) {
        if (!w.is_string())
            rd.wrong(path, "a string");
        r.warnings.push_back(w.get<std::string>());
    });
    r.rmm_version = rd.text(j, "rmm_version", "rmm_version");
    return r;
}

RunReport readRunReport(const std::string& path)
{
    const std::string text = readTextFile(path, "the run report");
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(path + ": not a report of rmm train (" + e.what() + ")");
    }
    return parseRunReport(j, path);
}

TrainedRun runExperiment(const ExperimentConfig& input, const Dataset& ds, TrainingObserver* observer)
{
    TrainedRun run;
    run.config = input;
    ExperimentConfig& cfg = run.config;
    cfg.training.validation.dt_ms = ds.dt_ms; // (rmm::train runs checkTrainable, with the model)
    std::vector<std::string> startWarnings;
    const CircuitModel initial = startingModel(cfg, ds, &startWarnings);
    // The run's config records the mini-batches "auto" chose (effectiveBatches).
    cfg.training.batches = effectiveBatches(ds, cfg.training, &initial.config());
    run.result = train(ds, initial, cfg.training, observer);
    TrainingResult& res = run.result;

    RunReport& r = run.report;
    r.warnings = ds.warnings;
    r.warnings.insert(r.warnings.end(), startWarnings.begin(), startWarnings.end());
    r.warnings.insert(r.warnings.end(), res.warnings.begin(), res.warnings.end());
    // Validation of the kept model (computed here when no epoch was validated, e.g. an early stop).
    r.validation.per_neuron = res.per_neuron_metric;
    r.validation.angular_separation = res.best_metric;
    if (r.validation.per_neuron.empty()) {
        r.validation.per_neuron = validateModel(res.best, ds, cfg.training.validation);
        r.validation.angular_separation = meanOverNeurons(r.validation.per_neuron);
    }
    const TrialData& vt = ds.trials[static_cast<std::size_t>(ds.validation.trial)];
    r.validation.trial = vt.name;
    r.validation.begin = ds.validation.begin;
    r.validation.end = ds.validation.end;
    r.validation.window_s = cfg.training.validation.window_s;
    r.validation.free_run_angular_separation = r.validation.angular_separation;
    if (cfg.training.validation.window_s > 0) {
        // The figure without restarts, for comparison with one long free run (docs/method.md 4).
        AngularSeparationSettings once = cfg.training.validation;
        once.window_s = 0;
        r.validation.free_run_angular_separation = meanOverNeurons(validateModel(res.best, ds, once));
    }
    r.synaptic_current = synapticScores(res.best, ds, cfg.training.validation, r.warnings);

    r.method = toString(cfg.training.method);
    r.started_from = initModelPath(cfg);
    r.epochs_run = res.epochs_run;
    r.epochs_planned = cfg.training.epochs;
    r.batches = cfg.training.batches;
    r.train_seconds = res.train_seconds;
    r.best_epoch = res.best_epoch;
    r.best_validation = r.validation.angular_separation;
    r.stop_reason = res.stop_message;
    r.time_limited = res.timeLimited();
    r.time_limit_s = cfg.training.time_limit_s;
    r.free_run_checked = res.free_run_checked;
    r.free_run = res.free_run;
    r.free_run.spans.clear();
    r.model = summarizeModel(res.best);
    r.data.file = ds.source;
    r.data.dt_ms = ds.dt_ms;
    r.data.neurons = ds.neurons;
    r.data.trials = static_cast<int>(ds.trials.size());
    for (const auto& s : ds.train)
        r.data.training_samples += s.length();
    r.parameters = res.best.parameterCount();
    r.threads = cfg.training.threads;
    r.rmm_version = RMM_VERSION;
    return run;
}

void writeRunFiles(const TrainedRun& run, const std::string& modelPath, const std::string& curvesPath,
                   const std::string& reportPath)
{
    json configJson = toJson(run.config);
    makeValidUtf8(configJson); // names and paths from files may hold any bytes; JSON must be UTF-8
    const RunReport& r = run.report;
    saveModel(modelPath, run.result.best, configJson.dump(2),
              {{"method", r.method},
               {"best_epoch", std::to_string(r.best_epoch)},
               {"best_validation", fileNumber(r.best_validation)},
               {"stop_reason", r.stop_reason},
               {"rmm_version", r.rmm_version}});
    killPoint("train-model-written");
    writeTextAtomically(curvesPath, curvesCsv(run.result.curves));
    killPoint("train-curves-written");
    writeTextAtomically(reportPath, toJson(r).dump(2) + "\n");
}

} // namespace rmm
