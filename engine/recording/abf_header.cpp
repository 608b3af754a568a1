// SPDX-License-Identifier: GPL-3.0-or-later
// Parsing of ABF1 and ABF2 headers into an AbfLayout.
//
// ABF1: one fixed header (2048 bytes before version 1.6, 6144 bytes after) with per-ADC arrays
// indexed by the physical ADC number; the sampled channels are nADCSamplingSeq[0..nADCNumChannels).
// ABF2: a 512-byte file info block listing sections (block index, entry size, entry count); the
// protocol, ADC, strings, data, tag and synch-array sections are used here.
// Scaling follows Axon's ABFH_GetADCtoUUFactors: the signal-conditioner gain/offset apply only when
// nSignalType != 0, the telegraph gain only when the channel's telegraph is enabled.
#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/recording/abf_reader.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <utility>
#include <vector>

namespace rmm {

namespace {

constexpr std::uint64_t kBlockSize = 512;

/// Throws unless [offset, offset + n) lies inside the source.
void requireRange(const ByteSource& src, std::uint64_t offset, std::uint64_t n, const std::string& what)
{
    if (offset > src.size() || n > src.size() - offset)
        throw Error(src.name() + ": " + what + " (" + std::to_string(n) + " bytes at byte offset " +
                    std::to_string(offset) + ") lies beyond the end of the file (" +
                    std::to_string(src.size()) + " bytes); the file is truncated or its header is corrupt");
}

/// Bytes read from the source, with little-endian field accessors that name the field on error.
class Block {
  public:
    Block(ByteSource& src, std::uint64_t offset, std::uint64_t n, std::string what)
        : file_(src.name()), offset_(offset), what_(std::move(what))
    {
        requireRange(src, offset, n, what_);
        bytes_.resize(static_cast<std::size_t>(n));
        if (n > 0)
            src.read(offset, bytes_.data(), bytes_.size(), what_);
    }

    std::size_t size() const { return bytes_.size(); }
    const unsigned char* data() const { return bytes_.data(); }

    std::uint8_t u8(std::size_t off, const char* field) const { return at(off, 1, field)[0]; }
    std::uint16_t u16(std::size_t off, const char* field) const
    {
        const unsigned char* p = at(off, 2, field);
        return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
    }
    std::int16_t i16(std::size_t off, const char* field) const
    {
        return static_cast<std::int16_t>(u16(off, field));
    }
    std::uint32_t u32(std::size_t off, const char* field) const
    {
        const unsigned char* p = at(off, 4, field);
        return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
               (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
    }
    std::int32_t i32(std::size_t off, const char* field) const
    {
        return static_cast<std::int32_t>(u32(off, field));
    }
    std::int64_t i64(std::size_t off, const char* field) const
    {
        std::uint64_t lo = u32(off, field), hi = u32(off + 4, field);
        return static_cast<std::int64_t>(lo | (hi << 32));
    }
    double f32(std::size_t off, const char* field) const { return std::bit_cast<float>(u32(off, field)); }

    /// Fixed-width Latin-1 text up to the first NUL, converted to UTF-8 and trimmed.
    std::string text(std::size_t off, std::size_t len, const char* field) const
    {
        const unsigned char* p = at(off, len, field);
        return latin1(p, len);
    }

    static std::string latin1(const unsigned char* p, std::size_t len)
    {
        std::string out;
        for (std::size_t i = 0; i < len && p[i] != 0; ++i) {
            unsigned char c = p[i];
            if (c < 0x20 || c == 0x7f)
                out += ' ';
            else if (c < 0x80)
                out += static_cast<char>(c);
            else if (c < 0xa0)
                out += '?'; // C1 control range: not text
            else {
                out += static_cast<char>(0xc0 | (c >> 6));
                out += static_cast<char>(0x80 | (c & 0x3f));
            }
        }
        auto first = out.find_first_not_of(' ');
        if (first == std::string::npos)
            return {};
        return out.substr(first, out.find_last_not_of(' ') - first + 1);
    }

    std::string where(std::size_t off) const { return what_ + " at byte " + std::to_string(offset_ + off); }

  private:
    const unsigned char* at(std::size_t off, std::size_t n, const char* field) const
    {
        if (off > bytes_.size() || n > bytes_.size() - off)
            throw Error(file_ + ": " + what_ + " field " + field + " (byte " + std::to_string(offset_ + off) +
                        ") lies beyond the " + std::to_string(bytes_.size()) + " bytes of the " + what_ +
                        " available; the file is truncated or its header is corrupt");
        return bytes_.data() + off;
    }

    std::string file_;
    std::uint64_t offset_;
    std::string what_;
    std::vector<unsigned char> bytes_;
};

/// Values that every ABF version provides in some field, collected before the sweeps are built.
struct Common {
    std::int64_t episodes = 0; ///< lActualEpisodes
    double adcInterval_us = 0; ///< interval between consecutive multiplexed points
    double synchUnit_us = 0;   ///< fSynchTimeUnit (0: synch times count multiplexed points)
    double episodeStartToStart_s = 0;
    std::uint64_t synchOffset = 0; ///< byte offset of the synch array, 0 when absent
    std::int64_t synchCount = 0;
    std::uint64_t synchEntryBytes = 8;
    std::uint64_t tagOffset = 0;
    std::int64_t tagCount = 0;
    std::uint64_t tagEntryBytes = 64;
};

void checkMode(const std::string& file, int mode, const std::string& where)
{
    if (mode < 1 || mode > 5)
        throw Error(file + ": " + where + ": nOperationMode = " + std::to_string(mode) +
                    " is not an ABF acquisition mode (1..5); the header is corrupt");
}

void checkInterval(const std::string& file, double interval_us, const std::string& field)
{
    if (!std::isfinite(interval_us) || !(interval_us > 0) || !std::isfinite(1e6 / interval_us))
        throw Error(file + ": " + field + " = " + formatNumber(interval_us, 8) +
                    " us is not a valid sampling interval; the header is corrupt");
}

/// value = raw * gain + offset, as Axon's ABFH_GetADCtoUUFactors computes it (in double here).
/// Fields that make no physical sense are errors naming the field (issue 16): where Axon's reader
/// silently substitutes a default (a zero range or gain), a wrong scale would pass unnoticed.
struct ScalingField {
    const char* name;
    double value;
    bool used = true; ///< false for a gain this header does not apply (signal conditioner, telegraph off)
};

void setScaling(AbfChannel& c, const std::string& file, const std::string& where, double adcRange,
                std::int32_t adcResolution, const std::vector<ScalingField>& gains, double instrumentOffset,
                double signalOffset)
{
    const std::string at = file + ": " + where + " (channel " + c.name + "): ";
    for (const auto& [name, v] : {std::pair<const char*, double>{"fADCRange", adcRange},
                                  {"fInstrumentOffset", instrumentOffset},
                                  {"fSignalOffset", signalOffset}})
        if (!std::isfinite(v))
            throw Error(at + "scaling field " + name + " = " + formatNumber(v) +
                        " is not a finite number; the header is corrupt");
    for (const auto& g : gains)
        if (g.used && (!std::isfinite(g.value) || g.value == 0))
            throw Error(at + "scaling field " + g.name + " = " + formatNumber(g.value, 8) +
                        (std::isfinite(g.value) ? ": a gain of 0 scales every sample to infinity"
                                                : " is not a finite number") +
                        "; the header is corrupt");
    // ADCs of 8 to 24 bits: the resolution (half the code range) is 2^7 .. 2^23 (Axon: 2048 or 32768).
    if (adcResolution < 128 || adcResolution > (1 << 23))
        throw Error(file + ": lADCResolution = " + std::to_string(adcResolution) +
                    " is not the resolution of an ADC (128 to 8388608 for 8 to 24 bits; Axon digitisers have "
                    "2048 or 32768); the header is corrupt");
    if (!(adcRange >= 1e-3 && adcRange <= 1e3))
        throw Error(file + ": fADCRange = " + formatNumber(adcRange, 8) +
                    " V is not the input range of an ADC (1 mV to 1000 V; Axon digitisers have 10 V); the "
                    "header is corrupt");
    double total = 1;
    for (const auto& g : gains)
        if (g.used)
            total *= g.value;
    c.gain = adcRange / total / static_cast<double>(adcResolution);
    c.offset = instrumentOffset - signalOffset;
    if (!std::isfinite(c.gain) || c.gain == 0 || !std::isfinite(c.offset))
        throw Error(at + "scaling gain " + formatNumber(c.gain, 8) + " / offset " +
                    formatNumber(c.offset, 8) + " is not usable; the header is corrupt");
}

/// Start time of a synch entry / tag in seconds.
double synchSeconds(const Common& k, double ticks)
{
    double unit_us = k.synchUnit_us > 0 && std::isfinite(k.synchUnit_us) ? k.synchUnit_us : k.adcInterval_us;
    return ticks * unit_us * 1e-6;
}

void buildSweeps(ByteSource& src, AbfLayout& L, const Common& k)
{
    const std::string& file = src.name();
    const std::uint64_t nch = L.channels.size();
    if (L.operationMode == 3) { // gap-free: one trial holding every stored point
        AbfSweep s;
        s.length = L.dataPoints / nch;
        if (s.length == 0)
            throw Error(file + ": gap-free recording holds no complete sample of all " + std::to_string(nch) +
                        " channels");
        L.sweeps.push_back(s);
        return;
    }

    // Synch array: (lStart, lLength) per sweep / event.
    std::vector<std::pair<std::int64_t, std::int64_t>> synch;
    if (k.synchOffset > 0 && k.synchCount > 0) {
        if (k.synchEntryBytes < 8)
            throw Error(file + ": synch array entries of " + std::to_string(k.synchEntryBytes) +
                        " bytes are too small (8 expected); the header is corrupt");
        if (static_cast<std::uint64_t>(k.synchCount) > src.size() / k.synchEntryBytes)
            throw Error(file + ": synch array count " + std::to_string(k.synchCount) +
                        " does not fit in the file; the header is corrupt");
        Block b(src, k.synchOffset, static_cast<std::uint64_t>(k.synchCount) * k.synchEntryBytes,
                "synch array");
        synch.reserve(static_cast<std::size_t>(k.synchCount));
        for (std::int64_t i = 0; i < k.synchCount; ++i) {
            auto off = static_cast<std::size_t>(static_cast<std::uint64_t>(i) * k.synchEntryBytes);
            synch.emplace_back(b.i32(off, "lStart"), b.i32(off + 4, "lLength"));
        }
    }

    if (L.operationMode == 1) { // variable-length events: lengths come from the synch array
        if (synch.empty())
            throw Error(file + ": event-driven variable-length recording without a synch array is not "
                               "supported (the sweep lengths are unknown)");
        std::uint64_t next = 0;
        for (std::size_t i = 0; i < synch.size(); ++i) {
            auto [start, len] = synch[i];
            if (len <= 0 || static_cast<std::uint64_t>(len) % nch != 0)
                throw Error(file + ": synch array entry " + std::to_string(i) +
                            ": lLength = " + std::to_string(len) + " is not a positive multiple of the " +
                            std::to_string(nch) + " channels");
            if (static_cast<std::uint64_t>(len) > L.dataPoints - next)
                throw Error(file + ": synch array entry " + std::to_string(i) + " (event " +
                            std::to_string(i + 1) + ") extends beyond the " + std::to_string(L.dataPoints) +
                            " points of the data section; the file is truncated or corrupt");
            AbfSweep s;
            s.firstPoint = next;
            s.length = static_cast<std::uint64_t>(len) / nch;
            s.start_s = synchSeconds(k, static_cast<double>(start));
            L.sweeps.push_back(s);
            next += static_cast<std::uint64_t>(len);
        }
        return;
    }

    // Fixed-length sweeps (2 = fixed-length events, 4 = high-speed oscilloscope, 5 = episodic).
    if (k.episodes <= 0)
        throw Error(file + ": " + abfModeName(L.operationMode) + " recording with lActualEpisodes = " +
                    std::to_string(k.episodes) + "; the header is corrupt");
    auto episodes = static_cast<std::uint64_t>(k.episodes);
    if (episodes > L.dataPoints || L.dataPoints % episodes != 0 || (L.dataPoints / episodes) % nch != 0)
        throw Error(file + ": " + std::to_string(L.dataPoints) + " stored points cannot be split into " +
                    std::to_string(episodes) + " sweeps of " + std::to_string(nch) +
                    " channels (lActualEpisodes or the data length is corrupt)");
    const std::uint64_t perSweep = L.dataPoints / episodes;
    const bool useSynch = synch.size() == episodes;
    L.sweeps.reserve(static_cast<std::size_t>(episodes));
    for (std::uint64_t i = 0; i < episodes; ++i) {
        AbfSweep s;
        s.firstPoint = i * perSweep;
        s.length = perSweep / nch;
        if (useSynch)
            s.start_s = synchSeconds(k, static_cast<double>(synch[static_cast<std::size_t>(i)].first));
        else if (k.episodeStartToStart_s > 0 && std::isfinite(k.episodeStartToStart_s))
            s.start_s = static_cast<double>(i) * k.episodeStartToStart_s;
        else
            s.start_s = static_cast<double>(i * s.length) * L.interval_us * 1e-6;
        L.sweeps.push_back(s);
    }
}

void readTags(ByteSource& src, AbfLayout& L, const Common& k)
{
    if (k.tagOffset == 0 || k.tagCount <= 0)
        return;
    if (k.tagEntryBytes < 60)
        throw Error(src.name() + ": tag entries of " + std::to_string(k.tagEntryBytes) +
                    " bytes are too small (64 expected); the header is corrupt");
    if (static_cast<std::uint64_t>(k.tagCount) > src.size() / k.tagEntryBytes)
        throw Error(src.name() + ": tag count " + std::to_string(k.tagCount) +
                    " does not fit in the file; the header is corrupt");
    Block b(src, k.tagOffset, static_cast<std::uint64_t>(k.tagCount) * k.tagEntryBytes, "tag section");
    for (std::int64_t i = 0; i < k.tagCount; ++i) {
        auto off = static_cast<std::size_t>(static_cast<std::uint64_t>(i) * k.tagEntryBytes);
        Tag t;
        t.time_s = synchSeconds(k, static_cast<double>(b.i32(off, "lTagTime")));
        t.text = b.text(off + 4, 56, "sComment");
        L.tags.push_back(std::move(t));
    }
}

void checkData(ByteSource& src, const AbfLayout& L, const char* countField)
{
    std::uint64_t sb = L.sampleBytes();
    if (L.dataStart > src.size() || L.dataPoints > (src.size() - L.dataStart) / sb)
        throw Error(src.name() + ": " + countField + " = " + std::to_string(L.dataPoints) + " samples (" +
                    std::to_string(L.dataPoints * sb) + " bytes from byte offset " +
                    std::to_string(L.dataStart) + ") do not fit in the file (" + std::to_string(src.size()) +
                    " bytes); the file is truncated or its header is corrupt");
}

// ---- ABF1 -------------------------------------------------------------------------------------

AbfLayout parseAbf1(ByteSource& src)
{
    const std::string& file = src.name();
    Block h(src, 0, std::min<std::uint64_t>(src.size(), 6144), "ABF1 header");
    AbfLayout L;
    L.major = 1;
    double version = h.f32(4, "fFileVersionNumber");
    if (!(version >= 0.5 && version < 2.0))
        throw Error(file + ": ABF1 header field fFileVersionNumber (byte 4) = " + formatNumber(version, 8) +
                    " is not an ABF 1.x version; the header is corrupt");
    {
        std::ostringstream v;
        v.setf(std::ios::fixed);
        v.precision(2);
        v << version;
        L.version = v.str();
    }
    if (h.i16(38, "nMSBinFormat") != 0)
        throw Error(file + ": ABF1 file stores Microsoft-binary floats (nMSBinFormat != 0, pre-1990 "
                           "pCLAMP); not supported");
    L.operationMode = h.i16(8, "nOperationMode");
    checkMode(file, L.operationMode, "ABF1 header byte 8");
    std::int32_t acqLength = h.i32(10, "lActualAcqLength");
    std::int16_t ignored = h.i16(14, "nNumPointsIgnored");
    Common k;
    k.episodes = h.i32(16, "lActualEpisodes");
    std::int32_t dataPtr = h.i32(40, "lDataSectionPtr");
    std::int32_t tagPtr = h.i32(44, "lTagSectionPtr");
    k.tagCount = h.i32(48, "lNumTagEntries");
    std::int32_t synchPtr = h.i32(92, "lSynchArrayPtr");
    k.synchCount = h.i32(96, "lSynchArraySize");
    std::int16_t format = h.i16(100, "nDataFormat");
    std::int16_t nch = h.i16(120, "nADCNumChannels");
    double adcInterval = h.f32(122, "fADCSampleInterval");
    double secondInterval = h.f32(126, "fADCSecondSampleInterval");
    k.synchUnit_us = h.f32(130, "fSynchTimeUnit");
    k.episodeStartToStart_s = h.f32(178, "fEpisodeStartToStart");
    double adcRange = h.f32(244, "fADCRange");
    std::int32_t adcResolution = h.i32(252, "lADCResolution");
    std::int16_t signalType = h.i16(1410, "nSignalType");

    if (format != 0 && format != 1)
        throw Error(file + ": nDataFormat (byte 100) = " + std::to_string(format) +
                    " is neither 0 (int16) nor 1 (float32); the header is corrupt");
    L.floatData = format == 1;
    if (nch < 1 || nch > 16)
        throw Error(file + ": nADCNumChannels (byte 120) = " + std::to_string(nch) +
                    " is outside 1..16; the header is corrupt");
    checkInterval(file, adcInterval, "fADCSampleInterval (byte 122)");
    if (secondInterval != 0 && secondInterval != adcInterval)
        throw Error(file + ": split-clock acquisition (fADCSecondSampleInterval = " +
                    formatNumber(secondInterval, 8) + " us differs from fADCSampleInterval = " +
                    formatNumber(adcInterval, 8) + " us) is not supported");
    k.adcInterval_us = adcInterval;
    L.interval_us = adcInterval * nch;
    checkInterval(file, L.interval_us, "fADCSampleInterval * nADCNumChannels");

    if (dataPtr <= 0)
        throw Error(file + ": lDataSectionPtr (byte 40) = " + std::to_string(dataPtr) +
                    " is not a valid block number; the header is corrupt");
    if (acqLength <= 0)
        throw Error(file + ": lActualAcqLength (byte 10) = " + std::to_string(acqLength) +
                    "; the file holds no samples");
    if (ignored < 0)
        throw Error(file + ": nNumPointsIgnored (byte 14) = " + std::to_string(ignored) + " is negative");
    L.dataStart = static_cast<std::uint64_t>(dataPtr) * kBlockSize +
                  static_cast<std::uint64_t>(ignored) * L.sampleBytes();
    L.dataPoints = static_cast<std::uint64_t>(acqLength);
    checkData(src, L, "lActualAcqLength");

    // Channels through the sampling sequence: per-ADC arrays are indexed by physical ADC number.
    const bool extended = version >= 1.6 - 1e-6;
    for (int i = 0; i < nch; ++i) {
        std::int16_t adc = h.i16(410 + 2 * static_cast<std::size_t>(i), "nADCSamplingSeq");
        if (adc < 0 || adc > 15)
            throw Error(file + ": nADCSamplingSeq[" + std::to_string(i) + "] (byte " +
                        std::to_string(410 + 2 * i) + ") = " + std::to_string(adc) +
                        " is not a physical ADC 0..15; the header is corrupt");
        auto a = static_cast<std::size_t>(adc);
        AbfChannel c;
        c.adc = adc;
        c.name = h.text(442 + 10 * a, 10, "sADCChannelName");
        c.unit = h.text(602 + 8 * a, 8, "sADCUnits");
        if (c.name.empty())
            c.name = "IN " + std::to_string(adc);
        if (!L.floatData) {
            ScalingField telegraph{"fTelegraphAdditGain", 1.0, false};
            if (extended) {
                if (h.i16(4512 + 2 * a, "nTelegraphEnable") != 0)
                    telegraph = {"fTelegraphAdditGain", h.f32(4576 + 4 * a, "fTelegraphAdditGain")};
            } else if (h.i16(262, "_nAutosampleEnable") != 0 && h.i16(264, "_nAutosampleADCNum") == adc) {
                telegraph = {"_fAutosampleAdditGain", h.f32(268, "_fAutosampleAdditGain")};
            }
            const ScalingField signalGain{
                "fSignalGain", signalType != 0 ? h.f32(1050 + 4 * a, "fSignalGain") : 1.0, signalType != 0};
            double signalOffset = signalType != 0 ? h.f32(1114 + 4 * a, "fSignalOffset") : 0.0;
            setScaling(c, file, "ABF1 header, physical ADC " + std::to_string(adc), adcRange, adcResolution,
                       {{"fInstrumentScaleFactor", h.f32(922 + 4 * a, "fInstrumentScaleFactor")},
                        {"fADCProgrammableGain", h.f32(730 + 4 * a, "fADCProgrammableGain")},
                        signalGain,
                        telegraph},
                       h.f32(986 + 4 * a, "fInstrumentOffset"), signalOffset);
        }
        L.channels.push_back(std::move(c));
    }

    if (synchPtr > 0 && k.synchCount > 0)
        k.synchOffset = static_cast<std::uint64_t>(synchPtr) * kBlockSize;
    if (tagPtr > 0 && k.tagCount > 0)
        k.tagOffset = static_cast<std::uint64_t>(tagPtr) * kBlockSize;
    buildSweeps(src, L, k);
    readTags(src, L, k);
    return L;
}

// ---- ABF2 -------------------------------------------------------------------------------------

struct Section {
    std::uint64_t block = 0, bytes = 0;
    std::int64_t count = 0;
    std::uint64_t offset() const { return block * kBlockSize; }
};

enum SectionId { kProtocol = 0, kAdc = 1, kStrings = 9, kData = 10, kTag = 11, kSynch = 15 };
const char* const kSectionNames[] = {
    "ProtocolSection",    "ADCSection",        "DACSection",         "EpochSection", "ADCPerDACSection",
    "EpochPerDACSection", "UserListSection",   "StatsRegionSection", "MathSection",  "StringsSection",
    "DataSection",        "TagSection",        "ScopeSection",       "DeltaSection", "VoiceTagSection",
    "SynchArraySection",  "AnnotationSection", "StatsSection"};

/// The StringsSection is the exception: its uBytes is the size of the whole section and its
/// llNumEntries the number of strings in it.
std::uint64_t sectionSize(const Section& s, int id)
{
    return id == kStrings ? s.bytes : s.bytes * static_cast<std::uint64_t>(s.count);
}

Section section(const Block& h, ByteSource& src, int id)
{
    std::size_t at = 76 + 16 * static_cast<std::size_t>(id);
    Section s;
    s.block = h.u32(at, kSectionNames[id]);
    s.bytes = h.u32(at + 4, kSectionNames[id]);
    s.count = h.i64(at + 8, kSectionNames[id]);
    if (s.block == 0 || s.count == 0)
        return Section{};
    if (s.count < 0 || s.bytes == 0 ||
        (id != kStrings && static_cast<std::uint64_t>(s.count) > src.size() / s.bytes) ||
        s.offset() > src.size() || sectionSize(s, id) > src.size() - s.offset())
        throw Error(src.name() + ": " + kSectionNames[id] + " (entry at byte " + std::to_string(at) +
                    ": block " + std::to_string(s.block) + ", " + std::to_string(s.count) + " entries of " +
                    std::to_string(s.bytes) + " bytes) lies beyond the end of the file (" +
                    std::to_string(src.size()) + " bytes); the file is truncated or its header is corrupt");
    return s;
}

/// The strings section: a 44-byte "SSCH" preamble, then NUL-terminated strings, indexed from 1.
std::vector<std::string> readStrings(ByteSource& src, const Section& s)
{
    std::vector<std::string> out{std::string()};
    if (s.count == 0)
        return out;
    Block b(src, s.offset(), sectionSize(s, kStrings), "StringsSection");
    std::size_t pos = b.size() >= 44 ? 44 : b.size();
    const unsigned char* p = b.data();
    while (pos < b.size()) {
        std::size_t end = pos;
        while (end < b.size() && p[end] != 0)
            ++end;
        out.push_back(Block::latin1(p + pos, end - pos));
        pos = end + 1;
    }
    return out;
}

std::string stringAt(const std::vector<std::string>& strings, std::int32_t index, const std::string& file,
                     const std::string& field)
{
    if (index == 0)
        return {};
    if (index < 0 || static_cast<std::size_t>(index) >= strings.size())
        throw Error(file + ": " + field + " = " + std::to_string(index) +
                    " but the strings section holds only " + std::to_string(strings.size() - 1) +
                    " strings; the header is corrupt");
    return strings[static_cast<std::size_t>(index)];
}

AbfLayout parseAbf2(ByteSource& src)
{
    const std::string& file = src.name();
    Block h(src, 0, std::min<std::uint64_t>(src.size(), 512), "ABF2 header");
    AbfLayout L;
    L.major = 2;
    int vMajor = h.u8(7, "fFileVersionNumber"), vMinor = h.u8(6, "fFileVersionNumber");
    int vBugfix = h.u8(5, "fFileVersionNumber"), vBuild = h.u8(4, "fFileVersionNumber");
    if (vMajor != 2)
        throw Error(file + ": ABF2 signature but fFileVersionNumber major = " + std::to_string(vMajor) +
                    " (byte 7); the header is corrupt");
    L.version = std::to_string(vMajor) + "." + std::to_string(vMinor) + "." + std::to_string(vBugfix) + "." +
                std::to_string(vBuild);
    Common k;
    k.episodes = h.u32(12, "lActualEpisodes");
    std::uint16_t format = h.u16(30, "nDataFormat");
    if (format != 0 && format != 1)
        throw Error(file + ": nDataFormat (byte 30) = " + std::to_string(format) +
                    " is neither 0 (int16) nor 1 (float32); the header is corrupt");
    L.floatData = format == 1;

    Section ps = section(h, src, kProtocol);
    if (ps.count == 0)
        throw Error(file + ": the ABF2 header lists no ProtocolSection; the header is corrupt");
    Block p(src, ps.offset(), std::min<std::uint64_t>(ps.bytes * static_cast<std::uint64_t>(ps.count), 4096),
            "ProtocolSection");
    L.operationMode = p.i16(0, "nOperationMode");
    checkMode(file, L.operationMode, p.where(0));
    L.interval_us = p.f32(2, "fADCSequenceInterval");
    checkInterval(file, L.interval_us, "fADCSequenceInterval (" + p.where(2) + ")");
    k.synchUnit_us = p.f32(14, "fSynchTimeUnit");
    k.episodeStartToStart_s = p.f32(62, "fEpisodeStartToStart");
    double adcRange = p.f32(110, "fADCRange");
    std::int32_t adcResolution = p.i32(118, "lADCResolution");
    std::int16_t signalType = p.i16(138, "nSignalType");

    Section as = section(h, src, kAdc);
    if (as.count < 1 || as.count > 16)
        throw Error(file + ": ADCSection lists " + std::to_string(as.count) +
                    " channels (byte 100); 1..16 expected; the header is corrupt");
    if (as.bytes < 82)
        throw Error(file + ": ADCSection entries of " + std::to_string(as.bytes) +
                    " bytes are too small (82 needed); the header is corrupt");
    Block a(src, as.offset(), as.bytes * static_cast<std::uint64_t>(as.count), "ADCSection");
    std::vector<std::string> strings = readStrings(src, section(h, src, kStrings));
    k.adcInterval_us = L.interval_us / static_cast<double>(as.count);
    for (std::int64_t i = 0; i < as.count; ++i) {
        auto o = static_cast<std::size_t>(static_cast<std::uint64_t>(i) * as.bytes);
        AbfChannel c;
        c.adc = a.i16(o, "nADCNum");
        if (c.adc < 0 || c.adc > 15)
            throw Error(file + ": ADCSection entry " + std::to_string(i) + " (" + a.where(o) +
                        "): nADCNum = " + std::to_string(c.adc) +
                        " is not a physical ADC 0..15; the header is corrupt");
        std::string entry = "ADCSection entry " + std::to_string(i);
        c.name =
            stringAt(strings, a.i32(o + 74, "lADCChannelNameIndex"), file, entry + " lADCChannelNameIndex");
        c.unit = stringAt(strings, a.i32(o + 78, "lADCUnitsIndex"), file, entry + " lADCUnitsIndex");
        if (c.name.empty())
            c.name = "IN " + std::to_string(c.adc);
        if (!L.floatData) {
            const bool telegraphOn = a.i16(o + 2, "nTelegraphEnable") != 0;
            const ScalingField telegraph{
                "fTelegraphAdditGain", telegraphOn ? a.f32(o + 6, "fTelegraphAdditGain") : 1.0, telegraphOn};
            const ScalingField signalGain{"fSignalGain", signalType != 0 ? a.f32(o + 48, "fSignalGain") : 1.0,
                                          signalType != 0};
            double signalOffset = signalType != 0 ? a.f32(o + 52, "fSignalOffset") : 0.0;
            setScaling(c, file, entry, adcRange, adcResolution,
                       {{"fInstrumentScaleFactor", a.f32(o + 40, "fInstrumentScaleFactor")},
                        {"fADCProgrammableGain", a.f32(o + 28, "fADCProgrammableGain")},
                        signalGain,
                        telegraph},
                       a.f32(o + 44, "fInstrumentOffset"), signalOffset);
        }
        L.channels.push_back(std::move(c));
    }

    Section ds = section(h, src, kData);
    if (ds.count == 0)
        throw Error(file + ": DataSection is empty; the file holds no samples");
    if (ds.bytes != L.sampleBytes())
        throw Error(file + ": DataSection entries are " + std::to_string(ds.bytes) +
                    " bytes but nDataFormat = " + std::to_string(format) + " means " +
                    std::to_string(L.sampleBytes()) + "-byte samples; the header is corrupt");
    L.dataStart = ds.offset();
    L.dataPoints = static_cast<std::uint64_t>(ds.count);
    checkData(src, L, "DataSection llNumEntries");

    Section ss = section(h, src, kSynch);
    k.synchOffset = ss.count > 0 ? ss.offset() : 0;
    k.synchCount = ss.count;
    k.synchEntryBytes = ss.bytes;
    Section ts = section(h, src, kTag);
    k.tagOffset = ts.count > 0 ? ts.offset() : 0;
    k.tagCount = ts.count;
    k.tagEntryBytes = ts.bytes;
    buildSweeps(src, L, k);
    readTags(src, L, k);
    return L;
}

} // namespace

const char* abfModeName(int mode)
{
    switch (mode) {
    case 1:
        return "event-driven variable-length";
    case 2:
        return "event-driven fixed-length";
    case 3:
        return "gap-free";
    case 4:
        return "high-speed oscilloscope";
    case 5:
        return "episodic stimulation";
    default:
        return "unknown-mode";
    }
}

AbfLayout parseAbfHeader(ByteSource& src)
{
    char magic[4] = {};
    if (src.size() < 4)
        throw Error(src.name() + ": too short for an ABF file (" + std::to_string(src.size()) + " bytes)");
    src.read(0, magic, 4, "file signature");
    if (std::memcmp(magic, "ABF2", 4) == 0)
        return parseAbf2(src);
    if (std::memcmp(magic, "ABF ", 4) == 0)
        return parseAbf1(src);
    throw Error(src.name() + ": no ABF signature (\"ABF \" or \"ABF2\") at byte 0");
}

} // namespace rmm
