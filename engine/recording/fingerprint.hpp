// SPDX-License-Identifier: GPL-3.0-or-later
// A content fingerprint of a recording: which data a run was trained on, independent of the
// file's name, folder and format details. Two loads of the same samples (the demo generated
// and the demo written to a file and read back, a file copied or moved) give the same text; a
// re-recorded or edited file gives another.
#pragma once
#include "engine/recording/recording.hpp"

#include <string>

namespace rmm {

/// "rec1:" + 16 hex digits of a 64-bit FNV-1a hash over the sampling interval, the trials'
/// names and lengths, the channels' names and units, and up to 65 536 evenly spaced samples of
/// every channel (first and last included), each rounded to float32 so a file that stores
/// float32 matches the doubles it was written from.
std::string recordingFingerprint(const Recording& recording);

} // namespace rmm
