// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/ms_kernel_simd.hpp"

#include "engine/model/circuit_step.hpp"
#include "engine/train/ms_loop.hpp"
#include "engine/train/ms_problem_impl.hpp"

#if defined(__AVX512F__)
#include "engine/train/simd_lanes.hpp"
#endif

#include <algorithm>

namespace rmm::detail {

#if defined(__AVX512F__)

using namespace simd;

namespace {

using Buf = std::vector<V>;

/// Activations and adjoints of one MLP (or conductance synapse) for every tile of a block.
struct MlpBuf {
    int in = 0;
    std::vector<int> h;
    std::vector<Buf> H, D; // per layer, tiles x h
    Buf gOut, out;         // per tile: dL/d(output), output (conductance: s)
    Buf X;                 // lumped synapse: its own inputs (post voltage, pre cascade), tiles x in

    MlpBuf(int inputs, const std::vector<int>& hidden, long tiles, bool ownInputs) : in(inputs), h(hidden)
    {
        const auto T = static_cast<std::size_t>(tiles);
        for (int w : hidden) {
            H.emplace_back(T * static_cast<std::size_t>(w), V{});
            D.emplace_back(T * static_cast<std::size_t>(w), V{});
        }
        gOut.assign(T, V{});
        out.assign(T, V{});
        if (ownInputs)
            X.assign(T * static_cast<std::size_t>(inputs), V{});
    }
};

/// Forward of a tanh MLP for tile t (inputs x): hidden layers to a.H, readout to a.out[t].
inline void mlpForward(const TypedMlp<float>& mlp, MlpBuf& a, const V* x, long t)
{
    const std::size_t Lz = a.h.size();
    for (std::size_t l = 0; l < Lz; ++l) {
        const int h = a.h[l];
        const int p = l == 0 ? a.in : a.h[l - 1];
        const V* P = l == 0 ? x : a.H[l - 1].data() + t * p;
        V* Y = a.H[l].data() + t * h;
        denseForward(mlp.W[l].data(), mlp.b[l].data(), h, p, P, Y);
        tanhInPlace(reinterpret_cast<float*>(Y), static_cast<long>(h) * kLanes);
    }
    const int h = a.h.back();
    const V* Hl = a.H.back().data() + t * h;
    const float* r = mlp.r.data();
    V acc{};
    for (int j = 0; j < h; ++j)
        acc += r[j] * Hl[j];
    a.out[static_cast<std::size_t>(t)] = acc;
}

/// Backward of a tanh MLP for tile t from dOut: layer adjoints to a.D, input adjoints to dX.
inline void mlpBackward(const TypedMlp<float>& mlp, MlpBuf& a, long t, V dOut, V* dX)
{
    a.gOut[static_cast<std::size_t>(t)] = dOut;
    const std::size_t Lz = a.h.size();
    {
        const int h = a.h.back();
        const V* Hl = a.H.back().data() + t * h;
        V* Dl = a.D.back().data() + t * h;
        const float* r = mlp.r.data();
        for (int j = 0; j < h; ++j)
            Dl[j] = (r[j] * dOut) * step::tanhSlope<float>(Hl[j]);
    }
    for (std::size_t l = Lz - 1; l >= 1; --l) {
        const int h = a.h[l], p = a.h[l - 1];
        denseBack<Deriv::Tanh>(mlp.W[l].data(), h, p, a.D[l].data() + t * h, a.H[l - 1].data() + t * p,
                               a.D[l - 1].data() + t * p);
    }
    const int h0 = a.h[0];
    denseBack<Deriv::None>(mlp.W[0].data(), h0, a.in, a.D[0].data() + t * h0, nullptr, dX);
}

/// Weight, bias and readout gradients of an MLP over `tiles` tiles (inputs X).
inline void mlpWeights(const CircuitModel& m, const MlpIndex& mi, const MlpBuf& a, const V* X, long tiles,
                       float* g)
{
    auto off = [&](int block) { return m.blocks()[static_cast<std::size_t>(block)].offset; };
    const std::size_t Lz = a.h.size();
    gradMatrix(a.gOut.data(), 1, a.H.back().data(), a.h.back(), tiles, g + off(mi.readout));
    for (std::size_t l = 0; l < Lz; ++l) {
        const int h = a.h[l];
        gradBias(a.D[l].data(), h, tiles, g + off(mi.b[l]));
        if (l == 0)
            gradMatrix(a.D[0].data(), h, X, a.in, tiles, g + off(mi.W[0]));
        else
            gradMatrix(a.D[l].data(), h, a.H[l - 1].data(), a.h[l - 1], tiles, g + off(mi.W[l]));
    }
}

} // namespace

struct MsSimdWork::Impl {
    long tiles = 0;                       // groups x steps
    Buf Vm, Um, Pred, Fed, Iu;            // tiles x n
    std::vector<Buf> Xi, Xz, Xc;          // per neuron: normalised inputs, tiles x (1 + nw) / nz / nc
    std::vector<MlpBuf> intr, syn;        // per neuron / synapse
    Buf pred, gP, gFed, gI;               // n: the current group's state and adjoints
    std::vector<Buf> w, z, c, gw, gz, gc; // per neuron: filter states and their adjoints
    Buf dX;                               // input adjoints of one MLP
    Buf accA, accG, accB, accGbar;        // per neuron / synapse: scalar parameter gradients
};

bool simdMsAvailable()
{
    return true;
}

MsSimdWork::MsSimdWork(const Problem& d, int maxShots) : d_(new Impl)
{
    auto& w = *d_;
    const auto& cfg = d.layout.config();
    const int ng = (maxShots + kLanes - 1) / kLanes;
    w.tiles = static_cast<long>(ng) * d.s;
    const auto T = static_cast<std::size_t>(w.tiles);
    const auto n = static_cast<std::size_t>(d.n);
    for (Buf* b : {&w.Vm, &w.Um, &w.Pred, &w.Fed, &w.Iu})
        b->assign(T * n, V{});
    for (Buf* b : {&w.pred, &w.gP, &w.gFed, &w.gI, &w.accA, &w.accG, &w.accB})
        b->assign(n, V{});
    for (int i = 0; i < d.n; ++i) {
        const bool hz = d.zOff[static_cast<std::size_t>(i)] >= 0,
                   hc = d.cOff[static_cast<std::size_t>(i)] >= 0;
        const auto nz = static_cast<std::size_t>(hz ? d.nz : 0), nc = static_cast<std::size_t>(hc ? d.nc : 0);
        const auto nw = static_cast<std::size_t>(d.nw);
        w.Xi.emplace_back(T * (1 + nw), V{});
        w.Xz.emplace_back(T * nz, V{});
        w.Xc.emplace_back(T * nc, V{});
        w.w.emplace_back(nw, V{});
        w.gw.emplace_back(nw, V{});
        w.z.emplace_back(nz, V{});
        w.gz.emplace_back(nz, V{});
        w.c.emplace_back(nc, V{});
        w.gc.emplace_back(nc, V{});
        w.intr.emplace_back(1 + d.nw, cfg.intrinsic_hidden, w.tiles, false);
    }
    for (int q = 0; q < d.layout.synapseCount(); ++q) {
        if (d.layout.synapseIndex(q).config.kind == SynapseKind::Lumped)
            w.syn.emplace_back(1 + d.nz, cfg.lumped_hidden, w.tiles, true);
        else
            w.syn.emplace_back(d.nc, std::vector<int>{cfg.conductance_hidden}, w.tiles, false);
    }
    w.accGbar.assign(static_cast<std::size_t>(d.layout.synapseCount()), V{});
    w.dX.assign(static_cast<std::size_t>(std::max({1 + d.nw, 1 + d.nz, d.nc, 1})), V{});
}

namespace {

/// The AVX-512 backend of the multiple-shooting loop (ms_loop.hpp): one shot per lane, groups of
/// 16 shots, a lane is one V; every per-step quantity of the block is stored tile by tile (tile
/// t = group * s + step), so that the weight gradients of all steps and groups are register-tiled
/// outer products after the loop. Lanes past the group's last shot repeat that shot (finite
/// values) and are masked out of the loss and the gradients.
struct SimdShots {
    using Scalar = float;
    using Problem = MsSimdWork::Problem;

    Problem& d;
    const TypedCircuit<float>& tc;
    MsSimdWork::Impl& w;
    long first, c0;
    int bc;
    float* g;
    double& loss;
    double lossData = 0, lossCont = 0, dataScale = 0;
    // The current group: first tile, shots, batch column of lane 0, mask of its shots.
    long t0 = 0, cg = 0;
    int nl = 0;
    V mask{};

    static std::size_t I(long i) { return static_cast<std::size_t>(i); }
    long tile(int k) const { return t0 + k; }
    std::size_t at(int i, int k) const { return I(tile(k) * d.n + i); }

    int groups() const { return (bc + kLanes - 1) / kLanes; }
    int shots() const { return nl; }
    long column(int l) const { return cg + l; }
    static float get(const V& x, int l) { return x[l]; }
    static void set(V& x, int l, float v) { x[l] = v; }
    int zRows(int i) const { return static_cast<int>(w.z[I(i)].size()); }
    int cRows(int i) const { return static_cast<int>(w.c[I(i)].size()); }

    V& pred(int i) const { return w.pred[I(i)]; }
    V& vPred(int i, int k) const { return w.Pred[at(i, k)]; }
    V& vFed(int i, int k) const { return w.Fed[at(i, k)]; }
    V& vMeas(int i, int k) const { return w.Vm[at(i, k)]; }
    V& uMeas(int i, int k) const { return w.Um[at(i, k)]; }
    V& uMinusI(int i, int k) const { return w.Iu[at(i, k)]; }
    V& current(int i) const { return w.gI[I(i)]; }
    V& xw(int i, int q) const { return w.w[I(i)][I(q)]; }
    V& xz(int i, int q) const { return w.z[I(i)][I(q)]; }
    V& xc(int i, int q) const { return w.c[I(i)][I(q)]; }
    V& gPred(int i) const { return w.gP[I(i)]; }
    V& gFed(int i) const { return w.gFed[I(i)]; }
    V& gw(int i, int q) const { return w.gw[I(i)][I(q)]; }
    V& gz(int i, int q) const { return w.gz[I(i)][I(q)]; }
    V& gc(int i, int q) const { return w.gc[I(i)][I(q)]; }
    V& inI(int i, int k, int r) const { return w.Xi[I(i)][I(tile(k) * (1 + d.nw) + r)]; }
    V& inZ(int i, int k, int r) const { return w.Xz[I(i)][I(tile(k) * zRows(i) + r)]; }
    V& inC(int i, int k, int r) const { return w.Xc[I(i)][I(tile(k) * cRows(i) + r)]; }
    V& inputAdjoint(int r) const { return w.dX[I(r)]; }
    V& intrinsicOut(int i, int k) const { return w.intr[I(i)].out[I(tile(k))]; }
    V& synapseOut(int q, int k) const { return w.syn[I(q)].out[I(tile(k))]; }
    V& synapseGOut(int q, int k) const { return w.syn[I(q)].gOut[I(tile(k))]; }
    static V lane(int) { return V{}; }
    static V zeroLane(int) { return V{}; }
    V dataWeight(float sData) const { return sData * mask; }

    void gather(int gr)
    {
        const int n = d.n, s = d.s;
        cg = c0 + static_cast<long>(gr) * kLanes;
        nl = std::min(kLanes, bc - gr * kLanes);
        t0 = static_cast<long>(gr) * s;
        for (int l = 0; l < kLanes; ++l) {
            mask[l] = l < nl ? 1.0f : 0.0f;
            const long shot = first + cg + std::min(l, nl - 1);
            const auto& si = d.shotInfo[I(shot)];
            const auto& Vd = d.vm[I(si.trial)];
            const auto& Ud = d.um[I(si.trial)];
            for (int k = 0; k < s; ++k)
                for (int i = 0; i < n; ++i) {
                    w.Vm[I((t0 + k) * n + i)][l] = Vd(i, si.t0 + k);
                    w.Um[I((t0 + k) * n + i)][l] = Ud(i, si.t0 + k);
                }
            const float* x = d.X.data() + shot * d.P;
            for (int i = 0; i < n; ++i) {
                w.pred[I(i)][l] = x[i];
                for (int q = 0; q < d.nw; ++q)
                    w.w[I(i)][I(q)][l] = x[d.wOff[I(i)] + q];
                for (std::size_t q = 0; q < w.z[I(i)].size(); ++q)
                    w.z[I(i)][q][l] = x[I(d.zOff[I(i)]) + q];
                for (std::size_t q = 0; q < w.c[I(i)].size(); ++q)
                    w.c[I(i)][q][l] = x[I(d.cOff[I(i)]) + q];
            }
        }
    }

    void intrinsicForward(int i, int k)
    {
        mlpForward(tc.neurons[I(i)].mlp, w.intr[I(i)], &inI(i, k, 0), tile(k));
    }
    void lumpedForward(int q, int k)
    {
        const auto& sy = tc.synapses[I(q)];
        auto& a = w.syn[I(q)];
        const int nz = d.nz;
        V* xs = a.X.data() + tile(k) * (1 + nz);
        xs[0] = inI(sy.post, k, 0);
        const V* xz = w.Xz[I(sy.pre)].data() + tile(k) * nz;
        for (int r = 0; r < nz; ++r)
            xs[1 + r] = xz[r];
        mlpForward(sy.mlp, a, xs, tile(k));
    }
    void conductanceForward(int q, int k)
    {
        const auto& sy = tc.synapses[I(q)];
        auto& a = w.syn[I(q)];
        const int h = a.h[0], nc = d.nc;
        V* Hs = a.H[0].data() + tile(k) * h;
        denseForward(sy.W1.data(), sy.b1.data(), h, nc, w.Xc[I(sy.pre)].data() + tile(k) * nc, Hs);
        sigmoidInPlace(reinterpret_cast<float*>(Hs), static_cast<long>(h) * kLanes);
        const float* w2 = sy.W2.data();
        V sv{};
        for (int j = 0; j < h; ++j)
            sv += w2[j] * Hs[j];
        a.out[I(tile(k))] = sv;
    }
    void intrinsicBackward(int i, int k)
    {
        mlpBackward(tc.neurons[I(i)].mlp, w.intr[I(i)], tile(k), w.gI[I(i)], w.dX.data());
    }
    void lumpedBackward(int q, int k)
    {
        const auto& sy = tc.synapses[I(q)];
        mlpBackward(sy.mlp, w.syn[I(q)], tile(k), w.gI[I(sy.post)], w.dX.data());
    }
    void conductanceBackward(int q, int k)
    {
        const auto& sy = tc.synapses[I(q)];
        auto& a = w.syn[I(q)];
        const int h = a.h[0];
        const V ds = a.gOut[I(tile(k))];
        const V* Hs = a.H[0].data() + tile(k) * h;
        V* D = a.D[0].data() + tile(k) * h;
        const float* w2 = sy.W2.data();
        for (int j = 0; j < h; ++j)
            D[j] = (w2[j] * ds) * step::sigmoidSlope<float>(Hs[j]);
        denseBack<Deriv::None>(sy.W1.data(), h, d.nc, D, nullptr, w.dX.data());
    }

    void addDataLoss(double scale)
    {
        dataScale = scale;
        V acc{};
        for (long k = t0 * d.n; k < (t0 + d.s) * d.n; ++k) {
            const V e = w.Pred[I(k)] - w.Vm[I(k)];
            acc += e * e;
        }
        acc *= mask;
        for (int l = 0; l < kLanes; ++l)
            lossData += static_cast<double>(acc[l]);
    }
    void addContinuityLoss(double x) { lossCont += x; }
    void clearSeeds()
    {
        for (int i = 0; i < d.n; ++i) {
            w.gP[I(i)] = V{};
            std::fill(w.gw[I(i)].begin(), w.gw[I(i)].end(), V{});
            std::fill(w.gz[I(i)].begin(), w.gz[I(i)].end(), V{});
            std::fill(w.gc[I(i)].begin(), w.gc[I(i)].end(), V{});
        }
    }
    void addNeuronScalars(int i, int k)
    {
        w.accA[I(i)] += w.gP[I(i)] * uMinusI(i, k);
        w.accG[I(i)] += w.gI[I(i)] * vFed(i, k);
        w.accB[I(i)] += w.gI[I(i)];
    }
    void addGbar(int q, V dGbar) { w.accGbar[I(q)] += dGbar; }

    /// The block's loss; with the gradient, the scalar parameters' and then the weights'
    /// gradients of all steps and groups at once.
    void finish(bool wantGrad)
    {
        loss += dataScale * lossData + lossCont;
        if (!wantGrad)
            return;
        auto off = [&](int block) { return d.layout.blocks()[I(block)].offset; };
        const float sdt = static_cast<float>(d.dt);
        for (int i = 0; i < d.n; ++i) {
            const auto& ni = d.layout.neuronIndex(i);
            g[off(ni.a)] += sdt * hsum(w.accA[I(i)]);
            g[off(ni.g)] += hsum(w.accG[I(i)]);
            g[off(ni.b)] += hsum(w.accB[I(i)]);
        }
        const long tiles = static_cast<long>(groups()) * d.s;
        for (int i = 0; i < d.n; ++i)
            mlpWeights(d.layout, d.layout.neuronIndex(i).intrinsic, w.intr[I(i)], w.Xi[I(i)].data(), tiles,
                       g);
        for (int q = 0; q < d.layout.synapseCount(); ++q) {
            const auto& sy = tc.synapses[I(q)];
            const auto& si = d.layout.synapseIndex(q);
            auto& a = w.syn[I(q)];
            if (sy.lumped) {
                mlpWeights(d.layout, si.lumped, a, a.X.data(), tiles, g);
            } else {
                g[off(si.gbar)] += hsum(w.accGbar[I(q)]);
                const int h = a.h[0];
                gradMatrix(a.gOut.data(), 1, a.H[0].data(), h, tiles, g + off(si.W2));
                gradBias(a.D[0].data(), h, tiles, g + off(si.b1));
                gradMatrix(a.D[0].data(), h, w.Xc[I(sy.pre)].data(), d.nc, tiles, g + off(si.W1));
            }
        }
    }
};

} // namespace

void MsSimdWork::runBlock(Problem& d, const TypedCircuit<float>& tc, long first, long count, long c0, int bc,
                          const MsScales& sc, bool wantGrad, float* shotGrad, float* g, double& loss)
{
    auto& w = *d_;
    for (Buf* b : {&w.accA, &w.accG, &w.accB, &w.accGbar})
        std::fill(b->begin(), b->end(), V{});
    SimdShots b{d, tc, w, first, c0, bc, g, loss};
    msloop::runShots(b, d, tc, first, count, sc, wantGrad, shotGrad);
}

#else // no AVX-512: the kernel is not built; MsProblem<float> uses the Eigen path

struct MsSimdWork::Impl {};

bool simdMsAvailable()
{
    return false;
}

MsSimdWork::MsSimdWork(const Problem&, int) : d_(new Impl) {}
void MsSimdWork::runBlock(Problem&, const TypedCircuit<float>&, long, long, long, int, const MsScales&, bool,
                          float*, float*, double&)
{
}

#endif

MsSimdWork::~MsSimdWork() = default;
MsSimdWork::MsSimdWork(MsSimdWork&&) noexcept = default;
MsSimdWork& MsSimdWork::operator=(MsSimdWork&&) noexcept = default;

} // namespace rmm::detail
