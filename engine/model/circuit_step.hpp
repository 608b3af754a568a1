// SPDX-License-Identifier: GPL-3.0-or-later
// One time step of the circuit, written once (docs/method.md section 2), each equation with its
// partial derivatives (the adjoint) next to it. For neuron i at sample t:
//
//   v_fed  = gamma v_meas + (1 - gamma) v_pred             observer (GTF; gamma = 0: MS, free run)
//   I_i    = I_int(q(v_fed), q(w)) + g_L v_fed + b_L        own current: intrinsic MLP + leak
//          + sum over synapses j -> i of I_syn              lumped: MLP(q(v_fed,i), q(z_j))
//                                                           conductance: gbar s (v_fed,i - E_syn),
//                                                           s = W2 sigmoid(W1 q(c_j) + b1)
//   v_next = v_fed + dt (1/C) (u - I_i)                     teacher forcing fits (1/C)(u - I_i)
//   w, z   <- all-pass cascades driven by v_fed (Eq. 18);  c <- lambda c + (1 - lambda) v_fed
//
// Every function is a template over the lane type: a double or a float (one column: the
// simulation, the analysis), an Eigen array expression (a block of columns: teacher forcing and
// the Eigen multiple-shooting kernel) or an AVX-512 vector of 16 shots (ms_kernel_simd.cpp). The
// tanh and sigmoid layers are the batched MLP kernel each backend brings (Eigen products, or the
// register-tiled SIMD kernel); this file holds what those layers feed and what they are fed.
// Callers that differentiate multiply the derivatives below by the adjoint of the output and
// reduce over their columns as their layout needs. Changing the model equation (a new synapse
// kind, a new current) starts here; the kernels' tests (finite-difference gradients in float64,
// float32 against float64, SIMD against Eigen, simulation against teacher forcing) check that
// every evaluator follows.
#pragma once

namespace rmm::step {

/// The observer of generalised teacher forcing (docs/method.md 3.3): v_fed = gamma v_meas +
/// (1 - gamma) v_pred, with both gains rounded once to the arithmetic S. Its adjoint:
/// dv_fed/dv_pred = keep.
template <typename S> struct Observer {
    S gain = 0; ///< gamma
    S keep = 1; ///< 1 - gamma
    explicit Observer(double gamma) : gain(static_cast<S>(gamma)), keep(static_cast<S>(1 - gamma)) {}
    /// True when the measured voltage enters (gamma > 0); otherwise v_fed = v_pred.
    bool active() const { return gain > S(0); }
    template <typename T, typename U> auto fed(const T& vMeas, const U& vPred) const
    {
        return gain * vMeas + keep * vPred;
    }
};

/// Leak current g_L v + b_L (b_L = -g_L E_L). d/dg_L = v, d/db_L = 1, d/dv = g_L.
template <typename S, typename T> auto leakCurrent(S g, S b, const T& v)
{
    return g * v + b;
}

/// A neuron's own current, intrinsic + leak, summed in this order by the training kernels (the
/// simulation records the leak on its own and adds iInt + leakCurrent(g, b, v): equal up to
/// rounding). Derivatives as leakCurrent's, and 1 for iInt.
template <typename S, typename T, typename U> auto ownCurrent(const T& iInt, S g, S b, const U& v)
{
    return iInt + g * v + b;
}

/// The driving force of a conductance synapse, v_post - E_syn.
template <typename S, typename T> auto synapticDrive(const T& vPost, S eSyn)
{
    return vPost - eSyn;
}

/// Conductance synapse current gbar s drive (docs/method.md Eq. 19-20), s >= 0 its activation.
template <typename S, typename T, typename U> auto conductanceCurrent(S gbar, const T& s, const U& drive)
{
    return gbar * s * drive;
}
/// Adjoints of conductanceCurrent for dI = dL/dI_syn: dL/dgbar (summed over columns by the
/// caller), dL/ds, and dL/dv_post (through the drive).
template <typename T, typename U, typename W>
auto conductanceGbarAdjoint(const T& dI, const U& s, const W& drive)
{
    return dI * s * drive;
}
template <typename S, typename T, typename W>
auto conductanceActivationAdjoint(S gbar, const T& dI, const W& drive)
{
    return gbar * dI * drive;
}
template <typename S, typename T, typename U> auto conductanceVoltageAdjoint(S gbar, const T& dI, const U& s)
{
    return gbar * dI * s;
}

/// Slopes of the layers' activations from their outputs: tanh' = 1 - h^2, sigmoid' = h (1 - h).
template <typename S, typename T> auto tanhSlope(const T& h)
{
    return S(1) - h * h;
}
template <typename S, typename T> auto sigmoidSlope(const T& h)
{
    return h * (S(1) - h);
}

/// The membrane equation's right-hand side dv/dt = (1/C)(u - I), the target teacher forcing
/// fits. d/d(1/C) = u - I, d/dI = -1/C.
template <typename S, typename T> auto voltageRate(S invCap, const T& uMinusI)
{
    return invCap * uMinusI;
}

/// One explicit Euler step of the membrane: v_next = v_fed + (dt/C)(u - I), dtOverC = dt (1/C)
/// rounded once.
template <typename S, typename T, typename U> auto nextVoltage(const T& vFed, S dtOverC, const U& uMinusI)
{
    return vFed + dtOverC * uMinusI;
}
/// Adjoint of nextVoltage for g = dL/dv_next: dL/dv_fed = g, dL/dI = -(dt/C) g (this function),
/// dL/d(1/C) = dt sum g (u - I) (reduced by the caller).
template <typename S, typename T> auto nextVoltageCurrentAdjoint(S dtOverC, const T& g)
{
    return (-dtOverC) * g;
}

/// Section k of an orthonormal all-pass cascade (docs/method.md Eq. 18), pole p, gain
/// g = sqrt(1 - p^2), e the section's input (the previous section's output; v_fed for k = 0):
///   x_k <- p x_k + g e,   e <- g x_k - p e.
/// `t` is scratch of the lane type (an Eigen row needs one; scalars and SIMD vectors pass a local).
/// A step of the cascade applies k = 0, 1, ... in order.
template <typename X, typename E, typename T, typename S> void allpassSection(X&& x, E&& e, T&& t, S p, S g)
{
    t = x;
    x = p * t + g * e;
    e = g * t - p * e;
}
/// Adjoint of allpassSection: gx (the adjoint of the new x_k) becomes the adjoint of the old x_k,
/// ge (the adjoint of the section's output e) becomes the adjoint of its input. The section's
/// matrix [[p, g], [g, -p]] is symmetric (and orthogonal), so its adjoint is the same map. The adjoint of a
/// cascade step applies the sections in reverse order, from ge = 0; the adjoint of v_fed is the final ge.
template <typename X, typename E, typename T, typename S>
void allpassSectionAdjoint(X&& gx, E&& ge, T&& t, S p, S g)
{
    allpassSection(gx, ge, t, p, g);
}

/// Unit-DC-gain low-pass of the conductance synapse (docs/method.md Eq. 19):
/// c_next = lambda c + (1 - lambda) v.
template <typename S, typename C, typename V> auto lowpass(S lambda, const C& c, const V& v)
{
    return lambda * c + (S(1) - lambda) * v;
}
/// Adjoint of lowpass: gc (the adjoint of c_next) becomes the adjoint of c; gv (the adjoint of
/// its input v) receives (1 - lambda) gc.
template <typename S, typename G, typename E> void lowpassAdjoint(S lambda, G&& gc, E&& gv)
{
    gv += (S(1) - lambda) * gc;
    gc *= lambda;
}

} // namespace rmm::step
