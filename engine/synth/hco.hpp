// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in demo recording: two conductance-based STG model neurons coupled into a
// half-center oscillator (HCO) only through the paper's dynamic-clamp currents (Eq. 25-26,
// Table 1), driven by Ornstein-Uhlenbeck currents (Eq. 24), recorded with measurement noise.
#pragma once
#include "engine/core/progress.hpp"
#include "engine/recording/recording.hpp"

#include <cstdint>
#include <vector>

namespace rmm {

struct OuParams {
    double a = 0.04;  ///< 1/ms, process rate
    double b = 0.1;   ///< nA/sqrt(ms), noise scale
};

struct HcoConfig {
    double seconds = 120;          ///< per trial
    int trials = 2;                ///< trial k uses ou[k % ou.size()]
    std::uint64_t seed = 1;
    double dt_ms = 0.1;            ///< recording (and dynamic-clamp) sampling interval
    int substeps = 4;              ///< internal integration steps per sample
    double noise_mV = 0.5;         ///< s.d. of Gaussian measurement noise on recorded voltage
    std::vector<OuParams> ou = {{0.04, 0.1}, {0.02, 0.025}};
};

/// Generates the demo recording: trials "trial1".."trialK", channels v1, v2 (mV, recorded),
/// u1, u2 (nA, injected OU), Isyn1, Isyn2, Ih1, Ih2 (nA, dynamic-clamp currents as injected,
/// positive = depolarising), v1_true, v2_true (mV, noise-free). Deterministic per seed.
/// Throws rmm::Error on nonsense settings; rmm::Cancelled if progress asks to stop.
Recording synthesizeHco(const HcoConfig& config, Progress* progress = nullptr);

} // namespace rmm
