// SPDX-License-Identifier: GPL-3.0-or-later
// Makes damaged HDF5 files by byte edits (no HDF5 calls): finds the global heap object holding a
// variable-length string (collection signature "GCOL") and corrupts its stored size, or corrupts
// the heap reference that points at it. Debian's libhdf5 1.10.8 crashes (SIGSEGV, SIGABRT) or
// loops forever reading such a string (H5Aread -> H5T__conv_vlen -> H5HG_read); h5py does too.
//
// Global heap collection (HDF5 file format spec, "Global Heap"): "GCOL", version (1), 3 reserved,
// collection size (8); then objects: index (2), reference count (2), reserved (4), size (8), data
// padded to 8 bytes; index 0 is the free space. A variable-length value stored elsewhere refers
// to an object as: sequence length (4), collection address (8), object index (4).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace rmmtest {

enum class HeapDamage {
    ObjectSizeHuge,           ///< object size 2^63 - 16: SIGSEGV copying the string
    ObjectSizeAllOnes,        ///< object size 2^64 - 1: SIGABRT (free() of a bad pointer) or SIGSEGV
    ObjectSizePastCollection, ///< object size = collection size + 4096: heap overrun, SIGABRT in malloc
    ObjectSizeIntoFreeSpace,  ///< object ends 64 bytes before the collection end, in zeroed free space:
                              ///< endless loop
    ReferenceIndexHuge,       ///< the reference's object index 0xffff: SIGSEGV
    ReferenceIndexWide,       ///< the reference's object index 0xffffffff: SIGSEGV
};

inline const std::vector<std::pair<HeapDamage, const char*>>& heapDamages()
{
    static const std::vector<std::pair<HeapDamage, const char*>> all = {
        {HeapDamage::ObjectSizeHuge, "object-size-huge"},
        {HeapDamage::ObjectSizeAllOnes, "object-size-all-ones"},
        {HeapDamage::ObjectSizePastCollection, "object-size-past-collection"},
        {HeapDamage::ObjectSizeIntoFreeSpace, "object-size-into-free-space"},
        {HeapDamage::ReferenceIndexHuge, "reference-index-huge"},
        {HeapDamage::ReferenceIndexWide, "reference-index-wide"},
    };
    return all;
}

using Bytes = std::vector<unsigned char>;

inline std::uint64_t getLe(const Bytes& b, std::size_t at, int n)
{
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | b[at + static_cast<std::size_t>(i)];
    return v;
}

inline void putLe(Bytes& b, std::size_t at, std::uint64_t v, int n)
{
    for (int i = 0; i < n; ++i)
        b[at + static_cast<std::size_t>(i)] = static_cast<unsigned char>(v >> (8 * i));
}

struct HeapObject {
    std::size_t collection = 0;     ///< file offset of "GCOL"
    std::size_t collectionSize = 0; ///< as stored
    std::size_t at = 0;             ///< file offset of the object's header
    std::uint16_t index = 0;
    std::uint64_t size = 0;
};

/// Every global heap object whose data is exactly `value`. Offsets are file offsets; HDF5
/// addresses equal them for files without a user block (NWB, RTXI, generic, model files).
inline std::vector<HeapObject> heapObjectsHolding(const Bytes& b, const std::string& value)
{
    std::vector<HeapObject> out;
    const char sig[] = "GCOL";
    for (std::size_t i = 0; i + 16 <= b.size(); ++i) {
        if (std::memcmp(b.data() + i, sig, 4) != 0 || b[i + 4] != 1)
            continue;
        const std::uint64_t csize = getLe(b, i + 8, 8);
        const std::size_t end = static_cast<std::size_t>(std::min<std::uint64_t>(i + csize, b.size()));
        for (std::size_t p = i + 16; p + 16 <= end;) {
            const auto index = static_cast<std::uint16_t>(getLe(b, p, 2));
            const std::uint64_t size = getLe(b, p + 8, 8);
            if (index == 0 || size > end - p - 16)
                break;
            if (size == value.size() && std::memcmp(b.data() + p + 16, value.data(), value.size()) == 0)
                out.push_back({i, static_cast<std::size_t>(csize), p, index, size});
            p += 16 + static_cast<std::size_t>((size + 7) / 8 * 8);
        }
    }
    return out;
}

/// Where the file refers to `o` (collection address + object index), or npos.
inline std::size_t referenceTo(const Bytes& b, const HeapObject& o)
{
    Bytes pattern(12);
    putLe(pattern, 0, o.collection, 8);
    putLe(pattern, 8, o.index, 4);
    for (std::size_t i = 4; i + 12 <= b.size(); ++i)
        if (std::memcmp(b.data() + i, pattern.data(), 12) == 0)
            return i;
    return std::string::npos;
}

/// Applies `damage` to every heap object holding exactly `value` (or to the reference to it).
/// Returns how many places were changed (0: the string is not in a global heap of this file).
inline int damageHeapString(Bytes& b, const std::string& value, HeapDamage damage)
{
    int changed = 0;
    for (const HeapObject& o : heapObjectsHolding(b, value)) {
        const std::size_t sizeAt = o.at + 8;
        switch (damage) {
        case HeapDamage::ObjectSizeHuge:
            putLe(b, sizeAt, 0x7ffffffffffffff0ull, 8);
            break;
        case HeapDamage::ObjectSizeAllOnes:
            putLe(b, sizeAt, ~0ull, 8);
            break;
        case HeapDamage::ObjectSizePastCollection:
            putLe(b, sizeAt, o.collectionSize + 4096, 8);
            break;
        case HeapDamage::ObjectSizeIntoFreeSpace: {
            const std::size_t data = o.at + 16, stop = o.collection + o.collectionSize - 64;
            if (stop <= data || stop + 16 > b.size())
                continue;
            bool zeros = true; // the parser must land on a zeroed "object" inside the free space
            for (std::size_t k = stop; k < stop + 16; ++k)
                zeros = zeros && b[k] == 0;
            if (!zeros)
                continue;
            putLe(b, sizeAt, stop - data, 8);
            break;
        }
        case HeapDamage::ReferenceIndexHuge:
        case HeapDamage::ReferenceIndexWide: {
            const std::size_t ref = referenceTo(b, o);
            if (ref == std::string::npos)
                continue;
            putLe(b, ref + 8, damage == HeapDamage::ReferenceIndexHuge ? 0xffff : 0xffffffff, 4);
            break;
        }
        }
        ++changed;
    }
    return changed;
}

inline Bytes readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string& path, const Bytes& b)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

} // namespace rmmtest
