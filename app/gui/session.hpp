// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions: a versioned JSON file holding the recording reference, the channel map and settings
// (as the experiment config), and every run (settings, curves, best snapshot) with its model file
// saved beside the session in "<name>.models/". Every write is atomic (temporary file + rename).
//
// Format version 2 (version 1 files are migrated on read, see migrateSession):
//  - every file reference (recording, each config's data.file, each model file) is stored as
//    {"relative": <to the session's folder>, "absolute": <as saved>}; reading tries the relative
//    path first, so a session folder can be moved or copied to another machine;
//  - a demo recording is written beside the session as "<name>-demo.h5" (generic HDF5) and the
//    configs reference it, so every config in the session trains with `rmm train --config`;
//  - the selected run, the program version and the time of saving are kept.
#pragma once
#include "app/gui/run_store.hpp"
#include "engine/recording/recording.hpp"

#include <QDateTime>
#include <QString>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QDir;

namespace rmm {

constexpr int kSessionVersion = 2;

struct SessionRecording {
    QString path; ///< absolute file path; "demo" (or the demo file once written) for the demo; "" for none
    bool demo = false;
    double demo_seconds = 120;
};

struct SessionState {
    SessionRecording recording;
    nlohmann::json config; ///< toJson(ExperimentConfig) of the forms, or null when they were invalid
    std::vector<Run> runs; ///< datasets are not stored (rebuilt from the recording)
    int selected_run = 0;  ///< 0 = none
    /// When saving a demo session: the demo's samples, written beside the session as
    /// "<name>-demo.h5" (null: the file is referenced but not rewritten).
    std::shared_ptr<const Recording> demo_recording;
};

/// Everything a save writes, prepared on the GUI thread (cheap) and written anywhere.
struct SessionWrite {
    QString path;                          ///< the session file
    std::string text;                      ///< its JSON
    QString demo_path;                     ///< "" = no demo file to write
    std::shared_ptr<const Recording> demo; ///< written to demo_path
    struct ModelJob {
        QString path;
        std::shared_ptr<const CircuitModel> model;
        std::string config_json;
        std::map<std::string, std::string> extra;
    };
    std::vector<ModelJob> models;
};

/// Where a demo session's recording is written: "<folder>/<name>-demo.h5".
QString demoFileFor(const QString& sessionPath);

/// The JSON text and the list of files of a save of `state` to `path` (no file is touched).
SessionWrite prepareSessionWrite(const QString& path, const SessionState& state);
/// Writes the demo recording, the model files and the session file (each atomically);
/// false with `error` set on failure. Safe to call from any thread.
bool writeSessionFiles(const SessionWrite& write, QString* error = nullptr);

/// prepareSessionWrite + writeSessionFiles.
bool saveSession(const QString& path, const SessionState& state, QString* error = nullptr);
/// Reads a session (any version up to kSessionVersion) and the runs' models.
bool loadSession(const QString& path, SessionState* state, QString* error = nullptr);

/// What a list of sessions shows of one file, read without loading its models.
struct SessionSummary {
    QString path;
    QDateTime saved; ///< when it was written (the file's time when the file does not say)
    int runs = 0;
    QString recording; ///< file name of its recording ("" for none)
    bool demo = false;
};

/// Summary of a session file; false with `error` set when it is not a readable session.
bool summarizeSession(const QString& path, SessionSummary* out, QString* error = nullptr);

/// Upgrades the JSON of an older session (found in `dir`) to kSessionVersion; throws
/// nlohmann::json::exception on a damaged file.
nlohmann::json migrateSession(nlohmann::json j, const QDir& dir);

} // namespace rmm
