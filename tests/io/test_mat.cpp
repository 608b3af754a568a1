// SPDX-License-Identifier: GPL-3.0-or-later
// MATLAB reader: the shared fixtures against their .expected.json (scipy / h5py oracles), written
// v5 (libmatio) and v7.3 (HDF5 + user block) files, and bad input.
#include "common/errors.hpp"
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"

#include <QtTest>

#include <matio.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>

using namespace rmm;
using nlohmann::json;

namespace {

using rmmtest::errorOf;
using rmmtest::loadJson;

bool close(double a, double b)
{
    return rmmtest::near(a, b, 1e-12, 1e-12);
}

// Compares a channel with the oracle's statistics block (first10, last, min, max, mean).
void checkStats(const std::vector<double>& v, const json& s, const std::string& name)
{
    for (std::size_t i = 0; i < 10; ++i)
        QVERIFY2(close(v[i], s["first10"][i].get<double>()), name.c_str());
    QVERIFY2(close(v.back(), s["last"].get<double>()), name.c_str());
    QVERIFY(close(*std::min_element(v.begin(), v.end()), s["min"].get<double>()));
    QVERIFY(close(*std::max_element(v.begin(), v.end()), s["max"].get<double>()));
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    QVERIFY2(rmmtest::near(mean, s["mean"].get<double>(), 1e-9, 1e-9), name.c_str());
}

void writeVar(mat_t* m, const char* name, matio_classes cls, matio_types type, std::size_t d0, std::size_t d1,
              void* data, bool compress)
{
    size_t dims[2] = {d0, d1};
    matvar_t* v = Mat_VarCreate(name, cls, type, 2, dims, data, 0);
    QVERIFY(v);
    QCOMPARE(Mat_VarWrite(m, v, compress ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE), 0);
    Mat_VarFree(v);
}

} // namespace

class TestMat : public QObject {
    Q_OBJECT

  private slots:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<double>("givenRate"); // RecordingOpenOptions::rate_hz
        QTest::addColumn<double>("rate");      // expected
        // No rate in the file; Pandora's tutorial gives dt = 1e-4 s (README).
        QTest::newRow("v5-uncompressed") << "mat/supp_mat_1_dat.mat" << 10000.0 << 10000.0;
        // Pars.sampleRate = 20000 (uint16) wins over the caller's value.
        QTest::newRow("v5-compressed") << "mat/experiment001trial001_current_steps.mat" << 0.0 << 20000.0;
        QTest::newRow("v5-compressed-given")
            << "mat/experiment001trial001_current_steps.mat" << 5.0 << 20000.0;
    }

    void fixtures()
    {
        RMM_REQUIRE_SHARED_DATA();
        QFETCH(QString, file);
        QFETCH(double, givenRate);
        QFETCH(double, rate);
        const QString path = rmmtest::dataFile(file);
        const json expected = loadJson(path + ".expected.json");
        RecordingOpenOptions opt;
        opt.rate_hz = givenRate;
        auto reader = openRecording(path.toStdString(), opt);
        const auto& h = reader->header();
        QCOMPARE(QString::fromStdString(h.format), QString("mat5"));
        QCOMPARE(h.trials.size(), std::size_t(1));
        std::size_t channels = 0;
        for (const auto& var : expected["variables"]) {
            const std::string name = var["name"];
            if (name.rfind("__", 0) == 0 || var["matlab_class"] != "double")
                continue; // __function_workspace__ and the struct Pars are skipped
            const auto dims = var["matlab_dims"].get<std::vector<std::size_t>>();
            if (var.contains("vector")) {
                auto ci = h.channelIndex(0, name);
                QVERIFY2(ci.has_value(), name.c_str());
                QCOMPARE(h.trials[0].channels[*ci].samples, dims[0] * dims[1]);
                QCOMPARE(h.trials[0].channels[*ci].rate_hz, rate);
                checkStats(reader->readChannel(0, *ci), var["vector"], name);
                ++channels;
            } else {
                for (const auto& col : var["columns"]) {
                    const auto k = col["column_index_0based"].get<std::size_t>();
                    const std::string cname = name + "[" + std::to_string(k + 1) + "]";
                    auto ci = h.channelIndex(0, cname);
                    QVERIFY2(ci.has_value(), cname.c_str());
                    QCOMPARE(h.trials[0].channels[*ci].samples, dims[0]);
                    QCOMPARE(h.trials[0].channels[*ci].rate_hz, rate);
                    checkStats(reader->readChannel(0, *ci), col, cname);
                    ++channels;
                }
            }
        }
        QCOMPARE(h.trials[0].channels.size(), channels);
        QVERIFY(channels > 0);
    }

    void noRateIsAnError()
    {
        RMM_REQUIRE_SHARED_DATA();
        const std::string path = rmmtest::dataFile("mat/supp_mat_1_dat.mat").toStdString();
        const QString err = errorOf([&] { openRecording(path); });
        QVERIFY2(err.contains(QString::fromStdString(path)) && err.contains("sampling rate"),
                 qPrintable(err));
    }

    // The CellExplorer v7.3 file holds one struct of metrics, no trace: a clear error, not channels.
    void cellMetricsHasNoTrace()
    {
        RMM_REQUIRE_SHARED_DATA();
        const QString path = rmmtest::dataFile("mat/d533101.cell_metrics.cellinfo.mat");
        const json expected = loadJson(path + ".expected.json");
        // Oracle: every top-level variable is a struct group (no numeric dataset at the top level).
        for (const auto& [name, v] : expected["variables"].items())
            QCOMPARE(v["h5_kind"].get<std::string>(), std::string("group"));
        FileProbe probe;
        probe.path = path.toStdString();
        probe.hdf5 = true;
        std::ifstream in(probe.path, std::ios::binary);
        probe.head.resize(128);
        in.read(reinterpret_cast<char*>(probe.head.data()), 128);
        QVERIFY(looksLikeMat73(probe));
        QVERIFY(!looksLikeNwb(probe));
        QVERIFY(!looksLikeRtxi(probe));
        const QString err = errorOf([&] { openRecording(probe.path, RecordingOpenOptions{1000.0}); });
        QVERIFY2(err.contains(path) && err.contains("no time series found") && err.contains("cell_metrics"),
                 qPrintable(err));
    }

    void writtenV5_data()
    {
        QTest::addColumn<bool>("compress");
        QTest::addColumn<bool>("rateFirst");
        QTest::newRow("v6-style") << false << false;
        QTest::newRow("v7-zlib") << true << false;
        QTest::newRow("v7-zlib-rate-first") << true << true;
    }

    // Vectors of two lengths, a matrix, a rate scalar, and variables that must be skipped.
    void writtenV5()
    {
        QFETCH(bool, compress);
        QFETCH(bool, rateFirst);
        const std::string path = (rmmtest::scratchDir("mat_v5") + "/written.mat").toStdString();
        {
            mat_t* m = Mat_CreateVer(path.c_str(), nullptr, MAT_FT_MAT5);
            QVERIFY(m);
            double fs = 2500;
            if (rateFirst)
                writeVar(m, "Fs", MAT_C_DOUBLE, MAT_T_DOUBLE, 1, 1, &fs, compress);
            std::vector<int16_t> trace(200);
            for (std::size_t i = 0; i < trace.size(); ++i)
                trace[i] = static_cast<int16_t>(static_cast<int>(i) - 100);
            writeVar(m, "trace", MAT_C_INT16, MAT_T_INT16, 1, 200, trace.data(), compress);
            std::vector<double> mat(100 * 3);
            for (std::size_t c = 0; c < 3; ++c)
                for (std::size_t r = 0; r < 100; ++r)
                    mat[c * 100 + r] = 10.0 * static_cast<double>(c) + 0.5 * static_cast<double>(r);
            writeVar(m, "sweeps", MAT_C_DOUBLE, MAT_T_DOUBLE, 100, 3, mat.data(), compress);
            if (!rateFirst)
                writeVar(m, "Fs", MAT_C_DOUBLE, MAT_T_DOUBLE, 1, 1, &fs, compress);
            char text[] = "hello";
            writeVar(m, "note", MAT_C_CHAR, MAT_T_UINT8, 1, 5, text, compress);
            Mat_Close(m);
        }
        auto reader = openRecording(path);
        const auto& h = reader->header();
        QCOMPARE(QString::fromStdString(h.format), QString("mat5"));
        // Lengths 100 and 200: two trials, named by length, in increasing order.
        QCOMPARE(h.trials.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(h.trials[0].name), QString("n100"));
        QCOMPARE(QString::fromStdString(h.trials[1].name), QString("n200"));
        QCOMPARE(h.trials[0].channels.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(h.trials[0].channels[2].name), QString("sweeps[3]"));
        QCOMPARE(QString::fromStdString(h.trials[1].channels[0].name), QString("trace"));
        QCOMPARE(h.trials[1].channels[0].rate_hz, 2500.0);
        const auto col = reader->readChannel(0, 2);
        for (std::size_t r = 0; r < 100; ++r)
            QCOMPARE(col[r], 20.0 + 0.5 * static_cast<double>(r));
        const auto t = reader->readChannel(1, 0);
        QCOMPARE(t.front(), -100.0);
        QCOMPARE(t.back(), 99.0);
    }

    void nanSampleIsAnError()
    {
        const std::string path = (rmmtest::scratchDir("mat_nan") + "/nan.mat").toStdString();
        {
            mat_t* m = Mat_CreateVer(path.c_str(), nullptr, MAT_FT_MAT5);
            QVERIFY(m);
            std::vector<double> v(50, 1.0);
            v[17] = std::nan("");
            writeVar(m, "vm", MAT_C_DOUBLE, MAT_T_DOUBLE, 50, 1, v.data(), true);
            Mat_Close(m);
        }
        const QString err = errorOf([&] { loadRecording(path); });
        QVERIFY2(err.contains(QString::fromStdString(path)) && err.contains("sampling rate"),
                 qPrintable(err));
        auto reader = openRecording(path, RecordingOpenOptions{100.0});
        const QString err2 = errorOf([&] { reader->readChannel(0, 0); });
        QVERIFY2(err2.contains("'vm'") && err2.contains("sample 18"), qPrintable(err2));
    }

    // v7.3: HDF5 with a 512-byte user block; MATLAB dims are the HDF5 dims reversed.
    void writtenV73()
    {
        const std::string path = (rmmtest::scratchDir("mat_v73") + "/written73.mat").toStdString();
        {
            std::lock_guard<h5::LibraryMutex> lock(h5::libraryMutex());
            hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
            H5Pset_userblock(fcpl, 512);
            hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
            auto dataset = [&](const char* p, hsize_t d0, hsize_t d1, const std::vector<double>& v,
                               const char* cls) {
                hsize_t dims[2] = {d0, d1};
                hid_t sp = H5Screate_simple(2, dims, nullptr);
                hid_t ds = H5Dcreate2(f, p, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
                H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
                hid_t st = H5Tcopy(H5T_C_S1);
                H5Tset_size(st, std::strlen(cls));
                hid_t as = H5Screate(H5S_SCALAR);
                hid_t a = H5Acreate2(ds, "MATLAB_class", st, as, H5P_DEFAULT, H5P_DEFAULT);
                H5Awrite(a, st, cls);
                H5Aclose(a);
                H5Sclose(as);
                H5Tclose(st);
                H5Dclose(ds);
                H5Sclose(sp);
            };
            std::vector<double> m(3 * 100), vec(100), one{4000.0}, chars{104, 105};
            for (std::size_t c = 0; c < 3; ++c)
                for (std::size_t r = 0; r < 100; ++r)
                    m[c * 100 + r] = static_cast<double>(c) * 1000.0 + static_cast<double>(r);
            for (std::size_t r = 0; r < 100; ++r)
                vec[r] = -static_cast<double>(r);
            dataset("/currents", 3, 100, m, "double"); // MATLAB 100 x 3
            dataset("/vm", 1, 100, vec, "double");     // MATLAB 100 x 1
            dataset("/label", 2, 1, chars, "char");    // skipped
            hid_t g = H5Gcreate2(f, "/Pars", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            H5Gclose(g);
            dataset("/Pars/sampleRate", 1, 1, one, "double");
            H5Fclose(f);
            H5Pclose(fcpl);
        }
        {
            std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
            const char text[] = "MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: test HDF5 schema 1.00 .";
            io.write(text, sizeof text - 1);
        }
        auto reader = openRecording(path);
        const auto& h = reader->header();
        QCOMPARE(QString::fromStdString(h.format), QString("mat73"));
        QCOMPARE(h.trials.size(), std::size_t(1));
        const auto& ch = h.trials[0].channels;
        QCOMPARE(ch.size(), std::size_t(4));
        QCOMPARE(QString::fromStdString(ch[0].name), QString("currents[1]"));
        QCOMPARE(QString::fromStdString(ch[3].name), QString("vm"));
        QCOMPARE(ch[0].samples, std::size_t(100));
        QCOMPARE(ch[0].rate_hz, 4000.0);
        const auto c2 = reader->readChannel(0, 1);
        QCOMPARE(c2[0], 1000.0);
        QCOMPARE(c2[99], 1099.0);
        QCOMPARE(reader->readChannel(0, 3)[5], -5.0);
    }

    void truncatedCopies_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<double>("fraction");
        QTest::newRow("v5-header") << "mat/supp_mat_1_dat.mat" << 0.0002;
        QTest::newRow("v5-half") << "mat/supp_mat_1_dat.mat" << 0.5;
        QTest::newRow("v5-last-byte") << "mat/supp_mat_1_dat.mat" << 0.99999;
        QTest::newRow("v7-half") << "mat/experiment001trial001_current_steps.mat" << 0.5;
        QTest::newRow("v7-99%") << "mat/experiment001trial001_current_steps.mat" << 0.99;
        QTest::newRow("v73-half") << "mat/d533101.cell_metrics.cellinfo.mat" << 0.5;
    }

    void truncatedCopies()
    {
        RMM_REQUIRE_SHARED_DATA();
        QFETCH(QString, file);
        QFETCH(double, fraction);
        const std::string src = rmmtest::dataFile(file).toStdString();
        const std::string dst = (rmmtest::scratchDir("mat_trunc") + "/cut.mat").toStdString();
        std::ifstream in(src, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
        bytes.resize(static_cast<std::size_t>(static_cast<double>(bytes.size()) * fraction));
        std::ofstream(dst, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        const QString err = errorOf([&] { loadRecording(dst); });
        QVERIFY2(err.contains(QString::fromStdString(dst)), qPrintable(err));
    }

    // Flipped bytes inside a zlib-compressed variable: caught by the stream checksum.
    void corruptCompressedVariable()
    {
        RMM_REQUIRE_SHARED_DATA();
        const std::string src =
            rmmtest::dataFile("mat/experiment001trial001_current_steps.mat").toStdString();
        const std::string dst = (rmmtest::scratchDir("mat_corrupt") + "/flip.mat").toStdString();
        std::ifstream in(src, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
        for (std::size_t i = 300000; i < 300400; ++i)
            bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
        std::ofstream(dst, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        const QString err = errorOf([&] { loadRecording(dst); });
        QVERIFY2(err.contains(QString::fromStdString(dst)) && err.contains("corrupt"), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestMat)
#include "test_mat.moc"
