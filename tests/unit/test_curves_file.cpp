// SPDX-License-Identifier: GPL-3.0-or-later
// curves.csv (engine/run/curves_file.hpp): what the writer writes the reader reads back exactly
// (9 significant digits), columns go by name, files from before elapsed_seconds get it summed, and
// damaged files are errors naming the file, the line or the missing column.
#include "engine/core/error.hpp"
#include "engine/run/curves_file.hpp"

#include <QObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace rmm;

namespace {

std::string errorOf(const std::string& text)
{
    try {
        parseCurvesCsv(text, "runs/a/curves.csv");
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestCurvesFile : public QObject {
    Q_OBJECT
  private slots:
    void roundTrip()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        std::vector<EpochRecord> in(3);
        for (int k = 0; k < 3; ++k) {
            in[k].epoch = k;
            in[k].seconds = 0.1234567891 * (k + 1);
            in[k].elapsed = 10.5 + k;
            in[k].lr = k < 2 ? 0.01 : 0.005;
            in[k].train_loss = 1.0 / (k + 3);
            in[k].validation_metric = k == 1 ? nan : 0.25 * k;
        }
        const std::string text = curvesCsv(in);
        QVERIFY(text.rfind("epoch,seconds,elapsed_seconds,lr,train_loss,validation_metric\n", 0) == 0);
        QVERIFY2(text.find("\n1,0.246913578,11.5,0.01,0.25,\n") != std::string::npos, text.c_str());
        const std::vector<EpochRecord> out = parseCurvesCsv(text, "curves.csv");
        QCOMPARE(out.size(), in.size());
        for (std::size_t k = 0; k < in.size(); ++k) {
            QCOMPARE(out[k].epoch, in[k].epoch);
            QVERIFY(std::abs(out[k].seconds - in[k].seconds) <= 1e-9 * in[k].seconds);
            QCOMPARE(out[k].elapsed, in[k].elapsed);
            QCOMPARE(out[k].lr, in[k].lr);
            QVERIFY(std::abs(out[k].train_loss - in[k].train_loss) <= 1e-9 * in[k].train_loss);
            QCOMPARE(std::isnan(out[k].validation_metric), std::isnan(in[k].validation_metric));
        }
        QCOMPARE(out[2].validation_metric, 0.5);
    }

    void columnsByNameAndOldFiles()
    {
        // Reordered columns, an extra one, no elapsed_seconds (files of earlier versions), CRLF.
        const auto out = parseCurvesCsv("validation_metric,note,train_loss,epoch,seconds\r\n"
                                        ",x,5,0,1.5\r\n0.25,y,4,1,2\r\n\r\n",
                                        "old.csv");
        QCOMPARE(out.size(), std::size_t(2));
        QCOMPARE(out[1].epoch, 1);
        QCOMPARE(out[1].train_loss, 4.0);
        QCOMPARE(out[1].validation_metric, 0.25);
        QVERIFY(std::isnan(out[0].validation_metric));
        QVERIFY(std::isnan(out[0].lr));
        QCOMPARE(out[0].elapsed, 1.5); // summed from seconds
        QCOMPARE(out[1].elapsed, 3.5);
    }

    void damagedFilesNameFileAndLine()
    {
        std::string e =
            errorOf("epoch,seconds,lr,train_loss,validation_metric\n0,1,0.001,5,\n1,x,0.001,4,0.2\n");
        QVERIFY2(e.find("runs/a/curves.csv, line 3: not a row of numbers: 1,x,") != std::string::npos,
                 e.c_str());
        e = errorOf("time,loss\n1,2\n");
        QVERIFY2(e.find("runs/a/curves.csv: no column 'epoch'") != std::string::npos, e.c_str());
        e = errorOf("");
        QVERIFY2(e.find("runs/a/curves.csv: empty file") != std::string::npos, e.c_str());
        e = errorOf("epoch,train_loss,validation_metric\n1.5,2,0.1\n");
        QVERIFY2(e.find("line 2") != std::string::npos, e.c_str());
        e = errorOf("epoch,train_loss,validation_metric\n-1,2,0.1\n");
        QVERIFY2(e.find("line 2") != std::string::npos, e.c_str());
        QVERIFY_THROWS_EXCEPTION(Error, readCurvesCsv("/nonexistent/curves.csv"));
    }
};

QTEST_GUILESS_MAIN(TestCurvesFile)
#include "test_curves_file.moc"
