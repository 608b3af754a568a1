// SPDX-License-Identifier: GPL-3.0-or-later
// Zero-phase filtering like scipy.signal.filtfilt / sosfiltfilt with their default odd padding.
// The (b, a) form keeps its state in long double: roundoff in the recursion reaches the output
// through 1/A(z), whose DC gain 1/sum(a) is ~1e12 for a 2-100 Hz band at 10 kHz. Second-order
// sections are well conditioned and run in double.
#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

namespace rmm {
namespace {

using Real = long double;

/// lfilter (transposed direct form II) over y[0], y[step], ... n samples, in place, starting
/// from state zi * x0. b and a have the same length and a[0] = 1.
template <typename T>
void lfilterInPlace(const std::vector<T>& b, const std::vector<T>& a, const std::vector<Real>& zi, Real x0,
                    double* y, std::size_t n, std::ptrdiff_t step)
{
    const std::size_t order = zi.size();
    std::vector<T> z(order + 1, T(0)); // z[order] stays 0
    for (std::size_t i = 0; i < order; ++i)
        z[i] = static_cast<T>(zi[i] * x0);
    for (std::size_t t = 0; t < n; ++t) {
        double* p = y + static_cast<std::ptrdiff_t>(t) * step;
        const T x = *p;
        const T out = b[0] * x + z[0];
        for (std::size_t i = 0; i < order; ++i)
            z[i] = b[i + 1] * x - a[i + 1] * out + z[i + 1];
        *p = static_cast<double>(out);
    }
}

/// b and a padded with zeros to a common length and divided by a[0].
void normalised(const std::vector<double>& fb, const std::vector<double>& fa, std::vector<Real>& b,
                std::vector<Real>& a)
{
    if (fa.empty() || fb.empty())
        throw Error("IIR filter: the coefficient vectors b and a must not be empty");
    if (fa[0] == 0 || !std::isfinite(fa[0]))
        throw Error("IIR filter: the leading denominator coefficient a[0] must be non-zero");
    const std::size_t n = std::max(fa.size(), fb.size());
    b.assign(n, 0);
    a.assign(n, 0);
    for (std::size_t i = 0; i < fb.size(); ++i)
        b[i] = static_cast<Real>(fb[i]) / fa[0];
    for (std::size_t i = 0; i < fa.size(); ++i)
        a[i] = static_cast<Real>(fa[i]) / fa[0];
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(static_cast<double>(a[i])) || !std::isfinite(static_cast<double>(b[i])))
            throw Error("IIR filter: non-finite coefficient at index " + std::to_string(i));
}

/// Step-response steady state of the transposed direct form II: with a unit step in and
/// y_ss = sum(b) / sum(a) out, z_i = sum_{k > i} (b_k - a_k y_ss). This is the solution of
/// scipy's (I - companion(a)^T) zi = b[1:] - a[1:] b[0] in closed form; the sums of double
/// coefficients are exact in long double, so it stays accurate where that system is nearly
/// singular (poles near z = 1).
std::vector<Real> stepZi(const std::vector<Real>& b, const std::vector<Real>& a)
{
    const std::size_t n = a.size();
    Real sa = 0, sb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sa += a[i];
        sb += b[i];
    }
    if (sa == 0)
        throw Error("IIR filter has a pole at z = 1: no steady state for initial conditions");
    const Real yss = sb / sa;
    std::vector<Real> zi(n - 1);
    Real acc = 0;
    for (std::size_t i = n - 1; i >= 1; --i) {
        acc += b[i] - a[i] * yss;
        zi[i - 1] = acc;
    }
    return zi;
}

/// x with `edge` samples of odd extension at both ends (scipy's odd_ext), after checking it.
std::vector<double> oddExtended(const std::vector<double>& x, std::size_t edge)
{
    const std::size_t n = x.size();
    if (n <= edge)
        throw Error("zero-phase filter needs more than " + std::to_string(edge) +
                    " samples (its padding length), the signal has " + std::to_string(n));
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i]))
            throw Error("cannot filter a signal with a non-finite value (" + formatNumber(x[i]) +
                        ") at sample " + std::to_string(i));
    std::vector<double> y(n + 2 * edge);
    for (std::size_t i = 0; i < edge; ++i) {
        y[i] = 2 * x[0] - x[edge - i];
        y[edge + n + i] = 2 * x[n - 1] - x[n - 2 - i];
    }
    std::copy(x.begin(), x.end(), y.begin() + static_cast<std::ptrdiff_t>(edge));
    return y;
}

/// Drops the padding in place (no second buffer).
std::vector<double> unpadded(std::vector<double> y, std::size_t edge)
{
    y.resize(y.size() - edge);
    y.erase(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(edge));
    return y;
}

} // namespace

std::vector<double> lfilterZi(const IirCoefficients& f)
{
    std::vector<Real> b, a;
    normalised(f.b, f.a, b, a);
    std::vector<Real> zi = stepZi(b, a);
    return std::vector<double>(zi.begin(), zi.end());
}

std::vector<double> filtfilt(const IirCoefficients& f, const std::vector<double>& x)
{
    std::vector<Real> b, a;
    normalised(f.b, f.a, b, a);
    const std::size_t edge = 3 * a.size();
    std::vector<double> y = oddExtended(x, edge);
    const std::vector<Real> zi = stepZi(b, a);
    lfilterInPlace(b, a, zi, y.front(), y.data(), y.size(), 1);
    lfilterInPlace(b, a, zi, y.back(), y.data() + y.size() - 1, y.size(), -1);
    return unpadded(std::move(y), edge);
}

std::vector<double> filtfilt(const SosFilter& f, const std::vector<double>& x)
{
    if (f.sections.empty())
        throw Error("second-order-section filter has no sections");
    struct Section {
        std::vector<double> b, a;
        std::vector<Real> zi;
    };
    std::vector<Section> sections;
    std::size_t b2zero = 0, a2zero = 0;
    Real scale = 1; // step amplitude reaching this section
    for (std::size_t s = 0; s < f.sections.size(); ++s) {
        const auto& c = f.sections[s];
        std::vector<Real> b, a;
        try {
            normalised({c[0], c[1], c[2]}, {c[3], c[4], c[5]}, b, a);
        } catch (const Error& e) {
            throw Error("section " + std::to_string(s) + ": " + e.what());
        }
        b2zero += c[2] == 0;
        a2zero += c[5] == 0;
        Section sec{{}, {}, stepZi(b, a)};
        for (Real& z : sec.zi)
            z *= scale;
        scale *= (b[0] + b[1] + b[2]) / (a[0] + a[1] + a[2]);
        sec.b.assign(b.begin(), b.end());
        sec.a.assign(a.begin(), a.end());
        sections.push_back(std::move(sec));
    }
    // scipy.signal.sosfiltfilt: 3 * (2 sections + 1 - trailing zero coefficients shared by b and a).
    const std::size_t edge = 3 * (2 * sections.size() + 1 - std::min(b2zero, a2zero));
    std::vector<double> y = oddExtended(x, edge);
    // Each section is a causal linear filter of the whole sequence, so the cascade can run one
    // section at a time; every section starts from its steady state for the first input sample.
    const Real first = y.front();
    for (const Section& s : sections)
        lfilterInPlace(s.b, s.a, s.zi, first, y.data(), y.size(), 1);
    const Real last = y.back();
    for (const Section& s : sections)
        lfilterInPlace(s.b, s.a, s.zi, last, y.data() + y.size() - 1, y.size(), -1);
    return unpadded(std::move(y), edge);
}

} // namespace rmm
