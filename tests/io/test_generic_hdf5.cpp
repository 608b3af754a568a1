// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/errors.hpp"
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/recording/formats.hpp"
#include "engine/recording/units.hpp"

#include <QtTest>

#include <fstream>

using namespace rmm;
using rmmtest::errorOf;

class TestGenericHdf5 : public QObject {
    Q_OBJECT

    static Recording sample()
    {
        Recording r;
        r.format = "test";
        r.source = "memory";
        r.dt_ms = 0.1;
        for (int t = 0; t < 2; ++t) {
            Trial tr;
            tr.name = "trial" + std::to_string(t + 1);
            tr.start_s = 10.0 * t;
            Channel v{"v1", "mV", {}}, u{"u1", "pA", {}};
            for (int i = 0; i < 1500 + t; ++i) {
                v.samples.push_back(-60.0 + 0.001 * i + t);
                u.samples.push_back(i % 7 - 3.5);
            }
            tr.channels = {v, u};
            r.trials.push_back(tr);
        }
        return r;
    }

    static std::string path(const char* name)
    {
        return (rmmtest::scratchDir("generic_hdf5") + "/" + name).toStdString();
    }

  private slots:
    void roundTrip()
    {
        auto p = path("rt.h5");
        Recording in = sample();
        writeGenericHdf5(in, p);
        auto reader = openRecording(p);
        QCOMPARE(QString::fromStdString(reader->header().format), QString("hdf5-generic"));
        QCOMPARE(reader->header().trials.size(), std::size_t(2));
        QCOMPARE(reader->header().trials[1].channels[0].samples, std::size_t(1501));
        QCOMPARE(reader->header().trials[0].channels[1].rate_hz, 10000.0);
        Recording out = readAll(*reader);
        QCOMPARE(out.dt_ms, 0.1);
        for (std::size_t t = 0; t < 2; ++t) {
            QCOMPARE(out.trials[t].name, in.trials[t].name);
            QCOMPARE(out.trials[t].start_s, in.trials[t].start_s);
            for (std::size_t c = 0; c < 2; ++c) {
                QCOMPARE(out.trials[t].channels[c].name, in.trials[t].channels[c].name);
                QCOMPARE(out.trials[t].channels[c].unit, in.trials[t].channels[c].unit);
                QVERIFY(out.trials[t].channels[c].samples == in.trials[t].channels[c].samples);
            }
        }
    }

    void unitConversion()
    {
        QCOMPARE(engineUnitFor("pA").factor, 1e-3);
        QCOMPARE(engineUnitFor("V").factor, 1e3);
        QCOMPARE(engineUnitFor("uV").factor, 1e-3);
        QCOMPARE(engineUnitFor("\xC2\xB5V").factor, 1e-3);
        QCOMPARE(engineUnitFor("A").factor, 1e9);
        QCOMPARE(engineUnitFor("uA").factor, 1e3);
        QCOMPARE(engineUnitFor("nA").factor, 1.0);
        QCOMPARE(engineUnitFor("s").factor, 1e3);
        QVERIFY(!engineUnitFor("deg C").known);
        QVERIFY(!engineUnitFor("Mv").known); // mega-volt is not a thing we accept silently
        std::vector<std::string> unknown;
        Recording r = sample();
        r.trials[0].channels.push_back({"temp", "deg C", std::vector<double>(1500, 21.0)});
        r.trials[1].channels.push_back({"temp", "deg C", std::vector<double>(1501, 21.0)});
        Recording e = toEngineUnits(r, &unknown);
        QCOMPARE(e.trials[0].channels[1].unit, std::string("nA"));
        QCOMPARE(e.trials[0].channels[1].samples[0], r.trials[0].channels[1].samples[0] * 1e-3);
        QCOMPARE(e.trials[0].channels[2].unit, std::string("deg C"));
        QCOMPARE(unknown, std::vector<std::string>{"temp"});
    }

    void rateFromGroupOrRoot()
    {
        auto p = path("rates.h5");
        {
            auto f = h5::File::create(p);
            f.setAttr("/", "sampling_rate_hz", 20000.0);
            f.writeDoubles("/a/x", {1, 2, 3});
            f.writeDoubles("/b/x", {1, 2});
            f.setAttr("/b", "dt_ms", 1.0);
            f.setAttr("/a/x", "units", std::string("mV"));
        }
        auto r = openRecording(p);
        QCOMPARE(r->header().trials[0].channels[0].rate_hz, 20000.0);
        QCOMPARE(r->header().trials[0].channels[0].unit, std::string("mV"));
        QCOMPARE(r->header().trials[1].channels[0].rate_hz, 1000.0);
        // Mixed rates cannot form one Recording: a clear message naming the channel.
        QString msg = errorOf([&] { readAll(*r); });
        QVERIFY2(msg.contains("'x'") && msg.contains("Hz"), qPrintable(msg));
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expect");
        QTest::newRow("missing") << "missing"
                                 << "no such file";
        QTest::newRow("not hdf5") << "text"
                                  << "not a recording format";
        QTest::newRow("2-D dataset") << "2d"
                                     << "/t/m: a channel must be a 1-D dataset";
        QTest::newRow("unequal") << "unequal"
                                 << "/t/b: has 2 samples";
        QTest::newRow("no rate") << "norate"
                                 << "no sampling interval";
        QTest::newRow("negative dt") << "negdt"
                                     << "not a positive sampling interval";
        QTest::newRow("truncated") << "truncated"
                                   << "corrupt or truncated";
        QTest::newRow("empty") << "empty"
                               << "file is empty";
    }

    void badInput()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expect);
        auto p = path((kind + ".h5").toUtf8().constData());
        if (kind == "text") {
            std::ofstream(p) << "time,v\n0,1\n";
        } else if (kind == "empty") {
            std::ofstream(p).flush();
        } else if (kind == "2d") {
            auto f = h5::File::create(p);
            double m[4] = {1, 2, 3, 4};
            f.writeMatrix("/t/m", m, 2, 2);
            f.setAttr("/", "dt_ms", 0.1);
        } else if (kind == "unequal") {
            auto f = h5::File::create(p);
            f.writeDoubles("/t/a", {1, 2, 3});
            f.writeDoubles("/t/b", {1, 2});
            f.setAttr("/", "dt_ms", 0.1);
        } else if (kind == "norate") {
            auto f = h5::File::create(p);
            f.writeDoubles("/t/a", {1, 2, 3});
        } else if (kind == "negdt") {
            auto f = h5::File::create(p);
            f.writeDoubles("/t/a", {1, 2, 3});
            f.setAttr("/t", "dt_ms", -0.1);
        } else if (kind == "truncated") {
            auto good = path("good-for-truncation.h5");
            writeGenericHdf5(sample(), good);
            std::ifstream in(good, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            std::ofstream(p, std::ios::binary) << bytes.substr(0, bytes.size() / 3);
        }
        QString msg = errorOf([&] { loadRecording(p); });
        QVERIFY2(!msg.isEmpty(), "expected an error");
        QVERIFY2(msg.contains(QString::fromStdString(p)) || kind == "missing", qPrintable(msg));
        QVERIFY2(msg.contains(expect), qPrintable(msg));
    }

    void atomicWriteKeepsOldFileOnFailure()
    {
        auto p = path("keep.h5");
        writeGenericHdf5(sample(), p);
        Recording bad = sample();
        bad.dt_ms = 0; // invalid: refused before anything is written
        QVERIFY(!errorOf([&] { writeGenericHdf5(bad, p); }).isEmpty());
        QCOMPARE(loadRecording(p).trials.size(), std::size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestGenericHdf5)
#include "test_generic_hdf5.moc"
