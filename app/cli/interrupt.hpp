// SPDX-License-Identifier: GPL-3.0-or-later
// Stopping long commands: the first SIGINT (Ctrl-C), SIGTERM (kill, job schedulers, system
// shutdown) or SIGHUP (terminal closed) asks the running work to stop at its next safe point
// (through the engine's Progress / TrainingObserver); a second signal of the same kind ends the
// process at once.
#pragma once

namespace rmm::cli {

/// Installs the handlers for SIGINT, SIGTERM and SIGHUP (idempotent).
void installInterruptHandler();
/// True once one of those signals arrived after installInterruptHandler().
bool interrupted();
/// Name of the first signal that arrived ("SIGINT", "SIGTERM", "SIGHUP"), or "" when none did.
const char* interruptSignalName();
/// "SIGINT", "SIGTERM" or "SIGHUP" for those signal numbers, "" for any other.
const char* signalName(int sig);
/// Exit code for work stopped by a signal: 128 + the signal's number, as a shell reports a
/// process ended by it (130 SIGINT, 143 SIGTERM, 129 SIGHUP); 130 when no signal arrived.
int interruptExitCode();

} // namespace rmm::cli
