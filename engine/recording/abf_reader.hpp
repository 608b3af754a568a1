// SPDX-License-Identifier: GPL-3.0-or-later
// Axon Binary Format (ABF1 and ABF2, written by Clampex / AxoScope / AxoGraph's AXENGN).
// The header is parsed into an AbfLayout (abf_header.cpp); AbfReader (abf_reader.cpp) reads the
// samples of one sweep and one channel on demand. Every count and offset found in the header is
// checked against the size of the file before anything is allocated or read.
#pragma once
#include "engine/recording/recording.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rmm {

/// Random access to the bytes of one file (or of a memory buffer, for fuzzing and tests).
class ByteSource {
  public:
    virtual ~ByteSource() = default;
    /// Name used in error messages (the file path).
    virtual const std::string& name() const = 0;
    virtual std::uint64_t size() const = 0;
    /// Reads exactly `n` bytes at `offset`; throws rmm::Error naming `what` and the byte offset
    /// when the range lies beyond the end of the file or the read fails.
    virtual void read(std::uint64_t offset, void* dst, std::size_t n, const std::string& what) = 0;
};

std::unique_ptr<ByteSource> openFileSource(const std::string& path);
std::unique_ptr<ByteSource> memorySource(std::string name, std::vector<unsigned char> bytes);

struct AbfChannel {
    std::string name;
    std::string unit; ///< UTF-8 (the file stores Latin-1, e.g. "\xb5m" becomes "µm")
    int adc = 0;      ///< physical ADC number
    double gain = 1;  ///< value = raw * gain + offset (int16 data); 1 and 0 for float32 data
    double offset = 0;
};

struct AbfSweep {
    std::uint64_t firstPoint = 0; ///< index of its first multiplexed point in the data section
    std::uint64_t length = 0;     ///< samples per channel
    double start_s = 0;
};

struct AbfLayout {
    int major = 0;                    ///< 1 or 2
    std::string version;              ///< "1.83" / "2.9.0.0"
    int operationMode = 0;            ///< 1 var-length events, 2 fixed-length events, 3 gap-free,
                                      ///< 4 high-speed oscilloscope, 5 episodic stimulation
    bool floatData = false;           ///< float32 samples (no scaling) instead of int16
    std::uint64_t dataStart = 0;      ///< byte offset of the first sample
    std::uint64_t dataPoints = 0;     ///< multiplexed points stored (all channels)
    double interval_us = 0;           ///< per-channel sampling interval
    std::vector<AbfChannel> channels; ///< in sampling (interleave) order
    std::vector<AbfSweep> sweeps;
    std::vector<Tag> tags;

    std::size_t sampleBytes() const { return floatData ? 4 : 2; }
};

/// Parses the header of an ABF1 or ABF2 file. Throws rmm::Error naming the file and the field /
/// byte offset on truncated or corrupt headers and on unsupported variants.
AbfLayout parseAbfHeader(ByteSource& src);

const char* abfModeName(int mode);

/// Opens an ABF file held in memory (`name` is used in messages). Same checks as openAbf().
std::unique_ptr<RecordingReader> openAbfBuffer(const std::string& name, std::vector<unsigned char> bytes);

} // namespace rmm
