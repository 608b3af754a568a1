// SPDX-License-Identifier: GPL-3.0-or-later
// The table of file formats openRecording() knows. Each format lives in its own *_reader.cpp
// and is listed once in formats.cpp.
#pragma once
#include "engine/recording/recording.hpp"

#include <functional>
#include <string>
#include <vector>

namespace rmm {

struct FileProbe {
    std::string path;
    std::string extension;           ///< lower case, without the dot
    std::vector<unsigned char> head; ///< first bytes of the file (up to 4 KiB)
    bool hdf5 = false;               ///< has an HDF5 signature
};

struct FormatEntry {
    std::string name;                            ///< "abf", "nwb", ...
    std::function<bool(const FileProbe&)> sniff; ///< cheap test
    std::function<std::unique_ptr<RecordingReader>(const std::string&)> open;
    /// Optional: opens with caller-supplied options (formats that may lack a time base use it).
    std::function<std::unique_ptr<RecordingReader>(const std::string&, const RecordingOpenOptions&)>
        openWith = {};
};

/// In priority order: the first whose sniff() is true opens the file.
const std::vector<FormatEntry>& recordingFormats();

// Axon Binary Format, ABF1 and ABF2 (abf_reader.cpp): one trial per sweep, lazy reads.
std::unique_ptr<RecordingReader> openAbf(const std::string& path);
/// True when the bytes start with the ABF1 ("ABF ") or ABF2 ("ABF2") signature.
bool sniffAbf(const FileProbe& probe);

// Generic HDF5 recording (see README): one group per trial, one 1-D dataset per channel.
std::unique_ptr<RecordingReader> openGenericHdf5(const std::string& path);
/// Writes `rec` in the generic format (atomic: temporary file + rename).
void writeGenericHdf5(const Recording& rec, const std::string& path);

// NWB 2.x / 1.x intracellular series (nwb_reader.cpp): one trial per sweep number.
std::unique_ptr<RecordingReader> openNwb(const std::string& path);
// RTXI Data Recorder HDF5, 1.x and 2.x layouts (rtxi_reader.cpp): one trial per TrialN group.
std::unique_ptr<RecordingReader> openRtxi(const std::string& path);
// MATLAB .mat, v5 (matio) and v7.3 (HDF5) (mat_reader.cpp): numeric vectors and matrix columns.
std::unique_ptr<RecordingReader> openMat(const std::string& path, const RecordingOpenOptions& options = {});
// CSV / TSV text with a header row (csv_reader.cpp).
std::unique_ptr<RecordingReader> openCsv(const std::string& path, const RecordingOpenOptions& options = {});

// Sniffers, exposed for tests.
bool looksLikeNwb(const FileProbe& probe);
bool looksLikeRtxi(const FileProbe& probe);
bool looksLikeMat5(const FileProbe& probe);
bool looksLikeMat73(const FileProbe& probe);
bool looksLikeCsv(const FileProbe& probe);

} // namespace rmm
