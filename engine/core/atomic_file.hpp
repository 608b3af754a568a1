// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <functional>
#include <string>

namespace rmm {

/// Writes a file atomically: `write` receives a temporary path next to `path`; when it returns
/// normally the temporary file is renamed over `path`, otherwise it is removed and the
/// exception propagates. A reader never sees a half-written file, and an old file survives a
/// failed write.
void writeAtomically(const std::string& path, const std::function<void(const std::string& tmpPath)>& write);

/// Atomic write of a text file.
void writeTextAtomically(const std::string& path, const std::string& text);

} // namespace rmm
