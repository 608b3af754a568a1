// SPDX-License-Identifier: GPL-3.0-or-later
#include "interrupt.hpp"

#include <csignal>
#include <initializer_list>
#include <signal.h>

namespace rmm::cli {

namespace {

volatile std::sig_atomic_t g_signal = 0; ///< the first signal that arrived

extern "C" void onInterrupt(int sig)
{
    if (g_signal == 0)
        g_signal = sig;
    // A second signal of this kind gets the default behaviour (terminate at once).
    std::signal(sig, SIG_DFL);
}

} // namespace

void installInterruptHandler()
{
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        // A signal ignored on start (nohup, background jobs of a script) stays ignored.
        struct sigaction current = {};
        if (sigaction(sig, nullptr, &current) == 0 && current.sa_handler == SIG_IGN)
            continue;
        std::signal(sig, onInterrupt);
    }
}

bool interrupted()
{
    return g_signal != 0;
}

const char* interruptSignalName()
{
    return signalName(g_signal);
}

const char* signalName(int sig)
{
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "";
    }
}

int interruptExitCode()
{
    return 128 + (g_signal != 0 ? static_cast<int>(g_signal) : SIGINT);
}

} // namespace rmm::cli
