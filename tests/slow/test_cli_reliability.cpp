// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 16 through the built `rmm` binary, on small CSV recordings written here:
// - `rmm train` with a learning rate far too large exits 3, report.json's stop_reason says
//   "diverged", and the saved model is sane;
// - `rmm config --check-data` reports implausible data (mV values labelled V, one absurd sample,
//   an absurd sampling interval) before any training, as `rmm train` does;
// - `rmm simulate` refuses a model whose free run turns non-finite, naming sample and neuron.
#include "common/fixtures.hpp"
#include "common/rmm_process.hpp"
#include "common/synthetic_circuit.hpp"
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/store/model_file.hpp"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QObject>
#include <QTest>

#include <cmath>
#include <fstream>
#include <sstream>

using nlohmann::json;
using rmmtest::runRmm;

namespace {

constexpr long kSamples = 6000;

/// time [ms], v1 [vUnit], u1 [nA]: -55 mV +- 8 with spikes, scaled by vScale; dt in ms.
void writeCsv(const QString& path, const std::string& vUnit, double vScale, double dt = 0.1,
              long glitchAt = -1)
{
    std::ofstream f(path.toStdString());
    f.precision(10);
    f << "time [ms],v1 [" << vUnit << "],u1 [nA]\n";
    for (long k = 0; k < kSamples; ++k) {
        const double t = static_cast<double>(k) * 0.1;
        double v = -55 + 8 * std::sin(2 * M_PI * t / 300) +
                   30 * std::pow(std::max(0.0, std::sin(2 * M_PI * t / 40)), 40);
        if (k == glitchAt)
            v = 1e30;
        f << static_cast<double>(k) * dt << "," << v * vScale << "," << 0.2 * std::sin(2 * M_PI * t / 77)
          << "\n";
    }
}

json config(double lr)
{
    json j =
        json::parse(R"({"data": {"file": "rec.csv", "neurons": [{"v": "v1", "u": "u1"}], "prefilter": false},
        "model": {"intrinsic_hidden": [5, 4], "intrinsic_taus_ms": [0.3, 1.5, 4.0]},
        "training": {"method": "tf", "epochs": 5, "batches": 4, "seed": 1, "threads": 1,
                     "validation": {"kernel_half_width": 300}}})");
    j["training"]["lr"] = lr;
    return j;
}

void writeJson(const QString& path, const json& j)
{
    std::ofstream f(path.toStdString());
    f << j.dump(2);
}

} // namespace

class TestCliReliability : public QObject {
    Q_OBJECT
  private:
    QString dir_;

  private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(rmmtest::kRmm), qPrintable("build the rmm binary first: " + rmmtest::kRmm));
        dir_ = rmmtest::scratchDir("cli_reliability");
    }

    void nonUtf8NamesArePrintedEscaped()
    {
        // A unit holding a byte that is not UTF-8 (Latin-1 "µ" as some acquisition programs
        // write it): inspect --json and config print it escaped instead of failing in the JSON library.
        writeCsv(dir_ + "/latin1.csv",
                 "\xb5"
                 "A",
                 1.0);
        const auto r = runRmm({"inspect", "--json", dir_ + "/latin1.csv"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("\\xb5A")), qPrintable(r.out));
        QVERIFY(!r.err.contains(QStringLiteral("type_error")));
    }

    void divergedTrainingExits3()
    {
        writeCsv(dir_ + "/rec.csv", "mV", 1.0);
        writeJson(dir_ + "/exp.json", config(1e30));
        const auto r = runRmm({"train", "--config", dir_ + "/exp.json", "--out", dir_ + "/out"});
        QVERIFY2(r.code == 3, qPrintable(QString::number(r.code) + r.out + r.err));
        QVERIFY2(r.err.contains("diverged: "), qPrintable(r.err));
        const json report = rmmtest::readJson(dir_ + "/out/report.json");
        const std::string reason = report["stop_reason"].get<std::string>();
        QVERIFY2(reason.rfind("diverged: ", 0) == 0, reason.c_str());
        QVERIFY2(reason.find("training.lr = 0.001") != std::string::npos, reason.c_str());
        // The saved model is the sane initial one: every parameter within the bound.
        const rmm::ModelFile mf = rmm::loadModel((dir_ + "/out/model.h5").toStdString());
        for (double x : mf.model.flatParameters())
            QVERIFY(std::isfinite(x) && std::abs(x) <= 1e4);
        // The same config at a normal rate completes.
        writeJson(dir_ + "/ok.json", config(1e-3));
        const auto ok = runRmm({"train", "--config", dir_ + "/ok.json", "--out", dir_ + "/ok"});
        QVERIFY2(ok.code == 0, qPrintable(ok.out + ok.err));
        QCOMPARE(rmmtest::readJson(dir_ + "/ok/report.json")["stop_reason"].get<std::string>(),
                 std::string("completed"));
    }

    void checkDataReportsImplausibleData_data()
    {
        QTest::addColumn<QString>("unit");
        QTest::addColumn<double>("scale");
        QTest::addColumn<double>("dt");
        QTest::addColumn<int>("glitch");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("mV labelled V") << "V" << 1.0 << 0.1 << -1
                                       << QStringList{"rec.csv", "'v1'", "data.neurons[0].v", "look like mV",
                                                      "set data.neurons[0].v_unit to \"mV\""};
        QTest::newRow("one absurd sample")
            << "mV" << 1.0 << 0.1 << 4321
            << QStringList{"rec.csv", "'v1'", "sample 4321 (t = 432.1 ms)", "1e+30 mV", "glitch"};
        QTest::newRow("sampling interval")
            << "mV" << 1.0 << 1e-12 << -1
            << QStringList{"rec.csv", "sampling interval", "outside the plausible range"};
    }

    void checkDataReportsImplausibleData()
    {
        QFETCH(QString, unit);
        QFETCH(double, scale);
        QFETCH(double, dt);
        QFETCH(int, glitch);
        QFETCH(QStringList, expected);
        writeCsv(dir_ + "/rec.csv", unit.toStdString(), scale, dt, glitch);
        writeJson(dir_ + "/exp.json", config(1e-3));
        // --check-data and train refuse alike, before any training.
        for (const QStringList& args :
             {QStringList{"config", "--config", dir_ + "/exp.json", "--check-data"},
              QStringList{"train", "--config", dir_ + "/exp.json", "--out", dir_ + "/bad"}}) {
            const auto r = runRmm(args);
            QVERIFY2(r.code == 1, qPrintable(args.front() + ": " + QString::number(r.code) + r.err));
            for (const auto& e : expected)
                QVERIFY2(r.err.contains(e), qPrintable(args.front() + ": '" + r.err + "' lacks '" + e + "'"));
            QVERIFY(!r.out.contains("epoch 1/"));
        }
        QVERIFY(!QFile::exists(dir_ + "/bad/report.json"));
    }

    void simulateStopsOnNonFiniteState()
    {
        writeCsv(dir_ + "/rec.csv", "mV", 1.0);
        writeJson(dir_ + "/exp.json", config(1e-3));
        // A leak-only model whose Euler step multiplies v by 1 - dt softplus(a) softplus(g) = -89.
        const rmm::Dataset ds = rmm::loadDataset(
            rmm::loadExperimentConfig((dir_ + "/exp.json").toStdString()).data, dir_.toStdString());
        rmm::ModelConfig c = rmmtest::smallConfig();
        c.neurons = 1;
        c.synapses.clear();
        rmm::CircuitModel m = rmm::CircuitModel::initialize(c, ds.dt_ms, 1);
        m.freezeNormalisation(ds);
        std::vector<double> theta = m.flatParameters();
        const auto& ni = m.neuronIndex(0);
        const auto& ro = m.blocks()[static_cast<std::size_t>(ni.intrinsic.readout)];
        for (long k = 0; k < ro.size(); ++k)
            theta[static_cast<std::size_t>(ro.offset + k)] = 0;
        theta[static_cast<std::size_t>(m.blocks()[static_cast<std::size_t>(ni.a)].offset)] = 30;
        theta[static_cast<std::size_t>(m.blocks()[static_cast<std::size_t>(ni.g)].offset)] = 30;
        m.setFlatParameters(theta);
        rmm::saveModel((dir_ + "/diverging.h5").toStdString(), m);
        const auto r = runRmm({"simulate", "--model", dir_ + "/diverging.h5", "--config", dir_ + "/exp.json",
                               "--out", dir_ + "/pred.h5"});
        QVERIFY2(r.code == 1, qPrintable(QString::number(r.code) + r.out + r.err));
        QVERIFY2(r.err.contains("diverging.h5") && r.err.contains("neuron 1") &&
                     r.err.contains("became non-finite at sample") && r.err.contains(" ms)"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir_ + "/pred.h5"));
    }
};

QTEST_GUILESS_MAIN(TestCliReliability)
#include "test_cli_reliability.moc"
