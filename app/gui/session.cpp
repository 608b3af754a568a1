// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/session.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/recording/formats.hpp"
#include "engine/run/curves_file.hpp"
#include "engine/store/model_file.hpp"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QRegularExpression>

#include <cmath>

namespace rmm {

namespace {

using json = nlohmann::json;

json num(double v)
{
    return std::isfinite(v) ? json(v) : json();
}

double numOr(const json& j, const char* key, double fallback)
{
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

QString modelsFolder(const QString& sessionPath)
{
    const QFileInfo fi(sessionPath);
    return fi.completeBaseName() + QStringLiteral(".models");
}

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

/// True for the in-memory demo placeholder that is not a file name.
bool isDemoPlaceholder(const QString& path)
{
    return path == QLatin1String("demo");
}

/// {"relative", "absolute"} of a file for a session in `dir` ("demo" and "" stay as they are).
json fileRef(const QDir& dir, const QString& path)
{
    if (path.isEmpty() || isDemoPlaceholder(path))
        return {{"relative", path.toStdString()}, {"absolute", path.toStdString()}};
    const QString absolute = QFileInfo(dir, path).absoluteFilePath();
    return {{"relative", QDir::fromNativeSeparators(dir.relativeFilePath(absolute)).toStdString()},
            {"absolute", absolute.toStdString()}};
}

/// The file a reference points to: beside the session first (the folder may have moved), then
/// where it was when saved; the relative one (for the error message) when neither exists.
QString resolveRef(const QDir& dir, const json& ref)
{
    const QString rel = fromStd(ref.value("relative", std::string()));
    const QString abs = fromStd(ref.value("absolute", std::string()));
    if (rel.isEmpty() && abs.isEmpty())
        return {};
    if (isDemoPlaceholder(rel) || isDemoPlaceholder(abs))
        return QStringLiteral("demo");
    QString beside = rel.isEmpty() ? QString() : QFileInfo(dir, rel).absoluteFilePath();
    if (!beside.isEmpty() && QFileInfo::exists(beside))
        return beside;
    if (!abs.isEmpty() && QFileInfo::exists(abs))
        return abs;
    return beside.isEmpty() ? abs : beside;
}

/// A config for the file: data.file relative to the session folder (`dataFile` resolved already).
json configForFile(json config, const QDir& dir, const QString& dataFile)
{
    if (config.is_object() && config.contains("data") && config["data"].is_object())
        config["data"]["file"] = fileRef(dir, dataFile)["relative"];
    return config;
}

QString dataFileOf(const json& config)
{
    if (config.is_object() && config.contains("data") && config["data"].is_object() &&
        config["data"].contains("file") && config["data"]["file"].is_string())
        return fromStd(config["data"]["file"].get<std::string>());
    return {};
}

/// Version 1 -> 2: plain path strings become {relative, absolute} references.
json migrateV1(json j, const QDir& dir)
{
    json& rec = j.at("recording");
    const QString path = fromStd(rec.value("path", std::string()));
    rec["file"] = fileRef(dir, path);
    rec.erase("path");
    if (j.contains("config") && j["config"].is_object())
        j["config_data_file"] = fileRef(dir, dataFileOf(j["config"]));
    for (json& r : j.at("runs")) {
        r["data_file"] = fileRef(dir, dataFileOf(r.at("config")));
        if (r.contains("model_file")) // v1 stored it relative to the session's folder
            r["model_file"] = fileRef(dir, fromStd(r["model_file"].get<std::string>()));
    }
    j["version"] = 2;
    return j;
}

} // namespace

json migrateSession(json j, const QDir& dir)
{
    if (j.value("version", 0) == 1)
        j = migrateV1(std::move(j), dir);
    return j;
}

QString demoFileFor(const QString& sessionPath)
{
    const QFileInfo fi(sessionPath);
    return fi.absoluteDir().filePath(fi.completeBaseName() + QStringLiteral("-demo.h5"));
}

SessionWrite prepareSessionWrite(const QString& path, const SessionState& s)
{
    SessionWrite w;
    const QFileInfo fi(path);
    const QDir dir = fi.absoluteDir();
    w.path = fi.absoluteFilePath();

    // The demo lives in memory only: its samples go to a file beside the session, which the
    // configs reference (so `rmm train --config` can read them).
    QString recordingPath = s.recording.path;
    if (s.recording.demo) {
        recordingPath = demoFileFor(path);
        if (s.demo_recording) {
            w.demo_path = recordingPath;
            w.demo = s.demo_recording;
        }
    }
    // A config trained on the demo names "demo", or the demo file of an earlier save (which
    // may not exist, e.g. after an autosave): both become this save's demo file.
    auto dataFile = [&](const json& config) {
        QString f = dataFileOf(config);
        if (f.isEmpty() || (s.recording.demo && (isDemoPlaceholder(f) || !QFileInfo::exists(f))))
            return recordingPath;
        return f;
    };

    json j;
    j["format"] = "rmm-workbench-session";
    j["version"] = kSessionVersion;
    j["saved_by"] = "RMM Workbench " RMM_VERSION;
    j["saved_at"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    j["recording"] = {{"file", fileRef(dir, recordingPath)},
                      {"demo", s.recording.demo},
                      {"demo_seconds", s.recording.demo_seconds}};
    j["config"] = s.config.is_null() ? json() : configForFile(s.config, dir, dataFile(s.config));
    if (!s.config.is_null())
        j["config_data_file"] = fileRef(dir, dataFile(s.config));
    j["selected_run"] = s.selected_run;
    json runs = json::array();
    const QString folder = modelsFolder(path);
    for (const Run& r : s.runs) {
        json curves = json::array();
        for (const EpochRecord& e : r.curves)
            curves.push_back({e.epoch, num(e.seconds), num(e.lr), num(e.train_loss), num(e.validation_metric),
                              num(e.elapsed)});
        const json config = toJson(r.config);
        const QString runData = dataFile(config);
        json rj = {{"id", r.id},
                   {"name", r.name.toStdString()},
                   {"color", r.color.name().toStdString()},
                   {"status", r.status.toStdString()},
                   {"started", r.started.toString(Qt::ISODate).toStdString()},
                   {"seconds", r.seconds},
                   {"best_epoch", r.best_epoch},
                   {"best_metric", num(r.best_metric)},
                   {"config", configForFile(config, dir, runData)},
                   {"data_file", fileRef(dir, runData)},
                   {"curves_columns",
                    {"epoch", "seconds", "lr", "train_loss", "validation_metric", "elapsed_seconds"}},
                   {"curves", curves}};
        if (r.report)
            rj["report"] = toJson(*r.report);
        if (!r.recording_path.isEmpty() || !r.recording_fingerprint.isEmpty())
            rj["recording"] = {{"file", fileRef(dir, r.recording_path)},
                               {"fingerprint", r.recording_fingerprint.toStdString()}};
        if (r.model) {
            const QString rel = folder + QStringLiteral("/run-%1.h5").arg(r.id);
            rj["model_file"] = fileRef(dir, rel);
            json modelConfig = config;
            modelConfig["data"]["file"] = runData.toStdString();
            w.models.push_back({dir.filePath(rel),
                                r.model,
                                modelConfig.dump(2),
                                {{"method", toString(r.config.training.method)},
                                 {"best_epoch", std::to_string(r.best_epoch)},
                                 {"run_name", r.displayName().toStdString()}}});
        }
        runs.push_back(rj);
    }
    j["runs"] = runs;
    w.text = j.dump(1) + "\n";
    return w;
}

bool writeSessionFiles(const SessionWrite& w, QString* error)
{
    auto fail = [&](const QString& m) {
        if (error)
            *error = m;
        return false;
    };
    try {
        if (w.demo && !w.demo_path.isEmpty())
            writeGenericHdf5(*w.demo, w.demo_path.toStdString());
        for (const SessionWrite::ModelJob& m : w.models) {
            const QString folder = QFileInfo(m.path).absolutePath();
            if (!QDir().mkpath(folder))
                return fail(QObject::tr("Could not create the folder %1 for the run models.").arg(folder));
            saveModel(m.path.toStdString(), *m.model, m.config_json, m.extra);
        }
        writeTextAtomically(w.path.toStdString(), w.text);
    } catch (const Error& e) {
        return fail(fromStd(e.what()));
    } catch (const std::exception& e) {
        return fail(QObject::tr("Could not write %1: %2").arg(w.path, QString::fromUtf8(e.what())));
    }
    return true;
}

bool saveSession(const QString& path, const SessionState& state, QString* error)
{
    return writeSessionFiles(prepareSessionWrite(path, state), error);
}

namespace {

/// The JSON of a session file of a readable version (not migrated); false with `error` set.
bool readSessionJson(const QString& path, json* out, QString* error)
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
    json j;
    try {
        j = json::parse(bytes.constData(), bytes.constData() + bytes.size());
    } catch (const json::exception& e) {
        return fail(QObject::tr("%1 is not a session file (invalid JSON: %2)")
                        .arg(path, QString::fromUtf8(e.what())));
    }
    if (!j.is_object() || j.value("format", std::string()) != "rmm-workbench-session")
        return fail(QObject::tr("%1 is not an RMM Workbench session").arg(path));
    const int version =
        j.contains("version") && j["version"].is_number_integer() ? j["version"].get<int>() : 0;
    if (version < 1 || version > kSessionVersion)
        return fail(QObject::tr("%1 is a session of format version %2; this build reads versions 1 to %3")
                        .arg(path)
                        .arg(version)
                        .arg(kSessionVersion));
    *out = std::move(j);
    return true;
}

} // namespace

bool summarizeSession(const QString& path, SessionSummary* out, QString* error)
{
    json j;
    if (!readSessionJson(path, &j, error))
        return false;
    SessionSummary s;
    s.path = path;
    const QFileInfo fi(path);
    s.saved = QDateTime::fromString(fromStd(j.value("saved_at", std::string())), Qt::ISODate);
    if (!s.saved.isValid())
        s.saved = fi.lastModified();
    const json runs = j.value("runs", json::array());
    s.runs = runs.is_array() ? static_cast<int>(runs.size()) : 0;
    const json rec = j.value("recording", json::object());
    if (rec.is_object()) {
        s.demo = rec.value("demo", false);
        const json file = rec.value("file", json());
        std::string name;
        if (file.is_string()) // version 1
            name = file.get<std::string>();
        else if (file.is_object())
            name = file.value("absolute", std::string());
        s.recording =
            name == "demo" || s.demo ? QObject::tr("demo recording") : QFileInfo(fromStd(name)).fileName();
    }
    *out = s;
    return true;
}

bool loadSession(const QString& path, SessionState* out, QString* error)
{
    auto fail = [&](const QString& m) {
        if (error)
            *error = m;
        return false;
    };
    json j;
    if (!readSessionJson(path, &j, error))
        return false;
    SessionState s;
    const QDir dir = QFileInfo(path).absoluteDir();
    try {
        j = migrateSession(std::move(j), dir);
        const auto& rec = j.at("recording");
        s.recording.demo = rec.value("demo", false);
        s.recording.demo_seconds = numOr(rec, "demo_seconds", 120);
        s.recording.path = resolveRef(dir, rec.value("file", json::object()));
        s.selected_run = j.value("selected_run", 0);
        s.config = j.value("config", json());
        if (s.config.is_object() && j.contains("config_data_file")) {
            const QString f = resolveRef(dir, j["config_data_file"]);
            if (!f.isEmpty())
                s.config["data"]["file"] = f.toStdString();
        }
        for (const auto& rj : j.value("runs", json::array())) {
            Run r;
            r.id = rj.at("id").get<int>();
            r.name = fromStd(rj.value("name", std::string()));
            // Default names of older sessions ("Run 3", or translated as "Lauf 3") become the
            // default again, shown in the language of the day.
            static const QRegularExpression defaultName(QStringLiteral("^(Run|Lauf) (\\d+)$"));
            if (const auto m = defaultName.match(r.name); m.hasMatch() && m.captured(2).toInt() == r.id)
                r.name.clear();
            r.color = QColor(fromStd(rj.value("color", std::string())));
            r.status = fromStd(rj.value("status", std::string()));
            r.started = QDateTime::fromString(fromStd(rj.value("started", std::string())), Qt::ISODate);
            r.seconds = numOr(rj, "seconds", 0);
            r.best_epoch = rj.value("best_epoch", -1);
            r.best_metric = numOr(rj, "best_metric", std::numeric_limits<double>::quiet_NaN());
            json config = rj.at("config");
            if (rj.contains("data_file") && config.is_object() && config.contains("data")) {
                const QString f = resolveRef(dir, rj["data_file"]);
                if (!f.isEmpty())
                    config["data"]["file"] = f.toStdString();
            }
            r.config = parseExperimentConfig(config, dir.absolutePath().toStdString());
            if (rj.contains("report")) {
                try {
                    r.report = std::make_shared<const RunReport>(parseRunReport(
                        rj["report"], path.toStdString() + ": run " + std::to_string(r.id) + " report"));
                } catch (const Error&) {
                    // A damaged report (its numbers are only shown) does not cost the run: it opens
                    // without one, its curves and model intact.
                }
            }
            if (rj.contains("recording") && rj["recording"].is_object()) {
                r.recording_path = resolveRef(dir, rj["recording"].value("file", json::object()));
                r.recording_fingerprint = fromStd(rj["recording"].value("fingerprint", std::string()));
            } else { // sessions before runs knew their recording: the session's
                r.recording_path = s.recording.path;
            }
            for (const auto& c : rj.value("curves", json::array())) {
                EpochRecord e;
                const double nan = std::numeric_limits<double>::quiet_NaN();
                e.epoch = c.at(0).get<int>();
                e.seconds = c.at(1).is_number() ? c.at(1).get<double>() : nan;
                e.lr = c.at(2).is_number() ? c.at(2).get<double>() : nan;
                e.train_loss = c.at(3).is_number() ? c.at(3).get<double>() : nan;
                e.validation_metric = c.at(4).is_number() ? c.at(4).get<double>() : nan;
                e.elapsed =
                    c.size() > 5 && c.at(5).is_number() ? c.at(5).get<double>() : nan; // none in version 1
                appendReadEpoch(r.curves, e);
            }
            if (rj.contains("model_file")) {
                r.modelPath = resolveRef(dir, rj["model_file"]);
                r.model = std::make_shared<const CircuitModel>(loadModel(r.modelPath.toStdString()).model);
            }
            s.runs.push_back(std::move(r));
        }
    } catch (const json::exception& e) {
        return fail(QObject::tr("%1: damaged session (%2)").arg(path, QString::fromUtf8(e.what())));
    } catch (const Error& e) {
        return fail(QObject::tr("%1: %2").arg(path, fromStd(e.what())));
    }
    *out = std::move(s);
    return true;
}

} // namespace rmm
