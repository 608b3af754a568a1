// SPDX-License-Identifier: GPL-3.0-or-later
// Validation metric (docs/method.md section 4) and synaptic-current metrics (section 5).
#pragma once
#include <array>
#include <cstddef>
#include <vector>

namespace rmm {

/// Coefficients of a digital IIR filter, b (numerator) and a (denominator, a[0] = 1).
struct IirCoefficients {
    std::vector<double> b;
    std::vector<double> a;
};

/// 3rd-order (or `order`) Butterworth band-pass, corner frequencies in Hz, sampling rate in Hz,
/// designed like scipy.signal.butter(order, [lo, hi], btype='band', fs=fs) (bilinear transform
/// with pre-warping). Throws rmm::Error unless 0 < lo < hi < fs/2 and 1 <= order <= 10, and
/// when rounding the polynomials to double spoils the response (realised gain off by more than
/// 1e-3 at the centre or 1 % at a corner: e.g. 2-100 Hz, order 3 at 20 kHz); the second-order
/// sections below have no such limit.
IirCoefficients butterBandpass(int order, double lowHz, double highHz, double fsHz);
/// Low-pass counterpart (scipy.signal.butter(order, fc, btype='low', fs=fs)).
IirCoefficients butterLowpass(int order, double cutoffHz, double fsHz);

/// A cascade of second-order sections, each {b0, b1, b2, a0, a1, a2} (scipy's output='sos').
/// Well conditioned where (b, a) polynomials are not (low corners, high sampling rates).
struct SosFilter {
    std::vector<std::array<double, 6>> sections;
};

/// Second-order-section forms of the same designs (scipy.signal.butter(..., output='sos')).
SosFilter butterBandpassSos(int order, double lowHz, double highHz, double fsHz);
SosFilter butterLowpassSos(int order, double cutoffHz, double fsHz);

/// Initial state of lfilter for a unit-step steady state, like scipy.signal.lfilter_zi
/// (length max(len(a), len(b)) - 1). Throws rmm::Error when the filter has a pole at z = 1.
std::vector<double> lfilterZi(const IirCoefficients& f);

/// Zero-phase forward-backward filtering like scipy.signal.filtfilt with default padding
/// (odd extension of 3*max(len(a), len(b)) samples, initial conditions from lfilter_zi).
/// Throws rmm::Error when x has no more than that many samples or holds a non-finite value.
std::vector<double> filtfilt(const IirCoefficients& f, const std::vector<double>& x);
/// The same for second-order sections, like scipy.signal.sosfiltfilt (padding 3 * (2 sections
/// + 1 - trailing zero coefficients), each section starting from its step steady state).
std::vector<double> filtfilt(const SosFilter& f, const std::vector<double>& x);

struct AngularSeparationSettings {
    double dt_ms = 0.1;
    double band_low_hz = 20; ///< paper text: 20-500 Hz; reference code: 2-100 Hz
    double band_high_hz = 500;
    int filter_order = 3;
    double threshold_mV = 5;  ///< relu(x - threshold)
    int peak_half_window = 5; ///< strict maximum of its +/- window
    double kernel_tau_samples = 500;
    int kernel_half_width = 3000; ///< |k| <= this; also dropped at each end
    /// Not the metric's but the validation protocol's (validateModel, docs/method.md section 4):
    /// the free run restarts from the recording every window_s seconds (0 = one free run over
    /// the whole segment) and the metric pools the windows (AngularSeparationParts).
    double window_s = 5;
};

/// Throws rmm::Error naming the offending field unless the settings are usable.
void validate(const AngularSeparationSettings& s);

/// Indices i of samples that are the strict maximum of their window [i - h, i + h]: x[i] is
/// greater than every other sample of the window that lies inside the signal. The first and
/// last sample never count (a peak needs a lower neighbour on both sides), so a plateau or a
/// trace still rising at its end gives no spike.
std::vector<std::size_t> strictMaxima(const std::vector<double>& x, int halfWindow);

/// Unit impulses at `spikes` in a train of n samples, convolved with exp(-|k|/tau), |k| <= K,
/// normalised to sum 1 ('same' length), then K samples dropped at each end: n - 2K samples.
/// Costs O(spikes * K); spikes must be sorted ascending and below n, and n > 2K.
std::vector<double> smoothSpikes(const std::vector<std::size_t>& spikes, std::size_t n, double tauSamples,
                                 int halfWidth);

/// Smoothed spike train y of one voltage trace (steps 1-4 of docs/method.md section 4):
/// zero-phase band-pass (second-order sections), relu(x - threshold), strict maxima, Laplace
/// kernel. Length v.size() - 2K.
std::vector<double> smoothedSpikeTrain(const std::vector<double>& v, const AngularSeparationSettings& s);

/// The formula of step 5: <y, yhat> / max(|y|^2, |yhat|^2), 0 when both are zero.
double modifiedAngularSeparation(const std::vector<double>& y, const std::vector<double>& yhat);

/// The two sums of the modified angular separation of one pair of traces: <y, yhat> and
/// max(|y|^2, |yhat|^2). Summed over the windows of a segment they pool them: the ratio of the
/// sums weighs each window by its spikes, and a single window gives angularSeparation.
struct AngularSeparationParts {
    double inner = 0;
    double scale = 0;
    AngularSeparationParts& operator+=(const AngularSeparationParts& o)
    {
        inner += o.inner;
        scale += o.scale;
        return *this;
    }
    /// inner / scale, 0 when both trains are zero.
    double value() const { return scale > 0 ? inner / scale : 0.0; }
};
AngularSeparationParts angularSeparationParts(const std::vector<double>& measured,
                                              const std::vector<double>& predicted,
                                              const AngularSeparationSettings& s);

/// Modified angular separation <y, yhat> / max(|y|^2, |yhat|^2) of two voltage traces of equal
/// length (0 if both smoothed trains are zero). Throws rmm::Error on mismatched lengths.
double angularSeparation(const std::vector<double>& measured, const std::vector<double>& predicted,
                         const AngularSeparationSettings& s);

/// A model's metric from its neurons' angular separations: their mean (NaN when there are none).
double meanOverNeurons(const std::vector<double>& perNeuron);

/// Pearson correlation; 0 when either signal is constant. Throws on mismatched or empty input.
double pearson(const std::vector<double>& a, const std::vector<double>& b);
/// Normalised RMSE: rms(pred - truth) / std(truth) (the population std, so 1 = predicting the
/// mean). NaN when truth is constant (undefined). Throws on mismatched or empty input.
double nrmse(const std::vector<double>& truth, const std::vector<double>& pred);

/// Section 5: how well the model's synaptic currents predict the injected one of a neuron.
struct SynapticCurrentMetrics {
    double pearson = 0;
    double nrmse = 0;
    /// Amplitude of the prediction over the recorded one, each measured as the spread between
    /// its 1st and 99th percentiles (1 = right size; NaN when the recorded current is constant).
    double amplitude_ratio = 0;
};

/// Spread between the 1st and 99th percentiles (linear interpolation between order statistics).
double robustSpread(std::vector<double> x);

/// The dynamic clamp injects `recordedIsyn` (positive = depolarising) while the model subtracts
/// its I_syn_ij: the prediction is -sum_j modelIsyn[j]. `predicted` (if not null) receives it.
SynapticCurrentMetrics synapticCurrentMetrics(const std::vector<double>& recordedIsyn,
                                              const std::vector<std::vector<double>>& modelIsyn,
                                              std::vector<double>* predicted = nullptr);

} // namespace rmm
