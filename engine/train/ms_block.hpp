// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to multiple_shooting.cpp (included from ms_problem_impl.hpp): the Eigen backend of the
// multiple-shooting loop (ms_loop.hpp), which simulates a block of bc shots (columns) and runs its adjoint.
#pragma once

#include "engine/train/ms_loop.hpp"

namespace rmm {

/// The Eigen backend of the multiple-shooting loop (ms_loop.hpp): the block's bc shots are the
/// columns of the workspace's arrays (step k of a per-step array in columns [k bc, (k + 1) bc)),
/// a lane is one row of those columns, there is one group (the whole block), and the weight
/// gradients of all steps are one matrix product per layer after the time loop.
template <typename S> struct MsProblem<S>::Impl::EigenShots {
    using Scalar = S;
    using Lane = Eigen::Map<Eigen::Array<S, 1, Eigen::Dynamic>>;

    Impl& d;
    const detail::TypedCircuit<S>& tc;
    Ws& w;
    long first, c0;
    int bc;
    double loss = 0; // the block's loss, added to w.loss by finish()

    static std::size_t I(int i) { return static_cast<std::size_t>(i); }
    /// Row r of M, columns [k bc, (k + 1) bc) (Impl::row, as an array for the loop's coefficient-wise
    /// arithmetic).
    Lane at(Mat& M, int r, int k) const { return Lane(Impl::row(M, r, k, bc).data(), bc); }
    long cols() const { return static_cast<long>(d.s) * bc; }

    int groups() const { return 1; }
    int shots() const { return bc; }
    long column(int l) const { return c0 + l; }
    static S get(const Lane& x, int l) { return x(l); }
    static void set(Lane x, int l, S v) { x(l) = v; }
    int zRows(int i) const { return static_cast<int>(w.z[I(i)].rows()); }
    int cRows(int i) const { return static_cast<int>(w.c[I(i)].rows()); }

    Lane pred(int i) const { return at(w.pred, i, 0); }
    Lane vPred(int i, int k) const { return at(w.Pred, i, k); }
    Lane vFed(int i, int k) const { return at(w.Fed, i, k); }
    Lane vMeas(int i, int k) const { return at(w.Vm, i, k); }
    Lane uMeas(int i, int k) const { return at(w.Um, i, k); }
    Lane uMinusI(int i, int k) const { return at(w.Iu, i, k); }
    Lane current(int i) const { return at(w.gI, i, 0); }
    Lane xw(int i, int q) const { return at(w.w[I(i)], q, 0); }
    Lane xz(int i, int q) const { return at(w.z[I(i)], q, 0); }
    Lane xc(int i, int q) const { return at(w.c[I(i)], q, 0); }
    Lane gPred(int i) const { return at(w.gP, i, 0); }
    Lane gFed(int i) const { return at(w.gFed, i, 0); }
    Lane gw(int i, int q) const { return at(w.gw[I(i)], q, 0); }
    Lane gz(int i, int q) const { return at(w.gz[I(i)], q, 0); }
    Lane gc(int i, int q) const { return at(w.gc[I(i)], q, 0); }
    Lane inI(int i, int k, int r) const { return at(w.Xi[I(i)], r, k); }
    Lane inZ(int i, int k, int r) const { return at(w.Xz[I(i)], r, k); }
    Lane inC(int i, int k, int r) const { return at(w.Xc[I(i)], r, k); }
    Lane inputAdjoint(int r) const { return at(w.dX, r, 0); }
    Lane intrinsicOut(int i, int k) const { return at(w.intr[I(i)].out, 0, k); }
    Lane synapseOut(int q, int k) const { return at(w.syn[I(q)].out, 0, k); }
    Lane synapseGOut(int q, int k) const { return at(w.syn[I(q)].gOut, 0, k); }
    /// Scratch rows (0 and 1), as they are or zeroed.
    Lane lane(int j) const { return at(j == 0 ? w.e : w.t1, 0, 0); }
    Lane zeroLane(int j) const
    {
        Lane x = lane(j);
        x.setZero();
        return x;
    }
    S dataWeight(S sData) const { return sData; }

    void gather(int)
    {
        for (int c = 0; c < bc; ++c) {
            const long shot = first + c0 + c;
            const auto& si = d.shotInfo[static_cast<std::size_t>(shot)];
            const Mat& V = d.vm[I(si.trial)];
            const Mat& U = d.um[I(si.trial)];
            for (int i = 0; i < d.n; ++i)
                for (int k = 0; k < d.s; ++k) {
                    w.Vm(i, static_cast<long>(k) * bc + c) = V(i, si.t0 + k);
                    w.Um(i, static_cast<long>(k) * bc + c) = U(i, si.t0 + k);
                }
            const S* x = d.X.data() + shot * d.P;
            for (int i = 0; i < d.n; ++i) {
                w.pred(i, c) = x[i];
                for (int q = 0; q < d.nw; ++q)
                    w.w[I(i)](q, c) = x[d.wOff[I(i)] + q];
                for (int q = 0; q < w.z[I(i)].rows(); ++q)
                    w.z[I(i)](q, c) = x[d.zOff[I(i)] + q];
                for (int q = 0; q < w.c[I(i)].rows(); ++q)
                    w.c[I(i)](q, c) = x[d.cOff[I(i)] + q];
            }
        }
    }

    void mlpForward(const detail::TypedMlp<S>& mlp, Mlp& a, int k)
    {
        detail::mlpForwardBlock(
            mlp, [&](std::size_t l) { return Impl::at(a.H[l], k, bc); }, Impl::row(a.out, 0, k, bc));
    }
    void intrinsicForward(int i, int k)
    {
        const auto& mlp = tc.neurons[I(i)].mlp;
        auto& a = w.intr[I(i)];
        Impl::at(a.H[0], k, bc).noalias() = mlp.W[0] * Impl::at(w.Xi[I(i)], k, bc);
        mlpForward(mlp, a, k);
    }
    void lumpedForward(int q, int k)
    {
        const auto& sy = tc.synapses[I(q)];
        auto& a = w.syn[I(q)];
        detail::lumpedSynapseInput(sy.mlp, Impl::at(a.H[0], k, bc), Impl::at(w.Xi[I(sy.post)], k, bc).row(0),
                                   Impl::at(w.Xz[I(sy.pre)], k, bc));
        mlpForward(sy.mlp, a, k);
    }
    void conductanceForward(int q, int k)
    {
        const auto& sy = tc.synapses[I(q)];
        auto& a = w.syn[I(q)];
        detail::conductanceActivation(sy, Impl::at(w.Xc[I(sy.pre)], k, bc), Impl::at(a.H[0], k, bc),
                                      Impl::row(a.out, 0, k, bc));
    }

    /// The MLP's reverse pass from dOut, then the input adjoints W_0^T delta_0 to dX.
    void mlpBackward(const detail::TypedMlp<S>& mlp, Mlp& a, int k, Row dOut, int inputs)
    {
        Impl::row(a.gOut, 0, k, bc) = dOut;
        detail::mlpBackwardBlock(
            mlp, [&](std::size_t l) { return Impl::at(a.H[l], k, bc); },
            [&](std::size_t l) { return Impl::at(a.D[l], k, bc); }, dOut);
        View dX = View(w.dX.data(), inputs, bc, Eigen::OuterStride<>(w.dX.cols()));
        dX.noalias() = mlp.W[0].transpose() * Impl::at(a.D[0], k, bc);
    }
    void intrinsicBackward(int i, int k)
    {
        mlpBackward(tc.neurons[I(i)].mlp, w.intr[I(i)], k, Impl::row(w.gI, i, 0, bc), 1 + d.nw);
    }
    void lumpedBackward(int q, int k)
    {
        const auto& sy = tc.synapses[I(q)];
        mlpBackward(sy.mlp, w.syn[I(q)], k, Impl::row(w.gI, sy.post, 0, bc), 1 + d.nz);
    }
    void conductanceBackward(int q, int k)
    {
        const auto& sy = tc.synapses[I(q)];
        auto& a = w.syn[I(q)];
        View D = Impl::at(a.D[0], k, bc);
        detail::conductanceActivationBackward<S>(sy, Impl::row(a.gOut, 0, k, bc), Impl::at(a.H[0], k, bc), D);
        View dX = View(w.dX.data(), d.nc, bc, Eigen::OuterStride<>(w.dX.cols()));
        dX.noalias() = sy.W1.transpose() * D;
    }

    void addDataLoss(double scale)
    {
        loss = scale * static_cast<double>((all(w.Pred, cols()) - all(w.Vm, cols())).squaredNorm());
    }
    void addContinuityLoss(double x) { loss += x; }
    void clearSeeds()
    {
        Impl::at(w.gP, 0, bc).setZero();
        for (int i = 0; i < d.n; ++i)
            for (Mat* M : {&w.gw[I(i)], &w.gz[I(i)], &w.gc[I(i)]})
                if (M->rows())
                    Impl::at(*M, 0, bc).setZero();
    }
    S* grad() const { return w.g.data(); }
    std::ptrdiff_t off(int block) const { return d.layout.blocks()[I(block)].offset; }
    void addNeuronScalars(int i, int k)
    {
        const auto& ni = d.layout.neuronIndex(i);
        const S sdt = static_cast<S>(d.dt);
        S* g = grad();
        g[off(ni.a)] += sdt * Impl::row(w.gP, i, 0, bc).dot(Impl::row(w.Iu, i, k, bc));
        g[off(ni.g)] += Impl::row(w.gI, i, 0, bc).dot(Impl::row(w.Fed, i, k, bc));
        g[off(ni.b)] += Impl::row(w.gI, i, 0, bc).sum();
    }
    template <typename E> void addGbar(int q, const E& dGbar)
    {
        grad()[off(d.layout.synapseIndex(q).gbar)] += dGbar.sum();
    }

    /// The block's loss; with the gradient, the weight gradients of all steps at once.
    void finish(bool wantGrad)
    {
        w.loss += loss;
        if (!wantGrad)
            return;
        S* g = grad();
        const long L = cols();
        auto mlpWeights = [&](const MlpIndex& mi, Mlp& a) {
            detail::mlpWeightGradients(
                d.layout, mi, g, [&](std::size_t l) { return all(a.H[l], L); },
                [&](std::size_t l) { return all(a.D[l], L); }, all(a.gOut, L));
        };
        for (int i = 0; i < d.n; ++i) {
            const auto& mi = d.layout.neuronIndex(i).intrinsic;
            auto& a = w.intr[I(i)];
            mlpWeights(mi, a);
            Eigen::Map<Mat>(g + off(mi.W[0]), a.D[0].rows(), 1 + d.nw).noalias() +=
                all(a.D[0], L) * all(w.Xi[I(i)], L).transpose();
        }
        for (int q = 0; q < d.layout.synapseCount(); ++q) {
            const auto& sy = tc.synapses[I(q)];
            const auto& si = d.layout.synapseIndex(q);
            auto& a = w.syn[I(q)];
            if (sy.lumped) {
                mlpWeights(si.lumped, a);
                detail::lumpedSynapseInputGradients(d.layout, si.lumped, g, all(a.D[0], L),
                                                    all(w.Xi[I(sy.post)], L).row(0), all(w.Xz[I(sy.pre)], L));
            } else {
                detail::conductanceWeightGradients(d.layout, si, g, all(a.H[0], L), all(a.D[0], L),
                                                   all(a.gOut, L), all(w.Xc[I(sy.pre)], L));
            }
        }
    }
};

template <typename S>
void MsProblem<S>::Impl::runBlock(const detail::TypedCircuit<S>& tc, Ws& w, long first, long count, long c0,
                                  int bc, const MsScales& sc, bool wantGrad, S* shotGrad)
{
    EigenShots b{*this, tc, w, first, c0, bc};
    msloop::runShots(b, *this, tc, first, count, sc, wantGrad, shotGrad);
}

} // namespace rmm
