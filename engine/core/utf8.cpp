// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/utf8.hpp"

#include <nlohmann/json.hpp>

#include <utility>
#include <vector>

namespace rmm {

namespace {

/// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or 0 when the byte there does not start one.
std::size_t sequenceLength(std::string_view s, std::size_t i)
{
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80)
        return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (i + n > s.size())
        return 0;
    if (b(i + 1) < lo || b(i + 1) > hi)
        return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF)
            return 0;
    return n;
}

} // namespace

std::string validUtf8(std::string_view text)
{
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = sequenceLength(text, i);
        if (n > 0) {
            out.append(text.substr(i, n));
            i += n;
        } else {
            const auto c = static_cast<unsigned char>(text[i]);
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
            ++i;
        }
    }
    return out;
}

void makeValidUtf8(nlohmann::json& j)
{
    if (j.is_string()) {
        auto& s = j.get_ref<std::string&>();
        s = validUtf8(s);
    } else if (j.is_array()) {
        for (auto& v : j)
            makeValidUtf8(v);
    } else if (j.is_object()) {
        // Keys cannot be changed in place: rebuild the object when one needs fixing.
        bool keysValid = true;
        for (auto it = j.begin(); it != j.end() && keysValid; ++it)
            keysValid = validUtf8(it.key()) == it.key();
        if (!keysValid) {
            nlohmann::json fixed = nlohmann::json::object();
            for (auto it = j.begin(); it != j.end(); ++it)
                fixed[validUtf8(it.key())] = std::move(it.value());
            j = std::move(fixed);
        }
        for (auto& v : j)
            makeValidUtf8(v);
    }
}

} // namespace rmm
