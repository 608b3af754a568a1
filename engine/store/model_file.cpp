// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/model_file.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/store/h5.hpp"

#include <cmath>

namespace rmm {
namespace {

constexpr const char* kFormat = "rmm-model";

std::vector<double> toDoubles(const std::vector<int>& v) { return {v.begin(), v.end()}; }

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

std::vector<double> vec(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

double requireNumber(const h5::File& f, const std::string& obj, const std::string& name)
{
    auto v = f.attrNumber(obj, name);
    if (!v)
        throw Error(f.where(obj) + ": missing attribute '" + name + "'");
    return *v;
}

std::vector<double> requireDoubles(const h5::File& f, const std::string& path)
{
    if (!f.isDataset(path))
        throw Error(f.where(path) + ": missing dataset (not a model file of this program, or damaged)");
    return f.readDoubles(path);
}

Eigen::VectorXd toVector(const std::vector<double>& v, Eigen::Index n, const h5::File& f, const std::string& path)
{
    if (static_cast<Eigen::Index>(v.size()) != n)
        throw Error(f.where(path) + ": expected " + std::to_string(n) + " values, found " + std::to_string(v.size()));
    return Eigen::Map<const Eigen::VectorXd>(v.data(), n);
}

} // namespace

void saveModel(const std::string& path, const CircuitModel& model, const std::string& configJson,
               const std::map<std::string, std::string>& extra)
{
    if (!model.normalisationFrozen())
        throw Error("cannot save a model whose input normalisation is not set (train it first)");
    writeAtomically(path, [&](const std::string& tmp) {
        h5::File f = h5::File::create(tmp);
        f.setAttr("/", "format", kFormat);
        f.setAttr("/", "format_version", static_cast<double>(kModelFileVersion));
        f.setAttr("/", "engine_version", RMM_VERSION);
        for (const auto& [k, v] : extra) {
            if (k.empty() || k.find('/') != std::string::npos)
                throw Error("model file: extra key '" + k + "' must be non-empty and contain no '/'");
            f.writeString("/extra/" + k, v);
        }
        const ModelConfig& c = model.config();
        f.createGroup("/model");
        f.setAttr("/model", "dt_ms", model.dtMs());
        f.setAttr("/model", "neurons", c.neurons);
        f.setAttr("/model", "conductance_hidden", c.conductance_hidden);
        f.setAttr("/model", "e_syn_mV", c.e_syn_mV);
        f.setAttr("/model", "activation_min_mV", c.activation_min_mV);
        f.setAttr("/model", "activation_max_mV", c.activation_max_mV);
        f.setAttr("/model", "gbar_init", c.gbar_init);
        f.setAttr("/model", "synapse_count", static_cast<double>(c.synapses.size()));
        f.writeDoubles("/model/intrinsic_taus_ms", c.intrinsic_taus_ms, false);
        if (!c.synaptic_taus_ms.empty())
            f.writeDoubles("/model/synaptic_taus_ms", c.synaptic_taus_ms, false);
        f.writeDoubles("/model/intrinsic_hidden", toDoubles(c.intrinsic_hidden), false);
        f.writeDoubles("/model/lumped_hidden", toDoubles(c.lumped_hidden), false);
        if (!c.synapses.empty()) {
            std::vector<double> syn;
            for (const auto& s : c.synapses) {
                syn.push_back(s.pre);
                syn.push_back(s.post);
                syn.push_back(s.kind == SynapseKind::Lumped ? 0 : 1);
            }
            f.writeMatrix("/model/synapses", syn.data(), c.synapses.size(), 3);
            f.setAttr("/model/synapses", "columns", "pre, post, kind (0 lumped, 1 conductance); 0-based neurons");
        }
        for (const auto& b : model.blocks()) {
            const std::string p = "/parameters/" + b.name;
            f.writeMatrix(p, model.flatParameters().data() + b.offset, static_cast<hsize_t>(b.rows),
                          static_cast<hsize_t>(b.cols));
        }
        for (int i = 0; i < model.neurons(); ++i) {
            const auto& q = model.normalisation()[static_cast<std::size_t>(i)];
            const std::string g = "/normalisation/neuron" + std::to_string(i);
            f.writeDoubles(g + "/v_range", {q.v_lo, q.v_hi}, false);
            f.writeDoubles(g + "/w_lo", vec(q.w_lo), false);
            f.writeDoubles(g + "/w_hi", vec(q.w_hi), false);
            if (q.z_lo.size()) {
                f.writeDoubles(g + "/z_lo", vec(q.z_lo), false);
                f.writeDoubles(g + "/z_hi", vec(q.z_hi), false);
            }
        }
        f.writeString("/config_json", configJson);
        f.flush();
    });
}

ModelFile loadModel(const std::string& path)
{
    h5::File f = h5::File::openRead(path);
    const auto fmt = f.attrString("/", "format");
    if (!fmt || *fmt != kFormat)
        throw Error(path + ": not a model file of this program (missing format attribute 'rmm-model')");
    ModelFile out;
    out.format_version = static_cast<int>(requireNumber(f, "/", "format_version"));
    if (out.format_version < 1 || out.format_version > kModelFileVersion)
        throw Error(path + ": model format version " + std::to_string(out.format_version) +
                    " is not supported by this build (supports 1.." + std::to_string(kModelFileVersion) + ")");
    ModelConfig c;
    const double dt = requireNumber(f, "/model", "dt_ms");
    c.neurons = static_cast<int>(requireNumber(f, "/model", "neurons"));
    c.conductance_hidden = static_cast<int>(requireNumber(f, "/model", "conductance_hidden"));
    c.e_syn_mV = requireNumber(f, "/model", "e_syn_mV");
    c.activation_min_mV = requireNumber(f, "/model", "activation_min_mV");
    c.activation_max_mV = requireNumber(f, "/model", "activation_max_mV");
    c.gbar_init = requireNumber(f, "/model", "gbar_init");
    c.intrinsic_taus_ms = requireDoubles(f, "/model/intrinsic_taus_ms");
    if (f.isDataset("/model/synaptic_taus_ms"))
        c.synaptic_taus_ms = f.readDoubles("/model/synaptic_taus_ms");
    c.intrinsic_hidden = toInts(requireDoubles(f, "/model/intrinsic_hidden"), f, "/model/intrinsic_hidden");
    c.lumped_hidden = toInts(requireDoubles(f, "/model/lumped_hidden"), f, "/model/lumped_hidden");
    const auto nsyn = static_cast<std::size_t>(requireNumber(f, "/model", "synapse_count"));
    c.synapses.clear();
    if (nsyn > 0) {
        const auto s = toInts(requireDoubles(f, "/model/synapses"), f, "/model/synapses");
        if (s.size() != 3 * nsyn)
            throw Error(f.where("/model/synapses") + ": expected " + std::to_string(nsyn) + " rows of 3 values");
        for (std::size_t k = 0; k < nsyn; ++k)
            c.synapses.push_back({s[3 * k], s[3 * k + 1], s[3 * k + 2] == 0 ? SynapseKind::Lumped : SynapseKind::Conductance});
    }
    CircuitModel m = CircuitModel::initialize(c, dt, 0);
    std::vector<double> theta(static_cast<std::size_t>(m.parameterCount()));
    for (const auto& b : m.blocks()) {
        const std::string p = "/parameters/" + b.name;
        const auto v = requireDoubles(f, p);
        if (static_cast<long>(v.size()) != b.size())
            throw Error(f.where(p) + ": expected " + std::to_string(b.rows) + " x " + std::to_string(b.cols) + " values");
        std::copy(v.begin(), v.end(), theta.begin() + b.offset);
    }
    m.setFlatParameters(theta);
    std::vector<InputNormalisation> norm(static_cast<std::size_t>(c.neurons));
    for (int i = 0; i < c.neurons; ++i) {
        const std::string g = "/normalisation/neuron" + std::to_string(i);
        auto& q = norm[static_cast<std::size_t>(i)];
        const auto vr = toVector(requireDoubles(f, g + "/v_range"), 2, f, g + "/v_range");
        q.v_lo = vr[0];
        q.v_hi = vr[1];
        const Eigen::Index nw = m.intrinsicBank().size(), nz = m.synapticBank().size();
        q.w_lo = toVector(requireDoubles(f, g + "/w_lo"), nw, f, g + "/w_lo");
        q.w_hi = toVector(requireDoubles(f, g + "/w_hi"), nw, f, g + "/w_hi");
        if (nz) {
            q.z_lo = toVector(requireDoubles(f, g + "/z_lo"), nz, f, g + "/z_lo");
            q.z_hi = toVector(requireDoubles(f, g + "/z_hi"), nz, f, g + "/z_hi");
        } else {
            q.z_lo.resize(0);
            q.z_hi.resize(0);
        }
    }
    m.setNormalisation(std::move(norm));
    out.model = std::move(m);
    if (f.isGroup("/extra"))
        for (const auto& k : f.members("/extra"))
            out.extra[k] = f.readString("/extra/" + k);
    out.config_json = f.isDataset("/config_json") ? f.readString("/config_json") : std::string();
    return out;
}

} // namespace rmm
