// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/recording/recording.hpp"

#include "engine/core/byte_stream.hpp"
#include "engine/core/error.hpp"
#include "engine/core/isolate.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

namespace rmm {

std::optional<std::size_t> RecordingHeader::trialIndex(const std::string& name) const
{
    for (std::size_t i = 0; i < trials.size(); ++i)
        if (trials[i].name == name)
            return i;
    return std::nullopt;
}

std::optional<std::size_t> RecordingHeader::channelIndex(std::size_t trial, const std::string& name) const
{
    if (trial >= trials.size())
        return std::nullopt;
    const auto& ch = trials[trial].channels;
    for (std::size_t i = 0; i < ch.size(); ++i)
        if (ch[i].name == name)
            return i;
    return std::nullopt;
}

const Channel* Trial::find(const std::string& channel) const
{
    for (const auto& c : channels)
        if (c.name == channel)
            return &c;
    return nullptr;
}

const Trial* Recording::find(const std::string& trial) const
{
    for (const auto& t : trials)
        if (t.name == trial)
            return &t;
    return nullptr;
}

double Recording::durationSeconds() const
{
    double total = 0;
    for (const auto& t : trials)
        total += static_cast<double>(t.length()) * dt_ms * 1e-3;
    return total;
}

RecordingHeader Recording::header() const
{
    RecordingHeader h;
    h.format = format;
    h.path = source;
    h.tags = tags;
    for (const auto& t : trials) {
        TrialInfo ti;
        ti.name = t.name;
        ti.start_s = t.start_s;
        for (const auto& c : t.channels)
            ti.channels.push_back({c.name, c.unit, dt_ms > 0 ? 1000.0 / dt_ms : 0.0, c.samples.size()});
        h.trials.push_back(std::move(ti));
    }
    return h;
}

void Recording::validate() const
{
    if (!(dt_ms > 0) || !std::isfinite(dt_ms))
        throw Error(source + ": sampling interval must be a positive number of ms (got " +
                    std::to_string(dt_ms) + ")");
    std::set<std::string> trialNames;
    for (const auto& t : trials) {
        if (!trialNames.insert(t.name).second)
            throw Error(source + ": trial name '" + t.name + "' appears twice");
        std::set<std::string> names;
        for (const auto& c : t.channels) {
            if (!names.insert(c.name).second)
                throw Error(source + ": trial '" + t.name + "': channel name '" + c.name + "' appears twice");
            if (c.samples.size() != t.length())
                throw Error(source + ": trial '" + t.name + "': channel '" + c.name + "' has " +
                            std::to_string(c.samples.size()) + " samples but channel '" +
                            t.channels.front().name + "' has " + std::to_string(t.length()));
        }
    }
}

Recording readAll(RecordingReader& reader)
{
    const RecordingHeader& h = reader.header();
    Recording rec;
    rec.format = h.format;
    rec.source = h.path;
    rec.tags = h.tags;
    double rate = 0;
    for (std::size_t ti = 0; ti < h.trials.size(); ++ti) {
        const auto& tinfo = h.trials[ti];
        Trial t;
        t.name = tinfo.name;
        t.start_s = tinfo.start_s;
        for (std::size_t ci = 0; ci < tinfo.channels.size(); ++ci) {
            const auto& cinfo = tinfo.channels[ci];
            if (rate == 0)
                rate = cinfo.rate_hz;
            else if (std::abs(cinfo.rate_hz - rate) > 1e-9 * rate)
                throw Error(h.path + ": trial '" + tinfo.name + "', channel '" + cinfo.name +
                            "' is sampled at " + std::to_string(cinfo.rate_hz) +
                            " Hz but other channels at " + std::to_string(rate) +
                            " Hz; choose channels of one rate");
            t.channels.push_back({cinfo.name, cinfo.unit, reader.readChannel(ti, ci)});
        }
        rec.trials.push_back(std::move(t));
    }
    rec.dt_ms = rate > 0 ? 1000.0 / rate : 0;
    rec.validate();
    return rec;
}

namespace {

std::unique_ptr<RecordingReader> openProbed(const FileProbe& probe, const RecordingOpenOptions& options)
{
    for (const auto& fmt : recordingFormats())
        if (fmt.sniff(probe))
            return fmt.openWith ? fmt.openWith(probe.path, options) : fmt.open(probe.path);
    throw Error(probe.path + ": not a recording format RMM Workbench reads (" + [] {
        std::string names;
        for (const auto& fmt : recordingFormats())
            names += (names.empty() ? "" : ", ") + fmt.name;
        return names;
    }() + ")");
}

void writeHeader(ByteWriter& w, const RecordingHeader& h)
{
    w.str(h.format);
    w.str(h.path);
    w.u64(h.trials.size());
    for (const auto& t : h.trials) {
        w.str(t.name);
        w.f64(t.start_s);
        w.u64(t.channels.size());
        for (const auto& c : t.channels) {
            w.str(c.name);
            w.str(c.unit);
            w.f64(c.rate_hz);
            w.u64(c.samples);
        }
    }
    w.u64(h.tags.size());
    for (const auto& tag : h.tags) {
        w.f64(tag.time_s);
        w.str(tag.text);
    }
}

RecordingHeader readHeader(ByteReader& r)
{
    RecordingHeader h;
    h.format = r.str();
    h.path = r.str();
    h.trials.resize(r.u64());
    for (auto& t : h.trials) {
        t.name = r.str();
        t.start_s = r.f64();
        t.channels.resize(r.u64());
        for (auto& c : t.channels) {
            c.name = r.str();
            c.unit = r.str();
            c.rate_hz = r.f64();
            c.samples = r.u64();
        }
    }
    h.tags.resize(r.u64());
    for (auto& tag : h.tags) {
        tag.time_s = r.f64();
        tag.text = r.str();
    }
    return h;
}

/// Reader of an HDF5-based file whose every libhdf5 call runs in a child process (h5::isolated):
/// a damaged file can corrupt libhdf5's memory without crashing at once, so this process never
/// reads the file itself. The header comes from the child that opened the file; each channel is
/// read by a child that opens the file again.
class IsolatedReader final : public RecordingReader {
  public:
    IsolatedReader(FileProbe probe, const RecordingOpenOptions& options)
        : probe_(std::move(probe)), options_(options)
    {
        std::string bytes;
        h5::isolated(
            probe_.path,
            [&](IsolatedResult& out) {
                ByteWriter w;
                writeHeader(w, openProbed(probe_, options_)->header());
                out.write(w.bytes().data(), w.bytes().size());
            },
            [&](std::size_t n) -> void* {
                bytes.resize(n);
                return bytes.data();
            });
        ByteReader r(bytes);
        header_ = readHeader(r);
    }

    const RecordingHeader& header() const override { return header_; }

    std::vector<double> readChannel(std::size_t trial, std::size_t channel) override
    {
        if (trial >= header_.trials.size() || channel >= header_.trials[trial].channels.size())
            throw Error(header_.path + ": no trial " + std::to_string(trial) + " channel " +
                        std::to_string(channel));
        std::vector<double> v;
        const std::size_t bytes = h5::isolated(
            probe_.path,
            [&](IsolatedResult& out) {
                auto reader = openProbed(probe_, options_);
                const auto& h = reader->header();
                if (h.trials.size() != header_.trials.size() ||
                    h.trials[trial].channels.size() != header_.trials[trial].channels.size())
                    throw Error(header_.path + ": the file changed while it was being read");
                const std::vector<double> r = reader->readChannel(trial, channel);
                out.write(r.data(), r.size() * sizeof(double));
            },
            [&](std::size_t n) -> void* {
                v.resize(n / sizeof(double));
                return v.data();
            });
        if (bytes % sizeof(double) != 0)
            throw Error(header_.path + ": the reading process returned a partial sample");
        return v;
    }

  private:
    FileProbe probe_;
    RecordingOpenOptions options_;
    RecordingHeader header_;
};

} // namespace

std::unique_ptr<RecordingReader> openRecording(const std::string& path)
{
    return openRecording(path, RecordingOpenOptions{});
}

std::unique_ptr<RecordingReader> openRecording(const std::string& path, const RecordingOpenOptions& options)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(path + ": no such file");
    if (fs::is_directory(path, ec))
        throw Error(path + ": is a folder, not a recording file");
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw Error(path + ": cannot be opened for reading (permissions?)");
    FileProbe probe;
    probe.path = path;
    probe.extension = fs::path(path).extension().string();
    if (!probe.extension.empty() && probe.extension[0] == '.')
        probe.extension.erase(0, 1);
    std::transform(probe.extension.begin(), probe.extension.end(), probe.extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    probe.head.resize(4096);
    f.read(reinterpret_cast<char*>(probe.head.data()), static_cast<std::streamsize>(probe.head.size()));
    probe.head.resize(static_cast<std::size_t>(f.gcount()));
    if (probe.head.empty())
        throw Error(path + ": file is empty");
    probe.hdf5 = h5::isHdf5File(path);
    if (!probe.hdf5 || !isolationEnabled())
        return openProbed(probe, options);
    // HDF5-based formats: libhdf5 crashes or hangs on some damaged files; child processes read them.
    return std::make_unique<IsolatedReader>(std::move(probe), options);
}

Recording loadRecording(const std::string& path)
{
    auto reader = openRecording(path);
    return readAll(*reader);
}

} // namespace rmm
