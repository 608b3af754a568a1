// SPDX-License-Identifier: GPL-3.0-or-later
// Dataset: channel mapping, unit conversion, NaN/Inf positions, exact split boundaries,
// pre-filter alignment, loading through a config, and data-dependent setting checks.
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/data/dataset.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/recording/formats.hpp"
#include "engine/train/trainable.hpp"

#include <QObject>
#include <QTest>

#include <cmath>
#include <limits>

namespace {

rmm::Channel channel(const std::string& name, const std::string& unit, std::size_t n, double scale,
                     double offset)
{
    rmm::Channel c{name, unit, std::vector<double>(n)};
    for (std::size_t k = 0; k < n; ++k)
        c.samples[k] =
            offset + scale * std::sin(0.01 * static_cast<double>(k) + static_cast<double>(name.size()));
    return c;
}

/// Two trials (1000 and 800 samples, dt 0.1 ms). Neuron A in V / pA, neuron B in mV / nA.
rmm::Recording recording(std::size_t n1 = 1000, std::size_t n2 = 800, double dtMs = 0.1)
{
    rmm::Recording rec;
    rec.source = "mem.h5";
    rec.dt_ms = dtMs;
    for (auto [name, n] : {std::pair<const char*, std::size_t>{"trial1", n1}, {"trial2", n2}}) {
        rmm::Trial t;
        t.name = name;
        t.channels = {channel("vA", "V", n, 0.02, -0.05), channel("iA", "pA", n, 300, 50),
                      channel("isA", "pA", n, 200, -20),  channel("vB", "mV", n, 20, -50),
                      channel("uB", "nA", n, 0.3, 0.1),   channel("temp", "deg C", n, 1, 20)};
        rec.trials.push_back(std::move(t));
    }
    return rec;
}

rmm::DataConfig mapping()
{
    rmm::DataConfig d;
    d.file = "mem.h5";
    d.prefilter = false; // these tests check the raw mapping; prefilterKeepsChannelsAligned turns it on
    rmm::NeuronChannels a;
    a.v = "vA";
    a.u = "iA";
    a.isyn = "isA";
    rmm::NeuronChannels b;
    b.v = "vB";
    b.u = "uB";
    d.neurons = {a, b};
    return d;
}

/// Two neurons whose slowest filter (100 ms) warms up over more samples than the test recording's
/// training parts hold at dt 0.1 ms, so their lead-in is half of each part.
rmm::ModelConfig slowBankModel()
{
    rmm::ModelConfig m;
    m.neurons = 2;
    m.intrinsic_taus_ms = {1, 100};
    m.finalize();
    return m;
}

QString errorOf(const rmm::Recording& rec, const rmm::DataConfig& cfg)
{
    try {
        rmm::buildDataset(rec, cfg);
    } catch (const rmm::Error& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

void expectAll(const QString& msg, const QStringList& parts)
{
    QVERIFY2(!msg.isEmpty(), "no error was raised");
    for (const auto& p : parts)
        QVERIFY2(msg.contains(p), qPrintable("message '" + msg + "' lacks '" + p + "'"));
}

} // namespace

class TestDataset : public QObject {
    Q_OBJECT
  private slots:
    void mappingAndUnits()
    {
        const auto rec = recording();
        const auto ds = rmm::buildDataset(rec, mapping());
        QCOMPARE(ds.neurons, 2);
        QCOMPARE(ds.dt_ms, 0.1);
        QCOMPARE(ds.trials.size(), std::size_t(2));
        QVERIFY(ds.warnings.empty());
        for (std::size_t t = 0; t < 2; ++t) {
            const auto& td = ds.trials[t];
            const auto& src = rec.trials[t];
            QCOMPARE(td.name, src.name);
            QCOMPARE(td.v.rows(), 2);
            QCOMPARE(static_cast<std::size_t>(td.v.cols()), src.length());
            QCOMPARE(td.has_isyn(0), 1);
            QCOMPARE(td.has_isyn(1), 0);
            for (long k : {0L, 17L, static_cast<long>(src.length()) - 1}) {
                auto at = [&](const char* ch) { return src.find(ch)->samples[static_cast<std::size_t>(k)]; };
                QVERIFY(rmmtest::near(td.v(0, k), 1000 * at("vA"), 1e-12)); // V -> mV
                QVERIFY(rmmtest::near(td.u(0, k), at("iA") / 1000, 1e-12)); // pA -> nA
                QVERIFY(rmmtest::near(td.isyn(0, k), at("isA") / 1000, 1e-12));
                QCOMPARE(td.v(1, k), at("vB"));
                QCOMPARE(td.u(1, k), at("uB"));
                QCOMPARE(td.isyn(1, k), 0.0);
            }
        }
    }

    void noIsynMapped()
    {
        auto cfg = mapping();
        cfg.neurons[0].isyn.reset();
        const auto ds = rmm::buildDataset(recording(), cfg);
        QCOMPARE(ds.trials[0].isyn.size(), Eigen::Index(0));
        QCOMPARE(ds.trials[0].has_isyn.sum(), 0);
    }

    void splitBoundaries()
    {
        auto cfg = mapping();
        auto ds = rmm::buildDataset(recording(), cfg);
        QCOMPARE(ds.train.size(), std::size_t(2));
        QCOMPARE(ds.train[0].trial, 0);
        QCOMPARE(ds.train[0].begin, 0L);
        QCOMPARE(ds.train[0].end, 750L);
        QCOMPARE(ds.train[1].trial, 1);
        QCOMPARE(ds.train[1].end, 600L);
        QCOMPARE(ds.validation.trial, 0); // default: the first trial
        QCOMPARE(ds.validation.begin, 750L);
        QCOMPARE(ds.validation.end, 1000L);

        cfg.validation_trial = "trial2";
        cfg.train_fraction = 0.7;
        cfg.validation_fraction = 0.1;
        ds = rmm::buildDataset(recording(), cfg);
        QCOMPARE(ds.train[0].end, 700L);
        QCOMPARE(ds.train[1].end, 560L);
        QCOMPARE(ds.validation.trial, 1);
        QCOMPARE(ds.validation.begin, 720L);
        QCOMPARE(ds.validation.end, 800L);
        QVERIFY(ds.warnings.empty());

        // Trial selection and order follow data.trials.
        cfg.trials = {"trial2"};
        ds = rmm::buildDataset(recording(), cfg);
        QCOMPARE(ds.trials.size(), std::size_t(1));
        QCOMPARE(ds.trials[0].name, std::string("trial2"));

        // Overlapping parts are allowed but warned about.
        cfg.trials.clear();
        cfg.train_fraction = 1.0;
        ds = rmm::buildDataset(recording(), cfg);
        QCOMPARE(ds.train[1].end, 800L);
        QVERIFY(!ds.warnings.empty());
        QVERIFY(QString::fromStdString(ds.warnings[0]).contains("overlap"));
    }

    void missingChannelAndTrial()
    {
        auto cfg = mapping();
        cfg.neurons[1].u = "uX";
        expectAll(errorOf(recording(), cfg), {"mem.h5", "'trial1'", "'uX'", "data.neurons[1].u", "vA, iA"});
        cfg = mapping();
        cfg.trials = {"trial1", "trial9"};
        expectAll(errorOf(recording(), cfg), {"'trial9'", "data.trials[1]", "trial1, trial2"});
        cfg = mapping();
        cfg.validation_trial = "trialX";
        expectAll(errorOf(recording(), cfg), {"'trialX'", "data.validation_trial"});
    }

    void nonFiniteSamples()
    {
        auto rec = recording();
        rec.trials[1].channels[4].samples[123] = std::numeric_limits<double>::quiet_NaN();
        expectAll(errorOf(rec, mapping()), {"mem.h5", "'trial2'", "'uB'", "sample 123", "12.3 ms", "NaN"});
        rec = recording();
        rec.trials[0].channels[0].samples[999] = -std::numeric_limits<double>::infinity();
        expectAll(errorOf(rec, mapping()), {"'trial1'", "'vA'", "sample 999", "infinite"});
    }

    void wrongQuantity()
    {
        auto rec = recording();
        rec.trials[0].channels[0].unit = "pA";
        rec.trials[1].channels[0].unit = "pA";
        expectAll(errorOf(rec, mapping()), {"channel 'vA' has unit pA, expected a voltage"});
        rec = recording();
        for (auto& t : rec.trials)
            t.channels[4].unit = "mV";
        expectAll(errorOf(rec, mapping()), {"channel 'uB' has unit mV, expected a current"});
        // An override fixes a wrong file unit.
        auto cfg = mapping();
        cfg.neurons[1].u_unit = "pA";
        auto ds = rmm::buildDataset(rec, cfg);
        QVERIFY(rmmtest::near(ds.trials[0].u(1, 5), rec.trials[0].channels[4].samples[5] / 1000, 1e-12));
    }

    void unknownUnitWarns()
    {
        auto rec = recording();
        for (auto& t : rec.trials)
            t.channels[3].unit = "";
        auto ds = rmm::buildDataset(rec, mapping());
        QCOMPARE(ds.warnings.size(), std::size_t(1)); // once per channel, not per trial
        expectAll(QString::fromStdString(ds.warnings[0]),
                  {"'vB'", "no unit", "mV", "data.neurons[1].v_unit"});
        QCOMPARE(ds.trials[0].v(1, 3), rec.trials[0].channels[3].samples[3]);
        // An override in V scales (of values in V: mV values labelled V are refused, see
        // voltageInWrongUnit).
        auto cfg = mapping();
        cfg.neurons[1].v_unit = "V";
        for (auto& t : rec.trials)
            for (auto& x : t.channels[3].samples)
                x /= 1000;
        ds = rmm::buildDataset(rec, cfg);
        QVERIFY(ds.warnings.empty());
        QVERIFY(rmmtest::near(ds.trials[0].v(1, 3), 1000 * rec.trials[0].channels[3].samples[3], 1e-12));
    }

    void badShapes()
    {
        auto rec = recording();
        rec.dt_ms = 0;
        expectAll(errorOf(rec, mapping()), {"dt", "positive"});
        rec.dt_ms = -0.1;
        expectAll(errorOf(rec, mapping()), {"dt"});
        rec = recording();
        rec.trials[0].channels[1].samples.pop_back();
        expectAll(errorOf(rec, mapping()), {"'trial1'", "'iA'", "999", "1000"});
        auto cfg = mapping();
        cfg.train_fraction = 0.001;
        expectAll(errorOf(recording(), cfg), {"data.train_fraction"});
        cfg = mapping();
        cfg.validation_fraction = 0.001;
        expectAll(errorOf(recording(), cfg), {"data.validation_fraction"});
    }

    // Issue 16: implausible values after unit conversion, mixed units, absurd sampling intervals.
    void voltageInWrongUnit()
    {
        auto rec = recording();
        for (auto& t : rec.trials)
            t.channels[3].unit.assign(
                1, 'V'); // vB holds -50 +- 20: mV values labelled V (assign: GCC 12 -Wrestrict)
        expectAll(errorOf(rec, mapping()),
                  {"mem.h5", "'trial1'", "'vB'", "data.neurons[1].v", "sample 0 (t = 0 ms)",
                   "plausible range", "the file's unit is V but the values look like mV",
                   "set data.neurons[1].v_unit to \"mV\""});
        // The same through an override that says V.
        auto cfg = mapping();
        cfg.neurons[1].v_unit = "V";
        expectAll(errorOf(recording(), cfg), {"data.neurons[1].v_unit says V", "look like mV"});
        // Correct units pass; the override to mV fixes the file.
        cfg.neurons[1].v_unit = "mV";
        QVERIFY(errorOf(rec, cfg).isEmpty());
    }

    void currentInWrongUnit()
    {
        auto rec = recording();
        for (auto& t : rec.trials)
            for (auto& x : t.channels[4].samples)
                x *= 10000; // uB: (0.1 +- 0.3) x 1e4, up to 4000 "nA", in fact pA
        const QString err = errorOf(rec, mapping());
        expectAll(err, {"'uB'", "data.neurons[1].u", "intracellular current", "look like pA",
                        "set data.neurons[1].u_unit to \"pA\""});
    }

    void singleAbsurdSample()
    {
        auto rec = recording();
        rec.trials[1].channels[3].samples[321] = 1e30;
        const QString err = errorOf(rec, mapping());
        expectAll(err, {"mem.h5", "'trial2'", "'vB'", "sample 321 (t = 32.1 ms) is 1e+30 mV", "glitch"});
        QVERIFY2(!err.contains("look like"), qPrintable(err));
        // In a current channel (pA in the file): -5e6 pA = -5000 nA.
        rec = recording();
        rec.trials[0].channels[2].samples[10] = -5e6;
        expectAll(errorOf(rec, mapping()),
                  {"'isA'", "data.neurons[0].isyn", "sample 10 (t = 1 ms) is -5000 nA"});
        // Just inside the limits passes: 199.9 mV and 999 nA.
        rec = recording();
        rec.trials[0].channels[3].samples[5] = 199.9;
        rec.trials[0].channels[4].samples[6] = -999;
        QVERIFY(errorOf(rec, mapping()).isEmpty());
    }

    void unitsDifferBetweenTrials()
    {
        auto rec = recording();
        rec.trials[1].channels[0].unit = "mV";
        for (auto& x : rec.trials[1].channels[0].samples)
            x *= 1000;
        expectAll(errorOf(rec, mapping()),
                  {"mem.h5", "'vA'", "data.neurons[0].v", "'V' in trial 'trial1'", "'mV' in trial 'trial2'"});
        // Spellings of one unit are one unit.
        rec = recording();
        rec.trials[1].channels[0].unit = "volts";
        QVERIFY(errorOf(rec, mapping()).isEmpty());
    }

    void samplingIntervalLimits()
    {
        auto rec = recording();
        rec.dt_ms = 1e-12;
        expectAll(errorOf(rec, mapping()), {"mem.h5", "sampling interval dt = 1e-12 ms", "0.0001 to 100 ms"});
        rec.dt_ms = 500;
        expectAll(errorOf(rec, mapping()), {"dt = 500 ms"});
        rec.dt_ms = 1e-4; // the limits themselves pass
        QVERIFY(errorOf(rec, mapping()).isEmpty());
    }

    void prefilterKeepsChannelsAligned()
    {
        auto rec = recording();
        auto cfg = mapping();
        cfg.prefilter = true;
        const long trim = rmm::prefilterTrimSamples(cfg, rec.dt_ms);
        QCOMPARE(trim, 50L); // ten periods of 2 kHz at 10 kHz
        const auto ds = rmm::buildDataset(rec, cfg);
        QCOMPARE(ds.trials[0].v.cols(), 1000L - 2 * trim);
        QCOMPARE(ds.train[0].end, static_cast<long>(std::floor(0.75 * 900)));
        auto lp = rmm::butterLowpass(3, 2000, 10000);
        std::vector<double> mV(rec.trials[0].channels[0].samples);
        for (auto& x : mV)
            x *= 1000;
        auto filtered = rmm::filtfilt(lp, mV);
        for (long k : {0L, 100L, 899L}) {
            QVERIFY(rmmtest::near(ds.trials[0].v(0, k), filtered[static_cast<std::size_t>(k + trim)], 1e-9));
            // Currents are not filtered but trimmed identically.
            QVERIFY(rmmtest::near(
                ds.trials[0].u(0, k),
                rec.trials[0].channels[1].samples[static_cast<std::size_t>(k + trim)] / 1000, 1e-12));
            QVERIFY(rmmtest::near(
                ds.trials[0].isyn(0, k),
                rec.trials[0].channels[2].samples[static_cast<std::size_t>(k + trim)] / 1000, 1e-12));
        }
        cfg.prefilter_hz = 6000;
        expectAll(errorOf(rec, cfg), {"data.prefilter_hz", "Nyquist"});
    }

    void loadThroughFile()
    {
        QString dir = rmmtest::scratchDir("dataset_load");
        QDir().mkpath(dir + "/data");
        auto rec = recording();
        rmm::writeGenericHdf5(rec, (dir + "/data/rec.h5").toStdString());
        auto cfg = mapping();
        cfg.file = "data/rec.h5";
        NoCancel progress;
        auto ds = rmm::loadDataset(cfg, dir.toStdString(), &progress);
        QVERIFY(progress.calls > 0);
        QVERIFY(rmmtest::near(ds.dt_ms, 0.1, 1e-12));
        QCOMPARE(ds.trials[1].v.cols(), 800L);
        QVERIFY(rmmtest::near(ds.trials[1].v(0, 7), 1000 * rec.trials[1].channels[0].samples[7], 1e-9));
        QVERIFY(QString::fromStdString(ds.source).endsWith("data/rec.h5"));

        cfg.neurons[0].v = "nope";
        try {
            rmm::loadDataset(cfg, dir.toStdString());
            QFAIL("no error for a missing channel");
        } catch (const rmm::Error& e) {
            expectAll(e.what(), {"rec.h5", "'nope'", "vA"});
        }
        cfg.file = "data/absent.h5";
        try {
            rmm::loadDataset(cfg, dir.toStdString());
            QFAIL("no error for a missing file");
        } catch (const rmm::Error& e) {
            expectAll(e.what(), {"absent.h5", "not found"});
        }
    }

    void trainabilityChecks()
    {
        auto ds = rmm::buildDataset(recording(), mapping());
        rmm::TrainingConfig t;
        t.validation.kernel_half_width = 50;
        t.batches = 4;
        rmm::checkTrainable(ds, t); // fine

        auto fails = [&](const rmm::TrainingConfig& tc, const QStringList& parts) {
            try {
                rmm::checkTrainable(ds, tc);
            } catch (const rmm::Error& e) {
                expectAll(e.what(), parts);
                return;
            }
            QFAIL("no error was raised");
        };
        auto ms = t;
        ms.method = rmm::TrainingMethod::MultipleShooting;
        ms.shot = 700;
        fails(ms, {"training.shot", "700", "'trial2'", "600"});
        auto many = t;
        many.batches = 5000;
        fails(many, {"training.batches", "5000"});
        auto wide = t;
        wide.validation.kernel_half_width = 3000;
        fails(wide, {"kernel_half_width", "250 samples"});
        auto shortWindow = t;
        shortWindow.validation.window_s = 0.01; // 100 samples, not above 4 x 50
        fails(shortWindow, {"training.validation.window_s = 0.01", "200 samples"});
        auto negativeWindow = t;
        negativeWindow.validation.window_s = -1;
        fails(negativeWindow, {"training.validation.window_s = -1", "0 (one free run"});
        auto nyq = t;
        nyq.validation.band_high_hz = 6000;
        fails(nyq, {"training.validation.band_hz", "Nyquist"});
        // All problems at once, the settings' own and the data's, one per line.
        auto several = nyq;
        several.batches = 5000;
        several.epochs = 0;
        const std::vector<std::string> problems = rmm::trainingProblems(ds, several);
        QCOMPARE(problems.size(), std::size_t(3));
        expectAll(QString::fromStdString(problems[0]), {"training.epochs = 0"});
        expectAll(QString::fromStdString(problems[1]), {"training.batches = 5000"});
        expectAll(QString::fromStdString(problems[2]), {"training.validation.band_hz", "Nyquist"});
        fails(several, {"at least 1\ntraining.batches = 5000", "mini-batches\ntraining.validation.band_hz"});

        // With the model config, after the warm-up lead-in (what the trainers use): the trials train
        // on 750 and 600 samples; a bank whose slowest tau is 100 ms at dt 0.1 ms warms up over more
        // than that (lead-in min(M, length / 2) = 375 and 300), leaving 375 and 300 samples.
        const rmm::ModelConfig m = slowBankModel();
        ms.shot = 400;
        ms.batches = 1;
        rmm::checkTrainable(ds, ms); // fits the 600 samples before the lead-in ...
        try {
            rmm::checkTrainable(ds, ms, &m); // ... not the 300 after it
            QFAIL("no error for a shot longer than the part after the lead-in");
        } catch (const rmm::Error& e) {
            expectAll(e.what(),
                      {"training.shot = 400", "'trial1'", "after its warm-up lead-in", "375 of 750"});
        }
        ms.shot = 100; // 375 -> 3 shots, 300 -> 3 shots: 6 in all
        ms.batches = 7;
        try {
            rmm::checkTrainable(ds, ms, &m);
            QFAIL("no error for more mini-batches than shots");
        } catch (const rmm::Error& e) {
            expectAll(e.what(), {"training.batches = 7 exceeds the 6 shots"});
        }
        ms.batches = 6;
        rmm::checkTrainable(ds, ms, &m);
    }

    void autoBatches()
    {
        // training.batches = "auto" (0): teacher forcing and multiple shooting 96 from 60 s of
        // training data, 48 below; GTF 48; never more than the data's samples or shots.
        rmm::TrainingConfig t;
        QCOMPARE(t.batches, 0); // the default is auto
        auto dsOf = [](double seconds) {
            // dt 1 ms, train_fraction 0.75: two trials of n samples train on 2 x 0.75 n transitions
            const auto n = static_cast<std::size_t>(seconds * 1000 / 1.5);
            return rmm::buildDataset(recording(n, n, 1.0), mapping());
        };
        const rmm::Dataset longer = dsOf(61), shorter = dsOf(59);
        QCOMPARE(rmm::effectiveBatches(longer, t), 96);
        QCOMPARE(rmm::effectiveBatches(shorter, t), 48);
        rmm::TrainingConfig ms = t;
        ms.method = rmm::TrainingMethod::MultipleShooting;
        QCOMPARE(rmm::effectiveBatches(longer, ms), 96);
        QCOMPARE(rmm::effectiveBatches(shorter, ms), 48);
        rmm::TrainingConfig gtf = ms;
        gtf.method = rmm::TrainingMethod::GeneralizedTeacherForcing;
        QCOMPARE(rmm::effectiveBatches(longer, gtf), 48);
        ms.batches = 7; // given: kept as it is, also where it is too many (trainingProblems says so)
        QCOMPARE(rmm::effectiveBatches(shorter, ms), 7);

        // The warm-up lead-ins count: 750 + 600 training samples, 375 + 300 after the lead-in of a
        // 100 ms bank (see trainabilityChecks): 6 shots of 100 samples, so auto takes 6 and trains.
        auto ds = rmm::buildDataset(recording(), mapping());
        const rmm::ModelConfig m = slowBankModel();
        ms.batches = 0;
        ms.shot = 100;
        ms.validation.kernel_half_width = 50;
        QCOMPARE(rmm::effectiveBatches(ds, ms), 13); // 1350 samples before the lead-in: 7 + 6 shots
        QCOMPARE(rmm::effectiveBatches(ds, ms, &m), 6);
        rmm::checkTrainable(ds, ms, &m);
    }

  private:
    struct NoCancel : rmm::Progress {
        int calls = 0;
        bool report(double, const std::string&) override
        {
            ++calls;
            return true;
        }
    };
};

QTEST_GUILESS_MAIN(TestDataset)
#include "test_dataset.moc"
