// SPDX-License-Identifier: GPL-3.0-or-later
// Lazy ABF1/ABF2 reader: the constructor parses the header only (abf_header.cpp); readChannel()
// seeks to one sweep's interleaved block, reads it in bounded chunks, de-interleaves one channel
// and scales it (value = raw * gain + offset, in double).
#include "engine/recording/abf_reader.hpp"
#include "engine/core/error.hpp"
#include "engine/recording/formats.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

namespace rmm {

namespace {

std::string rangeError(const std::string& name, std::uint64_t size, std::uint64_t offset, std::size_t n,
                       const std::string& what)
{
    return name + ": " + what + " (" + std::to_string(n) + " bytes at byte offset " + std::to_string(offset) +
           ") lies beyond the end of the file (" + std::to_string(size) +
           " bytes); the file is truncated or its header is corrupt";
}

class FileSource final : public ByteSource {
  public:
    explicit FileSource(const std::string& path) : path_(path), in_(path, std::ios::binary)
    {
        if (!in_)
            throw Error(path + ": cannot be opened for reading");
        std::error_code ec;
        auto sz = std::filesystem::file_size(path, ec);
        if (ec)
            throw Error(path + ": cannot determine the file size (" + ec.message() + ")");
        size_ = static_cast<std::uint64_t>(sz);
    }
    const std::string& name() const override { return path_; }
    std::uint64_t size() const override { return size_; }
    void read(std::uint64_t offset, void* dst, std::size_t n, const std::string& what) override
    {
        if (offset > size_ || n > size_ - offset)
            throw Error(rangeError(path_, size_, offset, n, what));
        in_.clear();
        in_.seekg(static_cast<std::streamoff>(offset));
        in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(n));
        if (static_cast<std::size_t>(in_.gcount()) != n)
            throw Error(path_ + ": reading " + what + " (" + std::to_string(n) + " bytes at byte offset " +
                        std::to_string(offset) + ") failed: the file ended early or could not be read");
    }

  private:
    std::string path_;
    std::ifstream in_;
    std::uint64_t size_ = 0;
};

class MemorySource final : public ByteSource {
  public:
    MemorySource(std::string name, std::vector<unsigned char> bytes)
        : name_(std::move(name)), bytes_(std::move(bytes))
    {
    }
    const std::string& name() const override { return name_; }
    std::uint64_t size() const override { return bytes_.size(); }
    void read(std::uint64_t offset, void* dst, std::size_t n, const std::string& what) override
    {
        if (offset > bytes_.size() || n > bytes_.size() - offset)
            throw Error(rangeError(name_, bytes_.size(), offset, n, what));
        if (n > 0)
            std::memcpy(dst, bytes_.data() + offset, n);
    }

  private:
    std::string name_;
    std::vector<unsigned char> bytes_;
};

class AbfReader final : public RecordingReader {
  public:
    explicit AbfReader(std::unique_ptr<ByteSource> src) : src_(std::move(src)), layout_(parseAbfHeader(*src_))
    {
        header_.format = layout_.major == 1 ? "abf1" : "abf2";
        header_.path = src_->name();
        header_.tags = layout_.tags;
        const double rate = 1e6 / layout_.interval_us;
        // Channel names must be unique within a trial; disambiguate repeats ("IN 0", "IN 0 (2)").
        std::vector<std::string> names;
        std::set<std::string> seen;
        for (const auto& c : layout_.channels) {
            std::string n = c.name;
            for (int k = 2; seen.count(n) != 0; ++k)
                n = c.name + " (" + std::to_string(k) + ")";
            seen.insert(n);
            names.push_back(n);
        }
        header_.trials.reserve(layout_.sweeps.size());
        for (std::size_t s = 0; s < layout_.sweeps.size(); ++s) {
            TrialInfo t;
            t.name = "sweep" + std::to_string(s + 1);
            t.start_s = layout_.sweeps[s].start_s;
            for (std::size_t c = 0; c < layout_.channels.size(); ++c)
                t.channels.push_back(ChannelInfo{names[c], layout_.channels[c].unit, rate,
                                                 static_cast<std::size_t>(layout_.sweeps[s].length)});
            header_.trials.push_back(std::move(t));
        }
    }

    const RecordingHeader& header() const override { return header_; }

    std::vector<double> readChannel(std::size_t trial, std::size_t channel) override
    {
        if (trial >= layout_.sweeps.size() || channel >= layout_.channels.size())
            throw Error(src_->name() + ": no sweep " + std::to_string(trial + 1) + " / channel " +
                        std::to_string(channel) + " (the file has " + std::to_string(layout_.sweeps.size()) +
                        " sweeps of " + std::to_string(layout_.channels.size()) + " channels)");
        const AbfSweep& sw = layout_.sweeps[trial];
        const AbfChannel& ch = layout_.channels[channel];
        const std::size_t nch = layout_.channels.size();
        const std::size_t sb = layout_.sampleBytes();
        const std::size_t frame = nch * sb;
        // The header parser checked that every sweep lies inside the data section, and the data
        // section inside the file, so this allocation is bounded by the file size.
        std::vector<double> out(static_cast<std::size_t>(sw.length));
        const std::size_t chunkFrames = std::max<std::size_t>(1, (std::size_t{1} << 20) / frame);
        std::vector<unsigned char> buf(std::min<std::size_t>(chunkFrames, out.size()) * frame);
        const std::string what = "sweep " + std::to_string(trial + 1) + " samples";
        for (std::size_t done = 0; done < out.size();) {
            std::size_t n = std::min(chunkFrames, out.size() - done);
            std::uint64_t offset =
                layout_.dataStart + (sw.firstPoint + static_cast<std::uint64_t>(done) * nch) * sb;
            src_->read(offset, buf.data(), n * frame, what);
            const unsigned char* p = buf.data() + channel * sb;
            if (layout_.floatData) {
                for (std::size_t i = 0; i < n; ++i, p += frame) {
                    std::uint32_t u =
                        static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
                        (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
                    out[done + i] = static_cast<double>(std::bit_cast<float>(u));
                }
            } else {
                for (std::size_t i = 0; i < n; ++i, p += frame) {
                    auto raw = static_cast<std::int16_t>(static_cast<std::uint16_t>(p[0] | (p[1] << 8)));
                    out[done + i] = static_cast<double>(raw) * ch.gain + ch.offset;
                }
            }
            done += n;
        }
        return out;
    }

  private:
    std::unique_ptr<ByteSource> src_;
    AbfLayout layout_;
    RecordingHeader header_;
};

} // namespace

std::unique_ptr<ByteSource> openFileSource(const std::string& path)
{
    return std::make_unique<FileSource>(path);
}

std::unique_ptr<ByteSource> memorySource(std::string name, std::vector<unsigned char> bytes)
{
    return std::make_unique<MemorySource>(std::move(name), std::move(bytes));
}

std::unique_ptr<RecordingReader> openAbf(const std::string& path)
{
    return std::make_unique<AbfReader>(openFileSource(path));
}

bool sniffAbf(const FileProbe& probe)
{
    const auto& h = probe.head;
    return h.size() >= 4 && h[0] == 'A' && h[1] == 'B' && h[2] == 'F' && (h[3] == ' ' || h[3] == '2');
}

std::unique_ptr<RecordingReader> openAbfBuffer(const std::string& name, std::vector<unsigned char> bytes)
{
    return std::make_unique<AbfReader>(memorySource(name, std::move(bytes)));
}

} // namespace rmm
