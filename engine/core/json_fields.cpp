// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/json_fields.hpp"

#include "engine/core/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace rmm::jsonf {

using nlohmann::json;

std::size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string shown(const json& v)
{
    std::string s = v.dump();
    if (s.size() > 60)
        s = s.substr(0, 57) + "...";
    return s;
}

std::string join(const std::vector<std::string>& v)
{
    std::string out;
    for (std::size_t k = 0; k < v.size(); ++k)
        out += (k ? ", " : "") + v[k];
    return out;
}

std::string child(const std::string& path, const std::string& key)
{
    return path.empty() ? key : path + "." + key;
}

std::string item(const std::string& path, std::size_t k)
{
    return path + "[" + std::to_string(k) + "]";
}

namespace {

/// Key path of the value being parsed, kept by the parser callback.
struct PathTracker {
    struct Frame {
        bool array = false;
        std::string key;
        long index = -1;
    };
    std::vector<Frame> stack;

    /// A value starts inside the innermost container: arrays count their elements.
    void beginValue()
    {
        if (!stack.empty() && stack.back().array)
            ++stack.back().index;
    }
    /// The path of the current value; `pending` = the value that failed before its start event.
    std::string path(bool pending) const
    {
        std::string p;
        for (std::size_t k = 0; k < stack.size(); ++k) {
            const Frame& f = stack[k];
            if (f.array)
                p = item(p, static_cast<std::size_t>(f.index + (pending && k + 1 == stack.size() ? 1 : 0)));
            else if (!f.key.empty())
                p = child(p, f.key);
        }
        return p;
    }
};

} // namespace

json parseText(const std::string& text, const std::string& file)
{
    PathTracker t;
    const json::parser_callback_t cb = [&](int depth, json::parse_event_t ev, json& parsed) {
        switch (ev) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            if (depth + 1 > kMaxDepth) {
                const std::string where = t.path(true);
                throw Error(file + ": the JSON nests objects/arrays more than " + std::to_string(kMaxDepth) +
                            " levels deep" + (where.empty() ? std::string() : " (at " + where + ")") +
                            "; a settings file needs only a few levels");
            }
            t.beginValue();
            t.stack.push_back({ev == json::parse_event_t::array_start, {}, -1});
            break;
        case json::parse_event_t::key:
            if (!t.stack.empty())
                t.stack.back().key = parsed.get<std::string>();
            break;
        case json::parse_event_t::value:
            t.beginValue();
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            if (!t.stack.empty())
                t.stack.pop_back();
            break;
        }
        return true;
    };
    try {
        return json::parse(text, cb, /*allow_exceptions=*/true, /*ignore_comments=*/true);
    } catch (const json::out_of_range& e) {
        // 406: a number that does not fit a double (e.g. 1e400).
        const std::string where = t.path(true);
        throw Error(file + ": " + (where.empty() ? std::string("a value") : where) +
                    ": the number is too large (beyond +-1.8e308, the range of a double): " + e.what());
    } catch (const json::exception& e) {
        throw Error(file + ": not valid JSON: " + e.what());
    }
}

/// Throws unless `j` is an object whose keys are all in `allowed`.
void checkObject(const json& j, const std::string& path, const std::vector<std::string>& allowed)
{
    if (!j.is_object())
        throw Error((path.empty() ? std::string("the config") : "'" + path + "'") +
                    " must be a JSON object {...}, got " + shown(j));
    for (const auto& [key, value] : j.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
            continue;
        std::string msg = "unknown key '" + child(path, key) + "'";
        std::string best;
        std::size_t bestD = 3;
        for (const auto& a : allowed)
            if (std::size_t d = editDistance(key, a); d < bestD) {
                bestD = d;
                best = a;
            }
        if (!best.empty())
            msg += " (did you mean '" + best + "'?)";
        msg += "; allowed keys in " + (path.empty() ? std::string("the top level") : "'" + path + "'") +
               ": " + join(allowed);
        throw Error(msg);
    }
}

double asNumber(const json& v, const std::string& path)
{
    if (!v.is_number())
        throw Error(path + ": expected a number, got " + shown(v));
    double d = v.get<double>();
    if (!std::isfinite(d))
        throw Error(path + ": expected a finite number, got " + shown(v));
    return d;
}

long long asInteger(const json& v, const std::string& path, long long lo, long long hi)
{
    if (!v.is_number())
        throw Error(path + ": expected a whole number, got " + shown(v));
    long long r = 0;
    if (v.is_number_integer()) {
        if (v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(hi))
            throw Error(path + " = " + shown(v) + ": must be at most " + std::to_string(hi));
        r = v.get<long long>();
    } else {
        double d = v.get<double>();
        if (!std::isfinite(d) || d != std::floor(d) || std::abs(d) > 9e15)
            throw Error(path + ": expected a whole number, got " + shown(v));
        r = static_cast<long long>(d);
    }
    if (r < lo || r > hi)
        throw Error(path + " = " + std::to_string(r) + ": must be between " + std::to_string(lo) + " and " +
                    std::to_string(hi));
    return r;
}

int asInt(const json& v, const std::string& path, int lo, int hi)
{
    return static_cast<int>(asInteger(v, path, lo, hi));
}

std::string asString(const json& v, const std::string& path, bool allowEmpty)
{
    if (!v.is_string())
        throw Error(path + ": expected a string, got " + shown(v));
    std::string s = v.get<std::string>();
    if (s.empty() && !allowEmpty)
        throw Error(path + ": must not be empty");
    return s;
}

bool asBool(const json& v, const std::string& path)
{
    if (!v.is_boolean())
        throw Error(path + ": expected true or false, got " + shown(v));
    return v.get<bool>();
}

const json& asArray(const json& v, const std::string& path)
{
    if (!v.is_array())
        throw Error(path + ": expected an array [...], got " + shown(v));
    return v;
}

std::vector<double> asNumbers(const json& v, const std::string& path)
{
    std::vector<double> out;
    std::size_t k = 0;
    for (const auto& e : asArray(v, path))
        out.push_back(asNumber(e, item(path, k++)));
    return out;
}

std::vector<int> asInts(const json& v, const std::string& path, int lo, int hi)
{
    std::vector<int> out;
    std::size_t k = 0;
    for (const auto& e : asArray(v, path))
        out.push_back(asInt(e, item(path, k++), lo, hi));
    return out;
}

std::pair<double, double> asPair(const json& v, const std::string& path)
{
    auto p = asNumbers(v, path);
    if (p.size() != 2)
        throw Error(path + ": expected two numbers [low, high], got " + shown(v));
    return {p[0], p[1]};
}

} // namespace rmm::jsonf
