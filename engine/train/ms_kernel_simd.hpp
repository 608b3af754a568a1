// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to multiple_shooting.cpp: the AVX-512 float32 backend of the multiple-shooting loop
// (ms_loop.hpp) for MsProblem<float>. One shot per SIMD lane, groups of 16 shots; the loop's
// s-step forward simulation and its adjoint (BPTT) of a group run on V = 16-float vectors, with
// every per-step quantity of the block stored tile by tile (tile t = group * s + step) so that the
// weight gradients of all steps and groups are register-tiled outer products after the loop. The
// loop is the Eigen backend's (ms_block.hpp); only the layout and the batched kernels differ.
// Without AVX-512 the kernel is not built (simdMsAvailable() is false) and the Eigen path is used.
#pragma once
#include "engine/model/circuit_kernels.hpp"
#include "engine/train/multiple_shooting.hpp"

#include <memory>

namespace rmm {
struct MsScales;
}

namespace rmm::detail {

/// True when this build has the AVX-512 multiple-shooting kernel.
bool simdMsAvailable();

/// Per-thread workspace of the kernel for blocks of up to maxShots shots.
class MsSimdWork {
  public:
    using Problem = MsProblem<float>::Impl;
    MsSimdWork(const Problem& d, int maxShots);
    ~MsSimdWork();
    MsSimdWork(MsSimdWork&&) noexcept;
    MsSimdWork& operator=(MsSimdWork&&) noexcept;

    /// Shots [first + c0, first + c0 + bc) of the mini-batch [first, first + count): adds the loss
    /// to `loss`, the (raw, before the softplus chain rule) parameter gradients to g, continuity
    /// gradients to d.cont and writes the shots' state gradients to shotGrad (when not null).
    void runBlock(Problem& d, const TypedCircuit<float>& tc, long first, long count, long c0, int bc,
                  const MsScales& sc, bool wantGrad, float* shotGrad, float* g, double& loss);

    struct Impl; ///< the buffers, tile by tile (ms_kernel_simd.cpp)

  private:
    std::unique_ptr<Impl> d_;
};

} // namespace rmm::detail
