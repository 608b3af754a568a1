// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/session.hpp"

#include "engine/core/error.hpp"
#include "engine/store/model_file.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cmath>

namespace rmm {

namespace {

nlohmann::json num(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

double numOr(const nlohmann::json& j, const char* key, double fallback)
{
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

QString modelsFolder(const QString& sessionPath)
{
    const QFileInfo fi(sessionPath);
    return fi.completeBaseName() + QStringLiteral(".models");
}

} // namespace

nlohmann::json sessionToJson(const SessionState& s, const std::map<int, QString>& modelFiles)
{
    nlohmann::json j;
    j["format"] = "rmm-workbench-session";
    j["version"] = kSessionVersion;
    j["recording"] = {{"path", s.recording.path.toStdString()},
                      {"demo", s.recording.demo},
                      {"demo_seconds", s.recording.demo_seconds}};
    j["config"] = s.config;
    nlohmann::json runs = nlohmann::json::array();
    for (const Run& r : s.runs) {
        nlohmann::json curves = nlohmann::json::array();
        for (const EpochRecord& e : r.curves)
            curves.push_back(
                {e.epoch, num(e.seconds), num(e.lr), num(e.train_loss), num(e.validation_metric)});
        nlohmann::json rj = {
            {"id", r.id},
            {"name", r.name.toStdString()},
            {"color", r.color.name().toStdString()},
            {"status", r.status.toStdString()},
            {"started", r.started.toString(Qt::ISODate).toStdString()},
            {"seconds", r.seconds},
            {"best_epoch", r.best_epoch},
            {"best_metric", num(r.best_metric)},
            {"config", toJson(r.config)},
            {"curves_columns", {"epoch", "seconds", "lr", "train_loss", "validation_metric"}},
            {"curves", curves}};
        const auto it = modelFiles.find(r.id);
        if (it != modelFiles.end())
            rj["model_file"] = it->second.toStdString();
        runs.push_back(rj);
    }
    j["runs"] = runs;
    return j;
}

bool saveSession(const QString& path, const SessionState& state, QString* error)
{
    auto fail = [&](const QString& m) {
        if (error)
            *error = m;
        return false;
    };
    const QFileInfo fi(path);
    const QString folder = modelsFolder(path);
    std::map<int, QString> modelFiles;
    try {
        for (const Run& r : state.runs) {
            if (!r.model)
                continue;
            if (!QDir(fi.absolutePath()).mkpath(folder))
                return fail(QObject::tr("Could not create the folder %1 for the run models.")
                                .arg(QDir(fi.absolutePath()).filePath(folder)));
            const QString rel = folder + QStringLiteral("/run-%1.h5").arg(r.id);
            saveModel(QDir(fi.absolutePath()).filePath(rel).toStdString(), *r.model, toJson(r.config).dump(2),
                      {{"method", toString(r.config.training.method)},
                       {"best_epoch", std::to_string(r.best_epoch)},
                       {"run_name", r.name.toStdString()}});
            modelFiles[r.id] = rel;
        }
    } catch (const Error& e) {
        return fail(QString::fromStdString(e.what()));
    }
    const std::string text = sessionToJson(state, modelFiles).dump(1) + "\n";
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(QObject::tr("Could not write %1: %2").arg(path, file.errorString()));
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit())
        return fail(QObject::tr("Could not write %1: %2").arg(path, file.errorString()));
    return true;
}

bool loadSession(const QString& path, SessionState* out, QString* error)
{
    auto fail = [&](const QString& m) {
        if (error)
            *error = m;
        return false;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QObject::tr("Could not read %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size());
    } catch (const nlohmann::json::exception& e) {
        return fail(QObject::tr("%1 is not a session file (invalid JSON: %2)")
                        .arg(path, QString::fromUtf8(e.what())));
    }
    if (!j.is_object() || j.value("format", std::string()) != "rmm-workbench-session")
        return fail(QObject::tr("%1 is not an RMM Workbench session").arg(path));
    const int version = j.value("version", 0);
    if (version < 1 || version > kSessionVersion)
        return fail(QObject::tr("%1 is a session of format version %2; this build reads versions 1 to %3")
                        .arg(path)
                        .arg(version)
                        .arg(kSessionVersion));
    SessionState s;
    const QDir dir = QFileInfo(path).absoluteDir();
    try {
        const auto& rec = j.at("recording");
        s.recording.path = QString::fromStdString(rec.value("path", std::string()));
        s.recording.demo = rec.value("demo", false);
        s.recording.demo_seconds = numOr(rec, "demo_seconds", 120);
        s.config = j.value("config", nlohmann::json());
        for (const auto& rj : j.value("runs", nlohmann::json::array())) {
            Run r;
            r.id = rj.at("id").get<int>();
            r.name = QString::fromStdString(rj.value("name", std::string()));
            r.color = QColor(QString::fromStdString(rj.value("color", std::string())));
            r.status = QString::fromStdString(rj.value("status", std::string()));
            r.started = QDateTime::fromString(QString::fromStdString(rj.value("started", std::string())),
                                              Qt::ISODate);
            r.seconds = numOr(rj, "seconds", 0);
            r.best_epoch = rj.value("best_epoch", -1);
            r.best_metric = numOr(rj, "best_metric", std::numeric_limits<double>::quiet_NaN());
            r.config = parseExperimentConfig(rj.at("config"), dir.absolutePath().toStdString());
            for (const auto& c : rj.value("curves", nlohmann::json::array())) {
                EpochRecord e;
                const double nan = std::numeric_limits<double>::quiet_NaN();
                e.epoch = c.at(0).get<int>();
                e.seconds = c.at(1).is_number() ? c.at(1).get<double>() : nan;
                e.lr = c.at(2).is_number() ? c.at(2).get<double>() : nan;
                e.train_loss = c.at(3).is_number() ? c.at(3).get<double>() : nan;
                e.validation_metric = c.at(4).is_number() ? c.at(4).get<double>() : nan;
                r.curves.push_back(e);
            }
            if (rj.contains("model_file")) {
                r.modelPath = dir.filePath(QString::fromStdString(rj["model_file"].get<std::string>()));
                r.model = loadModel(r.modelPath.toStdString()).model;
            }
            s.runs.push_back(std::move(r));
        }
    } catch (const nlohmann::json::exception& e) {
        return fail(QObject::tr("%1: damaged session (%2)").arg(path, QString::fromUtf8(e.what())));
    } catch (const Error& e) {
        return fail(QObject::tr("%1: %2").arg(path, QString::fromStdString(e.what())));
    }
    *out = std::move(s);
    return true;
}

} // namespace rmm
