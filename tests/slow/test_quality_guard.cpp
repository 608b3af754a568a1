// SPDX-License-Identifier: GPL-3.0-or-later
// Regression guard of the training quality (issue 15): `rmm train` with the default settings
// (the config gives only the data, the method and the synapse kind; and, to keep CI short, the
// first 400 of the default 800 epochs, whose schedule is the default's) on a 30 s slice of each trial
// of the shared HCO development recording must keep its free-run quality, and the metric it
// reports must be the one its saved model gives when `rmm simulate` runs it again, scored here
// by the engine's metric on the simulated file. Skipped (with a message) where ../shared is absent.
#include "common/fixtures.hpp"
#include "common/rmm_process.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/recording/formats.hpp"
#include "engine/recording/recording.hpp"
#include "engine/sim/simulate.hpp"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QProcess>
#include <QTest>

#include <fstream>

using nlohmann::json;

namespace {

using rmmtest::kRmm;
constexpr long kSliceSamples = 300000; // 30 s at 10 kHz
/// Seeds 1-3 of the default recipe gave 0.652, 0.724 and 0.670 on this slice (docs/quality); seed
/// 1 gives 0.652 again with the restarted validation (one piece here) and 400 epochs. The slice's
/// 31 s of training data are below the 60 s from which "auto" takes 96 mini-batches (which gave
/// 0.431 here), so the guard trains with 48, as a user's 30 s recording would.
constexpr double kFloor = 0.5;

using rmmtest::readJson;
using rmmtest::runRmm;
using Run = rmmtest::RmmRun;

const rmm::Channel& channel(const rmm::Trial& t, const std::string& name)
{
    for (const auto& c : t.channels)
        if (c.name == name)
            return c;
    throw std::runtime_error("no channel " + name);
}

} // namespace

class TestQualityGuard : public QObject {
    Q_OBJECT
  private slots:
    void defaultMultipleShootingOnDevSlice();
};

void TestQualityGuard::defaultMultipleShootingOnDevSlice()
{
    RMM_REQUIRE_SHARED_DATA();
    const QString source = rmmtest::dataFile("hco-dev/hco_dev.h5");
    if (!QFile::exists(source))
        QSKIP(qPrintable("the HCO development recording is missing: " + source));
    QVERIFY2(QFile::exists(kRmm), qPrintable("build the rmm binary first: " + kRmm));
    const QString dir = rmmtest::scratchDir("quality_guard");

    // The first 30 s of each trial, the channels the model needs.
    rmm::Recording full = rmm::loadRecording(source.toStdString());
    rmm::Recording slice;
    slice.source = "hco-dev slice";
    slice.dt_ms = full.dt_ms;
    for (const auto& t : full.trials) {
        rmm::Trial s;
        s.name = t.name;
        for (const char* name : {"v1", "v2", "u1", "u2", "Isyn1", "Isyn2"}) {
            rmm::Channel c = channel(t, name);
            c.samples.resize(static_cast<std::size_t>(kSliceSamples));
            s.channels.push_back(std::move(c));
        }
        slice.trials.push_back(std::move(s));
    }
    rmm::writeGenericHdf5(slice, (dir + "/slice.h5").toStdString());
    const json cfg = json::parse(R"({"data": {"file": "slice.h5",
        "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1"}, {"v": "v2", "u": "u2", "isyn": "Isyn2"}]},
        "model": {"synapse": "conductance"}, "training": {"method": "ms", "epochs": 400}})");
    std::ofstream(dir.toStdString() + "/config.json") << cfg.dump(2);

    const Run train = runRmm({"train", "--config", dir + "/config.json", "--out", dir + "/out"}, 900000);
    QVERIFY2(train.code == 0, qPrintable(train.out.right(2000) + train.err));
    const json report = readJson(dir + "/out/report.json");
    const double reported = report["best_validation"].get<double>();
    QCOMPARE(report["batches"].get<int>(), 48); // "auto" on 31 s of training data
    QVERIFY2(train.out.contains("48 mini-batches (auto)"), qPrintable(train.out.left(1000)));
    qInfo("default MS, conductance synapses, 30 s slices: AS %.3f (epoch %d), %.0f s", reported,
          report["best_epoch"].get<int>() + 1, report["train_seconds"].get<double>());
    QVERIFY2(reported >= kFloor,
             qPrintable(QString("AS %1 fell below the floor %2").arg(reported).arg(kFloor)));
    // The free-run check ran; whether it passes is not guarded yet (issue 15's physiology target is
    // not met: this run's free run over trial 2 leaves the range), so it is printed, not asserted.
    QVERIFY(report["free_run"]["checked"].get<bool>());
    for (const auto& p : report["free_run"]["problems"])
        qInfo("free run: %s", p.get<std::string>().c_str());

    // What the user is shown is what the saved model gives when run again.
    const Run sim = runRmm({"simulate", "--model", dir + "/out/model.h5", "--config", dir + "/config.json",
                            "--out", dir + "/pred.h5"},
                           300000);
    QVERIFY2(sim.code == 0, qPrintable(sim.out + sim.err));
    const rmm::Recording pred = rmm::loadRecording((dir + "/pred.h5").toStdString());
    QCOMPARE(pred.trials.size(), std::size_t(1));
    // Scored again here, restart window by restart window as validation does (the file holds
    // the pieces side by side), the windows' sums pooled.
    rmm::AngularSeparationSettings as;
    as.dt_ms = pred.dt_ms;
    const long length = static_cast<long>(channel(pred.trials[0], "v1").samples.size());
    const auto windows = rmm::resyncWindows({0, 0, length}, rmm::resyncSamples(as.window_s, as.dt_ms));
    // (The slice's 7.5 s validation segment is one piece at the default window_s = 5;
    // test_training_quality checks the pieces of a longer segment.)
    double again = 0;
    for (const char* n : {"1", "2"}) {
        const auto& meas = channel(pred.trials[0], std::string("v") + n).samples;
        const auto& model = channel(pred.trials[0], std::string("v") + n + "_pred").samples;
        rmm::AngularSeparationParts pooled;
        for (const auto& w : windows)
            pooled += rmm::angularSeparationParts({meas.begin() + w.begin, meas.begin() + w.end},
                                                  {model.begin() + w.begin, model.begin() + w.end}, as);
        again += pooled.value() / 2;
    }
    QVERIFY2(std::abs(again - reported) <= 0.02,
             qPrintable(QString("reported %1, simulated again %2").arg(reported).arg(again)));
}

QTEST_GUILESS_MAIN(TestQualityGuard)
#include "test_quality_guard.moc"
