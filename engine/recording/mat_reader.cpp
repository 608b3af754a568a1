// SPDX-License-Identifier: GPL-3.0-or-later
// MATLAB .mat files: v5 (-v6 / -v7, read with libmatio) and v7.3 (HDF5 with a 512-byte user block,
// read through engine/h5/h5.hpp).
//
// Channels: every real, non-sparse numeric variable at the top level with at least 2 elements.
//   - a vector (n x 1 or 1 x n) is one channel named like the variable;
//   - a matrix (samples x k) gives k channels "name[1]" .. "name[k]" (1-based, as MATLAB counts):
//     the columns of one matrix are channels of one trial, not trials.
//   Channels of equal length share a trial; when lengths differ, each length is its own trial
//   "n<samples>" (a single length gives the one trial "trial1").
// Skipped without failing: structs, cells, char, logical, sparse, complex, objects (MCOS), arrays of
// more than 2 dimensions, and variables whose name starts with "__" (__function_workspace__).
// Units: MAT files store none; channels have an empty unit.
// Sampling rate: MAT files store no time base. We use, in order: a real scalar top-level variable
// or 1x1 struct field named sr, fs, srate, sampleRate, sample_rate, samplingRate, sampling_rate,
// samplerate_hz, rate_hz (case-insensitive); else RecordingOpenOptions::rate_hz; else rmm::Error.
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"

#include <matio.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>

namespace rmm {

namespace {

bool isRateName(const std::string& n)
{
    std::string k;
    for (char c : n)
        if (c != '_')
            k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return k == "sr" || k == "fs" || k == "srate" || k == "samplerate" || k == "samplingrate" ||
           k == "sampleratehz" || k == "ratehz" || k == "samplingratehz";
}

/// One numeric variable: rows x cols in MATLAB terms (column-major).
struct MatVar {
    std::string name;
    std::size_t rows = 0;
    std::size_t cols = 0;
};

/// Shared header logic; subclasses read one column of one variable.
class MatReaderBase : public RecordingReader {
  public:
    const RecordingHeader& header() const override { return header_; }

    std::vector<double> readChannel(std::size_t trial, std::size_t channel) override
    {
        if (trial >= header_.trials.size() || channel >= header_.trials[trial].channels.size())
            throw Error(header_.path + ": no trial " + std::to_string(trial) + " channel " +
                        std::to_string(channel));
        const auto& [var, col] = where_[trial][channel];
        std::vector<double> v = readColumn(vars_[var], col);
        if (v.size() != header_.trials[trial].channels[channel].samples)
            throw Error(header_.path + ": variable '" + vars_[var].name + "' changed size while reading");
        for (std::size_t i = 0; i < v.size(); ++i)
            if (!std::isfinite(v[i]))
                throw Error(header_.path + ": variable '" + header_.trials[trial].channels[channel].name +
                            "', sample " + std::to_string(i + 1) + " (1-based) is NaN or infinite");
        return v;
    }

  protected:
    virtual std::vector<double> readColumn(const MatVar& var, std::size_t col) = 0;

    /// Builds the header from vars_ and the rate found in the file (or given by the caller).
    void buildHeader(const std::string& path, const std::string& format, std::optional<double> fileRate,
                     const std::string& rateSource, const RecordingOpenOptions& options,
                     const std::string& skipped)
    {
        header_.path = path;
        header_.format = format;
        if (vars_.empty())
            throw Error(path +
                        ": no time series found: the MATLAB file has no numeric vector or matrix at its "
                        "top level" +
                        (skipped.empty() ? std::string() : " (skipped: " + skipped + ")"));
        double rate = 0;
        if (fileRate) {
            if (!(*fileRate > 0) || !std::isfinite(*fileRate))
                throw Error(path + ": sampling rate " + rateSource + " = " + std::to_string(*fileRate) +
                            " is not a positive number");
            rate = *fileRate;
        } else if (options.rate_hz > 0 && std::isfinite(options.rate_hz)) {
            rate = options.rate_hz;
        } else {
            throw Error(path + ": a MATLAB file has no time base and none was found (looked for a scalar "
                               "variable or struct field named sr, fs, sampleRate or sampling_rate); "
                               "give the sampling rate in Hz when opening it (CLI: --rate HZ)");
        }
        std::map<std::size_t, std::size_t> trialOfLength;
        for (const auto& v : vars_)
            trialOfLength.emplace(v.rows, 0);
        for (auto& [len, idx] : trialOfLength) {
            idx = header_.trials.size();
            TrialInfo t;
            t.name = trialOfLength.size() == 1 ? std::string("trial1")
                                               : std::string("n").append(std::to_string(len));
            header_.trials.push_back(std::move(t));
            where_.emplace_back();
        }
        for (std::size_t vi = 0; vi < vars_.size(); ++vi) {
            const auto& v = vars_[vi];
            const std::size_t ti = trialOfLength[v.rows];
            for (std::size_t c = 0; c < v.cols; ++c) {
                ChannelInfo ci;
                ci.name = v.cols == 1 ? v.name : v.name + "[" + std::to_string(c + 1) + "]";
                ci.rate_hz = rate;
                ci.samples = v.rows;
                header_.trials[ti].channels.push_back(std::move(ci));
                where_[ti].emplace_back(vi, c);
            }
        }
    }

    /// Adds a 2-D numeric variable: vectors become one column.
    void addVariable(const std::string& name, std::size_t d0, std::size_t d1)
    {
        if (d0 * d1 < 2)
            return;
        if (d0 == 1 || d1 == 1)
            vars_.push_back({name, d0 * d1, 1});
        else
            vars_.push_back({name, d0, d1});
    }

    RecordingHeader header_;
    std::vector<MatVar> vars_;
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> where_;
};

// ---- v5 through libmatio ---------------------------------------------------------------------

bool numericClass(matio_classes c)
{
    return c >= MAT_C_DOUBLE && c <= MAT_C_UINT64;
}

template <typename T> void appendAs(const void* data, std::size_t n, std::vector<double>& out)
{
    const T* p = static_cast<const T*>(data);
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(static_cast<double>(p[i]));
}

// Data of a loaded numeric matvar as doubles (column-major); empty when not convertible.
std::vector<double> toDoubles(const matvar_t* v)
{
    std::vector<double> out;
    if (!v || !v->data || v->isComplex || v->rank < 1)
        return out;
    std::size_t n = 1;
    for (int i = 0; i < v->rank; ++i)
        n *= v->dims[i];
    switch (v->class_type) {
    case MAT_C_DOUBLE:
        appendAs<double>(v->data, n, out);
        break;
    case MAT_C_SINGLE:
        appendAs<float>(v->data, n, out);
        break;
    case MAT_C_INT8:
        appendAs<int8_t>(v->data, n, out);
        break;
    case MAT_C_UINT8:
        appendAs<uint8_t>(v->data, n, out);
        break;
    case MAT_C_INT16:
        appendAs<int16_t>(v->data, n, out);
        break;
    case MAT_C_UINT16:
        appendAs<uint16_t>(v->data, n, out);
        break;
    case MAT_C_INT32:
        appendAs<int32_t>(v->data, n, out);
        break;
    case MAT_C_UINT32:
        appendAs<uint32_t>(v->data, n, out);
        break;
    case MAT_C_INT64:
        appendAs<int64_t>(v->data, n, out);
        break;
    case MAT_C_UINT64:
        appendAs<uint64_t>(v->data, n, out);
        break;
    default:
        break;
    }
    return out;
}

struct MatFileCloser {
    void operator()(mat_t* m) const { Mat_Close(m); }
};
struct MatVarFree {
    void operator()(matvar_t* v) const { Mat_VarFree(v); }
};
using MatPtr = std::unique_ptr<mat_t, MatFileCloser>;
using VarPtr = std::unique_ptr<matvar_t, MatVarFree>;

// Inflates one miCOMPRESSED element (output discarded): zlib checks the stream's Adler-32, which
// catches corrupt bytes that libmatio would decode into garbage samples.
void checkCompressed(std::ifstream& in, const std::string& path, int k, std::uint64_t off,
                     std::uint32_t bytes)
{
    in.seekg(static_cast<std::streamoff>(off + 8));
    z_stream z{};
    if (inflateInit(&z) != Z_OK)
        throw Error(path + ": cannot start zlib");
    std::vector<unsigned char> inBuf(1 << 16), outBuf(1 << 18);
    std::uint64_t left = bytes;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (z.avail_in == 0) {
            if (left == 0)
                break;
            const auto n = static_cast<std::streamsize>(std::min<std::uint64_t>(left, inBuf.size()));
            if (!in.read(reinterpret_cast<char*>(inBuf.data()), n))
                break;
            left -= static_cast<std::uint64_t>(n);
            z.next_in = inBuf.data();
            z.avail_in = static_cast<uInt>(n);
        }
        z.next_out = outBuf.data();
        z.avail_out = static_cast<uInt>(outBuf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
    }
    const auto failedAt = z.total_in;
    inflateEnd(&z);
    if (rc != Z_STREAM_END)
        throw Error(path + ": variable " + std::to_string(k) + " (byte " + std::to_string(off) +
                    "): compressed data is corrupt near byte " + std::to_string(off + 8 + failedAt));
}

// libmatio reads a cut-off variable as zeros without complaint, so the top-level element tags are
// checked first: every element must end within the file.
void checkMat5Elements(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    const auto size = static_cast<std::uint64_t>(std::filesystem::file_size(path, ec));
    unsigned char head[128];
    if (!in.read(reinterpret_cast<char*>(head), sizeof head))
        throw Error(path + ": MATLAB v5 file shorter than its 128-byte header (truncated)");
    const bool little = head[126] == 'I' && head[127] == 'M';
    if (!little && !(head[126] == 'M' && head[127] == 'I'))
        throw Error(path + ": MATLAB v5 header has no endian indicator (corrupt file)");
    auto u32 = [&](const unsigned char* b) {
        return little ? std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 |
                            std::uint32_t(b[3]) << 24
                      : std::uint32_t(b[3]) | std::uint32_t(b[2]) << 8 | std::uint32_t(b[1]) << 16 |
                            std::uint32_t(b[0]) << 24;
    };
    std::uint64_t off = 128;
    for (int k = 1; off < size; ++k) {
        unsigned char tag[8];
        in.seekg(static_cast<std::streamoff>(off));
        if (size - off < 8 || !in.read(reinterpret_cast<char*>(tag), 8))
            throw Error(path + ": variable " + std::to_string(k) + " (byte " + std::to_string(off) +
                        "): element tag cut off; the file is truncated");
        const std::uint32_t type = u32(tag), bytes = u32(tag + 4);
        const std::uint64_t end = off + 8 + bytes;
        if (end > size)
            throw Error(path + ": variable " + std::to_string(k) + " (byte " + std::to_string(off) +
                        ") needs " + std::to_string(bytes) + " bytes but the file ends after " +
                        std::to_string(size - off - 8) + "; the file is truncated");
        if (type == 15)
            checkCompressed(in, path, k, off, bytes);
        // miMATRIX elements are padded to 8 bytes; miCOMPRESSED ones are not.
        off = type == 14 ? (end + 7) / 8 * 8 : end;
    }
}

// libmatio prints its own diagnostics to stderr; our errors carry the message the user needs.
void silenceMatio()
{
    static std::once_flag once;
    std::call_once(once, [] { Mat_LogInitFunc("rmm", [](int, char*) {}); });
}

class Mat5Reader final : public MatReaderBase {
  public:
    Mat5Reader(const std::string& path, const RecordingOpenOptions& options) : path_(path)
    {
        std::error_code ec;
        fileSize_ = std::filesystem::file_size(path, ec);
        checkMat5Elements(path);
        silenceMatio();
        mat_.reset(Mat_Open(path.c_str(), MAT_ACC_RDONLY));
        if (!mat_)
            throw Error(path + ": not a readable MATLAB v5 file (corrupt or truncated header)");
        std::optional<double> rate;
        std::string rateSource, rateVar, skipped;
        std::vector<std::string> structs;
        for (int guard = 0; guard < 100000; ++guard) {
            VarPtr info(Mat_VarReadNextInfo(mat_.get()));
            if (!info)
                break;
            const std::string name = info->name ? info->name : "";
            const bool numeric = numericClass(info->class_type) && !info->isComplex && !info->isLogical;
            if (name.rfind("__", 0) == 0 || name.empty()) {
                continue;
            } else if (info->class_type == MAT_C_STRUCT) {
                structs.push_back(name);
            } else if (numeric && info->rank == 2 && info->dims[0] * info->dims[1] == 1) {
                if (rateVar.empty() && isRateName(name))
                    rateVar = name; // read after the scan: reading moves matio's file position
            } else if (numeric && info->rank == 2) {
                checkSize(name, info->dims[0] * info->dims[1]);
                addVariable(name, info->dims[0], info->dims[1]);
            } else {
                skipped += (skipped.empty() ? "" : ", ") + name;
            }
        }
        if (!rateVar.empty()) {
            rate = scalarOf(rateVar);
            rateSource = "variable " + rateVar;
        }
        for (const auto& s : structs) {
            if (rate)
                break;
            VarPtr st(Mat_VarRead(mat_.get(), s.c_str()));
            if (!st || st->class_type != MAT_C_STRUCT)
                continue;
            const unsigned nf = Mat_VarGetNumberOfFields(st.get());
            char* const* names = Mat_VarGetStructFieldnames(st.get());
            for (unsigned i = 0; names && i < nf && !rate; ++i) {
                if (!names[i] || !isRateName(names[i]))
                    continue;
                matvar_t* field = Mat_VarGetStructFieldByName(st.get(), names[i], 0);
                auto v = toDoubles(field);
                if (v.size() == 1) {
                    rate = v[0];
                    rateSource = "field " + s + "." + names[i];
                }
            }
        }
        buildHeader(path, "mat5", rate, rateSource, options, skipped);
    }

  protected:
    std::vector<double> readColumn(const MatVar& var, std::size_t col) override
    {
        if (cachedName_ != var.name) {
            cachedName_.clear();
            VarPtr v(Mat_VarRead(mat_.get(), var.name.c_str()));
            cache_ = toDoubles(v.get());
            if (cache_.size() != var.rows * var.cols)
                throw Error(path_ + ": variable '" + var.name +
                            "' cannot be read (file truncated or corrupt?)");
            cachedName_ = var.name;
        }
        auto first = cache_.begin() + static_cast<std::ptrdiff_t>(col * var.rows);
        return std::vector<double>(first, first + static_cast<std::ptrdiff_t>(var.rows));
    }

  private:
    double scalarOf(const std::string& name)
    {
        VarPtr v(Mat_VarRead(mat_.get(), name.c_str()));
        auto d = toDoubles(v.get());
        if (d.size() != 1)
            throw Error(path_ + ": variable '" + name + "' cannot be read (file truncated or corrupt?)");
        return d[0];
    }

    // zlib cannot expand data by more than about 1032:1: a larger claim means a corrupt header.
    void checkSize(const std::string& name, std::size_t elements) const
    {
        if (fileSize_ > 0 && elements / 1100 > fileSize_)
            throw Error(path_ + ": variable '" + name + "' claims " + std::to_string(elements) +
                        " elements, more than the file can hold (corrupt header?)");
    }

    std::string path_;
    std::uintmax_t fileSize_ = 0;
    MatPtr mat_;
    std::string cachedName_;
    std::vector<double> cache_;
};

// ---- v7.3 through HDF5 -----------------------------------------------------------------------

bool numericMatlabClass(const std::string& c)
{
    static const char* names[] = {"double", "single", "int8",   "uint8", "int16",
                                  "uint16", "int32",  "uint32", "int64", "uint64"};
    return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return c == n; });
}

class Mat73Reader final : public MatReaderBase {
  public:
    Mat73Reader(const std::string& path, const RecordingOpenOptions& options)
        : file_(h5::File::openRead(path))
    {
        std::optional<double> rate;
        std::string rateSource, skipped;
        for (const auto& name : file_.members("/")) {
            const std::string p = "/" + name;
            if (name.empty() || name[0] == '#' || name.rfind("__", 0) == 0)
                continue; // #refs#, #subsystem#: storage for cells and objects
            const std::string cls = file_.attrString(p, "MATLAB_class").value_or("");
            if (file_.isGroup(p)) {
                if ((cls == "struct" || cls.empty()) && !rate)
                    for (const auto& field : file_.members(p))
                        if (isRateName(field))
                            if (auto r = scalar(p + "/" + field)) {
                                rate = r;
                                rateSource = "field " + name + "." + field;
                                break;
                            }
                skipped += (skipped.empty() ? "" : ", ") + name + " (" + (cls.empty() ? "group" : cls) + ")";
                continue;
            }
            auto shape = file_.isDataset(p) ? file_.shape(p) : std::vector<hsize_t>{};
            const bool empty = file_.hasAttr(p, "MATLAB_empty");
            if (!numericMatlabClass(cls) || empty || shape.size() != 2 || !file_.isNumeric(p)) {
                skipped += (skipped.empty() ? "" : ", ") + name + (cls.empty() ? "" : " (" + cls + ")");
                continue;
            }
            // HDF5 dims are MATLAB's reversed: h5 [cols, rows] holds a rows x cols matrix.
            const auto rows = static_cast<std::size_t>(shape[1]);
            const auto cols = static_cast<std::size_t>(shape[0]);
            if (rows * cols == 1) {
                if (!rate && isRateName(name)) {
                    rate = file_.readScalar(p);
                    rateSource = "variable " + name;
                }
                continue;
            }
            addVariable(name, rows, cols);
        }
        buildHeader(path, "mat73", rate, rateSource, options, skipped);
    }

  protected:
    std::vector<double> readColumn(const MatVar& var, std::size_t col) override
    {
        const std::string p = "/" + var.name;
        if (var.cols == 1)
            return file_.readDoubles(p);
        return file_.readRow(p, col);
    }

  private:
    std::optional<double> scalar(const std::string& p) const
    {
        if (!file_.isDataset(p) || !file_.isNumeric(p) || file_.hasAttr(p, "MATLAB_empty"))
            return std::nullopt;
        auto shape = file_.shape(p);
        std::size_t n = 1;
        for (auto d : shape)
            n *= static_cast<std::size_t>(d);
        if (n != 1)
            return std::nullopt;
        return file_.readScalar(p);
    }

    h5::File file_;
};

bool headStartsWith(const FileProbe& probe, const char* text)
{
    const std::size_t n = std::strlen(text);
    return probe.head.size() >= n && std::memcmp(probe.head.data(), text, n) == 0;
}

} // namespace

bool looksLikeMat5(const FileProbe& probe)
{
    return !probe.hdf5 && headStartsWith(probe, "MATLAB 5.0 MAT-file");
}

bool looksLikeMat73(const FileProbe& probe)
{
    return probe.hdf5 && headStartsWith(probe, "MATLAB 7.3 MAT-file");
}

std::unique_ptr<RecordingReader> openMat(const std::string& path, const RecordingOpenOptions& options)
{
    if (h5::isHdf5File(path))
        return std::make_unique<Mat73Reader>(path, options);
    return std::make_unique<Mat5Reader>(path, options);
}

} // namespace rmm
