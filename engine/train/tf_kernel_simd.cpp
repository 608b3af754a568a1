// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/tf_kernel_simd.hpp"

#include <algorithm>
#include <utility>

namespace rmm::detail {

#if defined(__AVX512F__)

namespace {

constexpr int kLanes = 16;
using V = float __attribute__((vector_size(64)));  // one zmm register: one sample per lane

inline V splat(float x)
{
    return V{} + x;
}

/// nl <= 16 floats from src into the low lanes, zeros above (full groups: one unaligned load).
inline V loadLanes(const float* src, int nl)
{
    V v{};
    if (nl == kLanes) {
        __builtin_memcpy(&v, src, sizeof(V));
    } else {
        for (int l = 0; l < nl; ++l)
            v[l] = src[l];
    }
    return v;
}

/// The low nl <= 16 lanes of v to dst.
inline void storeLanes(V v, float* dst, int nl)
{
    if (nl == kLanes) {
        __builtin_memcpy(dst, &v, sizeof(V));
    } else {
        for (int l = 0; l < nl; ++l)
            dst[l] = v[l];
    }
}

/// Lane sum in a fixed order (reproducible).
inline float hsum(V v)
{
    float s = 0;
    for (int i = 0; i < kLanes; ++i)
        s += v[i];
    return s;
}

/// Forward of TJ consecutive units j0.. of one layer for one group: y = b + W x.
template <int TJ>
inline void forwardTile(const float* W, const float* bias, int p, const V* x, V* y, int j0)
{
    V acc[TJ];
    for (int a = 0; a < TJ; ++a)
        acc[a] = splat(bias[j0 + a]);
    const float* w = W + static_cast<long>(j0) * p;
    for (int k = 0; k < p; ++k) {
        const V xk = x[k];
        for (int a = 0; a < TJ; ++a)
            acc[a] += w[static_cast<long>(a) * p + k] * xk;
    }
    for (int a = 0; a < TJ; ++a)
        y[j0 + a] = acc[a];
}

/// gW[j0.., k0..] += sum over groups and lanes of D[g][j] P[g][k] (TJ x TK register tile).
template <int TJ, int TK>
inline void gradTile(const V* D, int h, const V* P, int p, int ng, int j0, int k0, float* gW)
{
    V acc[TJ][TK];
    for (int a = 0; a < TJ; ++a)
        for (int c = 0; c < TK; ++c)
            acc[a][c] = V{};
    for (int g = 0; g < ng; ++g) {
        const V* d = D + static_cast<long>(g) * h + j0;
        const V* x = P + static_cast<long>(g) * p + k0;
        V dv[TJ], xv[TK];
        for (int a = 0; a < TJ; ++a)
            dv[a] = d[a];
        for (int c = 0; c < TK; ++c)
            xv[c] = x[c];
        for (int a = 0; a < TJ; ++a)
            for (int c = 0; c < TK; ++c)
                acc[a][c] += dv[a] * xv[c];
    }
    for (int a = 0; a < TJ; ++a)
        for (int c = 0; c < TK; ++c)
            gW[static_cast<long>(j0 + a) * p + k0 + c] += hsum(acc[a][c]);
}

template <int TJ>
inline void gradRow(const V* D, int h, const V* P, int p, int ng, int j0, float* gW)
{
    int k = 0;
    for (; k + 4 <= p; k += 4)
        gradTile<TJ, 4>(D, h, P, p, ng, j0, k, gW);
    for (; k < p; ++k)
        gradTile<TJ, 1>(D, h, P, p, ng, j0, k, gW);
}

/// Back-propagation through W for one group: y[k0..] = (sum_j W[j][k] D[j]) (1 - P[k]^2).
template <int TK>
inline void backTile(const float* W, int h, int p, const V* D, const V* P, V* y, int k0)
{
    V acc[TK];
    for (int c = 0; c < TK; ++c)
        acc[c] = V{};
    for (int j = 0; j < h; ++j) {
        const V dj = D[j];
        const float* w = W + static_cast<long>(j) * p + k0;
        for (int c = 0; c < TK; ++c)
            acc[c] += w[c] * dj;
    }
    for (int c = 0; c < TK; ++c)
        y[k0 + c] = acc[c] * (1.0f - P[k0 + c] * P[k0 + c]);
}

} // namespace

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
            int j = 0;  // 8 independent accumulators cover the FMA latency
            for (; j + 8 <= h; j += 8)
                forwardTile<8>(W, bias, p, x, y, j);
            for (; j + 4 <= h; j += 4)
                forwardTile<4>(W, bias, p, x, y, j);
            for (; j < h; ++j)
                forwardTile<1>(W, bias, p, x, y, j);
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

void SimdMlpWork::backward(const CircuitModel& m, const MlpIndex& mi, const TypedMlp<float>& mlp, const float* dOut,
                           int b, float* g)
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
                dst[j] = (r[j] * dk) * (1.0f - hk[j] * hk[j]);
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
        int j = 0;
        for (; j + 4 <= h; j += 4)
            gradRow<4>(cur, h, P, p, ng, j, gW);
        for (; j < h; ++j)
            gradRow<1>(cur, h, P, p, ng, j, gW);
        if (l == 0)
            break;
        const float* W = mlp.W[static_cast<std::size_t>(l)].data();
        for (int k = 0; k < ng; ++k) {
            const V* D = cur + static_cast<long>(k) * h;
            const V* x = P + static_cast<long>(k) * p;
            V* y = nxt + static_cast<long>(k) * p;
            int c = 0;
            for (; c + 8 <= p; c += 8)
                backTile<8>(W, h, p, D, x, y, c);
            for (; c + 4 <= p; c += 4)
                backTile<4>(W, h, p, D, x, y, c);
            for (; c < p; ++c)
                backTile<1>(W, h, p, D, x, y, c);
        }
        std::swap(cur, nxt);
    }
}

#else  // no AVX-512: the kernel is not built; callers use the Eigen path

struct SimdMlpWork::Impl {};

bool simdMlpAvailable()
{
    return false;
}

SimdMlpWork::SimdMlpWork(int, const std::vector<int>&, int) : d_(new Impl) {}
void SimdMlpWork::loadInputs(int, int, const float*, long, int) {}
void SimdMlpWork::forward(const TypedMlp<float>&, int, float*) {}
void SimdMlpWork::backward(const CircuitModel&, const MlpIndex&, const TypedMlp<float>&, const float*, int, float*) {}

#endif

SimdMlpWork::~SimdMlpWork() = default;
SimdMlpWork::SimdMlpWork(SimdMlpWork&&) noexcept = default;
SimdMlpWork& SimdMlpWork::operator=(SimdMlpWork&&) noexcept = default;

} // namespace rmm::detail
