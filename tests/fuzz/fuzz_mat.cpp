// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: arbitrary bytes as a MATLAB v5 file (seed with data/mat/*.mat) must give a
// recording or an rmm::Error. Parsing goes through libmatio, so the target also checks the element
// checks in mat_reader.cpp that guard it.
#include "engine/core/error.hpp"
#include "engine/recording/formats.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // v7.3 (HDF5) inputs would fuzz the HDF5 library rather than our code: v5 only.
    if (size >= 520 && std::string(reinterpret_cast<const char*>(data) + 512, 4) == "\x89HDF")
        return 0;
    if (size >= 4 && std::string(reinterpret_cast<const char*>(data), 4) == "\x89HDF")
        return 0;
    static const std::string path = "/tmp/rmm_fuzz_mat_" + std::to_string(getpid()) + ".mat";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        rmm::RecordingOpenOptions options;
        options.rate_hz = 1000;
        auto reader = rmm::openMat(path, options);
        rmm::readAll(*reader);
    } catch (const rmm::Error&) {
    }
    return 0;
}
