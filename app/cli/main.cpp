// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm`: the command-line face of the engine.
#include "command.hpp"
#include "engine/core/error.hpp"
#include "engine/core/openmp_wait.hpp"
#include "interrupt.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace rmm::cli {

std::map<std::string, Command>& registry()
{
    static std::map<std::string, Command> r;
    return r;
}

Args::Args(const std::vector<std::string>& argv, const std::vector<std::string>& flags)
{
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string key = a.substr(2);
            auto eq = key.find('=');
            if (eq != std::string::npos) {
                values_[key.substr(0, eq)] = key.substr(eq + 1);
            } else if (std::find(flags.begin(), flags.end(), key) != flags.end()) {
                flags_.push_back(key);
            } else {
                if (i + 1 >= argv.size())
                    throw Error("option --" + key + " needs a value");
                values_[key] = argv[++i];
            }
        } else {
            positional_.push_back(a);
        }
    }
}

std::optional<std::string> Args::get(const std::string& key) const
{
    auto it = values_.find(key);
    if (it == values_.end())
        return std::nullopt;
    return it->second;
}

std::string Args::require(const std::string& key) const
{
    auto v = get(key);
    if (!v)
        throw Error("missing required option --" + key);
    return *v;
}

bool Args::flag(const std::string& key) const
{
    return std::find(flags_.begin(), flags_.end(), key) != flags_.end();
}

double Args::number(const std::string& key, double fallback) const
{
    auto v = get(key);
    if (!v)
        return fallback;
    try {
        std::size_t used = 0;
        double d = std::stod(*v, &used);
        if (used != v->size())
            throw 0;
        return d;
    } catch (...) {
        throw Error("option --" + key + ": '" + *v + "' is not a number");
    }
}

long Args::integer(const std::string& key, long fallback) const
{
    auto v = get(key);
    if (!v)
        return fallback;
    try {
        std::size_t used = 0;
        long d = std::stol(*v, &used);
        if (used != v->size())
            throw 0;
        return d;
    } catch (...) {
        throw Error("option --" + key + ": '" + *v + "' is not a whole number");
    }
}

void Args::allowOnly(const std::vector<std::string>& known) const
{
    auto isKnown = [&](const std::string& k) {
        return std::find(known.begin(), known.end(), k) != known.end();
    };
    for (const auto& [k, v] : values_)
        if (!isKnown(k))
            throw Error("unknown option --" + k);
    for (const auto& k : flags_)
        if (!isKnown(k))
            throw Error("unknown option --" + k);
}

} // namespace rmm::cli

namespace {

void printHelp()
{
    std::cout << "rmm " RMM_VERSION " - Recurrent Mechanistic Models of small neural circuits\n\n"
                 "usage: rmm <command> [options]\n\ncommands:\n";
    for (const auto& [name, c] : rmm::cli::registry())
        std::cout << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ') << c.summary
                  << "\n";
    std::cout << "\n'rmm <command> --help' shows a command's options.\n";
}

} // namespace

int main(int argc, char** argv)
{
    rmm::preferPassiveOpenMpWait(argv); // may start this program again; see openmp_wait.hpp
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        printHelp();
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "rmm " RMM_VERSION "\n";
        return 0;
    }
    auto& reg = rmm::cli::registry();
    auto it = reg.find(args[0]);
    if (it == reg.end()) {
        std::cerr << "rmm: unknown command '" << args[0] << "' (see 'rmm --help')\n";
        return 2;
    }
    const auto& cmd = it->second;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest)
        if (a == "--help" || a == "-h") {
            std::cout << "usage: rmm " << cmd.name << " " << cmd.usage << "\n";
            return 0;
        }
    try {
        rmm::cli::Args parsed(rest, cmd.flags);
        return cmd.run(parsed);
    } catch (const rmm::Cancelled&) {
        std::cerr << "rmm " << cmd.name << ": cancelled\n";
        return rmm::cli::interruptExitCode();
    } catch (const std::exception& e) {
        std::cerr << "rmm " << cmd.name << ": error: " << e.what() << "\n";
        return 1;
    }
}
