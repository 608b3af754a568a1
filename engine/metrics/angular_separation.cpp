// SPDX-License-Identifier: GPL-3.0-or-later
// Modified angular separation of smoothed spike trains (docs/method.md section 4, paper 3.4.3).
#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <string>

namespace rmm {
namespace {

/// Largest kernel half-width accepted: 10^7 samples (1000 s at 10 kHz) keeps the kernel table
/// and the O(spikes * K) convolution within reason.
constexpr int kMaxHalfWidth = 10'000'000;

} // namespace

void validate(const AngularSeparationSettings& s)
{
    if (!std::isfinite(s.dt_ms) || s.dt_ms <= 0)
        throw Error("angular separation: dt_ms must be positive, got " + formatNumber(s.dt_ms));
    if (!std::isfinite(s.threshold_mV))
        throw Error("angular separation: threshold_mV must be finite");
    if (s.peak_half_window < 1)
        throw Error("angular separation: peak_half_window must be at least 1 sample, got " +
                    std::to_string(s.peak_half_window));
    if (!std::isfinite(s.kernel_tau_samples) || s.kernel_tau_samples <= 0)
        throw Error("angular separation: kernel_tau_samples must be positive, got " +
                    formatNumber(s.kernel_tau_samples));
    if (s.kernel_half_width < 0 || s.kernel_half_width > kMaxHalfWidth)
        throw Error("angular separation: kernel_half_width must be between 0 and " +
                    std::to_string(kMaxHalfWidth) + " samples, got " + std::to_string(s.kernel_half_width));
    // The band and order are checked by the filter design (its message names fs/2).
    butterBandpassSos(s.filter_order, s.band_low_hz, s.band_high_hz, 1000.0 / s.dt_ms);
}

std::vector<std::size_t> strictMaxima(const std::vector<double>& x, int halfWindow)
{
    if (halfWindow < 1)
        throw Error("spike detection window must be at least 1 sample, got " + std::to_string(halfWindow));
    std::vector<std::size_t> out;
    const std::size_t n = x.size();
    const auto h = static_cast<std::size_t>(halfWindow);
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double v = x[i];
        // Cheap rejection first: most samples are not above their right neighbour.
        if (!(v > x[i + 1]) || !(v > x[i - 1]))
            continue;
        const std::size_t lo = i > h ? i - h : 0;
        const std::size_t hi = std::min(n - 1, i + h);
        bool isMax = true;
        for (std::size_t j = lo; j <= hi && isMax; ++j)
            if (j != i && !(v > x[j]))
                isMax = false;
        if (isMax)
            out.push_back(i);
    }
    return out;
}

std::vector<double> smoothSpikes(const std::vector<std::size_t>& spikes, std::size_t n, double tauSamples,
                                 int halfWidth)
{
    if (!std::isfinite(tauSamples) || tauSamples <= 0)
        throw Error("spike-train kernel time constant must be positive, got " + formatNumber(tauSamples));
    if (halfWidth < 0 || halfWidth > kMaxHalfWidth)
        throw Error("spike-train kernel half-width must be between 0 and " + std::to_string(kMaxHalfWidth) +
                    ", got " + std::to_string(halfWidth));
    const auto K = static_cast<std::size_t>(halfWidth);
    if (n <= 2 * K)
        throw Error("smoothed spike train needs more than " + std::to_string(2 * K) +
                    " samples (the kernel half-width " + std::to_string(K) +
                    " is dropped at each end), the trace has " + std::to_string(n));
    // w[k] = exp(-k / tau) / sum_{|j| <= K} exp(-|j| / tau).
    std::vector<double> w(K + 1);
    long double sum = 0;
    for (std::size_t k = 0; k <= K; ++k) {
        const long double e = std::exp(-static_cast<long double>(k) / tauSamples);
        w[k] = static_cast<double>(e);
        sum += k == 0 ? e : 2 * e;
    }
    for (double& v : w)
        v = static_cast<double>(v / sum);

    // Output sample j is position q = j + K of the 'same' convolution; q covers [K, n - K).
    const std::size_t m = n - 2 * K;
    std::vector<double> y(m, 0.0);
    std::size_t previous = 0;
    for (std::size_t s = 0; s < spikes.size(); ++s) {
        const std::size_t p = spikes[s];
        if (p >= n || (s > 0 && p <= previous))
            throw Error("spike indices must be increasing and below the train length " + std::to_string(n) +
                        "; entry " + std::to_string(s) + " is " + std::to_string(p));
        previous = p;
        // Positions q in [max(p - K, K), min(p + K, n - K - 1)].
        const std::size_t qlo = std::max(p >= K ? p - K : 0, K);
        const std::size_t qhi = std::min(p + K, n - K - 1);
        for (std::size_t q = qlo; q <= qhi && q < p; ++q)
            y[q - K] += w[p - q];
        for (std::size_t q = std::max(qlo, p); q <= qhi; ++q)
            y[q - K] += w[q - p];
    }
    return y;
}

std::vector<double> smoothedSpikeTrain(const std::vector<double>& v, const AngularSeparationSettings& s)
{
    validate(s);
    const auto K = static_cast<std::size_t>(s.kernel_half_width);
    if (v.size() <= 2 * K)
        throw Error("angular separation needs traces longer than " + std::to_string(2 * K) + " samples (" +
                    formatNumber(2.0 * static_cast<double>(K) * s.dt_ms) +
                    " ms: the kernel half-width is dropped at each "
                    "end), the trace has " +
                    std::to_string(v.size()));
    // Second-order sections: the same filter as scipy's filtfilt(b, a) up to the rounding of
    // (b, a), which for the 2-100 Hz band is ~1e-3 mV at 10 kHz and unusable at 20 kHz.
    const SosFilter f = butterBandpassSos(s.filter_order, s.band_low_hz, s.band_high_hz, 1000.0 / s.dt_ms);
    std::vector<double> x = filtfilt(f, v);
    for (double& xi : x)
        xi = std::max(xi - s.threshold_mV, 0.0);
    return smoothSpikes(strictMaxima(x, s.peak_half_window), v.size(), s.kernel_tau_samples,
                        s.kernel_half_width);
}

namespace {
AngularSeparationParts partsOf(const std::vector<double>& y, const std::vector<double>& yhat)
{
    if (y.size() != yhat.size())
        throw Error("angular separation: the smoothed spike trains differ in length (" +
                    std::to_string(y.size()) + " and " + std::to_string(yhat.size()) + " samples)");
    long double yy = 0, hh = 0, yh = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        yy += static_cast<long double>(y[i]) * y[i];
        hh += static_cast<long double>(yhat[i]) * yhat[i];
        yh += static_cast<long double>(y[i]) * yhat[i];
    }
    return {static_cast<double>(yh), static_cast<double>(std::max(yy, hh))};
}
} // namespace

double modifiedAngularSeparation(const std::vector<double>& y, const std::vector<double>& yhat)
{
    return partsOf(y, yhat).value();
}

AngularSeparationParts angularSeparationParts(const std::vector<double>& measured,
                                              const std::vector<double>& predicted,
                                              const AngularSeparationSettings& s)
{
    if (measured.size() != predicted.size())
        throw Error("angular separation needs traces of equal length; the measured trace has " +
                    std::to_string(measured.size()) + " samples, the predicted one " +
                    std::to_string(predicted.size()));
    auto train = [&s](const std::vector<double>& v, const char* which) {
        try {
            return smoothedSpikeTrain(v, s);
        } catch (const Error& e) {
            throw Error(std::string(which) + " voltage: " + e.what());
        }
    };
    const std::vector<double> y = train(measured, "measured");
    return partsOf(y, train(predicted, "predicted"));
}

double angularSeparation(const std::vector<double>& measured, const std::vector<double>& predicted,
                         const AngularSeparationSettings& s)
{
    return angularSeparationParts(measured, predicted, s).value();
}

double meanOverNeurons(const std::vector<double>& perNeuron)
{
    return std::accumulate(perNeuron.begin(), perNeuron.end(), 0.0) / static_cast<double>(perNeuron.size());
}

} // namespace rmm
