// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: arbitrary bytes as an HDF5 file (generic recording, NWB, RTXI, MATLAB v7.3 or
// model file; seeds from make_seeds --hdf5 and the NWB/RTXI fixtures) must give a recording, a
// model or an rmm::Error.
//
// libhdf5 1.10 itself crashes and hangs on many damaged files; the engine contains that by reading
// HDF5 in a child process (engine/core/isolate.hpp). Fuzzing through that isolation would be blind
// (coverage stays in the children), so two modes:
//  - default: isolation off (RMM_NO_ISOLATION=1), coverage-guided, in-process. smoke.sh runs it with
//    -fork=1 -ignore_crashes=1 -ignore_timeouts=1: a libhdf5 crash ends one fuzzing job, is saved
//    as an artifact, and fuzzing goes on.
//  - RMM_FUZZ_ISOLATED=1 (smoke.sh replays every artifact this way): isolation on, as in the
//    program. The input must then give a result or an rmm::Error; a crash outside any libhdf5 call
//    (IsolatedCrash::inLibraryCall() false: our own code) aborts, so the replay fails.
#include "engine/core/error.hpp"
#include "engine/core/isolate.hpp"
#include "engine/recording/recording.hpp"
#include "engine/store/model_file.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

bool isolated()
{
    const char* env = std::getenv("RMM_FUZZ_ISOLATED");
    return env && *env && std::string(env) != "0";
}

template <typename F> void guarded(F&& f)
{
    try {
        f();
    } catch (const rmm::IsolatedCrash& e) {
        if (!e.inLibraryCall()) {
            std::fprintf(stderr, "fuzz_hdf5: crash outside libhdf5: %s\n", e.what());
            std::abort();
        }
    } catch (const rmm::Error&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    if (!isolated())
        setenv("RMM_NO_ISOLATION", "1", 1);
    else if (!std::getenv("RMM_ISOLATION_STALL_S"))
        setenv("RMM_ISOLATION_STALL_S", "5", 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string path = "/tmp/rmm_fuzz_hdf5_" + std::to_string(getpid()) + ".h5";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    guarded([&] {
        auto reader = rmm::openRecording(path);
        const auto& h = reader->header();
        std::size_t budget = std::size_t(1) << 22; // samples: a damaged size must not exhaust memory
        for (std::size_t t = 0; t < h.trials.size(); ++t)
            for (std::size_t c = 0; c < h.trials[t].channels.size(); ++c) {
                if (h.trials[t].channels[c].samples > budget)
                    return;
                budget -= h.trials[t].channels[c].samples;
                reader->readChannel(t, c);
            }
    });
    guarded([&] { rmm::loadModel(path); });
    return 0;
}
