// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/recording/formats.hpp"

namespace rmm {

const std::vector<FormatEntry>& recordingFormats()
{
    // Order matters: specific HDF5 layouts (NWB, RTXI, MATLAB v7.3) before the generic one.
    static const std::vector<FormatEntry> formats = {
        {"abf", sniffAbf, openAbf},
        {"nwb", looksLikeNwb, openNwb},
        {"rtxi", looksLikeRtxi, openRtxi},
        {"mat73", looksLikeMat73, [](const std::string& p) { return openMat(p); }, openMat},
        {"mat5", looksLikeMat5, [](const std::string& p) { return openMat(p); }, openMat},
        {"hdf5-generic", [](const FileProbe& p) { return p.hdf5; }, openGenericHdf5},
        {"csv", looksLikeCsv, [](const std::string& p) { return openCsv(p); }, openCsv},
    };
    return formats;
}

} // namespace rmm
