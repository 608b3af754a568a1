// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/analysis/membrane_current.hpp"

#include "engine/core/error.hpp"

#include <Eigen/Dense>

#include <cmath>

namespace rmm {

int MembraneCurrent::appendStates(const Eigen::MatrixXd& a, const Eigen::VectorXd& b)
{
    if (a.rows() != a.cols() || a.rows() != b.size())
        throw Error("membrane current: a filter block must be square with one input gain per state");
    const int off = stateSize();
    const int n = off + static_cast<int>(b.size());
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);
    Eigen::VectorXd B(n);
    A.topLeftCorner(off, off) = A_;
    B.head(off) = B_;
    A.bottomRightCorner(b.size(), b.size()) = a;
    B.tail(b.size()) = b;
    A_ = std::move(A);
    B_ = std::move(B);
    return off;
}

double MembraneCurrent::maxPoleModulus() const
{
    return stateSize() ? A_.diagonal().cwiseAbs().maxCoeff() : 0.0;
}

Eigen::VectorXd MembraneCurrent::dcGain() const
{
    if (!(maxPoleModulus() < 1))
        throw Error("membrane current: the filter dynamics are not contracting (largest pole modulus " +
                    std::to_string(maxPoleModulus()) + " >= 1); no steady state exists");
    const Eigen::MatrixXd M = Eigen::MatrixXd::Identity(stateSize(), stateSize()) - A_;
    return M.triangularView<Eigen::Lower>().solve(B_);
}

void MembraneCurrent::check() const
{
    const int n = stateSize();
    for (const auto& m : mlps) {
        const long nx = static_cast<long>(m.xIn.size());
        if (m.stateOffset < 0 || m.stateOffset + nx > n)
            throw Error("membrane current: " + m.name + " reads states outside the state vector");
        const auto& W = m.net.W;
        const auto& b = m.net.b;
        long in = 1 + nx;
        for (std::size_t l = 0; l < W.size(); ++l) {
            if (W[l].cols() != in || b[l].size() != W[l].rows())
                throw Error("membrane current: " + m.name + " layer " + std::to_string(l + 1) +
                            " has inconsistent sizes");
            in = W[l].rows();
        }
        if (b.size() != W.size() || m.net.r.size() != in)
            throw Error("membrane current: " + m.name + " readout has inconsistent size");
    }
    for (const auto& c : conductances) {
        const auto& y = c.syn;
        if (c.stateOffset < 0 || c.stateOffset + c.stateCount > n || y.W1.cols() != c.stateCount ||
            y.b1.size() != y.W1.rows() || y.W2.size() != y.W1.rows())
            throw Error("membrane current: " + c.name + " has inconsistent sizes");
    }
}

namespace {

/// Forward pass; keeps the hidden activations for the reverse pass when `acts` is given.
double mlpForward(const MlpCurrent& m, double v, const Eigen::VectorXd& x, std::vector<Eigen::VectorXd>* acts)
{
    const int nx = static_cast<int>(m.xIn.size());
    Eigen::VectorXd a(1 + nx);
    a[0] = m.vIn(v);
    for (int k = 0; k < nx; ++k)
        a[1 + k] = m.xIn[static_cast<std::size_t>(k)](x[m.stateOffset + k]);
    if (acts)
        acts->clear();
    for (std::size_t l = 0; l < m.net.W.size(); ++l) {
        Eigen::VectorXd z = m.net.W[l] * a + m.net.b[l];
        a = z.unaryExpr([](double s) { return std::tanh(s); });
        if (acts)
            acts->push_back(a);
    }
    return m.net.r.dot(a);
}

double mlpEvaluate(const MlpCurrent& m, double v, const Eigen::VectorXd& x, double& dhdv,
                   Eigen::RowVectorXd& dhdx)
{
    std::vector<Eigen::VectorXd> acts;
    const double y = mlpForward(m, v, x, &acts);
    // Reverse pass: g = dy / d(layer output), starting at the readout.
    Eigen::VectorXd g = m.net.r.transpose();
    for (std::size_t l = m.net.W.size(); l-- > 0;) {
        g = g.cwiseProduct((1.0 - acts[l].array().square()).matrix());
        g = m.net.W[l].transpose() * g;
    }
    // g = dy / d(normalised input); chain rule through q.
    dhdv += g[0] * m.vIn.scale;
    for (std::size_t k = 0; k < m.xIn.size(); ++k)
        dhdx[m.stateOffset + static_cast<long>(k)] += g[1 + static_cast<long>(k)] * m.xIn[k].scale;
    return y;
}

double sigmoid(double s)
{
    return 1.0 / (1.0 + std::exp(-s));
}

double condEvaluate(const ConductanceCurrent& c, double v, const Eigen::VectorXd& x, double* dhdv,
                    Eigen::RowVectorXd* dhdx)
{
    const auto& y = c.syn;
    Eigen::VectorXd zn(c.stateCount);
    for (int l = 0; l < c.stateCount; ++l)
        zn[l] = c.zIn(x[c.stateOffset + l]);
    const Eigen::VectorXd sig = (y.W1 * zn + y.b1).unaryExpr([](double s) { return sigmoid(s); });
    const double s = y.W2.dot(sig);
    const double drive = v - c.eRev;
    if (dhdv) {
        *dhdv += y.gbar * s;
        // ds/dzn_l = sum_k W2_k sig_k (1 - sig_k) W1_kl
        const Eigen::VectorXd d =
            y.W2.transpose().cwiseProduct(sig.cwiseProduct((1.0 - sig.array()).matrix()));
        const Eigen::RowVectorXd dsdz = d.transpose() * y.W1;
        dhdx->segment(c.stateOffset, c.stateCount) += (y.gbar * drive * c.zIn.scale) * dsdz;
    }
    return y.gbar * s * drive;
}

} // namespace

double MembraneCurrent::value(double v, const Eigen::VectorXd& x) const
{
    double y = gLeak * v + bLeak;
    for (const auto& m : mlps)
        y += mlpForward(m, v, x, nullptr);
    for (const auto& c : conductances)
        y += condEvaluate(c, v, x, nullptr, nullptr);
    return y;
}

double MembraneCurrent::evaluate(double v, const Eigen::VectorXd& x, double& dhdv,
                                 Eigen::RowVectorXd& dhdx) const
{
    dhdv = gLeak;
    dhdx = Eigen::RowVectorXd::Zero(stateSize());
    double y = gLeak * v + bLeak;
    for (const auto& m : mlps)
        y += mlpEvaluate(m, v, x, dhdv, dhdx);
    for (const auto& c : conductances)
        y += condEvaluate(c, v, x, &dhdv, &dhdx);
    return y;
}

void MembraneCurrent::step(Eigen::VectorXd& x, double v) const
{
    x = A_.triangularView<Eigen::Lower>() * x + B_ * v;
}

} // namespace rmm
