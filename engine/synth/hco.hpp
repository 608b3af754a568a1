// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in demo recording: two conductance-based STG model neurons coupled into a
// half-center oscillator (HCO) only through the paper's dynamic-clamp currents (Eq. 25-26,
// Table 1), driven by Ornstein-Uhlenbeck currents (Eq. 24), recorded with measurement noise.
#pragma once
#include "engine/core/progress.hpp"
#include "engine/recording/recording.hpp"
#include "engine/synth/stg_neuron.hpp"

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rmm {

struct OuParams {
    double a = 0.04; ///< 1/ms, process rate
    double b = 0.1;  ///< nA/sqrt(ms), noise scale
};

/// One row of the paper's Table 1: the dynamic-clamp synapse onto cell i (Eq. 25) and the
/// virtual H current of cell i (Eq. 26). Conductances nS, potentials mV, time ms.
struct DynamicClampParams {
    double gsyn_nS, esyn_mV, vsyn_mV;
    double gh_nS, eh_mV, vh_mV, taubar_ms;
};

/// The intrinsic properties of one simulated cell.
struct HcoCell {
    StgConductances g;         ///< mS/cm^2 (Liu et al. 1998 / Prinz et al. 2003 kinetics)
    double capacitance_nF = 0; ///< sets the membrane area: every conductance scales with it
    double ou_mean_nA = 0;     ///< mean mu_i of the injected OU current (Eq. 24)
};

struct HcoConfig {
    double seconds = 120; ///< per trial
    int trials = 2;       ///< trial k uses ou[k % ou.size()]
    std::uint64_t seed = 1;
    double dt_ms = 0.1;    ///< recording (and dynamic-clamp) sampling interval, (0, 1] ms
    int substeps = 4;      ///< internal integration steps per sample; dt_ms/substeps <= 0.1 ms
    double noise_mV = 0.5; ///< s.d. of Gaussian measurement noise on recorded voltage
    std::vector<OuParams> ou = {{0.04, 0.1}, {0.02, 0.025}};
    double warmup_s = 10; ///< simulated and discarded before trial 1 (trial-1 OU settings)
    /// Table 1 of the paper, row i = dynamic clamp onto cell i.
    std::array<DynamicClampParams, 2> clamp = {
        {{105, -80, -50, 225, -10, -45, 1000}, {150, -80, -44, 120, -10, -45, 1500}}};
    /// The defaults alternate only within a band of about +-0.25 nA around the tuned OU means;
    /// other cells or clamp settings need the means re-tuned.
    std::array<HcoCell, 2> cells = defaultHcoCells();

    static std::array<HcoCell, 2> defaultHcoCells();
};

namespace detail {
/// Standard normal deviates by the Box-Muller transform over mt19937_64: the same numbers on
/// every platform and standard library (std::normal_distribution is implementation-defined).
class NormalSource {
  public:
    explicit NormalSource(std::uint64_t seed) : engine_(seed) {}
    double next();

  private:
    std::mt19937_64 engine_;
    double spare_ = 0;
    bool haveSpare_ = false;
};
} // namespace detail

/// The simulated set-up of synthesizeHco, one sampling interval at a time: two cells, the
/// dynamic clamp reading the recorded voltages, the OU current sources and the noisy amplifier.
/// A copy is an independent circuit in the same state with the same future input and noise
/// (the random generator is copied too): what a perfect model restarted from the true state
/// would face (docs/quality: how well can a perfect model score).
class HcoCircuit {
  public:
    /// Throws rmm::Error on nonsense settings (as synthesizeHco). Starts with config.ou[0].
    explicit HcoCircuit(const HcoConfig& config);
    void setOu(const OuParams& p) { ou_ = p; }
    /// true: the dynamic clamp reads the noise-free voltage instead of the recorded one, as a
    /// noise-free model of the circuit would; the measurement noise is drawn all the same, so the
    /// injected OU current stays the same number for number.
    void setClampReadsTrueVoltage(bool on) { clampReadsTrue_ = on; }
    /// Replaces the dynamic clamp onto `cell` (0 or 1), e.g. a wrong synaptic conductance.
    void setClamp(int cell, const DynamicClampParams& p);
    const HcoConfig& config() const { return cfg_; }

    /// Sample t of every channel (see synthesizeHco), then the step to t + 1.
    struct Sample {
        double v[2], v_true[2], u[2], isyn[2], ih[2], z[2], w[2];
    };
    Sample step();

  private:
    HcoConfig cfg_;
    StgKinetics kinetics_;
    detail::NormalSource noise_;
    StgNeuron cells_[2];
    OuParams ou_;
    double sqrtDt_;
    double u_[2], z_[2], w_[2];
    bool clampReadsTrue_ = false;
};

/// Names of the channels of every trial, in order (see synthesizeHco).
const std::vector<std::string>& hcoChannelNames();

/// Generates the demo recording: trials "trial1".."trialK", channels v1, v2 (mV, recorded),
/// u1, u2 (nA, injected OU), Isyn1, Isyn2, Ih1, Ih2 (nA, dynamic-clamp currents as injected,
/// positive = depolarising), v1_true, v2_true (mV, noise-free), zsyn1, zsyn2, wh1, wh2 (the
/// dynamic-clamp gates, unit "1"). Deterministic per seed.
///
/// Sample t of every channel describes the same instant: v_t = v_true_t + noise, the gates z_t,
/// w_t, Isyn_t = -gsyn z_t (v_t - Esyn) and Ih_t = -gh w_t (v_t - Eh) from the *recorded* v_t;
/// u_t + Isyn_t + Ih_t is then held constant over [t, t + dt) while the cells are integrated
/// with `substeps` exponential-Euler steps; z_{t+1}, w_{t+1} follow Eq. 25-26 from v_t, and
/// u_{t+1} follows Eq. 24. The state runs on continuously from the warm-up through all trials
/// (trial k starts at warmup_s + (k-1) * seconds of simulated time; start_s counts from trial 1).
/// Throws rmm::Error on nonsense settings; rmm::Cancelled if progress asks to stop.
Recording synthesizeHco(const HcoConfig& config, Progress* progress = nullptr);

} // namespace rmm
