// SPDX-License-Identifier: GPL-3.0-or-later
// Shared helpers for tests of bad input: the message of the rmm::Error a call throws, and JSON
// fixture loading.
#pragma once
#include "engine/core/error.hpp"

#include <nlohmann/json.hpp>

#include <QString>

#include <fstream>
#include <stdexcept>

namespace rmmtest {

/// The message of the rmm::Error that f() throws; empty when it throws none.
template <typename F> QString errorOf(F&& f)
{
    try {
        f();
    } catch (const rmm::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

/// A JSON file (e.g. a fixture's .expected.json); throws std::runtime_error naming it when unreadable.
inline nlohmann::json loadJson(const QString& path)
{
    std::ifstream in(path.toStdString());
    if (!in)
        throw std::runtime_error("cannot open " + path.toStdString());
    return nlohmann::json::parse(in);
}

} // namespace rmmtest
