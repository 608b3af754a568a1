// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/run_import.hpp"

#include "engine/core/error.hpp"
#include "engine/run/curves_file.hpp"
#include "engine/run/experiment.hpp"
#include "engine/store/model_file.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <memory>

namespace rmm {
namespace {

QString tr(const char* s)
{
    return QCoreApplication::translate("RunImport", s);
}

} // namespace

std::optional<Run> importTrainResults(const QString& dir, QString* error)
{
    QString sink;
    if (!error)
        error = &sink;
    const QDir d(dir);
    const QString modelPath = d.filePath(QStringLiteral("model.h5"));
    if (!QFileInfo::exists(modelPath)) {
        *error = tr("%1 holds no model.h5: choose the folder that `rmm train --out` wrote")
                     .arg(QDir::toNativeSeparators(dir));
        return std::nullopt;
    }
    Run run;
    try {
        ModelFile mf = loadModel(modelPath.toStdString());
        const QString base = QFileInfo(QDir::cleanPath(d.absolutePath())).absolutePath();
        if (mf.config_json.empty())
            throw Error(modelPath.toStdString() + ": the model file stores no experiment config");
        run.config = parseExperimentConfig(nlohmann::json::parse(mf.config_json), base.toStdString());
        // An absolute path from here on: sessions store data files relative to themselves.
        const QString data = QString::fromStdString(run.config.data.file);
        if (!data.isEmpty() && QFileInfo(data).isRelative())
            run.config.data.file = QDir(base).absoluteFilePath(data).toStdString();
        run.model = std::make_shared<const CircuitModel>(std::move(mf.model));
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return std::nullopt;
    }
    run.modelPath = modelPath;
    run.recording_path = QString::fromStdString(run.config.data.file); // fingerprint unknown: matched by path
    run.name = QFileInfo(QDir::cleanPath(d.absolutePath())).fileName();
    run.status = QStringLiteral("completed");
    run.started = QFileInfo(modelPath).lastModified();

    const QString curvesPath = d.filePath(QStringLiteral("curves.csv"));
    if (QFileInfo::exists(curvesPath)) {
        try {
            run.curves = readCurvesCsv(curvesPath.toStdString());
        } catch (const Error& e) {
            *error = QString::fromStdString(e.what());
            return std::nullopt;
        }
    }

    const QString reportPath = d.filePath(QStringLiteral("report.json"));
    if (QFileInfo::exists(reportPath)) {
        try {
            const RunReport r = readRunReport(reportPath.toStdString());
            run.best_epoch = r.best_epoch;
            run.best_metric = r.best_validation;
            run.report = std::make_shared<const RunReport>(r);
            run.seconds = r.train_seconds;
            run.status =
                r.time_limited ? QStringLiteral("time-limited") : QString::fromStdString(r.stop_reason);
        } catch (const std::exception& e) {
            *error = QString::fromUtf8(e.what());
            return std::nullopt;
        }
    } else if (!run.curves.empty()) {
        // No report: the best validated epoch of the curves.
        for (const EpochRecord& e : run.curves)
            if (std::isfinite(e.validation_metric) &&
                (run.best_epoch < 0 || e.validation_metric > run.best_metric)) {
                run.best_epoch = e.epoch;
                run.best_metric = e.validation_metric;
            }
        run.seconds = run.curves.back().elapsed;
    }
    return run;
}

} // namespace rmm
