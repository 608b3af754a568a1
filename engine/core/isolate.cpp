// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/isolate.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace rmm {
namespace {

constexpr std::size_t kPageBytes = 4096;
constexpr off_t kHeaderBytes = 9;

/// Shared between parent and child (MAP_SHARED | MAP_ANONYMOUS): the child writes, the parent
/// reads while it waits (seq, for the stall watchdog) and after the child has ended (text).
struct CrumbPage {
    std::atomic<std::uint64_t> seq{0}; ///< bumped on every breadcrumb change
    std::atomic<int> active{0};        ///< 1 while a Breadcrumb is in scope
    char text[kPageBytes - 64] = {};   ///< the latest breadcrumb, NUL-terminated
};
static_assert(sizeof(CrumbPage) <= kPageBytes);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

// Set only in the child (which has a single thread); null in every other process.
CrumbPage* g_page = nullptr;

double stallSeconds()
{
    const char* env = std::getenv("RMM_ISOLATION_STALL_S");
    if (env && *env) {
        char* end = nullptr;
        const double s = std::strtod(env, &end);
        if (end != env && s > 0)
            return s;
    }
    return 120;
}

std::string describeSignal(int sig)
{
    const char* name = sig == SIGSEGV   ? "segmentation fault"
                       : sig == SIGABRT ? "abort"
                       : sig == SIGBUS  ? "bus error"
                       : sig == SIGFPE  ? "arithmetic exception"
                       : sig == SIGILL  ? "illegal instruction"
                       : sig == SIGKILL ? "killed, out of memory?"
                                        : nullptr;
    return "signal " + std::to_string(sig) + (name ? std::string(", ") + name : std::string());
}

bool writeAll(int fd, const char* p, std::size_t n)
{
    while (n > 0) {
        const ssize_t k = ::write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += k;
        n -= static_cast<std::size_t>(k);
    }
    return true;
}

// The child: run `work` (its result at offset 9 of `out`, a memory file), then write the header
// "<status byte><8-byte payload length>" at offset 0, _exit. Status R: result; E/X: an error
// message replaces the payload; M: out of memory. Never returns.
[[noreturn]] void childMain(CrumbPage* page, int out, pid_t parent,
                            const std::function<void(IsolatedResult&)>& work, IsolatedResult& result)
{
    g_page = page;
    // Crash signals must kill the child (the parent reads the signal from waitpid), not run a
    // handler the parent installed (crash reporters, sanitizers).
    sigset_t crash;
    sigemptyset(&crash);
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP}) {
        std::signal(sig, SIG_DFL);
        sigaddset(&crash, sig);
    }
    sigprocmask(SIG_UNBLOCK, &crash, nullptr);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(3);
    const rlimit noCore{0, 0}; // an expected crash should not leave core files behind
    setrlimit(RLIMIT_CORE, &noCore);

    char status = 'R';
    std::string message;
    try {
        if (ftruncate(out, kHeaderBytes) != 0 || lseek(out, kHeaderBytes, SEEK_SET) != kHeaderBytes)
            throw Error("cannot write the result");
        work(result);
    } catch (const std::bad_alloc&) {
        status = 'M';
    } catch (const Error& e) {
        status = 'E';
        message = e.what();
    } catch (const std::exception& e) {
        status = 'X';
        message = e.what();
    } catch (...) {
        status = 'X';
        message = "unknown exception";
    }
    bool ok = true;
    if (status != 'R')
        ok = ftruncate(out, kHeaderBytes) == 0 && lseek(out, kHeaderBytes, SEEK_SET) == kHeaderBytes &&
             writeAll(out, message.data(), message.size());
    const off_t end = lseek(out, 0, SEEK_END);
    char head[kHeaderBytes];
    head[0] = status;
    const std::uint64_t n = end > kHeaderBytes ? static_cast<std::uint64_t>(end - kHeaderBytes) : 0;
    std::memcpy(head + 1, &n, 8);
    ok = ok && end >= kHeaderBytes && pwrite(out, head, kHeaderBytes, 0) == kHeaderBytes;
    _exit(ok ? 0 : 4);
}

bool readAt(int fd, void* dst, std::size_t n, off_t at)
{
    auto* p = static_cast<char*>(dst);
    while (n > 0) {
        const ssize_t k = pread(fd, p, n, at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        p += k;
        n -= static_cast<std::size_t>(k);
        at += k;
    }
    return true;
}

} // namespace

bool isolationEnabled()
{
    const char* env = std::getenv("RMM_NO_ISOLATION");
    return !env || !*env || std::strcmp(env, "0") == 0;
}

bool inIsolatedChild()
{
    return g_page != nullptr;
}

Breadcrumb::Breadcrumb(std::initializer_list<std::string_view> parts)
{
    CrumbPage* page = g_page;
    if (!page || page->active.load(std::memory_order_relaxed))
        return;
    std::size_t n = 0;
    for (std::string_view part : parts) {
        const std::size_t k = std::min(part.size(), sizeof page->text - 1 - n);
        std::memcpy(page->text + n, part.data(), k);
        n += k;
    }
    page->text[n] = '\0';
    page->active.store(1, std::memory_order_release);
    page->seq.fetch_add(1, std::memory_order_release);
    owner_ = true;
}

Breadcrumb::~Breadcrumb()
{
    if (!owner_)
        return;
    g_page->active.store(0, std::memory_order_release);
    g_page->seq.fetch_add(1, std::memory_order_release);
}

void IsolatedResult::write(const void* data, std::size_t bytes)
{
    if (fd_ < 0)
        inMemory_.append(static_cast<const char*>(data), bytes);
    else if (!writeAll(fd_, static_cast<const char*>(data), bytes))
        throw Error(std::string("cannot hand the result to the parent process (") + std::strerror(errno) +
                    ")");
}

std::size_t runIsolated(const std::string& subject, const std::string& library,
                        const std::function<void(IsolatedResult&)>& work,
                        const std::function<void*(std::size_t)>& receive)
{
    IsolatedResult result;
    if (!isolationEnabled() || inIsolatedChild()) {
        work(result);
        if (receive && !result.inMemory_.empty())
            std::memcpy(receive(result.inMemory_.size()), result.inMemory_.data(), result.inMemory_.size());
        return result.inMemory_.size();
    }
    void* mem = mmap(nullptr, kPageBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        throw Error(subject + ": cannot prepare a process to read the file in (" + std::strerror(errno) +
                    ")");
    auto* page = new (mem) CrumbPage{};
    struct Unmap {
        void* p;
        ~Unmap() { munmap(p, kPageBytes); }
    } unmap{mem};
    // The result goes through a memory file (one copy each way, no ping-pong through a 64 KiB pipe
    // buffer: samples of a channel can be hundreds of MB); the pipe only tells the parent that the
    // child has ended (end of stream when its write end closes).
    const int out = memfd_create("rmm-isolated", MFD_CLOEXEC);
    if (out < 0)
        throw Error(subject + ": cannot prepare a process to read the file in (" + std::strerror(errno) +
                    ")");
    struct Close {
        int fd;
        ~Close() { close(fd); }
    } closeOut{out};
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        throw Error(subject + ": cannot prepare a process to read the file in (" + std::strerror(errno) +
                    ")");
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        const int err = errno;
        close(fds[0]);
        close(fds[1]);
        throw Error(subject + ": cannot start a process to read the file in (" + std::strerror(err) + ")");
    }
    if (pid == 0) {
        close(fds[0]);
        result.fd_ = out;
        childMain(page, out, parent, work, result);
    }
    close(fds[1]);

    // Wait for the child; kill it when it leaves no new breadcrumb for stallSeconds() (libhdf5
    // loops forever on some damaged global heaps).
    using Clock = std::chrono::steady_clock;
    const double stall = stallSeconds();
    std::uint64_t seenSeq = page->seq.load(std::memory_order_acquire);
    Clock::time_point lastProgress = Clock::now();
    bool stalled = false;
    for (;;) {
        pollfd p{fds[0], POLLIN, 0};
        const int r = poll(&p, 1, 250);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            char c;
            const ssize_t n = ::read(fds[0], &c, 1);
            if (n >= 0 || (errno != EINTR && errno != EAGAIN))
                break; // end of stream: the child has ended
        }
        const std::uint64_t seq = page->seq.load(std::memory_order_acquire);
        if (seq != seenSeq) {
            seenSeq = seq;
            lastProgress = Clock::now();
        } else if (std::chrono::duration<double>(Clock::now() - lastProgress).count() > stall) {
            kill(pid, SIGKILL);
            stalled = true;
            break;
        }
    }
    close(fds[0]);
    int st = 0;
    pid_t w;
    do
        w = waitpid(pid, &st, 0);
    while (w < 0 && errno == EINTR);

    char head[kHeaderBytes] = {};
    std::uint64_t len = 0;
    struct stat info {};
    bool complete = !stalled && fstat(out, &info) == 0 && info.st_size >= kHeaderBytes &&
                    readAt(out, head, kHeaderBytes, 0);
    if (complete) {
        std::memcpy(&len, head + 1, 8);
        complete = static_cast<std::uint64_t>(info.st_size - kHeaderBytes) == len;
    }
    const bool exitedOk = w < 0 ? complete : WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (complete && exitedOk) {
        if (head[0] == 'R') {
            if (receive && len > 0 && !readAt(out, receive(len), len, kHeaderBytes))
                throw Error(subject + ": cannot read the result of the reading process");
            return len;
        }
        if (head[0] == 'M') {
            const std::string crumb(page->text);
            throw Error(subject + ": reading the file needs more memory than is available (damaged file?)" +
                        (crumb.empty() ? std::string() : "; last step: " + crumb));
        }
        std::string message(len, '\0');
        readAt(out, message.data(), len, kHeaderBytes);
        if (head[0] == 'E')
            throw Error(message);
        throw Error(subject + ": " + message);
    }

    const bool inCall = page->active.load(std::memory_order_acquire) != 0;
    const std::string crumb(page->text);
    if (stalled) {
        const std::string secs = std::to_string(static_cast<long>(stall));
        if (inCall)
            throw IsolatedCrash(subject + ": the file is damaged: " + crumb + " made " + library +
                                    " stop responding (no progress for " + secs + " s)",
                                true);
        throw IsolatedCrash(subject + ": reading the file stopped responding (no progress for " + secs +
                                " s) after " + (crumb.empty() ? "starting" : crumb),
                            false);
    }
    const std::string how = w >= 0 && WIFSIGNALED(st) ? describeSignal(WTERMSIG(st))
                            : w >= 0 && WIFEXITED(st) ? "exit code " + std::to_string(WEXITSTATUS(st))
                                                      : "ended without a result";
    if (inCall)
        throw IsolatedCrash(
            subject + ": the file is damaged: " + crumb + " crashed " + library + " (" + how + ")", true);
    // Outside any library call: often heap damage done inside the library and noticed later by
    // malloc; possibly a bug of ours (fuzz targets look at inLibraryCall()).
    throw IsolatedCrash(subject + ": the file is damaged or unreadable: reading it crashed (" + how +
                            ") after " + (crumb.empty() ? "starting" : crumb),
                        false);
}

} // namespace rmm
