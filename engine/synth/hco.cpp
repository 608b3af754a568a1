// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/synth/hco.hpp"

#include "engine/core/error.hpp"

#include <cmath>
#include <random>
#include <sstream>

namespace rmm {

double detail::NormalSource::next()
{
    if (haveSpare_) {
        haveSpare_ = false;
        return spare_;
    }
    // Uniforms in (0, 1): 53 random bits, offset by half a unit so 0 never occurs.
    const double u1 = (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double phi = 2.0 * 3.14159265358979323846 * u2;
    spare_ = r * std::sin(phi);
    haveSpare_ = true;
    return r * std::cos(phi);
}

namespace {

double logistic(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

enum ChannelIndex : std::size_t {
    ChV1,
    ChV2,
    ChU1,
    ChU2,
    ChIsyn1,
    ChIsyn2,
    ChIh1,
    ChIh2,
    ChV1True,
    ChV2True,
    ChZ1,
    ChZ2,
    ChW1,
    ChW2,
    ChCount
};

void validate(const HcoConfig& c)
{
    auto fail = [](const std::string& what) { throw Error("demo HCO settings: " + what); };
    auto str = [](double x) {
        std::ostringstream s;
        s << x;
        return s.str();
    };
    if (!(c.seconds > 0) || !std::isfinite(c.seconds))
        fail("seconds per trial must be > 0 (got " + str(c.seconds) + ")");
    if (c.trials < 1)
        fail("trials must be >= 1 (got " + std::to_string(c.trials) + ")");
    if (!(c.dt_ms > 0) || !std::isfinite(c.dt_ms))
        fail("dt_ms must be > 0 (got " + str(c.dt_ms) + ")");
    if (c.dt_ms > 1.0)
        fail("dt_ms must be <= 1 ms: the dynamic clamp and the spikes need a fast rig (got " + str(c.dt_ms) +
             ")");
    if (c.substeps < 1 || c.substeps > 1000)
        fail("substeps must be between 1 and 1000 (got " + std::to_string(c.substeps) + ")");
    if (c.dt_ms / c.substeps > 0.1)
        fail("the internal step dt_ms / substeps must be <= 0.1 ms for the spikes to be resolved (got " +
             str(c.dt_ms / c.substeps) + " ms)");
    if (!(c.noise_mV >= 0) || !std::isfinite(c.noise_mV))
        fail("noise_mV must be >= 0 (got " + str(c.noise_mV) + ")");
    if (!(c.warmup_s >= 0) || !(c.warmup_s <= 3600))
        fail("warmup_s must be between 0 and 3600 s (got " + str(c.warmup_s) + ")");
    if (c.ou.empty())
        fail("at least one OU parameter set (a, b) is needed");
    for (std::size_t k = 0; k < c.ou.size(); ++k) {
        const auto& p = c.ou[k];
        if (!(p.a >= 0) || !std::isfinite(p.a) || !(p.b >= 0) || !std::isfinite(p.b) || p.a * c.dt_ms > 1)
            fail("OU set " + std::to_string(k + 1) + ": need 0 <= a <= 1/dt and b >= 0 (got a = " + str(p.a) +
                 ", b = " + str(p.b) + ")");
    }
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& d = c.clamp[i];
        const std::string cell = "cell " + std::to_string(i + 1) + ": ";
        for (double x : {d.gsyn_nS, d.esyn_mV, d.vsyn_mV, d.gh_nS, d.eh_mV, d.vh_mV, d.taubar_ms})
            if (!std::isfinite(x))
                fail(cell + "dynamic-clamp parameters must be finite");
        if (d.gsyn_nS < 0 || d.gh_nS < 0 || !(d.taubar_ms > 0))
            fail(cell + "dynamic-clamp conductances must be >= 0 and taubar > 0");
        if (!std::isfinite(c.cells[i].ou_mean_nA))
            fail(cell + "OU mean must be finite");
        // The cell constructor checks capacitance and conductances; name the cell in its message.
        try {
            StgNeuron probe(c.cells[i].g, c.cells[i].capacitance_nF);
        } catch (const Error& e) {
            fail(cell + e.what());
        }
    }
    const double perTrial = std::ceil(c.seconds * 1000.0 / c.dt_ms);
    const double bytes =
        perTrial * static_cast<double>(c.trials) * static_cast<double>(ChCount) * sizeof(double);
    if (bytes > 8e9)
        fail("the recording would need " + str(bytes / 1e9) + " GB of memory; use fewer or shorter trials");
}

} // namespace

HcoCircuit::HcoCircuit(const HcoConfig& c)
    : cfg_((validate(c), c)), kinetics_(c.dt_ms / c.substeps),
      noise_(c.seed), cells_{StgNeuron(c.cells[0].g, c.cells[0].capacitance_nF, -50),
                             StgNeuron(c.cells[1].g, c.cells[1].capacitance_nF, -60)},
      ou_(c.ou.front()), sqrtDt_(std::sqrt(c.dt_ms))
{
    for (std::size_t i = 0; i < 2; ++i) {
        u_[i] = c.cells[i].ou_mean_nA;
        z_[i] = 0;
        w_[i] = 0.5;
    }
}

void HcoCircuit::setClamp(int cell, const DynamicClampParams& p)
{
    if (cell < 0 || cell > 1)
        throw Error("demo HCO: the dynamic clamp has cells 0 and 1, not " + std::to_string(cell));
    HcoConfig c = cfg_;
    c.clamp[static_cast<std::size_t>(cell)] = p;
    validate(c);
    cfg_.clamp[static_cast<std::size_t>(cell)] = p;
}

HcoCircuit::Sample HcoCircuit::step()
{
    const double dt = cfg_.dt_ms;
    Sample out;
    double vClamp[2];
    for (std::size_t i = 0; i < 2; ++i) {
        out.v_true[i] = cells_[i].v();
        out.v[i] = cells_[i].v() + cfg_.noise_mV * noise_.next();
        vClamp[i] = clampReadsTrue_ ? out.v_true[i] : out.v[i];
        const auto& d = cfg_.clamp[i];
        out.u[i] = u_[i];
        out.z[i] = z_[i];
        out.w[i] = w_[i];
        out.isyn[i] = -d.gsyn_nS * 1e-3 * z_[i] * (vClamp[i] - d.esyn_mV); // nS * mV = pA -> nA
        out.ih[i] = -d.gh_nS * 1e-3 * w_[i] * (vClamp[i] - d.eh_mV);
    }
    for (std::size_t i = 0; i < 2; ++i) {
        const double inject = u_[i] + out.isyn[i] + out.ih[i];
        for (int s = 0; s < cfg_.substeps; ++s)
            cells_[i].step(kinetics_, inject);
    }
    // Dynamic clamp (Eq. 25-26) from the voltages it reads, then the OU sources (Eq. 24).
    for (std::size_t i = 0; i < 2; ++i) {
        const std::size_t j = 1 - i;
        const auto& d = cfg_.clamp[i];
        const double sSyn = logistic((vClamp[j] - d.vsyn_mV) / 2.0);
        z_[i] += dt / (50.0 * (1.1 - sSyn)) * (sSyn - z_[i]);
        const double tauH = logistic((vClamp[i] + 110.0) / 13.0);
        const double sH = logistic(-(vClamp[i] - d.vh_mV) / 7.0);
        w_[i] += dt / (d.taubar_ms * tauH + 0.1) * (sH - w_[i]);
        u_[i] += dt * ou_.a * (cfg_.cells[i].ou_mean_nA - u_[i]) + ou_.b * sqrtDt_ * noise_.next();
    }
    return out;
}

std::array<HcoCell, 2> HcoConfig::defaultHcoCells()
{
    // An LP-like tonic spiker in the style of Prinz et al. (2004) (Na 100, CaS 4, A 20, Kd 25,
    // leak 0.03 mS/cm^2; no CaT, KCa or intrinsic H: I_h comes from the dynamic clamp). Alone,
    // each cell fires tonically at ~20-30 Hz. 2 nF (about 3x Prinz's 0.628 nF cell) balances
    // Table 1's conductances against the intrinsic ones; the OU means cancel most of the
    // depolarising virtual I_h and were tuned (3 seeds x 2 trials x 60 s without a single
    // alternation failure) to the middle of the narrow band where the two cells alternate.
    HcoCell a;
    a.g = {100, 0, 4, 20, 0, 25, 0, 0.03};
    a.capacitance_nF = 2.0;
    a.ou_mean_nA = -5.6;
    // The second cell differs by a few percent: more CaS, less Kd, a larger membrane.
    HcoCell b = a;
    b.g.cas *= 1.05;
    b.g.kd *= 0.97;
    b.capacitance_nF *= 1.04;
    b.ou_mean_nA = -3.8;
    return {a, b};
}

const std::vector<std::string>& hcoChannelNames()
{
    static const std::vector<std::string> names = {"v1",    "v2",    "u1",  "u2",      "Isyn1",
                                                   "Isyn2", "Ih1",   "Ih2", "v1_true", "v2_true",
                                                   "zsyn1", "zsyn2", "wh1", "wh2"};
    return names;
}

Recording synthesizeHco(const HcoConfig& config, Progress* progress)
{
    HcoCircuit rig(config); // checks the settings before anything is sized from them
    static const char* units[ChCount] = {"mV", "mV", "nA", "nA", "nA", "nA", "nA",
                                         "nA", "mV", "mV", "1",  "1",  "1",  "1"};
    const auto& names = hcoChannelNames();
    const auto perTrial = static_cast<std::size_t>(std::llround(config.seconds * 1000.0 / config.dt_ms));
    const auto warmup = static_cast<std::size_t>(std::llround(config.warmup_s * 1000.0 / config.dt_ms));
    if (perTrial == 0)
        throw Error("demo HCO settings: seconds per trial is shorter than one sample");

    Recording rec;
    rec.format = "demo-hco";
    rec.source = "demo";
    rec.dt_ms = config.dt_ms;
    rec.trials.resize(static_cast<std::size_t>(config.trials));
    for (std::size_t k = 0; k < rec.trials.size(); ++k) {
        auto& t = rec.trials[k];
        t.name = "trial" + std::to_string(k + 1);
        t.start_s = static_cast<double>(k * perTrial) * config.dt_ms * 1e-3;
        t.channels.resize(ChCount);
        for (std::size_t c = 0; c < ChCount; ++c)
            t.channels[c] = {names[c], units[c], std::vector<double>(perTrial)};
    }

    const double total = static_cast<double>(warmup + perTrial * rec.trials.size());
    const std::size_t chunk = 10000; // 1 s at 0.1 ms: cancellation is checked this often
    std::size_t done = 0;
    auto tick = [&](const std::string& what) {
        if (progress && !progress->report(static_cast<double>(done) / total, what))
            throw Cancelled();
    };

    rig.setOu(config.ou[0]);
    for (std::size_t n = 0; n < warmup; ++n) {
        rig.step();
        if (++done % chunk == 0)
            tick("warming up the demo HCO");
    }
    for (std::size_t k = 0; k < rec.trials.size(); ++k) {
        rig.setOu(config.ou[k % config.ou.size()]);
        auto& ch = rec.trials[k].channels;
        const std::string what = "simulating demo HCO " + rec.trials[k].name;
        for (std::size_t n = 0; n < perTrial; ++n) {
            const HcoCircuit::Sample x = rig.step();
            for (std::size_t i = 0; i < 2; ++i) {
                ch[ChV1 + i].samples[n] = x.v[i];
                ch[ChU1 + i].samples[n] = x.u[i];
                ch[ChIsyn1 + i].samples[n] = x.isyn[i];
                ch[ChIh1 + i].samples[n] = x.ih[i];
                ch[ChV1True + i].samples[n] = x.v_true[i];
                ch[ChZ1 + i].samples[n] = x.z[i];
                ch[ChW1 + i].samples[n] = x.w[i];
            }
            if (++done % chunk == 0)
                tick(what);
        }
    }
    if (progress)
        progress->report(1.0, "demo HCO done");
    return rec;
}

} // namespace rmm
