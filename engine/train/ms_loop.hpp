// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the multiple-shooting kernels: the forward simulation of a block of shots through
// the circuit step (engine/model/circuit_step.hpp) and its exact adjoint (backpropagation through
// time), written once for both backends (docs/method.md sections 2 and 3.2):
//   * the Eigen backend (ms_block.hpp): float or double, the block's shots are the columns of
//     Eigen arrays, one group per block;
//   * the AVX-512 backend (ms_kernel_simd.cpp): float, one shot per SIMD lane, groups of 16.
// A backend owns the layout and the batched kernels: where a quantity of a step lives (a "lane":
// an Eigen row of the block's columns, or one 16-float vector), the gather of a group's data, the
// MLPs and the synapse's activation layer (forward, reverse), the reductions over shots (loss,
// scalar parameters, weight gradients). This file owns the wiring: which current enters which
// voltage, the observer, the cascades, the continuity with the next shot, and the order in which
// the adjoints flow back. A change to the step (a new current, a new state) is made here once.
#pragma once

#include "engine/model/circuit_step.hpp"

#include <cstddef>

namespace rmm::msloop {

/// Runs shots [first + c0, ...) of the mini-batch [first, first + count) through the backend b:
/// the loss goes to the backend's accumulators, the continuity gradients of the next shots'
/// initial conditions to d.cont, the shots' state gradients to shotGrad (when not null) and, when
/// wantGrad, the parameter gradients (as the kernels see them) to the backend's gradient.
///
/// `d` is the problem (MsProblem<S>::Impl: sizes, normalisation, banks, shots), `tc` the circuit
/// in the backend's arithmetic, sc the loss scales.
template <typename Backend, typename Problem, typename Circuit, typename Scales>
void runShots(Backend& b, Problem& d, const Circuit& tc, long first, long count, const Scales& sc,
              bool wantGrad, typename Backend::Scalar* shotGrad)
{
    using S = typename Backend::Scalar;
    auto I = [](long i) { return static_cast<std::size_t>(i); };
    const int n = d.n, nw = d.nw, nz = d.nz, nc = d.nc, s = d.s, P = d.P;
    const int ns = d.layout.synapseCount();
    const step::Observer<S> observer(d.gamma);
    const S sdt = static_cast<S>(d.dt);

    for (int gr = 0; gr < b.groups(); ++gr) {
        b.gather(gr); // measured data and the initial states of the group's shots

        // Forward simulation.
        for (int k = 0; k < s; ++k) {
            for (int i = 0; i < n; ++i) {
                auto&& pr = b.pred(i);
                b.vPred(i, k) = pr;
                auto&& fed = b.vFed(i, k);
                if (observer.active())
                    fed = observer.fed(b.vMeas(i, k), pr);
                else
                    fed = pr;
                // The MLPs' normalised inputs.
                b.inI(i, k, 0) = d.avS[I(i)] * fed + d.avO[I(i)];
                for (int q = 0; q < nw; ++q)
                    b.inI(i, k, 1 + q) = d.awS[I(i)][q] * b.xw(i, q) + d.awO[I(i)][q];
                for (int q = 0; q < b.zRows(i); ++q)
                    b.inZ(i, k, q) = d.azS[I(i)][q] * b.xz(i, q) + d.azO[I(i)][q];
                for (int q = 0; q < b.cRows(i); ++q)
                    b.inC(i, k, q) = d.cS * b.xc(i, q) + d.cO;
            }
            for (int i = 0; i < n; ++i) {
                const auto& ne = tc.neurons[I(i)];
                b.intrinsicForward(i, k);
                b.current(i) = step::ownCurrent(b.intrinsicOut(i, k), ne.gleak, ne.bleak, b.vFed(i, k));
            }
            for (int q = 0; q < ns; ++q) {
                const auto& sy = tc.synapses[I(q)];
                if (sy.lumped) {
                    b.lumpedForward(q, k); // input: the receiver's voltage, the sender's z
                    b.current(sy.post) += b.synapseOut(q, k);
                } else {
                    b.conductanceForward(q, k); // s from the sender's c
                    b.current(sy.post) += step::conductanceCurrent(
                        sy.gbar, b.synapseOut(q, k), step::synapticDrive(b.vFed(sy.post, k), tc.esyn));
                }
            }
            for (int i = 0; i < n; ++i) {
                auto&& fed = b.vFed(i, k);
                auto&& iu = b.uMinusI(i, k);
                iu = b.uMeas(i, k) - b.current(i);
                b.pred(i) = step::nextVoltage(fed, sdt * tc.neurons[I(i)].invcap, iu);
                auto e = b.lane(0);
                auto t = b.lane(1);
                e = fed;
                for (int q = 0; q < nw; ++q)
                    step::allpassSection(b.xw(i, q), e, t, d.pI[q], d.sI[q]);
                if (b.zRows(i)) {
                    e = fed;
                    for (int q = 0; q < nz; ++q)
                        step::allpassSection(b.xz(i, q), e, t, d.pZ[q], d.sZ[q]);
                }
                for (int q = 0; q < b.cRows(i); ++q)
                    b.xc(i, q) = step::lowpass(d.lC[q], b.xc(i, q), fed);
            }
        }

        // Loss: the data term, then continuity with the next shot of the mini-batch, whose
        // gradient seeds the adjoints (zero for the last shot of the mini-batch).
        b.addDataLoss(sc.data);
        b.clearSeeds();
        for (int l = 0; l < b.shots(); ++l) {
            const long gc = b.column(l);
            if (gc + 1 >= count)
                continue;
            const S* xn = d.X.data() + (first + gc + 1) * P;
            S* cn = d.cont.data() + (gc + 1) * P;
            auto term = [&](auto&& state, int idx, double scale, auto&& seed) {
                const double wt = d.weight[I(idx)];
                const double dv = static_cast<double>(Backend::get(state, l)) - static_cast<double>(xn[idx]);
                b.addContinuityLoss(scale * dv * dv * wt * wt);
                const auto gval = static_cast<S>(2 * scale * dv * wt * wt);
                Backend::set(seed, l, gval);
                cn[idx] -= gval;
            };
            for (int i = 0; i < n; ++i) {
                term(b.pred(i), i, sc.v, b.gPred(i));
                for (int q = 0; q < nw; ++q)
                    term(b.xw(i, q), d.wOff[I(i)] + q, sc.x, b.gw(i, q));
                for (int q = 0; q < b.zRows(i); ++q)
                    term(b.xz(i, q), d.zOff[I(i)] + q, sc.x, b.gz(i, q));
                for (int q = 0; q < b.cRows(i); ++q)
                    term(b.xc(i, q), d.cOff[I(i)] + q, sc.x, b.gc(i, q));
            }
        }
        if (!wantGrad)
            continue;

        // Backpropagation through time. current(i) holds dL/dI_i from here on.
        const auto sData = b.dataWeight(static_cast<S>(2 * sc.data));
        for (int k = s - 1; k >= 0; --k) {
            for (int i = 0; i < n; ++i) {
                const auto& ne = tc.neurons[I(i)];
                auto&& gp = b.gPred(i);
                auto&& gi = b.current(i);
                auto&& gF = b.gFed(i);
                gi = step::nextVoltageCurrentAdjoint(sdt * ne.invcap, gp);
                b.addNeuronScalars(i, k); // dL/d(1/C), dL/dg_L, dL/db_L
                gF = gp + ne.gleak * gi;  // v_fed enters the next voltage (1) and the leak (g_L)
                auto ge = b.zeroLane(0);
                auto t = b.lane(1);
                for (int q = nw - 1; q >= 0; --q)
                    step::allpassSectionAdjoint(b.gw(i, q), ge, t, d.pI[q], d.sI[q]);
                gF += ge;
                if (b.zRows(i)) {
                    auto gez = b.zeroLane(0);
                    for (int q = nz - 1; q >= 0; --q)
                        step::allpassSectionAdjoint(b.gz(i, q), gez, t, d.pZ[q], d.sZ[q]);
                    gF += gez;
                }
                for (int q = 0; q < b.cRows(i); ++q)
                    step::lowpassAdjoint(d.lC[q], b.gc(i, q), gF);
            }
            for (int i = 0; i < n; ++i) {
                b.intrinsicBackward(i, k); // from dOut = current(i): deltas, input adjoints
                b.gFed(i) += d.avS[I(i)] * b.inputAdjoint(0);
                for (int q = 0; q < nw; ++q)
                    b.gw(i, q) += b.inputAdjoint(1 + q) * d.awS[I(i)][q];
            }
            for (int q = 0; q < ns; ++q) {
                const auto& sy = tc.synapses[I(q)];
                auto&& gIp = b.current(sy.post);
                if (sy.lumped) {
                    b.lumpedBackward(q, k);
                    b.gFed(sy.post) += d.avS[I(sy.post)] * b.inputAdjoint(0);
                    for (int r = 0; r < nz; ++r)
                        b.gz(sy.pre, r) += b.inputAdjoint(1 + r) * d.azS[I(sy.pre)][r];
                } else {
                    auto&& sv = b.synapseOut(q, k);
                    auto vE = b.lane(1);
                    vE = step::synapticDrive(b.vFed(sy.post, k), tc.esyn);
                    b.addGbar(q, step::conductanceGbarAdjoint(gIp, sv, vE));
                    b.synapseGOut(q, k) = step::conductanceActivationAdjoint(sy.gbar, gIp, vE);
                    b.gFed(sy.post) += step::conductanceVoltageAdjoint(sy.gbar, gIp, sv);
                    b.conductanceBackward(q, k); // from dL/ds: the sigmoid layer's delta, input adjoints
                    for (int r = 0; r < nc; ++r)
                        b.gc(sy.pre, r) += d.cS * b.inputAdjoint(r);
                }
            }
            for (int i = 0; i < n; ++i)
                b.gPred(i) = observer.keep * b.gFed(i) + sData * (b.vPred(i, k) - b.vMeas(i, k));
        }

        // Gradients with respect to the group's shot initial conditions.
        if (shotGrad)
            for (int l = 0; l < b.shots(); ++l) {
                S* gs = shotGrad + b.column(l) * P;
                for (int i = 0; i < n; ++i) {
                    gs[i] = Backend::get(b.gPred(i), l);
                    for (int q = 0; q < nw; ++q)
                        gs[d.wOff[I(i)] + q] = Backend::get(b.gw(i, q), l);
                    for (int q = 0; q < b.zRows(i); ++q)
                        gs[d.zOff[I(i)] + q] = Backend::get(b.gz(i, q), l);
                    for (int q = 0; q < b.cRows(i); ++q)
                        gs[d.cOff[I(i)] + q] = Backend::get(b.gc(i, q), l);
                }
            }
    }
    b.finish(wantGrad); // the loss, the scalar parameters' and the weights' gradients of the block
}

} // namespace rmm::msloop
