// SPDX-License-Identifier: GPL-3.0-or-later
// RTXI Data Recorder reader against the shared fixtures' .expected.json (h5py oracle), plus
// written files for the compound packet-table layout and bad input.
#include "common/errors.hpp"
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>

using namespace rmm;
using nlohmann::json;

namespace {

using rmmtest::errorOf;
using rmmtest::loadJson;

bool close(double a, double b)
{
    return rmmtest::near(a, b, 1e-9, 1e-12);
}

} // namespace

class TestRtxi : public QObject {
    Q_OBJECT

  private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("rtxi1-testGwaveform") << "rtxi/testGwaveform.h5";
        QTest::newRow("rtxi2.0-sampleDataFile") << "rtxi/sampleDataFile.h5";
        QTest::newRow("rtxi2.2-hmm_dec") << "rtxi/hmm_dec_test_vm1_bl30.h5";
        QTest::newRow("rtxi2.2-padded-hmm_gen") << "rtxi/hmm_gen_decode_rec1.h5";
    }

    void fixtures()
    {
        RMM_REQUIRE_SHARED_DATA();
        QFETCH(QString, file);
        const QString path = rmmtest::dataFile(file);
        const json expected = loadJson(path + ".expected.json");
        auto reader = openRecording(path.toStdString());
        const auto& h = reader->header();
        QCOMPARE(QString::fromStdString(h.format), QString("rtxi"));
        QCOMPARE(h.trials.size(), expected["trials"].size());
        const double firstStamp = expected["trials"][0]["Timestamp Start (ns)"].get<double>();
        std::map<std::string, std::vector<double>> lastRow; // parameter -> last [index, value]
        std::size_t expectedTags = 0;
        for (std::size_t ti = 0; ti < h.trials.size(); ++ti) {
            const json& et = expected["trials"][ti];
            const auto& t = h.trials[ti];
            QCOMPARE(t.name, et["trial"].get<std::string>());
            QVERIFY(close(t.start_s, (et["Timestamp Start (ns)"].get<double>() - firstStamp) * 1e-9));
            QCOMPARE(t.channels.size(), et["n_channels"].get<std::size_t>());
            for (std::size_t c = 0; c < t.channels.size(); ++c) {
                const json& ec = et["channels"][c];
                const auto& ci = t.channels[c];
                QCOMPARE(ci.name, ec["label"].get<std::string>());
                QCOMPARE(ci.unit, ec["unit_from_trailing_parentheses"].is_null()
                                      ? std::string()
                                      : ec["unit_from_trailing_parentheses"].get<std::string>());
                QCOMPARE(ci.rate_hz, et["sample_rate_hz"].get<double>());
                QCOMPARE(ci.samples, et["n_samples"].get<std::size_t>());
                const auto v = reader->readChannel(ti, c);
                QCOMPARE(v.size(), ci.samples);
                const std::size_t k = std::min<std::size_t>(10, v.size());
                for (std::size_t i = 0; i < k; ++i)
                    QVERIFY(close(v[i], ec["first10"][i].get<double>()));
                QVERIFY(close(v.back(), ec["last"].get<double>()));
                QVERIFY(close(*std::min_element(v.begin(), v.end()), ec["min"].get<double>()));
                QVERIFY(close(*std::max_element(v.begin(), v.end()), ec["max"].get<double>()));
                const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
                QVERIFY(rmmtest::near(mean, ec["mean"].get<double>(), 1e-9, 1e-9));
            }
            // Tags: a parameter row (or comment) is tagged when it differs from the previous trial's.
            if (et.contains("parameters"))
                for (const auto& [name, p] : et["parameters"].items()) {
                    if (p.contains("rows")) {
                        for (const auto& row : p["rows"]) {
                            auto r = row.get<std::vector<double>>();
                            if (lastRow[name] != std::vector<double>{r[1]})
                                ++expectedTags;
                            lastRow[name] = {r[1]};
                        }
                    } else if (lastRow.find(name) == lastRow.end()) {
                        ++expectedTags;
                        lastRow[name] = {};
                        bool found = false;
                        for (const auto& tag : h.tags)
                            found = found || tag.text == name + ": " + p["value"].get<std::string>();
                        QVERIFY2(found, name.c_str());
                    }
                }
        }
        QCOMPARE(h.tags.size(), expectedTags);
        Recording rec = readAll(*reader);
        QVERIFY(close(rec.dt_ms, 1000.0 / expected["trials"][0]["sample_rate_hz"].get<double>()));
    }

    // RTXI 1.x: trial 6 holds one sample and "Trial Length (ns)" is 0 everywhere.
    void trialLengthFromSamples()
    {
        RMM_REQUIRE_SHARED_DATA();
        auto reader = openRtxi(rmmtest::dataFile("rtxi/testGwaveform.h5").toStdString());
        const auto& h = reader->header();
        QCOMPARE(h.trials.size(), std::size_t(6));
        QCOMPARE(h.trials[5].channels[0].samples, std::size_t(1));
        QCOMPARE(h.trials[0].channels[0].samples, std::size_t(2000));
        bool gabaRev = false;
        for (const auto& tag : h.tags)
            gabaRev = gabaRev || (tag.text == "3 Dynamic Clamp : GABA Rev (mV) = -70" && tag.time_s == 0.0);
        QVERIFY(gabaRev);
    }

    // A compound packet table (one member per channel), "K: name (unit)" datasets, downsampling.
    void compoundPacketTable()
    {
        const std::string path = (rmmtest::scratchDir("rtxi_compound") + "/compound.h5").toStdString();
        const std::size_t n = 300;
        {
            auto f = h5::File::create(path);
            const std::string sync = "/Trial1/Synchronous Data";
            f.createGroup(sync);
            f.writeString(sync + "/1: Neuron : Vm (mV)", "1: Neuron : Vm (mV)");
            f.writeString(sync + "/2: Neuron : Iapp (nA)", "2: Neuron : Iapp (nA)");
            f.writeDoubles("/Trial1/Period (ns)", {50000.0});
            f.writeDoubles("/Trial1/Downsampling Rate", {2.0});
            std::lock_guard<h5::LibraryMutex> lock(h5::libraryMutex());
            struct Row {
                double a;
                float b;
            };
            std::vector<Row> rows(n);
            for (std::size_t i = 0; i < n; ++i)
                rows[i] = {-65.0 + 0.01 * static_cast<double>(i), static_cast<float>(i % 5) * 0.5f};
            hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(Row));
            H5Tinsert(t, "ch1", HOFFSET(Row, a), H5T_NATIVE_DOUBLE);
            H5Tinsert(t, "ch2", HOFFSET(Row, b), H5T_NATIVE_FLOAT);
            hsize_t dims = n;
            hid_t sp = H5Screate_simple(1, &dims, nullptr);
            hid_t ds = H5Dcreate2(f.id(), (sync + "/Channel Data").c_str(), t, sp, H5P_DEFAULT, H5P_DEFAULT,
                                  H5P_DEFAULT);
            H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data());
            H5Dclose(ds);
            H5Sclose(sp);
            H5Tclose(t);
        }
        auto reader = openRecording(path);
        const auto& h = reader->header();
        QCOMPARE(QString::fromStdString(h.format), QString("rtxi"));
        QCOMPARE(h.trials.size(), std::size_t(1));
        const auto& ch = h.trials[0].channels;
        QCOMPARE(ch.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(ch[0].name), QString("Neuron : Vm (mV)"));
        QCOMPARE(QString::fromStdString(ch[0].unit), QString("mV"));
        QCOMPARE(QString::fromStdString(ch[1].unit), QString("nA"));
        QCOMPARE(ch[0].rate_hz, 1e9 / (50000.0 * 2.0)); // 10 kHz
        const auto v = reader->readChannel(0, 0);
        const auto u = reader->readChannel(0, 1);
        QCOMPARE(v.size(), n);
        for (std::size_t i = 0; i < n; ++i) {
            QVERIFY(close(v[i], -65.0 + 0.01 * static_cast<double>(i)));
            QCOMPARE(u[i], static_cast<double>(i % 5) * 0.5);
        }
    }

    void missingPeriod()
    {
        const std::string path = (rmmtest::scratchDir("rtxi_bad") + "/noperiod.h5").toStdString();
        {
            auto f = h5::File::create(path);
            std::vector<double> m(20, 1.0);
            f.writeMatrix("/Trial1/Synchronous Data/Channel Data", m.data(), 10, 2);
        }
        const QString err = errorOf([&] { openRecording(path); });
        QVERIFY2(err.contains(QString::fromStdString(path)) && err.contains("Period (ns)"), qPrintable(err));
    }

    void truncatedCopy()
    {
        RMM_REQUIRE_SHARED_DATA();
        const std::string src = rmmtest::dataFile("rtxi/sampleDataFile.h5").toStdString();
        const std::string dst = (rmmtest::scratchDir("rtxi_trunc") + "/cut.h5").toStdString();
        std::ifstream in(src, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
        bytes.resize(bytes.size() * 3 / 4);
        std::ofstream(dst, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        const QString err = errorOf([&] { loadRecording(dst); });
        QVERIFY2(err.contains(QString::fromStdString(dst)), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestRtxi)
#include "test_rtxi.moc"
