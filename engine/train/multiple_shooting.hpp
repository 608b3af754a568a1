// SPDX-License-Identifier: GPL-3.0-or-later
// Multiple shooting (MS) and generalized teacher forcing combined with MS (GTF), docs/method.md
// sections 3.2-3.3, paper Eq. 7-8. Each training range (after its warm-up lead-in) is cut into
// shots of s samples; shot n starts at sample t_n with a trainable initial voltage V0_n (init:
// measured v[t_n]) and trainable filter states X0_n (init: warmed-up states at t_n). Inside a
// shot, for k = 0..s-1:
//     fed_k    = gamma v[t_n + k] + (1 - gamma) pred_k,          pred_0 = V0_n
//     pred_k+1 = fed_k + dt softplus(a) (u[t_n + k] - I(fed_k, x_k)),   x_0 = X0_n
//     x_k+1    = A x_k + B fed_k                                   (every bank of the neuron)
// and the loss of a mini-batch of consecutive shots n0..n0+b-1 of one range is
//     mean_{n,k,i} (pred_k - v[t_n + k])^2 / dt^2
//   + rho_v mean_{n<last,i} (V0_{n+1} - pred_s)^2
//   + rho_x mean_{n<last,states} ((X0_{n+1} - x_s) / dcgain)^2  +  rho sum(penalised theta^2)
// (the conductance low-pass states have unit DC gain). Gradients are exact (hand-written
// adjoints through time, O(n) per filter bank per step), with respect to the model parameters
// and the initial conditions of the mini-batch's shots.
#pragma once
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rmm {

namespace detail {
class MsSimdWork;
}

/// Consecutive shots [begin, end) of one training range (half-open like Segment and TrainingRange).
struct ShotBatch {
    long begin = 0;
    long end = 0;
    long length() const { return end - begin; }
};

template <typename S> class MsProblem {
  public:
    /// Cuts the training ranges into shots and initialises their states. When the model's
    /// normalisation must be computed before (CircuitModel::freezeNormalisation; rmm::train does).
    /// Throws rmm::Error when shot < 2, gamma is outside [0, 1], a training range (after its
    /// lead-in) is shorter than one shot, or threads < 1.
    /// blockColumns: shots per OpenMP task (0: the tuned default of the kernel in use).
    MsProblem(const Dataset& data, const CircuitModel& model, int shot, double gamma, int threads,
              int blockColumns = 0);
    ~MsProblem();
    MsProblem(const MsProblem&) = delete;
    MsProblem& operator=(const MsProblem&) = delete;

    int shotLength() const;
    double gamma() const;
    long shots() const;
    /// Numbers per shot: neurons voltages, then per neuron its intrinsic states, its synaptic
    /// cascade states (when it sends a lumped synapse) and its low-pass states (when it sends a
    /// conductance synapse).
    int stateSize() const;
    /// All shot initial conditions, shot-major (shot n at [n * stateSize(), (n+1) * stateSize())).
    std::vector<S>& shotStates();
    const std::vector<S>& shotStates() const;
    /// D-norm weight 1 / dcgain of every state entry of a shot (1 for the voltages).
    const std::vector<double>& stateWeights() const;
    /// `batches` mini-batches of consecutive shots, each inside one training range; every shot in
    /// exactly one. Ranges get batches in proportion to their shot counts (at least one each).
    std::vector<ShotBatch> makeBatches(int batches) const;
    const std::vector<std::string>& warnings() const;

    /// Loss of one mini-batch at parameters theta (model layout) and the current shot states.
    /// grad (resized to theta.size()) receives dL/dtheta; shotGrad (count * stateSize() values)
    /// receives dL/d(shot states of the batch). Either may be null.
    double evaluate(const std::vector<double>& theta, const ShotBatch& batch, double rho, double rhoV,
                    double rhoX, std::vector<double>* grad, S* shotGrad);

    /// True when evaluate() uses the AVX-512 float32 kernel (float builds with AVX-512, unless
    /// RMM_MS_KERNEL=eigen). setSimdKernel(false) forces the Eigen path; returns the new state.
    bool simdKernel() const;
    bool setSimdKernel(bool on);

  private:
    friend class detail::MsSimdWork;
    struct Impl;
    std::unique_ptr<Impl> d_;
};

/// Adam on shot initial conditions, lazily: a step touches only the shots of its mini-batch, each
/// with its own first/second moments and step count (bias correction with that count).
template <typename S> class ShotAdam {
  public:
    ShotAdam(long shots, int stateSize);
    /// x: all shot states (shot-major); grad: batch.length() * stateSize values.
    void step(std::vector<S>& x, const ShotBatch& batch, const S* grad, double lr);
    int steps(long shot) const { return steps_[static_cast<std::size_t>(shot)]; }

  private:
    int P_ = 0;
    std::vector<S> m1_, m2_;
    std::vector<int> steps_;
};

extern template class MsProblem<float>;
extern template class MsProblem<double>;
extern template class ShotAdam<float>;
extern template class ShotAdam<double>;

} // namespace rmm

namespace rmm {

struct Dataset;
struct TrainingConfig;
struct TrainingResult;
class TrainingObserver;

/// MS / GTF training loop (called by rmm::train after its checks; c.schedule must be filled):
/// Adam on the parameters and, lazily, on the shot initial conditions of each mini-batch (each
/// shot with its own moments and step count); mini-batches visited in a new random order every
/// epoch; validation, snapshots and divergence handling as for teacher forcing. gamma = 0 for
/// MultipleShooting, c.gamma for GeneralizedTeacherForcing.
TrainingResult trainShooting(const Dataset& data, const CircuitModel& initial, const TrainingConfig& c,
                             TrainingObserver* observer);

} // namespace rmm
