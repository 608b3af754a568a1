// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/circuit_model.hpp"

#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/data/dataset.hpp"
#include "engine/model/training_samples.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace rmm {
namespace {

/// Uniform [0, 1) from the 53 high bits: identical on every platform for a given seed.
double uniform01(std::mt19937_64& rng)
{
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}
double uniform(std::mt19937_64& rng, double lo, double hi)
{
    return lo + (hi - lo) * uniform01(rng);
}

/// Nguyen-Widrow: rows of W ~ U(-1,1) scaled to unit norm, biases linspace(-1,1) (0 for one
/// unit), both scaled by 0.7 * nOut^(1/nIn) * gain.
void nguyenWidrow(std::mt19937_64& rng, double* W, double* b, int nOut, int nIn, double gain)
{
    const double beta = 0.7 * std::pow(static_cast<double>(nOut), 1.0 / nIn) * gain;
    for (int r = 0; r < nOut; ++r) {
        double norm2 = 0;
        for (int c = 0; c < nIn; ++c) {
            W[r * nIn + c] = uniform(rng, -1, 1);
            norm2 += W[r * nIn + c] * W[r * nIn + c];
        }
        const double scale = norm2 > 0 ? beta / std::sqrt(norm2) : 0.0;
        for (int c = 0; c < nIn; ++c)
            W[r * nIn + c] *= scale;
        if (b)
            b[r] = nOut == 1 ? 0.0 : beta * (-1.0 + 2.0 * r / (nOut - 1));
    }
}

} // namespace

double softplus(double x)
{
    return x > 30 ? x : std::log1p(std::exp(x));
}

double inverseSoftplus(double y)
{
    if (!(y > 0))
        throw Error("inverseSoftplus: value must be > 0");
    return y > 30 ? y : std::log(std::expm1(y));
}

long trainingLeadIn(long length, long M)
{
    return std::max(0L, std::min(M, length / 2));
}

void validateModelConfig(const ModelConfig& cfg, double dtMs)
{
    if (cfg.neurons < 1)
        throw Error("model.neurons must be >= 1 (got " + std::to_string(cfg.neurons) + ")");
    if (!(dtMs > 0) || !std::isfinite(dtMs))
        throw Error("sampling period must be > 0 ms (got " + std::to_string(dtMs) + ")");
    if (cfg.intrinsic_taus_ms.empty())
        throw Error("model.intrinsic_taus_ms is empty: the model config was not finalized");
    if (cfg.synaptic_taus_ms.empty() && !cfg.synapses.empty())
        throw Error("model.synaptic_taus_ms is empty: the model config was not finalized");
    // Building the banks checks the time constants (the error names the key).
    [[maybe_unused]] const FilterBank intrinsicBank(cfg.intrinsic_taus_ms, dtMs, "model.intrinsic_taus_ms");
    if (!cfg.synaptic_taus_ms.empty()) {
        [[maybe_unused]] const FilterBank synapticBank(cfg.synaptic_taus_ms, dtMs, "model.synaptic_taus_ms");
    }
    auto checkWidths = [](const std::vector<int>& w, const char* key) {
        if (w.empty())
            throw Error(std::string(key) + " must list at least one hidden layer width");
        for (int x : w)
            if (x < 1)
                throw Error(std::string(key) + ": hidden layer widths must be >= 1 (got " +
                            std::to_string(x) + ")");
    };
    checkWidths(cfg.intrinsic_hidden, "model.intrinsic_hidden");
    if (cfg.conductance_hidden < 1)
        throw Error("model.conductance_hidden must be >= 1");
    if (!(cfg.activation_min_mV < cfg.activation_max_mV))
        throw Error("model activation range must have min < max (got [" +
                    std::to_string(cfg.activation_min_mV) + ", " + std::to_string(cfg.activation_max_mV) +
                    "] mV)");
    if (!(cfg.gbar_init > 0))
        throw Error("model.gbar_init must be > 0");
    for (std::size_t s = 0; s < cfg.synapses.size(); ++s) {
        const auto& sc = cfg.synapses[s];
        const std::string where = "model.synapses[" + std::to_string(s) + "]";
        if (sc.pre < 0 || sc.pre >= cfg.neurons || sc.post < 0 || sc.post >= cfg.neurons)
            throw Error(where + ": neuron index out of range 0.." + std::to_string(cfg.neurons - 1));
        if (sc.pre == sc.post)
            throw Error(where + ": a synapse must connect two different neurons");
        if (sc.kind == SynapseKind::Lumped)
            checkWidths(cfg.lumped_hidden, "model.lumped_hidden");
    }
}

int CircuitModel::addBlock(const std::string& name, ParamKind kind, int rows, int cols)
{
    ParamBlock b;
    b.name = name;
    b.kind = kind;
    b.rows = rows;
    b.cols = cols;
    b.offset = blocks_.empty() ? 0 : blocks_.back().offset + blocks_.back().size();
    b.penalised = kind == ParamKind::MlpWeight || kind == ParamKind::MlpReadout || kind == ParamKind::LeakG ||
                  kind == ParamKind::Gbar || kind == ParamKind::CondW1 || kind == ParamKind::CondW2;
    blocks_.push_back(b);
    return static_cast<int>(blocks_.size()) - 1;
}

MlpIndex CircuitModel::addMlp(const std::string& prefix, int inputs, const std::vector<int>& hidden)
{
    MlpIndex m;
    m.inputs = inputs;
    m.hidden = hidden;
    int in = inputs;
    for (std::size_t l = 0; l < hidden.size(); ++l) {
        m.W.push_back(addBlock(prefix + "/W" + std::to_string(l + 1), ParamKind::MlpWeight, hidden[l], in));
        m.b.push_back(addBlock(prefix + "/b" + std::to_string(l + 1), ParamKind::MlpBias, hidden[l], 1));
        in = hidden[l];
    }
    m.readout = addBlock(prefix + "/readout", ParamKind::MlpReadout, 1, in);
    return m;
}

CircuitModel CircuitModel::initialize(const ModelConfig& cfg, double dtMs, std::uint64_t seed)
{
    validateModelConfig(cfg, dtMs);
    CircuitModel m;
    m.cfg_ = cfg;
    m.dt_ = dtMs;
    m.intBank_ = FilterBank(cfg.intrinsic_taus_ms, dtMs, "model.intrinsic_taus_ms");
    if (!cfg.synaptic_taus_ms.empty()) {
        m.synBank_ = FilterBank(cfg.synaptic_taus_ms, dtMs, "model.synaptic_taus_ms");
        m.condBank_ = LowpassBank(cfg.synaptic_taus_ms, dtMs, "model.synaptic_taus_ms");
    }
    const int nw = m.intBank_.size(), nz = m.synBank_.size();
    for (int i = 0; i < cfg.neurons; ++i) {
        const std::string p = "neuron" + std::to_string(i);
        NeuronIndex ni;
        ni.a = m.addBlock(p + "/a", ParamKind::InvCap, 1, 1);
        ni.g = m.addBlock(p + "/g", ParamKind::LeakG, 1, 1);
        ni.b = m.addBlock(p + "/b", ParamKind::LeakB, 1, 1);
        ni.intrinsic = m.addMlp(p + "/intrinsic", 1 + nw, cfg.intrinsic_hidden);
        m.neu_.push_back(ni);
    }
    for (std::size_t s = 0; s < cfg.synapses.size(); ++s) {
        const auto& sc = cfg.synapses[s];
        const std::string p =
            "synapse" + std::to_string(s) + "_" + std::to_string(sc.pre) + "to" + std::to_string(sc.post);
        SynapseIndex si;
        si.config = sc;
        if (sc.kind == SynapseKind::Lumped) {
            si.lumped = m.addMlp(p + "/lumped", 1 + nz, cfg.lumped_hidden);
        } else {
            si.gbar = m.addBlock(p + "/gbar", ParamKind::Gbar, 1, 1);
            si.W1 = m.addBlock(p + "/W1", ParamKind::CondW1, cfg.conductance_hidden, nz);
            si.b1 = m.addBlock(p + "/b1", ParamKind::CondB1, cfg.conductance_hidden, 1);
            si.W2 = m.addBlock(p + "/W2", ParamKind::CondW2, 1, cfg.conductance_hidden);
        }
        m.syn_.push_back(si);
    }
    m.theta_.assign(static_cast<std::size_t>(m.blocks_.back().offset + m.blocks_.back().size()), 0.0);

    std::mt19937_64 rng(seed);
    auto initMlp = [&](const MlpIndex& mi) {
        for (std::size_t l = 0; l < mi.W.size(); ++l) {
            const auto& bw = m.blocks_[static_cast<std::size_t>(mi.W[l])];
            nguyenWidrow(rng, m.blockData(mi.W[l]), m.blockData(mi.b[l]), bw.rows, bw.cols, 2.0);
        }
        const auto& br = m.blocks_[static_cast<std::size_t>(mi.readout)];
        nguyenWidrow(rng, m.blockData(mi.readout), nullptr, 1, br.cols, 1.0);
    };
    for (int i = 0; i < cfg.neurons; ++i) {
        const auto& ni = m.neu_[static_cast<std::size_t>(i)];
        const double c = cfg.capacitanceOf(i);
        const double invC = std::max(1e-3, uniform01(rng)); // 1/C ~ U(0, 1) unless C is given
        *m.blockData(ni.a) = inverseSoftplus(c > 0 ? 1.0 / c : invC);
        // Leak conductance ~ U(0.25, 0.75) uS, offset so the leak is zero at the rest voltage.
        const double g = uniform(rng, 0.25, 0.75);
        *m.blockData(ni.g) = inverseSoftplus(g);
        *m.blockData(ni.b) = -g * cfg.leak_rest_mV;
        initMlp(ni.intrinsic);
    }
    for (auto& si : m.syn_) {
        if (si.config.kind == SynapseKind::Lumped) {
            initMlp(si.lumped);
            continue;
        }
        const int H = cfg.conductance_hidden;
        *m.blockData(si.gbar) = inverseSoftplus(cfg.gbar_init);
        double* W1 = m.blockData(si.W1);
        double* b1 = m.blockData(si.b1);
        nguyenWidrow(rng, W1, b1, H, nz, 4.0); // sigmoid layer: x4
        for (int k = 0; k < H * nz; ++k)
            W1[k] = inverseSoftplus(std::max(1e-3, std::abs(W1[k]))); // weights kept positive
        std::vector<double> w2(static_cast<std::size_t>(H));
        double sum = 0;
        for (auto& w : w2) {
            w = uniform(rng, 0.05, 1.0);
            sum += w;
        }
        for (int k = 0; k < H; ++k)
            m.blockData(si.W2)[k] =
                inverseSoftplus(w2[static_cast<std::size_t>(k)] / sum); // readout sums to 1
    }
    m.norm_.resize(static_cast<std::size_t>(cfg.neurons));
    for (auto& n : m.norm_) {
        n.w_lo = Eigen::VectorXd::Constant(nw, -1);
        n.w_hi = Eigen::VectorXd::Constant(nw, 1);
        n.z_lo = Eigen::VectorXd::Constant(nz, -1);
        n.z_hi = Eigen::VectorXd::Constant(nz, 1);
    }
    return m;
}

bool CircuitModel::hasConductanceSynapses() const
{
    return std::any_of(syn_.begin(), syn_.end(),
                       [](const SynapseIndex& s) { return s.config.kind == SynapseKind::Conductance; });
}

bool CircuitModel::hasLumpedSynapses() const
{
    return std::any_of(syn_.begin(), syn_.end(),
                       [](const SynapseIndex& s) { return s.config.kind == SynapseKind::Lumped; });
}

void CircuitModel::setFlatParameters(const std::vector<double>& theta)
{
    if (theta.size() != theta_.size())
        throw Error("parameter vector has " + std::to_string(theta.size()) + " values, the model needs " +
                    std::to_string(theta_.size()));
    theta_ = theta;
}

double CircuitModel::l2Norm2() const
{
    double s = 0;
    for (const auto& b : blocks_)
        if (b.penalised)
            for (long k = 0; k < b.size(); ++k)
                s += theta_[static_cast<std::size_t>(b.offset + k)] *
                     theta_[static_cast<std::size_t>(b.offset + k)];
    return s;
}

bool CircuitModel::finite() const
{
    return std::all_of(theta_.begin(), theta_.end(), [](double x) { return std::isfinite(x); });
}

std::string CircuitModel::parameterName(long p) const
{
    for (const auto& b : blocks_)
        if (p >= b.offset && p < b.offset + b.size())
            return b.name + "[" + std::to_string(p - b.offset) + "]";
    return "parameter " + std::to_string(p);
}

std::string CircuitModel::parameterProblem(const std::vector<double>& theta) const
{
    for (std::size_t p = 0; p < theta.size(); ++p) {
        if (!std::isfinite(theta[p]))
            return "parameter " + parameterName(static_cast<long>(p)) + " is " + formatNumber(theta[p]) +
                   ", not a finite number";
        if (std::abs(theta[p]) > kParameterBound)
            return "parameter " + parameterName(static_cast<long>(p)) + " reached " +
                   formatNumber(theta[p], 3) + ", beyond the +-" + formatNumber(kParameterBound) +
                   " no sane model reaches";
    }
    for (int i = 0; i < neurons(); ++i) {
        const long a = blocks_[static_cast<std::size_t>(neu_[static_cast<std::size_t>(i)].a)].offset;
        if (a >= static_cast<long>(theta.size()))
            break;
        const double c = 1.0 / softplus(theta[static_cast<std::size_t>(a)]);
        if (!(c <= kMaxCapacitanceNf))
            return "the membrane capacitance of neuron " + std::to_string(i + 1) + " reached " +
                   formatNumber(c, 3) + " nF (" + parameterName(a) + " = " +
                   formatNumber(theta[static_cast<std::size_t>(a)], 4) + "), beyond the " +
                   formatNumber(kMaxCapacitanceNf) + " nF no cell has";
    }
    return {};
}

std::string CircuitModel::nonFiniteProblem() const
{
    for (std::size_t p = 0; p < theta_.size(); ++p)
        if (!std::isfinite(theta_[p]))
            return "parameter " + parameterName(static_cast<long>(p)) + " is " + formatNumber(theta_[p]) +
                   " (not a finite number)";
    for (std::size_t i = 0; i < norm_.size(); ++i) {
        const auto& q = norm_[i];
        const std::string who = "the input normalisation of neuron " + std::to_string(i + 1) + " (";
        if (!std::isfinite(q.v_lo) || !std::isfinite(q.v_hi))
            return who + "voltage range [" + formatNumber(q.v_lo) + ", " + formatNumber(q.v_hi) +
                   "]) is not finite";
        for (const auto* bank : {&q.w_lo, &q.w_hi, &q.z_lo, &q.z_hi})
            for (long k = 0; k < bank->size(); ++k)
                if (!std::isfinite((*bank)[k]))
                    return who + (bank == &q.w_lo || bank == &q.w_hi ? "intrinsic" : "synaptic") + " state " +
                           std::to_string(k + 1) + " bound " + formatNumber((*bank)[k]) + ") is not finite";
    }
    return {};
}

void CircuitModel::setNormalisation(std::vector<InputNormalisation> n)
{
    if (n.size() != static_cast<std::size_t>(neurons()))
        throw Error("input normalisation: expected one entry per neuron");
    for (const auto& e : n)
        if (e.w_lo.size() != intBank_.size() || e.w_hi.size() != intBank_.size() ||
            e.z_lo.size() != synBank_.size() || e.z_hi.size() != synBank_.size())
            throw Error("input normalisation: sizes do not match the filter banks");
    norm_ = std::move(n);
    frozen_ = true;
}

double CircuitModel::invCap(int i) const
{
    return softplus(*blockData(neuronIndex(i).a));
}
double CircuitModel::leakConductance(int i) const
{
    return softplus(*blockData(neuronIndex(i).g));
}
double CircuitModel::leakOffset(int i) const
{
    return *blockData(neuronIndex(i).b);
}

NeuronStates CircuitModel::warmUpStates(const double* v, long n, bool synaptic, bool conductance) const
{
    NeuronStates s;
    const bool z = synaptic && synBank_.size() > 0, c = conductance && hasConductanceSynapses();
    if (n > 0) {
        s.w = intBank_.warmUp(v, n);
        if (z)
            s.z = synBank_.warmUp(v, n);
        if (c)
            s.c = condBank_.warmUp(v, n);
    } else {
        s.w = intBank_.dcGain() * v[0];
        if (z)
            s.z = synBank_.dcGain() * v[0];
        if (c)
            s.c = Eigen::VectorXd::Constant(condBank_.size(), v[0]);
    }
    return s;
}

void CircuitModel::stepStates(NeuronStates& s, double v) const
{
    intBank_.step(s.w.data(), v);
    if (s.z.size() > 0)
        synBank_.step(s.z.data(), v);
    if (s.c.size() > 0)
        condBank_.step(s.c.data(), v);
}

InputMaps CircuitModel::inputMaps() const
{
    if (norm_.size() != static_cast<std::size_t>(neurons()))
        throw Error("model has no input normalisation for every neuron");
    InputMaps maps;
    for (const InputNormalisation& q : norm_) {
        InputMaps::Neuron n;
        n.v = AffineMap::of(q.v_lo, q.v_hi);
        for (long k = 0; k < q.w_lo.size(); ++k)
            n.w.push_back(AffineMap::of(q.w_lo[k], q.w_hi[k]));
        for (long k = 0; k < q.z_lo.size(); ++k)
            n.z.push_back(AffineMap::of(q.z_lo[k], q.z_hi[k]));
        maps.neurons.push_back(std::move(n));
    }
    maps.activation = AffineMap::of(config().activation_min_mV, config().activation_max_mV);
    return maps;
}

void CircuitModel::requireNormalisation(const std::string& who) const
{
    if (!frozen_)
        throw Error(who + ": the model's input normalisation is not set (it is computed from the training "
                          "data before training, CircuitModel::freezeNormalisation): train the model or load "
                          "it from a model file");
}

void CircuitModel::freezeNormalisation(const Dataset& data, std::vector<std::string>* warnings)
{
    setNormalisation(normalisationFor(data, warnings));
}

std::vector<InputNormalisation> CircuitModel::normalisationFor(const Dataset& data,
                                                               std::vector<std::string>* warnings) const
{
    const auto ranges = trainingRanges(*this, data, warnings);
    const int n = neurons(), nw = intBank_.size(), nz = synBank_.size();
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::vector<InputNormalisation> out(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j) {
        auto& q = out[static_cast<std::size_t>(j)];
        q.v_lo = inf;
        q.v_hi = -inf;
        q.w_lo = Eigen::VectorXd::Constant(nw, inf);
        q.w_hi = Eigen::VectorXd::Constant(nw, -inf);
        q.z_lo = Eigen::VectorXd::Constant(nz, inf);
        q.z_hi = Eigen::VectorXd::Constant(nz, -inf);
        for (const auto& r : ranges) {
            const Eigen::VectorXd vrow = data.trials[static_cast<std::size_t>(r.trial)].v.row(j).transpose();
            const long lead0 = r.begin - r.lead_in;
            NeuronStates x = warmUpStates(vrow.data() + lead0, r.lead_in, true, false);
            for (long t = r.begin; t < r.end - 1; ++t) {
                q.v_lo = std::min(q.v_lo, vrow[t]);
                q.v_hi = std::max(q.v_hi, vrow[t]);
                q.w_lo = q.w_lo.cwiseMin(x.w);
                q.w_hi = q.w_hi.cwiseMax(x.w);
                if (nz) {
                    q.z_lo = q.z_lo.cwiseMin(x.z);
                    q.z_hi = q.z_hi.cwiseMax(x.z);
                }
                stepStates(x, vrow[t]);
            }
        }
    }
    return out;
}

} // namespace rmm
