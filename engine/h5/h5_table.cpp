// SPDX-License-Identifier: GPL-3.0-or-later
// h5::File readers for composite values: string-array attributes and numeric tables (packet tables
// of ARRAY or COMPOUND rows, plain matrices). Split from h5.cpp to keep files small.
#include "engine/h5/h5.hpp"

#include "engine/core/error.hpp"
#include "engine/core/isolate.hpp"

#include <cstring>

namespace rmm::h5 {

namespace {
using Lock = std::lock_guard<LibraryMutex>;
} // namespace

std::vector<std::string> File::attrStrings(const std::string& objPath, const std::string& name) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading attribute '", name, "' of ", objPath});
    std::vector<std::string> out;
    if (!hasAttr(objPath, name))
        return out;
    Handle a(H5Aopen_by_name(id(), objPath.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT));
    if (!a)
        return out;
    Handle t(H5Aget_type(a.id()));
    Handle s(H5Aget_space(a.id()));
    if (H5Tget_class(t.id()) != H5T_STRING)
        return out;
    hssize_t n = H5Sget_simple_extent_npoints(s.id());
    if (n < 1 || n > (1 << 20))
        return out;
    const auto count = static_cast<std::size_t>(n);
    if (H5Tis_variable_str(t.id()) > 0) {
        std::vector<char*> ptrs(count, nullptr);
        Handle mt(H5Tcopy(H5T_C_S1));
        H5Tset_size(mt.id(), H5T_VARIABLE);
        H5Tset_cset(mt.id(), H5Tget_cset(t.id()));
        if (H5Aread(a.id(), mt.id(), ptrs.data()) < 0)
            return out;
        for (char* p : ptrs)
            out.emplace_back(p ? p : "");
        H5Dvlen_reclaim(mt.id(), s.id(), H5P_DEFAULT, ptrs.data());
        return out;
    }
    std::size_t size = H5Tget_size(t.id());
    if (size == 0 || size * count > (1u << 24))
        return out;
    std::vector<char> buf(size * count, '\0');
    if (H5Aread(a.id(), t.id(), buf.data()) < 0)
        return out;
    for (std::size_t i = 0; i < count; ++i) {
        std::string v(buf.data() + i * size, strnlen(buf.data() + i * size, size));
        while (!v.empty() && v.back() == ' ')
            v.pop_back();
        out.push_back(std::move(v));
    }
    return out;
}

namespace {

bool numericClass(H5T_class_t c)
{
    return c == H5T_INTEGER || c == H5T_FLOAT;
}

// Elements of an ARRAY type whose base is numeric (0 when it is not such an array).
std::size_t numericArrayCount(hid_t arrayType, std::vector<hsize_t>& adims)
{
    Handle base(H5Tget_super(arrayType));
    if (!base || !numericClass(H5Tget_class(base.id())))
        return 0;
    int nd = H5Tget_array_ndims(arrayType);
    if (nd < 1 || nd > H5S_MAX_RANK)
        return 0;
    adims.assign(static_cast<std::size_t>(nd), 0);
    H5Tget_array_dims2(arrayType, adims.data());
    std::size_t n = 1;
    for (auto d : adims)
        n *= static_cast<std::size_t>(d);
    return n;
}

} // namespace

namespace {

// Shape and memory row type of a numeric table (see File::readTable); `mem` stays invalid for plain numbers.
File::Table describeTable(const File& f, const std::string& dsPath, Handle& mem)
{
    if (!f.isDataset(dsPath))
        throw Error(f.where(dsPath) + ": no such dataset");
    Handle d(H5Dopen2(f.id(), dsPath.c_str(), H5P_DEFAULT));
    Handle t(H5Dget_type(d.id()));
    Handle s(H5Dget_space(d.id()));
    if (!d || !t || !s)
        throw Error(f.where(dsPath) + ": cannot open dataset");
    int rank = H5Sget_simple_extent_ndims(s.id());
    hsize_t dims[H5S_MAX_RANK] = {};
    if (rank < 0 || rank > 2)
        throw Error(f.where(dsPath) + ": a table must be a 1-D or 2-D dataset");
    H5Sget_simple_extent_dims(s.id(), dims, nullptr);
    File::Table tab;
    tab.rows = rank == 0 ? 1 : static_cast<std::size_t>(dims[0]);
    const H5T_class_t cls = H5Tget_class(t.id());
    if (numericClass(cls)) {
        tab.cols = rank == 2 ? static_cast<std::size_t>(dims[1]) : 1;
        for (std::size_t c = 0; c < tab.cols; ++c)
            tab.columns.push_back(std::to_string(c));
    } else if (rank <= 1 && cls == H5T_ARRAY) {
        std::vector<hsize_t> adims;
        tab.cols = numericArrayCount(t.id(), adims);
        if (tab.cols == 0)
            throw Error(f.where(dsPath) + ": array elements are not numbers");
        hsize_t flat = tab.cols;
        mem = Handle(H5Tarray_create2(H5T_NATIVE_DOUBLE, 1, &flat));
        for (std::size_t c = 0; c < tab.cols; ++c)
            tab.columns.push_back(std::to_string(c));
    } else if (rank <= 1 && cls == H5T_COMPOUND) {
        int nm = H5Tget_nmembers(t.id());
        struct Member {
            std::string name;
            std::size_t count; // 0 = scalar
        };
        std::vector<Member> members;
        std::size_t total = 0;
        for (int m = 0; m < nm; ++m) {
            char* raw = H5Tget_member_name(t.id(), static_cast<unsigned>(m));
            std::string name = raw ? raw : "";
            H5free_memory(raw);
            Handle mt(H5Tget_member_type(t.id(), static_cast<unsigned>(m)));
            auto mc = H5Tget_class(mt.id());
            if (numericClass(mc)) {
                members.push_back({name, 0});
                ++total;
            } else if (mc == H5T_ARRAY) {
                std::vector<hsize_t> adims;
                std::size_t n = numericArrayCount(mt.id(), adims);
                if (n) {
                    members.push_back({name, n});
                    total += n;
                }
            }
        }
        if (total == 0)
            throw Error(f.where(dsPath) + ": compound type has no numeric members");
        tab.cols = total;
        mem = Handle(H5Tcreate(H5T_COMPOUND, total * sizeof(double)));
        std::size_t offset = 0;
        for (const auto& m : members) {
            if (m.count == 0) {
                H5Tinsert(mem.id(), m.name.c_str(), offset, H5T_NATIVE_DOUBLE);
                tab.columns.push_back(m.name);
                offset += sizeof(double);
            } else {
                hsize_t flat = m.count;
                Handle at(H5Tarray_create2(H5T_NATIVE_DOUBLE, 1, &flat));
                H5Tinsert(mem.id(), m.name.c_str(), offset, at.id());
                for (std::size_t k = 0; k < m.count; ++k)
                    tab.columns.push_back(m.name + "[" + std::to_string(k) + "]");
                offset += m.count * sizeof(double);
            }
        }
    } else {
        throw Error(f.where(dsPath) +
                    ": not a numeric table (expected numbers, an array or a compound type)");
    }
    return tab;
}

} // namespace

std::vector<std::string> File::tableColumns(const std::string& dsPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading the type of table ", dsPath});
    Handle mem;
    return describeTable(*this, dsPath, mem).columns;
}

File::Table File::readTable(const std::string& dsPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading table ", dsPath});
    Handle mem;
    Table tab = describeTable(*this, dsPath, mem);
    Handle d(H5Dopen2(id(), dsPath.c_str(), H5P_DEFAULT));
    // Guard against absurd sizes claimed by a corrupt header (2^28 doubles = 2 GiB).
    if (tab.cols != 0 && tab.rows > (std::size_t(1) << 28) / tab.cols)
        throw Error(where(dsPath) + ": table of " + std::to_string(tab.rows) + " x " +
                    std::to_string(tab.cols) + " values is too large to read");
    tab.values.assign(tab.rows * tab.cols, 0.0);
    if (tab.values.empty())
        return tab;
    hid_t memType = mem ? mem.id() : H5T_NATIVE_DOUBLE;
    if (H5Dread(d.id(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, tab.values.data()) < 0)
        throw Error(where(dsPath) + ": read failed (file truncated or corrupt?)");
    return tab;
}

} // namespace rmm::h5
