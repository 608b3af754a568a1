// SPDX-License-Identifier: GPL-3.0-or-later
// The ABF1/ABF2 reader against the shared fixtures (values from pyABF 2.3.8 and Axon's ABFFIO.DLL,
// see shared/data/README.md), plus truncated and corrupted copies of those fixtures.
#include "common/errors.hpp"
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/recording/abf_reader.hpp"
#include "engine/recording/formats.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>

using namespace rmm;
using nlohmann::json;

namespace {

using rmmtest::errorOf;

std::vector<unsigned char> readBytes(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray b = f.readAll();
    return {b.begin(), b.end()};
}

std::string writeBytes(const QString& dir, const QString& name, const std::vector<unsigned char>& bytes,
                       std::size_t count)
{
    QString p = dir + "/" + name;
    QFile f(p);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(count));
    return p.toStdString();
}

void put16(std::vector<unsigned char>& b, std::size_t at, std::int16_t v)
{
    auto u = static_cast<std::uint16_t>(v);
    b[at] = static_cast<unsigned char>(u & 0xff);
    b[at + 1] = static_cast<unsigned char>(u >> 8);
}
void put32(std::vector<unsigned char>& b, std::size_t at, std::int32_t v)
{
    auto u = static_cast<std::uint32_t>(v);
    for (int i = 0; i < 4; ++i)
        b[at + static_cast<std::size_t>(i)] = static_cast<unsigned char>((u >> (8 * i)) & 0xff);
}
void putF32(std::vector<unsigned char>& b, std::size_t at, float v)
{
    put32(b, at, std::bit_cast<std::int32_t>(v));
}
void put64(std::vector<unsigned char>& b, std::size_t at, std::int64_t v)
{
    auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i)
        b[at + static_cast<std::size_t>(i)] = static_cast<unsigned char>((u >> (8 * i)) & 0xff);
}
std::uint32_t get32(const std::vector<unsigned char>& b, std::size_t at)
{
    return static_cast<std::uint32_t>(b[at]) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
           (static_cast<std::uint32_t>(b[at + 2]) << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

/// pyABF writes "\xb5" as "u" and drops other non-ASCII bytes; bring our UTF-8 text to that form.
QString pyabfText(const std::string& s)
{
    QString q = QString::fromStdString(s);
    q.replace(QChar(0xb5), QChar('u'));
    QString out;
    for (QChar c : q)
        if (c.unicode() < 0x80)
            out += c;
    return out;
}

/// The message of the rmm::Error `f` throws, or a null string when it throws nothing.

/// Opens and reads every channel of every trial (what a user's "load" does).
void loadEverything(const std::string& path)
{
    auto r = openRecording(path);
    for (std::size_t t = 0; t < r->header().trials.size(); ++t)
        for (std::size_t c = 0; c < r->header().trials[t].channels.size(); ++c)
            r->readChannel(t, c);
}

QStringList fixtures()
{
    QDir d(rmmtest::dataFile("abf"));
    QStringList out;
    for (const QString& f : d.entryList({"*.abf"}, QDir::Files, QDir::Name))
        out << d.filePath(f);
    return out;
}

} // namespace

class TestAbf : public QObject {
    Q_OBJECT

  private slots:
    void fixture_data()
    {
        QTest::addColumn<QString>("path");
        RMM_REQUIRE_SHARED_DATA();
        const QStringList files = fixtures();
        if (files.isEmpty())
            QSKIP("no ABF fixtures in shared/data/abf");
        for (const QString& f : files)
            QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
    }

    void fixture()
    {
        QFETCH(QString, path);
        std::ifstream js((path + ".expected.json").toStdString());
        QVERIFY2(js.good(), "expected.json missing");
        const json e = json::parse(js);
        const std::string file = path.toStdString();

        auto reader = openRecording(file);
        const RecordingHeader& h = reader->header();
        const int major = e["abf_version_major"].get<int>();
        QCOMPARE(QString::fromStdString(h.format), QString("abf%1").arg(major));

        // Layout details the header parser derived (data offset, point count, mode, scaling).
        auto src = openFileSource(file);
        const AbfLayout L = parseAbfHeader(*src);
        QCOMPARE(L.major, major);
        if (major == 2)
            QCOMPARE(QString::fromStdString(L.version),
                     QString::fromStdString(e["abf_version_string"].get<std::string>()));
        QCOMPARE(L.operationMode, e["nOperationMode"].get<int>());
        QCOMPARE(L.floatData, e["data_format"].get<std::string>() == "float32");
        QCOMPARE(L.dataStart, e["data_byte_start"].get<std::uint64_t>());
        QCOMPARE(L.dataPoints, e["data_point_count_total_all_channels"].get<std::uint64_t>());
        QVERIFY(rmmtest::near(L.interval_us, e["sample_interval_us_per_channel"].get<double>(), 0, 1e-12));

        // Sweeps and channels.
        const std::size_t sweeps = e["sweep_count"].get<std::size_t>();
        const std::size_t nch = e["channel_count"].get<std::size_t>();
        QCOMPARE(h.trials.size(), e["is_gap_free"].get<bool>() ? std::size_t(1) : sweeps);
        const double rate = e["sample_rate_hz_exact"].get<double>();
        std::size_t total = 0;
        for (std::size_t t = 0; t < h.trials.size(); ++t) {
            const auto& tr = h.trials[t];
            QCOMPARE(QString::fromStdString(tr.name), QString("sweep%1").arg(t + 1));
            QCOMPARE(tr.channels.size(), nch);
            for (std::size_t c = 0; c < nch; ++c) {
                QCOMPARE(pyabfText(tr.channels[c].name),
                         QString::fromStdString(e["adc_names"][c].get<std::string>()));
                QCOMPARE(pyabfText(tr.channels[c].unit),
                         QString::fromStdString(e["adc_units"][c].get<std::string>()));
                QVERIFY(rmmtest::near(tr.channels[c].rate_hz, rate, 0, 1e-12));
                QCOMPARE(tr.channels[c].samples, e["sweep_length_samples"].get<std::size_t>());
            }
            total += tr.channels.front().samples;
        }
        QCOMPARE(total, e["total_recorded_samples_per_channel"].get<std::size_t>());
        QVERIFY(rmmtest::near(static_cast<double>(total) / rate,
                              e["total_recorded_duration_sec"].get<double>(), 1e-9, 1e-12));

        // True sweep start times from the synch array (gap-free files have one trial at 0).
        const json& synch = e["synch_array"];
        if (synch.contains("sweep_start_sec")) {
            QCOMPARE(synch["sweep_start_sec"].size(), h.trials.size());
            for (std::size_t t = 0; t < h.trials.size(); ++t)
                QVERIFY2(
                    rmmtest::near(h.trials[t].start_s, synch["sweep_start_sec"][t].get<double>(), 1e-6, 1e-9),
                    qPrintable(QString("sweep %1 start %2").arg(t + 1).arg(h.trials[t].start_s)));
        } else {
            QCOMPARE(h.trials.front().start_s, 0.0);
        }

        // Tags: comment and time.
        QCOMPARE(h.tags.size(), e["tags"].size());
        for (std::size_t i = 0; i < h.tags.size(); ++i) {
            QCOMPARE(pyabfText(h.tags[i].text),
                     QString::fromStdString(e["tags"][i]["comment"].get<std::string>()));
            QVERIFY(
                rmmtest::near(h.tags[i].time_s, e["tags"][i]["time_sec_pyabf"].get<double>(), 1e-6, 1e-9));
        }

        // Sweep 0 of every channel.
        for (std::size_t c = 0; c < nch; ++c) {
            const json& s = e["sweep0"][c];
            const AbfChannel& ch = L.channels[c];
            const std::vector<double> v = reader->readChannel(0, c);
            QCOMPARE(v.size(), s["n_samples"].get<std::size_t>());
            double step = 0; // one ADC step: the tolerance against pyABF's float64 values
            if (s["gain"].is_null()) {
                QCOMPARE(ch.gain, 1.0);
                QCOMPARE(ch.offset, 0.0);
                for (std::size_t i = 0; i < 10; ++i) // float32 samples are stored unscaled
                    QCOMPARE(v[i], s["raw_first10"][i].get<double>());
                step = 1e-6 * std::abs(s["max_float64"].get<double>() - s["min_float64"].get<double>());
            } else {
                QVERIFY(rmmtest::near(ch.gain, s["gain"].get<double>(), 0, 1e-6));
                QVERIFY(rmmtest::near(ch.offset, s["offset"].get<double>(), 1e-6, 1e-6));
                step = ch.gain;
                for (std::size_t i = 0; i < 10; ++i) // our own scaling of the raw counts, exactly
                    QVERIFY(rmmtest::near(v[i], s["raw_first10"][i].get<double>() * ch.gain + ch.offset,
                                          1e-12, 1e-12));
                const std::size_t mid = s["middle_index"].get<std::size_t>();
                QVERIFY(
                    rmmtest::near(v[mid], s["middle_raw"].get<double>() * ch.gain + ch.offset, 1e-12, 1e-12));
            }
            for (std::size_t i = 0; i < 10; ++i) {
                QVERIFY(rmmtest::near(v[i], s["first10_float64"][i].get<double>(), step));
                QVERIFY(rmmtest::near(v[i], s["first10_pyabf_float32"][i].get<double>(), 1e-6, 1e-4));
            }
            const std::size_t mid = s["middle_index"].get<std::size_t>();
            QVERIFY(rmmtest::near(v[mid], s["middle_value_float64"].get<double>(), step));
            QVERIFY(rmmtest::near(v[mid], s["middle_value_pyabf_float32"].get<double>(), 1e-6, 1e-4));
            QCOMPARE(s["last_index"].get<std::size_t>(), v.size() - 1);
            QVERIFY(rmmtest::near(v.back(), s["last_value_float64"].get<double>(), step));
            double sum = 0, lo = v[0], hi = v[0];
            for (double x : v) {
                sum += x;
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
            QVERIFY(
                rmmtest::near(sum / static_cast<double>(v.size()), s["mean_float64"].get<double>(), step));
            QVERIFY(rmmtest::near(lo, s["min_float64"].get<double>(), step));
            QVERIFY(rmmtest::near(hi, s["max_float64"].get<double>(), step));
            // Axon's own ABFFIO.DLL, first sample, 5 decimals.
            QVERIFY2(rmmtest::near(v[0], e["abffio_dll_first_values_5dp"][c].get<double>(), 6e-6, 1e-6),
                     qPrintable(QString("ABFFIO %1 vs %2")
                                    .arg(v[0], 0, 'g', 10)
                                    .arg(e["abffio_dll_first_values_5dp"][c].get<double>())));
        }

        // First values of the last sweep: checks the sweep offsets.
        if (e.contains("last_sweep_first3_float64_per_channel")) {
            const std::size_t last = e["last_sweep_index"].get<std::size_t>();
            QCOMPARE(last, h.trials.size() - 1);
            for (std::size_t c = 0; c < nch; ++c) {
                const std::vector<double> v = reader->readChannel(last, c);
                const double step = L.floatData ? 1e-6 : L.channels[c].gain;
                for (std::size_t i = 0; i < 3; ++i)
                    QVERIFY(rmmtest::near(
                        v[i], e["last_sweep_first3_float64_per_channel"][c][i].get<double>(), step));
            }
        }

        // The in-memory source gives the same samples as the file.
        auto mem = openAbfBuffer(file, readBytes(path));
        QCOMPARE(mem->header().trials.size(), h.trials.size());
        QCOMPARE(mem->readChannel(h.trials.size() - 1, nch - 1),
                 reader->readChannel(h.trials.size() - 1, nch - 1));
    }

    void abf1AndAbf2AgreeWithinOneStep()
    {
        RMM_REQUIRE_SHARED_DATA();
        const std::string p1 = rmmtest::dataFile("abf/pclamp11_4ch_abf1.abf").toStdString();
        const std::string p2 = rmmtest::dataFile("abf/pclamp11_4ch.abf").toStdString();
        if (!QFile::exists(QString::fromStdString(p1)) || !QFile::exists(QString::fromStdString(p2)))
            QSKIP("pclamp11_4ch pair not present");
        auto a = openRecording(p1), b = openRecording(p2);
        QCOMPARE(a->header().format, std::string("abf1"));
        QCOMPARE(b->header().format, std::string("abf2"));
        auto la = parseAbfHeader(*openFileSource(p1));
        QCOMPARE(a->header().trials.size(), b->header().trials.size());
        std::size_t differing = 0;
        for (std::size_t t = 0; t < a->header().trials.size(); ++t) {
            const auto& ta = a->header().trials[t];
            const auto& tb = b->header().trials[t];
            QVERIFY(rmmtest::near(ta.start_s, tb.start_s, 1e-9));
            QCOMPARE(ta.channels.size(), tb.channels.size());
            for (std::size_t c = 0; c < ta.channels.size(); ++c) {
                QCOMPARE(ta.channels[c].name, tb.channels[c].name);
                QCOMPARE(ta.channels[c].unit, tb.channels[c].unit);
                QCOMPARE(ta.channels[c].rate_hz, tb.channels[c].rate_hz);
                auto va = a->readChannel(t, c), vb = b->readChannel(t, c);
                QCOMPARE(va.size(), vb.size());
                const double step = la.channels[c].gain;
                for (std::size_t i = 0; i < va.size(); ++i) {
                    QVERIFY2(std::abs(va[i] - vb[i]) <= step * (1 + 1e-9),
                             qPrintable(QString("sweep %1 channel %2 sample %3").arg(t + 1).arg(c).arg(i)));
                    differing += va[i] != vb[i];
                }
            }
        }
        qInfo("samples differing by one ADC step: %zu", differing);
    }

    void truncatedCopiesFail()
    {
        RMM_REQUIRE_SHARED_DATA();
        const QString dir = rmmtest::scratchDir("abf_truncated");
        for (const QString& path : fixtures()) {
            const auto bytes = readBytes(path);
            QVERIFY(!bytes.empty());
            const AbfLayout L = parseAbfHeader(*openFileSource(path.toStdString()));
            const std::uint64_t dataEnd = L.dataStart + L.dataPoints * L.sampleBytes();
            const std::uint64_t cuts[] = {0,
                                          2,
                                          4,
                                          100,
                                          300,
                                          511,
                                          700,
                                          2048,
                                          5000,
                                          L.dataStart,
                                          L.dataStart + 1,
                                          L.dataStart + (dataEnd - L.dataStart) / 2,
                                          dataEnd - 1,
                                          dataEnd,
                                          bytes.size() - 1};
            auto full = openRecording(path.toStdString());
            for (std::uint64_t cut : cuts) {
                if (cut >= bytes.size())
                    continue;
                const std::string p =
                    writeBytes(dir, QString("cut_%1_%2").arg(cut).arg(QFileInfo(path).fileName()), bytes,
                               static_cast<std::size_t>(cut));
                const QString err = errorOf([&] { loadEverything(p); });
                if (cut < dataEnd) {
                    QVERIFY2(!err.isNull(),
                             qPrintable(QString("%1 cut at %2 read without error").arg(path).arg(cut)));
                    QVERIFY2(err.contains(QString::fromStdString(p)), qPrintable(err));
                } else if (err.isNull()) {
                    // Only sections we do not read are missing: the samples must be intact.
                    auto r = openRecording(p);
                    const std::size_t last = r->header().trials.size() - 1;
                    QCOMPARE(r->readChannel(last, 0), full->readChannel(last, 0));
                } else {
                    QVERIFY2(err.contains(QString::fromStdString(p)), qPrintable(err));
                }
            }
        }
    }

    void corruptAbf1Fields()
    {
        RMM_REQUIRE_SHARED_DATA();
        const QString dir = rmmtest::scratchDir("abf_corrupt1");
        const auto ep = readBytes(rmmtest::dataFile("abf/File_axon_3.abf")); // episodic, 2 of 16 ADCs
        const auto gf = readBytes(rmmtest::dataFile("abf/File_axon_2.abf")); // gap-free with tags
        if (ep.empty() || gf.empty())
            QSKIP("File_axon_2/3 not present");
        struct Case {
            const char* name;
            bool gapFree;
            std::function<void(std::vector<unsigned char>&)> edit;
            const char* expect;
        };
        const Case cases[] = {
            {"mode", false, [](auto& b) { put16(b, 8, 9); }, "nOperationMode"},
            {"acqlen", false, [](auto& b) { put32(b, 10, 0x7fffffff); }, "lActualAcqLength"},
            {"acqzero", false, [](auto& b) { put32(b, 10, 0); }, "lActualAcqLength"},
            {"episodes", false, [](auto& b) { put32(b, 16, 7); }, "sweeps"},
            {"episodes0", false, [](auto& b) { put32(b, 16, 0); }, "lActualEpisodes"},
            {"dataptr", false, [](auto& b) { put32(b, 40, 0x7fffffff); }, "lActualAcqLength"},
            {"dataptrneg", false, [](auto& b) { put32(b, 40, -5); }, "lDataSectionPtr"},
            {"synchsize", false, [](auto& b) { put32(b, 96, 0x7fffffff); }, "synch array"},
            {"synchptr", false, [](auto& b) { put32(b, 92, 0x7ffffff0); }, "synch array"},
            {"format", false, [](auto& b) { put16(b, 100, 7); }, "nDataFormat"},
            {"nch0", false, [](auto& b) { put16(b, 120, 0); }, "nADCNumChannels"},
            {"nch17", false, [](auto& b) { put16(b, 120, 17); }, "nADCNumChannels"},
            {"interval0", false, [](auto& b) { putF32(b, 122, 0.0f); }, "fADCSampleInterval"},
            {"intervalnan", false, [](auto& b) { putF32(b, 122, std::numeric_limits<float>::quiet_NaN()); },
             "fADCSampleInterval"},
            {"seq", false, [](auto& b) { put16(b, 410, 99); }, "nADCSamplingSeq"},
            {"resolution", false, [](auto& b) { put32(b, 252, 0); }, "lADCResolution"},
            // Fields Axon's reader would take or replace silently (issue 16): a resolution of 1
            // reads -7860 pA for -0.24 pA; a zero range or gain has no physical meaning.
            {"resolution1", false, [](auto& b) { put32(b, 252, 1); }, "lADCResolution = 1 "},
            {"resolutionhuge", false, [](auto& b) { put32(b, 252, 1 << 30); }, "lADCResolution"},
            {"range0", false, [](auto& b) { putF32(b, 244, 0.0f); }, "fADCRange = 0 V"},
            {"rangenan", false, [](auto& b) { putF32(b, 244, std::numeric_limits<float>::quiet_NaN()); },
             "fADCRange"},
            {"progain0", false, [](auto& b) { putF32(b, 730 + 4 * 7, 0.0f); }, "fADCProgrammableGain = 0"},
            {"scale0", false, [](auto& b) { putF32(b, 922 + 4 * 7, 0.0f); }, "fInstrumentScaleFactor = 0"},
            {"scaleinf", false,
             [](auto& b) { putF32(b, 922 + 4 * 5, std::numeric_limits<float>::infinity()); }, "scaling"},
            {"version", false, [](auto& b) { putF32(b, 4, 7.5f); }, "fFileVersionNumber"},
            {"varlen-nosynch", true, [](auto& b) { put16(b, 8, 1); }, "variable-length"},
            {"tagcount", true, [](auto& b) { put32(b, 48, 0x7fffffff); }, "tag"},
            {"tagptr", true, [](auto& b) { put32(b, 44, 0x7ffff000); }, "tag section"},
        };
        for (const Case& c : cases) {
            auto bytes = c.gapFree ? gf : ep;
            c.edit(bytes);
            const std::string p = writeBytes(dir, QString("%1.abf").arg(c.name), bytes, bytes.size());
            const QString err = errorOf([&] { loadEverything(p); });
            QVERIFY2(!err.isNull(), c.name);
            QVERIFY2(err.contains(QString::fromStdString(p)), qPrintable(err));
            QVERIFY2(err.contains(c.expect), qPrintable(QString(c.name) + ": " + err));
        }
    }

    void corruptAbf2Fields()
    {
        RMM_REQUIRE_SHARED_DATA();
        const QString dir = rmmtest::scratchDir("abf_corrupt2");
        const auto base = readBytes(rmmtest::dataFile("abf/2020_03_02_0000.abf"));
        if (base.empty())
            QSKIP("2020_03_02_0000.abf not present");
        const std::size_t protocol = get32(base, 76) * 512, adc = get32(base, 92) * 512;
        struct Case {
            const char* name;
            std::function<void(std::vector<unsigned char>&)> edit;
            const char* expect;
        };
        const Case cases[] = {
            {"version", [](auto& b) { b[7] = 9; }, "fFileVersionNumber"},
            {"episodes", [](auto& b) { put32(b, 12, 3); }, "sweeps"},
            {"format", [](auto& b) { put16(b, 30, 1); }, "DataSection"},
            {"format7", [](auto& b) { put16(b, 30, 7); }, "nDataFormat"},
            {"protocolblock", [](auto& b) { put32(b, 76, 0x7fffffff); }, "ProtocolSection"},
            {"mode", [&](auto& b) { put16(b, protocol, 0); }, "nOperationMode"},
            {"interval", [&](auto& b) { putF32(b, protocol + 2, -100.0f); }, "fADCSequenceInterval"},
            {"adccount0", [](auto& b) { put64(b, 92 + 8, 0); }, "ADCSection"},
            {"adccount17", [](auto& b) { put64(b, 92 + 8, 17); }, "ADCSection"},
            {"adcnum", [&](auto& b) { put16(b, adc, 40); }, "nADCNum"},
            {"nameindex", [&](auto& b) { put32(b, adc + 74, 5000); }, "lADCChannelNameIndex"},
            {"datacount", [](auto& b) { put64(b, 236 + 8, std::int64_t(1) << 40); }, "DataSection"},
            {"datacountneg", [](auto& b) { put64(b, 236 + 8, -1); }, "DataSection"},
            {"datablock", [](auto& b) { put32(b, 236, 0x7ffffff0); }, "DataSection"},
            {"synchcount", [](auto& b) { put64(b, 316 + 8, std::int64_t(1) << 50); }, "SynchArraySection"},
            {"stringsbytes", [](auto& b) { put32(b, 220 + 4, 0x7fffffff); }, "StringsSection"},
            {"resolution", [&](auto& b) { put32(b, protocol + 118, -1); }, "lADCResolution"},
            {"resolution1", [&](auto& b) { put32(b, protocol + 118, 1); }, "lADCResolution = 1 "},
            {"range0", [&](auto& b) { putF32(b, protocol + 110, 0.0f); }, "fADCRange = 0 V"},
            {"telegraph0", [&](auto& b) { putF32(b, adc + 6, 0.0f); }, "fTelegraphAdditGain = 0"},
            {"progain0", [&](auto& b) { putF32(b, adc + 28, 0.0f); }, "fADCProgrammableGain = 0"},
            {"scaleinf", [&](auto& b) { putF32(b, adc + 40, std::numeric_limits<float>::infinity()); },
             "fInstrumentScaleFactor = inf"},
        };
        for (const Case& c : cases) {
            auto bytes = base;
            c.edit(bytes);
            const std::string p = writeBytes(dir, QString("%1.abf").arg(c.name), bytes, bytes.size());
            const QString err = errorOf([&] { loadEverything(p); });
            QVERIFY2(!err.isNull(), c.name);
            QVERIFY2(err.contains(QString::fromStdString(p)), qPrintable(err));
            QVERIFY2(err.contains(c.expect), qPrintable(QString(c.name) + ": " + err));
        }
    }

    // Scaling rules no fixture exercises: Axon's ABFH_GetADCtoUUFactors applies fSignalGain /
    // fSignalOffset only with a signal conditioner (nSignalType != 0), and ABF1 files older than
    // 1.6 keep the telegraph gain in the single _fAutosampleAdditGain field of one ADC.
    void scalingVariants()
    {
        RMM_REQUIRE_SHARED_DATA();
        const QString dir = rmmtest::scratchDir("abf_scaling");
        const auto abf1 = readBytes(rmmtest::dataFile("abf/File_axon_3.abf")); // channel 1 = physical ADC 7
        const auto abf2 = readBytes(rmmtest::dataFile("abf/2020_03_02_0000.abf"));
        if (abf1.empty() || abf2.empty())
            QSKIP("File_axon_3 / 2020_03_02_0000 not present");
        auto layout = [&](const std::vector<unsigned char>& b, const char* name) {
            const std::string p = writeBytes(dir, name, b, b.size());
            return parseAbfHeader(*openFileSource(p));
        };
        const AbfLayout ref1 = layout(abf1, "ref1.abf");
        QCOMPARE(ref1.channels[1].gain, 0.0078125); // 10.24 V / 32768 / (0.01 V/mV * 4)

        auto b = abf1; // signal gain and offset are ignored without a conditioner ...
        putF32(b, 1050 + 4 * 7, 2.0f);
        putF32(b, 1114 + 4 * 7, 1.5f);
        AbfLayout l = layout(b, "nocond.abf");
        QCOMPARE(l.channels[1].gain, ref1.channels[1].gain);
        QCOMPARE(l.channels[1].offset, 0.0);
        put16(b, 1410, 1); // ... and applied with one (CyberAmp)
        l = layout(b, "cond.abf");
        QCOMPARE(l.channels[1].gain, ref1.channels[1].gain / 2);
        QCOMPARE(l.channels[1].offset, -1.5);
        QCOMPARE(l.channels[0].gain, ref1.channels[0].gain); // other ADCs keep their own factors

        b = abf1; // ABF 1.5: telegraph gain from the autosample fields, for the named ADC only
        putF32(b, 4, 1.5f);
        put16(b, 262, 1);
        put16(b, 264, 7);
        putF32(b, 268, 4.0f);
        l = layout(b, "autosample.abf");
        QCOMPARE(l.channels[1].gain, ref1.channels[1].gain / 4);
        QCOMPARE(l.channels[0].gain, ref1.channels[0].gain);
        put16(b, 264, 3);
        QCOMPARE(layout(b, "autosample_other.abf").channels[1].gain, ref1.channels[1].gain);

        b = abf2; // ABF2: nSignalType in the protocol section, gain/offset per ADC entry
        const std::size_t protocol = get32(b, 76) * 512, adc = get32(b, 92) * 512;
        const AbfLayout ref2 = layout(b, "ref2.abf");
        putF32(b, adc + 48, 5.0f);
        putF32(b, adc + 52, 0.25f);
        QCOMPARE(layout(b, "nocond2.abf").channels[0].gain, ref2.channels[0].gain);
        put16(b, protocol + 138, 1);
        l = layout(b, "cond2.abf");
        QVERIFY(rmmtest::near(l.channels[0].gain, ref2.channels[0].gain / 5, 0, 1e-12));
        QCOMPARE(l.channels[0].offset, -0.25);
    }

    // The StringsSection's uBytes is its total size and llNumEntries the number of strings (not
    // entries of uBytes each): a large string count must not be mistaken for a section size.
    void stringsCountIsNotASize()
    {
        RMM_REQUIRE_SHARED_DATA();
        auto bytes = readBytes(rmmtest::dataFile("abf/180415_aaron_temp.abf"));
        if (bytes.empty())
            QSKIP("180415_aaron_temp.abf not present");
        put64(bytes, 220 + 8, 1000000);
        const std::string p =
            writeBytes(rmmtest::scratchDir("abf_strings"), "strings.abf", bytes, bytes.size());
        auto r = openRecording(p);
        QCOMPARE(r->header().trials.front().channels[1].name, std::string("IN 1"));
        QCOMPARE(r->header().trials.front().channels[1].unit, std::string("deg C"));
    }

    // Event-driven variable-length mode: no fixture exists, so an episodic ABF1 file is relabelled
    // (nOperationMode = 1) and its synch array rewritten with unequal event lengths over the same
    // contiguous data. Each event must then hold exactly its slice of the original data stream.
    void variableLengthEvents()
    {
        RMM_REQUIRE_SHARED_DATA();
        const QString src = rmmtest::dataFile("abf/pclamp11_4ch_abf1.abf");
        auto bytes = readBytes(src);
        if (bytes.empty())
            QSKIP("pclamp11_4ch_abf1.abf not present");
        auto original = openRecording(src.toStdString());
        const std::size_t nch = original->header().trials.front().channels.size();
        std::vector<std::vector<double>> stream(nch); // all sweeps of each channel, concatenated
        for (std::size_t t = 0; t < original->header().trials.size(); ++t)
            for (std::size_t c = 0; c < nch; ++c) {
                auto v = original->readChannel(t, c);
                stream[c].insert(stream[c].end(), v.begin(), v.end());
            }
        const std::size_t synch = get32(bytes, 92) * 512;
        QCOMPARE(get32(bytes, 96), 10u);
        const std::int32_t lengths[] = {8000,  24000, 4,     15996, 16000,
                                        32000, 16000, 16000, 12000, 20000}; // sum 160000
        put16(bytes, 8, 1);
        for (std::size_t i = 0; i < 10; ++i) {
            put32(bytes, synch + 8 * i, static_cast<std::int32_t>(1000 * i));
            put32(bytes, synch + 8 * i + 4, lengths[i]);
        }
        const std::string p =
            writeBytes(rmmtest::scratchDir("abf_varlen"), "varlen.abf", bytes, bytes.size());
        auto r = openRecording(p);
        QCOMPARE(r->header().trials.size(), std::size_t(10));
        std::size_t first = 0;
        for (std::size_t t = 0; t < 10; ++t) {
            const std::size_t n = static_cast<std::size_t>(lengths[t]) / nch;
            QCOMPARE(r->header().trials[t].channels.front().samples, n);
            QVERIFY(rmmtest::near(r->header().trials[t].start_s, 1000.0 * t * 3.125e-6, 1e-12, 1e-9));
            for (std::size_t c = 0; c < nch; ++c) {
                auto v = r->readChannel(t, c);
                QCOMPARE(v, std::vector<double>(stream[c].begin() + static_cast<std::ptrdiff_t>(first),
                                                stream[c].begin() + static_cast<std::ptrdiff_t>(first + n)));
            }
            first += n;
        }
        // An event that is not a whole number of multiplexed frames, and events past the data end.
        put32(bytes, synch + 4, 8001);
        const std::string bad =
            writeBytes(rmmtest::scratchDir("abf_varlen_bad"), "odd.abf", bytes, bytes.size());
        QVERIFY(errorOf([&] { loadEverything(bad); }).contains("lLength"));
        put32(bytes, synch + 4, 80000);
        const std::string past =
            writeBytes(rmmtest::scratchDir("abf_varlen_past"), "past.abf", bytes, bytes.size());
        QVERIFY(errorOf([&] { loadEverything(past); }).contains("beyond"));
    }

    void readChannelOutOfRange()
    {
        RMM_REQUIRE_SHARED_DATA();
        const QString path = rmmtest::dataFile("abf/File_axon_3.abf");
        if (!QFile::exists(path))
            QSKIP("File_axon_3.abf not present");
        auto r = openRecording(path.toStdString());
        QVERIFY(errorOf([&] { r->readChannel(5, 0); }).contains("no sweep 6"));
        QVERIFY(errorOf([&] { r->readChannel(0, 2); }).contains("channel 2"));
    }
};

QTEST_GUILESS_MAIN(TestAbf)
#include "test_abf.moc"
