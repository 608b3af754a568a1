// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>

namespace rmm {

/// Long work reports through this interface. report() returns false to ask for cancellation;
/// the worker then stops at the next safe point and throws rmm::Cancelled (or returns early,
/// as documented per function). Implementations must be cheap and thread-safe to call from
/// the engine's thread; the engine never calls them from inside an OpenMP region.
class Progress {
  public:
    virtual ~Progress() = default;
    virtual bool report(double fraction, const std::string& message) = 0;
};

/// A Progress that never cancels and ignores reports.
class NoProgress final : public Progress {
  public:
    bool report(double, const std::string&) override { return true; }
};

} // namespace rmm
