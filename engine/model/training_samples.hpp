// SPDX-License-Identifier: GPL-3.0-or-later
// Which samples of a dataset's training segments enter teacher forcing, after the warm-up
// lead-in (paper Methods 3.3.1; lead-in = trainingLeadIn(length, M)).
#pragma once
#include <string>
#include <vector>

namespace rmm {

class CircuitModel;
struct ModelConfig;
struct Dataset;

/// Samples [begin, end) of trial `trial` after the warm-up lead-in (the states at begin come from a
/// warm-up over [begin - lead_in, begin)); half-open like Segment.
struct TrainingRange {
    int trial = 0;
    long begin = 0;
    long end = 0;
    long lead_in = 0;
    long length() const { return end - begin; }
    /// One-step transitions v[t] -> v[t+1] inside the range (teacher forcing's samples): t in
    /// [begin, end - 1).
    long steps() const { return end - begin - 1; }
};

/// One range per training segment with at least one transition (steps() > 0). Throws rmm::Error when a
/// segment lies outside its trial or the dataset's neuron count differs from the model's.
/// Appends a warning per segment whose lead-in is shorter than the banks' M.
std::vector<TrainingRange> trainingRanges(const CircuitModel& model, const Dataset& data,
                                          std::vector<std::string>* warnings);

/// Largest warm-up length M of the model's banks.
long modelWarmupSamples(const CircuitModel& model);
/// The same for a finalized config at sampling interval dtMs, without building the model.
long modelWarmupSamples(const ModelConfig& cfg, double dtMs);

} // namespace rmm
