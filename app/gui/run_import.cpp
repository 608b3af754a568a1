// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/run_import.hpp"

#include "engine/core/error.hpp"
#include "engine/store/model_file.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <memory>

namespace rmm {
namespace {

QString tr(const char* s)
{
    return QCoreApplication::translate("RunImport", s);
}

/// curves.csv by column name (older files have no elapsed_seconds; see appendReadEpoch).
bool readCurves(const QString& path, std::vector<EpochRecord>* out, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = tr("%1: cannot open (%2)").arg(QDir::toNativeSeparators(path), f.errorString());
        return false;
    }
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.isEmpty()) {
        *error = tr("%1: empty file").arg(QDir::toNativeSeparators(path));
        return false;
    }
    const QStringList header = lines.front().trimmed().split(QLatin1Char(','));
    std::map<QString, int> col;
    for (int k = 0; k < header.size(); ++k)
        col[header[k].trimmed()] = k;
    for (const char* need : {"epoch", "train_loss", "validation_metric"})
        if (!col.count(QString::fromLatin1(need))) {
            *error = tr("%1: no column '%2' in the header line")
                         .arg(QDir::toNativeSeparators(path), QString::fromLatin1(need));
            return false;
        }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int li = 1; li < lines.size(); ++li) {
        const QStringList cells = lines[li].trimmed().split(QLatin1Char(','));
        auto cell = [&](const char* name, bool* ok) -> double {
            const auto it = col.find(QString::fromLatin1(name));
            *ok = true;
            if (it == col.end() || it->second >= cells.size() || cells[it->second].trimmed().isEmpty())
                return nan;
            return cells[it->second].trimmed().toDouble(ok);
        };
        bool ok[6];
        EpochRecord e;
        const double epoch = cell("epoch", &ok[0]);
        e.seconds = cell("seconds", &ok[1]);
        e.elapsed = cell("elapsed_seconds", &ok[2]);
        e.lr = cell("lr", &ok[3]);
        e.train_loss = cell("train_loss", &ok[4]);
        e.validation_metric = cell("validation_metric", &ok[5]);
        if (!(ok[0] && ok[1] && ok[2] && ok[3] && ok[4] && ok[5]) || !std::isfinite(epoch) || epoch < 0 ||
            epoch > 1e8) {
            *error = tr("%1, line %2: not a row of numbers: %3")
                         .arg(QDir::toNativeSeparators(path))
                         .arg(li + 1)
                         .arg(lines[li].left(80));
            return false;
        }
        e.epoch = static_cast<int>(epoch);
        appendReadEpoch(*out, e);
    }
    return true;
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
    if (QFileInfo::exists(curvesPath) && !readCurves(curvesPath, &run.curves, error))
        return std::nullopt;

    const QString reportPath = d.filePath(QStringLiteral("report.json"));
    if (QFileInfo::exists(reportPath)) {
        try {
            std::ifstream in(reportPath.toStdString());
            const nlohmann::json r = nlohmann::json::parse(in);
            run.best_epoch = r.value("best_epoch", -1);
            if (r.contains("best_validation") && r["best_validation"].is_number())
                run.best_metric = r["best_validation"].get<double>();
            run.seconds = r.value("train_seconds", 0.0);
            const std::string reason = r.value("stop_reason", std::string("completed"));
            run.status = r.value("time_limited", false) ? QStringLiteral("time-limited")
                                                        : QString::fromStdString(reason);
        } catch (const std::exception& e) {
            *error = tr("%1: not a report of rmm train (%2)")
                         .arg(QDir::toNativeSeparators(reportPath), QString::fromUtf8(e.what()));
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
