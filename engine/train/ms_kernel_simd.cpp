// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/ms_kernel_simd.hpp"

#include "engine/model/circuit_step.hpp"
#include "engine/train/ms_problem_impl.hpp"

#if defined(__AVX512F__)
#include "engine/train/simd_lanes.hpp"
#endif

#include <algorithm>
#include <utility>

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

/// One step of a filter cascade (step::allpassSection) on m states: input e.
inline void cascadeStep(V* x, int m, const float* p, const float* g, V e)
{
    V t;
    for (int q = 0; q < m; ++q)
        step::allpassSection(x[q], e, t, p[q], g[q]);
}

/// Adjoint of cascadeStep: gx (adjoint of the new states) becomes the adjoint of the old states;
/// returns the adjoint of the input.
inline V cascadeAdjoint(V* gx, int m, const float* p, const float* g)
{
    V ge{}, t;
    for (int q = m - 1; q >= 0; --q)
        step::allpassSectionAdjoint(gx[q], ge, t, p[q], g[q]);
    return ge;
}

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

void MsSimdWork::runBlock(Problem& d, const TypedCircuit<float>& tc, long first, long count, long c0, int bc,
                          const MsScales& sc, bool wantGrad, float* shotGrad, float* g, double& loss)
{
    auto& w = *d_;
    auto I = [](long i) { return static_cast<std::size_t>(i); };
    auto off = [&](int block) { return d.layout.blocks()[I(block)].offset; };
    const int n = d.n, nw = d.nw, nz = d.nz, nc = d.nc, s = d.s, P = d.P;
    const int ns = d.layout.synapseCount();
    const int ng = (bc + kLanes - 1) / kLanes;
    const step::Observer<float> observer(d.gamma);
    const float sdt = static_cast<float>(d.dt);
    const float* pI = d.pI.data();
    const float* sI = d.sI.data();
    const float* pZ = d.pZ.data();
    const float* sZ = d.sZ.data();
    const float* lC = d.lC.data();
    if (wantGrad)
        for (Buf* b : {&w.accA, &w.accG, &w.accB, &w.accGbar})
            std::fill(b->begin(), b->end(), V{});
    double lossData = 0, lossCont = 0;

    for (int gr = 0; gr < ng; ++gr) {
        const long cg = c0 + static_cast<long>(gr) * kLanes; // batch column of lane 0
        const int nl = std::min(kLanes, bc - gr * kLanes);
        const long t0 = static_cast<long>(gr) * s;
        V mask{};
        // Gather: lanes past nl repeat the last shot (finite values), masked out of loss and seeds.
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
            const float* x = d.X.data() + shot * P;
            for (int i = 0; i < n; ++i) {
                w.pred[I(i)][l] = x[i];
                for (int q = 0; q < nw; ++q)
                    w.w[I(i)][I(q)][l] = x[d.wOff[I(i)] + q];
                for (std::size_t q = 0; q < w.z[I(i)].size(); ++q)
                    w.z[I(i)][q][l] = x[I(d.zOff[I(i)]) + q];
                for (std::size_t q = 0; q < w.c[I(i)].size(); ++q)
                    w.c[I(i)][q][l] = x[I(d.cOff[I(i)]) + q];
            }
        }

        // Forward simulation.
        for (int k = 0; k < s; ++k) {
            const long t = t0 + k;
            const std::size_t tn = I(t * n);
            for (int i = 0; i < n; ++i) {
                const V pr = w.pred[I(i)];
                w.Pred[tn + I(i)] = pr;
                const V fed = observer.active() ? observer.fed(w.Vm[tn + I(i)], pr) : pr;
                w.Fed[tn + I(i)] = fed;
                V* xi = w.Xi[I(i)].data() + t * (1 + nw);
                xi[0] = d.avS[I(i)] * fed + d.avO[I(i)];
                const V* st = w.w[I(i)].data();
                for (int q = 0; q < nw; ++q)
                    xi[1 + q] = d.awS[I(i)][q] * st[q] + d.awO[I(i)][q];
                const int mz = static_cast<int>(w.z[I(i)].size());
                if (mz) {
                    V* xz = w.Xz[I(i)].data() + t * mz;
                    for (int q = 0; q < mz; ++q)
                        xz[q] = d.azS[I(i)][q] * w.z[I(i)][I(q)] + d.azO[I(i)][q];
                }
                const int mc = static_cast<int>(w.c[I(i)].size());
                if (mc) {
                    V* xc = w.Xc[I(i)].data() + t * mc;
                    for (int q = 0; q < mc; ++q)
                        xc[q] = d.cS * w.c[I(i)][I(q)] + d.cO;
                }
            }
            for (int i = 0; i < n; ++i) {
                const auto& ne = tc.neurons[I(i)];
                auto& a = w.intr[I(i)];
                mlpForward(ne.mlp, a, w.Xi[I(i)].data() + t * (1 + nw), t);
                w.gI[I(i)] = step::ownCurrent(a.out[I(t)], ne.gleak, ne.bleak, w.Fed[tn + I(i)]);
            }
            for (int q = 0; q < ns; ++q) {
                const auto& sy = tc.synapses[I(q)];
                auto& a = w.syn[I(q)];
                if (sy.lumped) {
                    V* xs = a.X.data() + t * (1 + nz);
                    xs[0] = w.Xi[I(sy.post)][I(t * (1 + nw))];
                    const V* xz = w.Xz[I(sy.pre)].data() + t * nz;
                    for (int r = 0; r < nz; ++r)
                        xs[1 + r] = xz[r];
                    mlpForward(sy.mlp, a, xs, t);
                    w.gI[I(sy.post)] += a.out[I(t)];
                } else {
                    const int h = a.h[0];
                    V* Hs = a.H[0].data() + t * h;
                    denseForward(sy.W1.data(), sy.b1.data(), h, nc, w.Xc[I(sy.pre)].data() + t * nc, Hs);
                    sigmoidInPlace(reinterpret_cast<float*>(Hs), static_cast<long>(h) * kLanes);
                    const float* w2 = sy.W2.data();
                    V sv{};
                    for (int j = 0; j < h; ++j)
                        sv += w2[j] * Hs[j];
                    a.out[I(t)] = sv;
                    w.gI[I(sy.post)] += step::conductanceCurrent(
                        sy.gbar, sv, step::synapticDrive(w.Fed[tn + I(sy.post)], tc.esyn));
                }
            }
            for (int i = 0; i < n; ++i) {
                const V fed = w.Fed[tn + I(i)];
                const V iu = w.Um[tn + I(i)] - w.gI[I(i)];
                w.Iu[tn + I(i)] = iu;
                w.pred[I(i)] = step::nextVoltage(fed, sdt * tc.neurons[I(i)].invcap, iu);
                cascadeStep(w.w[I(i)].data(), nw, pI, sI, fed);
                if (!w.z[I(i)].empty())
                    cascadeStep(w.z[I(i)].data(), nz, pZ, sZ, fed);
                for (std::size_t q = 0; q < w.c[I(i)].size(); ++q)
                    w.c[I(i)][q] = step::lowpass(lC[q], w.c[I(i)][q], fed);
            }
        }

        // Data term of the loss.
        {
            V acc{};
            for (long k = t0 * n; k < (t0 + s) * n; ++k) {
                const V e = w.Pred[I(k)] - w.Vm[I(k)];
                acc += e * e;
            }
            acc *= mask;
            for (int l = 0; l < kLanes; ++l)
                lossData += static_cast<double>(acc[l]);
        }
        // Continuity with the next shot of the mini-batch; its gradient seeds the adjoints.
        for (int i = 0; i < n; ++i) {
            w.gP[I(i)] = V{};
            std::fill(w.gw[I(i)].begin(), w.gw[I(i)].end(), V{});
            std::fill(w.gz[I(i)].begin(), w.gz[I(i)].end(), V{});
            std::fill(w.gc[I(i)].begin(), w.gc[I(i)].end(), V{});
        }
        for (int l = 0; l < nl; ++l) {
            const long gc = cg + l;
            if (gc + 1 >= count)
                continue;
            const float* xn = d.X.data() + (first + gc + 1) * P;
            float* cn = d.cont.data() + (gc + 1) * P;
            auto term = [&](float val, int idx, double scale, V& gOut) {
                const double wt = d.weight[I(idx)];
                const double dv = static_cast<double>(val) - static_cast<double>(xn[idx]);
                lossCont += scale * dv * dv * wt * wt;
                const auto gval = static_cast<float>(2 * scale * dv * wt * wt);
                gOut[l] = gval;
                cn[idx] -= gval;
            };
            for (int i = 0; i < n; ++i) {
                term(w.pred[I(i)][l], i, sc.v, w.gP[I(i)]);
                for (int q = 0; q < nw; ++q)
                    term(w.w[I(i)][I(q)][l], d.wOff[I(i)] + q, sc.x, w.gw[I(i)][I(q)]);
                for (std::size_t q = 0; q < w.z[I(i)].size(); ++q)
                    term(w.z[I(i)][q][l], d.zOff[I(i)] + static_cast<int>(q), sc.x, w.gz[I(i)][q]);
                for (std::size_t q = 0; q < w.c[I(i)].size(); ++q)
                    term(w.c[I(i)][q][l], d.cOff[I(i)] + static_cast<int>(q), sc.x, w.gc[I(i)][q]);
            }
        }
        if (!wantGrad)
            continue;

        // Backpropagation through time.
        const V sData = static_cast<float>(2 * sc.data) * mask;
        V* dX = w.dX.data();
        for (int k = s - 1; k >= 0; --k) {
            const long t = t0 + k;
            const std::size_t tn = I(t * n);
            for (int i = 0; i < n; ++i) {
                const auto& ne = tc.neurons[I(i)];
                const V gp = w.gP[I(i)];
                const V gi = step::nextVoltageCurrentAdjoint(sdt * ne.invcap, gp);
                const V fed = w.Fed[tn + I(i)];
                w.gI[I(i)] = gi;
                w.accA[I(i)] += gp * w.Iu[tn + I(i)];
                w.accG[I(i)] += gi * fed;
                w.accB[I(i)] += gi;
                V gF = gp + ne.gleak * gi; // v_fed enters the next voltage (1) and the leak (g_L)
                gF += cascadeAdjoint(w.gw[I(i)].data(), nw, pI, sI);
                if (!w.gz[I(i)].empty())
                    gF += cascadeAdjoint(w.gz[I(i)].data(), nz, pZ, sZ);
                for (std::size_t q = 0; q < w.gc[I(i)].size(); ++q)
                    step::lowpassAdjoint(lC[q], w.gc[I(i)][q], gF);
                w.gFed[I(i)] = gF;
            }
            for (int i = 0; i < n; ++i) {
                mlpBackward(tc.neurons[I(i)].mlp, w.intr[I(i)], t, w.gI[I(i)], dX);
                w.gFed[I(i)] += d.avS[I(i)] * dX[0];
                V* gw = w.gw[I(i)].data();
                for (int q = 0; q < nw; ++q)
                    gw[q] += dX[1 + q] * d.awS[I(i)][q];
            }
            for (int q = 0; q < ns; ++q) {
                const auto& sy = tc.synapses[I(q)];
                auto& a = w.syn[I(q)];
                const V gIp = w.gI[I(sy.post)];
                if (sy.lumped) {
                    mlpBackward(sy.mlp, a, t, gIp, dX);
                    w.gFed[I(sy.post)] += d.avS[I(sy.post)] * dX[0];
                    V* gz = w.gz[I(sy.pre)].data();
                    for (int r = 0; r < nz; ++r)
                        gz[r] += dX[1 + r] * d.azS[I(sy.pre)][r];
                } else {
                    const int h = a.h[0];
                    const V sv = a.out[I(t)];
                    const V vE = step::synapticDrive(w.Fed[tn + I(sy.post)], tc.esyn);
                    w.accGbar[I(q)] += step::conductanceGbarAdjoint(gIp, sv, vE);
                    const V ds = step::conductanceActivationAdjoint(sy.gbar, gIp, vE);
                    a.gOut[I(t)] = ds;
                    w.gFed[I(sy.post)] += step::conductanceVoltageAdjoint(sy.gbar, gIp, sv);
                    const V* Hs = a.H[0].data() + t * h;
                    V* D = a.D[0].data() + t * h;
                    const float* w2 = sy.W2.data();
                    for (int j = 0; j < h; ++j)
                        D[j] = (w2[j] * ds) * step::sigmoidSlope<float>(Hs[j]);
                    denseBack<Deriv::None>(sy.W1.data(), h, nc, D, nullptr, dX);
                    V* gc = w.gc[I(sy.pre)].data();
                    for (int r = 0; r < nc; ++r)
                        gc[r] += d.cS * dX[r];
                }
            }
            for (int i = 0; i < n; ++i)
                w.gP[I(i)] = observer.keep * w.gFed[I(i)] + sData * (w.Pred[tn + I(i)] - w.Vm[tn + I(i)]);
        }

        // Gradients with respect to the group's shot initial conditions.
        if (shotGrad)
            for (int l = 0; l < nl; ++l) {
                float* gs = shotGrad + (cg + l) * P;
                for (int i = 0; i < n; ++i) {
                    gs[i] = w.gP[I(i)][l];
                    for (int q = 0; q < nw; ++q)
                        gs[d.wOff[I(i)] + q] = w.gw[I(i)][I(q)][l];
                    for (std::size_t q = 0; q < w.gz[I(i)].size(); ++q)
                        gs[I(d.zOff[I(i)]) + q] = w.gz[I(i)][q][l];
                    for (std::size_t q = 0; q < w.gc[I(i)].size(); ++q)
                        gs[I(d.cOff[I(i)]) + q] = w.gc[I(i)][q][l];
                }
            }
    }
    loss += sc.data * lossData + lossCont;
    if (!wantGrad)
        return;

    // Scalar parameters, then the weights of all steps and groups at once.
    for (int i = 0; i < n; ++i) {
        const auto& ni = d.layout.neuronIndex(i);
        g[off(ni.a)] += sdt * hsum(w.accA[I(i)]);
        g[off(ni.g)] += hsum(w.accG[I(i)]);
        g[off(ni.b)] += hsum(w.accB[I(i)]);
    }
    const long tiles = static_cast<long>(ng) * s;
    for (int i = 0; i < n; ++i)
        mlpWeights(d.layout, d.layout.neuronIndex(i).intrinsic, w.intr[I(i)], w.Xi[I(i)].data(), tiles, g);
    for (int q = 0; q < ns; ++q) {
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
            gradMatrix(a.D[0].data(), h, w.Xc[I(sy.pre)].data(), nc, tiles, g + off(si.W1));
        }
    }
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
