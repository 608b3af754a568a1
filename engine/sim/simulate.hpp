// SPDX-License-Identifier: GPL-3.0-or-later
// Free-run simulation (gamma = 0) and nonlinear observer (gamma > 0, docs/method.md section 3.3) of a
// circuit model over one segment of a dataset.
#pragma once
#include "engine/core/progress.hpp"
#include "engine/data/dataset.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/model/circuit_model.hpp"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace rmm {

struct SimulationResult {
    Segment segment;
    long resync_samples = 0; ///< SimulationOptions::resync_samples of the run (0: one run)
    double dt_ms = 0;
    double gamma = 0;
    /// neurons x T (T = segment length): predicted voltage, v(0) = measured v at segment.begin.
    Eigen::MatrixXd v;
    /// neurons x T: currents evaluated at each sample from the fed voltage and states (nA).
    Eigen::MatrixXd i_int;
    Eigen::MatrixXd i_leak;
    /// synapses x T, in model synapse order (row s = synapse s, pre -> post); the model subtracts
    /// these in the voltage equation of neuron `post`.
    Eigen::MatrixXd i_syn;
    std::vector<std::string> warnings; ///< e.g. warm-up shorter than M samples
    /// When the simulated voltage became non-finite (the model diverges on this input): the
    /// sample of the trial where it first did and the neuron (0-based); -1 otherwise. The run
    /// stops there: every later column of v, the currents and the states is NaN.
    long nonfinite_sample = -1;
    int nonfinite_neuron = -1;
    /// "" when the run stayed finite, else a sentence naming the trial, neuron, sample and time.
    std::string nonFiniteMessage(const std::string& trialName) const;
    /// Only with SimulationOptions::record_states: per neuron, its filter states (rows: intrinsic
    /// bank, then synaptic cascade when the model has one, then conductance low-passes when it has
    /// conductance synapses) at each sample, i.e. the internal-state estimates of the observer
    /// (gamma > 0) or the free run.
    std::vector<Eigen::MatrixXd> states;
    /// Names of those rows, the same for every neuron: "int1".., "syn1".., "cond1.." (from 1).
    std::vector<std::string> state_names;
};

struct SimulationOptions {
    double gamma = 0;              ///< observer gain: v_fed = gamma v_meas + (1 - gamma) v_pred, in [0, 1]
    bool single_precision = false; ///< evaluate the MLPs in float (as training in float32 does)
    bool record_states = false;    ///< fill SimulationResult::states (neurons x banks x T doubles)
    /// > 0: restart every this many samples from the recording (measured voltage, filter states
    /// warmed up on the measured voltage before the restart), the pieces joined (resyncWindows):
    /// the validation protocol of docs/method.md section 4. 0: one run over the whole segment.
    long resync_samples = 0;
};

/// Samples between restarts for a window of window_s seconds at dt (0 when window_s <= 0).
long resyncSamples(double window_s, double dtMs);

/// The pieces of a segment restarted about every `window` samples: round(length / window) (at
/// least 1) consecutive pieces of equal length (to a sample); the whole segment when window <= 0.
std::vector<Segment> resyncWindows(const Segment& seg, long window);

/// Refuses (rmm::Error) a model with non-finite parameters or normalisation, naming the first.
/// Simulates over `seg` from warmed-up states (two-pass warm-up over up to M samples of the same
/// trial before seg.begin; fewer available → warning; none → DC state of the first sample) and
/// the measured initial voltage (with opt.resync_samples, again at every window). The model's
/// normalisation must be frozen. Progress reports
/// roughly every 1 % (false → rmm::Cancelled). Throws rmm::Error on a bad segment / neuron count.
SimulationResult simulate(const CircuitModel& model, const Dataset& data, const Segment& seg,
                          const SimulationOptions& opt = {}, Progress* progress = nullptr);

/// docs/method.md section 4: per neuron, the modified angular separation of the simulated voltage
/// against the recorded one, each restart window of the run (resyncWindows(sim.segment,
/// sim.resync_samples)) scored on its own and the windows pooled (AngularSeparationParts); 0 for
/// a neuron whose prediction is not finite. s.dt_ms is taken from the data.
std::vector<double> angularSeparationOf(const SimulationResult& sim, const Dataset& data,
                                        const AngularSeparationSettings& s);

/// Convenience overload with gamma only.
SimulationResult simulate(const CircuitModel& model, const Dataset& data, const Segment& seg, double gamma,
                          Progress* progress = nullptr);

} // namespace rmm
