// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to multiple_shooting.cpp and ms_kernel_simd.cpp: the state of an MsProblem
// (MsProblem<S>::Impl: the shots, their data, the normalisation and banks in S, the per-thread
// workspaces) and, in ms_block.hpp included at the end, the Eigen backend of the loop that
// simulates a block of shots and runs its exact adjoint (ms_loop.hpp). In the Eigen workspaces
// shots are columns; every per-step quantity is stored as rows x (s * bc) with step k in columns
// [k bc, (k + 1) bc), so that the weight gradients of all steps are one matrix product per layer
// after the time loop.
// Workspaces are allocated once per thread; nothing is allocated inside the time loop.
#pragma once
#include "engine/model/circuit_kernels.hpp"
#include "engine/train/ms_kernel_simd.hpp"
#include "engine/train/multiple_shooting.hpp"

#include <Eigen/Core>

#include <vector>

namespace rmm {

struct MsScales {
    double data = 0; ///< 1 / (b s n dt^2)
    double v = 0;    ///< rho_v / ((b - 1) n)
    double x = 0;    ///< rho_x / ((b - 1) states)
};

template <typename S> struct MsProblem<S>::Impl {
    using Mat = detail::RowMat<S>;
    using View = Eigen::Map<Mat, 0, Eigen::OuterStride<>>;
    using Row = Eigen::Map<detail::RowVec<S>, 0, Eigen::InnerStride<1>>;

    CircuitModel layout;
    int n = 0, nw = 0, nz = 0, nc = 0, s = 2, P = 0;
    double gamma = 0, dt = 0;
    int threads = 1, Bc = 0;  // Bc: block width of the allocated workspaces (0: none yet)
    int userBc = 0;           // requested block width (0: the kernel's default)
    bool simd = false;        // float32 AVX-512 kernel (ms_kernel_simd.cpp) instead of runBlock
    bool eigenArrays = false; // Ws holds the Eigen path's per-step arrays
    /// Shots per OpenMP task: the Eigen path packs GEMM operands and likes wide blocks; the SIMD
    /// kernel keeps a block's per-step activations in cache and likes narrow ones.
    static constexpr int kEigenBlock = 128, kSimdBlock = 32;
    std::vector<int> wOff, zOff, cOff; // per neuron, -1 when absent
    struct ShotInfo {
        int trial;
        long t0;
    };
    std::vector<ShotInfo> shotInfo;
    std::vector<ShotBatch> rangeShots; ///< per training range, its shots [begin, end)
    std::vector<S> X;                  // shot states
    std::vector<S> cont;               // continuity gradients on the next shots' initial conditions
    std::vector<double> weight;        // 1 / dcgain per state entry
    std::vector<Mat> vm, um;           // measured voltage / current per trial
    std::vector<std::string> warnings;
    // Normalisation and banks in S.
    std::vector<S> avS, avO;
    std::vector<detail::Vec<S>> awS, awO, azS, azO;
    S cS = 1, cO = 0;
    detail::Vec<S> pI, sI, pZ, sZ, lC;

    struct Mlp {
        std::vector<Mat> H, D; // per layer, h x L
        Mat gOut;              // 1 x L: dL/d(output) per step
        Mat out;               // 1 x L: output per step (conductance: s)
    };
    struct Ws {
        Mat Vm, Um, Pred, Fed, Iu;   // n x L
        std::vector<Mat> Xi, Xz, Xc; // per neuron: normalised inputs, (1 + nw) / nz / nc x L
        std::vector<Mlp> intr, syn;
        Mat pred, gP, gFed, gI;               // n x Bc
        std::vector<Mat> w, z, c, gw, gz, gc; // per neuron: states / adjoints x Bc
        Mat dX;                               // maxInputs x Bc
        Mat e, t1;                            // 1 x Bc
        detail::Vec<S> g;
        double loss = 0;
    };
    std::vector<Ws> ws;
    std::vector<detail::MsSimdWork> simdWs; // per thread, float only

    /// (Re)allocates the per-thread workspaces of the selected path when needed (not in the
    /// time loop: once, and again only after a kernel switch).
    void ensureWorkspaces()
    {
        const int width = userBc > 0 ? userBc : (simd ? kSimdBlock : kEigenBlock);
        if constexpr (std::is_same_v<S, float>) {
            if (simd) {
                if (simdWs.size() != static_cast<std::size_t>(threads) || Bc != width) {
                    Bc = width;
                    simdWs.clear();
                    for (int k = 0; k < threads; ++k)
                        simdWs.emplace_back(*this, Bc);
                }
                if (ws.size() != static_cast<std::size_t>(threads)) {
                    ws.resize(static_cast<std::size_t>(threads));
                    for (auto& w : ws)
                        w.g.resize(layout.parameterCount());
                }
                return;
            }
        }
        if (!eigenArrays || Bc != width) {
            Bc = width;
            allocate();
            eigenArrays = true;
        }
    }

    long L() const { return static_cast<long>(s) * Bc; }
    /// Columns [k bc, (k + 1) bc) of a per-step array (k = 0 for the n x Bc current-state arrays).
    static View at(Mat& M, int k, int bc)
    {
        return View(M.data() + static_cast<long>(k) * bc, M.rows(), bc, Eigen::OuterStride<>(M.cols()));
    }
    /// First `cols` columns (all steps) of a per-step array.
    static View all(Mat& M, long cols)
    {
        return View(M.data(), M.rows(), cols, Eigen::OuterStride<>(M.cols()));
    }
    /// Row r, columns [k bc, (k + 1) bc).
    static Row row(Mat& M, int r, int k, int bc)
    {
        return Row(M.data() + static_cast<long>(r) * M.cols() + static_cast<long>(k) * bc, bc);
    }

    void setupLayout()
    {
        const auto& m = layout;
        n = m.neurons();
        nw = m.intrinsicBank().size();
        nz = m.synapticBank().size();
        nc = m.hasConductanceSynapses() ? m.conductanceBank().size() : 0;
        std::vector<bool> hz(static_cast<std::size_t>(n), false), hc(static_cast<std::size_t>(n), false);
        for (int q = 0; q < m.synapseCount(); ++q) {
            const auto& sc = m.synapseIndex(q).config;
            (sc.kind == SynapseKind::Lumped ? hz : hc)[static_cast<std::size_t>(sc.pre)] = true;
        }
        P = n;
        weight.assign(static_cast<std::size_t>(n), 1.0);
        const Eigen::VectorXd gI = m.intrinsicBank().dcGain();
        const Eigen::VectorXd gZ = nz ? m.synapticBank().dcGain() : Eigen::VectorXd();
        auto inv = [](double g) { return std::abs(g) > 1e-12 ? 1.0 / g : 1.0; };
        for (int i = 0; i < n; ++i) {
            wOff.push_back(P);
            P += nw;
            for (int k = 0; k < nw; ++k)
                weight.push_back(inv(gI[k]));
            zOff.push_back(hz[static_cast<std::size_t>(i)] && nz ? P : -1);
            if (zOff.back() >= 0) {
                P += nz;
                for (int k = 0; k < nz; ++k)
                    weight.push_back(inv(gZ[k]));
            }
            cOff.push_back(hc[static_cast<std::size_t>(i)] && nc ? P : -1);
            if (cOff.back() >= 0) {
                P += nc;
                weight.insert(weight.end(), static_cast<std::size_t>(nc), 1.0);
            }
        }
        const InputMaps maps = m.inputMaps();
        for (int i = 0; i < n; ++i) {
            const InputMaps::Neuron& q = maps.neurons[static_cast<std::size_t>(i)];
            avS.push_back(static_cast<S>(q.v.scale));
            avO.push_back(static_cast<S>(q.v.offset));
            detail::Vec<S> ws_(nw), wo(nw), zs(nz), zo(nz);
            for (int k = 0; k < nw; ++k) {
                ws_[k] = static_cast<S>(q.w[static_cast<std::size_t>(k)].scale);
                wo[k] = static_cast<S>(q.w[static_cast<std::size_t>(k)].offset);
            }
            for (int k = 0; k < nz; ++k) {
                zs[k] = static_cast<S>(q.z[static_cast<std::size_t>(k)].scale);
                zo[k] = static_cast<S>(q.z[static_cast<std::size_t>(k)].offset);
            }
            awS.push_back(ws_);
            awO.push_back(wo);
            azS.push_back(zs);
            azO.push_back(zo);
        }
        cS = static_cast<S>(maps.activation.scale);
        cO = static_cast<S>(maps.activation.offset);
        pI = m.intrinsicBank().poles().cast<S>();
        sI = m.intrinsicBank().gains().cast<S>();
        if (nz) {
            pZ = m.synapticBank().poles().cast<S>();
            sZ = m.synapticBank().gains().cast<S>();
        }
        if (nc)
            lC = m.conductanceBank().poles().cast<S>();
    }

    void allocate()
    {
        const auto& cfg = layout.config();
        const long Lc = L();
        auto mlp = [&](const std::vector<int>& hidden) {
            Mlp a;
            for (int h : hidden) {
                a.H.emplace_back(h, Lc);
                a.D.emplace_back(h, Lc);
            }
            a.gOut.resize(1, Lc);
            a.out.resize(1, Lc);
            return a;
        };
        ws.resize(static_cast<std::size_t>(threads));
        for (auto& w : ws) {
            for (Mat* M : {&w.Vm, &w.Um, &w.Pred, &w.Fed, &w.Iu})
                M->resize(n, Lc);
            for (Mat* M : {&w.pred, &w.gP, &w.gFed, &w.gI})
                M->resize(n, Bc);
            w.Xi.clear();
            w.Xz.clear();
            w.Xc.clear();
            w.w.clear();
            w.z.clear();
            w.c.clear();
            w.gw.clear();
            w.gz.clear();
            w.gc.clear();
            for (int i = 0; i < n; ++i) {
                const bool hz = zOff[static_cast<std::size_t>(i)] >= 0,
                           hc = cOff[static_cast<std::size_t>(i)] >= 0;
                w.Xi.emplace_back(1 + nw, Lc);
                w.Xz.emplace_back(hz ? nz : 0, Lc);
                w.Xc.emplace_back(hc ? nc : 0, Lc);
                w.w.emplace_back(nw, Bc);
                w.gw.emplace_back(nw, Bc);
                w.z.emplace_back(hz ? nz : 0, Bc);
                w.gz.emplace_back(hz ? nz : 0, Bc);
                w.c.emplace_back(hc ? nc : 0, Bc);
                w.gc.emplace_back(hc ? nc : 0, Bc);
            }
            w.intr.clear();
            for (int i = 0; i < n; ++i)
                w.intr.push_back(mlp(cfg.intrinsic_hidden));
            w.syn.clear();
            for (int q = 0; q < layout.synapseCount(); ++q)
                w.syn.push_back(layout.synapseIndex(q).config.kind == SynapseKind::Lumped
                                    ? mlp(cfg.lumped_hidden)
                                    : mlp({cfg.conductance_hidden}));
            w.dX.resize(std::max({1 + nw, 1 + nz, nc, 1}), Bc);
            w.e.resize(1, Bc);
            w.t1.resize(1, Bc);
            w.g.resize(layout.parameterCount());
        }
    }

    struct EigenShots; // the Eigen backend of msloop::runShots (ms_block.hpp)
    void runBlock(const detail::TypedCircuit<S>& tc, Ws& w, long first, long count, long c0, int bc,
                  const MsScales& sc, bool wantGrad, S* shotGrad);
};

} // namespace rmm

#include "engine/train/ms_block.hpp"
