// SPDX-License-Identifier: GPL-3.0-or-later
// Internal: AVX-512 float32 building blocks shared by the teacher-forcing and multiple-shooting
// kernels (tf_kernel_simd.cpp, ms_kernel_simd.cpp). One sample (TF) or one shot (MS) per SIMD
// lane, 16 lanes; a "tile" is the column of a layer for one group of 16 lanes, stored as
// consecutive V values (unit j of tile t at index t * units + j). Only include under
// `#if defined(__AVX512F__)`.
#pragma once

#include "engine/model/circuit_step.hpp"

#include <type_traits>

namespace rmm::detail::simd {

constexpr int kLanes = 16;
using V = float __attribute__((vector_size(64))); // one zmm register: one sample per lane

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

/// Forward of TJ consecutive units j0.. of one layer for one tile: y = b + W x (W row-major h x p).
template <int TJ> inline void forwardTile(const float* W, const float* bias, int p, const V* x, V* y, int j0)
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

/// Calls f(std::integral_constant<int, N>{}, start) over [0, total) in chunks N <= 8: chunks of
/// 8, and a remainder above 8 split in two halves, so that every chunk but a lone unit has
/// several independent accumulators (a 10-unit layer: 5 + 5, not 8 + 1 + 1 whose single-unit
/// chunks would wait on the FMA latency).
template <typename F> inline void chunked(int total, F&& f)
{
    auto one = [&](int n, int at) {
        switch (n) {
        case 1:
            f(std::integral_constant<int, 1>{}, at);
            break;
        case 2:
            f(std::integral_constant<int, 2>{}, at);
            break;
        case 3:
            f(std::integral_constant<int, 3>{}, at);
            break;
        case 4:
            f(std::integral_constant<int, 4>{}, at);
            break;
        case 5:
            f(std::integral_constant<int, 5>{}, at);
            break;
        case 6:
            f(std::integral_constant<int, 6>{}, at);
            break;
        case 7:
            f(std::integral_constant<int, 7>{}, at);
            break;
        default:
            f(std::integral_constant<int, 8>{}, at);
            break;
        }
    };
    int j = 0;
    for (; total - j >= 16; j += 8)
        one(8, j);
    const int rem = total - j;
    if (rem > 8) {
        one(rem / 2, j);
        one(rem - rem / 2, j + rem / 2);
    } else if (rem > 0) {
        one(rem, j);
    }
}

/// y[0..h) = b + W x for one tile.
inline void denseForward(const float* W, const float* bias, int h, int p, const V* x, V* y)
{
    chunked(h, [&](auto tj, int j) { forwardTile<decltype(tj)::value>(W, bias, p, x, y, j); });
}

/// gW[j0.., k0..] += sum over tiles and lanes of D[t][j] P[t][k] (TJ x TK register tile).
template <int TJ, int TK>
inline void gradTile(const V* D, int h, const V* P, int p, long ng, int j0, int k0, float* gW)
{
    V acc[TJ][TK];
    for (int a = 0; a < TJ; ++a)
        for (int c = 0; c < TK; ++c)
            acc[a][c] = V{};
    for (long g = 0; g < ng; ++g) {
        const V* d = D + g * h + j0;
        const V* x = P + g * p + k0;
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

template <int TJ> inline void gradRow(const V* D, int h, const V* P, int p, long ng, int j0, float* gW)
{
    int k = 0;
    for (; k + 4 <= p; k += 4)
        gradTile<TJ, 4>(D, h, P, p, ng, j0, k, gW);
    switch (p - k) {
    case 3:
        gradTile<TJ, 3>(D, h, P, p, ng, j0, k, gW);
        break;
    case 2:
        gradTile<TJ, 2>(D, h, P, p, ng, j0, k, gW);
        break;
    case 1:
        gradTile<TJ, 1>(D, h, P, p, ng, j0, k, gW);
        break;
    default:
        break;
    }
}

/// gW (h x p row-major) += sum over ng tiles and all lanes of D[t] P[t]^T.
inline void gradMatrix(const V* D, int h, const V* P, int p, long ng, float* gW)
{
    int j = 0;
    for (; j + 4 <= h; j += 4)
        gradRow<4>(D, h, P, p, ng, j, gW);
    switch (h - j) {
    case 3:
        gradRow<3>(D, h, P, p, ng, j, gW);
        break;
    case 2:
        gradRow<2>(D, h, P, p, ng, j, gW);
        break;
    case 1:
        gradRow<1>(D, h, P, p, ng, j, gW);
        break;
    default:
        break;
    }
}

/// gb[0..h) += sum over ng tiles and all lanes of D[t].
inline void gradBias(const V* D, int h, long ng, float* gb)
{
    for (int j = 0; j < h; ++j) {
        V acc{};
        for (long k = 0; k < ng; ++k)
            acc += D[k * h + j];
        gb[j] += hsum(acc);
    }
}

/// What multiplies the back-propagated adjoint: nothing, tanh' = 1 - P^2, sigmoid' = P (1 - P).
enum class Deriv { None, Tanh, Sigmoid };

/// Back-propagation through W for one tile: y[k0..] = (sum_j W[j][k] D[j]) f'(P[k]).
template <int TK, Deriv F>
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
    for (int c = 0; c < TK; ++c) {
        if constexpr (F == Deriv::Tanh)
            y[k0 + c] = acc[c] * step::tanhSlope<float>(P[k0 + c]);
        else if constexpr (F == Deriv::Sigmoid)
            y[k0 + c] = acc[c] * step::sigmoidSlope<float>(P[k0 + c]);
        else
            y[k0 + c] = acc[c];
    }
}

/// y[0..p) = (W^T D) f'(P) for one tile (W row-major h x p; P unused for Deriv::None).
template <Deriv F> inline void denseBack(const float* W, int h, int p, const V* D, const V* P, V* y)
{
    chunked(p, [&](auto tk, int c) { backTile<decltype(tk)::value, F>(W, h, p, D, P, y, c); });
}

} // namespace rmm::detail::simd
