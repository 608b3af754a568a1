// SPDX-License-Identifier: GPL-3.0-or-later
// Thin RAII layer over the HDF5 C API, shared by every HDF5-based format (generic recordings,
// NWB, RTXI, MATLAB v7.3, model files). Errors become rmm::Error naming file and object path;
// HDF5's own error stack printing is switched off.
#pragma once
#include "engine/core/isolate.hpp"

#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rmm::h5 {

/// The HDF5 library shipped by Debian is not built thread-safe: every HDF5 call in the
/// engine holds this lock (the wrappers below take it themselves). Recursive; a no-op inside an
/// isolated child process (see isolated()), whose fork happens while the parent holds it.
class LibraryMutex {
  public:
    void lock();
    void unlock();
    bool try_lock();

  private:
    std::recursive_mutex m_;
};
LibraryMutex& libraryMutex();

/// Runs `work`, which reads the HDF5 file `path`, in a child process (rmm::runIsolated) while
/// holding libraryMutex(), so that a libhdf5 crash on a damaged file becomes an rmm::Error
/// "<path>: the file is damaged: reading attribute 'unit' of /x crashed the HDF5 library (...)".
/// The wrappers below leave the breadcrumbs that message names. `work` may hand bytes back (see
/// rmm::runIsolated).
std::size_t isolated(const std::string& path, const std::function<void(IsolatedResult&)>& work,
                     const std::function<void*(std::size_t)>& receive = {});

/// Owns one hid_t and closes it with the right H5*close.
class Handle {
  public:
    Handle() = default;
    explicit Handle(hid_t id) : id_(id) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
    Handle& operator=(Handle&& o) noexcept;
    ~Handle();
    hid_t id() const { return id_; }
    bool valid() const { return id_ >= 0; }
    explicit operator bool() const { return valid(); }

  private:
    hid_t id_ = H5I_INVALID_HID;
};

/// True when the file starts with (or has at 512/1024/... bytes) the HDF5 signature.
bool isHdf5File(const std::string& path);

class File {
  public:
    /// Opens read-only; throws rmm::Error "<path>: not an HDF5 file" etc.
    static File openRead(const std::string& path);
    /// Creates (truncates) a file for writing.
    static File create(const std::string& path);

    const std::string& path() const { return path_; }
    hid_t id() const { return h_.id(); }

    bool exists(const std::string& objPath) const; ///< link exists and resolves
    bool isGroup(const std::string& objPath) const;
    bool isDataset(const std::string& objPath) const;
    /// Names of the members of a group, in creation order where tracked, else name order.
    std::vector<std::string> members(const std::string& groupPath) const;

    // Attributes on any object (group or dataset).
    bool hasAttr(const std::string& objPath, const std::string& name) const;
    std::optional<std::string> attrString(const std::string& objPath, const std::string& name) const;
    std::optional<double> attrNumber(const std::string& objPath, const std::string& name) const;
    /// Every element of a string attribute (scalar or 1-D array of fixed/variable strings), e.g. NWB 1's
    /// `ancestry`. Empty when the attribute is absent or not a string.
    std::vector<std::string> attrStrings(const std::string& objPath, const std::string& name) const;

    // Datasets
    std::vector<hsize_t> shape(const std::string& dsPath) const;
    /// Whole dataset converted to double (any integer or float type). Throws for non-numeric.
    std::vector<double> readDoubles(const std::string& dsPath) const;
    /// A 1-D slice [offset, offset+count) converted to double.
    std::vector<double> readDoubles1D(const std::string& dsPath, hsize_t offset, hsize_t count) const;
    /// Column `col` of a 2-D dataset (rows x cols), as double.
    std::vector<double> readColumn(const std::string& dsPath, hsize_t col) const;
    /// Row `row` of a 2-D dataset (rows x cols), as double (MATLAB v7.3 stores a matrix's columns as rows).
    std::vector<double> readRow(const std::string& dsPath, hsize_t row) const;

    /// A table of numbers: `rows` x `cols`, row-major in `values`; `columns` names each column.
    struct Table {
        std::size_t rows = 0;
        std::size_t cols = 0;
        std::vector<std::string> columns;
        std::vector<double> values;
        double at(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
    };
    /// Reads a packet table or matrix as numbers: a 1-D dataset whose element is an ARRAY of numbers
    /// (columns "0", "1", ...) or a COMPOUND of numeric scalar or array members (columns named by member,
    /// "name[k]" for array members), or a 1-D/2-D numeric dataset. Throws rmm::Error for anything else.
    Table readTable(const std::string& dsPath) const;
    /// Column names readTable() would return, without reading the data.
    std::vector<std::string> tableColumns(const std::string& dsPath) const;
    /// HDF5 type class of a dataset (H5T_NO_CLASS when it is missing).
    H5T_class_t typeClass(const std::string& dsPath) const;
    /// A string dataset (fixed or variable length, scalar or 1-element).
    std::string readString(const std::string& dsPath) const;
    /// A scalar numeric dataset.
    double readScalar(const std::string& dsPath) const;
    bool isNumeric(const std::string& dsPath) const;
    bool isString(const std::string& dsPath) const;

    // Writing
    void createGroup(const std::string& groupPath);
    void writeDoubles(const std::string& dsPath, const std::vector<double>& v, bool compress = true);
    void writeFloats(const std::string& dsPath, const std::vector<float>& v, bool compress = true);
    void writeMatrix(const std::string& dsPath, const double* data, hsize_t rows, hsize_t cols);
    void writeString(const std::string& dsPath, const std::string& s);
    void setAttr(const std::string& objPath, const std::string& name, const std::string& value);
    void setAttr(const std::string& objPath, const std::string& name, double value);
    void flush();

    /// "file.h5:/trial1/v1" style location for messages.
    std::string where(const std::string& objPath) const { return path_ + ":" + objPath; }

  private:
    std::string path_;
    Handle h_;
};

} // namespace rmm::h5
