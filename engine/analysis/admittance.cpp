// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/analysis/admittance.hpp"

#include "engine/core/error.hpp"
#include "engine/core/progress.hpp"
#include "engine/model/circuit_model.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace rmm {
namespace {

using cd = std::complex<double>;

long voltageCount(const AdmittanceSettings& s)
{
    return static_cast<long>(std::floor((s.vMax - s.vMin) / s.vStep + 1e-9)) + 1;
}

/// Y together with the sum of magnitudes of its terms (the scale of the cancellation in Eq. 30).
struct Linearisation {
    cd y;
    double scale = 0;
};

Linearisation linearise(const MembraneCurrent& mc, const Eigen::VectorXd& dc, double v, double omega)
{
    double dhdv = 0;
    Eigen::RowVectorXd dhdx;
    mc.evaluate(v, dc * v, dhdv, dhdx);
    const Eigen::VectorXcd T = stateResponse(mc, omega);
    Linearisation l;
    l.y = dhdv;
    l.scale = std::abs(dhdv);
    for (long k = 0; k < T.size(); ++k) {
        const cd t = dhdx[k] * T[k];
        l.y += t;
        l.scale += std::abs(t);
    }
    return l;
}

/// Eq. 30 and the scale for its relative residual.
struct Residual {
    cd f;
    double scale = 0;
};

Residual residual30(const MembraneCurrent& mc, const Eigen::VectorXd& dc, double v, double omega)
{
    const Linearisation l = linearise(mc, dc, v, omega);
    const cd e = std::polar(1.0, omega * mc.dtMs) - 1.0;
    return {mc.capacitance * e + mc.dtMs * l.y, mc.capacitance * std::abs(e) + mc.dtMs * l.scale};
}

/// Zero of G_inf in [a, b] (fa, fb of opposite signs): Illinois regula falsi with bisection safeguard.
double refineFold(const MembraneCurrent& mc, double a, double b, double fa, double fb)
{
    int side = 0;
    for (int it = 0; it < 200 && std::abs(b - a) > 1e-13 * (1 + std::abs(a)); ++it) {
        double c = (a * fb - b * fa) / (fb - fa);
        if (!(c > std::min(a, b) && c < std::max(a, b)) || it % 8 == 7)
            c = 0.5 * (a + b);
        const double fc = steadyStateConductance(mc, c);
        if (fc == 0)
            return c;
        if ((fc > 0) == (fb > 0)) {
            b = c;
            fb = fc;
            if (side == -1)
                fa *= 0.5;
            side = -1;
        } else {
            a = c;
            fa = fc;
            if (side == 1)
                fb *= 0.5;
            side = 1;
        }
    }
    return std::abs(fa) < std::abs(fb) ? a : b;
}

/// Newton on (Re, Im) of Eq. 30 in (v, u = ln w), Jacobian by central differences of the exact Y,
/// with step limiting and backtracking. Returns false when it does not converge.
bool refineNeimarkSacker(const MembraneCurrent& mc, const Eigen::VectorXd& dc, double& v, double& w)
{
    double u = std::log(w);
    auto F = [&](double vv, double uu) { return residual30(mc, dc, vv, std::exp(uu)).f; };
    cd f = F(v, u);
    for (int it = 0; it < 80; ++it) {
        const double hv = 1e-5 * (1 + std::abs(v)), hu = 1e-6;
        const cd fv = (F(v + hv, u) - F(v - hv, u)) / (2 * hv);
        const cd fu = (F(v, u + hu) - F(v, u - hu)) / (2 * hu);
        Eigen::Matrix2d J;
        J << fv.real(), fu.real(), fv.imag(), fu.imag();
        const double det = J.determinant();
        if (!std::isfinite(det) || det == 0)
            return false;
        Eigen::Vector2d d = -J.inverse() * Eigen::Vector2d(f.real(), f.imag());
        const double limit = std::max(std::abs(d[0]) / 2.0, std::abs(d[1]) / 1.0);
        if (limit > 1)
            d /= limit;
        double lambda = 1;
        cd fn = F(v + d[0], u + d[1]);
        while (!(std::abs(fn) < std::abs(f)) && lambda > 1e-6) {
            lambda *= 0.5;
            fn = F(v + lambda * d[0], u + lambda * d[1]);
        }
        if (!(std::abs(fn) < std::abs(f)))
            break; // no further decrease: at the noise floor (or stuck; judged by the caller)
        v += lambda * d[0];
        u += lambda * d[1];
        f = fn;
        if (!std::isfinite(v) || u < std::log(1e-12) || u > 10)
            return false;
        if (std::abs(lambda * d[0]) < 1e-13 * (1 + std::abs(v)) && std::abs(lambda * d[1]) < 1e-13)
            break;
    }
    w = std::exp(u);
    const Residual r = residual30(mc, dc, v, w);
    return std::isfinite(v) && std::abs(r.f) <= 1e-10 * r.scale;
}

} // namespace

void AdmittanceSettings::check(double dtMs) const
{
    if (!std::isfinite(vMin) || !std::isfinite(vMax) || !std::isfinite(vStep) || !(vStep > 0) || vMax < vMin)
        throw Error("admittance grid: need finite vmin <= vmax and vstep > 0 (got vmin " +
                    std::to_string(vMin) + ", vmax " + std::to_string(vMax) + ", vstep " +
                    std::to_string(vStep) + " mV)");
    if (!std::isfinite(wMin) || !std::isfinite(wMax) || !(wMin > 0) || wMax < wMin)
        throw Error("admittance grid: need 0 < wmin <= wmax (got wmin " + std::to_string(wMin) + ", wmax " +
                    std::to_string(wMax) + " rad/ms)");
    if (wCount < 1 || wCount > 100000)
        throw Error("admittance grid: wcount must be between 1 and 100000 (got " + std::to_string(wCount) +
                    ")");
    const double nyquist = std::numbers::pi / dtMs;
    if (wMax >= nyquist)
        throw Error("admittance grid: wmax " + std::to_string(wMax) +
                    " rad/ms is at or above the Nyquist frequency " + std::to_string(nyquist) +
                    " rad/ms of the model's sampling period " + std::to_string(dtMs) + " ms");
    const double nv = std::floor((vMax - vMin) / vStep + 1e-9) + 1;
    if (nv > 1e6 || nv * wCount > 5e6)
        throw Error("admittance grid: " + std::to_string(static_cast<long>(nv)) + " voltages x " +
                    std::to_string(wCount) +
                    " frequencies is too large (at most 5e6 cells); use a coarser step");
}

Eigen::VectorXcd stateResponse(const MembraneCurrent& mc, double omega)
{
    Eigen::MatrixXcd M = -mc.A().cast<cd>();
    M.diagonal().array() += std::polar(1.0, omega * mc.dtMs);
    return M.triangularView<Eigen::Lower>().solve(mc.B().cast<cd>().eval());
}

std::complex<double> admittance(const MembraneCurrent& mc, double v, double omega)
{
    return linearise(mc, mc.dcGain(), v, omega).y;
}

double steadyStateCurrent(const MembraneCurrent& mc, double v)
{
    return mc.value(v, mc.dcGain() * v);
}

double steadyStateConductance(const MembraneCurrent& mc, double v)
{
    const Eigen::VectorXd dc = mc.dcGain();
    double dhdv = 0;
    Eigen::RowVectorXd dhdx;
    mc.evaluate(v, dc * v, dhdv, dhdx);
    return dhdv + dhdx.dot(dc);
}

std::complex<double> bifurcationResidual(const MembraneCurrent& mc, double v, double omega)
{
    return residual30(mc, mc.dcGain(), v, omega).f;
}

AdmittanceMap analyzeAdmittance(const MembraneCurrent& mc, const AdmittanceSettings& s, Progress* progress)
{
    s.check(mc.dtMs);
    mc.check();
    const Eigen::VectorXd dc = mc.dcGain(); // throws when not contracting
    const long nv = voltageCount(s);
    const int nw = s.wCount, n = mc.stateSize();

    AdmittanceMap map;
    map.withSynapses = s.withSynapses;
    map.dtMs = mc.dtMs;
    map.capacitance = mc.capacitance;
    map.maxPoleModulus = mc.maxPoleModulus();
    map.v.resize(static_cast<std::size_t>(nv));
    for (long k = 0; k < nv; ++k)
        map.v[static_cast<std::size_t>(k)] = s.vMin + static_cast<double>(k) * s.vStep;
    map.omega.resize(static_cast<std::size_t>(nw));
    for (int k = 0; k < nw; ++k)
        map.omega[static_cast<std::size_t>(k)] =
            nw == 1 ? s.wMin
                    : std::exp(std::log(s.wMin) + (std::log(s.wMax) - std::log(s.wMin)) * k / (nw - 1));

    auto tick = [&](double fraction, const std::string& msg) {
        if (progress && !progress->report(fraction, msg))
            throw Cancelled();
    };
    tick(0, "linearising the membrane current");

    // Jacobian rows along the steady state: dh/dv (nv) and dh/dx (nv x n).
    Eigen::VectorXd dhdv(nv);
    Eigen::MatrixXd J(nv, n);
    map.iv.resize(static_cast<std::size_t>(nv));
    map.gv.resize(static_cast<std::size_t>(nv));
    Eigen::RowVectorXd row;
    for (long k = 0; k < nv; ++k) {
        const double v = map.v[static_cast<std::size_t>(k)];
        map.iv[static_cast<std::size_t>(k)] = mc.evaluate(v, dc * v, dhdv[k], row);
        J.row(k) = row;
        map.gv[static_cast<std::size_t>(k)] = dhdv[k] + row.dot(dc);
    }

    // One triangular solve per frequency, shared by every voltage; Y = dh/dv + J T.
    map.G.resize(nw, nv);
    map.B.resize(nw, nv);
    const int chunk = 32;
    for (int w0 = 0; w0 < nw; w0 += chunk) {
        tick(0.1 + 0.6 * w0 / nw, "admittance map");
        const int cw = std::min(chunk, nw - w0);
        Eigen::MatrixXcd T(n, cw);
        for (int c = 0; c < cw; ++c)
            T.col(c) =
                stateResponse(mc, map.omega[static_cast<std::size_t>(w0) + static_cast<std::size_t>(c)]);
        const Eigen::MatrixXcd Y = J.cast<cd>() * T; // nv x cw
        for (int c = 0; c < cw; ++c) {
            map.G.row(w0 + c) = (Y.col(c).real() + dhdv).transpose();
            map.B.row(w0 + c) = Y.col(c).imag().transpose();
        }
    }
    tick(0.7, "bifurcation candidates");
    map.candidates = findCandidates(mc, map);
    for (const auto& c : map.candidates)
        if (c.kind == CandidateKind::Fold)
            map.gInfZeroCrossings.push_back(c.vMv);
    tick(1, "done");
    return map;
}

AdmittanceMap analyzeNeuron(const CircuitModel& model, int neuron, const AdmittanceSettings& s,
                            Progress* progress)
{
    if (const std::string problem = model.nonFiniteProblem(); !problem.empty())
        throw Error("the model is not usable: " + problem +
                    " (a diverged training run?); nothing to analyse");
    const MembraneCurrent mc = membraneCurrent(model, neuron, s.withSynapses);
    AdmittanceMap map = analyzeAdmittance(mc, s, progress);
    map.neuron = neuron;
    return map;
}

std::vector<BifurcationCandidate> findCandidates(const MembraneCurrent& mc, const AdmittanceMap& map)
{
    const Eigen::VectorXd dc = mc.dcGain();
    const long nv = static_cast<long>(map.v.size());
    const long nw = static_cast<long>(map.omega.size());
    std::vector<BifurcationCandidate> out;

    auto makeCandidate = [&](double v, double w, CandidateKind kind) {
        const Residual r = residual30(mc, dc, v, w);
        BifurcationCandidate c;
        c.vMv = v;
        c.omegaRadPerMs = w;
        c.kind = kind;
        c.residual = std::abs(r.f);
        c.relResidual = r.scale > 0 ? c.residual / r.scale : c.residual;
        return c;
    };

    // Folds: w = 0, where Eq. 30 reduces to dt G_inf(v) = 0 (its imaginary part vanishes).
    for (long k = 0; k < nv; ++k) {
        const double a = map.gv[static_cast<std::size_t>(k)];
        if (a == 0) {
            out.push_back(makeCandidate(map.v[static_cast<std::size_t>(k)], 0, CandidateKind::Fold));
            continue;
        }
        if (k + 1 < nv) {
            const double b = map.gv[static_cast<std::size_t>(k + 1)];
            if (b != 0 && (a > 0) != (b > 0)) {
                const double v = refineFold(mc, map.v[static_cast<std::size_t>(k)],
                                            map.v[static_cast<std::size_t>(k + 1)], a, b);
                out.push_back(makeCandidate(v, 0, CandidateKind::Fold));
            }
        }
    }

    // Neimark-Sacker: grid cells where both the real and the imaginary part of Eq. 30 change sign.
    if (nv >= 2 && nw >= 2) {
        const double C = mc.capacitance, dt = mc.dtMs;
        Eigen::MatrixXd re(nw, nv), im(nw, nv);
        for (long r = 0; r < nw; ++r) {
            const double wd = map.omega[static_cast<std::size_t>(r)] * dt;
            re.row(r) = (C * (std::cos(wd) - 1) + dt * map.G.row(r).array()).matrix();
            im.row(r) = (C * std::sin(wd) + dt * map.B.row(r).array()).matrix();
        }
        auto mixed = [](double a, double b, double c, double d) {
            const double lo = std::min(std::min(a, b), std::min(c, d)),
                         hi = std::max(std::max(a, b), std::max(c, d));
            return lo <= 0 && hi >= 0;
        };
        const double vLo = map.v.front() - (map.v.back() - map.v.front()) * 1e-9;
        const double vHi = map.v.back() + (map.v.back() - map.v.front()) * 1e-9;
        const double wHi = map.omega.back() * (1 + 1e-9);
        int seeds = 0;
        for (long r = 0; r + 1 < nw && seeds < 4000; ++r)
            for (long k = 0; k + 1 < nv && seeds < 4000; ++k) {
                if (!mixed(re(r, k), re(r, k + 1), re(r + 1, k), re(r + 1, k + 1)) ||
                    !mixed(im(r, k), im(r, k + 1), im(r + 1, k), im(r + 1, k + 1)))
                    continue;
                ++seeds;
                double v =
                    0.5 * (map.v[static_cast<std::size_t>(k)] + map.v[static_cast<std::size_t>(k + 1)]);
                double w = std::sqrt(map.omega[static_cast<std::size_t>(r)] *
                                     map.omega[static_cast<std::size_t>(r + 1)]);
                if (!refineNeimarkSacker(mc, dc, v, w))
                    continue;
                if (v < vLo || v > vHi || w > wHi || w < 1e-9)
                    continue;
                out.push_back(makeCandidate(v, w, CandidateKind::NeimarkSacker));
            }
    }

    std::sort(out.begin(), out.end(), [](const BifurcationCandidate& a, const BifurcationCandidate& b) {
        return a.kind != b.kind ? a.kind < b.kind : a.vMv < b.vMv;
    });
    std::vector<BifurcationCandidate> unique;
    for (const auto& c : out) {
        const bool dup = std::any_of(unique.begin(), unique.end(), [&](const BifurcationCandidate& u) {
            return u.kind == c.kind && std::abs(u.vMv - c.vMv) <= 1e-6 * (1 + std::abs(c.vMv)) &&
                   std::abs(u.omegaRadPerMs - c.omegaRadPerMs) <= 1e-6 * std::max(1e-3, c.omegaRadPerMs);
        });
        if (!dup)
            unique.push_back(c);
    }
    std::stable_sort(
        unique.begin(), unique.end(),
        [](const BifurcationCandidate& a, const BifurcationCandidate& b) { return a.vMv < b.vMv; });
    return unique;
}

} // namespace rmm
