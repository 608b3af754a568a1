// SPDX-License-Identifier: GPL-3.0-or-later
// Ctrl-C for long commands: the first SIGINT asks the running work to stop at its next safe
// point (through the engine's Progress / TrainingObserver); a second one ends the process.
#pragma once

namespace rmm::cli {

/// Installs the SIGINT handler (idempotent).
void installInterruptHandler();
/// True once SIGINT arrived after installInterruptHandler().
bool interrupted();

} // namespace rmm::cli
