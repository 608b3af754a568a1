// SPDX-License-Identifier: GPL-3.0-or-later
// The forms' isValid(): whether building the config from the widgets succeeds, and if not, the
// engine's message naming the bad field; and the forms' rows by the config key they set.
#pragma once
#include "engine/core/error.hpp"

#include <QString>

#include <map>
#include <string>

namespace rmm {

template <typename F> bool formAccepts(F&& buildConfig, QString* why)
{
    try {
        buildConfig();
        return true;
    } catch (const Error& e) {
        if (why)
            *why = QString::fromStdString(e.what());
        return false;
    }
}

/// A form's fieldLabel: the label of the row that sets config key `key`, empty when none does.
inline QString labelOfKey(const std::map<std::string, QString>& labels, const std::string& key)
{
    const auto it = labels.find(key);
    return it == labels.end() ? QString() : it->second;
}

} // namespace rmm
