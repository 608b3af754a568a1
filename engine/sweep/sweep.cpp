// SPDX-License-Identifier: GPL-3.0-or-later
// Sweep specs, their expansion into validated runs, and the sweep folder (sweep.hpp). The run
// states and the summary are in sweep_status.cpp.
#include "engine/sweep/sweep.hpp"

#include "engine/config/experiment_config.hpp"
#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/core/json_fields.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace rmm::sweep {

using nlohmann::json;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

constexpr int kSweepFormatVersion = 1;
constexpr long long kMaxRuns = 1000000;

json plain(const ordered_json& v)
{
    return json::parse(v.dump());
}

std::vector<std::string> splitKey(const std::string& key)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = key.find('.', start);
        parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return parts;
}

/// Checks the form of a swept key; `where` is its place in the spec ("grid.training.rho").
void checkKeyName(const std::string& key, const std::string& where)
{
    if (key.find_first_of("[]") != std::string::npos)
        throw Error(where + ": array items cannot be swept; sweep the whole list as one value, e.g. "
                            "\"model.intrinsic_hidden\": [[10, 10], [20]]");
    if (key.find_first_of(" \t\r\n") != std::string::npos)
        throw Error(where + ": a key has no spaces");
    for (const auto& part : splitKey(key))
        if (part.empty())
            throw Error(where + ": \"" + key +
                        "\" is not a dotted key of the experiment config such as training.rho");
    if (key == "training.seed")
        throw Error(where + ": the training seed is swept by \"seeds\": [1, 2, 3], not by grid or random");
}

/// The value at a dotted key, or nullptr.
const json* findDotted(const json& j, const std::string& key)
{
    const json* cur = &j;
    for (const auto& part : splitKey(key)) {
        if (!cur->is_object())
            return nullptr;
        auto it = cur->find(part);
        if (it == cur->end())
            return nullptr;
        cur = &*it;
    }
    return cur;
}

/// Sets a dotted key, creating missing sections; returns a message when a part of the key is a
/// value rather than a section.
std::string setDotted(json& j, const std::string& key, const json& value)
{
    const auto parts = splitKey(key);
    json* cur = &j;
    std::string path;
    for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
        path = jsonf::child(path, parts[k]);
        if (!cur->is_object())
            return key + " cannot be set: " + (k == 0 ? std::string("the config") : path) +
                   " is not a section";
        auto it = cur->find(parts[k]);
        if (it == cur->end()) {
            (*cur)[parts[k]] = json::object();
            it = cur->find(parts[k]);
        } else if (!it->is_object()) {
            return key + " cannot be set: " + path + " is a value (" + jsonf::shown(*it) +
                   "), not a section (array items cannot be swept)";
        }
        cur = &*it;
    }
    if (!cur->is_object())
        return key + " cannot be set: its section is not an object";
    (*cur)[parts.back()] = value;
    return {};
}

/// Every key path of a config: sections and values ("training", "training.rho", ...).
void collectKeys(const json& j, const std::string& prefix, std::set<std::string>& out)
{
    if (!j.is_object())
        return;
    for (const auto& [k, v] : j.items()) {
        const std::string path = jsonf::child(prefix, k);
        out.insert(path);
        collectKeys(v, path, out);
    }
}

std::string lastPart(const std::string& key)
{
    const auto dot = key.rfind('.');
    return dot == std::string::npos ? key : key.substr(dot + 1);
}

/// "; did you mean training.rho?" or "".
std::string didYouMean(const std::string& key, const std::set<std::string>& known)
{
    std::string best;
    std::size_t bestD = 4;
    for (const auto& k : known)
        if (const std::size_t d = jsonf::editDistance(key, k); d < bestD) {
            bestD = d;
            best = k;
        }
    if (best.empty()) // the right name in the wrong section: model.rho -> training.rho
        for (const auto& k : known)
            if (lastPart(k) == lastPart(key)) {
                best = k;
                break;
            }
    return best.empty() ? std::string() : "; did you mean " + best + "?";
}

/// True when a parser message reports `key` (or a section of it) as unknown.
bool reportsUnknown(const std::string& message, const std::string& key)
{
    const std::string tag = "unknown key '";
    const auto at = message.find(tag);
    if (at == std::string::npos)
        return false;
    const auto end = message.find('\'', at + tag.size());
    if (end == std::string::npos)
        return false;
    const std::string named = message.substr(at + tag.size(), end - at - tag.size());
    return named == key || key.rfind(named + ".", 0) == 0;
}

std::string absoluteFolder(const std::string& dir)
{
    std::error_code ec;
    fs::path p = fs::absolute(dir.empty() ? fs::path(".") : fs::path(dir), ec);
    if (ec)
        p = dir;
    fs::path c = fs::weakly_canonical(p, ec);
    return (ec ? p.lexically_normal() : c).string();
}

/// A data path as stored in memory: absolute, symbolic links of its folders resolved.
std::string absoluteData(const std::string& file, const fs::path& folder)
{
    fs::path p(file);
    if (p.is_relative())
        p = folder / p;
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    return (ec ? p.lexically_normal() : c).string();
}

/// `file` (absolute) relative to `folder` (absolute), or `file` itself when there is no such path.
std::string relativeData(const std::string& file, const fs::path& folder)
{
    const fs::path rel = fs::path(file).lexically_relative(folder);
    return rel.empty() ? file : rel.generic_string();
}

json withDataFile(json config, const std::string& file)
{
    if (config.is_object() && config.contains("data") && config["data"].is_object())
        config["data"]["file"] = file;
    return config;
}

std::string dataFileOf(const json& config)
{
    const json* f = findDotted(config, "data.file");
    return f && f->is_string() ? f->get<std::string>() : std::string();
}

/// Equal JSON, numbers within a relative 1e-12 (a random draw through another platform's exp/log
/// may differ in its last bit).
bool sameJson(const json& a, const json& b)
{
    if (a.is_number() && b.is_number()) {
        if (a == b)
            return true;
        const double x = a.get<double>(), y = b.get<double>();
        return std::abs(x - y) <= 1e-12 * std::max(std::abs(x), std::abs(y));
    }
    if (a.type() != b.type() || a.size() != b.size())
        return false;
    if (a.is_object()) {
        for (auto it = a.begin(); it != a.end(); ++it) {
            auto other = b.find(it.key());
            if (other == b.end() || !sameJson(*it, *other))
                return false;
        }
        return true;
    }
    if (a.is_array()) {
        for (std::size_t k = 0; k < a.size(); ++k)
            if (!sameJson(a[k], b[k]))
                return false;
        return true;
    }
    return a == b;
}

/// The first place where two configs differ: "training.epochs 3 vs 5".
std::string firstDifference(const json& a, const json& b, const std::string& path)
{
    if (sameJson(a, b))
        return {};
    if (a.is_object() && b.is_object()) {
        std::set<std::string> keys;
        for (const auto& [k, v] : a.items())
            keys.insert(k);
        for (const auto& [k, v] : b.items())
            keys.insert(k);
        for (const auto& k : keys) {
            const std::string p = jsonf::child(path, k);
            if (!a.contains(k))
                return p + " (missing) vs " + jsonf::shown(b[k]);
            if (!b.contains(k))
                return p + " " + jsonf::shown(a[k]) + " vs (missing)";
            if (auto d = firstDifference(a[k], b[k], p); !d.empty())
                return d;
        }
        return {};
    }
    return (path.empty() ? std::string("the config") : path) + " " + jsonf::shown(a) + " vs " +
           jsonf::shown(b);
}

std::string folderName(int index)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "runs/%04d", index);
    return buf;
}

/// SplitMix64 (Steele, Lea, Flood 2014): spreads a small seed over all 64 bits (the first
/// numbers of a Mersenne Twister seeded with 1 and 2 are close to each other).
std::uint64_t splitMix64(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/// u in [0, 1) from the top 53 bits.
double unit(std::uint64_t x)
{
    return static_cast<double>(x >> 11) * 0x1.0p-53;
}

json draw(const RandomKey& rk, std::uint64_t x, bool integer)
{
    if (rk.kind == RandomKey::Kind::Choice) {
        const auto k = static_cast<std::size_t>(unit(x) * static_cast<double>(rk.items.size()));
        return rk.items[std::min(k, rk.items.size() - 1)];
    }
    const double u = unit(x);
    double v = rk.kind == RandomKey::Kind::Uniform
                   ? rk.low + u * (rk.high - rk.low)
                   : std::exp(std::log(rk.low) + u * (std::log(rk.high) - std::log(rk.low)));
    v = std::clamp(v, rk.low, rk.high);
    if (integer)
        return json(static_cast<long long>(std::llround(v)));
    return json(v);
}

struct Problem {
    int run;
    std::string label, message;
};

/// One line per problem; a problem every run has is given once.
std::string problemText(const std::vector<Problem>& problems, std::size_t runs)
{
    std::map<std::string, std::set<int>> byMessage;
    for (const auto& p : problems)
        byMessage[p.message].insert(p.run);
    std::vector<std::string> lines;
    std::set<std::string> shared;
    for (const auto& p : problems) {
        const bool everyRun = runs > 1 && byMessage[p.message].size() == runs;
        if (everyRun) {
            if (shared.insert(p.message).second)
                lines.push_back("all " + std::to_string(runs) + " runs: " + p.message);
        } else {
            lines.push_back("run " + std::to_string(p.run) + (p.label.empty() ? "" : " (" + p.label + ")") +
                            ": " + p.message);
        }
    }
    std::string out;
    for (const auto& l : lines)
        out += "\n  " + l;
    return out;
}

std::string labelOf(const json& values, const std::optional<std::uint64_t>& seed)
{
    std::string s;
    for (const auto& [k, v] : values.items())
        s += (s.empty() ? "" : ", ") + k + " = " + jsonf::shown(v);
    if (seed)
        s += (s.empty() ? "" : ", ") + std::string("seed ") + std::to_string(*seed);
    return s;
}

/// Values keyed in sweep order (json objects sort their keys; the label follows `keys`).
std::string labelInOrder(const json& values, const std::vector<std::string>& keys,
                         const std::optional<std::uint64_t>& seed)
{
    std::string s;
    for (const auto& k : keys)
        if (values.contains(k))
            s += (s.empty() ? "" : ", ") + k + " = " + jsonf::shown(values[k]);
    if (seed)
        s += (s.empty() ? "" : ", ") + std::string("seed ") + std::to_string(*seed);
    return s;
}

} // namespace

// ---- spec ------------------------------------------------------------------------------------

SweepSpec parseSweepSpec(const ordered_json& j, const std::string& source)
{
    try {
        SweepSpec s;
        jsonf::checkObject(plain(j), "", {"grid", "random", "seeds", "description"});
        std::set<std::string> gridKeys;
        if (j.contains("grid")) {
            const ordered_json& g = j["grid"];
            if (!g.is_object())
                throw Error("grid: expected an object {\"training.rho\": [5e-9, 5e-8], ...}, got " +
                            jsonf::shown(plain(g)));
            for (const auto& [key, list] : g.items()) {
                const std::string where = "grid." + key;
                checkKeyName(key, where);
                if (!list.is_array())
                    throw Error(where + ": expected a list of values, got " + jsonf::shown(plain(list)));
                if (list.empty())
                    throw Error(where + ": the list is empty");
                std::vector<json> values;
                for (const auto& v : list) {
                    json pv = plain(v);
                    if (pv.is_null())
                        throw Error(where + ": null is not a value to try");
                    if (std::find(values.begin(), values.end(), pv) != values.end())
                        throw Error(where + ": " + jsonf::shown(pv) + " is listed twice");
                    values.push_back(std::move(pv));
                }
                s.grid.emplace_back(key, std::move(values));
                gridKeys.insert(key);
            }
            if (s.grid.empty())
                throw Error("grid: no keys; leave \"grid\" out or give at least one key with its values");
        }
        bool countGiven = false;
        if (j.contains("random")) {
            const ordered_json& r = j["random"];
            if (!r.is_object())
                throw Error(
                    "random: expected an object {\"count\": 8, \"training.lr\": {\"log_uniform\": [1e-3, "
                    "1e-2]}}, got " +
                    jsonf::shown(plain(r)));
            for (const auto& [key, v] : r.items()) {
                const json pv = plain(v);
                if (key == "count") {
                    s.random_count = static_cast<int>(jsonf::asInteger(pv, "random.count", 1, kMaxRuns));
                    countGiven = true;
                    continue;
                }
                if (key == "seed") {
                    s.random_seed = pv.is_number_unsigned()
                                        ? pv.get<std::uint64_t>()
                                        : static_cast<std::uint64_t>(jsonf::asInteger(
                                              pv, "random.seed", 0, std::numeric_limits<long long>::max()));
                    continue;
                }
                const std::string where = "random." + key;
                checkKeyName(key, where);
                if (gridKeys.count(key))
                    throw Error(key + " is in both grid and random; a key may be in one part only");
                const std::string expected =
                    "expected one of {\"uniform\": [low, high]}, {\"log_uniform\": [low, "
                    "high]}, {\"choice\": [a, b, ...]}";
                if (!pv.is_object() || pv.size() != 1)
                    throw Error(where + ": " + expected + ", got " + jsonf::shown(pv));
                RandomKey rk;
                rk.key = key;
                const std::string kind = pv.begin().key();
                const json& arg = pv.begin().value();
                const std::string at = where + "." + kind;
                if (kind == "uniform" || kind == "log_uniform") {
                    rk.kind = kind == "uniform" ? RandomKey::Kind::Uniform : RandomKey::Kind::LogUniform;
                    std::tie(rk.low, rk.high) = jsonf::asPair(arg, at);
                    if (!(rk.low < rk.high))
                        throw Error(at + " = " + jsonf::shown(arg) +
                                    ": expected [low, high] with low < high");
                    if (rk.kind == RandomKey::Kind::LogUniform && !(rk.low > 0))
                        throw Error(at + " = " + jsonf::shown(arg) +
                                    ": a log-uniform range needs 0 < low (the logarithm of " +
                                    jsonf::shown(json(rk.low)) + " is undefined)");
                } else if (kind == "choice") {
                    rk.kind = RandomKey::Kind::Choice;
                    if (!arg.is_array())
                        throw Error(at + ": expected a list of values, got " + jsonf::shown(arg));
                    if (arg.empty())
                        throw Error(at + ": the list is empty");
                    for (const auto& item : arg) {
                        if (item.is_null())
                            throw Error(at + ": null is not a value to try");
                        rk.items.push_back(item);
                    }
                } else {
                    throw Error(where + ": unknown distribution \"" + kind + "\"; " + expected);
                }
                s.random.push_back(std::move(rk));
            }
            if (!s.random.empty() && !countGiven)
                throw Error("random.count: missing; how many random draws to make (e.g. \"count\": 8)");
            if (s.random.empty() && (countGiven || r.contains("seed")))
                throw Error("random.count = " + std::to_string(s.random_count) +
                            " but no random keys are given (e.g. \"training.lr\": {\"log_uniform\": [1e-3, "
                            "1e-2]})");
            if (s.random.empty())
                throw Error("random: no keys; leave \"random\" out or give \"count\" and at least one key");
        }
        if (j.contains("seeds")) {
            const json seeds = plain(j["seeds"]);
            jsonf::asArray(seeds, "seeds");
            if (seeds.empty())
                throw Error("seeds: the list is empty; leave \"seeds\" out to use the base config's seed");
            std::size_t k = 0;
            for (const auto& v : seeds) {
                const std::string path = jsonf::item("seeds", k++);
                const std::uint64_t seed = v.is_number_unsigned()
                                               ? v.get<std::uint64_t>()
                                               : static_cast<std::uint64_t>(jsonf::asInteger(
                                                     v, path, 0, std::numeric_limits<long long>::max()));
                if (std::find(s.seeds.begin(), s.seeds.end(), seed) != s.seeds.end())
                    throw Error(path + ": seed " + std::to_string(seed) + " is listed twice");
                s.seeds.push_back(seed);
            }
        }
        if (s.grid.empty() && s.random.empty() && s.seeds.empty())
            throw Error("the spec sweeps nothing: give \"grid\", \"random\" or \"seeds\"");
        long double runs = static_cast<long double>(std::max<std::size_t>(1, s.seeds.size())) *
                           (s.random.empty() ? 1 : s.random_count);
        for (const auto& [k, v] : s.grid)
            runs *= static_cast<long double>(v.size());
        if (runs > kMaxRuns)
            throw Error("the spec gives " + std::to_string(static_cast<double>(runs)) + " runs; at most " +
                        std::to_string(kMaxRuns) + " are supported");
        return s;
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        throw Error(source + ": " + e.what());
    }
}

SweepSpec parseSweepSpec(const json& j, const std::string& source)
{
    return parseSweepSpec(ordered_json::parse(j.dump()), source);
}

SweepSpec loadSweepSpec(const std::string& path, json* raw)
{
    const std::string text = readTextFile(path, "the sweep spec");
    // Strict parsing first (errors naming the place); then again keeping the order written.
    json j = jsonf::parseText(text, path);
    ordered_json oj = ordered_json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
    SweepSpec s = parseSweepSpec(oj, path);
    if (raw)
        *raw = std::move(j);
    return s;
}

std::vector<std::string> sweptKeys(const SweepSpec& spec)
{
    std::vector<std::string> keys;
    for (const auto& [k, v] : spec.grid)
        keys.push_back(k);
    for (const auto& r : spec.random)
        keys.push_back(r.key);
    return keys;
}

std::string runLabel(const SweepRun& run, const std::vector<std::string>& keys)
{
    return keys.empty() ? labelOf(run.values, run.seed) : labelInOrder(run.values, keys, run.seed);
}

// ---- expansion -------------------------------------------------------------------------------

json loadBaseConfig(const std::string& path, std::string& baseDir)
{
    json j = jsonf::parseText(readTextFile(path, "the base config"), path);
    fs::path dir = fs::path(path).parent_path();
    baseDir = absoluteFolder(dir.empty() ? "." : dir.string());
    return j;
}

std::vector<SweepRun> expandSweep(const json& base, const std::string& baseDirIn, const SweepSpec& spec)
{
    const std::string baseDir = absoluteFolder(baseDirIn);
    const std::vector<std::string> keys = sweptKeys(spec);

    // The base with its defaults, for "did you mean" and for integer-valued keys.
    std::optional<json> fullBase;
    try {
        fullBase = toJson(parseExperimentConfig(base, baseDir));
    } catch (const Cancelled&) {
        throw;
    } catch (const Error&) {
        // The base alone may be incomplete (a swept key completes it); each run is checked below.
    }
    std::set<std::string> known;
    if (fullBase)
        collectKeys(*fullBase, "", known);
    collectKeys(base, "", known);
    for (const char* k :
         {"training.lr", "training.schedule", "training.time_limit_s", "data.trials", "data.validation_trial",
          "model.synapses", "model.capacitance_nF", "model.learn_capacitance", "description"})
        known.insert(k);

    // Keys first: an unknown key is one problem, not one per run.
    std::vector<std::string> keyProblems;
    auto checkKey = [&](const std::string& key, const json& sample) {
        json probe = base;
        if (const std::string m = setDotted(probe, key, sample); !m.empty()) {
            keyProblems.push_back(m);
            return;
        }
        try {
            parseExperimentConfig(probe, baseDir);
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            if (reportsUnknown(e.what(), key))
                keyProblems.push_back(key + " is not a key of the experiment config" +
                                      didYouMean(key, known));
        }
    };
    for (const auto& [key, values] : spec.grid)
        checkKey(key, values.front());
    for (const auto& rk : spec.random)
        checkKey(rk.key, rk.kind == RandomKey::Kind::Choice ? rk.items.front() : json(rk.low));
    if (!keyProblems.empty()) {
        std::string msg =
            "the sweep spec names keys the experiment config does not have; nothing was started:";
        for (const auto& p : keyProblems)
            msg += "\n  " + p;
        throw Error(msg);
    }

    // Random draws: the same for every grid point.
    std::vector<json> draws;
    if (spec.random.empty()) {
        draws.push_back(json::object());
    } else {
        std::mt19937_64 rng(splitMix64(spec.random_seed));
        for (int d = 0; d < spec.random_count; ++d) {
            json values = json::object();
            for (const auto& rk : spec.random) {
                const std::uint64_t x = rng();
                const json* current = fullBase ? findDotted(*fullBase, rk.key) : nullptr;
                if (!current)
                    current = findDotted(base, rk.key);
                const bool integer =
                    current && (current->is_number_integer() || current->is_number_unsigned());
                values[rk.key] = draw(rk, x, integer);
            }
            draws.push_back(std::move(values));
        }
    }

    // Grid points: the last key varies fastest.
    std::vector<json> points;
    std::size_t pointCount = 1;
    for (const auto& [k, v] : spec.grid)
        pointCount *= v.size();
    for (std::size_t n = 0; n < pointCount; ++n) {
        json values = json::object();
        std::size_t rest = n;
        for (std::size_t k = spec.grid.size(); k-- > 0;) {
            const auto& list = spec.grid[k].second;
            values[spec.grid[k].first] = list[rest % list.size()];
            rest /= list.size();
        }
        points.push_back(std::move(values));
    }

    // The seed of runs without "seeds", for the labels of runs whose config does not parse.
    std::optional<std::uint64_t> baseSeed;
    const std::vector<const json*> configs = {fullBase ? &*fullBase : nullptr, &base};
    for (const json* config : configs)
        if (const json* s = config ? findDotted(*config, "training.seed") : nullptr; s && !baseSeed) {
            if (s->is_number_unsigned())
                baseSeed = s->get<std::uint64_t>();
            else if (s->is_number_integer() && s->get<long long>() >= 0)
                baseSeed = static_cast<std::uint64_t>(s->get<long long>());
        }

    std::vector<SweepRun> runs;
    std::vector<Problem> problems;
    std::map<std::string, bool> fileExists; // each file checked once
    std::vector<std::optional<std::uint64_t>> seeds;
    for (auto s : spec.seeds)
        seeds.emplace_back(s);
    if (seeds.empty())
        seeds.emplace_back(std::nullopt);
    for (const auto& point : points)
        for (const auto& d : draws)
            for (const auto& seed : seeds) {
                SweepRun run;
                run.index = static_cast<int>(runs.size());
                run.folder = folderName(run.index);
                run.values = point;
                for (const auto& [k, v] : d.items())
                    run.values[k] = v;
                json config = base;
                for (const auto& k : keys)
                    setDotted(config, k, run.values[k]); // checked above
                if (seed)
                    setDotted(config, "training.seed", json(*seed));
                const std::string label = labelInOrder(run.values, keys, seed ? seed : baseSeed);
                try {
                    const ExperimentConfig c = parseExperimentConfig(config, baseDir);
                    run.seed = c.training.seed;
                    run.config = toJson(c);
                    // Files are named absolutely in the run's config: the run folders are
                    // elsewhere than the base config.
                    auto requireFile = [&](const char* key, const std::string& file) {
                        auto exists = fileExists.find(file);
                        if (exists == fileExists.end()) {
                            std::error_code ec;
                            exists = fileExists.emplace(file, fs::exists(file, ec)).first;
                        }
                        if (!exists->second)
                            problems.push_back({run.index, label,
                                                std::string(key) + ": " + file +
                                                    " does not exist (relative paths are relative "
                                                    "to the base config's folder " +
                                                    baseDir + ")"});
                    };
                    const std::string file = absoluteData(c.data.file, baseDir);
                    run.config["data"]["file"] = file;
                    requireFile("data.file", file);
                    if (!c.training.init.empty()) { // a model to start from
                        const std::string init = absoluteData(c.training.init, baseDir);
                        run.config["training"]["init"] = init;
                        requireFile("training.init", init);
                    }
                } catch (const Cancelled&) {
                    throw;
                } catch (const Error& e) {
                    problems.push_back({run.index, label, e.what()});
                    run.seed = seed.value_or(0);
                }
                runs.push_back(std::move(run));
            }
    if (!problems.empty())
        throw Error("the sweep has runs whose config is not valid; nothing was started:" +
                    problemText(problems, runs.size()));
    return runs;
}

// ---- the sweep folder ------------------------------------------------------------------------

json runConfigFileJson(const std::string& dir, const SweepRun& run)
{
    const fs::path runDir = fs::path(absoluteFolder(dir)) / run.folder;
    return withDataFile(run.config, relativeData(dataFileOf(run.config), runDir));
}

SweepFolder openSweepFolder(const std::string& dir)
{
    const fs::path path = fs::path(dir) / "sweep.json";
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(dir + ": not a sweep folder (it has no sweep.json; `rmm sweep run` or `rmm sweep slurm` "
                          "makes one)");
    const std::string name = path.string();
    const json j = jsonf::parseText(readTextFile(name, "the sweep description"), name);
    SweepFolder f;
    f.dir = dir;
    try {
        jsonf::checkObject(j, "", {"format", "version", "keys", "spec", "base", "base_dir", "runs"});
        if (!j.contains("format") || j["format"] != "rmm-sweep")
            throw Error("format: expected \"rmm-sweep\"");
        const int version = j.contains("version") ? jsonf::asInt(j["version"], "version") : 0;
        if (version != kSweepFormatVersion)
            throw Error("version = " + std::to_string(version) +
                        ": this build reads sweep folders of version " + std::to_string(kSweepFormatVersion));
        if (!j.contains("keys") || !j.contains("runs"))
            throw Error("needs \"keys\" and \"runs\"");
        std::size_t k = 0;
        for (const auto& key : jsonf::asArray(j["keys"], "keys"))
            f.keys.push_back(jsonf::asString(key, jsonf::item("keys", k++)));
        f.spec = j.value("spec", json::object());
        f.base = j.value("base", json::object());
        const fs::path absDir = absoluteFolder(dir);
        k = 0;
        for (const auto& r : jsonf::asArray(j["runs"], "runs")) {
            const std::string at = jsonf::item("runs", k);
            jsonf::checkObject(r, at, {"index", "folder", "values", "seed", "config"});
            for (const char* need : {"index", "folder", "values", "seed", "config"})
                if (!r.contains(need))
                    throw Error(at + ": needs \"" + need + "\"");
            SweepRun run;
            run.index = jsonf::asInt(r["index"], at + ".index", 0);
            if (run.index != static_cast<int>(k))
                throw Error(at + ".index = " + std::to_string(run.index) + ": expected " + std::to_string(k));
            run.folder = jsonf::asString(r["folder"], at + ".folder");
            if (run.folder != folderName(run.index))
                throw Error(at + ".folder = \"" + run.folder + "\": expected \"" + folderName(run.index) +
                            "\"");
            if (!r["values"].is_object())
                throw Error(at + ".values: expected an object");
            run.values = r["values"];
            run.seed = r["seed"].is_number_unsigned()
                           ? r["seed"].get<std::uint64_t>()
                           : static_cast<std::uint64_t>(jsonf::asInteger(
                                 r["seed"], at + ".seed", 0, std::numeric_limits<long long>::max()));
            if (!r["config"].is_object())
                throw Error(at + ".config: expected an object");
            run.config = withDataFile(r["config"], absoluteData(dataFileOf(r["config"]), absDir));
            f.runs.push_back(std::move(run));
            ++k;
        }
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        throw Error(name + ": " + e.what() + " (not a sweep folder this version can read)");
    }
    return f;
}

void checkSweepFolder(const std::string& dir, const std::vector<SweepRun>& runs)
{
    std::error_code ec;
    const fs::path d(dir);
    if (!fs::exists(d, ec))
        return;
    if (!fs::is_directory(d, ec))
        throw Error(dir + ": exists and is not a folder (--out names the sweep folder)");
    if (!fs::exists(d / "sweep.json", ec)) {
        for (const auto& e : fs::directory_iterator(d, ec)) {
            const std::string name = e.path().filename().string();
            if (name != "sweep.lock")
                throw Error(
                    dir + ": holds other files (" + name +
                    ") and no sweep.json; not a sweep folder. Choose a new or empty folder for --out");
        }
        return;
    }
    const SweepFolder stored = openSweepFolder(dir);
    std::vector<std::string> diffs;
    if (stored.runs.size() != runs.size()) {
        diffs.push_back("the stored sweep has " + std::to_string(stored.runs.size()) +
                        " runs, this spec gives " + std::to_string(runs.size()));
    } else {
        for (std::size_t k = 0; k < runs.size(); ++k) {
            const SweepRun& a = stored.runs[k];
            const SweepRun& b = runs[k];
            const std::string at = "run " + std::to_string(k) + ": ";
            if (!sameJson(a.values, b.values)) {
                std::set<std::string> keys;
                for (const auto& [key, v] : a.values.items())
                    keys.insert(key);
                for (const auto& [key, v] : b.values.items())
                    keys.insert(key);
                for (const auto& key : keys) {
                    const auto shownOr = [&](const json& vals) {
                        return vals.contains(key) ? jsonf::shown(vals[key]) : std::string("(not swept)");
                    };
                    if (!a.values.contains(key) || !b.values.contains(key) ||
                        !sameJson(a.values[key], b.values[key]))
                        diffs.push_back(at + key + " " + shownOr(a.values) + " vs " + shownOr(b.values));
                }
            } else if (a.seed != b.seed) {
                diffs.push_back(at + "seed " + std::to_string(a.seed) + " vs " + std::to_string(b.seed));
            } else if (const std::string d = firstDifference(a.config, b.config, ""); !d.empty()) {
                diffs.push_back(at + "config " + d);
            }
        }
    }
    if (diffs.empty())
        return;
    std::string msg = dir +
                      " holds another sweep (sweep.json); refusing to mix runs of two sweeps in one folder. "
                      "Stored vs this base config and spec:";
    const std::size_t shownMax = 8;
    for (std::size_t k = 0; k < diffs.size() && k < shownMax; ++k)
        msg += "\n  " + diffs[k];
    if (diffs.size() > shownMax)
        msg += "\n  ... and " + std::to_string(diffs.size() - shownMax) + " more differences";
    msg += "\nUse another --out folder, or delete " + dir + " to start this sweep afresh.";
    throw Error(msg);
}

namespace {

/// Creates a run's folder and config.json, or checks a config.json already there.
void ensureRunFolder(const std::string& dir, const SweepRun& run, std::vector<std::string>& problems)
{
    const fs::path runDir = fs::path(dir) / run.folder;
    std::error_code ec;
    fs::create_directories(runDir, ec);
    if (ec)
        throw Error((runDir).string() + ": cannot create the run folder (" + ec.message() + ")");
    const fs::path file = runDir / "config.json";
    const json expected = runConfigFileJson(dir, run);
    if (!fs::exists(file, ec)) {
        writeTextAtomically(file.string(), expected.dump(2) + "\n");
        return;
    }
    const std::string shown = run.folder + "/config.json";
    try {
        const json stored = jsonf::parseText(readTextFile(file.string(), "the run's config"), shown);
        const json resolved = withDataFile(
            stored, absoluteData(dataFileOf(stored), fs::path(absoluteFolder(dir)) / run.folder));
        if (const std::string d = firstDifference(resolved, run.config, ""); !d.empty())
            problems.push_back(shown + " differs from its run in sweep.json: " + d +
                               " (edited by hand?); restore it, or delete it to have it written again");
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        problems.push_back(std::string(e.what()) + "; delete " + shown + " to have it written again");
    }
}

} // namespace

void prepareSweepFolder(const std::string& dir, const json& base, const std::string& baseDir,
                        const json& specJson, const SweepSpec& spec, const std::vector<SweepRun>& runs)
{
    checkSweepFolder(dir, runs);
    std::error_code ec;
    const fs::path d(dir);
    if (!fs::exists(d / "sweep.json", ec)) {
        fs::create_directories(d, ec);
        if (ec)
            throw Error(dir + ": cannot create the sweep folder (" + ec.message() + ")");
        const fs::path absDir = absoluteFolder(dir);
        json j;
        j["format"] = "rmm-sweep";
        j["version"] = kSweepFormatVersion;
        j["keys"] = sweptKeys(spec);
        j["spec"] = specJson;
        j["base"] = base;
        j["base_dir"] = absoluteFolder(baseDir);
        json list = json::array();
        for (const auto& r : runs)
            list.push_back({{"index", r.index},
                            {"folder", r.folder},
                            {"values", r.values},
                            {"seed", r.seed},
                            {"config", withDataFile(r.config, relativeData(dataFileOf(r.config), absDir))}});
        j["runs"] = std::move(list);
        writeTextAtomically((d / "sweep.json").string(), j.dump(2) + "\n");
    }
    // The runs as sweep.json has them (equal to `runs` but for the last bit of a random draw
    // made on another platform).
    const std::vector<SweepRun> stored = openSweepFolder(dir).runs;
    std::vector<std::string> problems;
    for (const auto& r : stored)
        ensureRunFolder(dir, r, problems);
    if (!problems.empty()) {
        std::string msg = dir + ": run folders do not match sweep.json; nothing was started:";
        for (const auto& p : problems)
            msg += "\n  " + p;
        throw Error(msg);
    }
}

void resetRunForRestart(const std::string& dir, const SweepRun& run)
{
    std::vector<std::string> ignored;
    ensureRunFolder(dir, run, ignored);
    const fs::path runDir = fs::path(dir) / run.folder;
    std::error_code ec;
    for (const char* name : {"exit_code", "started"}) {
        fs::remove(runDir / name, ec);
        if (ec)
            throw Error((runDir / name).string() + ": cannot remove (" + ec.message() + ")");
    }
    const auto moveAside = [&](const char* name, bool folder) {
        const fs::path from = runDir / name;
        const fs::path to = runDir / (std::string(name) + ".previous");
        if (!fs::exists(from, ec))
            return;
        if (folder)
            fs::remove_all(to, ec);
        fs::rename(from, to, ec);
        if (ec)
            throw Error(from.string() + ": cannot move to " + to.filename().string() + " (" + ec.message() +
                        ")");
    };
    moveAside("result", true);
    moveAside("train.log", false);
    syncFolder(runDir.string());
}

bool lockSweepFolder(const std::string& dir, std::string& holder)
{
    const std::string path = (fs::path(dir) / "sweep.lock").string();
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(path + ": cannot create the lock file (" + std::strerror(errno) + ")");
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        char buf[64] = {};
        [[maybe_unused]] const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        close(fd);
        if (err != EWOULDBLOCK)
            throw Error(path + ": cannot lock (" + std::strerror(err) + ")");
        holder = buf;
        holder.erase(std::remove(holder.begin(), holder.end(), '\n'), holder.end());
        return false;
    }
    const std::string me = "pid " + std::to_string(getpid()) + " on " + hostName() + "\n";
    if (ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t w = pwrite(fd, me.data(), me.size(), 0);
    }
    return true; // fd stays open on purpose: the lock lasts as long as this process
}

} // namespace rmm::sweep
