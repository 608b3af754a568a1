// SPDX-License-Identifier: GPL-3.0-or-later
// OpenMP threads that wait by spinning (libgomp's default) steal the CPU from a thread of their
// own team whenever anything else runs on the machine: measured at paper scale on 2 cores with one
// core busy elsewhere, an epoch took 0.81 s (TF) and 1.10 s (MS) with spinning against 0.47 s and
// 0.57 s with passive waiting; on an idle machine the two are within 5 %. libgomp reads
// OMP_WAIT_POLICY once, when it is loaded, so a program that wants another default must set the
// variable and start itself again before doing anything else.
#pragma once

namespace rmm {

/// Call first thing in main(). When OMP_WAIT_POLICY is not set (and RMM_KEEP_OMP_WAIT is not
/// set either), sets OMP_WAIT_POLICY=passive and re-executes this program with the same
/// arguments (Linux: through /proc/self/exe). Returns normally when nothing is to be done or the
/// re-execution is impossible; a user's own OMP_WAIT_POLICY always wins.
void preferPassiveOpenMpWait(char** argv);

/// The policy in effect ("passive", "active", or "default" when unset), for reports.
const char* openMpWaitPolicy();

} // namespace rmm
