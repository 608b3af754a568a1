// SPDX-License-Identifier: GPL-3.0-or-later
// Dataset: a Recording mapped onto the circuit (which channel is whose voltage / current),
// in engine units, checked, and split into training and validation segments.
#pragma once
#include "engine/config/experiment_config.hpp"
#include "engine/core/progress.hpp"
#include "engine/recording/recording.hpp"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace rmm {

struct TrialData {
    std::string name;
    Eigen::MatrixXd v;        ///< neurons x samples, mV (measured; optionally pre-filtered)
    Eigen::MatrixXd u;        ///< neurons x samples, nA (injected)
    Eigen::MatrixXd isyn;     ///< neurons x samples, nA, ground truth; empty when not mapped
    Eigen::VectorXi has_isyn; ///< per neuron: 1 when isyn row is valid
};

/// Samples [begin, end) of trial `trial` (index into Dataset::trials).
struct Segment {
    int trial = 0;
    long begin = 0;
    long end = 0;
    long length() const { return end - begin; }
};

struct Dataset {
    double dt_ms = 0.1;
    int neurons = 0;
    std::vector<TrialData> trials;
    std::vector<Segment> train;        ///< one per trial: first train_fraction
    Segment validation;                ///< last validation_fraction of the validation trial
    std::vector<std::string> warnings; ///< e.g. short warm-up, unknown units kept
    std::string source;                ///< file it came from
};

/// Maps, converts units (mV, nA), checks NaN/Inf (error names file, trial, channel, sample index),
/// equal lengths, dt > 0, and splits. Throws rmm::Error before any work starts.
Dataset buildDataset(const Recording& rec, const DataConfig& cfg);
/// Loads cfg.file (relative to baseDir) and builds the dataset.
Dataset loadDataset(const DataConfig& cfg, const std::string& baseDir, Progress* progress = nullptr);

/// Samples trimmed at each end of every trial by the optional pre-filter: ceil(10 * fs / cut-off)
/// (ten periods of the cut-off; 50 samples at 10 kHz and 2 kHz), 0 without pre-filter. Every
/// mapped channel (voltage, current, ground truth) is trimmed identically, so they stay aligned.
long prefilterTrimSamples(const DataConfig& cfg, double dt_ms);

} // namespace rmm
