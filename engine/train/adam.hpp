// SPDX-License-Identifier: GPL-3.0-or-later
// Adam (docs/method.md section 3: beta1 0.9, beta2 0.999, eps 1e-8): the one update rule of every
// optimiser in the engine. The dense optimiser of the parameters (epoch_loop.cpp) applies it to
// all of them at each step; the lazy optimiser of MS shot initial conditions (ShotAdam in
// multiple_shooting.cpp) applies it to the shots of a mini-batch only, each with its own count.
#pragma once
#include <cmath>

namespace rmm {

inline constexpr double kAdamBeta1 = 0.9;
inline constexpr double kAdamBeta2 = 0.999;
inline constexpr double kAdamEpsilon = 1e-8;

/// One Adam step of `n` values x (first and second moments m1, m2, gradient g) as the `step`-th
/// update of these moments (1-based: the bias correction 1 - beta^step), learning rate lr. In the
/// arithmetic of S (float for float32 shot states, double for the parameters).
template <typename S> inline void adamUpdate(S* x, S* m1, S* m2, const S* g, long n, long step, double lr)
{
    const S c1 = static_cast<S>(1 - std::pow(kAdamBeta1, static_cast<double>(step)));
    const S c2 = static_cast<S>(1 - std::pow(kAdamBeta2, static_cast<double>(step)));
    const S b1 = static_cast<S>(kAdamBeta1), b2 = static_cast<S>(kAdamBeta2);
    const S a1 = static_cast<S>(1 - kAdamBeta1), a2 = static_cast<S>(1 - kAdamBeta2);
    const S rate = static_cast<S>(lr), eps = static_cast<S>(kAdamEpsilon);
    for (long k = 0; k < n; ++k) {
        m1[k] = b1 * m1[k] + a1 * g[k];
        m2[k] = b2 * m2[k] + a2 * g[k] * g[k];
        x[k] -= rate * (m1[k] / c1) / (std::sqrt(m2[k] / c2) + eps);
    }
}

} // namespace rmm
