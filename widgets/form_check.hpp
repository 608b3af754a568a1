// SPDX-License-Identifier: GPL-3.0-or-later
// The forms' isValid(): whether building the config from the widgets succeeds, and if not, the
// engine's message naming the bad field.
#pragma once
#include "engine/core/error.hpp"

#include <QString>

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

} // namespace rmm
