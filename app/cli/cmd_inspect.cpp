// SPDX-License-Identifier: GPL-3.0-or-later
#include "command.hpp"
#include "engine/core/error.hpp"
#include "engine/core/utf8.hpp"
#include "engine/recording/recording.hpp"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace rmm::cli {
namespace {

int inspect(const Args& args)
{
    args.allowOnly({"json", "head", "rate"});
    if (args.positional().size() != 1)
        throw Error("expected exactly one FILE");
    const std::string path = args.positional()[0];
    long head = args.integer("head", 0);
    if (head < 0)
        throw Error("--head must be >= 0");
    RecordingOpenOptions options;
    options.rate_hz = args.number("rate", 0);
    if (options.rate_hz < 0)
        throw Error("--rate must be a positive sampling rate in Hz");
    auto reader = openRecording(path, options);
    const auto& h = reader->header();

    double duration = 0;
    for (const auto& t : h.trials)
        if (!t.channels.empty() && t.channels.front().rate_hz > 0)
            duration += static_cast<double>(t.channels.front().samples) / t.channels.front().rate_hz;

    // Channels as listed in the first trial (all trials share names in every format we read;
    // where they differ, each trial's channels are listed in the per-trial section of the text output).
    const std::vector<ChannelInfo> empty;
    const auto& channels = h.trials.empty() ? empty : h.trials.front().channels;
    nlohmann::json headJson = nlohmann::json::object();
    if (head > 0 && !h.trials.empty())
        for (std::size_t c = 0; c < channels.size(); ++c) {
            auto v = reader->readChannel(0, c);
            if (v.size() > static_cast<std::size_t>(head))
                v.resize(static_cast<std::size_t>(head));
            headJson[channels[c].name] = v;
        }

    if (args.flag("json")) {
        nlohmann::json j;
        j["format"] = h.format;
        j["file"] = h.path;
        j["trials"] = h.trials.size();
        j["duration_s"] = duration;
        j["trial_names"] = nlohmann::json::array();
        for (const auto& t : h.trials)
            j["trial_names"].push_back(t.name);
        j["channels"] = nlohmann::json::array();
        for (const auto& c : channels)
            j["channels"].push_back(
                {{"name", c.name}, {"unit", c.unit}, {"rate_hz", c.rate_hz}, {"samples", c.samples}});
        if (head > 0)
            j["head"] = headJson;
        if (!h.tags.empty()) {
            j["tags"] = nlohmann::json::array();
            for (const auto& t : h.tags)
                j["tags"].push_back({{"time_s", t.time_s}, {"text", t.text}});
        }
        makeValidUtf8(j); // names and units from files may hold any bytes; JSON must be UTF-8
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << "file:     " << h.path << "\n"
              << "format:   " << h.format << "\n"
              << "trials:   " << h.trials.size() << "\n"
              << "duration: " << std::setprecision(6) << duration << " s\n";
    for (const auto& t : h.trials) {
        std::cout << "trial " << t.name << " (start " << t.start_s << " s)\n";
        for (const auto& c : t.channels)
            std::cout << "  " << std::left << std::setw(24) << c.name << " [" << c.unit << "]  " << c.rate_hz
                      << " Hz  " << c.samples << " samples\n";
    }
    for (const auto& tag : h.tags)
        std::cout << "tag at " << tag.time_s << " s: " << tag.text << "\n";
    if (head > 0) {
        std::cout << "first " << head << " samples of trial " << h.trials.front().name << ":\n";
        for (const auto& [name, values] : headJson.items()) {
            std::cout << "  " << name << ":";
            for (const auto& v : values)
                std::cout << " " << std::setprecision(10) << v.get<double>();
            std::cout << "\n";
        }
    }
    return 0;
}

const Registrar reg({"inspect",
                     "show a recording's format, trials and channels",
                     "FILE [--json] [--head K] [--rate HZ (for files without a time base: MATLAB, CSV)]",
                     {"json"},
                     inspect});

} // namespace
} // namespace rmm::cli
