// SPDX-License-Identifier: GPL-3.0-or-later
// The demo HCO generator: a real half-center rhythm, dynamic-clamp currents that obey the
// paper's Eq. 25-26 sample by sample, the OU statistics of Eq. 24, determinism per seed,
// refusal of nonsense settings, cancellation and the HDF5 round trip.
#include "common/fixtures.hpp"
#include "engine/core/error.hpp"
#include "engine/recording/formats.hpp"
#include "engine/synth/hco.hpp"
#include "engine/synth/stg_neuron.hpp"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace rmm;

namespace {

// Table 1 of Burghi et al. (2025), typed in here independently of the engine's copy.
struct Row {
    double gsyn, esyn, vsyn, gh, eh, vh, taubar;
};
const Row table1[2] = {{105, -80, -50, 225, -10, -45, 1000}, {150, -80, -44, 120, -10, -45, 1500}};

const std::vector<double>& channel(const Trial& t, const char* name)
{
    const Channel* c = t.find(name);
    if (!c)
        throw Error(std::string("missing channel ") + name);
    return c->samples;
}

/// Spike times (ms): upward crossings of -20 mV, re-armed below -40 mV.
std::vector<double> spikeTimes(const std::vector<double>& v, double dt)
{
    std::vector<double> t;
    bool armed = true;
    for (std::size_t n = 1; n < v.size(); ++n) {
        if (armed && v[n - 1] < -20 && v[n] >= -20) {
            t.push_back(static_cast<double>(n) * dt);
            armed = false;
        }
        if (v[n] < -40)
            armed = true;
    }
    return t;
}

struct Burst {
    double on, off;
    int spikes;
};

/// Spikes closer than `gap` ms belong to one burst.
std::vector<Burst> groupBursts(const std::vector<double>& spikes, double gap)
{
    std::vector<Burst> b;
    for (std::size_t i = 0; i < spikes.size(); ++i) {
        if (b.empty() || spikes[i] - spikes[i - 1] > gap)
            b.push_back({spikes[i], spikes[i], 1});
        else {
            b.back().off = spikes[i];
            ++b.back().spikes;
        }
    }
    return b;
}

double median(std::vector<double> x)
{
    std::sort(x.begin(), x.end());
    return x.empty() ? 0.0 : x[x.size() / 2];
}

class CancelAfter final : public Progress {
  public:
    explicit CancelAfter(int calls) : left_(calls) {}
    bool report(double, const std::string&) override { return --left_ > 0; }
    int reports() const { return left_; }

  private:
    int left_;
};

} // namespace

class TestSynth : public QObject {
    Q_OBJECT

    static HcoConfig shortConfig(double seconds)
    {
        HcoConfig c;
        c.seconds = seconds;
        c.warmup_s = 2;
        return c;
    }

  private slots:
    void gateKineticsAreHyperpolarisationAndDepolarisationActivated()
    {
        // Half-activation points and directions of the Liu/Prinz Boltzmann curves.
        QVERIFY(rmmtest::near(stgGateRate(GateMNa, -25.5).inf, 0.5, 1e-12));
        QVERIFY(rmmtest::near(stgGateRate(GateHNa, -48.9).inf, 0.5, 1e-12));
        QVERIFY(rmmtest::near(stgGateRate(GateMKd, -12.3).inf, 0.5, 1e-12));
        QVERIFY(rmmtest::near(stgGateRate(GateMH, -75.0).inf, 0.5, 1e-12));
        QVERIFY(stgGateRate(GateMNa, 0).inf > 0.99 && stgGateRate(GateMNa, -80).inf < 1e-3);
        QVERIFY(stgGateRate(GateHNa, 0).inf < 1e-3 && stgGateRate(GateHNa, -80).inf > 0.99);
        QVERIFY(stgGateRate(GateMH, -120).inf > 0.99 && stgGateRate(GateMH, -20).inf < 1e-3);
        // The per-step tables reproduce the closed forms between grid points.
        const double dt = 0.025;
        StgKinetics k(dt);
        StgKinetics::Entry e[GateCount];
        for (double v : {-97.013, -61.37, -50.002, -33.3, -0.77, 31.9}) {
            k.lookup(v, e);
            for (std::size_t g = 0; g < GateCount; ++g) {
                const GateRate r = stgGateRate(static_cast<StgGate>(g), v);
                QVERIFY2(rmmtest::near(e[g].inf, r.inf, 2e-5),
                         qPrintable(QString("gate %1 at %2").arg(g).arg(v)));
                QVERIFY2(rmmtest::near(e[g].decay, std::exp(-dt / r.tau), 2e-5),
                         qPrintable(QString("gate %1 at %2").arg(g).arg(v)));
            }
        }
    }

    void eachCellAloneSpikesTonically()
    {
        HcoConfig c = shortConfig(4);
        for (auto& d : c.clamp)
            d.gsyn_nS = d.gh_nS = 0;
        c.ou = {{0.04, 0.0}};
        c.noise_mV = 0;
        for (auto& cell : c.cells)
            cell.ou_mean_nA = 0;
        Recording r = synthesizeHco(c);
        QVERIFY(c.cells[0].g.kd != c.cells[1].g.kd); // two slightly different cells
        for (const char* name : {"v1_true", "v2_true"}) {
            auto s = spikeTimes(channel(r.trials[0], name), r.dt_ms);
            QVERIFY2(s.size() >= 20, name);
            std::vector<double> isi;
            for (std::size_t i = 1; i < s.size(); ++i)
                isi.push_back(s[i] - s[i - 1]);
            const auto [lo, hi] = std::minmax_element(isi.begin(), isi.end());
            QVERIFY2(*hi < 1.05 * *lo, name); // regular: no bursting, no pauses
        }
    }

    void antiPhaseBursting()
    {
        HcoConfig c;
        c.seconds = 40;
        c.trials = 2;
        Recording r = synthesizeHco(c);
        for (const auto& trial : r.trials) {
            std::vector<Burst> b[2];
            for (int i = 0; i < 2; ++i) {
                b[i] = groupBursts(spikeTimes(channel(trial, i ? "v2_true" : "v1_true"), r.dt_ms), 300.0);
                // Drop bursts cut by the trial's edges.
                if (!b[i].empty() && b[i].front().on < 300)
                    b[i].erase(b[i].begin());
                if (!b[i].empty() && b[i].back().off > c.seconds * 1000 - 300)
                    b[i].pop_back();
                const QString who = QString::fromStdString(trial.name) + " cell " + QString::number(i + 1);
                QVERIFY2(b[i].size() >= 6, qPrintable(who + ": " + QString::number(b[i].size()) + " bursts"));
                std::vector<double> spikes, periods;
                for (std::size_t k = 0; k < b[i].size(); ++k) {
                    spikes.push_back(b[i][k].spikes);
                    if (k > 0)
                        periods.push_back((b[i][k].on - b[i][k - 1].on) / 1000.0);
                }
                QVERIFY2(median(spikes) >= 8,
                         qPrintable(who + ": spikes per burst " + QString::number(median(spikes))));
                QVERIFY2(*std::min_element(spikes.begin(), spikes.end()) >= 2, qPrintable(who));
                const double period = median(periods);
                QVERIFY2(period >= 1.0 && period <= 5.0,
                         qPrintable(who + ": period " + QString::number(period)));
            }
            // Alternation: between two consecutive bursts of one cell the other cell starts one.
            for (int i = 0; i < 2; ++i)
                for (std::size_t k = 1; k < b[i].size(); ++k) {
                    const double from = b[i][k - 1].on, to = b[i][k].on;
                    const auto others = std::count_if(b[1 - i].begin(), b[1 - i].end(), [&](const Burst& o) {
                        return o.on > from && o.on < to;
                    });
                    QVERIFY2(
                        others >= 1,
                        qPrintable(
                            QString(
                                "%1: cell %2 bursts at %3 s and %4 s with no burst of the other cell between")
                                .arg(QString::fromStdString(trial.name))
                                .arg(i + 1)
                                .arg(from / 1000)
                                .arg(to / 1000)));
                }
            // Anti-phase: the cells are rarely both inside a burst.
            std::size_t both = 0, total = 0;
            for (const auto& x : b[0])
                for (const auto& y : b[1])
                    both += static_cast<std::size_t>(
                        std::max(0.0, std::min(x.off, y.off) - std::max(x.on, y.on)));
            for (const auto& x : b[0])
                total += static_cast<std::size_t>(x.off - x.on);
            QVERIFY2(both < total / 10, qPrintable(QString("overlap %1 of %2 ms").arg(both).arg(total)));
        }
    }

    void clampCurrentsFollowEquations()
    {
        HcoConfig c = shortConfig(6);
        Recording r = synthesizeHco(c);
        QCOMPARE(r.dt_ms, 0.1);
        const double dt = 0.1;
        for (const auto& trial : r.trials) {
            for (int i = 0; i < 2; ++i) {
                const Row& p = table1[i];
                const auto& v = channel(trial, i ? "v2" : "v1");
                const auto& vOther = channel(trial, i ? "v1" : "v2");
                const auto& z = channel(trial, i ? "zsyn2" : "zsyn1");
                const auto& w = channel(trial, i ? "wh2" : "wh1");
                const auto& isyn = channel(trial, i ? "Isyn2" : "Isyn1");
                const auto& ih = channel(trial, i ? "Ih2" : "Ih1");
                double zMin = 1, zMax = 0;
                for (std::size_t n = 0; n + 1 < v.size(); ++n) {
                    // Eq. 25-26 with conductances in nS, voltages in mV -> pA; /1000 -> nA.
                    const double isynRef = -p.gsyn * z[n] * (v[n] - p.esyn) / 1000.0;
                    const double ihRef = -p.gh * w[n] * (v[n] - p.eh) / 1000.0;
                    if (!rmmtest::near(isyn[n], isynRef, 1e-12, 1e-12) ||
                        !rmmtest::near(ih[n], ihRef, 1e-12, 1e-12))
                        QFAIL(qPrintable(QString("cell %1 sample %2: Isyn %3 vs %4, Ih %5 vs %6")
                                             .arg(i + 1)
                                             .arg(n)
                                             .arg(isyn[n])
                                             .arg(isynRef)
                                             .arg(ih[n])
                                             .arg(ihRef)));
                    const double sSyn = 1.0 / (1.0 + std::exp(-(vOther[n] - p.vsyn) / 2.0));
                    const double zNext = z[n] + dt / (50.0 * (1.1 - sSyn)) * (-z[n] + sSyn);
                    const double tauH = 1.0 / (1.0 + std::exp(-(v[n] + 110.0) / 13.0));
                    const double sH =
                        1.0 / (1.0 + std::exp((v[n] - p.vh) / 7.0)); // hyperpolarisation-activated
                    const double wNext = w[n] + dt / (p.taubar * tauH + 0.1) * (-w[n] + sH);
                    if (!rmmtest::near(z[n + 1], zNext, 1e-12, 1e-10) ||
                        !rmmtest::near(w[n + 1], wNext, 1e-12, 1e-10))
                        QFAIL(qPrintable(QString("cell %1 sample %2: gate update z %3 vs %4, w %5 vs %6")
                                             .arg(i + 1)
                                             .arg(n + 1)
                                             .arg(z[n + 1])
                                             .arg(zNext)
                                             .arg(w[n + 1])
                                             .arg(wNext)));
                    zMin = std::min(zMin, z[n]);
                    zMax = std::max(zMax, z[n]);
                }
                QVERIFY(zMin < 0.05 && zMax > 0.8); // the synapse really switches on and off
            }
        }
    }

    void ouAndMeasurementNoiseStatistics()
    {
        HcoConfig c = shortConfig(10);
        c.trials = 2;
        Recording r = synthesizeHco(c);
        const double dt = 0.1;
        for (std::size_t k = 0; k < 2; ++k) {
            const OuParams ou = c.ou[k];
            for (int i = 0; i < 2; ++i) {
                const auto& u = channel(r.trials[k], i ? "u2" : "u1");
                const double mu = c.cells[static_cast<std::size_t>(i)].ou_mean_nA;
                // Innovations of Eq. 24, scaled to unit variance.
                double s1 = 0, s2 = 0;
                const std::size_t n = u.size() - 1;
                for (std::size_t t = 0; t < n; ++t) {
                    const double eps = (u[t + 1] - u[t] - dt * ou.a * (mu - u[t])) / (ou.b * std::sqrt(dt));
                    s1 += eps;
                    s2 += eps * eps;
                }
                const double mean = s1 / static_cast<double>(n);
                const double sd = std::sqrt(s2 / static_cast<double>(n) - mean * mean);
                QVERIFY2(std::abs(mean) < 0.02 && std::abs(sd - 1.0) < 0.02,
                         qPrintable(QString("trial %1 u%2: innovations mean %3 sd %4")
                                        .arg(k + 1)
                                        .arg(i + 1)
                                        .arg(mean)
                                        .arg(sd)));
                const auto& v = channel(r.trials[k], i ? "v2" : "v1");
                const auto& vt = channel(r.trials[k], i ? "v2_true" : "v1_true");
                double e2 = 0;
                for (std::size_t t = 0; t < v.size(); ++t)
                    e2 += (v[t] - vt[t]) * (v[t] - vt[t]);
                const double noise = std::sqrt(e2 / static_cast<double>(v.size()));
                QVERIFY2(std::abs(noise - c.noise_mV) < 0.01 * c.noise_mV,
                         qPrintable(QString::number(noise)));
            }
        }
        // Trial 2 continues the state of trial 1: no jump across the boundary.
        const auto& u1a = channel(r.trials[0], "u1");
        const auto& u1b = channel(r.trials[1], "u1");
        QVERIFY(std::abs(u1b.front() - u1a.back()) < 0.2);
        QCOMPARE(r.trials[1].start_s, 10.0);
    }

    void deterministicPerSeed()
    {
        HcoConfig c = shortConfig(2);
        c.trials = 2;
        Recording a = synthesizeHco(c), b = synthesizeHco(c);
        c.seed = 2;
        Recording d = synthesizeHco(c);
        QCOMPARE(a.trials.size(), std::size_t(2));
        QCOMPARE(a.trials[0].channels.size(), hcoChannelNames().size());
        for (std::size_t t = 0; t < a.trials.size(); ++t)
            for (std::size_t ch = 0; ch < a.trials[t].channels.size(); ++ch) {
                QCOMPARE(a.trials[t].channels[ch].name, hcoChannelNames()[ch]);
                QVERIFY(a.trials[t].channels[ch].samples == b.trials[t].channels[ch].samples);
                QCOMPARE(a.trials[t].channels[ch].samples.size(), std::size_t(20000));
            }
        QVERIFY(channel(a.trials[0], "v1") != channel(d.trials[0], "v1"));
        QVERIFY(channel(a.trials[1], "u2") != channel(d.trials[1], "u2"));
    }

    void badSettingsAreRefused_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expect");
        QTest::newRow("seconds 0") << "seconds" << 0.0 << "seconds";
        QTest::newRow("seconds -1") << "seconds" << -1.0 << "seconds";
        QTest::newRow("seconds NaN") << "seconds" << std::nan("") << "seconds";
        QTest::newRow("trials 0") << "trials" << 0.0 << "trials";
        QTest::newRow("dt 0") << "dt" << 0.0 << "dt_ms";
        QTest::newRow("dt -0.1") << "dt" << -0.1 << "dt_ms";
        QTest::newRow("substeps 0") << "substeps" << 0.0 << "substeps";
        QTest::newRow("noise -1") << "noise" << -1.0 << "noise";
        QTest::newRow("no OU sets") << "ou" << 0.0 << "OU";
        QTest::newRow("capacitance 0") << "capacitance" << 0.0 << "cell 2";
        QTest::newRow("huge") << "seconds" << 1e9 << "memory";
    }

    void badSettingsAreRefused()
    {
        QFETCH(QString, field);
        QFETCH(double, value);
        QFETCH(QString, expect);
        HcoConfig c = shortConfig(1);
        if (field == "seconds")
            c.seconds = value;
        else if (field == "trials")
            c.trials = static_cast<int>(value);
        else if (field == "dt")
            c.dt_ms = value;
        else if (field == "substeps")
            c.substeps = static_cast<int>(value);
        else if (field == "noise")
            c.noise_mV = value;
        else if (field == "ou")
            c.ou.clear();
        else if (field == "capacitance")
            c.cells[1].capacitance_nF = value;
        QString msg;
        try {
            synthesizeHco(c);
        } catch (const Error& e) {
            msg = QString::fromStdString(e.what());
        }
        QVERIFY2(msg.contains(expect), qPrintable("got: '" + msg + "'"));
    }

    void cancellation()
    {
        HcoConfig c = shortConfig(20);
        CancelAfter cancel(3);
        bool cancelled = false;
        try {
            synthesizeHco(c, &cancel);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(cancel.reports(), 0);
    }

    void writesAReadableFile()
    {
        HcoConfig c = shortConfig(1);
        Recording r = synthesizeHco(c);
        const std::string path = (rmmtest::scratchDir("synth") + "/demo.h5").toStdString();
        writeGenericHdf5(r, path);
        Recording back = loadRecording(path);
        QCOMPARE(back.dt_ms, 0.1);
        QCOMPARE(back.trials.size(), r.trials.size());
        for (std::size_t t = 0; t < r.trials.size(); ++t) {
            QCOMPARE(back.trials[t].name, r.trials[t].name);
            QCOMPARE(back.trials[t].start_s, r.trials[t].start_s);
            QCOMPARE(back.trials[t].channels.size(), r.trials[t].channels.size());
            for (std::size_t ch = 0; ch < r.trials[t].channels.size(); ++ch) {
                QCOMPARE(back.trials[t].channels[ch].name, r.trials[t].channels[ch].name);
                QCOMPARE(back.trials[t].channels[ch].unit, r.trials[t].channels[ch].unit);
                QVERIFY(back.trials[t].channels[ch].samples == r.trials[t].channels[ch].samples);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSynth)
#include "test_synth.moc"
