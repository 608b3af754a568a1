// SPDX-License-Identifier: GPL-3.0-or-later
// Interpretation of a trained model (docs/method.md section 6, paper Eq. 9-16 and 27-30), neuron by
// neuron, on the membrane current h of engine/analysis/membrane_current.hpp:
//   x_inf(v) = (I - A)^{-1} B v,  u_inf(v) = h(v, x_inf(v))                    IV curve (Eq. 9)
//   G_inf(v) = dh/dv + dh/dx (I - A)^{-1} B                                     GV curve (Eq. 10)
//   Y(v, w)  = dh/dv + dh/dx (e^{j w dt} I - A)^{-1} B   at (v, x_inf(v))       admittance (Eq. 11)
//   G = Re Y (conductance), B = Im Y (susceptance), G(v, 0) = G_inf(v)          (Eq. 12-13)
//   C (e^{j w dt} - 1) + dt Y(v, w) = 0,  w >= 0                                candidates (Eq. 30)
// Units: v mV, w rad/ms, currents nA, conductances µS, C nF, dt ms.
#pragma once
#include "engine/analysis/membrane_current.hpp"

#include <Eigen/Core>

#include <complex>
#include <string>
#include <vector>

namespace rmm {

class CircuitModel;
class Progress;

struct AdmittanceSettings {
    double vMin = -60, vMax = -35, vStep = 0.1; ///< voltage grid, mV (paper Figure 6)
    double wMin = 5e-3, wMax = 20;              ///< angular frequency range, rad/ms, log-spaced
    int wCount = 200;
    bool withSynapses = false; ///< add synapses onto the neuron (same-voltage clamp)
    /// Throws rmm::Error naming the setting when the grid is empty, not finite, too large
    /// (> 5e6 cells) or above the Nyquist frequency pi/dt.
    void check(double dtMs) const;
};

enum class CandidateKind { Fold, NeimarkSacker };
inline const char* toString(CandidateKind k)
{
    return k == CandidateKind::Fold ? "fold" : "neimark-sacker";
}

struct BifurcationCandidate {
    double vMv = 0;
    double omegaRadPerMs = 0; ///< 0 for a fold
    CandidateKind kind = CandidateKind::Fold;
    double residual = 0;    ///< |C (e^{j w dt} - 1) + dt Y(v, w)|, nA ms / mV
    double relResidual = 0; ///< residual / (C |e^{j w dt} - 1| + dt |Y|)
};

struct AdmittanceMap {
    int neuron = 0; ///< 0-based
    bool withSynapses = false;
    double dtMs = 0;
    double capacitance = 0;                       ///< nF
    double maxPoleModulus = 0;                    ///< largest |pole| of the analysed current's filter banks
    std::vector<double> v;                        ///< mV, size nv
    std::vector<double> omega;                    ///< rad/ms, size nw
    Eigen::MatrixXd G, B;                         ///< µS, nw x nv (row = frequency, column = voltage)
    std::vector<double> iv;                       ///< u_inf(v), nA
    std::vector<double> gv;                       ///< G_inf(v), µS
    std::vector<BifurcationCandidate> candidates; ///< sorted by voltage
    std::vector<double> gInfZeroCrossings;        ///< mV, where G_inf changes sign
};

/// (e^{j w dt} I - A)^{-1} B: one complex forward substitution (A is lower-triangular).
Eigen::VectorXcd stateResponse(const MembraneCurrent& mc, double omega);
/// Y(v, w) at (v, x_inf(v)), µS.
std::complex<double> admittance(const MembraneCurrent& mc, double v, double omega);
/// u_inf(v), nA.
double steadyStateCurrent(const MembraneCurrent& mc, double v);
/// G_inf(v), µS (exact, through the MLP Jacobian).
double steadyStateConductance(const MembraneCurrent& mc, double v);
/// C (e^{j w dt} - 1) + dt Y(v, w).
std::complex<double> bifurcationResidual(const MembraneCurrent& mc, double v, double omega);

/// The maps, curves and candidates on the grid of `s`. Reports progress per frequency block;
/// throws rmm::Cancelled when progress asks to stop, rmm::Error on a non-contracting current or
/// a bad grid.
AdmittanceMap analyzeAdmittance(const MembraneCurrent& mc, const AdmittanceSettings& s,
                                Progress* progress = nullptr);
/// Same for neuron `neuron` (0-based) of a model.
AdmittanceMap analyzeNeuron(const CircuitModel& model, int neuron, const AdmittanceSettings& s,
                            Progress* progress = nullptr);

/// Candidate bifurcations only (folds from sign changes of G_inf on the voltage grid, refined by
/// bracketing; Neimark-Sacker from grid cells where both Re and Im of Eq. 30 change sign, refined
/// by Newton in (v, log w)), de-duplicated, sorted by voltage. Uses map.G/B/gv/v/omega.
std::vector<BifurcationCandidate> findCandidates(const MembraneCurrent& mc, const AdmittanceMap& map);

/// Writes the grids, G, B, IV, GV and the candidate list to an HDF5 file (atomically).
/// Layout: /v_mV, /omega_rad_per_ms, /frequency_Hz, /G_uS and /B_uS (n_omega x n_v),
/// /iv_nA, /gv_uS, /g_inf_zero_crossings_mV, /candidates/{v_mV, omega_rad_per_ms, kind,
/// residual}, attributes on / (neuron 1-based, dt_ms, capacitance_nF, max_pole_modulus, ...).
void saveAdmittanceMap(const std::string& path, const AdmittanceMap& map, const std::string& modelPath = "");

} // namespace rmm
