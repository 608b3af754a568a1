// SPDX-License-Identifier: GPL-3.0-or-later
// Strict reading of JSON settings files: typed field access whose errors name the full key path
// ("training.schedule[2].lr") and the offending value, and objects whose unknown keys are errors
// (with a "did you mean" hint and the list of allowed keys).
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace rmm::jsonf {

/// Deepest nesting of objects/arrays a settings file may have (the experiment config needs 4).
inline constexpr int kMaxDepth = 64;

/// Parses the JSON text of settings file `file` (comments allowed). Errors name the file and:
/// nesting deeper than kMaxDepth (checked while parsing, before any recursion over the tree), a
/// number too large for a double (with its key path, e.g. "training.lr"), or the syntax error.
nlohmann::json parseText(const std::string& text, const std::string& file);

/// Levenshtein distance (for "did you mean" hints).
std::size_t editDistance(const std::string& a, const std::string& b);
/// A value as JSON text, cut to ~60 characters, for messages.
std::string shown(const nlohmann::json& v);
/// "a, b, c".
std::string join(const std::vector<std::string>& v);
/// Key paths: child("training", "lr") = "training.lr"; item("data.trials", 2) = "data.trials[2]".
std::string child(const std::string& path, const std::string& key);
std::string item(const std::string& path, std::size_t k);

/// Throws rmm::Error unless `j` is an object whose keys are all in `allowed`.
void checkObject(const nlohmann::json& j, const std::string& path, const std::vector<std::string>& allowed);

// Typed access; each throws rmm::Error naming `path` and the value.
double asNumber(const nlohmann::json& v, const std::string& path); ///< finite number
long long asInteger(const nlohmann::json& v, const std::string& path, long long lo, long long hi);
int asInt(const nlohmann::json& v, const std::string& path, int lo = std::numeric_limits<int>::min(),
          int hi = std::numeric_limits<int>::max());
std::string asString(const nlohmann::json& v, const std::string& path, bool allowEmpty = false);
bool asBool(const nlohmann::json& v, const std::string& path);
const nlohmann::json& asArray(const nlohmann::json& v, const std::string& path);
std::vector<double> asNumbers(const nlohmann::json& v, const std::string& path);
std::vector<int> asInts(const nlohmann::json& v, const std::string& path, int lo, int hi);
/// Exactly two numbers [low, high].
std::pair<double, double> asPair(const nlohmann::json& v, const std::string& path);

} // namespace rmm::jsonf
