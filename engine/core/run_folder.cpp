// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/run_folder.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/core/kill_point.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

namespace rmm {

namespace fs = std::filesystem;

namespace {

/// `target` without trailing separators; "." and ".." made absolute, so that the folder has a
/// name its siblings can be derived from.
fs::path normalTarget(const std::string& target)
{
    std::string s = target;
    while (s.size() > 1 && s.back() == '/')
        s.pop_back();
    fs::path p(s);
    const std::string name = p.filename().string();
    if (name.empty() || name == "." || name == "..") {
        std::error_code ec;
        p = fs::absolute(p, ec).lexically_normal();
        std::string a = p.string();
        while (a.size() > 1 && a.back() == '/')
            a.pop_back();
        p = fs::path(a);
    }
    if (p.filename().empty() || p == p.root_path())
        throw Error(target + ": cannot be used as a results folder (no folder name)");
    return p;
}

fs::path parentOf(const fs::path& p)
{
    return p.has_parent_path() ? p.parent_path() : fs::path(".");
}

fs::path sibling(const fs::path& target, const std::string& suffix)
{
    return parentOf(target) / (target.filename().string() + suffix);
}

std::string tmpSuffix(const std::string& extra = "")
{
    return ".tmp-" + std::to_string(::getpid()) + extra;
}

bool present(const fs::path& p)
{
    std::error_code ec;
    return fs::symlink_status(p, ec).type() != fs::file_type::not_found && !ec;
}

bool complete(const fs::path& folder, const std::vector<std::string>& files)
{
    std::error_code ec;
    for (const auto& f : files)
        if (!fs::is_regular_file(folder / f, ec))
            return false;
    return true;
}

/// Swaps two paths in one step (Linux renameat2); false when not possible here.
bool exchange(const fs::path& a, const fs::path& b)
{
    if (std::getenv("RMM_TEST_NO_EXCHANGE"))
        return false;
#ifdef SYS_renameat2
    return ::syscall(SYS_renameat2, AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
#else
    return false;
#endif
}

void renameOrThrow(const fs::path& from, const fs::path& to, const std::string& what)
{
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec)
        throw Error(to.string() + ": cannot " + what + " (" + ec.message() + ")");
}

/// Deletes a folder; a failure becomes a warning (the new results are in place already).
void removeOld(const fs::path& p, const std::string& shownAs, std::vector<std::string>& warnings)
{
    std::error_code ec;
    fs::remove_all(p, ec);
    if (ec)
        warnings.push_back(p.string() + ": could not delete the old " + shownAs + " (" + ec.message() +
                           "); delete it by hand");
}

} // namespace

FolderContent folderContent(const std::string& folder, const std::vector<std::string>& files)
{
    std::error_code ec;
    const auto st = fs::status(folder, ec);
    if (st.type() == fs::file_type::not_found)
        return FolderContent::Missing;
    if (st.type() != fs::file_type::directory)
        return FolderContent::Other;
    for (const auto& f : files)
        if (present(fs::path(folder) / f))
            return FolderContent::Results;
    fs::directory_iterator it(folder, ec);
    if (ec)
        return FolderContent::Other;
    return it == fs::directory_iterator() ? FolderContent::Empty : FolderContent::Other;
}

std::string siblingFolder(const std::string& target, const std::string& suffix)
{
    return sibling(normalTarget(target), suffix).string();
}

FolderWriter::FolderWriter(const std::string& target, std::vector<std::string> files)
    : files_(std::move(files))
{
    const fs::path t = normalTarget(target);
    target_ = t.string();
    const fs::path parent = parentOf(t);
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
        throw Error(parent.string() + ": cannot create the folder (" + ec.message() + ")");
    tmp_ = sibling(t, tmpSuffix()).string();
    fs::remove_all(tmp_, ec); // a leftover of an earlier write of this process
    if (!fs::create_directory(tmp_, ec) || ec)
        throw Error(tmp_ + ": cannot create a folder for the results (" +
                    (ec ? ec.message() : std::string("exists")) + ")");
}

FolderWriter::~FolderWriter()
{
    if (!committed_) {
        std::error_code ec;
        fs::remove_all(tmp_, ec);
    }
}

std::string FolderWriter::file(const std::string& name) const
{
    return (fs::path(tmp_) / name).string();
}

std::vector<std::string> FolderWriter::commit(Replaced old)
{
    std::vector<std::string> warnings;
    const fs::path target(target_), tmp(tmp_);
    for (const auto& f : files_)
        if (!fs::is_regular_file(tmp / f))
            throw Error((tmp / f).string() + ": missing; the results were not moved to " + target_);
    killPoint("folder-files-written");
    std::error_code ec;
    for (fs::directory_iterator it(tmp, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file())
            syncFile(it->path().string());
    if (ec)
        throw Error(tmp_ + ": cannot list the folder (" + ec.message() + ")");
    syncFolder(tmp_);
    killPoint("folder-synced");

    const fs::path parent = parentOf(target);
    if (!present(target)) {
        renameOrThrow(tmp, target, "move the results into place");
        committed_ = true;
    } else {
        const FolderContent content = folderContent(target_, files_);
        if (content == FolderContent::Other)
            throw Error(target_ + ": holds files that are not results (or is not a folder); not replaced");
        const bool keep = old == Replaced::KeepAsPrevious && content == FolderContent::Results;
        const fs::path previous = sibling(target, ".previous");
        if (keep && present(previous)) {
            const fs::path trash = sibling(target, tmpSuffix("-trash"));
            renameOrThrow(previous, trash, "move the older .previous folder aside");
            killPoint("folder-previous-moved");
            removeOld(trash, "previous results", warnings);
            killPoint("folder-previous-removed");
        }
        if (exchange(tmp, target)) {
            committed_ = true; // from here on tmp holds the old folder: never delete it by mistake
            killPoint("folder-exchanged");
            if (keep) {
                fs::rename(tmp, previous, ec);
                if (ec)
                    warnings.push_back(tmp_ + ": holds the replaced results; could not rename it to " +
                                       previous.string() + " (" + ec.message() + ")");
            } else {
                removeOld(tmp, "results", warnings);
            }
        } else {
            const fs::path aside = keep ? previous : sibling(target, tmpSuffix("-old"));
            renameOrThrow(target, aside, "move the old results aside");
            killPoint("folder-old-moved");
            fs::rename(tmp, target, ec);
            if (ec) {
                std::error_code back;
                fs::rename(aside, target, back);
                throw Error(target_ + ": cannot move the results into place (" + ec.message() + ")");
            }
            committed_ = true;
            if (!keep)
                removeOld(aside, "results", warnings);
        }
    }
    killPoint("folder-moved");
    syncFolder(parent.string());
    return warnings;
}

std::vector<std::string> recoverInterruptedWrites(const std::string& targetPath,
                                                  const std::vector<std::string>& files, Replaced old)
{
    std::vector<std::string> notes;
    fs::path target;
    try {
        target = normalTarget(targetPath);
    } catch (const Error&) {
        return notes;
    }
    const fs::path parent = parentOf(target);
    const std::string prefix = target.filename().string() + ".tmp-";
    std::error_code ec;
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        std::size_t k = prefix.size();
        while (k < name.size() && name[k] >= '0' && name[k] <= '9')
            ++k;
        if (k == prefix.size() || k - prefix.size() > 9 || (k < name.size() && name[k] != '-'))
            continue;
        if (!processAlive(std::stol(name.substr(prefix.size(), k - prefix.size()))))
            stale.push_back(it->path());
    }
    for (const fs::path& p : stale) {
        const bool whole = p.filename().string().find('-', prefix.size()) == std::string::npos;
        std::error_code e;
        if (whole && fs::is_directory(p, e) && complete(p, files)) {
            const fs::path previous = sibling(target, ".previous");
            if (!present(target)) {
                fs::rename(p, target, e);
                if (!e) {
                    notes.push_back(target.string() + ": restored the results of an interrupted write from " +
                                    p.filename().string());
                    continue;
                }
            }
            e.clear();
            if (old == Replaced::KeepAsPrevious && !present(previous)) {
                fs::rename(p, previous, e);
                if (!e) {
                    notes.push_back(previous.string() + ": kept the results left by an interrupted write (" +
                                    p.filename().string() + ")");
                    continue;
                }
            }
        }
        e.clear();
        fs::remove_all(p, e);
        notes.push_back(p.string() +
                        (e ? ": could not delete what an interrupted write left (" + e.message() + ")"
                           : ": deleted what an interrupted write left"));
    }
    if (fs::is_directory(target, ec))
        for (const auto& name : removeStaleTempFiles(target.string()))
            notes.push_back((target / name).string() +
                            ": deleted a temporary file an interrupted write left");
    return notes;
}

void checkCanCreate(const std::string& targetPath)
{
    const fs::path target = normalTarget(targetPath);
    fs::path folder = parentOf(target);
    std::error_code ec;
    while (!present(folder)) {
        if (!folder.has_parent_path() || folder.parent_path() == folder) {
            folder = ".";
            break;
        }
        folder = folder.parent_path();
    }
    if (!fs::is_directory(folder, ec))
        throw Error(folder.string() + ": is not a folder, so " + target.string() +
                    " cannot be created there");
    const fs::path probe = folder / (target.filename().string() + tmpSuffix("-probe"));
    const int fd = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        throw Error(folder.string() + ": cannot create files in this folder (" + std::strerror(errno) +
                    "), so the results cannot be written to " + target.string());
    ::close(fd);
    ::unlink(probe.c_str());
}

} // namespace rmm
