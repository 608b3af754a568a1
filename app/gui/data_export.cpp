// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/data_export.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/h5/h5.hpp"
#include "engine/run/curves_file.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace rmm {

bool writeCurvesCsv(const Run& run, const QString& path, QString* error)
{
    try {
        writeTextAtomically(path.toStdString(), curvesCsv(run.curves));
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

bool writeResultsHdf5(const Run& run, const PredictionData* p, const QString& path, QString* error)
{
    try {
        writeAtomically(path.toStdString(), [&](const std::string& tmp) {
            h5::File f = h5::File::create(tmp);
            f.setAttr("/", "creator", "RMM Workbench");
            f.setAttr("/", "run", run.displayName().toStdString());
            f.setAttr("/", "method", toString(run.config.training.method));
            f.setAttr("/", "best_epoch", static_cast<double>(run.best_epoch));
            f.createGroup("/curves");
            std::vector<double> epoch, seconds, lr, loss, metric;
            for (const auto& r : run.curves) {
                epoch.push_back(r.epoch);
                seconds.push_back(r.seconds);
                lr.push_back(r.lr);
                loss.push_back(r.train_loss);
                metric.push_back(r.validation_metric);
            }
            f.writeDoubles("/curves/epoch", epoch);
            f.writeDoubles("/curves/seconds", seconds);
            f.writeDoubles("/curves/lr", lr);
            f.writeDoubles("/curves/train_loss", loss);
            f.writeDoubles("/curves/validation_metric", metric);
            if (p) {
                f.createGroup("/predictions");
                f.setAttr("/predictions", "dt_ms", p->dt_ms);
                f.setAttr("/predictions", "t0_s", p->t0_s);
                auto put = [&](const std::string& name, const std::vector<double>& v, const char* unit) {
                    if (v.empty())
                        return;
                    f.writeDoubles("/predictions/" + name, v);
                    f.setAttr("/predictions/" + name, "unit", unit);
                };
                for (std::size_t i = 0; i < p->neurons.size(); ++i) {
                    const auto& n = p->neurons[i];
                    const std::string k = std::to_string(i + 1);
                    put("v_measured" + k, n.v_measured, "mV");
                    put("v_simulated" + k, n.v_predicted, "mV");
                    put("v_observer" + k, n.v_observer, "mV");
                    put("isyn_true" + k, n.isyn_true, "nA");
                    put("isyn_predicted" + k, n.isyn_predicted, "nA");
                    if (!n.isyn_true.empty()) {
                        f.setAttr("/predictions/isyn_predicted" + k, "pearson", n.pearson);
                        f.setAttr("/predictions/isyn_predicted" + k, "nrmse", n.nrmse);
                    }
                }
            }
            f.flush();
        });
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

} // namespace rmm
