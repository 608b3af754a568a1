// SPDX-License-Identifier: GPL-3.0-or-later
// Validation metric (method.md section 4) and synaptic-current metrics (section 5).
#pragma once
#include <array>
#include <vector>

namespace rmm {

/// Coefficients of a digital IIR filter, b (numerator) and a (denominator, a[0] = 1).
struct IirCoefficients {
    std::vector<double> b;
    std::vector<double> a;
};

/// 3rd-order (or `order`) Butterworth band-pass, corner frequencies in Hz, sampling rate in Hz,
/// designed like scipy.signal.butter(order, [lo, hi], btype='band', fs=fs) (bilinear transform
/// with pre-warping). Throws rmm::Error unless 0 < lo < hi < fs/2.
IirCoefficients butterBandpass(int order, double lowHz, double highHz, double fsHz);
/// Low-pass counterpart (scipy.signal.butter(order, fc, btype='low', fs=fs)).
IirCoefficients butterLowpass(int order, double cutoffHz, double fsHz);

/// Zero-phase forward-backward filtering like scipy.signal.filtfilt with default padding
/// (odd extension of 3*max(len(a), len(b)) samples, initial conditions from lfilter_zi).
std::vector<double> filtfilt(const IirCoefficients& f, const std::vector<double>& x);

struct AngularSeparationSettings {
    double dt_ms = 0.1;
    double band_low_hz = 20;    ///< paper text: 20-500 Hz; reference code: 2-100 Hz
    double band_high_hz = 500;
    int filter_order = 3;
    double threshold_mV = 5;    ///< relu(x - threshold)
    int peak_half_window = 5;   ///< strict maximum of its +/- window
    double kernel_tau_samples = 500;
    int kernel_half_width = 3000; ///< |k| <= this; also dropped at each end
};

/// Smoothed spike train y of one voltage trace (steps 1-4 of method.md section 4).
std::vector<double> smoothedSpikeTrain(const std::vector<double>& v, const AngularSeparationSettings& s);

/// Modified angular separation <y, yhat> / max(|y|^2, |yhat|^2) of two voltage traces of equal
/// length (0 if both smoothed trains are zero). Throws rmm::Error on mismatched lengths.
double angularSeparation(const std::vector<double>& measured, const std::vector<double>& predicted,
                         const AngularSeparationSettings& s);

/// Pearson correlation; 0 when either signal is constant.
double pearson(const std::vector<double>& a, const std::vector<double>& b);
/// Normalised RMSE: rms(pred - truth) / std(truth) (the std, so 1 = predicting the mean).
double nrmse(const std::vector<double>& truth, const std::vector<double>& pred);

} // namespace rmm
