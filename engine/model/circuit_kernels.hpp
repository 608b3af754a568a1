// SPDX-License-Identifier: GPL-3.0-or-later
// Internal: the circuit's parameters converted to scalar type S, and vectorised activations.
// Shared by teacher forcing (batched, features x block, row-major) and simulation.
#pragma once
#include "engine/model/circuit_model.hpp"
#include "engine/model/circuit_step.hpp"

#include <Eigen/Core>

#include <cmath>
#include <type_traits>
#include <vector>

namespace rmm::detail {

template <typename S> using RowMat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename S> using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;
template <typename S> using RowVec = Eigen::Matrix<S, 1, Eigen::Dynamic>;
template <typename S> using ArrMap = Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>>;

/// tanh in place on n contiguous values. float: Eigen's vectorised tanh. double: Eigen's double
/// tanh is scalar, so tanh(x) = (1 - t) / (1 + t), t = exp(-2x), with x clamped to [-20, 20]
/// (tanh(20) = 1 to double precision): two vectorised passes, one exp per value.
template <typename S> inline void tanhInPlace(S* x, long n)
{
    ArrMap<S> a(x, n);
    if constexpr (std::is_same_v<S, float>) {
        a = a.tanh();
    } else {
        a = (S(-2) * a.max(S(-20)).min(S(20))).exp();
        a = (S(1) - a) / (S(1) + a);
    }
}

/// Logistic sigmoid in place.
template <typename S> inline void sigmoidInPlace(S* x, long n)
{
    ArrMap<S> a(x, n);
    a = S(1) / (S(1) + (-a).exp());
}

template <typename S> struct TypedMlp {
    std::vector<RowMat<S>> W;
    std::vector<Vec<S>> b;
    RowVec<S> r;
    int maxWidth = 0;

    void load(const CircuitModel& m, const std::vector<double>& theta, const MlpIndex& mi)
    {
        W.clear();
        b.clear();
        maxWidth = 0;
        for (std::size_t l = 0; l < mi.W.size(); ++l) {
            const auto& bw = m.blocks()[static_cast<std::size_t>(mi.W[l])];
            const auto& bb = m.blocks()[static_cast<std::size_t>(mi.b[l])];
            W.push_back(
                Eigen::Map<const RowMat<double>>(theta.data() + bw.offset, bw.rows, bw.cols).cast<S>());
            b.push_back(Eigen::Map<const Vec<double>>(theta.data() + bb.offset, bb.rows).cast<S>());
            maxWidth = std::max(maxWidth, bw.rows);
        }
        const auto& br = m.blocks()[static_cast<std::size_t>(mi.readout)];
        r = Eigen::Map<const RowVec<double>>(theta.data() + br.offset, br.cols).cast<S>();
    }
};

template <typename S> struct TypedCircuit {
    struct Neuron {
        S invcap = 0, gleak = 0, bleak = 0;
        TypedMlp<S> mlp;
    };
    struct Synapse {
        int pre = 0, post = 0;
        bool lumped = true;
        TypedMlp<S> mlp;
        S gbar = 0;
        RowMat<S> W1; ///< softplus(W1 raw)
        Vec<S> b1;
        RowVec<S> W2; ///< softplus(W2 raw)
    };
    std::vector<Neuron> neurons;
    std::vector<Synapse> synapses;
    S esyn = 0;

    TypedCircuit(const CircuitModel& m, const std::vector<double>& theta)
    {
        auto val = [&](int block) {
            return theta[static_cast<std::size_t>(m.blocks()[static_cast<std::size_t>(block)].offset)];
        };
        auto sp = [](double x) { return softplus(x); };
        esyn = static_cast<S>(m.config().e_syn_mV);
        neurons.resize(static_cast<std::size_t>(m.neurons()));
        for (int i = 0; i < m.neurons(); ++i) {
            const auto& ni = m.neuronIndex(i);
            auto& n = neurons[static_cast<std::size_t>(i)];
            n.invcap = static_cast<S>(sp(val(ni.a)));
            n.gleak = static_cast<S>(sp(val(ni.g)));
            n.bleak = static_cast<S>(val(ni.b));
            n.mlp.load(m, theta, ni.intrinsic);
        }
        synapses.resize(static_cast<std::size_t>(m.synapseCount()));
        for (int s = 0; s < m.synapseCount(); ++s) {
            const auto& si = m.synapseIndex(s);
            auto& y = synapses[static_cast<std::size_t>(s)];
            y.pre = si.config.pre;
            y.post = si.config.post;
            y.lumped = si.config.kind == SynapseKind::Lumped;
            if (y.lumped) {
                y.mlp.load(m, theta, si.lumped);
                continue;
            }
            y.gbar = static_cast<S>(sp(val(si.gbar)));
            const auto& b1 = m.blocks()[static_cast<std::size_t>(si.W1)];
            y.W1 = Eigen::Map<const RowMat<double>>(theta.data() + b1.offset, b1.rows, b1.cols)
                       .unaryExpr([](double x) { return softplus(x); })
                       .template cast<S>();
            const auto& bb = m.blocks()[static_cast<std::size_t>(si.b1)];
            y.b1 = Eigen::Map<const Vec<double>>(theta.data() + bb.offset, bb.rows).cast<S>();
            const auto& b2 = m.blocks()[static_cast<std::size_t>(si.W2)];
            y.W2 = Eigen::Map<const RowVec<double>>(theta.data() + b2.offset, b2.cols)
                       .unaryExpr([](double x) { return softplus(x); })
                       .template cast<S>();
        }
    }
};

/// An activation (tanhInPlace, sigmoidInPlace) in place on a block whose rows are contiguous: one
/// pass over the block when it is contiguous as a whole (a vector, a packed block), row by row
/// otherwise (a block of columns inside a wider array).
template <typename M, typename F> void activateBlock(M&& H, F activation)
{
    using Plain = std::decay_t<M>;
    if constexpr (Plain::IsVectorAtCompileTime) {
        activation(H.data(), static_cast<long>(H.size()));
    } else {
        static_assert(Plain::IsRowMajor, "activateBlock: rows must be contiguous");
        if (H.outerStride() == H.cols())
            activation(H.data(), static_cast<long>(H.size()));
        else
            for (Eigen::Index r = 0; r < H.rows(); ++r)
                activation(H.row(r).data(), static_cast<long>(H.cols()));
    }
}
template <typename M> void tanhBlock(M&& H)
{
    using S = typename std::decay_t<M>::Scalar;
    activateBlock(H, [](S* x, long n) { tanhInPlace(x, n); });
}
template <typename M> void sigmoidBlock(M&& H)
{
    using S = typename std::decay_t<M>::Scalar;
    activateBlock(H, [](S* x, long n) { sigmoidInPlace(x, n); });
}

/// Forward of a tanh MLP over a block of columns (the Eigen backends: one column for the
/// simulation and the analysis, blocks for the trainers). layer(l) gives layer l's block
/// (width_l x columns), on entry layer(0) holds W_0 x (without the bias: callers assemble the
/// input product from their own features); the readout goes to out (1 x columns). Every layer's
/// output stays in its block for the adjoint.
template <typename S, typename Layer, typename Out>
void mlpForwardBlock(const TypedMlp<S>& mlp, Layer&& layer, Out&& out)
{
    const std::size_t L = mlp.W.size();
    for (std::size_t l = 0; l < L; ++l) {
        auto&& H = layer(l); // a reference or a view
        if (l > 0)
            H.noalias() = mlp.W[l] * layer(l - 1);
        H.colwise() += mlp.b[l];
        tanhBlock(H);
    }
    out.noalias() = mlp.r * layer(L - 1);
}

/// Reverse pass of mlpForwardBlock over the same block of columns: for dOut = dL/d(readout)
/// (1 x columns), delta(l) (width_l x columns) receives dL/d(pre-activation of layer l), layer(l)
/// being what the forward pass left there. The trainers' Eigen backends (TF per block, MS per
/// step of a shot block); weights' gradients follow from the deltas (mlpWeightGradients).
template <typename S, typename Layer, typename Delta, typename DOut>
void mlpBackwardBlock(const TypedMlp<S>& mlp, Layer&& layer, Delta&& delta, const DOut& dOut)
{
    const std::size_t L = mlp.W.size();
    {
        auto&& D = delta(L - 1);
        D.noalias() = mlp.r.transpose() * dOut;
        D.array() *= step::tanhSlope<S>(layer(L - 1).array());
    }
    for (std::size_t l = L - 1; l >= 1; --l) {
        auto&& Dp = delta(l - 1);
        Dp.noalias() = mlp.W[l].transpose() * delta(l);
        Dp.array() *= step::tanhSlope<S>(layer(l - 1).array());
    }
}

/// Accumulates into g (indexed by the model's parameter offsets) the gradients of an MLP's
/// readout, biases and hidden weights W_l (l >= 1) over a block of columns from its layers, its
/// deltas (mlpBackwardBlock) and dOut. The first layer's weights W_0 are the caller's: its input
/// columns are assembled from the caller's own features.
template <typename S, typename Layer, typename Delta, typename DOut>
void mlpWeightGradients(const CircuitModel& m, const MlpIndex& mi, S* g, Layer&& layer, Delta&& delta,
                        const DOut& dOut)
{
    auto off = [&](int block) { return m.blocks()[static_cast<std::size_t>(block)].offset; };
    const std::size_t L = mi.W.size();
    Eigen::Map<RowVec<S>>(g + off(mi.readout), layer(L - 1).rows()).noalias() +=
        dOut * layer(L - 1).transpose();
    for (std::size_t l = 0; l < L; ++l) {
        const auto& D = delta(l);
        Eigen::Map<Vec<S>>(g + off(mi.b[l]), D.rows()).noalias() += D.rowwise().sum();
        if (l > 0)
            Eigen::Map<RowMat<S>>(g + off(mi.W[l]), D.rows(), layer(l - 1).rows()).noalias() +=
                D * layer(l - 1).transpose();
    }
}

/// One column (one sample) through a tanh MLP, keeping each layer's output for the reverse pass:
/// the free simulation's and the analysis's evaluation (the trainers evaluate blocks of columns).
template <typename S> struct MlpColumn {
    std::vector<Vec<S>> h;
    explicit MlpColumn(const TypedMlp<S>& m)
    {
        for (const auto& W : m.W)
            h.emplace_back(W.rows());
    }
    /// The readout for the (normalised) input x.
    S operator()(const TypedMlp<S>& m, const Vec<S>& x)
    {
        h[0].noalias() = m.W[0] * x;
        Eigen::Matrix<S, 1, 1> out;
        mlpForwardBlock(
            m, [this](std::size_t l) -> Vec<S>& { return h[l]; }, out);
        return out(0);
    }
    /// d(readout)/d(input) at the input of the last call (the reverse pass through its layers).
    Vec<S> inputGradient(const TypedMlp<S>& m) const
    {
        Vec<S> g = m.r.transpose();
        for (std::size_t l = m.W.size(); l-- > 0;) {
            g = g.cwiseProduct(step::tanhSlope<S>(h[l].array()).matrix());
            g = m.W[l].transpose() * g;
        }
        return g;
    }
};

/// The conductance synapse's activation s = W2 sigmoid(W1 x + b1) (docs/method.md section 2) over
/// the columns of x, the synapse's normalised low-pass states: one column for the simulation and
/// the analysis, a block for the trainers (the Eigen backends; the AVX-512 kernel has its own
/// tiles). H keeps the sigmoid layer for the adjoint; s is 1 x columns.
template <typename Synapse, typename X, typename Hm, typename Out>
void conductanceActivation(const Synapse& sy, const X& x, Hm&& H, Out&& s)
{
    H.noalias() = sy.W1 * x;
    H.colwise() += sy.b1;
    sigmoidBlock(H);
    s.noalias() = sy.W2 * H;
}

/// Backward pass of conductanceActivation down to the sigmoid layer's input: D = (W2^T ds) .*
/// sigmoid'(H) for ds = dL/ds (1 x columns). Then dL/db1 = the row sums of D, dL/dW1 = D x^T,
/// dL/dx = W1^T D; the softplus of W1 and W2 is applied by finishLossAndGradient.
template <typename S, typename Synapse, typename Ds, typename Hm, typename Dm>
void conductanceActivationBackward(const Synapse& sy, const Ds& ds, const Hm& H, Dm&& D)
{
    D.noalias() = sy.W2.transpose() * ds;
    D.array() *= step::sigmoidSlope<S>(H.array());
}

/// A lumped synapse's first layer without its bias over a block of columns (the Eigen backends):
/// W_0 [v; z] for the receiving neuron's normalised voltage v (1 x columns) and the sender's
/// normalised synaptic states z (n_z x columns), which the trainers keep in different arrays.
template <typename S, typename Hm, typename Vp, typename Zp>
void lumpedSynapseInput(const TypedMlp<S>& mlp, Hm&& H, const Vp& v, const Zp& z)
{
    H.noalias() = mlp.W[0].rightCols(z.rows()) * z;
    H.noalias() += mlp.W[0].col(0) * v;
}

/// The gradient of a lumped synapse's first-layer weights W_0 from its delta D (mlpBackwardBlock)
/// and the inputs of lumpedSynapseInput, accumulated into g at the model's parameter offsets.
template <typename S, typename Dm, typename Vp, typename Zp>
void lumpedSynapseInputGradients(const CircuitModel& m, const MlpIndex& mi, S* g, const Dm& D, const Vp& v,
                                 const Zp& z)
{
    Eigen::Map<RowMat<S>> gW(g + m.blocks()[static_cast<std::size_t>(mi.W[0])].offset, D.rows(),
                             1 + z.rows());
    gW.rightCols(z.rows()).noalias() += D * z.transpose();
    gW.col(0).noalias() += D * v.transpose();
}

/// The conductance synapse's current gbar s (v_post - E_syn) over a block of columns (the Eigen
/// backends), added to I: s = conductanceActivation of the sender's normalised low-pass states x
/// (H keeps its sigmoid layer, s the activation, for the adjoint), vpost the receiving neuron's
/// voltage (1 x columns).
template <typename Synapse, typename X, typename Hm, typename Sv, typename Vp, typename Im>
void addConductanceSynapseCurrent(const Synapse& sy, const X& x, Hm&& H, Sv&& s, const Vp& vpost, Im&& I,
                                  decltype(sy.gbar) esyn)
{
    conductanceActivation(sy, x, H, s);
    I.array() += step::conductanceCurrent(sy.gbar, s.array(), step::synapticDrive(vpost.array(), esyn));
}

/// The conductance synapse's reverse step over a block of columns (the Eigen backends), for
/// dI = dL/dI_syn, its activation s and driving force vE = v_post - E_syn (1 x columns each) and
/// its sigmoid layer H: writes ds = dL/ds and the sigmoid layer's delta D
/// (conductanceActivationBackward) and returns dL/d(gbar) summed over the block. dL/dv_post
/// (step::conductanceVoltageAdjoint) is the caller's where v_post is a state (MS, not TF).
template <typename S, typename Synapse, typename DI, typename Sv, typename VE, typename Hm, typename Ds,
          typename Dm>
S conductanceSynapseAdjoint(const Synapse& sy, const DI& dI, const Sv& sv, const VE& vE, const Hm& H, Ds&& ds,
                            Dm&& D)
{
    ds.array() = step::conductanceActivationAdjoint(sy.gbar, dI.array(), vE.array());
    conductanceActivationBackward<S>(sy, ds, H, D);
    return step::conductanceGbarAdjoint(dI.array(), sv.array(), vE.array()).sum();
}

/// Accumulates into g (indexed by the model's parameter offsets) the gradients of a conductance
/// synapse's activation weights over a block of columns: W2 from ds = dL/ds and the sigmoid layer
/// H, b1 and W1 from D (conductanceActivationBackward) and the layer's input columns x. As the
/// kernels see them: the softplus of W1 and W2 is applied by finishLossAndGradient.
template <typename S, typename Hm, typename Dm, typename Ds, typename X>
void conductanceWeightGradients(const CircuitModel& m, const SynapseIndex& si, S* g, const Hm& H, const Dm& D,
                                const Ds& ds, const X& x)
{
    auto off = [&](int block) { return m.blocks()[static_cast<std::size_t>(block)].offset; };
    Eigen::Map<RowVec<S>>(g + off(si.W2), H.rows()).noalias() += ds * H.transpose();
    Eigen::Map<Vec<S>>(g + off(si.b1), D.rows()).noalias() += D.rowwise().sum();
    Eigen::Map<RowMat<S>>(g + off(si.W1), D.rows(), x.rows()).noalias() += D * x.transpose();
}

/// The end of every training loss evaluation: adds rho |penalised theta|^2 to `loss` and, when
/// grad is given, sums the per-thread accumulators `g` (dL/d of the raw or softplus-mapped
/// parameter, as the kernels see it) into dL/dtheta: the softplus chain rule for the parameters
/// kept positive (1/c, leak, gbar, conductance weights) and 2 rho theta for the penalised ones.
template <typename Workspaces>
double finishLossAndGradient(const CircuitModel& m, const std::vector<double>& theta, double rho, double loss,
                             const Workspaces& ws, std::vector<double>* grad)
{
    double l2 = 0;
    for (const auto& bl : m.blocks())
        if (bl.penalised)
            for (long k = 0; k < bl.size(); ++k)
                l2 += theta[static_cast<std::size_t>(bl.offset + k)] *
                      theta[static_cast<std::size_t>(bl.offset + k)];
    loss += rho * l2;
    if (!grad)
        return loss;
    grad->assign(theta.size(), 0.0);
    for (const auto& w : ws)
        for (std::size_t k = 0; k < theta.size(); ++k)
            (*grad)[k] += static_cast<double>(w.g[static_cast<Eigen::Index>(k)]);
    for (const auto& bl : m.blocks()) {
        const bool viaSoftplus = bl.kind == ParamKind::InvCap || bl.kind == ParamKind::LeakG ||
                                 bl.kind == ParamKind::Gbar || bl.kind == ParamKind::CondW1 ||
                                 bl.kind == ParamKind::CondW2;
        for (long k = 0; k < bl.size(); ++k) {
            const auto p = static_cast<std::size_t>(bl.offset + k);
            if (viaSoftplus)
                (*grad)[p] *= 1.0 / (1.0 + std::exp(-theta[p]));
            if (bl.penalised)
                (*grad)[p] += 2.0 * rho * theta[p];
        }
    }
    return loss;
}

} // namespace rmm::detail
