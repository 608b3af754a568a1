// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/multiple_shooting.hpp"

#include "engine/core/error.hpp"
#include "engine/model/circuit_kernels.hpp"
#include "engine/model/training_samples.hpp"
#include "engine/train/adam.hpp"
#include "engine/train/ms_problem_impl.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <type_traits>

namespace rmm {

using detail::RowMat;
using detail::TypedCircuit;
using detail::Vec;

template <typename S>
MsProblem<S>::MsProblem(const Dataset& data, const CircuitModel& model, int shot, double gamma, int threads,
                        int blockColumns)
    : d_(new Impl)
{
    if (shot < 2)
        throw Error("training.shot must be >= 2 samples (got " + std::to_string(shot) + ")");
    if (!(gamma >= 0 && gamma <= 1))
        throw Error("training.gamma must be in [0, 1] (got " + std::to_string(gamma) + ")");
    if (threads < 1)
        throw Error("training.threads must be >= 1 (got " + std::to_string(threads) + ")");
    if (blockColumns < 0)
        throw Error("multiple shooting: block width must be >= 0");
    auto& d = *d_;
    model.requireNormalisation("multiple shooting");
    d.layout = model;
    d.s = shot;
    d.gamma = gamma;
    d.threads = threads;
    d.userBc = blockColumns;
    d.dt = model.dtMs();
    d.setupLayout();

    const auto ranges = trainingRanges(model, data, &d.warnings);
    if (ranges.empty())
        throw Error("multiple shooting: no training samples remain after the warm-up lead-ins");
    // Measured data in S.
    d.vm.resize(data.trials.size());
    d.um.resize(data.trials.size());
    for (std::size_t t = 0; t < data.trials.size(); ++t) {
        d.vm[t] = data.trials[t].v.cast<S>();
        d.um[t] = data.trials[t].u.cast<S>();
    }
    long total = 0;
    for (const auto& r : ranges) {
        const long avail = r.length();
        const long ns = avail / shot;
        if (ns < 1)
            throw Error("training.shot (" + std::to_string(shot) +
                        " samples) is longer than the training segment of trial '" +
                        data.trials[static_cast<std::size_t>(r.trial)].name +
                        "' after its warm-up lead-in (" + std::to_string(avail) + " samples)");
        d.rangeShots.push_back({total, total + ns});
        for (long k = 0; k < ns; ++k)
            d.shotInfo.push_back({r.trial, r.begin + k * shot});
        total += ns;
    }
    d.X.assign(static_cast<std::size_t>(total) * static_cast<std::size_t>(d.P), S(0));
    // Initial conditions: measured voltage and warmed-up states at each shot start.
    for (std::size_t ri = 0; ri < ranges.size(); ++ri) {
        const auto& r = ranges[ri];
        const auto& tr = data.trials[static_cast<std::size_t>(r.trial)];
        const long s0 = d.rangeShots[ri].begin, ns = d.rangeShots[ri].length();
#pragma omp parallel for num_threads(std::min(threads, d.n)) schedule(static)
        for (int j = 0; j < d.n; ++j) {
            const Eigen::VectorXd v = tr.v.row(j).transpose();
            const long lead0 = r.begin - r.lead_in;
            const bool hz = d.zOff[static_cast<std::size_t>(j)] >= 0,
                       hc = d.cOff[static_cast<std::size_t>(j)] >= 0;
            NeuronStates x0 = model.warmUpStates(v.data() + lead0, r.lead_in, hz, hc);
            const Eigen::VectorXd &w = x0.w, &z = x0.z, &c = x0.c;
            long t = r.begin;
            for (long k = 0; k < ns; ++k) {
                const long t0 = r.begin + k * shot;
                for (; t < t0; ++t)
                    model.stepStates(x0, v[t]);
                S* x = d.X.data() + static_cast<std::size_t>(s0 + k) * static_cast<std::size_t>(d.P);
                x[j] = static_cast<S>(v[t0]);
                for (int q = 0; q < d.nw; ++q)
                    x[d.wOff[static_cast<std::size_t>(j)] + q] = static_cast<S>(w[q]);
                if (hz)
                    for (int q = 0; q < d.nz; ++q)
                        x[d.zOff[static_cast<std::size_t>(j)] + q] = static_cast<S>(z[q]);
                if (hc)
                    for (int q = 0; q < d.nc; ++q)
                        x[d.cOff[static_cast<std::size_t>(j)] + q] = static_cast<S>(c[q]);
            }
        }
    }
    if constexpr (std::is_same_v<S, float>) {
        // RMM_MS_KERNEL=eigen selects the Eigen path (for benchmarking the two against each other).
        const char* env = std::getenv("RMM_MS_KERNEL");
        d.simd = detail::simdMsAvailable() && !(env && std::string(env) == "eigen");
    }
    d.ensureWorkspaces();
}

template <typename S> MsProblem<S>::~MsProblem() = default;

template <typename S> bool MsProblem<S>::simdKernel() const
{
    return d_->simd;
}
template <typename S> bool MsProblem<S>::setSimdKernel(bool on)
{
    if constexpr (std::is_same_v<S, float>)
        d_->simd = on && detail::simdMsAvailable();
    else
        (void)on;
    d_->ensureWorkspaces();
    return d_->simd;
}

template <typename S> int MsProblem<S>::shotLength() const
{
    return d_->s;
}
template <typename S> double MsProblem<S>::gamma() const
{
    return d_->gamma;
}
template <typename S> long MsProblem<S>::shots() const
{
    return static_cast<long>(d_->shotInfo.size());
}
template <typename S> int MsProblem<S>::stateSize() const
{
    return d_->P;
}
template <typename S> std::vector<S>& MsProblem<S>::shotStates()
{
    return d_->X;
}
template <typename S> const std::vector<S>& MsProblem<S>::shotStates() const
{
    return d_->X;
}
template <typename S> const std::vector<double>& MsProblem<S>::stateWeights() const
{
    return d_->weight;
}
template <typename S> const std::vector<std::string>& MsProblem<S>::warnings() const
{
    return d_->warnings;
}

template <typename S> std::vector<ShotBatch> MsProblem<S>::makeBatches(int batches) const
{
    const auto& d = *d_;
    if (batches < 1)
        throw Error("training.batches must be >= 1 (got " + std::to_string(batches) + ")");
    const long total = shots();
    if (batches > total)
        throw Error("training.batches (" + std::to_string(batches) + ") exceeds the number of shots (" +
                    std::to_string(total) + "); use fewer mini-batches or shorter shots");
    std::vector<ShotBatch> out;
    const std::size_t R = d.rangeShots.size();
    for (std::size_t r = 0; r < R; ++r) {
        const long first = d.rangeShots[r].begin, ns = d.rangeShots[r].length();
        long k = std::max(1L, std::lround(static_cast<double>(batches) * static_cast<double>(ns) /
                                          static_cast<double>(total)));
        k = std::min(k, ns);
        for (long q = 0; q < k; ++q) {
            const long b0 = first + ns * q / k, b1 = first + ns * (q + 1) / k;
            out.push_back({b0, b1});
        }
    }
    return out;
}

template <typename S>
double MsProblem<S>::evaluate(const std::vector<double>& theta, const ShotBatch& batch, double rho,
                              double rhoV, double rhoX, std::vector<double>* grad, S* shotGrad)
{
    auto& d = *d_;
    const CircuitModel& m = d.layout;
    if (static_cast<int>(theta.size()) != m.parameterCount())
        throw Error("MS evaluate: parameter vector size does not match the model");
    if (!(rho >= 0) || !(rhoV >= 0) || !(rhoX >= 0))
        throw Error("multiple shooting: the penalties rho, rho_v and rho_x must be >= 0");
    if (batch.length() < 1 || batch.begin < 0 || batch.end > shots())
        throw Error("MS evaluate: shot range outside the shots");
    const long rEnd = [&] {
        for (const auto& r : d.rangeShots)
            if (batch.begin >= r.begin && batch.begin < r.end)
                return r.end;
        return 0L;
    }();
    if (batch.end > rEnd)
        throw Error("MS evaluate: a mini-batch must lie inside one training segment");
    const TypedCircuit<S> tc(m, theta);
    const long count = batch.length();
    // Column blocks: a multiple of the thread count, each at most Bc wide.
    long nb = (count + d.Bc - 1) / d.Bc;
    nb = ((nb + d.threads - 1) / d.threads) * d.threads;
    nb = std::min(nb, count);
    const bool wantGrad = grad != nullptr || shotGrad != nullptr;
    MsScales sc;
    sc.data = 1.0 / (static_cast<double>(count) * d.s * d.n * d.dt * d.dt);
    // The continuity terms carry the same 1/dt^2 as the data term (docs/method.md section 3.2, reference
    // code's MSLoss); without it they are 100x weaker at dt = 0.1 ms.
    const double invDt2 = 1.0 / (d.dt * d.dt);
    sc.v = count > 1 ? rhoV * invDt2 / (static_cast<double>(count - 1) * d.n) : 0.0;
    sc.x = count > 1 && d.P > d.n ? rhoX * invDt2 / (static_cast<double>(count - 1) * (d.P - d.n)) : 0.0;
    for (auto& w : d.ws) {
        w.g.setZero();
        w.loss = 0;
    }
    if (shotGrad)
        std::fill(shotGrad, shotGrad + count * d.P, S(0));
    if (d.cont.size() < static_cast<std::size_t>(count * d.P))
        d.cont.resize(static_cast<std::size_t>(count * d.P));
    std::fill(d.cont.begin(), d.cont.begin() + count * d.P, S(0));
#pragma omp parallel num_threads(d.threads)
    {
        auto& w = d.ws[static_cast<std::size_t>(omp_get_thread_num())];
#pragma omp for schedule(static)
        for (long k = 0; k < nb; ++k) {
            const long c0 = count * k / nb, c1 = count * (k + 1) / nb;
            if constexpr (std::is_same_v<S, float>) {
                if (d.simd) {
                    d.simdWs[static_cast<std::size_t>(omp_get_thread_num())].runBlock(
                        d, tc, batch.begin, count, c0, static_cast<int>(c1 - c0), sc, wantGrad, shotGrad,
                        w.g.data(), w.loss);
                    continue;
                }
            }
            d.runBlock(tc, w, batch.begin, count, c0, static_cast<int>(c1 - c0), sc, wantGrad, shotGrad);
        }
    }
    double loss = 0;
    for (const auto& w : d.ws)
        loss += w.loss;
    if (shotGrad)
        for (long k = 0; k < count * d.P; ++k)
            shotGrad[k] += d.cont[static_cast<std::size_t>(k)];
    return detail::finishLossAndGradient(m, theta, rho, loss, d.ws, grad);
}

template <typename S>
ShotAdam<S>::ShotAdam(long shots, int stateSize)
    : P_(stateSize), m1_(static_cast<std::size_t>(shots * stateSize), S(0)),
      m2_(static_cast<std::size_t>(shots * stateSize), S(0)), steps_(static_cast<std::size_t>(shots), 0)
{
}

template <typename S>
void ShotAdam<S>::step(std::vector<S>& x, const ShotBatch& batch, const S* grad, double lr)
{
    if (batch.begin < 0 || batch.end < batch.begin || static_cast<std::size_t>(batch.end * P_) > x.size() ||
        x.size() != m1_.size())
        throw Error("shot optimiser: mini-batch outside the shots");
    for (long n = 0; n < batch.length(); ++n) {
        const long shot = batch.begin + n;
        const long at = shot * P_;
        adamUpdate(x.data() + at, m1_.data() + at, m2_.data() + at, grad + n * P_, P_,
                   ++steps_[static_cast<std::size_t>(shot)], lr);
    }
}

template class MsProblem<float>;
template class MsProblem<double>;
template class ShotAdam<float>;
template class ShotAdam<double>;

} // namespace rmm
