// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a risky read in a forked child process so that a library crash on a damaged file
// (Debian's libhdf5 1.10 dies with SIGSEGV/SIGABRT on some corrupt files, or loops forever)
// becomes an rmm::Error instead of taking the program down.
//
// The child runs only `work` and then _exit()s: no Qt, no OpenMP, no destructors of the parent's
// objects. While it runs, the code under `work` leaves Breadcrumbs ("reading attribute 'unit' of
// /acquisition/v1") on a page shared with the parent; when the child dies, the parent names the
// last one in its message. The environment variable RMM_NO_ISOLATION=1 runs `work` in-process
// (for debugging with gdb); RMM_ISOLATION_STALL_S (default 120) is how many seconds a child may
// spend without leaving a new breadcrumb before it is considered hung and killed.
#pragma once
#include "engine/core/error.hpp"

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace rmm {

/// A child of runIsolated() that died (signal, or exit without a result) or stopped responding.
class IsolatedCrash : public Error {
  public:
    IsolatedCrash(const std::string& message, bool inLibraryCall)
        : Error(message), inLibraryCall_(inLibraryCall)
    {
    }
    /// True when a Breadcrumb was active: the crash happened inside a library call. False means
    /// the caller's own code crashed (a bug; fuzz targets treat it as a finding).
    bool inLibraryCall() const { return inLibraryCall_; }

  private:
    bool inLibraryCall_;
};

/// False when RMM_NO_ISOLATION is set to anything but "0" or "".
bool isolationEnabled();

/// True in the child process of runIsolated().
bool inIsolatedChild();

/// Where `work` puts its result (in the child: a memory file the parent reads after the child ended).
class IsolatedResult {
  public:
    void write(const void* data, std::size_t bytes);

  private:
    friend std::size_t runIsolated(const std::string&, const std::string&,
                                   const std::function<void(IsolatedResult&)>&,
                                   const std::function<void*(std::size_t)>&);
    int fd_ = -1;          ///< in a child: the memory file
    std::string inMemory_; ///< without isolation
};

/// Runs `work` in a forked child. What it writes to its IsolatedResult is copied, after the child
/// has ended, into `receive(bytes)` (a buffer of that many bytes; not called when `receive` is
/// empty or nothing was written); returns the byte count. An rmm::Error thrown in the child is
/// rethrown here with the same message; std::bad_alloc becomes an rmm::Error naming `subject`
/// (a damaged size field asks for absurd amounts of memory). When the child dies or
/// hangs, throws IsolatedCrash:
///   "<subject>: the file is damaged: <breadcrumb> crashed <library> (signal 11, segmentation fault)".
/// Without isolation (RMM_NO_ISOLATION, or already inside a child), runs `work` here.
/// The caller holds whatever lock keeps other threads out of `library` during the fork.
std::size_t runIsolated(const std::string& subject, const std::string& library,
                        const std::function<void(IsolatedResult&)>& work,
                        const std::function<void*(std::size_t)>& receive = {});

/// Marks what the current isolated child is doing (no-op outside one, and when an outer
/// Breadcrumb is active: the outermost, most meaningful description wins). Scoped.
class Breadcrumb {
  public:
    explicit Breadcrumb(std::initializer_list<std::string_view> parts);
    ~Breadcrumb();
    Breadcrumb(const Breadcrumb&) = delete;
    Breadcrumb& operator=(const Breadcrumb&) = delete;

  private:
    bool owner_ = false;
};

} // namespace rmm
