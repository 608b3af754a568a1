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

struct TrainingRange {
    int trial = 0;
    long first = 0; ///< first sample used (state after warm-up over [first - lead_in, first))
    long last = 0;  ///< one past the last sample used (last <= segment.end - 1: v[t+1] exists)
    long lead_in = 0;
    long count() const { return last - first; }
};

/// One range per training segment with at least one usable sample. Throws rmm::Error when a
/// segment lies outside its trial or the dataset's neuron count differs from the model's.
/// Appends a warning per segment whose lead-in is shorter than the banks' M.
std::vector<TrainingRange> trainingRanges(const CircuitModel& model, const Dataset& data,
                                          std::vector<std::string>* warnings);

/// Largest warm-up length M of the model's banks.
long modelWarmupSamples(const CircuitModel& model);
/// The same for a finalized config at sampling interval dtMs, without building the model.
long modelWarmupSamples(const ModelConfig& cfg, double dtMs);

} // namespace rmm
