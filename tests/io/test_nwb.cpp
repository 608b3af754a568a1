// SPDX-License-Identifier: GPL-3.0-or-later
// NWB reader against the shared fixtures' .expected.json (h5py oracle, see data/README.md).
#include "common/errors.hpp"
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>

using namespace rmm;
using nlohmann::json;

namespace {

using rmmtest::errorOf;
using rmmtest::loadJson;

std::string leaf(const std::string& p)
{
    return p.substr(p.find_last_of('/') + 1);
}

} // namespace

class TestNwb : public QObject {
    Q_OBJECT

  private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        // Units per README: MIES stores pA (conversion 1e-12 -> A) and mV (1e-3 -> V); the x-to-nwb
        // file stores mV and pA. We report the prefixed unit and values = SI / prefix.
        QTest::addColumn<QStringList>("units"); // "series name=unit=prefix" for every series
        QTest::newRow("mies-v2") << "nwb/valid_v2_MIES-NWBv2-0655f7e4.nwb"
                                 << QStringList{"data_00000_AD0=pA=1e-12", "data_00000_DA0=mV=1e-3"};
        QTest::newRow("x-to-nwb") << "nwb/2018_03_20_0005.nwb"
                                  << QStringList{"index_0=mV=1e-3", "index_0_stimulus=pA=1e-12"};
        QTest::newRow("nwb1") << "nwb/UntitledExperiment-2018_12_03_234957-compressed.nwb"
                              << QStringList{"data_00000_AD0=pA=1e-12", "data_00000_DA0=mV=1e-3"};
    }

    void fixtures()
    {
        RMM_REQUIRE_SHARED_DATA();
        QFETCH(QString, file);
        QFETCH(QStringList, units);
        const QString path = rmmtest::dataFile(file);
        const json expected = loadJson(path + ".expected.json");
        auto reader = openRecording(path.toStdString());
        const auto& h = reader->header();
        QCOMPARE(QString::fromStdString(h.format),
                 QString(expected["nwb_major"].get<int>() == 1 ? "nwb1" : "nwb2"));
        // All fixture series belong to sweep 0 (sweep_number attribute in NWB 2, name data_00000_* in NWB 1).
        QCOMPARE(h.trials.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(h.trials[0].name), QString("sweep_0"));
        QCOMPARE(h.trials[0].channels.size(), expected["series"].size());
        if (expected.contains("sweep_table"))
            for (const auto& row : expected["sweep_table"])
                QCOMPARE(row["sweep_number"].get<int>(), 0);

        std::map<std::string, std::pair<std::string, double>> unitOf;
        for (const auto& u : units) {
            auto parts = u.split('=');
            unitOf[parts[0].toStdString()] = {parts[1].toStdString(), parts[2].toDouble()};
        }
        double earliest = 1e300;
        std::vector<std::string> acquisition;
        for (const auto& s : expected["series"]) {
            const std::string path5 = s["path"];
            std::string name = leaf(path5);
            const bool stimulus = path5.rfind("/stimulus/", 0) == 0;
            if (!stimulus)
                acquisition.push_back(name);
            else if (std::find(acquisition.begin(), acquisition.end(), name) != acquisition.end())
                name += "_stimulus";
            auto ci = h.channelIndex(0, name);
            QVERIFY2(ci.has_value(), name.c_str());
            const auto& c = h.trials[0].channels[*ci];
            QVERIFY(unitOf.count(name));
            const auto [unit, prefix] = unitOf[name];
            QCOMPARE(c.unit, unit);
            QCOMPARE(c.rate_hz, s["rate_hz"].get<double>());
            QCOMPARE(c.samples, s["data_length"].get<std::size_t>());
            earliest = std::min(earliest, s["starting_time_sec"].get<double>());

            const auto v = reader->readChannel(0, *ci);
            QCOMPARE(v.size(), c.samples);
            auto close = [&](double ours, double si) { return rmmtest::near(ours, si / prefix, 1e-9, 1e-6); };
            for (std::size_t i = 0; i < 10; ++i)
                QVERIFY2(close(v[i], s["first10_si"][i].get<double>()), (name + " first10").c_str());
            const auto mid = s["middle_index"].get<std::size_t>();
            QVERIFY(close(v[mid], s["middle_si"].get<double>()));
            QVERIFY(close(v.back(), s["last_si"].get<double>()));
            QVERIFY(close(*std::min_element(v.begin(), v.end()), s["min_si"].get<double>()));
            QVERIFY(close(*std::max_element(v.begin(), v.end()), s["max_si"].get<double>()));
            const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
            QVERIFY2(close(mean, s["mean_si"].get<double>()), (name + " mean").c_str());
            if (s.contains("first_nonzero_index")) {
                auto nz = std::find_if(v.begin(), v.end(), [](double x) { return x != 0.0; });
                QCOMPARE(static_cast<long>(nz - v.begin()), s["first_nonzero_index"].get<long>());
            }
        }
        QVERIFY(rmmtest::near(h.trials[0].start_s, earliest, 1e-9));
        // readAll works: both channels of a sweep share one rate in these files.
        Recording rec = readAll(*reader);
        QVERIFY(rmmtest::near(rec.dt_ms, 1000.0 / expected["series"][0]["rate_hz"].get<double>(), 1e-12));
    }

    void truncatedCopies_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<double>("fraction");
        QTest::newRow("mies-half") << "nwb/valid_v2_MIES-NWBv2-0655f7e4.nwb" << 0.5;
        QTest::newRow("mies-99%") << "nwb/valid_v2_MIES-NWBv2-0655f7e4.nwb" << 0.99;
        QTest::newRow("nwb1-header") << "nwb/UntitledExperiment-2018_12_03_234957-compressed.nwb" << 0.001;
    }

    void truncatedCopies()
    {
        RMM_REQUIRE_SHARED_DATA();
        QFETCH(QString, file);
        QFETCH(double, fraction);
        const std::string src = rmmtest::dataFile(file).toStdString();
        const std::string dst = (rmmtest::scratchDir("nwb_trunc") + "/cut.nwb").toStdString();
        std::ifstream in(src, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
        bytes.resize(static_cast<std::size_t>(static_cast<double>(bytes.size()) * fraction));
        std::ofstream(dst, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        const QString err = errorOf([&] { loadRecording(dst); });
        QVERIFY2(!err.isEmpty(), "a truncated file must give an rmm::Error");
        QVERIFY2(err.contains(QString::fromStdString(dst)), qPrintable(err));
    }

    // A written NWB 2 file with two sweeps, mixed rates, a float32 conversion, an offset, spelled-out
    // unit names and an irregular series that must be skipped.
    void syntheticSweeps()
    {
        const std::string path = (rmmtest::scratchDir("nwb_synth") + "/sweeps.nwb").toStdString();
        {
            auto f = h5::File::create(path);
            f.setAttr("/", "nwb_version", std::string("2.5.0"));
            auto series = [&](const std::string& g, int sweep, double rate, std::size_t n,
                              const std::string& unit, float conversion, double offset) {
                std::vector<float> data(n);
                for (std::size_t i = 0; i < n; ++i)
                    data[i] = static_cast<float>(i % 17) - 8.0f;
                f.writeFloats(g + "/data", data);
                f.setAttr(g + "/data", "unit", unit);
                f.setAttr(g + "/data", "offset", offset);
                // conversion as float32, as MIES writes it
                std::lock_guard<h5::LibraryMutex> lock(h5::libraryMutex());
                hid_t ds = H5Dopen2(f.id(), (g + "/data").c_str(), H5P_DEFAULT);
                hid_t sp = H5Screate(H5S_SCALAR);
                hid_t a = H5Acreate2(ds, "conversion", H5T_IEEE_F32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
                H5Awrite(a, H5T_NATIVE_FLOAT, &conversion);
                H5Aclose(a);
                H5Sclose(sp);
                H5Dclose(ds);
                f.writeDoubles(g + "/starting_time", {10.0 * sweep});
                f.setAttr(g + "/starting_time", "rate", rate);
                f.setAttr(g, "sweep_number", static_cast<double>(sweep));
            };
            series("/acquisition/ccs_1", 1, 1000, 100, "volts", 1e-3f, -0.01);
            series("/acquisition/ccs_2", 2, 1000, 50, "volts", 1e-3f, 0.0);
            series("/stimulus/presentation/stim_1", 1, 500, 50, "amperes", 1e-12f, 0.0);
            f.writeFloats("/acquisition/irregular/data", {1, 2, 3});
            f.writeDoubles("/acquisition/irregular/timestamps", {0.0, 0.5, 2.0});
        }
        auto reader = openRecording(path);
        const auto& h = reader->header();
        QCOMPARE(h.trials.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(h.trials[0].name), QString("sweep_1"));
        QCOMPARE(QString::fromStdString(h.trials[1].name), QString("sweep_2"));
        QCOMPARE(h.trials[0].start_s, 10.0);
        QCOMPARE(h.trials[1].start_s, 20.0);
        QCOMPARE(h.trials[0].channels.size(), std::size_t(2));
        QCOMPARE(h.trials[1].channels.size(), std::size_t(1));
        const auto& v1 = h.trials[0].channels[0];
        const auto& i1 = h.trials[0].channels[1];
        QCOMPARE(QString::fromStdString(v1.name), QString("ccs_1"));
        QCOMPARE(QString::fromStdString(v1.unit), QString("mV"));
        QCOMPARE(v1.rate_hz, 1000.0);
        QCOMPARE(QString::fromStdString(i1.name), QString("stim_1"));
        QCOMPARE(QString::fromStdString(i1.unit), QString("pA"));
        QCOMPARE(i1.rate_hz, 500.0);
        QCOMPARE(i1.samples, std::size_t(50));
        const auto v = reader->readChannel(0, 0);
        const double conv = static_cast<double>(1e-3f); // the float32 value, as stored
        for (std::size_t i = 0; i < v.size(); ++i) {
            const double raw = static_cast<double>(i % 17) - 8.0;
            QVERIFY(rmmtest::near(v[i], (raw * conv - 0.01) / 1e-3, 1e-9));
        }
        const QString err = errorOf([&] { readAll(*reader); });
        QVERIFY2(err.contains("stim_1") && err.contains("500"), qPrintable(err));
    }

    void sniffers()
    {
        RMM_REQUIRE_SHARED_DATA();
        FileProbe p;
        p.path = rmmtest::dataFile("nwb/2018_03_20_0005.nwb").toStdString();
        p.hdf5 = true;
        QVERIFY(looksLikeNwb(p));
        QVERIFY(!looksLikeRtxi(p));
        p.path = rmmtest::dataFile("rtxi/testGwaveform.h5").toStdString();
        QVERIFY(!looksLikeNwb(p));
        // The NWB entry comes before the generic HDF5 one.
        const auto& formats = recordingFormats();
        auto pos = [&](const std::string& n) {
            return std::find_if(formats.begin(), formats.end(),
                                [&](const FormatEntry& f) { return f.name == n; }) -
                   formats.begin();
        };
        QVERIFY(pos("nwb") < pos("hdf5-generic"));
        QVERIFY(pos("rtxi") < pos("hdf5-generic"));
        QVERIFY(pos("mat73") < pos("hdf5-generic"));
    }
};

QTEST_GUILESS_MAIN(TestNwb)
#include "test_nwb.moc"
