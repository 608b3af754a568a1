// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/analysis/membrane_current.hpp"

#include "engine/core/error.hpp"
#include "engine/model/circuit_step.hpp"

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

/// The MLP's normalised input: q(v) and the maps of the states it reads.
Eigen::VectorXd mlpInput(const MlpCurrent& m, double v, const Eigen::VectorXd& x)
{
    const int nx = static_cast<int>(m.xIn.size());
    Eigen::VectorXd a(1 + nx);
    a[0] = m.vIn(v);
    for (int k = 0; k < nx; ++k)
        a[1 + k] = m.xIn[static_cast<std::size_t>(k)](x[m.stateOffset + k]);
    return a;
}

double mlpForward(const MlpCurrent& m, double v, const Eigen::VectorXd& x)
{
    detail::MlpColumn<double> column(m.net);
    return column(m.net, mlpInput(m, v, x));
}

double mlpEvaluate(const MlpCurrent& m, double v, const Eigen::VectorXd& x, double& dhdv,
                   Eigen::RowVectorXd& dhdx)
{
    detail::MlpColumn<double> column(m.net);
    const double y = column(m.net, mlpInput(m, v, x));
    const Eigen::VectorXd g = column.inputGradient(m.net); // dy / d(normalised input)
    // chain rule through q.
    dhdv += g[0] * m.vIn.scale;
    for (std::size_t k = 0; k < m.xIn.size(); ++k)
        dhdx[m.stateOffset + static_cast<long>(k)] += g[1 + static_cast<long>(k)] * m.xIn[k].scale;
    return y;
}

double condEvaluate(const ConductanceCurrent& c, double v, const Eigen::VectorXd& x, double* dhdv,
                    Eigen::RowVectorXd* dhdx)
{
    const auto& y = c.syn;
    Eigen::VectorXd zn(c.stateCount);
    for (int l = 0; l < c.stateCount; ++l)
        zn[l] = c.zIn(x[c.stateOffset + l]);
    Eigen::VectorXd sig(y.W1.rows());
    Eigen::Matrix<double, 1, 1> act;
    detail::conductanceActivation(y, zn, sig, act);
    const double s = act(0);
    const double drive = step::synapticDrive(v, c.eRev);
    if (dhdv) {
        *dhdv += step::conductanceVoltageAdjoint(y.gbar, 1.0, s);
        // ds/dzn_l = sum_k W2_k sig_k (1 - sig_k) W1_kl
        Eigen::VectorXd d(sig.size());
        detail::conductanceActivationBackward<double>(y, Eigen::Matrix<double, 1, 1>::Ones(), sig, d);
        const Eigen::RowVectorXd dsdz = d.transpose() * y.W1;
        dhdx->segment(c.stateOffset, c.stateCount) +=
            (step::conductanceActivationAdjoint(y.gbar, 1.0, drive) * c.zIn.scale) * dsdz;
    }
    return step::conductanceCurrent(y.gbar, s, drive);
}

} // namespace

double MembraneCurrent::value(double v, const Eigen::VectorXd& x) const
{
    double y = step::leakCurrent(gLeak, bLeak, v);
    for (const auto& m : mlps)
        y += mlpForward(m, v, x);
    for (const auto& c : conductances)
        y += condEvaluate(c, v, x, nullptr, nullptr);
    return y;
}

double MembraneCurrent::evaluate(double v, const Eigen::VectorXd& x, double& dhdv,
                                 Eigen::RowVectorXd& dhdx) const
{
    dhdv = gLeak; // d leakCurrent / dv
    dhdx = Eigen::RowVectorXd::Zero(stateSize());
    double y = step::leakCurrent(gLeak, bLeak, v);
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
