// SPDX-License-Identifier: GPL-3.0-or-later
// Minimal binary serialisation in native byte order, for handing values from an isolated child
// process to its parent (runIsolated): numbers, strings, vectors of doubles.
#pragma once
#include "engine/core/error.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace rmm {

class ByteWriter {
  public:
    void u64(std::uint64_t v) { raw(&v, 8); }
    void f64(double v) { raw(&v, 8); }
    void str(const std::string& s)
    {
        u64(s.size());
        raw(s.data(), s.size());
    }
    void doubles(const double* p, std::size_t n)
    {
        u64(n);
        raw(p, n * sizeof(double));
    }
    void doubles(const std::vector<double>& v) { doubles(v.data(), v.size()); }
    const std::string& bytes() const { return bytes_; }

  private:
    void raw(const void* p, std::size_t n) { bytes_.append(static_cast<const char*>(p), n); }
    std::string bytes_;
};

class ByteReader {
  public:
    explicit ByteReader(const std::string& bytes) : bytes_(bytes) {}
    std::uint64_t u64()
    {
        std::uint64_t v;
        raw(&v, 8);
        return v;
    }
    double f64()
    {
        double v;
        raw(&v, 8);
        return v;
    }
    std::string str()
    {
        std::string s(count(1), '\0');
        raw(s.data(), s.size());
        return s;
    }
    std::vector<double> doubles()
    {
        std::vector<double> v(count(sizeof(double)));
        raw(v.data(), v.size() * sizeof(double));
        return v;
    }

  private:
    std::size_t count(std::size_t unit)
    {
        const std::uint64_t n = u64();
        if (n > (bytes_.size() - at_) / unit)
            throw Error("internal error: truncated result from the reading process");
        return static_cast<std::size_t>(n);
    }
    void raw(void* p, std::size_t n)
    {
        if (n > bytes_.size() - at_)
            throw Error("internal error: truncated result from the reading process");
        std::memcpy(p, bytes_.data() + at_, n);
        at_ += n;
    }
    const std::string& bytes_;
    std::size_t at_ = 0;
};

} // namespace rmm
