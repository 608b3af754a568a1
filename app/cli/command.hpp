// SPDX-License-Identifier: GPL-3.0-or-later
// Sub-commands of `rmm`. Each cmd_*.cpp registers itself with a static Registrar, so adding a
// command touches no other file.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rmm::cli {

/// Parsed "--key value" / "--flag" options and positional arguments.
class Args {
  public:
    Args(const std::vector<std::string>& argv, const std::vector<std::string>& flags);
    std::optional<std::string> get(const std::string& key) const;
    std::string require(const std::string& key) const; ///< throws rmm::Error when absent
    bool flag(const std::string& key) const;
    double number(const std::string& key, double fallback) const; ///< throws on non-numbers
    long integer(const std::string& key, long fallback) const;
    const std::vector<std::string>& positional() const { return positional_; }
    /// Throws rmm::Error naming the first option not in `known`.
    void allowOnly(const std::vector<std::string>& known) const;

  private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> flags_;
    std::vector<std::string> positional_;
};

struct Command {
    std::string name;
    std::string summary;
    std::string usage;
    std::vector<std::string> flags; ///< options that take no value
    std::function<int(const Args&)> run;
};

std::map<std::string, Command>& registry();

struct Registrar {
    explicit Registrar(Command c) { registry()[c.name] = std::move(c); }
};

} // namespace rmm::cli
