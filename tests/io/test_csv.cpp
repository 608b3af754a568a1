// SPDX-License-Identifier: GPL-3.0-or-later
// CSV / TSV reader over files the test writes: time columns in s and ms, rate comments, the
// caller's rate, delimiters, quoting, CRLF, and every kind of bad input.
#include "common/errors.hpp"
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/recording/formats.hpp"

#include <QtTest>

#include <cmath>
#include <fstream>
#include <sstream>

using namespace rmm;

namespace {

using rmmtest::errorOf;

std::string writeFile(const QString& dir, const std::string& name, const std::string& text)
{
    const std::string path = (dir + "/").toStdString() + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// v(i) = -65 + 10 sin(2 pi i / 50), i(i) = 0.1 i: values written with 10 significant digits.
double vAt(std::size_t i)
{
    return -65.0 + 10.0 * std::sin(2.0 * M_PI * static_cast<double>(i) / 50.0);
}
double iAt(std::size_t i)
{
    return 0.1 * static_cast<double>(i);
}

std::string table(std::size_t n, const std::string& header, char delim, double dt, double t0, bool withTime,
                  const std::string& eol = "\n")
{
    std::ostringstream os;
    os.precision(10);
    os << header << eol;
    for (std::size_t k = 0; k < n; ++k) {
        if (withTime)
            os << t0 + dt * static_cast<double>(k) << delim;
        os << vAt(k) << delim << iAt(k) << eol;
    }
    return os.str();
}

} // namespace

class TestCsv : public QObject {
    Q_OBJECT

  private slots:
    void good_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("givenRate");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("start");
        QTest::addColumn<QString>("vUnit");
        const std::size_t n = 400;
        QTest::newRow("time-ms") << "a.csv"
                                 << QString::fromStdString(
                                        table(n, "time [ms],v [mV],i [nA]", ',', 0.1, 0, true))
                                 << 0.0 << 10000.0 << 0.0 << "mV";
        QTest::newRow("time-s-offset")
            << "b.csv" << QString::fromStdString(table(n, "t [s],v [mV],i [nA]", ',', 0.0005, 2.5, true))
            << 0.0 << 2000.0 << 2.5 << "mV";
        QTest::newRow("tsv-crlf") << "c.tsv"
                                  << QString::fromStdString(
                                         table(n, "Time [ms]\tv [mV]\ti [nA]", '\t', 0.05, 0, true, "\r\n"))
                                  << 0.0 << 20000.0 << 0.0 << "mV";
        QTest::newRow("comment-rate") << "d.csv"
                                      << QString::fromStdString("# recorded by hand\n# rate_hz = 5000\n" +
                                                                table(n, "v [mV],i [nA]", ',', 0, 0, false))
                                      << 0.0 << 5000.0 << 0.0 << "mV";
        QTest::newRow("given-rate") << "e.txt"
                                    << QString::fromStdString(table(n, "v,i [nA]", ',', 0, 0, false)) << 250.0
                                    << 250.0 << 0.0 << "";
        QTest::newRow("semicolon-quoted")
            << "f.csv"
            << QString::fromStdString(table(n, "\"time [ms]\";\"v [mV]\";\"i [nA]\"", ';', 1.0, 0, true))
            << 0.0 << 1000.0 << 0.0 << "mV";
    }

    void good()
    {
        QFETCH(QString, name);
        QFETCH(QString, text);
        QFETCH(double, givenRate);
        QFETCH(double, rate);
        QFETCH(double, start);
        QFETCH(QString, vUnit);
        const auto path = writeFile(rmmtest::scratchDir("csv_good"), name.toStdString(), text.toStdString());
        RecordingOpenOptions opt;
        opt.rate_hz = givenRate;
        auto reader = openRecording(path, opt);
        const auto& h = reader->header();
        QCOMPARE(QString::fromStdString(h.format), QString("csv"));
        QCOMPARE(h.trials.size(), std::size_t(1));
        QCOMPARE(h.trials[0].channels.size(), std::size_t(2));
        const auto& v = h.trials[0].channels[0];
        const auto& i = h.trials[0].channels[1];
        QCOMPARE(QString::fromStdString(v.name), QString("v"));
        QCOMPARE(QString::fromStdString(v.unit), vUnit);
        QCOMPARE(QString::fromStdString(i.name), QString("i"));
        QCOMPARE(QString::fromStdString(i.unit), QString("nA"));
        QVERIFY2(rmmtest::near(v.rate_hz, rate, 0, 1e-9), qPrintable(QString::number(v.rate_hz)));
        QCOMPARE(v.samples, std::size_t(400));
        QVERIFY(rmmtest::near(h.trials[0].start_s, start, 1e-12));
        const auto vs = reader->readChannel(0, 0);
        const auto is = reader->readChannel(0, 1);
        for (std::size_t k = 0; k < vs.size(); ++k) {
            QVERIFY(rmmtest::near(vs[k], vAt(k), 1e-7));
            QVERIFY(rmmtest::near(is[k], iAt(k), 1e-9));
        }
    }

    void bad_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("mustContain");
        QTest::newRow("text-cell") << "time [ms],v [mV]\n0,1\n0.1,abc\n0.2,3\n"
                                   << QStringList{"line 3", "column 2", "'v'", "abc"};
        QTest::newRow("nan-cell") << "# rate_hz = 1000\nv [mV],i [nA]\n1,2\n3,NaN\n"
                                  << QStringList{"line 4", "column 2", "'i'", "NaN"};
        QTest::newRow("inf-cell") << "# rate_hz = 1000\nv [mV]\n1\ninf\n"
                                  << QStringList{"line 4", "column 1"};
        QTest::newRow("empty-cell") << "time [ms],v [mV]\n0,1\n0.1,\n"
                                    << QStringList{"line 3", "column 2", "empty"};
        QTest::newRow("short-row") << "time [ms],v [mV],i [nA]\n0,1,2\n0.1,1\n"
                                   << QStringList{"line 3", "2 fields", "3"};
        QTest::newRow("uneven-time") << "time [ms],v [mV]\n0,1\n0.1,1\n0.2,1\n0.35,1\n0.4,1\n"
                                     << QStringList{"line 5", "uniformly"};
        QTest::newRow("time-backwards") << "time [ms],v [mV]\n0,1\n-0.1,1\n"
                                        << QStringList{"line 3", "increase"};
        QTest::newRow("no-rate") << "v [mV],i [nA]\n1,2\n3,4\n" << QStringList{"sampling rate", "rate_hz"};
        QTest::newRow("bad-rate-comment") << "# rate_hz = fast\nv [mV]\n1\n2\n"
                                          << QStringList{"line 1", "fast"};
        QTest::newRow("duplicate-name") << "# rate_hz = 10\nv,v\n1,2\n" << QStringList{"line 2", "twice"};
        QTest::newRow("no-data") << "# rate_hz = 10\nv [mV]\n" << QStringList{"no data rows"};
        QTest::newRow("only-time") << "time [ms]\n0\n1\n" << QStringList{"line 1", "no data column"};
        QTest::newRow("bad-time-unit") << "time [min],v\n0,1\n" << QStringList{"line 1", "min"};
    }

    void bad()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, mustContain);
        const auto path = writeFile(rmmtest::scratchDir("csv_bad"), "bad.csv", text.toStdString());
        const QString err = errorOf([&] { loadRecording(path); });
        QVERIFY2(err.startsWith(QString::fromStdString(path) + ":"), qPrintable(err));
        for (const auto& s : mustContain)
            QVERIFY2(err.contains(s), qPrintable(err + "  (expected: " + s + ")"));
    }

    void sniffing()
    {
        FileProbe p;
        p.extension = "csv";
        const std::string text = "v,i\n1,2\n";
        p.head.assign(text.begin(), text.end());
        QVERIFY(looksLikeCsv(p));
        p.extension = "dat";
        QVERIFY(!looksLikeCsv(p));
        p.extension = "txt";
        p.head.push_back(0);
        QVERIFY(!looksLikeCsv(p)); // binary
    }
};

QTEST_GUILESS_MAIN(TestCsv)
#include "test_csv.moc"
