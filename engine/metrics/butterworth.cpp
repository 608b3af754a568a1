// SPDX-License-Identifier: GPL-3.0-or-later
// Butterworth design like scipy.signal.butter(..., fs=fs): analog prototype, pre-warping,
// low-pass / band-pass transform, bilinear transform; then (b, a) polynomials (output='ba')
// or second-order sections (output='sos'). All design arithmetic is complex long double.
#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
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

/// A digital filter as zeros, poles and gain (after the bilinear transform).
struct Zpk {
    std::vector<Complex> z, p;
    Real k = 1;
    Real centre = 0;           ///< digital frequency (rad/sample) of unit gain
    std::vector<Real> corners; ///< digital frequencies of half power
    std::string what;          ///< "band-pass 20-500 Hz at fs 10000 Hz", for messages
    int order = 0;
};

void checkOrderAndRate(int order, double fsHz)
{
    if (order < 1 || order > kMaxOrder)
        throw Error("Butterworth filter order must be between 1 and " + std::to_string(kMaxOrder) + ", got " +
                    std::to_string(order));
    if (!std::isfinite(fsHz) || fsHz <= 0)
        throw Error("Butterworth filter: the sampling rate must be positive, got " + formatNumber(fsHz) +
                    " Hz");
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

/// Pre-warped analog frequency for the bilinear transform with fs = 2: 4 tan(pi f / fs).
Real prewarp(double fHz, double fsHz)
{
    return 4.0L * std::tan(std::numbers::pi_v<Real> * static_cast<Real>(fHz) / static_cast<Real>(fsHz));
}

/// Bilinear transform (fs = 2, so 2 fs = 4) of an analog zpk system; zeros at infinity map to -1.
void bilinear(Zpk& f)
{
    const Real fs2 = 4;
    const std::size_t degree = f.p.size() - f.z.size();
    Complex num(1), den(1);
    for (Complex& zi : f.z) {
        num *= fs2 - zi;
        zi = (fs2 + zi) / (fs2 - zi);
    }
    for (Complex& pi : f.p) {
        den *= fs2 - pi;
        pi = (fs2 + pi) / (fs2 - pi);
    }
    f.z.insert(f.z.end(), degree, Complex(-1));
    f.k *= (num / den).real();
}

Zpk bandpassZpk(int order, double lowHz, double highHz, double fsHz)
{
    checkOrderAndRate(order, fsHz);
    if (!std::isfinite(lowHz) || !std::isfinite(highHz) || !(lowHz > 0) || !(lowHz < highHz) ||
        !(highHz < fsHz / 2))
        throw Error("Butterworth band-pass needs 0 < low < high < fs/2 = " + formatNumber(fsHz / 2) +
                    " Hz; got low " + formatNumber(lowHz) + " Hz, high " + formatNumber(highHz) + " Hz");
    const Real w1 = prewarp(lowHz, fsHz), w2 = prewarp(highHz, fsHz);
    const Real bw = w2 - w1, wo = std::sqrt(w1 * w2);
    Zpk f;
    std::vector<Complex> minus;
    for (const Complex& p : prototypePoles(order)) {
        const Complex pl = p * bw / 2.0L;
        const Complex root = std::sqrt(pl * pl - wo * wo);
        f.p.push_back(pl + root);
        minus.push_back(pl - root);
    }
    f.p.insert(f.p.end(), minus.begin(), minus.end());
    f.z.assign(static_cast<std::size_t>(order), Complex(0));
    f.k = std::pow(bw, static_cast<Real>(order));
    bilinear(f);
    const Real pi = std::numbers::pi_v<Real>;
    f.centre = 2 * std::atan(wo / 4);
    f.corners = {2 * pi * lowHz / fsHz, 2 * pi * highHz / fsHz};
    f.what = "band-pass " + formatNumber(lowHz) + "-" + formatNumber(highHz) + " Hz at fs " +
             formatNumber(fsHz) + " Hz";
    f.order = order;
    return f;
}

Zpk lowpassZpk(int order, double cutoffHz, double fsHz)
{
    checkOrderAndRate(order, fsHz);
    if (!std::isfinite(cutoffHz) || !(cutoffHz > 0) || !(cutoffHz < fsHz / 2))
        throw Error("Butterworth low-pass needs 0 < cutoff < fs/2 = " + formatNumber(fsHz / 2) + " Hz; got " +
                    formatNumber(cutoffHz) + " Hz");
    const Real wo = prewarp(cutoffHz, fsHz);
    Zpk f;
    f.p = prototypePoles(order);
    for (Complex& pi : f.p)
        pi *= wo;
    f.k = std::pow(wo, static_cast<Real>(order));
    bilinear(f);
    f.centre = 0;
    f.corners = {2 * std::numbers::pi_v<Real> * cutoffHz / fsHz};
    f.what = "low-pass " + formatNumber(cutoffHz) + " Hz at fs " + formatNumber(fsHz) + " Hz";
    f.order = order;
    return f;
}

/// Coefficients of gain * prod(x - r_i), highest power first; real parts (conjugate-pair roots).
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

/// (b, a) polynomials. Rounding them to double moves poles that crowd near z = 1 (high order,
/// corners far below fs): refuse a filter whose realised gain misses the design (unit gain at
/// the centre within 1e-3, half power at the corners within 1 %).
IirCoefficients toBa(const Zpk& f)
{
    IirCoefficients ba{polyFromRoots(f.z, f.k), polyFromRoots(f.p, 1)};
    bool ok = std::abs(realisedGain(ba, f.centre) - 1) <= 1e-3L;
    for (Real w : f.corners)
        ok = ok && std::abs(realisedGain(ba, w) / std::sqrt(0.5L) - 1) <= 1e-2L;
    if (!ok)
        throw Error("Butterworth " + f.what + " of order " + std::to_string(f.order) +
                    " is numerically unusable in (b, a) form (its realised gain misses the design); "
                    "use second-order sections, lower the order or raise the corner frequency");
    return ba;
}

/// Roots grouped into quadratic factors {1, c1, c2} of prod(1 - r z^-1): conjugate pairs first,
/// then real roots with the i-th smallest beside the i-th largest (a band-pass gets 1 - z^-2 in
/// every section), a leftover real root as a first-order factor {1, -r, 0}.
std::vector<std::array<double, 3>> quadratics(const std::vector<Complex>& roots)
{
    std::vector<std::array<double, 3>> out;
    std::vector<Real> reals;
    for (const Complex& r : roots) {
        if (std::abs(r.imag()) <= 1e-12L * std::max(Real(1), std::abs(r)))
            reals.push_back(r.real());
        else if (r.imag() > 0)
            out.push_back({1.0, static_cast<double>(-2 * r.real()), static_cast<double>(std::norm(r))});
    }
    std::sort(reals.begin(), reals.end());
    std::size_t i = 0, j = reals.size();
    while (j - i >= 2) {
        const Real a = reals[i++], b = reals[--j];
        out.push_back({1.0, static_cast<double>(-(a + b)), static_cast<double>(a * b)});
    }
    if (j > i)
        out.push_back({1.0, static_cast<double>(-reals[i]), 0.0});
    return out;
}

SosFilter toSos(const Zpk& f)
{
    std::vector<std::array<double, 3>> num = quadratics(f.z), den = quadratics(f.p);
    // A first-order numerator goes with the first-order denominator; pad with 1 if short.
    auto firstOrderLast = [](std::vector<std::array<double, 3>>& v) {
        std::stable_partition(v.begin(), v.end(), [](const auto& q) { return q[2] != 0.0; });
    };
    firstOrderLast(num);
    firstOrderLast(den);
    while (num.size() < den.size())
        num.insert(num.begin(), {1.0, 0.0, 0.0});
    SosFilter s;
    for (std::size_t i = 0; i < den.size(); ++i)
        s.sections.push_back({num[i][0], num[i][1], num[i][2], den[i][0], den[i][1], den[i][2]});
    if (!s.sections.empty()) // the gain goes into the first section, as scipy does
        for (int c = 0; c < 3; ++c)
            s.sections[0][static_cast<std::size_t>(c)] =
                static_cast<double>(f.k * static_cast<Real>(s.sections[0][static_cast<std::size_t>(c)]));
    return s;
}

} // namespace

IirCoefficients butterBandpass(int order, double lowHz, double highHz, double fsHz)
{
    return toBa(bandpassZpk(order, lowHz, highHz, fsHz));
}

IirCoefficients butterLowpass(int order, double cutoffHz, double fsHz)
{
    return toBa(lowpassZpk(order, cutoffHz, fsHz));
}

SosFilter butterBandpassSos(int order, double lowHz, double highHz, double fsHz)
{
    return toSos(bandpassZpk(order, lowHz, highHz, fsHz));
}

SosFilter butterLowpassSos(int order, double cutoffHz, double fsHz)
{
    return toSos(lowpassZpk(order, cutoffHz, fsHz));
}

} // namespace rmm
