// SPDX-License-Identifier: GPL-3.0-or-later
// Crash tests of file writers: killPoint("name") ends the process with SIGKILL when the
// environment variable RMM_TEST_KILL_AT equals "name", so a test can stop a writer at every step
// and check what a real crash (power cut, kill -9, OOM killer) would leave behind.
#pragma once

namespace rmm {

/// Raises SIGKILL on this process when RMM_TEST_KILL_AT is `step`; otherwise does nothing.
void killPoint(const char* step);

} // namespace rmm
