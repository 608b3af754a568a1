// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/h5/h5.hpp"

#include "engine/core/error.hpp"
#include "engine/core/isolate.hpp"

#include <array>
#include <cstring>
#include <fstream>

namespace rmm::h5 {

void LibraryMutex::lock()
{
    if (!inIsolatedChild())
        m_.lock();
}

void LibraryMutex::unlock()
{
    if (!inIsolatedChild())
        m_.unlock();
}

bool LibraryMutex::try_lock()
{
    return inIsolatedChild() || m_.try_lock();
}

LibraryMutex& libraryMutex()
{
    static LibraryMutex m;
    return m;
}

std::size_t isolated(const std::string& path, const std::function<void(IsolatedResult&)>& work,
                     const std::function<void*(std::size_t)>& receive)
{
    // Holding the lock across fork() keeps every other thread out of libhdf5, so the child
    // inherits its global state between calls, never half-way through one.
    std::lock_guard<LibraryMutex> lock(libraryMutex());
    return runIsolated(path, "the HDF5 library", work, receive);
}

namespace {

using Lock = std::lock_guard<LibraryMutex>;

void silenceOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

void closeId(hid_t id)
{
    if (id < 0)
        return;
    switch (H5Iget_type(id)) {
    case H5I_FILE:
        H5Fclose(id);
        break;
    case H5I_GROUP:
        H5Gclose(id);
        break;
    case H5I_DATASET:
        H5Dclose(id);
        break;
    case H5I_DATASPACE:
        H5Sclose(id);
        break;
    case H5I_DATATYPE:
        H5Tclose(id);
        break;
    case H5I_ATTR:
        H5Aclose(id);
        break;
    case H5I_GENPROP_LST:
        H5Pclose(id);
        break;
    default:
        H5Idec_ref(id);
        break;
    }
}

// Splits "/a/b/c" into "/a/b" and "c".
std::pair<std::string, std::string> splitPath(const std::string& p)
{
    auto pos = p.find_last_of('/');
    if (pos == std::string::npos)
        return {"/", p};
    return {pos == 0 ? "/" : p.substr(0, pos), p.substr(pos + 1)};
}

} // namespace

Handle& Handle::operator=(Handle&& o) noexcept
{
    if (this != &o) {
        Lock lock(libraryMutex());
        closeId(id_);
        id_ = o.id_;
        o.id_ = H5I_INVALID_HID;
    }
    return *this;
}

Handle::~Handle()
{
    if (id_ >= 0) {
        Lock lock(libraryMutex());
        closeId(id_);
    }
}

bool isHdf5File(const std::string& path)
{
    static const std::array<unsigned char, 8> sig{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return false;
    // The superblock may sit at 0, 512, 1024, 2048, ... (a user block precedes it in MAT v7.3).
    for (std::streamoff off = 0; off <= (1 << 20); off = off ? off * 2 : 512) {
        f.clear();
        f.seekg(off);
        std::array<unsigned char, 8> buf{};
        if (!f.read(reinterpret_cast<char*>(buf.data()), 8))
            return false;
        if (buf == sig)
            return true;
    }
    return false;
}

File File::openRead(const std::string& path)
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"opening the file"});
    silenceOnce();
    {
        std::ifstream probe(path, std::ios::binary);
        if (!probe)
            throw Error(path + ": cannot open file (missing or unreadable)");
    }
    if (!isHdf5File(path))
        throw Error(path + ": not an HDF5 file (no HDF5 signature)");
    File f;
    f.path_ = path;
    f.h_ = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (!f.h_)
        throw Error(path + ": HDF5 file is corrupt or truncated (cannot be opened)");
    return f;
}

File File::create(const std::string& path)
{
    Lock lock(libraryMutex());
    silenceOnce();
    File f;
    f.path_ = path;
    f.h_ = Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    if (!f.h_)
        throw Error(path + ": cannot create HDF5 file");
    return f;
}

bool File::exists(const std::string& objPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"looking up ", objPath});
    if (objPath == "/" || objPath.empty())
        return true;
    // Check every prefix: H5Lexists fails on a missing intermediate group.
    std::string cur;
    std::size_t start = objPath[0] == '/' ? 1 : 0;
    while (start <= objPath.size()) {
        auto end = objPath.find('/', start);
        if (end == std::string::npos)
            end = objPath.size();
        cur = objPath.substr(0, end);
        if (H5Lexists(id(), cur.c_str(), H5P_DEFAULT) <= 0)
            return false;
        if (H5Oexists_by_name(id(), cur.c_str(), H5P_DEFAULT) <= 0)
            return false;
        start = end + 1;
    }
    return true;
}

namespace {
H5O_type_t objectType(hid_t file, const std::string& p)
{
    H5O_info_t info;
    if (H5Oget_info_by_name2(file, p.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
        return H5O_TYPE_UNKNOWN;
    return info.type;
}
} // namespace

bool File::isGroup(const std::string& objPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"looking up ", objPath});
    return exists(objPath) && objectType(id(), objPath) == H5O_TYPE_GROUP;
}

bool File::isDataset(const std::string& objPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"looking up ", objPath});
    return exists(objPath) && objectType(id(), objPath) == H5O_TYPE_DATASET;
}

std::vector<std::string> File::members(const std::string& groupPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"listing group ", groupPath});
    if (!isGroup(groupPath))
        throw Error(where(groupPath) + ": not a group");
    Handle g(H5Gopen2(id(), groupPath.c_str(), H5P_DEFAULT));
    if (!g)
        throw Error(where(groupPath) + ": cannot open group");
    H5G_info_t gi;
    if (H5Gget_info(g.id(), &gi) < 0)
        throw Error(where(groupPath) + ": cannot list group");
    // Creation order when the file tracks it, else name order.
    Handle gcpl(H5Gget_create_plist(g.id()));
    unsigned flags = 0;
    if (gcpl)
        H5Pget_link_creation_order(gcpl.id(), &flags);
    H5_index_t index = (flags & H5P_CRT_ORDER_TRACKED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    std::vector<std::string> out;
    out.reserve(gi.nlinks);
    for (hsize_t i = 0; i < gi.nlinks; ++i) {
        ssize_t n = H5Lget_name_by_idx(g.id(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (n < 0)
            throw Error(where(groupPath) + ": cannot read member names");
        std::string name(static_cast<std::size_t>(n), '\0');
        H5Lget_name_by_idx(g.id(), ".", index, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT);
        out.push_back(std::move(name));
    }
    return out;
}

bool File::hasAttr(const std::string& objPath, const std::string& name) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"looking for attribute '", name, "' of ", objPath});
    if (!exists(objPath))
        return false;
    return H5Aexists_by_name(id(), objPath.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

namespace {

// Reads a string from an attribute or dataset with type `t` and space `s`.
// `readFn(memType, buffer)` reads into memory.
template <typename ReadFn> std::optional<std::string> readStringValue(hid_t t, hid_t s, ReadFn readFn)
{
    if (H5Tget_class(t) != H5T_STRING)
        return std::nullopt;
    hssize_t n = H5Sget_simple_extent_npoints(s);
    if (n < 1)
        return std::string();
    if (H5Tis_variable_str(t) > 0) {
        std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
        Handle mt(H5Tcopy(H5T_C_S1));
        H5Tset_size(mt.id(), H5T_VARIABLE);
        H5Tset_cset(mt.id(), H5Tget_cset(t));
        if (readFn(mt.id(), ptrs.data()) < 0)
            return std::nullopt;
        std::string out = ptrs[0] ? ptrs[0] : "";
        Handle space(H5Scopy(s));
        H5Dvlen_reclaim(mt.id(), space.id(), H5P_DEFAULT, ptrs.data());
        return out;
    }
    std::size_t size = H5Tget_size(t);
    if (size == 0 || size > (1u << 24))
        return std::nullopt;
    std::vector<char> buf(size * static_cast<std::size_t>(n) + 1, '\0');
    Handle mt(H5Tcopy(t));
    if (readFn(mt.id(), buf.data()) < 0)
        return std::nullopt;
    // A 1-D array of 1-byte strings is one text (RTXI stores comments this way).
    const std::size_t len = size == 1 ? static_cast<std::size_t>(n) : size;
    std::string out(buf.data(), strnlen(buf.data(), len));
    while (!out.empty() && (out.back() == ' ' || out.back() == '\0'))
        out.pop_back();
    return out;
}

} // namespace

std::optional<std::string> File::attrString(const std::string& objPath, const std::string& name) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading attribute '", name, "' of ", objPath});
    if (!hasAttr(objPath, name))
        return std::nullopt;
    Handle a(H5Aopen_by_name(id(), objPath.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT));
    if (!a)
        return std::nullopt;
    Handle t(H5Aget_type(a.id()));
    Handle s(H5Aget_space(a.id()));
    return readStringValue(t.id(), s.id(), [&](hid_t mt, void* buf) { return H5Aread(a.id(), mt, buf); });
}

std::optional<double> File::attrNumber(const std::string& objPath, const std::string& name) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading attribute '", name, "' of ", objPath});
    if (!hasAttr(objPath, name))
        return std::nullopt;
    Handle a(H5Aopen_by_name(id(), objPath.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT));
    if (!a)
        return std::nullopt;
    Handle t(H5Aget_type(a.id()));
    auto cls = H5Tget_class(t.id());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        // Numbers written as strings ("10000") are accepted too.
        auto s = attrString(objPath, name);
        if (!s)
            return std::nullopt;
        try {
            std::size_t used = 0;
            double v = std::stod(*s, &used);
            if (used == 0)
                return std::nullopt;
            return v;
        } catch (...) {
            return std::nullopt;
        }
    }
    Handle s(H5Aget_space(a.id()));
    hssize_t n = H5Sget_simple_extent_npoints(s.id());
    if (n < 1 || n > (1 << 20))
        return std::nullopt;
    std::vector<double> v(static_cast<std::size_t>(n));
    if (H5Aread(a.id(), H5T_NATIVE_DOUBLE, v.data()) < 0)
        return std::nullopt;
    return v[0];
}

std::vector<hsize_t> File::shape(const std::string& dsPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading the shape of ", dsPath});
    if (!isDataset(dsPath))
        throw Error(where(dsPath) + ": no such dataset");
    Handle d(H5Dopen2(id(), dsPath.c_str(), H5P_DEFAULT));
    Handle s(H5Dget_space(d.id()));
    int rank = H5Sget_simple_extent_ndims(s.id());
    if (rank < 0)
        throw Error(where(dsPath) + ": cannot read dataset shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(s.id(), dims.data(), nullptr);
    return dims;
}

bool File::isNumeric(const std::string& dsPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading the type of ", dsPath});
    if (!isDataset(dsPath))
        return false;
    Handle d(H5Dopen2(id(), dsPath.c_str(), H5P_DEFAULT));
    Handle t(H5Dget_type(d.id()));
    auto c = H5Tget_class(t.id());
    return c == H5T_INTEGER || c == H5T_FLOAT;
}

bool File::isString(const std::string& dsPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading the type of ", dsPath});
    if (!isDataset(dsPath))
        return false;
    Handle d(H5Dopen2(id(), dsPath.c_str(), H5P_DEFAULT));
    Handle t(H5Dget_type(d.id()));
    return H5Tget_class(t.id()) == H5T_STRING;
}

namespace {

Handle openNumeric(const File& f, const std::string& dsPath)
{
    if (!f.isDataset(dsPath))
        throw Error(f.where(dsPath) + ": no such dataset");
    Handle d(H5Dopen2(f.id(), dsPath.c_str(), H5P_DEFAULT));
    if (!d)
        throw Error(f.where(dsPath) + ": cannot open dataset");
    Handle t(H5Dget_type(d.id()));
    auto c = H5Tget_class(t.id());
    if (c != H5T_INTEGER && c != H5T_FLOAT)
        throw Error(f.where(dsPath) + ": dataset is not numeric");
    return d;
}

void readChecked(const File& f, const std::string& dsPath, hid_t d, hid_t memSpace, hid_t fileSpace,
                 double* out)
{
    if (H5Dread(d, H5T_NATIVE_DOUBLE, memSpace, fileSpace, H5P_DEFAULT, out) < 0)
        throw Error(f.where(dsPath) + ": read failed (file truncated or corrupt?)");
}

} // namespace

std::vector<double> File::readDoubles(const std::string& dsPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading dataset ", dsPath});
    Handle d = openNumeric(*this, dsPath);
    Handle s(H5Dget_space(d.id()));
    hssize_t n = H5Sget_simple_extent_npoints(s.id());
    if (n < 0)
        throw Error(where(dsPath) + ": cannot read dataset size");
    std::vector<double> v(static_cast<std::size_t>(n));
    if (n > 0)
        readChecked(*this, dsPath, d.id(), H5S_ALL, H5S_ALL, v.data());
    return v;
}

std::vector<double> File::readDoubles1D(const std::string& dsPath, hsize_t offset, hsize_t count) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading dataset ", dsPath});
    Handle d = openNumeric(*this, dsPath);
    Handle s(H5Dget_space(d.id()));
    int rank = H5Sget_simple_extent_ndims(s.id());
    hsize_t dims[H5S_MAX_RANK];
    H5Sget_simple_extent_dims(s.id(), dims, nullptr);
    if (rank != 1)
        throw Error(where(dsPath) + ": expected a 1-D dataset");
    if (offset > dims[0] || count > dims[0] - offset)
        throw Error(where(dsPath) + ": slice beyond the dataset's " + std::to_string(dims[0]) + " samples");
    std::vector<double> v(static_cast<std::size_t>(count));
    if (count == 0)
        return v;
    H5Sselect_hyperslab(s.id(), H5S_SELECT_SET, &offset, nullptr, &count, nullptr);
    Handle mem(H5Screate_simple(1, &count, nullptr));
    readChecked(*this, dsPath, d.id(), mem.id(), s.id(), v.data());
    return v;
}

std::vector<double> File::readColumn(const std::string& dsPath, hsize_t col) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading dataset ", dsPath});
    Handle d = openNumeric(*this, dsPath);
    Handle s(H5Dget_space(d.id()));
    int rank = H5Sget_simple_extent_ndims(s.id());
    if (rank != 2)
        throw Error(where(dsPath) + ": expected a 2-D dataset");
    hsize_t dims[2];
    H5Sget_simple_extent_dims(s.id(), dims, nullptr);
    if (col >= dims[1])
        throw Error(where(dsPath) + ": column " + std::to_string(col) + " out of range");
    hsize_t start[2] = {0, col}, count[2] = {dims[0], 1};
    H5Sselect_hyperslab(s.id(), H5S_SELECT_SET, start, nullptr, count, nullptr);
    hsize_t n = dims[0];
    Handle mem(H5Screate_simple(1, &n, nullptr));
    std::vector<double> v(static_cast<std::size_t>(n));
    if (n)
        readChecked(*this, dsPath, d.id(), mem.id(), s.id(), v.data());
    return v;
}

std::vector<double> File::readRow(const std::string& dsPath, hsize_t row) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading dataset ", dsPath});
    Handle d = openNumeric(*this, dsPath);
    Handle s(H5Dget_space(d.id()));
    int rank = H5Sget_simple_extent_ndims(s.id());
    if (rank != 2)
        throw Error(where(dsPath) + ": expected a 2-D dataset");
    hsize_t dims[2];
    H5Sget_simple_extent_dims(s.id(), dims, nullptr);
    if (row >= dims[0])
        throw Error(where(dsPath) + ": row " + std::to_string(row) + " out of range");
    hsize_t start[2] = {row, 0}, count[2] = {1, dims[1]};
    H5Sselect_hyperslab(s.id(), H5S_SELECT_SET, start, nullptr, count, nullptr);
    hsize_t n = dims[1];
    Handle mem(H5Screate_simple(1, &n, nullptr));
    std::vector<double> v(static_cast<std::size_t>(n));
    if (n)
        readChecked(*this, dsPath, d.id(), mem.id(), s.id(), v.data());
    return v;
}

H5T_class_t File::typeClass(const std::string& dsPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading the type of ", dsPath});
    if (!isDataset(dsPath))
        return H5T_NO_CLASS;
    Handle d(H5Dopen2(id(), dsPath.c_str(), H5P_DEFAULT));
    Handle t(H5Dget_type(d.id()));
    return t ? H5Tget_class(t.id()) : H5T_NO_CLASS;
}

std::string File::readString(const std::string& dsPath) const
{
    Lock lock(libraryMutex());
    Breadcrumb crumb({"reading string dataset ", dsPath});
    if (!isDataset(dsPath))
        throw Error(where(dsPath) + ": no such dataset");
    Handle d(H5Dopen2(id(), dsPath.c_str(), H5P_DEFAULT));
    Handle t(H5Dget_type(d.id()));
    Handle s(H5Dget_space(d.id()));
    auto v = readStringValue(t.id(), s.id(), [&](hid_t mt, void* buf) {
        return H5Dread(d.id(), mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    });
    if (!v)
        throw Error(where(dsPath) + ": not a readable string dataset");
    return *v;
}

double File::readScalar(const std::string& dsPath) const
{
    auto v = readDoubles(dsPath);
    if (v.empty())
        throw Error(where(dsPath) + ": empty dataset where a number was expected");
    return v[0];
}

void File::createGroup(const std::string& groupPath)
{
    Lock lock(libraryMutex());
    if (exists(groupPath))
        return;
    Handle lcpl(H5Pcreate(H5P_LINK_CREATE));
    H5Pset_create_intermediate_group(lcpl.id(), 1);
    Handle gcpl(H5Pcreate(H5P_GROUP_CREATE));
    H5Pset_link_creation_order(gcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    Handle g(H5Gcreate2(id(), groupPath.c_str(), lcpl.id(), gcpl.id(), H5P_DEFAULT));
    if (!g)
        throw Error(where(groupPath) + ": cannot create group");
}

namespace {

void writeArray(File& f, const std::string& dsPath, hid_t fileType, hid_t memType, const void* data, int rank,
                const hsize_t* dims, bool compress)
{
    auto [parent, leaf] = splitPath(dsPath);
    f.createGroup(parent);
    Handle space(H5Screate_simple(rank, dims, nullptr));
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
    hsize_t total = 1;
    for (int i = 0; i < rank; ++i)
        total *= dims[i];
    if (compress && total >= 1024 && rank == 1) {
        hsize_t chunk = std::min<hsize_t>(total, 65536);
        H5Pset_chunk(dcpl.id(), 1, &chunk);
        H5Pset_deflate(dcpl.id(), 4);
    }
    Handle d(H5Dcreate2(f.id(), dsPath.c_str(), fileType, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT));
    if (!d)
        throw Error(f.where(dsPath) + ": cannot create dataset (already exists?)");
    if (total && H5Dwrite(d.id(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        throw Error(f.where(dsPath) + ": write failed (disk full?)");
}

} // namespace

void File::writeDoubles(const std::string& dsPath, const std::vector<double>& v, bool compress)
{
    Lock lock(libraryMutex());
    hsize_t n = v.size();
    writeArray(*this, dsPath, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), 1, &n, compress);
}

void File::writeFloats(const std::string& dsPath, const std::vector<float>& v, bool compress)
{
    Lock lock(libraryMutex());
    hsize_t n = v.size();
    writeArray(*this, dsPath, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, v.data(), 1, &n, compress);
}

void File::writeMatrix(const std::string& dsPath, const double* data, hsize_t rows, hsize_t cols)
{
    Lock lock(libraryMutex());
    hsize_t dims[2] = {rows, cols};
    writeArray(*this, dsPath, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data, 2, dims, false);
}

void File::writeString(const std::string& dsPath, const std::string& s)
{
    Lock lock(libraryMutex());
    auto [parent, leaf] = splitPath(dsPath);
    createGroup(parent);
    Handle t(H5Tcopy(H5T_C_S1));
    H5Tset_size(t.id(), H5T_VARIABLE);
    H5Tset_cset(t.id(), H5T_CSET_UTF8);
    Handle space(H5Screate(H5S_SCALAR));
    Handle d(H5Dcreate2(id(), dsPath.c_str(), t.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    if (!d)
        throw Error(where(dsPath) + ": cannot create string dataset");
    const char* p = s.c_str();
    if (H5Dwrite(d.id(), t.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0)
        throw Error(where(dsPath) + ": write failed");
}

namespace {
Handle openObject(const File& f, const std::string& objPath)
{
    Handle o(H5Oopen(f.id(), objPath.c_str(), H5P_DEFAULT));
    if (!o)
        throw Error(f.where(objPath) + ": no such object");
    return o;
}
} // namespace

void File::setAttr(const std::string& objPath, const std::string& name, const std::string& value)
{
    Lock lock(libraryMutex());
    Handle o = openObject(*this, objPath);
    if (H5Aexists(o.id(), name.c_str()) > 0)
        H5Adelete(o.id(), name.c_str());
    Handle t(H5Tcopy(H5T_C_S1));
    H5Tset_size(t.id(), H5T_VARIABLE);
    H5Tset_cset(t.id(), H5T_CSET_UTF8);
    Handle space(H5Screate(H5S_SCALAR));
    Handle a(H5Acreate2(o.id(), name.c_str(), t.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT));
    const char* p = value.c_str();
    if (!a || H5Awrite(a.id(), t.id(), &p) < 0)
        throw Error(where(objPath) + ": cannot write attribute " + name);
}

void File::setAttr(const std::string& objPath, const std::string& name, double value)
{
    Lock lock(libraryMutex());
    Handle o = openObject(*this, objPath);
    if (H5Aexists(o.id(), name.c_str()) > 0)
        H5Adelete(o.id(), name.c_str());
    Handle space(H5Screate(H5S_SCALAR));
    Handle a(H5Acreate2(o.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT));
    if (!a || H5Awrite(a.id(), H5T_NATIVE_DOUBLE, &value) < 0)
        throw Error(where(objPath) + ": cannot write attribute " + name);
}

void File::flush()
{
    Lock lock(libraryMutex());
    H5Fflush(id(), H5F_SCOPE_GLOBAL);
}

} // namespace rmm::h5
