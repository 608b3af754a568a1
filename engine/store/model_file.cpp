// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/model_file.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/byte_stream.hpp"
#include "engine/core/error.hpp"
#include "engine/core/isolate.hpp"
#include "engine/h5/h5.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <zlib.h>

namespace rmm {
namespace {

constexpr const char* kFormat = "rmm-model";

std::vector<double> toDoubles(const std::vector<int>& v)
{
    return {v.begin(), v.end()};
}

std::vector<int> toInts(const std::vector<double>& v, const h5::File& f, const std::string& path)
{
    std::vector<int> out;
    for (double x : v) {
        if (x != std::floor(x) || std::abs(x) > 1e9)
            throw Error(f.where(path) + ": expected integers");
        out.push_back(static_cast<int>(x));
    }
    return out;
}

std::vector<double> vec(const Eigen::VectorXd& v)
{
    return {v.data(), v.data() + v.size()};
}

// ---- Checksums (format version 2) --------------------------------------------------------------
// Every dataset, and the group /model for its number attributes, carries an attribute `crc32`: the
// CRC-32 (zlib) of its values as stored, little-endian IEEE doubles for numbers, UTF-8 bytes for
// strings. Computed from the values, not the file bytes, so it also catches damage to HDF5's own
// metadata that changes what is read (byte order, data address) without an HDF5 error.

constexpr const char* kCrcAttr = "crc32";

// The attributes of /model, in checksum order.
constexpr const char* kModelAttrs[] = {"dt_ms",     "neurons",           "conductance_hidden",
                                       "e_syn_mV",  "activation_min_mV", "activation_max_mV",
                                       "gbar_init", "synapse_count"};

std::uint32_t crcOf(const std::vector<double>& v)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    for (double x : v) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, 8);
        unsigned char le[8];
        for (int i = 0; i < 8; ++i)
            le[i] = static_cast<unsigned char>(bits >> (8 * i));
        crc = crc32(crc, le, 8);
    }
    return static_cast<std::uint32_t>(crc);
}

std::uint32_t crcOf(const std::string& s)
{
    return static_cast<std::uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

std::string hex(std::uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(v));
    return buf;
}

// Checks `obj`'s crc32 attribute against `computed`: required from format version 2 on, checked
// whenever present.
void verifyCrc(const h5::File& f, const std::string& obj, std::uint32_t computed, int version)
{
    const auto stored = f.attrNumber(obj, kCrcAttr);
    if (!stored) {
        if (version >= 2)
            throw Error(f.where(obj) + ": checksum attribute '" + kCrcAttr +
                        "' is missing; the model file is damaged");
        return;
    }
    if (*stored != static_cast<double>(computed))
        throw Error(f.where(obj) + ": checksum mismatch, the model file is damaged (stored CRC-32 " +
                    (*stored >= 0 && *stored <= 4294967295.0 ? hex(static_cast<std::uint32_t>(*stored))
                                                             : std::string("invalid")) +
                    ", computed " + hex(computed) + ")");
}

// A numeric dataset, its checksum verified.
std::vector<double> checkedDoubles(const h5::File& f, const std::string& path, int version)
{
    if (!f.isDataset(path))
        throw Error(f.where(path) + ": missing dataset (not a model file of this program, or damaged)");
    auto v = f.readDoubles(path);
    verifyCrc(f, path, crcOf(v), version);
    return v;
}

std::string checkedString(const h5::File& f, const std::string& path, int version)
{
    std::string s = f.readString(path);
    verifyCrc(f, path, crcOf(s), version);
    return s;
}

void requireFinite(const std::vector<double>& v, const h5::File& f, const std::string& path)
{
    for (std::size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i]))
            throw Error(f.where(path) + ": value " + std::to_string(i) + " is " + std::to_string(v[i]) +
                        ", not a finite number; the model cannot be used");
}

// Writers that add the checksum attribute.
void writeChecked(h5::File& f, const std::string& path, const std::vector<double>& v)
{
    f.writeDoubles(path, v, false);
    f.setAttr(path, kCrcAttr, static_cast<double>(crcOf(v)));
}

void writeCheckedMatrix(h5::File& f, const std::string& path, const double* data, hsize_t rows, hsize_t cols)
{
    f.writeMatrix(path, data, rows, cols);
    f.setAttr(path, kCrcAttr, static_cast<double>(crcOf(std::vector<double>(data, data + rows * cols))));
}

void writeCheckedString(h5::File& f, const std::string& path, const std::string& s)
{
    f.writeString(path, s);
    f.setAttr(path, kCrcAttr, static_cast<double>(crcOf(s)));
}

double requireNumber(const h5::File& f, const std::string& obj, const std::string& name)
{
    auto v = f.attrNumber(obj, name);
    if (!v)
        throw Error(f.where(obj) + ": missing attribute '" + name + "'");
    return *v;
}

std::string formatVersion(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

Eigen::VectorXd toVector(const std::vector<double>& v, Eigen::Index n, const h5::File& f,
                         const std::string& path)
{
    if (static_cast<Eigen::Index>(v.size()) != n)
        throw Error(f.where(path) + ": expected " + std::to_string(n) + " values, found " +
                    std::to_string(v.size()));
    return Eigen::Map<const Eigen::VectorXd>(v.data(), n);
}

} // namespace

void saveModel(const std::string& path, const CircuitModel& model, const std::string& configJson,
               const std::map<std::string, std::string>& extra)
{
    model.requireNormalisation("saving the model to " + path);
    writeAtomically(path, [&](const std::string& tmp) {
        h5::File f = h5::File::create(tmp);
        f.setAttr("/", "format", kFormat);
        f.setAttr("/", "format_version", static_cast<double>(kModelFileVersion));
        f.setAttr("/", "engine_version", RMM_VERSION);
        for (const auto& [k, v] : extra) {
            if (k.empty() || k.find('/') != std::string::npos)
                throw Error("model file: extra key '" + k + "' must be non-empty and contain no '/'");
            writeCheckedString(f, "/extra/" + k, v);
        }
        const ModelConfig& c = model.config();
        f.createGroup("/model");
        const std::vector<double> attrs = {model.dtMs(),
                                           static_cast<double>(c.neurons),
                                           static_cast<double>(c.conductance_hidden),
                                           c.e_syn_mV,
                                           c.activation_min_mV,
                                           c.activation_max_mV,
                                           c.gbar_init,
                                           static_cast<double>(c.synapses.size())};
        for (std::size_t i = 0; i < attrs.size(); ++i)
            f.setAttr("/model", kModelAttrs[i], attrs[i]);
        f.setAttr("/model", kCrcAttr, static_cast<double>(crcOf(attrs)));
        writeChecked(f, "/model/intrinsic_taus_ms", c.intrinsic_taus_ms);
        if (!c.synaptic_taus_ms.empty())
            writeChecked(f, "/model/synaptic_taus_ms", c.synaptic_taus_ms);
        writeChecked(f, "/model/intrinsic_hidden", toDoubles(c.intrinsic_hidden));
        writeChecked(f, "/model/lumped_hidden", toDoubles(c.lumped_hidden));
        if (!c.synapses.empty()) {
            std::vector<double> syn;
            for (const auto& s : c.synapses) {
                syn.push_back(s.pre);
                syn.push_back(s.post);
                syn.push_back(s.kind == SynapseKind::Lumped ? 0 : 1);
            }
            writeCheckedMatrix(f, "/model/synapses", syn.data(), c.synapses.size(), 3);
            f.setAttr("/model/synapses", "columns",
                      "pre, post, kind (0 lumped, 1 conductance); 0-based neurons");
        }
        for (const auto& b : model.blocks()) {
            const std::string p = "/parameters/" + b.name;
            writeCheckedMatrix(f, p, model.flatParameters().data() + b.offset, static_cast<hsize_t>(b.rows),
                               static_cast<hsize_t>(b.cols));
        }
        for (int i = 0; i < model.neurons(); ++i) {
            const auto& q = model.normalisation()[static_cast<std::size_t>(i)];
            const std::string g = "/normalisation/neuron" + std::to_string(i);
            writeChecked(f, g + "/v_range", {q.v_lo, q.v_hi});
            writeChecked(f, g + "/w_lo", vec(q.w_lo));
            writeChecked(f, g + "/w_hi", vec(q.w_hi));
            if (q.z_lo.size()) {
                writeChecked(f, g + "/z_lo", vec(q.z_lo));
                writeChecked(f, g + "/z_hi", vec(q.z_hi));
            }
        }
        writeCheckedString(f, "/config_json", configJson);
        f.flush();
    });
}

namespace {

ModelFile loadHere(const std::string& path)
{
    h5::File f = h5::File::openRead(path);
    const auto fmt = f.attrString("/", "format");
    if (!fmt || *fmt != kFormat)
        throw Error(path + ": not a model file of this program (missing format attribute 'rmm-model')");
    ModelFile out;
    const double version = requireNumber(f, "/", "format_version");
    if (!(version >= 1 && version <= kModelFileVersion))
        throw Error(path + ": model format version " + formatVersion(version) +
                    " is not supported by this build (supports 1.." + std::to_string(kModelFileVersion) +
                    ")");
    out.format_version = static_cast<int>(version);
    const int ver = out.format_version;
    std::vector<double> attrs;
    for (const char* name : kModelAttrs)
        attrs.push_back(requireNumber(f, "/model", name));
    verifyCrc(f, "/model", crcOf(attrs), ver);
    ModelConfig c;
    const double dt = attrs[0];
    c.neurons = static_cast<int>(attrs[1]);
    c.conductance_hidden = static_cast<int>(attrs[2]);
    c.e_syn_mV = attrs[3];
    c.activation_min_mV = attrs[4];
    c.activation_max_mV = attrs[5];
    c.gbar_init = attrs[6];
    c.intrinsic_taus_ms = checkedDoubles(f, "/model/intrinsic_taus_ms", ver);
    if (f.isDataset("/model/synaptic_taus_ms"))
        c.synaptic_taus_ms = checkedDoubles(f, "/model/synaptic_taus_ms", ver);
    c.intrinsic_hidden =
        toInts(checkedDoubles(f, "/model/intrinsic_hidden", ver), f, "/model/intrinsic_hidden");
    c.lumped_hidden = toInts(checkedDoubles(f, "/model/lumped_hidden", ver), f, "/model/lumped_hidden");
    const auto nsyn = static_cast<std::size_t>(attrs[7]);
    c.synapses.clear();
    if (nsyn > 0) {
        const auto s = toInts(checkedDoubles(f, "/model/synapses", ver), f, "/model/synapses");
        if (s.size() != 3 * nsyn)
            throw Error(f.where("/model/synapses") + ": expected " + std::to_string(nsyn) +
                        " rows of 3 values");
        for (std::size_t k = 0; k < nsyn; ++k)
            c.synapses.push_back(
                {s[3 * k], s[3 * k + 1], s[3 * k + 2] == 0 ? SynapseKind::Lumped : SynapseKind::Conductance});
    }
    CircuitModel m = [&] {
        try {
            return CircuitModel::initialize(c, dt, 0);
        } catch (const Error& e) {
            throw Error(path + ": the model settings stored in the file are not usable: " + e.what());
        }
    }();
    std::vector<double> theta(static_cast<std::size_t>(m.parameterCount()));
    for (const auto& b : m.blocks()) {
        const std::string p = "/parameters/" + b.name;
        const auto v = checkedDoubles(f, p, ver);
        if (static_cast<long>(v.size()) != b.size())
            throw Error(f.where(p) + ": expected " + std::to_string(b.rows) + " x " + std::to_string(b.cols) +
                        " values");
        requireFinite(v, f, p);
        std::copy(v.begin(), v.end(), theta.begin() + b.offset);
    }
    m.setFlatParameters(theta);
    std::vector<InputNormalisation> norm(static_cast<std::size_t>(c.neurons));
    const auto normVector = [&](const std::string& p, Eigen::Index n) {
        const auto v = checkedDoubles(f, p, ver);
        requireFinite(v, f, p);
        return toVector(v, n, f, p);
    };
    for (int i = 0; i < c.neurons; ++i) {
        const std::string g = "/normalisation/neuron" + std::to_string(i);
        auto& q = norm[static_cast<std::size_t>(i)];
        const auto vr = normVector(g + "/v_range", 2);
        q.v_lo = vr[0];
        q.v_hi = vr[1];
        const Eigen::Index nw = m.intrinsicBank().size(), nz = m.synapticBank().size();
        q.w_lo = normVector(g + "/w_lo", nw);
        q.w_hi = normVector(g + "/w_hi", nw);
        if (nz) {
            q.z_lo = normVector(g + "/z_lo", nz);
            q.z_hi = normVector(g + "/z_hi", nz);
        } else {
            q.z_lo.resize(0);
            q.z_hi.resize(0);
        }
    }
    m.setNormalisation(std::move(norm));
    out.model = std::move(m);
    if (f.isGroup("/extra"))
        for (const auto& k : f.members("/extra"))
            out.extra[k] = checkedString(f, "/extra/" + k, ver);
    out.config_json = f.isDataset("/config_json") ? checkedString(f, "/config_json", ver) : std::string();
    if (ver >= 2 && !f.isDataset("/config_json"))
        throw Error(f.where("/config_json") + ": missing dataset; the model file is damaged");
    return out;
}

} // namespace

namespace {

// A loaded model as bytes, for handing it from the isolated child to this process: the fields
// loadHere() reads, so that rebuilding takes the same path.
void writeLoaded(ByteWriter& w, const ModelFile& mf)
{
    const ModelConfig& c = mf.model.config();
    const auto ints = [&](const std::vector<int>& v) { w.doubles(toDoubles(v)); };
    w.u64(static_cast<std::uint64_t>(mf.format_version));
    w.f64(mf.model.dtMs());
    w.u64(static_cast<std::uint64_t>(c.neurons));
    w.u64(static_cast<std::uint64_t>(c.conductance_hidden));
    w.f64(c.e_syn_mV);
    w.f64(c.activation_min_mV);
    w.f64(c.activation_max_mV);
    w.f64(c.gbar_init);
    w.doubles(c.intrinsic_taus_ms);
    w.doubles(c.synaptic_taus_ms);
    ints(c.intrinsic_hidden);
    ints(c.lumped_hidden);
    w.u64(c.synapses.size());
    for (const auto& syn : c.synapses) {
        w.u64(static_cast<std::uint64_t>(syn.pre));
        w.u64(static_cast<std::uint64_t>(syn.post));
        w.u64(syn.kind == SynapseKind::Lumped ? 0 : 1);
    }
    w.doubles(mf.model.flatParameters());
    for (const auto& q : mf.model.normalisation()) {
        w.f64(q.v_lo);
        w.f64(q.v_hi);
        for (const Eigen::VectorXd* v : {&q.w_lo, &q.w_hi, &q.z_lo, &q.z_hi})
            w.doubles(v->data(), static_cast<std::size_t>(v->size()));
    }
    w.u64(mf.extra.size());
    for (const auto& [k, v] : mf.extra) {
        w.str(k);
        w.str(v);
    }
    w.str(mf.config_json);
}

ModelFile readLoaded(ByteReader& r)
{
    ModelFile mf;
    const auto ints = [&] {
        const auto d = r.doubles();
        return std::vector<int>(d.begin(), d.end());
    };
    mf.format_version = static_cast<int>(r.u64());
    const double dt = r.f64();
    ModelConfig c;
    c.neurons = static_cast<int>(r.u64());
    c.conductance_hidden = static_cast<int>(r.u64());
    c.e_syn_mV = r.f64();
    c.activation_min_mV = r.f64();
    c.activation_max_mV = r.f64();
    c.gbar_init = r.f64();
    c.intrinsic_taus_ms = r.doubles();
    c.synaptic_taus_ms = r.doubles();
    c.intrinsic_hidden = ints();
    c.lumped_hidden = ints();
    c.synapses.resize(r.u64());
    for (auto& syn : c.synapses) {
        syn.pre = static_cast<int>(r.u64());
        syn.post = static_cast<int>(r.u64());
        syn.kind = r.u64() == 0 ? SynapseKind::Lumped : SynapseKind::Conductance;
    }
    CircuitModel m = CircuitModel::initialize(c, dt, 0);
    m.setFlatParameters(r.doubles());
    std::vector<InputNormalisation> norm(static_cast<std::size_t>(c.neurons));
    const auto vector = [&] {
        const auto d = r.doubles();
        return Eigen::VectorXd(
            Eigen::Map<const Eigen::VectorXd>(d.data(), static_cast<Eigen::Index>(d.size())));
    };
    for (auto& q : norm) {
        q.v_lo = r.f64();
        q.v_hi = r.f64();
        q.w_lo = vector();
        q.w_hi = vector();
        q.z_lo = vector();
        q.z_hi = vector();
    }
    m.setNormalisation(std::move(norm));
    mf.model = std::move(m);
    for (std::uint64_t k = 0, n = r.u64(); k < n; ++k) {
        std::string key = r.str();
        mf.extra[key] = r.str();
    }
    mf.config_json = r.str();
    return mf;
}

} // namespace

ModelFile loadModel(const std::string& path)
{
    if (!isolationEnabled())
        return loadHere(path);
    // libhdf5 crashes on some damaged files, or corrupts its memory without crashing at once: a
    // child process reads the file (h5::isolated) and hands the loaded model over as bytes.
    std::string bytes;
    h5::isolated(
        path,
        [&](IsolatedResult& out) {
            ByteWriter w;
            writeLoaded(w, loadHere(path));
            out.write(w.bytes().data(), w.bytes().size());
        },
        [&](std::size_t n) -> void* {
            bytes.resize(n);
            return bytes.data();
        });
    ByteReader r(bytes);
    return readLoaded(r);
}

} // namespace rmm
