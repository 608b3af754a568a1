// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the ABF1/ABF2 reader: parse the header of an in-memory file, then read
// every channel of every sweep. rmm::Error is the expected outcome for bad bytes; anything else
// (another exception, a sanitizer report, a leak, a timeout or an out-of-memory) is a bug.
#include "engine/core/error.hpp"
#include "engine/recording/abf_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        auto reader = rmm::openAbfBuffer("fuzz-input.abf", std::vector<unsigned char>(data, data + size));
        const rmm::RecordingHeader& h = reader->header();
        for (std::size_t t = 0; t < h.trials.size(); ++t)
            for (std::size_t c = 0; c < h.trials[t].channels.size(); ++c) {
                std::vector<double> v = reader->readChannel(t, c);
                if (v.size() != h.trials[t].channels[c].samples)
                    __builtin_trap(); // the header promised a different length
            }
    } catch (const rmm::Error&) {
    }
    return 0;
}
