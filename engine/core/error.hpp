// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <stdexcept>
#include <string>

namespace rmm {

/// The one error type of the engine. Its message is meant for a user: it names the file,
/// the channel or path inside it, the sample index, and what was expected.
class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Cancellation requested through a Progress callback; not a failure.
class Cancelled : public Error {
  public:
    Cancelled() : Error("cancelled") {}
};

} // namespace rmm
