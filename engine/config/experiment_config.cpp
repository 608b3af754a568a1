// SPDX-License-Identifier: GPL-3.0-or-later
// Strict parsing of the experiment config (README, "Experiment config"): every key is checked
// for type and range, unknown keys are errors naming the full key path.
#include "engine/config/experiment_config.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/core/json_fields.hpp"
#include "engine/recording/units.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace rmm {

using nlohmann::json;
using namespace jsonf;

namespace {

constexpr int kConfigVersion = 1;

double fraction(const json& v, const std::string& path)
{
    double f = asNumber(v, path);
    if (!(f > 0) || f > 1)
        throw Error(path + " = " + shown(v) + ": a fraction must lie in (0, 1]");
    return f;
}

SynapseKind asSynapseKind(const json& v, const std::string& path)
{
    std::string s = asString(v, path);
    if (s == "lumped")
        return SynapseKind::Lumped;
    if (s == "conductance")
        return SynapseKind::Conductance;
    throw Error(path + " = \"" + s + "\": expected \"lumped\" or \"conductance\"");
}

std::string unitOverride(const json& v, const std::string& path, Quantity q)
{
    std::string u = asString(v, path);
    auto c = engineUnitFor(u);
    if (!c.known || c.quantity != q)
        throw Error(path + " = \"" + u + "\": expected a " +
                    (q == Quantity::Voltage ? "voltage" : "current") + " unit (" +
                    (q == Quantity::Voltage ? "V, mV, uV" : "A, uA, nA, pA") + ")");
    return u;
}

// ---- sections ------------------------------------------------------------------------------

DataConfig parseData(const json& j)
{
    const std::string p = "data";
    checkObject(j, p, configKeys(p));
    DataConfig d;
    if (!j.contains("file"))
        throw Error("data.file is required: the recording to train on (relative to the config's folder)");
    d.file = asString(j["file"], "data.file");
    if (j.contains("trials")) {
        std::set<std::string> seen;
        std::size_t k = 0;
        for (const auto& t : asArray(j["trials"], "data.trials")) {
            std::string path = item("data.trials", k++);
            std::string name = asString(t, path);
            if (!seen.insert(name).second)
                throw Error(path + " = \"" + name + "\": trial listed twice");
            d.trials.push_back(name);
        }
        if (d.trials.empty())
            throw Error("data.trials: an empty list selects nothing; leave the key out to use every trial");
    }
    if (!j.contains("neurons"))
        throw Error("data.neurons is required: one {\"v\": ..., \"u\": ...} channel map per neuron");
    std::size_t k = 0;
    for (const auto& n : asArray(j["neurons"], "data.neurons")) {
        std::string path = item("data.neurons", k++);
        checkObject(n, path, configKeys("data.neurons[]"));
        NeuronChannels c;
        if (!n.contains("v") || !n.contains("u"))
            throw Error(path +
                        ": needs both \"v\" (measured voltage channel) and \"u\" (injected current channel)");
        c.v = asString(n["v"], path + ".v");
        c.u = asString(n["u"], path + ".u");
        if (n.contains("isyn"))
            c.isyn = asString(n["isyn"], path + ".isyn");
        if (n.contains("v_unit"))
            c.v_unit = unitOverride(n["v_unit"], path + ".v_unit", Quantity::Voltage);
        if (n.contains("u_unit"))
            c.u_unit = unitOverride(n["u_unit"], path + ".u_unit", Quantity::Current);
        if (n.contains("isyn_unit")) {
            if (!c.isyn)
                throw Error(path + ".isyn_unit: given without \"isyn\"");
            c.isyn_unit = unitOverride(n["isyn_unit"], path + ".isyn_unit", Quantity::Current);
        }
        d.neurons.push_back(std::move(c));
    }
    if (d.neurons.empty())
        throw Error("data.neurons: needs at least one neuron");
    if (d.neurons.size() > 64)
        throw Error("data.neurons: at most 64 neurons are supported");
    if (j.contains("train_fraction"))
        d.train_fraction = fraction(j["train_fraction"], "data.train_fraction");
    if (j.contains("validation_fraction"))
        d.validation_fraction = fraction(j["validation_fraction"], "data.validation_fraction");
    if (j.contains("validation_trial")) {
        d.validation_trial = asString(j["validation_trial"], "data.validation_trial");
        if (!d.trials.empty() &&
            std::find(d.trials.begin(), d.trials.end(), d.validation_trial) == d.trials.end())
            throw Error("data.validation_trial = \"" + d.validation_trial + "\" is not one of data.trials (" +
                        join(d.trials) + ")");
    }
    if (j.contains("prefilter"))
        d.prefilter = asBool(j["prefilter"], "data.prefilter");
    if (j.contains("prefilter_hz")) {
        d.prefilter_hz = asNumber(j["prefilter_hz"], "data.prefilter_hz");
        if (!(d.prefilter_hz > 0))
            throw Error("data.prefilter_hz = " + shown(j["prefilter_hz"]) + ": the cut-off must be > 0 Hz");
    }
    return d;
}

ModelConfig parseModel(const json& j, int dataNeurons)
{
    ModelConfig m;
    m.neurons = dataNeurons;
    if (j.is_null())
        return m;
    checkObject(j, "model", configKeys("model"));
    if (j.contains("neurons")) {
        m.neurons = asInt(j["neurons"], "model.neurons", 1, 64);
        if (m.neurons != dataNeurons)
            throw Error("model.neurons = " + std::to_string(m.neurons) + " but data.neurons maps " +
                        std::to_string(dataNeurons) +
                        " neuron(s); leave model.neurons out or make them agree");
    }
    if (j.contains("synapse"))
        m.default_synapse = asSynapseKind(j["synapse"], "model.synapse");
    if (j.contains("synapses")) {
        m.synapses_default = false;
        std::size_t k = 0;
        for (const auto& s : asArray(j["synapses"], "model.synapses")) {
            std::string path = item("model.synapses", k++);
            checkObject(s, path, configKeys("model.synapses[]"));
            if (!s.contains("pre") || !s.contains("post"))
                throw Error(path + ": needs \"pre\" and \"post\" (0-based neuron indices)");
            SynapseConfig c;
            c.pre = asInt(s["pre"], path + ".pre");
            c.post = asInt(s["post"], path + ".post");
            c.kind = s.contains("kind") ? asSynapseKind(s["kind"], path + ".kind") : m.default_synapse;
            m.synapses.push_back(c);
        }
    }
    if (j.contains("intrinsic_taus_ms")) {
        m.intrinsic_taus_ms = asNumbers(j["intrinsic_taus_ms"], "model.intrinsic_taus_ms");
        if (m.intrinsic_taus_ms.empty())
            throw Error("model.intrinsic_taus_ms: the list is empty; leave the key out for the default bank");
    }
    if (j.contains("synaptic_taus_ms")) {
        m.synaptic_taus_ms = asNumbers(j["synaptic_taus_ms"], "model.synaptic_taus_ms");
        if (m.synaptic_taus_ms.empty())
            throw Error("model.synaptic_taus_ms: the list is empty; leave the key out for the default bank");
    }
    if (j.contains("intrinsic_hidden"))
        m.intrinsic_hidden = asInts(j["intrinsic_hidden"], "model.intrinsic_hidden", -1000000, 1000000);
    if (j.contains("lumped_hidden"))
        m.lumped_hidden = asInts(j["lumped_hidden"], "model.lumped_hidden", -1000000, 1000000);
    if (j.contains("conductance_hidden"))
        m.conductance_hidden = asInt(j["conductance_hidden"], "model.conductance_hidden");
    if (j.contains("e_syn_mV"))
        m.e_syn_mV = asNumber(j["e_syn_mV"], "model.e_syn_mV");
    if (j.contains("activation_range_mV"))
        std::tie(m.activation_min_mV, m.activation_max_mV) =
            asPair(j["activation_range_mV"], "model.activation_range_mV");
    if (j.contains("gbar_init"))
        m.gbar_init = asNumber(j["gbar_init"], "model.gbar_init");
    if (j.contains("capacitance_nF")) {
        const auto& c = j["capacitance_nF"];
        if (c.is_number())
            m.capacitance_nF = {asNumber(c, "model.capacitance_nF")};
        else
            m.capacitance_nF = asNumbers(c, "model.capacitance_nF");
        if (m.capacitance_nF.empty())
            throw Error(
                "model.capacitance_nF: the list is empty; leave the key out to learn C from a random start");
    }
    if (j.contains("learn_capacitance")) {
        m.learn_capacitance = asBool(j["learn_capacitance"], "model.learn_capacitance");
        if (!j.contains("capacitance_nF"))
            throw Error("model.learn_capacitance: given without model.capacitance_nF (without a measured C, "
                        "C is always learned)");
    }
    if (j.contains("leak_rest_mV"))
        m.leak_rest_mV = asNumber(j["leak_rest_mV"], "model.leak_rest_mV");
    return m;
}

void parseValidation(const json& j, AngularSeparationSettings& v)
{
    const std::string p = "training.validation";
    checkObject(j, p, configKeys(p));
    if (j.contains("band_hz"))
        std::tie(v.band_low_hz, v.band_high_hz) = asPair(j["band_hz"], p + ".band_hz");
    if (j.contains("filter_order"))
        v.filter_order = asInt(j["filter_order"], p + ".filter_order");
    if (j.contains("threshold_mV"))
        v.threshold_mV = asNumber(j["threshold_mV"], p + ".threshold_mV");
    if (j.contains("peak_half_window"))
        v.peak_half_window = asInt(j["peak_half_window"], p + ".peak_half_window");
    if (j.contains("kernel_tau_samples"))
        v.kernel_tau_samples = asNumber(j["kernel_tau_samples"], p + ".kernel_tau_samples");
    if (j.contains("kernel_half_width"))
        v.kernel_half_width = asInt(j["kernel_half_width"], p + ".kernel_half_width");
    if (j.contains("window_s"))
        v.window_s = asNumber(j["window_s"], p + ".window_s");
}

TrainingConfig parseTraining(const json& j)
{
    TrainingConfig t;
    bool epochsGiven = false;
    bool rhoGiven = false;
    if (!j.is_null()) {
        const std::string p = "training";
        checkObject(j, p, configKeys(p));
        if (j.contains("method")) {
            std::string m = asString(j["method"], "training.method");
            if (m == "tf")
                t.method = TrainingMethod::TeacherForcing;
            else if (m == "ms")
                t.method = TrainingMethod::MultipleShooting;
            else if (m == "gtf")
                t.method = TrainingMethod::GeneralizedTeacherForcing;
            else
                throw Error("training.method = \"" + m +
                            "\": expected \"tf\" (teacher forcing), \"ms\" (multiple shooting) or \"gtf\" "
                            "(generalized teacher forcing)");
        }
        if (j.contains("epochs")) {
            t.epochs = asInt(j["epochs"], "training.epochs");
            epochsGiven = true;
        }
        if (j.contains("lr") && j.contains("schedule"))
            throw Error("training: give either \"lr\" (one learning rate) or \"schedule\" (steps), not both");
        if (j.contains("lr")) {
            double lr = asNumber(j["lr"], "training.lr");
            if (!(lr > 0))
                throw Error("training.lr = " + shown(j["lr"]) + ": a learning rate must be > 0");
            t.schedule = {{0, lr}};
        }
        if (j.contains("schedule")) {
            std::size_t k = 0;
            for (const auto& s : asArray(j["schedule"], "training.schedule")) {
                std::string path = item("training.schedule", k++);
                checkObject(s, path, configKeys("training.schedule[]"));
                if (!s.contains("epoch") || !s.contains("lr"))
                    throw Error(path + ": needs \"epoch\" (first epoch, 0-based) and \"lr\"");
                t.schedule.push_back({asInt(s["epoch"], path + ".epoch"), asNumber(s["lr"], path + ".lr")});
            }
            if (t.schedule.empty())
                throw Error("training.schedule: the list is empty; leave it out for the method's default");
        }
        if (j.contains("rho")) {
            t.rho = asNumber(j["rho"], "training.rho");
            rhoGiven = true;
        }
        if (j.contains("batches")) {
            if (j["batches"].is_string()) {
                const std::string b = asString(j["batches"], "training.batches");
                if (b != "auto")
                    throw Error("training.batches = \"" + b +
                                "\": expected a number of mini-batches per epoch or \"auto\"");
                t.batches = 0;
            } else {
                t.batches = asInt(j["batches"], "training.batches");
            }
        }
        if (j.contains("shuffle"))
            t.shuffle = asBool(j["shuffle"], "training.shuffle");
        if (j.contains("validate_every"))
            t.validate_every = asInt(j["validate_every"], "training.validate_every");
        if (j.contains("seed")) {
            const json& s = j["seed"];
            t.seed = s.is_number_unsigned()
                         ? s.get<std::uint64_t>()
                         : static_cast<std::uint64_t>(
                               asInteger(s, "training.seed", 0, std::numeric_limits<long long>::max()));
        }
        if (j.contains("threads"))
            t.threads = asInt(j["threads"], "training.threads");
        if (j.contains("time_limit_s"))
            t.time_limit_s = asNumber(j["time_limit_s"], "training.time_limit_s");
        if (j.contains("dtype")) {
            std::string d = asString(j["dtype"], "training.dtype");
            if (d == "float32")
                t.precision = Precision::Float32;
            else if (d == "float64")
                t.precision = Precision::Float64;
            else
                throw Error("training.dtype = \"" + d + "\": expected \"float32\" or \"float64\"");
        }
        if (j.contains("shot"))
            t.shot = asInt(j["shot"], "training.shot");
        if (j.contains("rho_v"))
            t.rho_v = asNumber(j["rho_v"], "training.rho_v");
        if (j.contains("rho_x"))
            t.rho_x = asNumber(j["rho_x"], "training.rho_x");
        if (j.contains("gamma"))
            t.gamma = asNumber(j["gamma"], "training.gamma");
        if (j.contains("validation"))
            parseValidation(j["validation"], t.validation);
        if (j.contains("average_epochs"))
            t.average_epochs = asNumber(j["average_epochs"], "training.average_epochs");
        if (j.contains("select_physiological"))
            t.select_physiological = asBool(j["select_physiological"], "training.select_physiological");
        if (j.contains("init"))
            t.init = asString(j["init"], "training.init");
        if (j.contains("select_on")) {
            const std::string on = asString(j["select_on"], "training.select_on");
            if (on != "validation" && on != "held_out")
                throw Error("training.select_on = \"" + on +
                            "\": expected \"validation\" (the validation segment) or \"held_out\" (every "
                            "trial's held-out end)");
            t.select_held_out = on == "held_out";
        }
        if (j.contains("current_units")) {
            const std::string u = asString(j["current_units"], "training.current_units");
            if (u != "capacitance" && u != "nA")
                throw Error("training.current_units = \"" + u +
                            "\": expected \"capacitance\" (currents trained in units of C) or \"nA\"");
            t.capacitance_units = u == "capacitance";
        }
    }
    t.finalize(epochsGiven, rhoGiven);
    return t;
}

} // namespace

namespace {

/// The keys of every config object, by the object's path ("[]": an element of a list).
const std::map<std::string, std::vector<std::string>>& keyTable()
{
    static const std::map<std::string, std::vector<std::string>> keys = {
        {"", {"version", "description", "data", "model", "training"}},
        {"data",
         {"file", "trials", "neurons", "train_fraction", "validation_fraction", "validation_trial",
          "prefilter", "prefilter_hz"}},
        {"data.neurons[]", {"v", "u", "isyn", "v_unit", "u_unit", "isyn_unit"}},
        {"model",
         {"neurons", "synapse", "synapses", "intrinsic_taus_ms", "synaptic_taus_ms", "intrinsic_hidden",
          "lumped_hidden", "conductance_hidden", "e_syn_mV", "activation_range_mV", "gbar_init",
          "capacitance_nF", "learn_capacitance", "leak_rest_mV"}},
        {"model.synapses[]", {"pre", "post", "kind"}},
        {"training",
         {"method",
          "epochs",
          "lr",
          "schedule",
          "rho",
          "batches",
          "shuffle",
          "validate_every",
          "seed",
          "threads",
          "time_limit_s",
          "dtype",
          "shot",
          "rho_v",
          "rho_x",
          "gamma",
          "validation",
          "average_epochs",
          "current_units",
          "select_physiological",
          "select_on",
          "init"}},
        {"training.validation",
         {"band_hz", "filter_order", "threshold_mV", "peak_half_window", "kernel_tau_samples",
          "kernel_half_width", "window_s"}},
        {"training.schedule[]", {"epoch", "lr"}},
    };
    return keys;
}

} // namespace

const std::vector<std::string>& configKeys(const std::string& object)
{
    const auto it = keyTable().find(object);
    if (it == keyTable().end())
        throw Error("no config object '" + object + "'");
    return it->second;
}

std::vector<std::string> configKeyPaths()
{
    // Every key of every object below the top level, except those that are objects themselves
    // (an entry of the table, or a list of them).
    const auto& table = keyTable();
    std::vector<std::string> out;
    for (const auto& [object, keys] : table) {
        if (object.empty())
            continue;
        for (const std::string& key : keys) {
            const std::string path = object + "." + key;
            if (!table.count(path) && !table.count(path + "[]"))
                out.push_back(path);
        }
    }
    return out;
}

ExperimentConfig parseExperimentConfig(const json& j, const std::string& baseDir)
{
    checkObject(j, "", configKeys(""));
    if (j.contains("version")) {
        int v = asInt(j["version"], "version");
        if (v != kConfigVersion)
            throw Error("version = " + std::to_string(v) +
                        ": this build reads experiment configs of version " + std::to_string(kConfigVersion));
    }
    if (j.contains("description"))
        asString(j["description"], "description", true);
    if (!j.contains("data"))
        throw Error("the config needs a \"data\" section (file and neurons)");
    ExperimentConfig c;
    c.base_dir = baseDir;
    c.data = parseData(j["data"]);
    c.model = parseModel(j.contains("model") ? j["model"] : json(), static_cast<int>(c.data.neurons.size()));
    c.model.finalize();
    c.training = parseTraining(j.contains("training") ? j["training"] : json());
    if (c.training.method == TrainingMethod::TeacherForcing && c.training.gamma != 0)
        throw Error("training.gamma = " + std::to_string(c.training.gamma) +
                    " has no meaning for method \"tf\"; use \"gtf\" for generalized teacher forcing");
    return c;
}

ExperimentConfig loadExperimentConfig(const std::string& path)
{
    const json j = parseText(readTextFile(path, "the experiment config"), path);
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty())
        dir = ".";
    std::error_code ec;
    auto abs = std::filesystem::absolute(dir, ec);
    try {
        return parseExperimentConfig(j, (ec ? dir : abs).lexically_normal().string());
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

json toJson(const ExperimentConfig& c)
{
    json j;
    j["version"] = kConfigVersion;

    json d;
    d["file"] = c.data.file;
    d["trials"] = c.data.trials;
    json neurons = json::array();
    for (const auto& n : c.data.neurons) {
        json e{{"v", n.v}, {"u", n.u}};
        if (n.isyn)
            e["isyn"] = *n.isyn;
        if (n.v_unit)
            e["v_unit"] = *n.v_unit;
        if (n.u_unit)
            e["u_unit"] = *n.u_unit;
        if (n.isyn_unit)
            e["isyn_unit"] = *n.isyn_unit;
        neurons.push_back(e);
    }
    d["neurons"] = neurons;
    d["train_fraction"] = c.data.train_fraction;
    d["validation_fraction"] = c.data.validation_fraction;
    if (!c.data.validation_trial.empty())
        d["validation_trial"] = c.data.validation_trial;
    d["prefilter"] = c.data.prefilter;
    d["prefilter_hz"] = c.data.prefilter_hz;
    if (c.data.trials.empty())
        d.erase("trials");
    j["data"] = d;

    const auto& m = c.model;
    json mj;
    mj["neurons"] = m.neurons;
    mj["synapse"] = toString(m.default_synapse);
    json syn = json::array();
    for (const auto& s : m.synapses)
        syn.push_back({{"pre", s.pre}, {"post", s.post}, {"kind", toString(s.kind)}});
    if (!m.synapses_default || !m.synapses.empty())
        mj["synapses"] = syn;
    if (!m.intrinsic_taus_ms.empty())
        mj["intrinsic_taus_ms"] = m.intrinsic_taus_ms;
    if (!m.synaptic_taus_ms.empty())
        mj["synaptic_taus_ms"] = m.synaptic_taus_ms;
    mj["intrinsic_hidden"] = m.intrinsic_hidden;
    mj["lumped_hidden"] = m.lumped_hidden;
    mj["conductance_hidden"] = m.conductance_hidden;
    mj["e_syn_mV"] = m.e_syn_mV;
    mj["activation_range_mV"] = {m.activation_min_mV, m.activation_max_mV};
    mj["gbar_init"] = m.gbar_init;
    if (!m.capacitance_nF.empty()) {
        mj["capacitance_nF"] = m.capacitance_nF;
        mj["learn_capacitance"] = m.learn_capacitance;
    }
    mj["leak_rest_mV"] = m.leak_rest_mV;
    j["model"] = mj;

    const auto& t = c.training;
    json tj;
    tj["method"] = toString(t.method);
    tj["epochs"] = t.epochs;
    json sched = json::array();
    for (const auto& s : t.schedule)
        sched.push_back({{"epoch", s.from_epoch}, {"lr", s.lr}});
    if (!t.schedule.empty())
        tj["schedule"] = sched;
    tj["rho"] = t.rho;
    if (t.batches == 0)
        tj["batches"] = "auto";
    else
        tj["batches"] = t.batches;
    tj["shuffle"] = t.shuffle;
    tj["validate_every"] = t.validate_every;
    tj["average_epochs"] = t.average_epochs;
    tj["current_units"] = t.capacitance_units ? "capacitance" : "nA";
    tj["select_physiological"] = t.select_physiological;
    tj["select_on"] = t.select_held_out ? "held_out" : "validation";
    if (!t.init.empty())
        tj["init"] = t.init;
    tj["seed"] = t.seed;
    tj["threads"] = t.threads;
    if (t.time_limit_s > 0)
        tj["time_limit_s"] = t.time_limit_s;
    tj["dtype"] = t.precision == Precision::Float32 ? "float32" : "float64";
    tj["shot"] = t.shot;
    tj["rho_v"] = t.rho_v;
    tj["rho_x"] = t.rho_x;
    tj["gamma"] = t.gamma;
    const auto& v = t.validation;
    tj["validation"] = {{"band_hz", {v.band_low_hz, v.band_high_hz}},
                        {"filter_order", v.filter_order},
                        {"threshold_mV", v.threshold_mV},
                        {"peak_half_window", v.peak_half_window},
                        {"kernel_tau_samples", v.kernel_tau_samples},
                        {"kernel_half_width", v.kernel_half_width},
                        {"window_s", v.window_s}};
    j["training"] = tj;
    return j;
}

} // namespace rmm
