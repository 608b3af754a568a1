// SPDX-License-Identifier: GPL-3.0-or-later
// The feed-forward teacher-forcing problem (docs/method.md section 3.1): filter states computed once
// from measured voltage (after warm-up) for every training sample, stored normalised in scalar
// type S (float for training, double for gradient tests); loss and exact gradient of
//   mean_{t in batch, i} ((v_i[t+1] - v_i[t]) / dt - softplus(a_i) (u_i[t] - I_i(v[t], x[t])))^2
//   + rho * sum of squares of the penalised parameter blocks.
#pragma once
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"

#include <Eigen/Core>

#include <memory>
#include <string>
#include <vector>

namespace rmm {

template <typename S> class TfProblem {
  public:
    /// Precomputes features over data.train with the model's input normalisation, which must be
    /// computed before (CircuitModel::freezeNormalisation; rmm::train does). The model structure
    /// (banks, synapses) must not change afterwards. Throws rmm::Error when fewer than 2 training
    /// samples remain after the warm-up lead-ins, or the normalisation is missing.
    TfProblem(const Dataset& data, const CircuitModel& model, int threads, int blockSize = 512);
    ~TfProblem();
    TfProblem(const TfProblem&) = delete;
    TfProblem& operator=(const TfProblem&) = delete;

    long samples() const;
    int threads() const;
    const std::vector<std::string>& warnings() const;

    /// float only, AVX-512 builds only: the hand-vectorised MLP kernel (tf_kernel_simd) instead
    /// of the Eigen GEMM path; on by default when available. Returns whether it is now in use
    /// (always false for double or without AVX-512).
    bool setSimdKernel(bool on);
    bool simdKernel() const;

    /// Builds the sample-major copy of the features that evaluations over scattered samples
    /// (idx != nullptr: shuffled mini-batches) gather from: each sample's features, voltage,
    /// current and target contiguous, so a gather reads a few cache lines per sample instead of
    /// one per feature. Doubles the memory of the features (memoryBytes() counts it); done once,
    /// by the first such evaluation at the latest. Throws std::bad_alloc when memory runs out.
    void prepareScatteredAccess();

    /// Loss over the samples idx[0..count) (or the contiguous range [first, first+count) when
    /// idx == nullptr) at parameters `theta` (model layout), plus rho * L2. When grad != nullptr
    /// it receives the gradient (resized to theta.size()).
    double evaluate(const std::vector<double>& theta, const long* idx, long first, long count, double rho,
                    std::vector<double>* grad);

    /// Bytes held by the precomputed features and workspaces.
    std::size_t memoryBytes() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

extern template class TfProblem<float>;
extern template class TfProblem<double>;

} // namespace rmm
