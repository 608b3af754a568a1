// SPDX-License-Identifier: GPL-3.0-or-later
// Writing a folder of results (e.g. model.h5, curves.csv, report.json) as one unit: the files go
// into a temporary sibling folder TARGET.tmp-PID (same file system), are flushed to disk, and the
// folder is then moved into place. After a crash or kill -9 at any instant, TARGET holds either
// its old complete set or the new complete set, never a mix:
//
//   * TARGET missing: one rename.
//   * TARGET present: renameat2(RENAME_EXCHANGE) swaps the two folders in one step; the old one
//     then becomes TARGET.previous (Replaced::KeepAsPrevious, replacing an older .previous) or is
//     deleted (Replaced::Discard). Where the file system cannot exchange, two renames (TARGET
//     aside, then the new folder in); a crash between them leaves TARGET missing for a moment,
//     which recoverInterruptedWrites() repairs at the next start.
//
// Linux only (as the rest of the engine's file code). One writer per target at a time.
#pragma once
#include <string>
#include <vector>

namespace rmm {

/// What a results folder holds, judged by the names of the files a complete set has.
enum class FolderContent {
    Missing, ///< no such path
    Empty,   ///< an empty folder
    Results, ///< a folder with at least one of the files
    Other,   ///< a folder with other things only, or not a folder
};
FolderContent folderContent(const std::string& folder, const std::vector<std::string>& files);

/// What commit does with a results folder already at the target.
enum class Replaced {
    KeepAsPrevious, ///< becomes TARGET.previous (an older .previous is deleted)
    Discard,        ///< deleted
};

/// The folder beside `target` named TARGET + suffix, e.g. siblingFolder("runs/a/", ".previous")
/// is "runs/a.previous".
std::string siblingFolder(const std::string& target, const std::string& suffix);

/// Writes one results folder. The files are written (e.g. with writeAtomically) to file(name);
/// commit() moves them into place. Destroying an uncommitted writer removes the temporary
/// folder, so a failed write leaves the target as it was.
class FolderWriter {
  public:
    /// Creates the missing parent folders and the temporary folder; throws rmm::Error naming the
    /// folder that cannot be created. `files` are the names of a complete set.
    FolderWriter(const std::string& target, std::vector<std::string> files);
    ~FolderWriter();
    FolderWriter(const FolderWriter&) = delete;
    FolderWriter& operator=(const FolderWriter&) = delete;

    /// Path of file `name` in the temporary folder.
    std::string file(const std::string& name) const;
    const std::string& temporaryFolder() const { return tmp_; }

    /// Flushes every file and the folder to disk, then moves the folder into place as the target.
    /// Throws rmm::Error (target unchanged) when a file of the set is missing, when the target
    /// holds something other than results (never deleted), or when a rename fails. Returns
    /// warnings for the user (an old folder that could not be deleted).
    std::vector<std::string> commit(Replaced old);

  private:
    std::string target_, tmp_;
    std::vector<std::string> files_;
    bool committed_ = false;
};

/// Cleans up after writers of `target` that were killed (their PID no longer runs): a complete
/// temporary folder becomes the target when the target is missing (the gap between two renames),
/// else TARGET.previous when that is missing and `old` is KeepAsPrevious (the old folder swapped
/// out just before the crash), else it is deleted; incomplete temporary folders, probes and
/// writeAtomically's temporary files inside the target are deleted. Returns one sentence per
/// action, for the user. Never throws.
std::vector<std::string> recoverInterruptedWrites(const std::string& target,
                                                  const std::vector<std::string>& files, Replaced old);

/// Checks, before any long work, that the folder that will receive `target` (its parent, or the
/// nearest existing ancestor when the parent is still to be created) accepts new files, by
/// creating and removing a probe file. Throws rmm::Error naming the folder and the reason.
void checkCanCreate(const std::string& target);

} // namespace rmm
