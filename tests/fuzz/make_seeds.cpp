// SPDX-License-Identifier: GPL-3.0-or-later
// Writes small fuzzing seeds from real ABF files: the header is kept byte for byte, the data
// section is cut to a few samples per channel and sweep, and the sections stored after the data
// (synch array, tags, ...) are moved up behind the shortened data with their block pointers fixed.
// Real fixtures are 80 KB - 2.4 MB, which makes libFuzzer run at ~10 inputs/s; the seeds written
// here are a few KB and exercise the same header paths.
//   make_seeds OUT_DIR FILE.abf...
//   make_seeds --hdf5 OUT_DIR      small HDF5 seeds for fuzz_hdf5: a generic recording, an NWB 2
//                                  file and a model file, written by the engine (a few KB each)
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/abf_reader.hpp"
#include "engine/recording/formats.hpp"
#include "engine/store/model_file.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

namespace {

using Bytes = std::vector<unsigned char>;
constexpr std::uint64_t kBlock = 512;
constexpr std::uint64_t kSamplesPerSweep = 24; // per channel

std::uint32_t get32(const Bytes& b, std::size_t at)
{
    return static_cast<std::uint32_t>(b[at]) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
           (static_cast<std::uint32_t>(b[at + 2]) << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}
void put32(Bytes& b, std::size_t at, std::uint64_t v)
{
    for (int i = 0; i < 4; ++i)
        b[at + static_cast<std::size_t>(i)] = static_cast<unsigned char>((v >> (8 * i)) & 0xff);
}
void put64(Bytes& b, std::size_t at, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        b[at + static_cast<std::size_t>(i)] = static_cast<unsigned char>((v >> (8 * i)) & 0xff);
}

/// A block-aligned region of the original file that must follow the new data section.
struct Moved {
    std::size_t pointerAt; ///< where its block number is stored in the header
    std::uint64_t block;
    std::uint64_t bytes;
};

Bytes shrink(const Bytes& in, const rmm::AbfLayout& L)
{
    const std::uint64_t nch = L.channels.size();
    const std::uint64_t sweeps = std::max<std::uint64_t>(1, L.sweeps.size());
    const std::uint64_t points =
        sweeps * nch * std::min<std::uint64_t>(kSamplesPerSweep, L.sweeps.front().length);
    const std::uint64_t dataBlock = L.dataStart / kBlock;
    std::vector<Moved> moved;
    Bytes out(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(L.dataStart));
    if (L.major == 1) {
        put32(out, 10, points); // lActualAcqLength
        for (auto [ptr, count, entry] :
             {std::array<std::size_t, 3>{92, 96, 8}, std::array<std::size_t, 3>{44, 48, 64}}) {
            std::uint64_t block = get32(in, ptr);
            if (block > dataBlock)
                moved.push_back({ptr, block, get32(in, count) * std::uint64_t{entry}});
        }
    } else {
        for (std::size_t s = 0; s < 18; ++s) {
            std::size_t at = 76 + 16 * s;
            std::uint64_t block = get32(in, at);
            if (s == 10)
                put64(out, at + 8, points); // DataSection llNumEntries
            else if (block > dataBlock)
                moved.push_back({at, block, std::uint64_t{get32(in, at + 4)} * get32(in, at + 8)});
        }
    }
    const unsigned char* data = in.data() + L.dataStart;
    out.insert(out.end(), data, data + points * L.sampleBytes());
    for (const Moved& m : moved) {
        out.resize((out.size() + kBlock - 1) / kBlock * kBlock, 0);
        put32(out, m.pointerAt, out.size() / kBlock);
        const std::uint64_t from = m.block * kBlock;
        const std::uint64_t n =
            std::min<std::uint64_t>(m.bytes, in.size() - std::min<std::uint64_t>(in.size(), from));
        out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(from),
                   in.begin() + static_cast<std::ptrdiff_t>(from + n));
    }
    return out;
}

void writeHdf5Seeds(const std::filesystem::path& dir)
{
    std::filesystem::create_directories(dir);
    rmm::Recording rec;
    rec.format = "seed";
    rec.source = "seed";
    rec.dt_ms = 0.1;
    rmm::Trial t;
    t.name = "trial1";
    rmm::Channel v{"v", "mV", {}}, u{"u", "nA", {}};
    for (int i = 0; i < 32; ++i) {
        v.samples.push_back(-60 + 0.5 * i);
        u.samples.push_back(0.01 * i);
    }
    t.channels = {v, u};
    rec.trials.push_back(t);
    rmm::writeGenericHdf5(rec, (dir / "generic.h5").string());

    // NWB 2: one CurrentClampSeries-like group (what nwb_reader.cpp reads).
    {
        auto f = rmm::h5::File::create((dir / "nwb2.nwb").string());
        f.setAttr("/", "nwb_version", "2.2.0");
        f.writeDoubles("/acquisition/series1/data", v.samples, false);
        f.setAttr("/acquisition/series1/data", "unit", "volts");
        f.setAttr("/acquisition/series1/data", "conversion", 1e-3);
        f.writeDoubles("/acquisition/series1/starting_time", {0.0}, false);
        f.setAttr("/acquisition/series1/starting_time", "rate", 10000.0);
        f.setAttr("/acquisition/series1", "sweep_number", 1.0);
        f.writeDoubles("/stimulus/presentation/series1/data", u.samples, false);
        f.setAttr("/stimulus/presentation/series1/data", "unit", "amperes");
        f.setAttr("/stimulus/presentation/series1/data", "conversion", 1e-12);
        f.writeDoubles("/stimulus/presentation/series1/starting_time", {0.0}, false);
        f.setAttr("/stimulus/presentation/series1/starting_time", "rate", 10000.0);
        f.flush();
    }

    rmm::ModelConfig cfg;
    cfg.neurons = 1;
    cfg.intrinsic_taus_ms = {1, 10};
    cfg.intrinsic_hidden = {2};
    cfg.lumped_hidden = {2};
    cfg.synapses_default = false;
    auto m = rmm::CircuitModel::initialize(cfg, 0.1, 1);
    rmm::InputNormalisation q;
    q.v_lo = -70;
    q.v_hi = -30;
    q.w_lo = Eigen::VectorXd::Constant(m.intrinsicBank().size(), -70);
    q.w_hi = Eigen::VectorXd::Constant(m.intrinsicBank().size(), -30);
    m.setNormalisation({q});
    rmm::saveModel((dir / "model.h5").string(), m, "{}");
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::string(argv[1]) == "--hdf5") {
        try {
            writeHdf5Seeds(argv[2]);
        } catch (const rmm::Error& e) {
            std::cerr << "make_seeds: " << e.what() << "\n";
            return 1;
        }
        return 0;
    }
    if (argc < 3) {
        std::cerr << "usage: make_seeds OUT_DIR FILE.abf...\n";
        return 2;
    }
    const std::filesystem::path outDir = argv[1];
    std::filesystem::create_directories(outDir);
    int failures = 0;
    for (int i = 2; i < argc; ++i) {
        const std::string path = argv[i];
        try {
            std::ifstream f(path, std::ios::binary);
            Bytes in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
            auto src = rmm::openFileSource(path);
            const rmm::AbfLayout L = rmm::parseAbfHeader(*src);
            Bytes out = shrink(in, L);
            auto check = rmm::openAbfBuffer(path + " (seed)", out); // the seed must still be a valid file
            for (std::size_t c = 0; c < check->header().trials.front().channels.size(); ++c)
                check->readChannel(check->header().trials.size() - 1, c);
            const auto target = outDir / ("mini_" + std::filesystem::path(path).filename().string());
            std::ofstream o(target, std::ios::binary);
            o.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
            std::cout << target.string() << ": " << out.size() << " bytes (from " << in.size() << ")\n";
        } catch (const rmm::Error& e) {
            std::cerr << "make_seeds: " << e.what() << "\n";
            ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}
