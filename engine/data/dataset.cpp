// SPDX-License-Identifier: GPL-3.0-or-later
// From a recording to a checked Dataset: channel mapping, units, NaN/Inf, lengths, pre-filter,
// and the training / validation split (docs/method.md section 1).
#include "engine/data/dataset.hpp"
#include "engine/core/format.hpp"

#include "engine/core/error.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/recording/units.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace rmm {

namespace {

std::string listNames(const std::vector<std::string>& names)
{
    std::string out;
    for (std::size_t k = 0; k < names.size(); ++k)
        out += (k ? ", " : "") + names[k];
    return out.empty() ? "(nothing)" : out;
}

enum class Role { V, U, Isyn };

struct ChannelRef {
    const std::string* name;
    const std::optional<std::string>* unitOverride;
    Role role;
    std::string key; ///< "data.neurons[0].v"
};

std::vector<ChannelRef> mappedChannels(const DataConfig& cfg)
{
    std::vector<ChannelRef> refs;
    for (std::size_t n = 0; n < cfg.neurons.size(); ++n) {
        const auto& nc = cfg.neurons[n];
        std::string base = "data.neurons[" + std::to_string(n) + "].";
        refs.push_back({&nc.v, &nc.v_unit, Role::V, base + "v"});
        refs.push_back({&nc.u, &nc.u_unit, Role::U, base + "u"});
        if (nc.isyn)
            refs.push_back({&*nc.isyn, &nc.isyn_unit, Role::Isyn, base + "isyn"});
    }
    return refs;
}

/// Indices of the selected trials in `h`; errors name the missing trial and list the file's.
std::vector<std::size_t> selectTrials(const RecordingHeader& h, const DataConfig& cfg,
                                      const std::string& file)
{
    std::vector<std::string> have;
    for (const auto& t : h.trials)
        have.push_back(t.name);
    std::vector<std::size_t> idx;
    if (cfg.trials.empty()) {
        for (std::size_t k = 0; k < h.trials.size(); ++k)
            idx.push_back(k);
    } else {
        for (std::size_t k = 0; k < cfg.trials.size(); ++k) {
            auto i = h.trialIndex(cfg.trials[k]);
            if (!i)
                throw Error(file + ": no trial '" + cfg.trials[k] + "' (data.trials[" + std::to_string(k) +
                            "]); the file has: " + listNames(have));
            idx.push_back(*i);
        }
    }
    if (idx.empty())
        throw Error(file + ": the recording has no trials");
    if (!cfg.validation_trial.empty()) {
        auto i = h.trialIndex(cfg.validation_trial);
        if (!i)
            throw Error(file + ": no trial '" + cfg.validation_trial +
                        "' (data.validation_trial); the file has: " + listNames(have));
        if (std::find(idx.begin(), idx.end(), *i) == idx.end())
            throw Error("data.validation_trial '" + cfg.validation_trial +
                        "' is not among the selected trials");
    }
    return idx;
}

/// Checks that every mapped channel exists in every selected trial.
void checkChannels(const RecordingHeader& h, const std::vector<std::size_t>& trials, const DataConfig& cfg,
                   const std::string& file)
{
    for (std::size_t t : trials)
        for (const auto& ref : mappedChannels(cfg))
            if (!h.channelIndex(t, *ref.name)) {
                std::vector<std::string> have;
                for (const auto& c : h.trials[t].channels)
                    have.push_back(c.name);
                throw Error(file + ": trial '" + h.trials[t].name + "' has no channel '" + *ref.name + "' (" +
                            ref.key + "); it has: " + listNames(have));
            }
}

/// Factor that brings a channel's samples to mV (V) or nA (U, Isyn).
double unitFactor(const std::string& fileUnit, const ChannelRef& ref, const std::string& file,
                  std::vector<std::string>& warnings, std::set<std::string>& warned)
{
    const bool voltage = ref.role == Role::V;
    const std::string unit = ref.unitOverride->has_value() ? **ref.unitOverride : fileUnit;
    auto c = engineUnitFor(unit);
    if (!c.known) {
        if (warned.insert(*ref.name).second)
            warnings.push_back(
                file + ": channel '" + *ref.name + "' has " +
                (unit.empty() ? std::string("no unit") : "unit '" + unit + "', not recognised") +
                "; its samples are taken as " + (voltage ? "mV" : "nA") + " (set " + ref.key +
                "_unit to say otherwise)");
        return 1.0;
    }
    Quantity want = voltage ? Quantity::Voltage : Quantity::Current;
    if (c.quantity != want)
        throw Error(file + ": channel '" + *ref.name + "' has unit " + unit + ", expected a " +
                    (voltage ? "voltage" : "current") + " (" + ref.key + "; set " + ref.key +
                    "_unit if the file's unit is wrong)");
    return c.factor;
}

void checkFinite(const std::vector<double>& x, const std::string& file, const std::string& trial,
                 const std::string& channel, double dt)
{
    for (std::size_t k = 0; k < x.size(); ++k)
        if (!std::isfinite(x[k]))
            throw Error(file + ": trial '" + trial + "', channel '" + channel + "': sample " +
                        std::to_string(k) + " (t = " + formatNumber(static_cast<double>(k) * dt) +
                        " ms) is " + (std::isnan(x[k]) ? "NaN" : "infinite") +
                        "; cut or repair the recording there");
}

/// Samples outside the plausible range of a membrane voltage / current (units.hpp) are an error
/// naming the file, trial, channel, first such sample and, when it looks like one, the unit mix-up.
void checkPlausible(const std::vector<double>& raw, double factor, const std::string& unit,
                    const ChannelRef& ref, const std::string& file, const std::string& trial, double dt)
{
    const bool voltage = ref.role == Role::V;
    const ImplausibleSamples bad =
        findImplausible(raw, factor, voltage ? Quantity::Voltage : Quantity::Current);
    if (bad.count == 0)
        return;
    const std::string engine = voltage ? "mV" : "nA";
    const std::string range = "+-" + formatNumber(voltage ? kPlausibleVoltageMv : kPlausibleCurrentNa) + " " +
                              engine + (voltage ? " of a membrane voltage" : " of an intracellular current");
    const std::string where =
        file + ": trial '" + trial + "', channel '" + *ref.name + "' (" + ref.key + "): ";
    const std::string sample = "sample " + std::to_string(bad.first) +
                               " (t = " + formatNumber(static_cast<double>(bad.first) * dt) + " ms) is " +
                               formatNumber(bad.value, 4) + " " + engine;
    const std::string unitSays = ref.unitOverride->has_value() ? ref.key + "_unit says " + unit
                                 : unit.empty() ? "the channel has no unit (taken as " + engine + ")"
                                                : "the file's unit is " + unit;
    if (!bad.likelyUnit.empty())
        throw Error(where + std::to_string(bad.count) + " of " + std::to_string(raw.size()) +
                    " samples lie outside the plausible range " + range + ", e.g. " + sample + "; " +
                    unitSays + " but the values look like " + bad.likelyUnit + ": set " + ref.key +
                    "_unit to \"" + bad.likelyUnit + "\"");
    throw Error(
        where + sample + ", outside the plausible range " + range +
        (bad.count > 1 ? " (" + std::to_string(bad.count - 1) + " more samples are)" : std::string()) +
        "; a glitch in the recording? cut or repair it there (" + unitSays + "; set " + ref.key +
        "_unit if that is wrong)");
}

long fractionOf(double f, long n)
{
    return static_cast<long>(std::floor(f * static_cast<double>(n) + 1e-9));
}

} // namespace

long prefilterTrimSamples(const DataConfig& cfg, double dt_ms)
{
    if (!cfg.prefilter)
        return 0;
    double fs = 1000.0 / dt_ms;
    return static_cast<long>(std::ceil(10.0 * fs / cfg.prefilter_hz));
}

Dataset buildDataset(const Recording& rec, const DataConfig& cfg)
{
    const std::string file = rec.source.empty() ? std::string("recording") : rec.source;
    if (!std::isfinite(rec.dt_ms) || !(rec.dt_ms > 0))
        throw Error(file + ": sampling interval dt = " + formatNumber(rec.dt_ms) +
                    " ms; it must be a positive number");
    if (rec.dt_ms < kMinSamplingIntervalMs || rec.dt_ms > kMaxSamplingIntervalMs)
        throw Error(file + ": sampling interval dt = " + formatNumber(rec.dt_ms) + " ms (" +
                    formatNumber(1000.0 / rec.dt_ms) + " Hz) is outside the plausible range " +
                    formatNumber(kMinSamplingIntervalMs) + " to " + formatNumber(kMaxSamplingIntervalMs) +
                    " ms for an intracellular recording; the file's sampling rate or time base is wrong");
    if (cfg.neurons.empty())
        throw Error("data.neurons: needs at least one neuron");
    const RecordingHeader h = rec.header();
    const auto trialIdx = selectTrials(h, cfg, file);
    checkChannels(h, trialIdx, cfg, file);

    Dataset ds;
    ds.dt_ms = rec.dt_ms;
    ds.neurons = static_cast<int>(cfg.neurons.size());
    ds.source = rec.source;
    const auto refs = mappedChannels(cfg);
    const bool anyIsyn =
        std::any_of(cfg.neurons.begin(), cfg.neurons.end(), [](const auto& n) { return n.isyn.has_value(); });
    std::set<std::string> warned;

    IirCoefficients lowpass;
    long trim = 0;
    if (cfg.prefilter) {
        const double fs = 1000.0 / rec.dt_ms;
        if (!(cfg.prefilter_hz < fs / 2))
            throw Error("data.prefilter_hz = " + formatNumber(cfg.prefilter_hz) +
                        " Hz must be below the Nyquist frequency " + formatNumber(fs / 2) +
                        " Hz of the recording (dt = " + formatNumber(rec.dt_ms) + " ms)");
        lowpass = butterLowpass(3, cfg.prefilter_hz, fs);
        trim = prefilterTrimSamples(cfg, rec.dt_ms);
    }

    // One channel has one unit in every trial (unless the config overrides it).
    for (const auto& ref : refs) {
        if (ref.unitOverride->has_value())
            continue;
        const Trial& t0 = rec.trials[trialIdx.front()];
        const std::string u0 = t0.find(*ref.name)->unit;
        const UnitConversion c0 = engineUnitFor(u0);
        for (std::size_t ti : trialIdx) {
            const std::string u = rec.trials[ti].find(*ref.name)->unit;
            const UnitConversion c = engineUnitFor(u);
            if (c.known != c0.known || c.factor != c0.factor || (!c.known && u != u0))
                throw Error(file + ": channel '" + *ref.name + "' (" + ref.key + ") has unit " +
                            (u0.empty() ? std::string("(none)") : "'" + u0 + "'") + " in trial '" + t0.name +
                            "' but " + (u.empty() ? std::string("(none)") : "'" + u + "'") + " in trial '" +
                            rec.trials[ti].name +
                            "'; one channel must have one unit in every trial: select trials of one unit "
                            "(data.trials) or convert the recording");
        }
    }

    for (std::size_t ti : trialIdx) {
        const Trial& trial = rec.trials[ti];
        const long n = static_cast<long>(trial.find(*refs.front().name)->samples.size());
        for (const auto& ref : refs) {
            const long len = static_cast<long>(trial.find(*ref.name)->samples.size());
            if (len != n)
                throw Error(file + ": trial '" + trial.name + "': channel '" + *ref.name + "' has " +
                            std::to_string(len) + " samples but '" + *refs.front().name + "' has " +
                            std::to_string(n) + "; mapped channels of one trial must have equal lengths");
        }
        if (n - 2 * trim < 4)
            throw Error(
                file + ": trial '" + trial.name + "' has only " + std::to_string(n) + " samples" +
                (trim ? " (" + std::to_string(2 * trim) + " are trimmed by the pre-filter)" : std::string()) +
                "; too short to train on");
        const long m = n - 2 * trim;
        TrialData td;
        td.name = trial.name;
        td.v.resize(ds.neurons, m);
        td.u.resize(ds.neurons, m);
        td.has_isyn = Eigen::VectorXi::Zero(ds.neurons);
        if (anyIsyn)
            td.isyn = Eigen::MatrixXd::Zero(ds.neurons, m);
        std::size_t r = 0;
        for (int neuron = 0; neuron < ds.neurons; ++neuron) {
            const auto& nc = cfg.neurons[static_cast<std::size_t>(neuron)];
            for (Role role : {Role::V, Role::U, Role::Isyn}) {
                if (role == Role::Isyn && !nc.isyn)
                    continue;
                const ChannelRef& ref = refs[r++];
                const Channel* ch = trial.find(*ref.name);
                const double f = unitFactor(ch->unit, ref, file, ds.warnings, warned);
                std::vector<double> x(ch->samples);
                checkFinite(x, file, trial.name, ch->name, rec.dt_ms);
                checkPlausible(x, f, ref.unitOverride->has_value() ? **ref.unitOverride : ch->unit, ref, file,
                               trial.name, rec.dt_ms);
                if (f != 1.0)
                    for (auto& s : x)
                        s *= f;
                if (role == Role::V && cfg.prefilter)
                    x = filtfilt(lowpass, x);
                Eigen::MatrixXd& dst = role == Role::V ? td.v : role == Role::U ? td.u : td.isyn;
                for (long k = 0; k < m; ++k)
                    dst(neuron, k) = x[static_cast<std::size_t>(k + trim)];
                if (role == Role::Isyn)
                    td.has_isyn(neuron) = 1;
            }
        }
        ds.trials.push_back(std::move(td));
    }

    // Split: first train_fraction of every trial trains; last validation_fraction of one trial validates.
    int vt = 0;
    if (!cfg.validation_trial.empty())
        for (std::size_t k = 0; k < ds.trials.size(); ++k)
            if (ds.trials[k].name == cfg.validation_trial)
                vt = static_cast<int>(k);
    for (std::size_t k = 0; k < ds.trials.size(); ++k) {
        const long n = ds.trials[k].v.cols();
        Segment s{static_cast<int>(k), 0, fractionOf(cfg.train_fraction, n)};
        if (s.length() < 2)
            throw Error(file + ": trial '" + ds.trials[k].name +
                        "': the training part (data.train_fraction = " + formatNumber(cfg.train_fraction) +
                        " of " + std::to_string(n) + " samples) has fewer than 2 samples");
        ds.train.push_back(s);
    }
    const long nv = ds.trials[static_cast<std::size_t>(vt)].v.cols();
    ds.validation = Segment{vt, nv - fractionOf(cfg.validation_fraction, nv), nv};
    if (ds.validation.length() < 2)
        throw Error(
            file + ": trial '" + ds.trials[static_cast<std::size_t>(vt)].name +
            "': the validation part (data.validation_fraction = " + formatNumber(cfg.validation_fraction) +
            " of " + std::to_string(nv) + " samples) has fewer than 2 samples");
    if (ds.validation.begin < ds.train[static_cast<std::size_t>(vt)].end)
        ds.warnings.push_back("training and validation overlap in trial '" +
                              ds.trials[static_cast<std::size_t>(vt)].name + "' (train_fraction + " +
                              "validation_fraction > 1): the validation metric is not out-of-sample");
    if (trim > 0)
        ds.warnings.push_back("pre-filter: " + std::to_string(trim) +
                              " samples trimmed at each end of every trial");
    return ds;
}

Dataset loadDataset(const DataConfig& cfg, const std::string& baseDir, Progress* progress)
{
    std::filesystem::path p(cfg.file);
    if (p.is_relative() && !baseDir.empty())
        p = std::filesystem::path(baseDir) / p;
    const std::string file = p.lexically_normal().string();
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw Error(file + ": recording not found (data.file = \"" + cfg.file +
                    "\"; relative paths are relative to the config file's folder)");
    auto reader = openRecording(file);
    const RecordingHeader& h = reader->header();
    const auto trialIdx = selectTrials(h, cfg, file);
    checkChannels(h, trialIdx, cfg, file);

    // Read only the mapped channels; they must share one sampling rate.
    Recording rec;
    rec.format = h.format;
    rec.source = file;
    double rate = 0;
    std::string rateChannel;
    const auto refs = mappedChannels(cfg);
    std::size_t total = trialIdx.size() * refs.size(), done = 0;
    for (std::size_t ti : trialIdx) {
        Trial t;
        t.name = h.trials[ti].name;
        t.start_s = h.trials[ti].start_s;
        for (const auto& ref : refs) {
            ++done;
            if (t.find(*ref.name))
                continue;
            std::size_t ci = *h.channelIndex(ti, *ref.name);
            const ChannelInfo& info = h.trials[ti].channels[ci];
            if (rate == 0) {
                rate = info.rate_hz;
                rateChannel = t.name + "/" + info.name;
            } else if (std::abs(info.rate_hz - rate) > 1e-9 * rate) {
                throw Error(file + ": channel '" + t.name + "/" + info.name + "' is sampled at " +
                            formatNumber(info.rate_hz) + " Hz but '" + rateChannel + "' at " +
                            formatNumber(rate) + " Hz; all mapped channels must share one rate");
            }
            t.channels.push_back({info.name, info.unit, reader->readChannel(ti, ci)});
            if (progress && !progress->report(static_cast<double>(done) / static_cast<double>(total),
                                              "reading " + t.name + "/" + info.name))
                throw Cancelled();
        }
        rec.trials.push_back(std::move(t));
    }
    if (!std::isfinite(rate) || !(rate > 0))
        throw Error(file + ": sampling rate " + formatNumber(rate) + " Hz; it must be a positive number");
    rec.dt_ms = 1000.0 / rate;
    DataConfig sub = cfg;
    sub.trials.clear();
    for (const auto& t : rec.trials)
        sub.trials.push_back(t.name);
    return buildDataset(rec, sub);
}

} // namespace rmm
