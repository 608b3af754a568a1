// SPDX-License-Identifier: GPL-3.0-or-later
// Butterworth design (like scipy.signal.butter with fs) and zero-phase filtering (like
// scipy.signal.filtfilt with its default odd padding). Design runs in complex long double;
// filtering keeps its state in long double and stores the intermediate pass in double.
#include "engine/core/error.hpp"
#include "engine/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <sstream>
#include <string>

namespace rmm {
namespace {

using Real = long double;
using Complex = std::complex<Real>;

constexpr int kMaxOrder = 10;

std::string fmt(double v)
{
    std::ostringstream os;
    os << v;
    return os.str();
}

void checkOrderAndRate(int order, double fsHz)
{
    if (order < 1 || order > kMaxOrder)
        throw Error("Butterworth filter order must be between 1 and " + std::to_string(kMaxOrder) +
                    ", got " + std::to_string(order));
    if (!std::isfinite(fsHz) || fsHz <= 0)
        throw Error("Butterworth filter: the sampling rate must be positive, got " + fmt(fsHz) + " Hz");
}

/// Poles of the analog Butterworth prototype (cutoff 1 rad/s), as scipy.signal.buttap.
std::vector<Complex> prototypePoles(int order)
{
    std::vector<Complex> p;
    const Real pi = std::numbers::pi_v<Real>;
    for (int m = -order + 1; m < order; m += 2)
        p.push_back(-std::exp(Complex(0, pi * m / (2 * order))));
    return p;
}

/// Pre-warped analog frequency for the bilinear transform with fs = 2 (normalised frequency
/// w = f / (fs / 2)): 4 tan(pi w / 2).
Real prewarp(double fHz, double fsHz)
{
    const Real w = 2.0L * fHz / fsHz;
    return 4.0L * std::tan(std::numbers::pi_v<Real> * w / 2.0L);
}

/// Coefficients of prod(x - r_i), highest power first; real parts (roots come in conjugate pairs).
std::vector<double> polyFromRoots(const std::vector<Complex>& roots, Real gain)
{
    std::vector<Complex> c{Complex(1)};
    for (const Complex& r : roots) {
        c.push_back(Complex(0));
        for (std::size_t i = c.size() - 1; i > 0; --i)
            c[i] -= r * c[i - 1];
    }
    std::vector<double> out(c.size());
    for (std::size_t i = 0; i < c.size(); ++i)
        out[i] = static_cast<double>(gain * c[i].real());
    return out;
}

/// Bilinear transform (fs = 2, so 2 fs = 4) of an analog zpk system; zeros at infinity map to -1.
IirCoefficients bilinear(std::vector<Complex> z, std::vector<Complex> p, Real k)
{
    const Real fs2 = 4;
    const std::size_t degree = p.size() - z.size();
    Complex num(1), den(1);
    for (Complex& zi : z) {
        num *= fs2 - zi;
        zi = (fs2 + zi) / (fs2 - zi);
    }
    for (Complex& pi : p) {
        den *= fs2 - pi;
        pi = (fs2 + pi) / (fs2 - pi);
    }
    z.insert(z.end(), degree, Complex(-1));
    const Real kz = k * (num / den).real();
    return IirCoefficients{polyFromRoots(z, kz), polyFromRoots(p, 1)};
}

/// |H(e^{j omega})| of the realised (double-coefficient) filter, evaluated in long double.
Real realisedGain(const IirCoefficients& f, Real omega)
{
    const Complex z1 = std::exp(Complex(0, -omega));
    Complex num(0), den(0), zk(1);
    for (std::size_t k = 0; k < std::max(f.b.size(), f.a.size()); ++k, zk *= z1) {
        if (k < f.b.size())
            num += static_cast<Real>(f.b[k]) * zk;
        if (k < f.a.size())
            den += static_cast<Real>(f.a[k]) * zk;
    }
    return std::abs(num / den);
}

/// Rounding the (b, a) polynomials to double moves poles that crowd near z = 1 (high order,
/// corners far below fs). Refuse a filter whose realised gain misses the design: unit gain at
/// `centre`, half power at the corners (within 1e-3 and 1 % respectively).
void checkRealised(const IirCoefficients& f, Real centre, const std::vector<Real>& corners, int order,
                   const std::string& what)
{
    bool ok = std::abs(realisedGain(f, centre) - 1) <= 1e-3L;
    for (Real w : corners)
        ok = ok && std::abs(realisedGain(f, w) / std::sqrt(0.5L) - 1) <= 1e-2L;
    if (!ok)
        throw Error("Butterworth " + what + " of order " + std::to_string(order) +
                    " is numerically unusable at this sampling rate in (b, a) form (its realised gain "
                    "misses the design); lower the order or raise the corner frequency");
}

/// lfilter (transposed direct form II) over y[first], y[first + step], ... n samples, in place,
/// starting from state zi * y[first]. b and a have the same length and a[0] = 1.
void lfilterInPlace(const std::vector<Real>& b, const std::vector<Real>& a, const std::vector<Real>& zi,
                    double* y, std::size_t n, std::ptrdiff_t step)
{
    const std::size_t order = zi.size();
    std::vector<Real> z(order);
    const Real x0 = y[0];
    for (std::size_t i = 0; i < order; ++i)
        z[i] = zi[i] * x0;
    for (std::size_t t = 0; t < n; ++t) {
        double* p = y + static_cast<std::ptrdiff_t>(t) * step;
        const Real x = *p;
        const Real out = b[0] * x + (order ? z[0] : 0.0L);
        for (std::size_t i = 0; i + 1 < order; ++i)
            z[i] = b[i + 1] * x - a[i + 1] * out + z[i + 1];
        if (order)
            z[order - 1] = b[order] * x - a[order] * out;
        *p = static_cast<double>(out);
    }
}

/// b and a padded with zeros to a common length and divided by a[0].
void normalised(const IirCoefficients& f, std::vector<Real>& b, std::vector<Real>& a)
{
    if (f.a.empty() || f.b.empty())
        throw Error("IIR filter: the coefficient vectors b and a must not be empty");
    if (f.a[0] == 0 || !std::isfinite(f.a[0]))
        throw Error("IIR filter: the leading denominator coefficient a[0] must be non-zero");
    const std::size_t n = std::max(f.a.size(), f.b.size());
    b.assign(n, 0);
    a.assign(n, 0);
    for (std::size_t i = 0; i < f.b.size(); ++i)
        b[i] = static_cast<Real>(f.b[i]) / f.a[0];
    for (std::size_t i = 0; i < f.a.size(); ++i)
        a[i] = static_cast<Real>(f.a[i]) / f.a[0];
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(static_cast<double>(a[i])) || !std::isfinite(static_cast<double>(b[i])))
            throw Error("IIR filter: non-finite coefficient at index " + std::to_string(i));
}

/// Step-response steady state of the transposed direct form II: with a unit step in and
/// y_ss = sum(b) / sum(a) out, z_i = sum_{k > i} (b_k - a_k y_ss). This is the solution of
/// scipy's (I - companion(a)^T) zi = b[1:] - a[1:] b[0], in closed form.
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

} // namespace

IirCoefficients butterBandpass(int order, double lowHz, double highHz, double fsHz)
{
    checkOrderAndRate(order, fsHz);
    if (!std::isfinite(lowHz) || !std::isfinite(highHz) || !(lowHz > 0) || !(lowHz < highHz) ||
        !(highHz < fsHz / 2))
        throw Error("Butterworth band-pass needs 0 < low < high < fs/2 = " + fmt(fsHz / 2) +
                    " Hz; got low " + fmt(lowHz) + " Hz, high " + fmt(highHz) + " Hz");
    const Real w1 = prewarp(lowHz, fsHz), w2 = prewarp(highHz, fsHz);
    const Real bw = w2 - w1, wo = std::sqrt(w1 * w2);
    std::vector<Complex> plus, minus;
    for (const Complex& p : prototypePoles(order)) {
        const Complex pl = p * bw / 2.0L;
        const Complex root = std::sqrt(pl * pl - wo * wo);
        plus.push_back(pl + root);
        minus.push_back(pl - root);
    }
    plus.insert(plus.end(), minus.begin(), minus.end());
    std::vector<Complex> zeros(static_cast<std::size_t>(order), Complex(0));
    IirCoefficients f = bilinear(std::move(zeros), std::move(plus), std::pow(bw, static_cast<Real>(order)));
    const Real pi = std::numbers::pi_v<Real>;
    checkRealised(f, 2 * std::atan(wo / 4), {2 * pi * lowHz / fsHz, 2 * pi * highHz / fsHz}, order,
                  "band-pass " + fmt(lowHz) + "-" + fmt(highHz) + " Hz at fs " + fmt(fsHz) + " Hz");
    return f;
}

IirCoefficients butterLowpass(int order, double cutoffHz, double fsHz)
{
    checkOrderAndRate(order, fsHz);
    if (!std::isfinite(cutoffHz) || !(cutoffHz > 0) || !(cutoffHz < fsHz / 2))
        throw Error("Butterworth low-pass needs 0 < cutoff < fs/2 = " + fmt(fsHz / 2) + " Hz; got " +
                    fmt(cutoffHz) + " Hz");
    const Real wo = prewarp(cutoffHz, fsHz);
    std::vector<Complex> p = prototypePoles(order);
    for (Complex& pi : p)
        pi *= wo;
    IirCoefficients f = bilinear({}, std::move(p), std::pow(wo, static_cast<Real>(order)));
    checkRealised(f, 0, {2 * std::numbers::pi_v<Real> * cutoffHz / fsHz}, order,
                  "low-pass " + fmt(cutoffHz) + " Hz at fs " + fmt(fsHz) + " Hz");
    return f;
}

std::vector<double> lfilterZi(const IirCoefficients& f)
{
    std::vector<Real> b, a;
    normalised(f, b, a);
    std::vector<Real> zi = stepZi(b, a);
    return std::vector<double>(zi.begin(), zi.end());
}

std::vector<double> filtfilt(const IirCoefficients& f, const std::vector<double>& x)
{
    std::vector<Real> b, a;
    normalised(f, b, a);
    const std::size_t edge = 3 * a.size();
    const std::size_t n = x.size();
    if (n <= edge)
        throw Error("zero-phase filter needs more than " + std::to_string(edge) +
                    " samples (its padding length), the signal has " + std::to_string(n));
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i]))
            throw Error("cannot filter a signal with a non-finite value (" + fmt(x[i]) + ") at sample " +
                        std::to_string(i));
    const std::vector<Real> zi = stepZi(b, a);

    // Odd extension: 2 x[0] - x[edge..1] before, 2 x[n-1] - x[n-2..n-1-edge] after.
    std::vector<double> y(n + 2 * edge);
    for (std::size_t i = 0; i < edge; ++i) {
        y[i] = 2 * x[0] - x[edge - i];
        y[edge + n + i] = 2 * x[n - 1] - x[n - 2 - i];
    }
    std::copy(x.begin(), x.end(), y.begin() + static_cast<std::ptrdiff_t>(edge));

    lfilterInPlace(b, a, zi, y.data(), y.size(), 1);
    lfilterInPlace(b, a, zi, y.data() + y.size() - 1, y.size(), -1);
    return std::vector<double>(y.begin() + static_cast<std::ptrdiff_t>(edge),
                               y.begin() + static_cast<std::ptrdiff_t>(edge + n));
}

} // namespace rmm
