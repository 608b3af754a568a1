// SPDX-License-Identifier: GPL-3.0-or-later
// Orthonormal filter bank (docs/method.md section 2, Eq. 18): one cascade of first-order all-pass
// sections with poles p_k = exp(-dt / tau_k). State k obeys
//     x_k[t+1] = p_k x_k[t] + sqrt(1 - p_k^2) e_{k-1}[t],   e_0 = input,
//     e_k[t]   = -p_k e_{k-1}[t] + sqrt(1 - p_k^2) x_k[t],
// i.e. x[t+1] = A x[t] + B in[t] with the lower-triangular A, B of Eq. 18, at O(n) per step.
// Also the unit-DC-gain first-order low-pass bank of the conductance synapse (Eq. 19).
#pragma once
#include "engine/model/circuit_step.hpp"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace rmm {

class FilterBank {
  public:
    FilterBank() = default;
    /// Throws rmm::Error when dt <= 0, a tau is <= 0 or not finite, or a pole is not inside
    /// the unit circle (the contraction condition, Eq. 21). `what` names the bank in messages.
    FilterBank(std::vector<double> tausMs, double dtMs, const std::string& what = "filter bank");

    int size() const { return static_cast<int>(taus_.size()); }
    const std::vector<double>& tausMs() const { return taus_; }
    double dtMs() const { return dt_; }
    const Eigen::VectorXd& poles() const { return p_; } ///< p_k = exp(-dt/tau_k)
    const Eigen::VectorXd& gains() const { return s_; } ///< sqrt(1 - p_k^2)
    double maxPole() const;

    /// One step of the cascade, in place: x <- A x + B in. O(n).
    template <typename S> void step(S* x, S in) const
    {
        S e = in, t{};
        for (int k = 0; k < size(); ++k)
            step::allpassSection(x[k], e, t, static_cast<S>(p_[k]), static_cast<S>(s_[k]));
    }

    /// Dense realisation of Eq. 18 (from the cascade): A (n x n), B (n), and the all-pass output
    /// row Gamma (1 x n), Delta (scalar) of the last section: e_n = Gamma x + Delta in.
    Eigen::MatrixXd denseA() const;
    Eigen::VectorXd denseB() const;
    Eigen::RowVectorXd denseGamma() const;
    double denseDelta() const;
    /// DC gain of each state, (I - A)^{-1} B (equilibrium state for a constant unit input).
    Eigen::VectorXd dcGain() const;

    /// Warm-up length M = ceil(log(0.01) / log(p_max)) (docs/method.md: 69,078 samples for 1500 ms at 0.1
    /// ms).
    long warmupSamples() const;
    /// Two-pass warm-up over input[0, n): pass 1 from the DC state of input[0], pass 2 from the
    /// end state of pass 1. Returns the state after pass 2 (the state at sample n). n = 0 gives
    /// an all-zero state.
    Eigen::VectorXd warmUp(const double* input, long n) const;

  private:
    std::vector<double> taus_;
    double dt_ = 0;
    Eigen::VectorXd p_, s_;
};

/// First-order unit-DC-gain low-passes z_k[t+1] = lambda_k z_k[t] + (1 - lambda_k) in[t],
/// lambda_k = exp(-dt / tau_k) (conductance synapse, Eq. 19).
class LowpassBank {
  public:
    LowpassBank() = default;
    LowpassBank(const std::vector<double>& tausMs, double dtMs, const std::string& what = "low-pass bank");
    int size() const { return static_cast<int>(lambda_.size()); }
    const Eigen::VectorXd& poles() const { return lambda_; }
    long warmupSamples() const;
    template <typename S> void step(S* z, S in) const
    {
        for (int k = 0; k < size(); ++k)
            z[k] = step::lowpass(static_cast<S>(lambda_[k]), z[k], in);
    }
    /// Same two-pass warm-up as FilterBank::warmUp (DC state of input[0] = input[0] everywhere).
    Eigen::VectorXd warmUp(const double* input, long n) const;

  private:
    Eigen::VectorXd lambda_;
};

} // namespace rmm
