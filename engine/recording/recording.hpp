// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rmm {

// ---- Headers: what a file holds, known before any sample is read --------------------------

struct ChannelInfo {
    std::string name;
    std::string unit;        ///< as the file spells it ("mV", "pA", "V", "deg C", ...)
    double rate_hz = 0;      ///< samples per second of this channel
    std::size_t samples = 0; ///< samples of this channel in its trial
};

struct TrialInfo {
    std::string name;   ///< unique within the file ("trial1", "sweep_3", group name, ...)
    double start_s = 0; ///< start time of the trial, seconds from the file's time origin
    std::vector<ChannelInfo> channels;
};

struct Tag {
    double time_s = 0;
    std::string text;
};

struct RecordingHeader {
    std::string format; ///< "hdf5-generic", "abf1", "abf2", "nwb2", "rtxi", "mat5", "csv", ...
    std::string path;
    std::vector<TrialInfo> trials;
    std::vector<Tag> tags;

    /// Index of a trial by name, or nullopt.
    std::optional<std::size_t> trialIndex(const std::string& name) const;
    /// Index of a channel by name within a trial, or nullopt.
    std::optional<std::size_t> channelIndex(std::size_t trial, const std::string& name) const;
};

/// A reader knows a file's header and reads one channel of one trial on demand (lazily).
/// Readers own their file handle; they are not shared between threads.
class RecordingReader {
  public:
    virtual ~RecordingReader() = default;
    virtual const RecordingHeader& header() const = 0;
    /// Samples of one channel in the file's own unit. Throws rmm::Error naming file/trial/channel.
    virtual std::vector<double> readChannel(std::size_t trial, std::size_t channel) = 0;
};

// ---- Loaded data: a value type --------------------------------------------------------------

struct Channel {
    std::string name;
    std::string unit;
    std::vector<double> samples;
};

struct Trial {
    std::string name;
    double start_s = 0;
    std::vector<Channel> channels;

    const Channel* find(const std::string& channel) const;
    std::size_t length() const { return channels.empty() ? 0 : channels.front().samples.size(); }
};

/// A recording: trials x channels, one sampling interval for all channels.
struct Recording {
    std::string format;
    std::string source; ///< file path, or "demo"
    double dt_ms = 0;   ///< sampling interval in ms
    std::vector<Trial> trials;
    std::vector<Tag> tags;

    const Trial* find(const std::string& trial) const;
    double durationSeconds() const; ///< sum over trials
    RecordingHeader header() const;
    /// Throws rmm::Error unless dt > 0, every trial's channels have equal lengths, names unique.
    void validate() const;
};

/// Read every channel of every trial. All channels must share one rate (else rmm::Error naming
/// the channel); use the reader directly for mixed-rate files.
Recording readAll(RecordingReader& reader);

/// What the caller knows about a file that the file itself may not say.
struct RecordingOpenOptions {
    /// Sampling rate in Hz for formats that may store none (MATLAB .mat, CSV without a time column or
    /// rate comment). Used only when the file gives no rate of its own; 0 = not given.
    double rate_hz = 0;
};

/// Open any supported format, detected from the file's bytes (and extension as a tie-break).
/// Throws rmm::Error naming the file when it is missing, unreadable or of no known format.
std::unique_ptr<RecordingReader> openRecording(const std::string& path);
std::unique_ptr<RecordingReader> openRecording(const std::string& path, const RecordingOpenOptions& options);

/// Convenience: openRecording + readAll.
Recording loadRecording(const std::string& path);

} // namespace rmm
