// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/atomic_file.hpp"

#include "engine/core/error.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace rmm {

void writeAtomically(const std::string& path, const std::function<void(const std::string&)>& write)
{
    namespace fs = std::filesystem;
    static std::atomic<unsigned> counter{0};
    fs::path target(path);
    std::string name = target.filename().string();
    name.insert(0, 1, '.');
    name += ".tmp-";
    name += std::to_string(::getpid());
    name += '-';
    name += std::to_string(counter++);
    std::string tmp = (target.parent_path() / name).string();
    try {
        write(tmp);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw Error(path + ": cannot replace file (" + ec.message() + ")");
    }
}

void writeTextAtomically(const std::string& path, const std::string& text)
{
    writeAtomically(path, [&](const std::string& tmp) {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f)
            throw Error(path + ": cannot write (folder missing or read-only?)");
        f << text;
        f.flush();
        if (!f)
            throw Error(path + ": write failed (disk full?)");
    });
}

} // namespace rmm
