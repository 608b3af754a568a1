// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: arbitrary bytes as a CSV file must give a recording or an rmm::Error, never a
// crash, hang or runaway allocation.
#include "engine/core/error.hpp"
#include "engine/recording/formats.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string path = "/tmp/rmm_fuzz_csv_" + std::to_string(getpid()) + ".csv";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        rmm::RecordingOpenOptions options;
        options.rate_hz = 1000; // also exercise files without a time base
        auto reader = rmm::openCsv(path, options);
        rmm::readAll(*reader);
    } catch (const rmm::Error&) {
    }
    return 0;
}
