// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/tf_problem.hpp"

#include "engine/core/error.hpp"
#include "engine/model/circuit_kernels.hpp"
#include "engine/model/circuit_step.hpp"
#include "engine/model/training_samples.hpp"
#include "engine/train/tf_kernel_simd.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <type_traits>

namespace rmm {

using detail::RowMat;
using detail::RowVec;
using detail::TypedCircuit;
using detail::TypedMlp;
using detail::Vec;

namespace {

template <typename S> using CView = Eigen::Map<const RowMat<S>, 0, Eigen::OuterStride<>>;
template <typename S> using MMap = Eigen::Map<RowMat<S>>;
template <typename S> using RMap = Eigen::Map<RowVec<S>>;
template <typename S> using CRMap = Eigen::Map<const RowVec<S>, 0, Eigen::InnerStride<1>>;

/// Activations of one MLP for one block: H[l] = tanh(W_l H[l-1] + b_l), out = r H[L-1]; D[l] the
/// layers' deltas in the backward pass.
template <typename S> struct MlpActs {
    std::vector<Vec<S>> H, D; // Eigen-aligned: reductions must not depend on malloc alignment
    Vec<S> out;
};

} // namespace

template <typename S> struct TfProblem<S>::Impl {
    CircuitModel layout; // structure and normalisation (parameters come with each call)
    int n = 0, nw = 0, nz = 0, nc = 0, R = 0;
    long N = 0;
    int B = 512;
    int threads = 1;
    bool simd = false;        // float only: the AVX-512 MLP kernel instead of Eigen GEMMs
    std::vector<RowMat<S>> F; // per neuron: R x N, rows [vn, wn (nw), zn (nz), cn (nc)]
    RowMat<S> V, U, Y;        // n x N: raw v, injected u, target (v[t+1]-v[t])/dt
    // Per neuron, N x (R + 3): sample t's column of F, then V, U, Y at t (prepareScatteredAccess;
    // empty until the first evaluation over scattered samples).
    std::vector<RowMat<S>> Fs;
    std::vector<std::string> warnings;

    struct Workspace {
        std::vector<RowMat<S>> Fg;    // gathered features (R x B) per neuron
        RowMat<S> Vg, Ug, Yg;         // gathered n x B
        std::vector<MlpActs<S>> intr; // per neuron
        std::vector<MlpActs<S>> syn;  // per synapse (lumped: MLP; conductance: H[0] = sigmoid layer, out = s)
        Vec<S> I, dI;                 // n x B
        Vec<S> T1, T2;                // 1 x B scratch
        Vec<S> g;                     // gradient accumulator (effective parameters)
        std::vector<detail::SimdMlpWork> sintr, ssyn; // SIMD kernel workspaces (lumped synapses only)
        double loss = 0;
    };
    std::vector<Workspace> ws;

    void allocate();
    void processBlock(const TypedCircuit<S>& tc, Workspace& w, const long* idx, long first, int b, S scale);
};

namespace {

template <typename S> void forwardMlp(const TypedMlp<S>& mlp, MlpActs<S>& a, int b)
{
    // a.H[0] holds W_0 x (pre-activation without bias) on entry.
    detail::mlpForwardBlock(
        mlp, [&](std::size_t l) { return MMap<S>(a.H[l].data(), mlp.W[l].rows(), b); },
        RMap<S>(a.out.data(), b));
}

/// Backprop from dOut (1 x b) through the MLP (detail::mlpBackwardBlock: a.D[l] receives each
/// layer's delta, a.D[0] the first layer's for the caller's W_0 and input gradients); accumulates
/// the readout, hidden weights (l >= 1) and all bias gradients into g.
template <typename S>
void backwardMlp(const CircuitModel& m, const MlpIndex& mi, const TypedMlp<S>& mlp, MlpActs<S>& a,
                 const S* dOut, int b, Vec<S>& g)
{
    auto layer = [&](std::size_t l) {
        return Eigen::Map<const RowMat<S>>(a.H[l].data(), mlp.W[l].rows(), b);
    };
    auto delta = [&](std::size_t l) { return MMap<S>(a.D[l].data(), mlp.W[l].rows(), b); };
    const Eigen::Map<const RowVec<S>> dO(dOut, b);
    detail::mlpBackwardBlock(mlp, layer, delta, dO);
    detail::mlpWeightGradients(m, mi, g.data(), layer, delta, dO);
}

} // namespace

template <typename S> void TfProblem<S>::Impl::allocate()
{
    ws.resize(static_cast<std::size_t>(threads));
    auto makeActs = [&](const std::vector<int>& hidden) {
        MlpActs<S> a;
        for (int h : hidden) {
            a.H.emplace_back(static_cast<Eigen::Index>(h) * B);
            a.D.emplace_back(static_cast<Eigen::Index>(h) * B);
        }
        a.out.resize(B);
        return a;
    };
    for (auto& w : ws) {
        w.Fg.assign(static_cast<std::size_t>(n), RowMat<S>(R, B));
        w.Vg.resize(n, B);
        w.Ug.resize(n, B);
        w.Yg.resize(n, B);
        w.intr.clear();
        for (int i = 0; i < n; ++i)
            w.intr.push_back(makeActs(layout.config().intrinsic_hidden));
        w.syn.clear();
        for (int s = 0; s < layout.synapseCount(); ++s)
            w.syn.push_back(layout.synapseIndex(s).config.kind == SynapseKind::Lumped
                                ? makeActs(layout.config().lumped_hidden)
                                : makeActs({layout.config().conductance_hidden}));
        w.I.resize(static_cast<Eigen::Index>(n) * B);
        w.dI.resize(static_cast<Eigen::Index>(n) * B);
        w.T1.resize(B);
        w.T2.resize(B);
        w.g.resize(layout.parameterCount());
        w.sintr.clear();
        w.ssyn.clear();
        if constexpr (std::is_same_v<S, float>) {
            if (detail::simdMlpAvailable()) {
                for (int i = 0; i < n; ++i)
                    w.sintr.emplace_back(1 + nw, layout.config().intrinsic_hidden, B);
                for (int s = 0; s < layout.synapseCount(); ++s)
                    w.ssyn.emplace_back(1 + nz, layout.config().lumped_hidden, B);
            }
        }
    }
}

template <typename S>
TfProblem<S>::TfProblem(const Dataset& data, const CircuitModel& model, int threads, int blockSize)
    : d_(new Impl)
{
    if (threads < 1)
        throw Error("training.threads must be >= 1 (got " + std::to_string(threads) + ")");
    if (blockSize < 1)
        throw Error("TF block size must be >= 1");
    auto& d = *d_;
    model.requireNormalisation("teacher forcing");
    d.layout = model;
    d.threads = threads;
    d.B = blockSize;
    d.n = model.neurons();
    d.nw = model.intrinsicBank().size();
    d.nz = model.synapticBank().size();
    d.nc = model.hasConductanceSynapses() ? model.conductanceBank().size() : 0;
    d.R = 1 + d.nw + d.nz + d.nc;
    const auto ranges = trainingRanges(model, data, &d.warnings);
    for (const auto& r : ranges)
        d.N += r.steps();
    if (d.N < 2)
        throw Error(
            "teacher forcing needs at least 2 training samples after the warm-up lead-in; the training "
            "segments give " +
            std::to_string(d.N));
    d.F.resize(static_cast<std::size_t>(d.n));
    for (auto& f : d.F)
        f.resize(d.R, d.N); // no temporary copy: these are the largest arrays of training
    d.V.resize(d.n, d.N);
    d.U.resize(d.n, d.N);
    d.Y.resize(d.n, d.N);

    const InputMaps maps = model.inputMaps();
    const double dt = model.dtMs();
    long col0 = 0;
    for (const auto& r : ranges) {
        const auto& tr = data.trials[static_cast<std::size_t>(r.trial)];
#pragma omp parallel for num_threads(std::min(threads, d.n)) schedule(static)
        for (int j = 0; j < d.n; ++j) {
            const InputMaps::Neuron& q = maps.neurons[static_cast<std::size_t>(j)];
            const Eigen::VectorXd v = tr.v.row(j).transpose();
            const long lead0 = r.begin - r.lead_in;
            NeuronStates x = model.warmUpStates(v.data() + lead0, r.lead_in, d.nz > 0, d.nc > 0);
            const Eigen::VectorXd &w = x.w, &z = x.z, &c = x.c;
            RowMat<S>& Fj = d.F[static_cast<std::size_t>(j)];
            for (long t = r.begin; t < r.end - 1; ++t) {
                const long col = col0 + (t - r.begin);
                Fj(0, col) = static_cast<S>(q.v(v[t]));
                for (int k = 0; k < d.nw; ++k)
                    Fj(1 + k, col) = static_cast<S>(q.w[static_cast<std::size_t>(k)](w[k]));
                for (int k = 0; k < d.nz; ++k)
                    Fj(1 + d.nw + k, col) = static_cast<S>(q.z[static_cast<std::size_t>(k)](z[k]));
                for (int k = 0; k < d.nc; ++k)
                    Fj(1 + d.nw + d.nz + k, col) = static_cast<S>(maps.activation(c[k]));
                d.V(j, col) = static_cast<S>(v[t]);
                d.U(j, col) = static_cast<S>(tr.u(j, t));
                d.Y(j, col) = static_cast<S>((v[t + 1] - v[t]) / dt);
                model.stepStates(x, v[t]);
            }
        }
        col0 += r.steps();
    }
    d.allocate();
    if constexpr (std::is_same_v<S, float>) {
        // RMM_TF_KERNEL=eigen selects the Eigen path (for benchmarking the two against each other).
        const char* env = std::getenv("RMM_TF_KERNEL");
        d.simd = detail::simdMlpAvailable() && !(env && std::string(env) == "eigen");
    }
}

template <typename S> TfProblem<S>::~TfProblem() = default;

template <typename S> long TfProblem<S>::samples() const
{
    return d_->N;
}
template <typename S> int TfProblem<S>::threads() const
{
    return d_->threads;
}
template <typename S> const std::vector<std::string>& TfProblem<S>::warnings() const
{
    return d_->warnings;
}
template <typename S> bool TfProblem<S>::simdKernel() const
{
    return d_->simd;
}
template <typename S> bool TfProblem<S>::setSimdKernel(bool on)
{
    if constexpr (std::is_same_v<S, float>)
        d_->simd = on && detail::simdMlpAvailable();
    else
        (void)on;
    return d_->simd;
}

template <typename S> std::size_t TfProblem<S>::memoryBytes() const
{
    const auto& d = *d_;
    std::size_t bytes =
        sizeof(S) * static_cast<std::size_t>(d.N) * (static_cast<std::size_t>(d.R) * d.n + 3u * d.n);
    bytes += d.ws.size() * sizeof(S) * static_cast<std::size_t>(d.B) *
             (static_cast<std::size_t>(d.R) * d.n + 200u);
    for (const auto& f : d.Fs)
        bytes += sizeof(S) * static_cast<std::size_t>(f.size());
    return bytes;
}

template <typename S>
void TfProblem<S>::Impl::processBlock(const TypedCircuit<S>& tc, Workspace& w, const long* idx, long first,
                                      int b, S scale)
{
    // Views of features (rows x b) and raw rows, either into the stored arrays or gathered.
    std::vector<const S*> fptr(static_cast<std::size_t>(n));
    long fstride = 0;
    const S *vp = nullptr, *up = nullptr, *yp = nullptr;
    long rstride = 0;
    if (idx) {
        for (int i = 0; i < n; ++i) {
            const RowMat<S>& Fi = Fs[static_cast<std::size_t>(i)];
            RowMat<S>& G = w.Fg[static_cast<std::size_t>(i)];
            const long rowLen = R + 3;
            // Each sample is a random memory access: prefetch the lines of a few samples ahead.
            constexpr int kAhead = 16;
            for (int c = 0; c < b; ++c) {
                if (c + kAhead < b) {
                    const char* next = reinterpret_cast<const char*>(Fi.data() + idx[c + kAhead] * rowLen);
                    for (long byte = 0; byte < rowLen * static_cast<long>(sizeof(S)); byte += 64)
                        __builtin_prefetch(next + byte);
                }
                const S* src = Fi.data() + idx[c] * rowLen;
                for (int r = 0; r < R; ++r)
                    G(r, c) = src[r];
                w.Vg(i, c) = src[R];
                w.Ug(i, c) = src[R + 1];
                w.Yg(i, c) = src[R + 2];
            }
            fptr[static_cast<std::size_t>(i)] = G.data();
        }
        fstride = B;
        vp = w.Vg.data();
        up = w.Ug.data();
        yp = w.Yg.data();
        rstride = B;
    } else {
        for (int i = 0; i < n; ++i)
            fptr[static_cast<std::size_t>(i)] = F[static_cast<std::size_t>(i)].data() + first;
        fstride = N;
        vp = V.data() + first;
        up = U.data() + first;
        yp = Y.data() + first;
        rstride = N;
    }
    auto feat = [&](int i, int row0, int rows) {
        return CView<S>(fptr[static_cast<std::size_t>(i)] + static_cast<long>(row0) * fstride, rows, b,
                        Eigen::OuterStride<>(fstride));
    };
    auto rowOf = [&](const S* base, int i) {
        return Eigen::Map<const RowVec<S>>(base + static_cast<long>(i) * rstride, b);
    };
    const CircuitModel& m = layout;
    auto off = [&](int block) { return m.blocks()[static_cast<std::size_t>(block)].offset; };

    // Forward
    for (int i = 0; i < n; ++i) {
        const auto& ne = tc.neurons[static_cast<std::size_t>(i)];
        auto& a = w.intr[static_cast<std::size_t>(i)];
        bool done = false;
        if constexpr (std::is_same_v<S, float>) {
            if (simd) {
                auto& sw = w.sintr[static_cast<std::size_t>(i)];
                sw.loadInputs(0, 1 + nw, fptr[static_cast<std::size_t>(i)], fstride, b);
                sw.forward(ne.mlp, b, a.out.data());
                done = true;
            }
        }
        if (!done) {
            const int h0 = static_cast<int>(ne.mlp.W[0].rows());
            MMap<S>(a.H[0].data(), h0, b).noalias() = ne.mlp.W[0] * feat(i, 0, 1 + nw);
            forwardMlp(ne.mlp, a, b);
        }
        RMap<S>(w.I.data() + static_cast<long>(i) * b, b).array() =
            step::ownCurrent(RMap<S>(a.out.data(), b).array(), ne.gleak, ne.bleak, rowOf(vp, i).array());
    }
    for (std::size_t s = 0; s < tc.synapses.size(); ++s) {
        const auto& sy = tc.synapses[s];
        auto& a = w.syn[s];
        RMap<S> Ipost(w.I.data() + static_cast<long>(sy.post) * b, b);
        if (sy.lumped) {
            bool done = false;
            if constexpr (std::is_same_v<S, float>) {
                if (simd) {
                    auto& sw = w.ssyn[s];
                    sw.loadInputs(0, 1, fptr[static_cast<std::size_t>(sy.post)], fstride, b);
                    sw.loadInputs(
                        1, nz, fptr[static_cast<std::size_t>(sy.pre)] + static_cast<long>(1 + nw) * fstride,
                        fstride, b);
                    sw.forward(sy.mlp, b, a.out.data());
                    done = true;
                }
            }
            if (!done) {
                const int h0 = static_cast<int>(sy.mlp.W[0].rows());
                MMap<S> H0(a.H[0].data(), h0, b);
                detail::lumpedSynapseInput(sy.mlp, H0, feat(sy.post, 0, 1), feat(sy.pre, 1 + nw, nz));
                forwardMlp(sy.mlp, a, b);
            }
            Ipost += RMap<S>(a.out.data(), b);
        } else {
            const int H = static_cast<int>(sy.W1.rows());
            RMap<S> sv(a.out.data(), b);
            detail::addConductanceSynapseCurrent(sy, feat(sy.pre, 1 + nw + nz, nc),
                                                 MMap<S>(a.H[0].data(), H, b), sv, rowOf(vp, sy.post), Ipost,
                                                 tc.esyn);
        }
    }
    // Loss and dL/dI
    double loss = 0;
    for (int i = 0; i < n; ++i) {
        const auto& ne = tc.neurons[static_cast<std::size_t>(i)];
        const auto& ni = m.neuronIndex(i);
        RMap<S> I(w.I.data() + static_cast<long>(i) * b, b);
        RMap<S> dI(w.dI.data() + static_cast<long>(i) * b, b);
        auto uI = RMap<S>(w.T1.data(), b).array();
        auto res = RMap<S>(w.T2.data(), b).array();
        uI = rowOf(up, i).array() - I.array();
        res = rowOf(yp, i).array() - step::voltageRate(ne.invcap, uI);
        loss += static_cast<double>(res.square().sum());
        dI.array() = (S(2) * ne.invcap * scale) * res;
        w.g[off(ni.a)] += -S(2) * scale * (res * uI).sum();
        w.g[off(ni.g)] += (dI.array() * rowOf(vp, i).array()).sum();
        w.g[off(ni.b)] += dI.sum();
    }
    w.loss += loss * static_cast<double>(scale);
    // Backward
    for (int i = 0; i < n; ++i) {
        const auto& ne = tc.neurons[static_cast<std::size_t>(i)];
        const auto& mi = m.neuronIndex(i).intrinsic;
        if constexpr (std::is_same_v<S, float>) {
            if (simd) {
                w.sintr[static_cast<std::size_t>(i)].backward(
                    m, mi, ne.mlp, w.dI.data() + static_cast<long>(i) * b, b, w.g.data());
                continue;
            }
        }
        auto& a = w.intr[static_cast<std::size_t>(i)];
        backwardMlp(m, mi, ne.mlp, a, w.dI.data() + static_cast<long>(i) * b, b, w.g);
        const int h0 = static_cast<int>(ne.mlp.W[0].rows());
        MMap<S> D(a.D[0].data(), h0, b);
        MMap<S>(w.g.data() + off(mi.W[0]), h0, 1 + nw).noalias() += D * feat(i, 0, 1 + nw).transpose();
    }
    for (std::size_t s = 0; s < tc.synapses.size(); ++s) {
        const auto& sy = tc.synapses[s];
        const auto& si = m.synapseIndex(static_cast<int>(s));
        auto& a = w.syn[s];
        const S* dIpost = w.dI.data() + static_cast<long>(sy.post) * b;
        if (sy.lumped) {
            if constexpr (std::is_same_v<S, float>) {
                if (simd) {
                    w.ssyn[s].backward(m, si.lumped, sy.mlp, dIpost, b, w.g.data());
                    continue;
                }
            }
            backwardMlp(m, si.lumped, sy.mlp, a, dIpost, b, w.g);
            const int h0 = static_cast<int>(sy.mlp.W[0].rows());
            detail::lumpedSynapseInputGradients(m, si.lumped, w.g.data(), MMap<S>(a.D[0].data(), h0, b),
                                                feat(sy.post, 0, 1), feat(sy.pre, 1 + nw, nz));
        } else {
            const int H = static_cast<int>(sy.W1.rows());
            Eigen::Map<const RowMat<S>> Sg(a.H[0].data(), H, b);
            Eigen::Map<const RowVec<S>> sv(a.out.data(), b);
            Eigen::Map<const RowVec<S>> dI(dIpost, b);
            auto vE = RMap<S>(w.T1.data(), b).array();
            vE = step::synapticDrive(rowOf(vp, sy.post).array(), tc.esyn);
            RMap<S> ds(w.T2.data(), b);
            MMap<S> D(a.D[0].data(), H, b);
            w.g[off(si.gbar)] += detail::conductanceSynapseAdjoint<S>(sy, dI, sv, vE, Sg, ds, D);
            detail::conductanceWeightGradients(m, si, w.g.data(), Sg, D, ds, feat(sy.pre, 1 + nw + nz, nc));
        }
    }
}

template <typename S> void TfProblem<S>::prepareScatteredAccess()
{
    auto& d = *d_;
    if (!d.Fs.empty())
        return;
    std::vector<RowMat<S>> fs(static_cast<std::size_t>(d.n));
    for (int i = 0; i < d.n; ++i) {
        RowMat<S>& T = fs[static_cast<std::size_t>(i)];
        T.resize(d.N, d.R + 3);
        T.leftCols(d.R) = d.F[static_cast<std::size_t>(i)].transpose();
        T.col(d.R) = d.V.row(i).transpose();
        T.col(d.R + 1) = d.U.row(i).transpose();
        T.col(d.R + 2) = d.Y.row(i).transpose();
    }
    d.Fs = std::move(fs);
}

template <typename S>
double TfProblem<S>::evaluate(const std::vector<double>& theta, const long* idx, long first, long count,
                              double rho, std::vector<double>* grad)
{
    auto& d = *d_;
    const CircuitModel& m = d.layout;
    if (static_cast<int>(theta.size()) != m.parameterCount())
        throw Error("TF evaluate: parameter vector size does not match the model");
    if (count < 1 || (!idx && (first < 0 || first + count > d.N)))
        throw Error("TF evaluate: sample range outside the training samples");
    if (idx) {
        for (long k = 0; k < count; ++k)
            if (idx[k] < 0 || idx[k] >= d.N)
                throw Error("TF evaluate: sample index outside the training samples");
        prepareScatteredAccess();
    }
    const TypedCircuit<S> tc(m, theta);
    const S scale = static_cast<S>(1.0 / (static_cast<double>(count) * d.n));
    const long nblocks = (count + d.B - 1) / d.B;
    for (auto& w : d.ws) {
        w.g.setZero();
        w.loss = 0;
    }
#pragma omp parallel num_threads(d.threads)
    {
        auto& w = d.ws[static_cast<std::size_t>(omp_get_thread_num())];
#pragma omp for schedule(static)
        for (long k = 0; k < nblocks; ++k) {
            const long c0 = k * d.B;
            const int b = static_cast<int>(std::min<long>(d.B, count - c0));
            d.processBlock(tc, w, idx ? idx + c0 : nullptr, first + c0, b, scale);
        }
    }
    double loss = 0;
    for (const auto& w : d.ws)
        loss += w.loss;
    return detail::finishLossAndGradient(m, theta, rho, loss, d.ws, grad);
}

template class TfProblem<float>;
template class TfProblem<double>;

} // namespace rmm
