// SPDX-License-Identifier: GPL-3.0-or-later
// RTXI Data Recorder HDF5 files, 1.x and 2.x layouts:
//   /TrialN/Period (ns), /TrialN/Downsampling Rate     sample interval = period x downsampling
//   /TrialN/Timestamp Start (ns)                       trial start on the RT clock (arbitrary epoch)
//   /TrialN/Synchronous Data (1.x also "Syncronous Data")
//       Channel Data          packet table: one row per sample, one column per channel (an ARRAY
//                             element or a COMPOUND of numbers)
//       Channel K Name        (1.x) string dataset naming column K (1-based), or
//       "K: label" / "K label" / "00K label"  (2.x) a dataset whose name starts with K
//   /TrialN/Parameters/<name> packet tables {index, value} or comment strings -> tags
// Channel units come from a trailing "(...)" in the label, e.g. "Comp Time (ns)" -> "ns".
// Trial Length (ns) is ignored (0 in RTXI 1.x files): the length is the number of rows.
// Trial start_s is the Timestamp Start relative to the first trial's.
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace rmm {

namespace {

// "Trial12" -> 12, else nullopt.
std::optional<long> trialNumber(const std::string& name)
{
    if (name.rfind("Trial", 0) != 0 || name.size() == 5 || name.size() > 14)
        return std::nullopt;
    long v = 0;
    for (std::size_t i = 5; i < name.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(name[i])))
            return std::nullopt;
        v = v * 10 + (name[i] - '0');
    }
    return v;
}

std::optional<std::string> syncGroup(const h5::File& f, const std::string& trial)
{
    for (const char* g : {"Synchronous Data", "Syncronous Data"})
        if (f.isGroup(trial + "/" + g))
            return trial + "/" + g;
    return std::nullopt;
}

// Unit in a trailing "(...)", e.g. "Comp Time (ns)" -> "ns".
std::string trailingUnit(const std::string& label)
{
    std::string s = label;
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    if (s.empty() || s.back() != ')')
        return {};
    auto open = s.rfind('(');
    if (open == std::string::npos)
        return {};
    return s.substr(open + 1, s.size() - open - 2);
}

std::string formatNumber(double v)
{
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

class RtxiReader final : public RecordingReader {
  public:
    explicit RtxiReader(const std::string& path) : file_(h5::File::openRead(path))
    {
        header_.format = "rtxi";
        header_.path = path;
        std::vector<std::pair<long, std::string>> trials;
        for (const auto& name : file_.members("/"))
            if (auto n = trialNumber(name); n && file_.isGroup("/" + name))
                trials.emplace_back(*n, name);
        std::sort(trials.begin(), trials.end());
        std::optional<double> firstStamp;
        std::map<std::string, std::string> lastParam;
        for (const auto& [number, name] : trials) {
            const std::string g = "/" + name;
            auto sync = syncGroup(file_, g);
            if (!sync || !file_.isDataset(*sync + "/Channel Data"))
                continue; // a trial without synchronous data (e.g. recording stopped at once)
            const std::string table = *sync + "/Channel Data";
            const double dtNs = sampleIntervalNs(g);
            TrialInfo t;
            t.name = name;
            if (file_.isDataset(g + "/Timestamp Start (ns)")) {
                double stamp = file_.readScalar(g + "/Timestamp Start (ns)");
                if (!firstStamp)
                    firstStamp = stamp;
                t.start_s = (stamp - *firstStamp) * 1e-9;
            }
            auto shape = file_.shape(table);
            if (shape.empty())
                throw Error(file_.where(table) + ": expected a 1-D packet table");
            const std::size_t columns = file_.tableColumns(table).size();
            auto labels = channelLabels(*sync, columns);
            std::set<std::string> used;
            for (std::size_t c = 0; c < columns; ++c) {
                ChannelInfo ci;
                ci.name = labels[c];
                for (int k = 2; !used.insert(ci.name).second; ++k)
                    ci.name = labels[c] + " #" + std::to_string(k);
                ci.unit = trailingUnit(labels[c]);
                ci.rate_hz = 1e9 / dtNs;
                ci.samples = static_cast<std::size_t>(shape[0]);
                t.channels.push_back(std::move(ci));
            }
            tables_.push_back(table);
            readParameters(g, t.start_s, dtNs, lastParam);
            header_.trials.push_back(std::move(t));
        }
        if (header_.trials.empty())
            throw Error(path + ": RTXI file has no TrialN group with Synchronous Data/Channel Data");
    }

    const RecordingHeader& header() const override { return header_; }

    std::vector<double> readChannel(std::size_t trial, std::size_t channel) override
    {
        if (trial >= header_.trials.size() || channel >= header_.trials[trial].channels.size())
            throw Error(header_.path + ": no trial " + std::to_string(trial) + " channel " +
                        std::to_string(channel));
        if (cachedTrial_ != trial) {
            cachedTrial_ = std::nullopt;
            cache_ = file_.readTable(tables_[trial]);
            cachedTrial_ = trial;
        }
        const auto& t = header_.trials[trial];
        if (cache_.cols != t.channels.size() || cache_.rows != t.channels[channel].samples)
            throw Error(file_.where(tables_[trial]) + ": table shape changed while reading");
        std::vector<double> v(cache_.rows);
        for (std::size_t r = 0; r < cache_.rows; ++r) {
            v[r] = cache_.at(r, channel);
            if (!std::isfinite(v[r]))
                throw Error(file_.where(tables_[trial]) + ": channel '" + t.channels[channel].name +
                            "', sample " + std::to_string(r) + " is not a finite number");
        }
        return v;
    }

  private:
    double sampleIntervalNs(const std::string& g) const
    {
        const std::string periodPath = g + "/Period (ns)";
        if (!file_.isDataset(periodPath))
            throw Error(file_.where(periodPath) + ": missing; cannot know the sampling interval");
        double period = file_.readScalar(periodPath);
        double down = 1;
        if (file_.isDataset(g + "/Downsampling Rate"))
            down = file_.readScalar(g + "/Downsampling Rate");
        if (!(down >= 1) || !std::isfinite(down))
            down = 1;
        const double dt = period * down;
        if (!(dt > 0) || !std::isfinite(dt))
            throw Error(file_.where(periodPath) + ": period " + formatNumber(period) +
                        " ns is not a positive sampling interval");
        return dt;
    }

    // Labels of the `n` columns, from "Channel K Name" datasets or datasets named "K..." .
    std::vector<std::string> channelLabels(const std::string& sync, std::size_t n) const
    {
        std::vector<std::string> labels(n);
        for (const auto& m : file_.members(sync)) {
            const std::string ds = sync + "/" + m;
            std::size_t k = 0;
            std::string label;
            if (m.rfind("Channel ", 0) == 0 && m.size() > 13 && m.compare(m.size() - 5, 5, " Name") == 0) {
                const std::string num = m.substr(8, m.size() - 13);
                if (num.empty() || num.size() > 6 ||
                    !std::all_of(num.begin(), num.end(), [](unsigned char c) { return std::isdigit(c); }))
                    continue;
                k = std::stoul(num);
                label = file_.isString(ds) ? file_.readString(ds) : std::string();
            } else if (!m.empty() && std::isdigit(static_cast<unsigned char>(m[0]))) {
                std::size_t i = 0;
                while (i < m.size() && i < 7 && std::isdigit(static_cast<unsigned char>(m[i])))
                    k = k * 10 + static_cast<std::size_t>(m[i++] - '0');
                if (i < m.size() && m[i] == ':')
                    ++i;
                while (i < m.size() && m[i] == ' ')
                    ++i;
                label = m.substr(i);
            } else {
                continue;
            }
            if (k >= 1 && k <= n && !label.empty())
                labels[k - 1] = label;
        }
        for (std::size_t c = 0; c < n; ++c)
            if (labels[c].empty())
                labels[c] = "channel " + std::to_string(c + 1);
        return labels;
    }

    // Parameters and comments become tags, each only when it differs from the previous trial's.
    void readParameters(const std::string& g, double start, double dtNs,
                        std::map<std::string, std::string>& last)
    {
        const std::string pg = g + "/Parameters";
        if (!file_.isGroup(pg))
            return;
        for (const auto& name : file_.members(pg)) {
            const std::string ds = pg + "/" + name;
            try {
                if (file_.isString(ds)) {
                    std::string text = name + ": " + file_.readString(ds);
                    if (last[name] != text)
                        header_.tags.push_back({start, text});
                    last[name] = text;
                    continue;
                }
                auto cols = file_.tableColumns(ds);
                auto vi = std::find(cols.begin(), cols.end(), "value");
                auto ii = std::find(cols.begin(), cols.end(), "index");
                if (vi == cols.end())
                    continue;
                auto tab = file_.readTable(ds);
                for (std::size_t r = 0; r < tab.rows && r < 10000; ++r) {
                    std::string text =
                        name + " = " + formatNumber(tab.at(r, static_cast<std::size_t>(vi - cols.begin())));
                    if (last[name] == text)
                        continue;
                    last[name] = text;
                    double index =
                        ii == cols.end() ? 0.0 : tab.at(r, static_cast<std::size_t>(ii - cols.begin()));
                    header_.tags.push_back({start + std::max(0.0, index) * dtNs * 1e-9, text});
                }
            } catch (const Error&) {
                // A parameter we cannot decode is not worth failing the recording for.
            }
        }
    }

    h5::File file_;
    RecordingHeader header_;
    std::vector<std::string> tables_;
    std::optional<std::size_t> cachedTrial_;
    h5::File::Table cache_;
};

} // namespace

bool looksLikeRtxi(const FileProbe& probe)
{
    if (!probe.hdf5)
        return false;
    try {
        auto f = h5::File::openRead(probe.path);
        for (const auto& name : f.members("/"))
            if (trialNumber(name) && syncGroup(f, "/" + name))
                return true;
    } catch (const Error&) {
    }
    return false;
}

std::unique_ptr<RecordingReader> openRtxi(const std::string& path)
{
    return std::make_unique<RtxiReader>(path);
}

} // namespace rmm
