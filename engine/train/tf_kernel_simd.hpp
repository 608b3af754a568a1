// SPDX-License-Identifier: GPL-3.0-or-later
// Internal: float32 forward + backward of one tanh MLP over a block of teacher-forcing samples,
// one sample per SIMD lane (16 lanes), with weight gradients accumulated in register tiles.
// Only compiled to real code when AVX-512 is available (simdMlpAvailable()); otherwise the
// Eigen path of tf_problem.cpp is used.
#pragma once
#include "engine/model/circuit_kernels.hpp"

#include <memory>
#include <vector>

namespace rmm::detail {

/// True when this build has the AVX-512 kernel.
bool simdMlpAvailable();

/// Per-thread, per-MLP workspace for blocks of up to `maxSamples` samples.
class SimdMlpWork {
  public:
    SimdMlpWork(int inputs, const std::vector<int>& hidden, int maxSamples);
    ~SimdMlpWork();
    SimdMlpWork(SimdMlpWork&&) noexcept;
    SimdMlpWork& operator=(SimdMlpWork&&) noexcept;

    /// Copies `rows` input rows (row r at base + r * stride, b samples each) into input rows
    /// [row0, row0 + rows) of the block; lanes past b are zero.
    void loadInputs(int row0, int rows, const float* base, long stride, int b);

    /// Forward over b samples (inputs loaded); the readout values go to out[0..b).
    void forward(const TypedMlp<float>& mlp, int b, float* out);

    /// Backward from dOut[0..b) (dLoss/dOut); adds the gradients of all weights, biases and the
    /// readout to g at the blocks named by `mi` (offsets from m.blocks()).
    void backward(const CircuitModel& m, const MlpIndex& mi, const TypedMlp<float>& mlp, const float* dOut,
                  int b, float* g);

  private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace rmm::detail
