// SPDX-License-Identifier: GPL-3.0-or-later
#include "interrupt.hpp"

#include <csignal>

namespace rmm::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void onInterrupt(int)
{
    g_interrupted = 1;
    // A second Ctrl-C gets the default behaviour (terminate at once).
    std::signal(SIGINT, SIG_DFL);
}

} // namespace

void installInterruptHandler()
{
    std::signal(SIGINT, onInterrupt);
}

bool interrupted()
{
    return g_interrupted != 0;
}

} // namespace rmm::cli
