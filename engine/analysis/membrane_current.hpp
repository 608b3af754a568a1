// SPDX-License-Identifier: GPL-3.0-or-later
// The total membrane current of one neuron as an explicit input-output system (paper Eq. 27):
//     x[t+1] = A x[t] + B v[t],     y[t] = h(v[t], x[t])
// with h = leak + intrinsic MLP (+ optionally the synapses onto the neuron), A block-diagonal
// and lower-triangular (one block per filter bank), evaluated in double precision together with
// its exact Jacobian (dh/dv, dh/dx) by a reverse pass through each MLP and the chain rule
// through the frozen input map q. This is what the admittance analysis linearises.
//
// With synapses (a setting): every synapse j -> i onto the neuron is added to h with its
// presynaptic filter bank driven by the SAME voltage v as the neuron itself, i.e. the whole
// circuit is clamped to one voltage and perturbed by one sinusoid. This is the "circuit at
// equal voltage" reading of the admittance of the total current; without synapses (the
// default, as in the paper's Figure 6) the synaptic inputs are treated as external.
#pragma once
#include "engine/model/circuit_kernels.hpp"
#include "engine/model/circuit_model.hpp"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace rmm {

/// y = r . tanh(W_L ... tanh(W_1 [q_v(v); q_x(x_k)] + b_1) ... + b_L); no readout bias. The
/// weights are the model's, read as the simulation and the trainers read them
/// (detail::TypedCircuit).
struct MlpCurrent {
    std::string name;
    detail::TypedMlp<double> net; ///< hidden layer l: W[l] rows = width, cols = inputs; readout r
    AffineMap vIn;                ///< q of the voltage input (column 0 of W_1)
    std::vector<AffineMap> xIn;   ///< q of each state input (columns 1.. of W_1)
    int stateOffset = 0;          ///< first index of its states in the neuron's state vector
};

/// Conductance synapse (Eq. 19): gbar * sum_k W2_k sigmoid(sum_l W1_kl q(z_l) + b1_k) * (v - E),
/// weights already passed through softplus (the model's synapse as detail::TypedCircuit reads it).
struct ConductanceCurrent {
    std::string name;
    detail::TypedCircuit<double>::Synapse syn; ///< gbar, W1 (H x n_z), b1 (H), W2 (1 x H)
    AffineMap zIn;                             ///< the fixed activation range mapped to [-1, 1]
    double eRev = -80;
    int stateOffset = 0;
    int stateCount = 0;
};

class MembraneCurrent {
  public:
    double dtMs = 0.1;
    double capacitance = 1; ///< C = 1 / softplus(a), nF
    double gLeak = 0;       ///< softplus(g), µS
    double bLeak = 0;       ///< leak offset, nA
    std::vector<MlpCurrent> mlps;
    std::vector<ConductanceCurrent> conductances;

    /// Appends a filter block (lower-triangular a, column b) to the state space; returns its offset.
    int appendStates(const Eigen::MatrixXd& a, const Eigen::VectorXd& b);
    int stateSize() const { return static_cast<int>(B_.size()); }
    const Eigen::MatrixXd& A() const { return A_; }
    const Eigen::VectorXd& B() const { return B_; }
    /// Largest |pole| of the state dynamics (|diagonal| of the lower-triangular A); 0 when stateless.
    double maxPoleModulus() const;
    /// (I - A)^{-1} B: the equilibrium state for a unit constant voltage. Throws rmm::Error when
    /// the dynamics are not contracting (a pole on or outside the unit circle).
    Eigen::VectorXd dcGain() const;

    /// h(v, x), nA.
    double value(double v, const Eigen::VectorXd& x) const;
    /// h(v, x) and its exact partial derivatives dh/dv (µS) and dh/dx (row, one per state).
    double evaluate(double v, const Eigen::VectorXd& x, double& dhdv, Eigen::RowVectorXd& dhdx) const;
    /// x <- A x + B v.
    void step(Eigen::VectorXd& x, double v) const;

    /// Throws rmm::Error when a block's sizes do not match the state vector.
    void check() const;

  private:
    Eigen::MatrixXd A_ = Eigen::MatrixXd(0, 0);
    Eigen::VectorXd B_ = Eigen::VectorXd(0);
};

/// The membrane current of neuron `neuron` (0-based) of a model: leak + intrinsic MLP on its
/// intrinsic bank, and with `withSynapses` every synapse onto it (lumped MLPs on the synaptic
/// bank, conductance synapses on the low-pass bank), their banks driven by the same voltage.
/// Throws rmm::Error when the neuron index is out of range.
MembraneCurrent membraneCurrent(const CircuitModel& model, int neuron, bool withSynapses);

} // namespace rmm
