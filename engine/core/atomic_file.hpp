// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace rmm {

/// Writes a file atomically: `write` receives a temporary path next to `path`
/// (".NAME.tmp-PID-N"); when it returns normally the temporary file is flushed to disk (fsync)
/// and renamed over `path`, and the folder is synced; otherwise it is removed and the exception
/// propagates. A reader never sees a half-written file, and an old file survives a failed write
/// or a crash.
void writeAtomically(const std::string& path, const std::function<void(const std::string& tmpPath)>& write);

/// Atomic write of a text file.
void writeTextAtomically(const std::string& path, const std::string& text);

/// The whole content of a file; throws rmm::Error "PATH: cannot read WHAT (missing or unreadable)"
/// (or "PATH: cannot read WHAT" when reading fails midway).
std::string readTextFile(const std::string& path, const std::string& what);

/// fsync of a written file; throws rmm::Error naming `path` when the data cannot be stored.
void syncFile(const std::string& path);
/// fsync of a folder (makes renames and new entries in it durable); errors are ignored, as some
/// file systems cannot sync folders.
void syncFolder(const std::string& path);

/// True while process `pid` exists (on this machine).
bool processAlive(long pid);

/// Removes the temporary files (".NAME.tmp-PID-N") that writeAtomically left in `folder` when
/// its process was killed, i.e. those whose PID no longer runs. Returns the names removed.
std::vector<std::string> removeStaleTempFiles(const std::string& folder);

} // namespace rmm
