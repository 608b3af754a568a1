// SPDX-License-Identifier: GPL-3.0-or-later
// The generic HDF5 recording format (README, "Generic HDF5 recordings"):
//   /<trial>/<channel>   1-D numeric dataset, attribute `unit` or `units`
//   sampling interval    attribute `dt_ms`, or `sampling_rate_hz` / `rate_hz`, looked up on the
//                        dataset, then its group, then the file root.
#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"

#include <cmath>
#include <sstream>

namespace rmm {

namespace {

class GenericHdf5Reader final : public RecordingReader {
  public:
    explicit GenericHdf5Reader(const std::string& path) : file_(h5::File::openRead(path))
    {
        header_.format = "hdf5-generic";
        header_.path = path;
        for (const auto& name : file_.members("/")) {
            std::string g = "/" + name;
            if (!file_.isGroup(g))
                continue;
            TrialInfo t;
            t.name = name;
            t.start_s = file_.attrNumber(g, "start_s").value_or(0.0);
            for (const auto& cname : file_.members(g)) {
                std::string ds = g + "/" + cname;
                if (!file_.isDataset(ds))
                    continue;
                if (!file_.isNumeric(ds))
                    continue; // string datasets (notes) are not channels
                auto shape = file_.shape(ds);
                if (shape.size() != 1)
                    throw Error(file_.where(ds) + ": a channel must be a 1-D dataset, this one has " +
                                std::to_string(shape.size()) + " dimensions");
                ChannelInfo c;
                c.name = cname;
                c.unit = file_.attrString(ds, "unit").value_or(file_.attrString(ds, "units").value_or(""));
                c.rate_hz = rateFor(ds, g);
                c.samples = static_cast<std::size_t>(shape[0]);
                if (!t.channels.empty() && c.samples != t.channels.front().samples)
                    throw Error(file_.where(ds) + ": has " + std::to_string(c.samples) + " samples but " +
                                t.channels.front().name + " in the same trial has " +
                                std::to_string(t.channels.front().samples) +
                                "; channels of one trial must have equal lengths");
                t.channels.push_back(std::move(c));
            }
            if (!t.channels.empty())
                header_.trials.push_back(std::move(t));
        }
        if (header_.trials.empty())
            throw Error(path + ": no trial groups with 1-D numeric channel datasets found "
                               "(generic layout: /<trial>/<channel>)");
    }

    const RecordingHeader& header() const override { return header_; }

    std::vector<double> readChannel(std::size_t trial, std::size_t channel) override
    {
        if (trial >= header_.trials.size() || channel >= header_.trials[trial].channels.size())
            throw Error(header_.path + ": no trial " + std::to_string(trial) + " channel " +
                        std::to_string(channel));
        const auto& t = header_.trials[trial];
        return file_.readDoubles("/" + t.name + "/" + t.channels[channel].name);
    }

  private:
    // Sampling rate in Hz from dt_ms / sampling_rate_hz / rate_hz on dataset, group or root.
    double rateFor(const std::string& ds, const std::string& group) const
    {
        for (const std::string& obj : {ds, group, std::string("/")}) {
            if (auto dt = file_.attrNumber(obj, "dt_ms")) {
                if (!(*dt > 0) || !std::isfinite(*dt))
                    throw Error(file_.where(obj) + ": attribute dt_ms = " + std::to_string(*dt) +
                                " is not a positive sampling interval");
                return 1000.0 / *dt;
            }
            for (const char* key : {"sampling_rate_hz", "rate_hz"})
                if (auto r = file_.attrNumber(obj, key)) {
                    if (!(*r > 0) || !std::isfinite(*r))
                        throw Error(file_.where(obj) + ": attribute " + key + " = " + std::to_string(*r) +
                                    " is not a positive sampling rate");
                    return *r;
                }
        }
        throw Error(file_.where(ds) + ": no sampling interval: set attribute dt_ms (or sampling_rate_hz) "
                                      "on the dataset, its group or the file root");
    }

    h5::File file_;
    RecordingHeader header_;
};

} // namespace

std::unique_ptr<RecordingReader> openGenericHdf5(const std::string& path)
{
    return std::make_unique<GenericHdf5Reader>(path);
}

void writeGenericHdf5(const Recording& rec, const std::string& path)
{
    rec.validate();
    writeAtomically(path, [&](const std::string& tmp) {
        auto f = h5::File::create(tmp);
        f.setAttr("/", "dt_ms", rec.dt_ms);
        f.setAttr("/", "format", std::string("rmm-generic-recording"));
        f.setAttr("/", "format_version", 1.0);
        f.setAttr("/", "source", rec.source);
        for (const auto& t : rec.trials) {
            std::string g = "/" + t.name;
            f.createGroup(g);
            f.setAttr(g, "start_s", t.start_s);
            for (const auto& c : t.channels) {
                // No deflate: recorded doubles are noise in their low bits and barely compress
                // (239 MB -> 236 MB for the demo) while deflate made writing 5x slower.
                f.writeDoubles(g + "/" + c.name, c.samples, /*compress=*/false);
                f.setAttr(g + "/" + c.name, "unit", c.unit);
            }
        }
        f.flush();
    });
}

} // namespace rmm
