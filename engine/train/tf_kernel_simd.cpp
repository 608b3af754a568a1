// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/tf_kernel_simd.hpp"

#if defined(__AVX512F__)
#include "engine/train/simd_lanes.hpp"
#endif

#include <algorithm>
#include <utility>

namespace rmm::detail {

#if defined(__AVX512F__)

using namespace simd;

struct SimdMlpWork::Impl {
    int in = 0;
    std::vector<int> hidden;
    int groups = 0;
    std::vector<V> X, D1, D2, dout;
    std::vector<std::vector<V>> H;
};

bool simdMlpAvailable()
{
    return true;
}

SimdMlpWork::SimdMlpWork(int inputs, const std::vector<int>& hidden, int maxSamples) : d_(new Impl)
{
    auto& d = *d_;
    d.in = inputs;
    d.hidden = hidden;
    d.groups = (maxSamples + kLanes - 1) / kLanes;
    int hmax = 1;
    for (int h : hidden)
        hmax = std::max(hmax, h);
    const auto gs = static_cast<std::size_t>(d.groups);
    d.X.assign(gs * static_cast<std::size_t>(inputs), V{});
    d.D1.assign(gs * static_cast<std::size_t>(hmax), V{});
    d.D2.assign(gs * static_cast<std::size_t>(hmax), V{});
    d.dout.assign(gs, V{});
    for (int h : hidden)
        d.H.emplace_back(gs * static_cast<std::size_t>(h), V{});
}

void SimdMlpWork::loadInputs(int row0, int rows, const float* base, long stride, int b)
{
    auto& d = *d_;
    const int ng = (b + kLanes - 1) / kLanes;
    for (int g = 0; g < ng; ++g) {
        const int c0 = g * kLanes;
        const int nl = std::min(kLanes, b - c0);
        V* x = d.X.data() + static_cast<long>(g) * d.in + row0;
        for (int r = 0; r < rows; ++r)
            x[r] = loadLanes(base + static_cast<long>(r) * stride + c0, nl);
    }
}

void SimdMlpWork::forward(const TypedMlp<float>& mlp, int b, float* out)
{
    auto& d = *d_;
    const int ng = (b + kLanes - 1) / kLanes;
    const int L = static_cast<int>(d.hidden.size());
    for (int l = 0; l < L; ++l) {
        const int h = d.hidden[static_cast<std::size_t>(l)];
        const int p = l == 0 ? d.in : d.hidden[static_cast<std::size_t>(l - 1)];
        const V* P = l == 0 ? d.X.data() : d.H[static_cast<std::size_t>(l - 1)].data();
        V* Y = d.H[static_cast<std::size_t>(l)].data();
        const float* W = mlp.W[static_cast<std::size_t>(l)].data();
        const float* bias = mlp.b[static_cast<std::size_t>(l)].data();
        for (int g = 0; g < ng; ++g) {
            const V* x = P + static_cast<long>(g) * p;
            V* y = Y + static_cast<long>(g) * h;
            denseForward(W, bias, h, p, x, y);
        }
        tanhInPlace(reinterpret_cast<float*>(Y), static_cast<long>(ng) * h * kLanes);
    }
    const int h = d.hidden.back();
    const V* Hl = d.H.back().data();
    const float* r = mlp.r.data();
    for (int g = 0; g < ng; ++g) {
        V acc{};
        for (int j = 0; j < h; ++j)
            acc += r[j] * Hl[static_cast<long>(g) * h + j];
        const int c0 = g * kLanes;
        storeLanes(acc, out + c0, std::min(kLanes, b - c0));
    }
}

void SimdMlpWork::backward(const CircuitModel& m, const MlpIndex& mi, const TypedMlp<float>& mlp,
                           const float* dOut, int b, float* g)
{
    auto& d = *d_;
    auto off = [&](int block) { return m.blocks()[static_cast<std::size_t>(block)].offset; };
    const int ng = (b + kLanes - 1) / kLanes;
    const int L = static_cast<int>(d.hidden.size());
    for (int k = 0; k < ng; ++k) {
        const int c0 = k * kLanes;
        d.dout[static_cast<std::size_t>(k)] = loadLanes(dOut + c0, std::min(kLanes, b - c0));
    }
    V* cur = d.D1.data();
    V* nxt = d.D2.data();
    {
        const int h = d.hidden.back();
        const V* Hl = d.H.back().data();
        const float* r = mlp.r.data();
        float* gr = g + off(mi.readout);
        for (int j = 0; j < h; ++j) {
            V acc{};
            for (int k = 0; k < ng; ++k)
                acc += d.dout[static_cast<std::size_t>(k)] * Hl[static_cast<long>(k) * h + j];
            gr[j] += hsum(acc);
        }
        for (int k = 0; k < ng; ++k) {
            const V dk = d.dout[static_cast<std::size_t>(k)];
            const V* hk = Hl + static_cast<long>(k) * h;
            V* dst = cur + static_cast<long>(k) * h;
            for (int j = 0; j < h; ++j)
                dst[j] = (r[j] * dk) * step::tanhSlope<float>(hk[j]);
        }
    }
    for (int l = L - 1; l >= 0; --l) {
        const int h = d.hidden[static_cast<std::size_t>(l)];
        const int p = l == 0 ? d.in : d.hidden[static_cast<std::size_t>(l - 1)];
        const V* P = l == 0 ? d.X.data() : d.H[static_cast<std::size_t>(l - 1)].data();
        float* gb = g + off(mi.b[static_cast<std::size_t>(l)]);
        for (int j = 0; j < h; ++j) {
            V acc{};
            for (int k = 0; k < ng; ++k)
                acc += cur[static_cast<long>(k) * h + j];
            gb[j] += hsum(acc);
        }
        float* gW = g + off(mi.W[static_cast<std::size_t>(l)]);
        gradMatrix(cur, h, P, p, ng, gW);
        if (l == 0)
            break;
        const float* W = mlp.W[static_cast<std::size_t>(l)].data();
        for (int k = 0; k < ng; ++k) {
            const V* D = cur + static_cast<long>(k) * h;
            const V* x = P + static_cast<long>(k) * p;
            V* y = nxt + static_cast<long>(k) * p;
            denseBack<Deriv::Tanh>(W, h, p, D, x, y);
        }
        std::swap(cur, nxt);
    }
}

#else // no AVX-512: the kernel is not built; callers use the Eigen path

struct SimdMlpWork::Impl {};

bool simdMlpAvailable()
{
    return false;
}

SimdMlpWork::SimdMlpWork(int, const std::vector<int>&, int) : d_(new Impl) {}
void SimdMlpWork::loadInputs(int, int, const float*, long, int) {}
void SimdMlpWork::forward(const TypedMlp<float>&, int, float*) {}
void SimdMlpWork::backward(const CircuitModel&, const MlpIndex&, const TypedMlp<float>&, const float*, int,
                           float*)
{
}

#endif

SimdMlpWork::~SimdMlpWork() = default;
SimdMlpWork::SimdMlpWork(SimdMlpWork&&) noexcept = default;
SimdMlpWork& SimdMlpWork::operator=(SimdMlpWork&&) noexcept = default;

} // namespace rmm::detail
