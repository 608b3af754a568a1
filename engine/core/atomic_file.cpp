// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/atomic_file.hpp"

#include "engine/core/error.hpp"
#include "engine/core/kill_point.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace rmm {

namespace {

/// PID of a temporary name ".NAME.tmp-PID-N", or -1 when `name` is not one.
long tempFilePid(const std::string& name)
{
    if (name.size() < 2 || name[0] != '.')
        return -1;
    const auto at = name.rfind(".tmp-");
    if (at == std::string::npos || at == 0)
        return -1;
    const std::string rest = name.substr(at + 5);
    const auto dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || dash + 1 == rest.size())
        return -1;
    for (std::size_t k = 0; k < rest.size(); ++k)
        if (k != dash && (rest[k] < '0' || rest[k] > '9'))
            return -1;
    if (dash > 9)
        return -1;
    return std::stol(rest.substr(0, dash));
}

} // namespace

void syncFile(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(path + ": cannot open to flush to disk (" + std::strerror(errno) + ")");
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL && err != EROFS)
        throw Error(path + ": cannot flush to disk (" + std::strerror(err) + ")");
}

void syncFolder(const std::string& path)
{
    const int fd = ::open(path.empty() ? "." : path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)::fsync(fd);
    ::close(fd);
}

bool processAlive(long pid)
{
    if (pid <= 0)
        return false;
    if (pid == static_cast<long>(::getpid()))
        return true;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

std::vector<std::string> removeStaleTempFiles(const std::string& folder)
{
    namespace fs = std::filesystem;
    std::vector<std::string> removed;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const long pid = tempFilePid(name);
        if (pid < 0 || processAlive(pid))
            continue;
        std::error_code rm;
        if (it->is_regular_file(rm) && fs::remove(it->path(), rm))
            removed.push_back(name);
    }
    return removed;
}

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
        syncFile(tmp);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
    killPoint("atomic-file-written");
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw Error(path + ": cannot replace file (" + ec.message() + ")");
    }
    syncFolder(target.parent_path().string());
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

std::string readTextFile(const std::string& path, const std::string& what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot read " + what + " (missing or unreadable)");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw Error(path + ": cannot read " + what);
    return text.str();
}

} // namespace rmm
