// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to multiple_shooting.cpp (included from ms_problem_impl.hpp): forward simulation and
// backpropagation through time of one block of bc shots (columns).
#pragma once

#include "engine/model/circuit_step.hpp"

#include <algorithm>
#include <cmath>

namespace rmm {

namespace msdetail {

/// One step of an all-pass cascade (step::allpassSection) on the rows of x; e holds the input on
/// entry, t is scratch.
template <typename S, typename View, typename Row>
inline void cascadeStep(View x, const detail::Vec<S>& p, const detail::Vec<S>& g, Row e, Row t)
{
    for (Eigen::Index q = 0; q < x.rows(); ++q)
        step::allpassSection(x.row(q), e, t, p[q], g[q]);
}

/// Adjoint of cascadeStep: gx (adjoint of the new state) becomes the adjoint of the old state;
/// ge receives the adjoint of the input.
template <typename S, typename View, typename Row>
inline void cascadeAdjoint(View gx, const detail::Vec<S>& p, const detail::Vec<S>& g, Row ge, Row t)
{
    ge.setZero();
    for (Eigen::Index q = gx.rows() - 1; q >= 0; --q)
        step::allpassSectionAdjoint(gx.row(q), ge, t, p[q], g[q]);
}

} // namespace msdetail

template <typename S>
void MsProblem<S>::Impl::runBlock(const detail::TypedCircuit<S>& tc, Ws& w, long first, long count, long c0,
                                  int bc, const MsScales& sc, bool wantGrad, S* shotGrad)
{
    using msdetail::cascadeAdjoint;
    using msdetail::cascadeStep;
    const int ns = layout.synapseCount();
    const long cols = static_cast<long>(s) * bc;
    const step::Observer<S> observer(gamma);
    const S sdt = static_cast<S>(dt);
    auto off = [&](int block) { return layout.blocks()[static_cast<std::size_t>(block)].offset; };
    auto I = [](int i) { return static_cast<std::size_t>(i); };

    // Gather measured data and the initial conditions of the block's shots.
    for (int c = 0; c < bc; ++c) {
        const long shot = first + c0 + c;
        const auto& si = shotInfo[static_cast<std::size_t>(shot)];
        const Mat& V = vm[I(si.trial)];
        const Mat& U = um[I(si.trial)];
        for (int i = 0; i < n; ++i)
            for (int k = 0; k < s; ++k) {
                w.Vm(i, static_cast<long>(k) * bc + c) = V(i, si.t0 + k);
                w.Um(i, static_cast<long>(k) * bc + c) = U(i, si.t0 + k);
            }
        const S* x = X.data() + shot * P;
        for (int i = 0; i < n; ++i) {
            w.pred(i, c) = x[i];
            for (int q = 0; q < nw; ++q)
                w.w[I(i)](q, c) = x[wOff[I(i)] + q];
            for (int q = 0; q < w.z[I(i)].rows(); ++q)
                w.z[I(i)](q, c) = x[zOff[I(i)] + q];
            for (int q = 0; q < w.c[I(i)].rows(); ++q)
                w.c[I(i)](q, c) = x[cOff[I(i)] + q];
        }
    }

    auto mlpForward = [&](const detail::TypedMlp<S>& mlp, Mlp& a, int k) {
        detail::mlpForwardBlock(
            mlp, [&](std::size_t l) { return at(a.H[l], k, bc); }, row(a.out, 0, k, bc));
    };

    // Forward simulation.
    for (int k = 0; k < s; ++k) {
        for (int i = 0; i < n; ++i) {
            auto pr = row(w.pred, i, 0, bc);
            row(w.Pred, i, k, bc) = pr;
            auto fed = row(w.Fed, i, k, bc);
            if (observer.active())
                fed = observer.fed(row(w.Vm, i, k, bc), pr);
            else
                fed = pr;
            View xi = at(w.Xi[I(i)], k, bc);
            xi.row(0) = (avS[I(i)] * fed.array() + avO[I(i)]).matrix();
            xi.bottomRows(nw) =
                ((at(w.w[I(i)], 0, bc).array().colwise() * awS[I(i)].array()).colwise() + awO[I(i)].array())
                    .matrix();
            if (w.z[I(i)].rows())
                at(w.Xz[I(i)], k, bc) =
                    ((at(w.z[I(i)], 0, bc).array().colwise() * azS[I(i)].array()).colwise() +
                     azO[I(i)].array())
                        .matrix();
            if (w.c[I(i)].rows())
                at(w.Xc[I(i)], k, bc) = (cS * at(w.c[I(i)], 0, bc).array() + cO).matrix();
        }
        for (int i = 0; i < n; ++i) {
            const auto& ne = tc.neurons[I(i)];
            auto& a = w.intr[I(i)];
            at(a.H[0], k, bc).noalias() = ne.mlp.W[0] * at(w.Xi[I(i)], k, bc);
            mlpForward(ne.mlp, a, k);
            row(w.gI, i, 0, bc).array() = step::ownCurrent(row(a.out, 0, k, bc).array(), ne.gleak, ne.bleak,
                                                           row(w.Fed, i, k, bc).array());
        }
        for (int q = 0; q < ns; ++q) {
            const auto& sy = tc.synapses[I(q)];
            auto& a = w.syn[I(q)];
            auto Ipost = row(w.gI, sy.post, 0, bc);
            if (sy.lumped) {
                View H0 = at(a.H[0], k, bc);
                detail::lumpedSynapseInput(sy.mlp, H0, at(w.Xi[I(sy.post)], k, bc).row(0),
                                           at(w.Xz[I(sy.pre)], k, bc));
                mlpForward(sy.mlp, a, k);
                Ipost += row(a.out, 0, k, bc);
            } else {
                auto sv = row(a.out, 0, k, bc);
                detail::addConductanceSynapseCurrent(sy, at(w.Xc[I(sy.pre)], k, bc), at(a.H[0], k, bc), sv,
                                                     row(w.Fed, sy.post, k, bc), Ipost, tc.esyn);
            }
        }
        for (int i = 0; i < n; ++i) {
            auto iu = row(w.Iu, i, k, bc);
            auto fed = row(w.Fed, i, k, bc);
            iu = row(w.Um, i, k, bc) - row(w.gI, i, 0, bc);
            row(w.pred, i, 0, bc) = step::nextVoltage(fed, sdt * tc.neurons[I(i)].invcap, iu);
            auto e = row(w.e, 0, 0, bc);
            auto t = row(w.t1, 0, 0, bc);
            e = fed;
            cascadeStep<S>(at(w.w[I(i)], 0, bc), pI, sI, e, t);
            if (w.z[I(i)].rows()) {
                e = fed;
                cascadeStep<S>(at(w.z[I(i)], 0, bc), pZ, sZ, e, t);
            }
            if (w.c[I(i)].rows()) {
                View cz = at(w.c[I(i)], 0, bc);
                for (int q = 0; q < nc; ++q)
                    cz.row(q) = step::lowpass(lC[q], cz.row(q), fed);
            }
        }
    }

    // Loss: data term and continuity with the next shot of the mini-batch.
    double loss = sc.data * static_cast<double>((all(w.Pred, cols) - all(w.Vm, cols)).squaredNorm());
    for (int c = 0; c < bc; ++c) {
        const long gc = c0 + c;
        const bool next = gc + 1 < count;
        const S* xn = next ? X.data() + (first + gc + 1) * P : nullptr;
        S* cn = next ? cont.data() + (gc + 1) * P : nullptr;
        auto term = [&](S val, int idx, double scale, S& gOut) {
            if (!next) {
                gOut = 0;
                return;
            }
            const double wt = weight[static_cast<std::size_t>(idx)];
            const double dv = static_cast<double>(val) - static_cast<double>(xn[idx]);
            loss += scale * dv * dv * wt * wt;
            const S gr = static_cast<S>(2 * scale * dv * wt * wt);
            gOut = gr;
            cn[idx] -= gr;
        };
        for (int i = 0; i < n; ++i) {
            term(w.pred(i, c), i, sc.v, w.gP(i, c));
            for (int q = 0; q < nw; ++q)
                term(w.w[I(i)](q, c), wOff[I(i)] + q, sc.x, w.gw[I(i)](q, c));
            for (int q = 0; q < w.z[I(i)].rows(); ++q)
                term(w.z[I(i)](q, c), zOff[I(i)] + q, sc.x, w.gz[I(i)](q, c));
            for (int q = 0; q < w.c[I(i)].rows(); ++q)
                term(w.c[I(i)](q, c), cOff[I(i)] + q, sc.x, w.gc[I(i)](q, c));
        }
    }
    w.loss += loss;
    if (!wantGrad)
        return;

    // Backpropagation through time.
    S* g = w.g.data();
    const S sData = static_cast<S>(2 * sc.data);
    auto mlpBackward = [&](const detail::TypedMlp<S>& mlp, Mlp& a, int k, const auto& dOut) {
        row(a.gOut, 0, k, bc) = dOut;
        detail::mlpBackwardBlock(
            mlp, [&](std::size_t l) { return at(a.H[l], k, bc); },
            [&](std::size_t l) { return at(a.D[l], k, bc); }, dOut);
    };
    for (int k = s - 1; k >= 0; --k) {
        auto e = row(w.e, 0, 0, bc);
        auto t = row(w.t1, 0, 0, bc);
        for (int i = 0; i < n; ++i) {
            const auto& ne = tc.neurons[I(i)];
            const auto& ni = layout.neuronIndex(i);
            auto gP = row(w.gP, i, 0, bc);
            auto gI = row(w.gI, i, 0, bc);
            auto gF = row(w.gFed, i, 0, bc);
            auto fed = row(w.Fed, i, k, bc);
            gI = step::nextVoltageCurrentAdjoint(sdt * ne.invcap, gP);
            g[off(ni.a)] += sdt * gP.dot(row(w.Iu, i, k, bc));
            g[off(ni.g)] += gI.dot(fed);
            g[off(ni.b)] += gI.sum();
            gF = gP + ne.gleak * gI; // v_fed enters the next voltage (1) and the leak (g_L)
            cascadeAdjoint<S>(at(w.gw[I(i)], 0, bc), pI, sI, e, t);
            gF += e;
            if (w.gz[I(i)].rows()) {
                cascadeAdjoint<S>(at(w.gz[I(i)], 0, bc), pZ, sZ, e, t);
                gF += e;
            }
            if (w.gc[I(i)].rows()) {
                View gz = at(w.gc[I(i)], 0, bc);
                for (int q = 0; q < nc; ++q)
                    step::lowpassAdjoint(lC[q], gz.row(q), gF);
            }
        }
        for (int i = 0; i < n; ++i) {
            const auto& mlp = tc.neurons[I(i)].mlp;
            auto& a = w.intr[I(i)];
            mlpBackward(mlp, a, k, row(w.gI, i, 0, bc));
            View dX = View(w.dX.data(), 1 + nw, bc, Eigen::OuterStride<>(w.dX.cols()));
            dX.noalias() = mlp.W[0].transpose() * at(a.D[0], k, bc);
            row(w.gFed, i, 0, bc) += avS[I(i)] * dX.row(0);
            at(w.gw[I(i)], 0, bc).array() += dX.bottomRows(nw).array().colwise() * awS[I(i)].array();
        }
        for (int q = 0; q < ns; ++q) {
            const auto& sy = tc.synapses[I(q)];
            const auto& si = layout.synapseIndex(q);
            auto& a = w.syn[I(q)];
            auto gIp = row(w.gI, sy.post, 0, bc);
            if (sy.lumped) {
                mlpBackward(sy.mlp, a, k, gIp);
                View dX = View(w.dX.data(), 1 + nz, bc, Eigen::OuterStride<>(w.dX.cols()));
                dX.noalias() = sy.mlp.W[0].transpose() * at(a.D[0], k, bc);
                row(w.gFed, sy.post, 0, bc) += avS[I(sy.post)] * dX.row(0);
                at(w.gz[I(sy.pre)], 0, bc).array() +=
                    dX.bottomRows(nz).array().colwise() * azS[I(sy.pre)].array();
            } else {
                auto sv = row(a.out, 0, k, bc);
                auto vE = row(w.t1, 0, 0, bc);
                vE.array() = step::synapticDrive(row(w.Fed, sy.post, k, bc).array(), tc.esyn);
                auto ds = row(a.gOut, 0, k, bc);
                View D = at(a.D[0], k, bc);
                g[off(si.gbar)] +=
                    detail::conductanceSynapseAdjoint<S>(sy, gIp, sv, vE, at(a.H[0], k, bc), ds, D);
                row(w.gFed, sy.post, 0, bc).array() +=
                    step::conductanceVoltageAdjoint(sy.gbar, gIp.array(), sv.array());
                View dX = View(w.dX.data(), nc, bc, Eigen::OuterStride<>(w.dX.cols()));
                dX.noalias() = sy.W1.transpose() * D;
                at(w.gc[I(sy.pre)], 0, bc) += cS * dX;
            }
        }
        for (int i = 0; i < n; ++i)
            row(w.gP, i, 0, bc) =
                observer.keep * row(w.gFed, i, 0, bc) + sData * (row(w.Pred, i, k, bc) - row(w.Vm, i, k, bc));
    }

    // Weight gradients of all steps at once.
    auto mlpWeights = [&](const MlpIndex& mi, Mlp& a) {
        detail::mlpWeightGradients(
            layout, mi, g, [&](std::size_t l) { return all(a.H[l], cols); },
            [&](std::size_t l) { return all(a.D[l], cols); }, all(a.gOut, cols));
    };
    for (int i = 0; i < n; ++i) {
        const auto& mi = layout.neuronIndex(i).intrinsic;
        auto& a = w.intr[I(i)];
        mlpWeights(mi, a);
        Eigen::Map<Mat>(g + off(mi.W[0]), a.D[0].rows(), 1 + nw).noalias() +=
            all(a.D[0], cols) * all(w.Xi[I(i)], cols).transpose();
    }
    for (int q = 0; q < ns; ++q) {
        const auto& sy = tc.synapses[I(q)];
        const auto& si = layout.synapseIndex(q);
        auto& a = w.syn[I(q)];
        if (sy.lumped) {
            mlpWeights(si.lumped, a);
            detail::lumpedSynapseInputGradients(layout, si.lumped, g, all(a.D[0], cols),
                                                all(w.Xi[I(sy.post)], cols).row(0),
                                                all(w.Xz[I(sy.pre)], cols));
        } else {
            detail::conductanceWeightGradients(layout, si, g, all(a.H[0], cols), all(a.D[0], cols),
                                               all(a.gOut, cols), all(w.Xc[I(sy.pre)], cols));
        }
    }

    // Gradients with respect to the block's shot initial conditions.
    if (shotGrad) {
        for (int c = 0; c < bc; ++c) {
            S* gs = shotGrad + (c0 + c) * P;
            for (int i = 0; i < n; ++i) {
                gs[i] = w.gP(i, c);
                for (int q = 0; q < nw; ++q)
                    gs[wOff[I(i)] + q] = w.gw[I(i)](q, c);
                for (int q = 0; q < w.gz[I(i)].rows(); ++q)
                    gs[zOff[I(i)] + q] = w.gz[I(i)](q, c);
                for (int q = 0; q < w.gc[I(i)].rows(); ++q)
                    gs[cOff[I(i)] + q] = w.gc[I(i)](q, c);
            }
        }
    }
}

} // namespace rmm
