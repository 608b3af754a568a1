// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/filter_bank.hpp"

#include "engine/core/error.hpp"

#include <Eigen/LU>

#include <cmath>
#include <sstream>

namespace rmm {
namespace {

Eigen::VectorXd polesOf(const std::vector<double>& taus, double dt, const std::string& what)
{
    if (!(dt > 0) || !std::isfinite(dt))
        throw Error(what + ": sampling period dt must be > 0 ms (got " + std::to_string(dt) + ")");
    if (taus.empty())
        throw Error(what + ": no time constants given");
    Eigen::VectorXd p(static_cast<Eigen::Index>(taus.size()));
    for (std::size_t k = 0; k < taus.size(); ++k) {
        const double tau = taus[k];
        if (!(tau > 0) || !std::isfinite(tau)) {
            std::ostringstream m;
            m << what << ": time constant #" << k + 1 << " is " << tau
              << " ms; every time constant must be > 0";
            throw Error(m.str());
        }
        p[static_cast<Eigen::Index>(k)] = std::exp(-dt / tau);
        if (!(std::abs(p[static_cast<Eigen::Index>(k)]) < 1)) {
            std::ostringstream m;
            m << what << ": time constant #" << k + 1 << " (" << tau << " ms) gives pole "
              << p[static_cast<Eigen::Index>(k)] << " at dt = " << dt
              << " ms, not inside the unit circle (contraction condition violated); use a shorter time "
                 "constant";
            throw Error(m.str());
        }
    }
    return p;
}

long warmupFor(double pmax)
{
    if (pmax <= 0)
        return 1;
    return static_cast<long>(std::ceil(std::log(0.01) / std::log(pmax)));
}

} // namespace

FilterBank::FilterBank(std::vector<double> tausMs, double dtMs, const std::string& what)
    : taus_(std::move(tausMs)), dt_(dtMs)
{
    p_ = polesOf(taus_, dt_, what);
    s_ = (1.0 - p_.array().square()).sqrt().matrix();
}

double FilterBank::maxPole() const
{
    return p_.size() ? p_.maxCoeff() : 0.0;
}

Eigen::MatrixXd FilterBank::denseA() const
{
    const int n = size();
    Eigen::MatrixXd A(n, n);
    Eigen::VectorXd x(n);
    for (int c = 0; c < n; ++c) {
        x.setZero();
        x[c] = 1;
        step(x.data(), 0.0);
        A.col(c) = x;
    }
    return A;
}

Eigen::VectorXd FilterBank::denseB() const
{
    Eigen::VectorXd x = Eigen::VectorXd::Zero(size());
    step(x.data(), 1.0);
    return x;
}

Eigen::RowVectorXd FilterBank::denseGamma() const
{
    // e_n = Gamma x + Delta in: evaluate the all-pass output with unit state vectors.
    const int n = size();
    Eigen::RowVectorXd g(n);
    for (int c = 0; c < n; ++c) {
        double e = 0;
        for (int k = 0; k < n; ++k)
            e = s_[k] * (k == c ? 1.0 : 0.0) - p_[k] * e;
        g[c] = e;
    }
    return g;
}

double FilterBank::denseDelta() const
{
    double e = 1;
    for (int k = 0; k < size(); ++k)
        e = -p_[k] * e;
    return e;
}

Eigen::VectorXd FilterBank::dcGain() const
{
    const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(size(), size());
    return (I - denseA()).partialPivLu().solve(denseB());
}

long FilterBank::warmupSamples() const
{
    return warmupFor(maxPole());
}

Eigen::VectorXd FilterBank::warmUp(const double* input, long n) const
{
    Eigen::VectorXd x = Eigen::VectorXd::Zero(size());
    if (n <= 0)
        return x;
    x = dcGain() * input[0];
    for (int pass = 0; pass < 2; ++pass)
        for (long t = 0; t < n; ++t)
            step(x.data(), input[t]);
    return x;
}

LowpassBank::LowpassBank(const std::vector<double>& tausMs, double dtMs, const std::string& what)
{
    lambda_ = polesOf(tausMs, dtMs, what);
}

long LowpassBank::warmupSamples() const
{
    return warmupFor(lambda_.size() ? lambda_.maxCoeff() : 0.0);
}

Eigen::VectorXd LowpassBank::warmUp(const double* input, long n) const
{
    Eigen::VectorXd z = Eigen::VectorXd::Zero(size());
    if (n <= 0)
        return z;
    z.setConstant(input[0]);
    for (int pass = 0; pass < 2; ++pass)
        for (long t = 0; t < n; ++t)
            step(z.data(), input[t]);
    return z;
}

} // namespace rmm
