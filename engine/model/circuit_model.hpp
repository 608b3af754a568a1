// SPDX-License-Identifier: GPL-3.0-or-later
// The circuit model (docs/method.md section 2, Eq. 1-2): per neuron a forward-Euler voltage equation
//   v_i[t+1] = v_i[t] + dt softplus(a_i) (u_i - I_int_i - I_leak_i - sum_j I_syn_ij)
// with an intrinsic MLP on q(v_i, w_i), a leak softplus(g_i) v_i + b_i, and per synapse j -> i
// either a lumped MLP on q(v_i, z_j) or a conductance synapse (Eq. 19).
// All trainable parameters live in one flat double vector described by named blocks; the input
// normalisation q is frozen from the training data and is not trainable.
#pragma once
#include "engine/config/model_config.hpp"
#include "engine/model/filter_bank.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace rmm {

struct Dataset;
struct Segment;

enum class ParamKind {
    MlpWeight,  ///< hidden-layer weight matrix (rows = outputs, cols = inputs), L2-penalised
    MlpBias,    ///< hidden-layer bias (not penalised)
    MlpReadout, ///< linear readout row, no bias, L2-penalised
    InvCap,     ///< a: 1/C = softplus(a) (not penalised)
    LeakG,      ///< g: leak conductance softplus(g) (penalised)
    LeakB,      ///< b: leak offset (not penalised)
    Gbar,       ///< conductance synapse: softplus(gbar) (penalised)
    CondW1,     ///< conductance synapse: softplus(W1) (H x n_z) (penalised)
    CondB1,     ///< conductance synapse: b1 (H) (not penalised)
    CondW2,     ///< conductance synapse: softplus(W2) (H) readout (penalised)
};

/// A named slice of the flat parameter vector, a rows x cols row-major matrix.
struct ParamBlock {
    std::string name; ///< e.g. "neuron1/intrinsic/W2", "synapse0to1/lumped/readout"
    ParamKind kind;
    long offset = 0;
    int rows = 0;
    int cols = 0;
    bool penalised = false; ///< part of the L2 term rho * sum(theta^2)
    long size() const { return static_cast<long>(rows) * cols; }
};

/// Block indices of one MLP: hidden layers W[l], b[l] (tanh), then a linear readout without bias.
struct MlpIndex {
    int inputs = 0;
    std::vector<int> hidden; ///< widths
    std::vector<int> W, b;   ///< block indices per hidden layer
    int readout = -1;        ///< block index (1 x last width)
};

struct NeuronIndex {
    int a = -1, g = -1, b = -1; ///< block indices (1 x 1)
    MlpIndex intrinsic;         ///< inputs: 1 + intrinsic bank size
};

struct SynapseIndex {
    SynapseConfig config;
    MlpIndex lumped;                          ///< kind == Lumped; inputs 1 + synaptic bank size
    int gbar = -1, W1 = -1, b1 = -1, W2 = -1; ///< kind == Conductance
};

/// Frozen affine input map q of one neuron: x -> 2 (x - lo) / (hi - lo) - 1 for its voltage,
/// its intrinsic-bank states w and its synaptic-bank states z (driven by its own voltage, so the
/// synapses it sends share them). A constant input (hi == lo) maps to x - lo.
struct InputNormalisation {
    double v_lo = -1, v_hi = 1;
    Eigen::VectorXd w_lo, w_hi;
    Eigen::VectorXd z_lo, z_hi;
};

/// One input's map q(x) = scale x + offset: [lo, hi] to [-1, 1], x - lo when hi == lo (the
/// normalisation above, and the conductance synapses' fixed activation range).
struct AffineMap {
    double scale = 1, offset = 0;
    static AffineMap of(double lo, double hi)
    {
        if (hi > lo)
            return {2.0 / (hi - lo), -1.0 - 2.0 * lo / (hi - lo)};
        return {1.0, -lo};
    }
    double operator()(double x) const { return scale * x + offset; }
};

/// Every input map q of a model (docs/method.md section 2): per neuron its voltage's, its intrinsic
/// states' and its synaptic states' (from the frozen normalisation), and the conductance synapses'
/// activation range. The one place the maps are built (CircuitModel::inputMaps), for simulation,
/// teacher forcing, multiple shooting and the analysis.
struct InputMaps {
    struct Neuron {
        AffineMap v;
        std::vector<AffineMap> w, z;
    };
    std::vector<Neuron> neurons;
    AffineMap activation;
};

/// The filter-bank states of one neuron, every bank driven by its own voltage: the intrinsic bank
/// w, the synaptic bank z (read by the synapses it sends) and the conductance synapses' low-pass
/// c. A part not asked for (or that the model does not have) is empty.
struct NeuronStates {
    Eigen::VectorXd w, z, c;
};

class CircuitModel {
  public:
    /// Builds the model from a finalized config (non-empty tau sets; `synapses` as listed; an
    /// empty list means no synapses). Nguyen-Widrow initialisation from a seeded RNG: the same
    /// seed gives the same model. Throws rmm::Error on invalid settings (tau <= 0, widths < 1,
    /// neuron index out of range, dt <= 0, activation range empty).
    static CircuitModel initialize(const ModelConfig& cfg, double dtMs, std::uint64_t seed);

    const ModelConfig& config() const { return cfg_; }
    double dtMs() const { return dt_; }
    int neurons() const { return cfg_.neurons; }
    int synapseCount() const { return static_cast<int>(syn_.size()); }
    const FilterBank& intrinsicBank() const { return intBank_; }
    const FilterBank& synapticBank() const { return synBank_; }
    const LowpassBank& conductanceBank() const { return condBank_; }
    bool hasConductanceSynapses() const;
    bool hasLumpedSynapses() const;

    // Parameters
    const std::vector<ParamBlock>& blocks() const { return blocks_; }
    const NeuronIndex& neuronIndex(int i) const { return neu_[static_cast<std::size_t>(i)]; }
    const SynapseIndex& synapseIndex(int s) const { return syn_[static_cast<std::size_t>(s)]; }
    int parameterCount() const { return static_cast<int>(theta_.size()); }
    const std::vector<double>& flatParameters() const { return theta_; }
    /// Throws rmm::Error when the size differs from parameterCount().
    void setFlatParameters(const std::vector<double>& theta);
    const double* blockData(int block) const
    {
        return theta_.data() + blocks_[static_cast<std::size_t>(block)].offset;
    }
    double* blockData(int block) { return theta_.data() + blocks_[static_cast<std::size_t>(block)].offset; }
    /// sum of squares of the penalised blocks (the L2 term without rho).
    double l2Norm2() const;
    /// True when every parameter is finite.
    bool finite() const;
    /// "neuron0/intrinsic/W1[3]": the block holding flat parameter p and the index inside it.
    std::string parameterName(long p) const;
    /// "" when parameter vector theta (this model's layout) is sane: finite, every |theta_p| at
    /// most kParameterBound and every capacitance 1/softplus(a_i) at most kMaxCapacitanceNf;
    /// otherwise a phrase naming the first offending parameter and its value.
    std::string parameterProblem(const std::vector<double>& theta) const;
    /// "" when every parameter and every normalisation bound is finite; otherwise a sentence
    /// naming the first that is not (parameter block and index, or neuron and bound).
    std::string nonFiniteProblem() const;

    // Input normalisation q (frozen before training)
    const std::vector<InputNormalisation>& normalisation() const { return norm_; }
    void setNormalisation(std::vector<InputNormalisation> n); ///< checks sizes
    bool normalisationFrozen() const { return frozen_; }
    /// Throws rmm::Error naming `who` (the simulation or trainer that needs it) when the
    /// normalisation was never computed.
    void requireNormalisation(const std::string& who) const;
    /// min/max of v and of the warmed-up bank states over the training segments of `data`
    /// (warm-up policy: trainingLeadIn). Appends warnings (short warm-up) when given.
    void freezeNormalisation(const Dataset& data, std::vector<std::string>* warnings = nullptr);
    /// The input maps of the frozen normalisation (and of the activation range); throws rmm::Error
    /// when the normalisation does not cover every neuron.
    InputMaps inputMaps() const;
    /// The normalisation of freezeNormalisation as a value (the model unchanged).
    std::vector<InputNormalisation> normalisationFor(const Dataset& data,
                                                     std::vector<std::string>* warnings = nullptr) const;

    /// The warm-up of docs/method.md section 2 (Methods 3.3.1), the one of simulation, teacher forcing,
    /// multiple shooting and the normalisation: one neuron's banks run twice over its measured
    /// voltage v[0, n), from the DC state of v[0]; n = 0 (no lead-in before the data) gives the DC
    /// state of v[0]. z and c only when asked for and the model has them.
    NeuronStates warmUpStates(const double* v, long n, bool synaptic, bool conductance) const;
    /// One step of every bank `s` holds on voltage v.
    void stepStates(NeuronStates& s, double v) const;

    /// 1/C_i = softplus(a_i), leak conductance softplus(g_i), leak offset b_i.
    double invCap(int neuron) const;
    double leakConductance(int neuron) const;
    double leakOffset(int neuron) const;

  private:
    ModelConfig cfg_;
    double dt_ = 0;
    FilterBank intBank_, synBank_;
    LowpassBank condBank_;
    std::vector<ParamBlock> blocks_;
    std::vector<NeuronIndex> neu_;
    std::vector<SynapseIndex> syn_;
    std::vector<double> theta_;
    std::vector<InputNormalisation> norm_;
    bool frozen_ = false;

    int addBlock(const std::string& name, ParamKind kind, int rows, int cols);
    MlpIndex addMlp(const std::string& prefix, int inputs, const std::vector<int>& hidden);
};

/// Magnitude no parameter of a sane model reaches (README, "Limits"). Every parameter is in
/// physical units or acts on inputs normalised to [-1, 1]: a softplus argument of 1e4 is a
/// conductance of 1e4 uS (10 mS, an input resistance of 100 ohm) or 1/C = 1e4 /nF (C = 0.1 pF,
/// below any cell); a readout weight or leak offset of 1e4 is a current of 10 uA; a hidden
/// weight of 1e4 switches its tanh within 1e-4 of the input range (0.01 mV of 100 mV), below
/// the noise of any recording. Training stops as diverged when a parameter leaves this bound.
inline constexpr double kParameterBound = 1e4;

/// Largest membrane capacitance a sane model has: 1e6 nF (1 mF), the largest value
/// model.capacitance_nF accepts and orders of magnitude above any cell (neurons: 0.01-10 nF).
inline constexpr double kMaxCapacitanceNf = 1e6;

/// Checks a config without building anything (the checks of CircuitModel::initialize).
void validateModelConfig(const ModelConfig& cfg, double dtMs);

/// Warm-up lead-in used for a TRAINING segment of `length` samples when the bank needs M samples:
/// min(M, length / 2); the lead-in samples are discarded from the loss (paper Methods 3.3.1).
long trainingLeadIn(long length, long M);

/// softplus and its inverse, numerically safe.
double softplus(double x);
double inverseSoftplus(double y);

} // namespace rmm
