// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/recording/fingerprint.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace rmm {

namespace {

class Fnv1a {
  public:
    void bytes(const void* data, std::size_t n)
    {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) {
            m_h ^= p[i];
            m_h *= 0x100000001b3ULL;
        }
    }
    void text(const std::string& s)
    {
        const std::uint64_t n = s.size();
        bytes(&n, sizeof n); // length first: "ab"+"c" differs from "a"+"bc"
        bytes(s.data(), s.size());
    }
    void integer(std::uint64_t v) { bytes(&v, sizeof v); }
    void sample(double v)
    {
        const float f = static_cast<float>(v);
        std::uint32_t bits = 0;
        std::memcpy(&bits, &f, sizeof bits);
        bytes(&bits, sizeof bits);
    }
    std::uint64_t value() const { return m_h; }

  private:
    std::uint64_t m_h = 0xcbf29ce484222325ULL;
};

constexpr std::size_t kSamplesPerChannel = 65536;

} // namespace

std::string recordingFingerprint(const Recording& recording)
{
    Fnv1a h;
    char dt[32];
    std::snprintf(dt, sizeof dt, "%.9g", recording.dt_ms);
    h.text(dt);
    h.integer(recording.trials.size());
    for (const Trial& trial : recording.trials) {
        h.text(trial.name);
        h.integer(trial.channels.size());
        for (const Channel& c : trial.channels) {
            h.text(c.name);
            h.text(c.unit);
            const std::size_t n = c.samples.size();
            h.integer(n);
            if (n == 0)
                continue;
            const std::size_t picks = n < kSamplesPerChannel ? n : kSamplesPerChannel;
            for (std::size_t k = 0; k < picks; ++k) // evenly spaced, first and last included
                h.sample(c.samples[picks == 1 ? 0 : k * (n - 1) / (picks - 1)]);
        }
    }
    char out[32];
    std::snprintf(out, sizeof out, "rec1:%016llx", static_cast<unsigned long long>(h.value()));
    return out;
}

} // namespace rmm
