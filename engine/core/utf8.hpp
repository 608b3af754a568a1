// SPDX-License-Identifier: GPL-3.0-or-later
// Text from files and the file system (channel names, units, paths) may hold bytes that are not
// UTF-8; JSON must be UTF-8. These make any such text valid without losing what the bytes were.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace rmm {

/// `text` with every byte that is not part of a valid UTF-8 sequence written as the four
/// characters \xHH (lower-case hex), e.g. "m\xffV" stays readable as `m\xffV`. Valid text is
/// returned unchanged.
std::string validUtf8(std::string_view text);

/// Applies validUtf8 to every string and object key inside `j`, so that `j.dump()` cannot throw.
void makeValidUtf8(nlohmann::json& j);

} // namespace rmm
