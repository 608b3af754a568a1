// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/compute_predictions.hpp"

#include "engine/core/error.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/sim/synaptic_scores.hpp"

#include <QCoreApplication>
#include <QLocale>

namespace rmm {

PredictionData computePredictions(const CircuitModel& model, const Dataset& ds, double gamma,
                                  Progress* progress, int wholeTrial, double restartS)
{
    PredictionData out;
    Segment seg = ds.validation;
    if (wholeTrial >= 0) {
        if (wholeTrial >= static_cast<int>(ds.trials.size()))
            throw Error("no trial " + std::to_string(wholeTrial + 1) + " in the dataset");
        seg.trial = wholeTrial;
        seg.begin = 0;
        seg.end = ds.trials[static_cast<std::size_t>(wholeTrial)].v.cols();
    }
    const TrialData& trial = ds.trials[static_cast<std::size_t>(seg.trial)];
    out.dt_ms = ds.dt_ms;
    out.t0_s = static_cast<double>(seg.begin) * ds.dt_ms / 1000.0;
    out.gamma = gamma;
    const QString seconds = QLocale().toString(static_cast<double>(seg.length()) * ds.dt_ms / 1000.0, 'f', 2);
    out.title = wholeTrial >= 0 ? QCoreApplication::translate("Predictions", "Whole trial %1, %2 s")
                                      .arg(QString::fromStdString(trial.name), seconds)
                                : QCoreApplication::translate("Predictions", "Validation segment of %1, %2 s")
                                      .arg(QString::fromStdString(trial.name), seconds);
    SimulationOptions free;
    free.resync_samples = resyncSamples(restartS, ds.dt_ms);
    if (resyncWindows(seg, free.resync_samples).size() > 1)
        out.title += QCoreApplication::translate("Predictions", ", restarted from the recording every %1 s")
                         .arg(QLocale().toString(restartS, 'g', 4));
    const SimulationResult sim = simulate(model, ds, seg, free, progress);
    SimulationResult obs;
    if (gamma > 0)
        obs = simulate(model, ds, seg, gamma, progress);
    const long T = sim.v.cols();
    auto row = [T](const Eigen::MatrixXd& m, int r, long offset = 0) {
        std::vector<double> v(static_cast<std::size_t>(T));
        for (long k = 0; k < T; ++k)
            v[static_cast<std::size_t>(k)] = m(r, offset + k);
        return v;
    };
    std::vector<SynapticCurrentScore> scores = scoreSynapticCurrents(model, ds, sim, true);
    for (int i = 0; i < ds.neurons; ++i) {
        NeuronPrediction n;
        n.name = QCoreApplication::translate("Predictions", "neuron %1").arg(i + 1);
        n.v_measured = row(trial.v, i, seg.begin);
        n.v_predicted = row(sim.v, i);
        if (gamma > 0)
            n.v_observer = row(obs.v, i);
        for (SynapticCurrentScore& sc : scores)
            if (sc.neuron == i) {
                n.isyn_true = std::move(sc.recorded);
                n.isyn_predicted = std::move(sc.predicted);
                n.pearson = sc.metrics.pearson;
                n.nrmse = sc.metrics.nrmse;
            }
        out.neurons.push_back(std::move(n));
    }
    return out;
}

} // namespace rmm
