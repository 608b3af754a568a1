// SPDX-License-Identifier: GPL-3.0-or-later
// NWB (Neurodata Without Borders) intracellular recordings, 2.x and legacy 1.x.
//
// Series read: every TimeSeries-like group under /acquisition (NWB 1: /acquisition/timeseries) and
// /stimulus/presentation that has a 1-D numeric `data` dataset and a `starting_time` dataset with a
// `rate` attribute (series with only `timestamps` are irregularly sampled and skipped).
//
// Trials: series are grouped by sweep number: the `sweep_number` attribute (NWB 2), else the number
// in a MIES-style name `data_<NNNNN>_...` (NWB 1), else sweep 0. Trial "sweep_<n>" holds the
// series of that sweep as channels, named by the series name (a stimulus series whose name repeats
// an acquisition name gets the suffix "_stimulus"). Each channel keeps its own rate and length.
//
// Values and units: NWB stores SI units (`unit` attribute of `data`) with
//     value_SI = data * conversion + offset.
// We report the SI unit with a metric prefix chosen to match `conversion` (1e-12 A -> "pA",
// 1e-3 V -> "mV"), so the numbers stay close to the stored ones:
//     value = (data * conversion + offset) / prefix.
// For units other than A, V, S, F and Ohm the SI value is reported in the unit as written.
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>

namespace rmm {

namespace {

struct Series {
    std::string group; // HDF5 path of the series group
    double conversion = 1;
    double offset = 0;
    double scale = 1; // 1 / prefix
};

std::string normaliseSiUnit(std::string u)
{
    std::string lower;
    for (char c : u)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "volts" || lower == "volt" || lower == "v")
        return "V";
    if (lower == "amperes" || lower == "ampere" || lower == "amps" || lower == "amp" || lower == "a")
        return "A";
    if (lower == "siemens" || lower == "s")
        return "S";
    if (lower == "farads" || lower == "farad" || lower == "f")
        return "F";
    if (lower == "ohm" || lower == "ohms")
        return "Ohm";
    return u;
}

// Chooses the metric prefix nearest (in log10) to `conversion` for SI units we know.
std::pair<std::string, double> prefixedUnit(const std::string& si, double conversion)
{
    if (si != "V" && si != "A" && si != "S" && si != "F" && si != "Ohm")
        return {si, 1.0};
    static const std::pair<const char*, double> prefixes[] = {{"", 1.0},   {"m", 1e-3},  {"u", 1e-6},
                                                              {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15}};
    if (!(conversion > 0) || !std::isfinite(conversion))
        return {si, 1.0};
    const double lg = std::log10(conversion);
    const std::pair<const char*, double>* best = &prefixes[0];
    for (const auto& p : prefixes)
        if (std::abs(lg - std::log10(p.second)) < std::abs(lg - std::log10(best->second)))
            best = &p;
    return {std::string(best->first) + si, best->second};
}

class NwbReader final : public RecordingReader {
  public:
    explicit NwbReader(const std::string& path) : file_(h5::File::openRead(path))
    {
        header_.path = path;
        const bool v1 = file_.isDataset("/nwb_version") && !file_.hasAttr("/", "nwb_version");
        header_.format = v1 ? "nwb1" : "nwb2";

        struct Found {
            long sweep;
            double start;
            ChannelInfo info;
            Series series;
        };
        std::vector<Found> found;
        const std::vector<std::pair<std::string, bool>> roots = {
            {"/acquisition", false}, {"/acquisition/timeseries", false}, {"/stimulus/presentation", true}};
        std::vector<std::string> acquisitionNames;
        for (const auto& [root, stimulus] : roots) {
            if (!file_.isGroup(root))
                continue;
            for (const auto& name : file_.members(root)) {
                const std::string g = root + "/" + name;
                Found f;
                if (!describeSeries(g, name, f.info, f.series, f.start))
                    continue;
                if (stimulus && std::find(acquisitionNames.begin(), acquisitionNames.end(), name) !=
                                    acquisitionNames.end())
                    f.info.name = name + "_stimulus";
                if (!stimulus)
                    acquisitionNames.push_back(name);
                f.sweep = sweepNumber(g, name);
                found.push_back(std::move(f));
            }
        }
        if (found.empty())
            throw Error(path + ": NWB file has no regularly sampled series with data under /acquisition or "
                               "/stimulus/presentation");
        std::map<long, std::size_t> trialOf;
        for (const auto& f : found)
            trialOf.emplace(f.sweep, 0);
        std::size_t k = 0;
        for (auto& [sweep, idx] : trialOf) {
            idx = k++;
            TrialInfo t;
            t.name = "sweep_" + std::to_string(sweep);
            t.start_s = std::numeric_limits<double>::infinity();
            header_.trials.push_back(std::move(t));
            series_.emplace_back();
        }
        for (auto& f : found) {
            const std::size_t ti = trialOf[f.sweep];
            auto& t = header_.trials[ti];
            t.start_s = std::min(t.start_s, f.start);
            t.channels.push_back(f.info);
            series_[ti].push_back(f.series);
        }
        for (auto& t : header_.trials)
            if (!std::isfinite(t.start_s))
                t.start_s = 0;
    }

    const RecordingHeader& header() const override { return header_; }

    std::vector<double> readChannel(std::size_t trial, std::size_t channel) override
    {
        if (trial >= header_.trials.size() || channel >= header_.trials[trial].channels.size())
            throw Error(header_.path + ": no trial " + std::to_string(trial) + " channel " +
                        std::to_string(channel));
        const Series& s = series_[trial][channel];
        std::vector<double> v = file_.readDoubles(s.group + "/data");
        for (std::size_t i = 0; i < v.size(); ++i) {
            v[i] = (v[i] * s.conversion + s.offset) * s.scale;
            if (!std::isfinite(v[i]))
                throw Error(file_.where(s.group + "/data") + ": sample " + std::to_string(i) +
                            " is not a finite number");
        }
        return v;
    }

  private:
    // Fills channel info for a series group; false when `g` is not a regularly sampled series.
    bool describeSeries(const std::string& g, const std::string& name, ChannelInfo& info, Series& s,
                        double& start) const
    {
        if (!file_.isGroup(g) || !file_.isDataset(g + "/data") || !file_.isNumeric(g + "/data"))
            return false;
        if (!file_.isDataset(g + "/starting_time"))
            return false; // timestamps only: irregular sampling
        // NWB 1 lists the type hierarchy in `ancestry`; anything but a TimeSeries is not a trace.
        if (file_.hasAttr(g, "ancestry")) {
            auto ancestry = file_.attrStrings(g, "ancestry");
            if (std::find(ancestry.begin(), ancestry.end(), "TimeSeries") == ancestry.end())
                return false;
        }
        auto shape = file_.shape(g + "/data");
        if (shape.size() != 1)
            return false; // images, multi-electrode arrays: not intracellular traces
        auto rate = file_.attrNumber(g + "/starting_time", "rate");
        if (!rate)
            throw Error(file_.where(g + "/starting_time") + ": attribute `rate` is missing");
        if (!(*rate > 0) || !std::isfinite(*rate))
            throw Error(file_.where(g + "/starting_time") + ": rate " + std::to_string(*rate) +
                        " Hz is not a positive sampling rate");
        start = file_.readScalar(g + "/starting_time");
        if (!std::isfinite(start))
            start = 0;
        const std::string ds = g + "/data";
        s.group = g;
        s.conversion = file_.attrNumber(ds, "conversion").value_or(1.0);
        s.offset = file_.attrNumber(ds, "offset").value_or(0.0);
        if (!std::isfinite(s.conversion) || s.conversion == 0 || !std::isfinite(s.offset))
            throw Error(file_.where(ds) + ": conversion/offset attributes are not usable numbers");
        const std::string si = normaliseSiUnit(file_.attrString(ds, "unit").value_or(""));
        auto [unit, prefix] = prefixedUnit(si, std::abs(s.conversion));
        s.scale = 1.0 / prefix;
        info.name = name;
        info.unit = unit;
        info.rate_hz = *rate;
        info.samples = static_cast<std::size_t>(shape[0]);
        return true;
    }

    long sweepNumber(const std::string& g, const std::string& name) const
    {
        // A damaged or foreign attribute may hold any double: only a whole number a sweep can have
        // is a sweep number (a cast of 1e300 to long would be undefined; found by fuzz_hdf5).
        if (auto n = file_.attrNumber(g, "sweep_number");
            n && std::isfinite(*n) && std::abs(*n) <= 1e9 && *n == std::floor(*n))
            return static_cast<long>(*n);
        // MIES names series data_<sweep>_AD<k> / data_<sweep>_DA<k>.
        if (name.rfind("data_", 0) == 0) {
            std::size_t i = 5;
            long v = 0;
            bool any = false;
            while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])) && v < 100000000) {
                v = v * 10 + (name[i] - '0');
                ++i;
                any = true;
            }
            if (any)
                return v;
        }
        return 0;
    }

    h5::File file_;
    RecordingHeader header_;
    std::vector<std::vector<Series>> series_;
};

} // namespace

bool looksLikeNwb(const FileProbe& probe)
{
    if (!probe.hdf5)
        return false;
    try {
        auto f = h5::File::openRead(probe.path);
        if (f.hasAttr("/", "nwb_version"))
            return true;
        // NWB 1: a root dataset nwb_version ("NWB-1.0.5").
        return f.isDataset("/nwb_version");
    } catch (const Error&) {
        return false;
    }
}

std::unique_ptr<RecordingReader> openNwb(const std::string& path)
{
    return std::make_unique<NwbReader>(path);
}

} // namespace rmm
