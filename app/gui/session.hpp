// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions: a versioned JSON file holding the recording reference, the channel map and settings
// (as the experiment config), and every run (settings, curves, best snapshot) with its model file
// saved beside the session in "<name>.models/". Every write is atomic (temporary file + rename).
#pragma once
#include "app/gui/run_store.hpp"

#include <QString>
#include <nlohmann/json.hpp>

#include <map>
#include <vector>

namespace rmm {

constexpr int kSessionVersion = 1;

struct SessionRecording {
    QString path; ///< file path ("demo" for the demo)
    bool demo = false;
    double demo_seconds = 120;
};

struct SessionState {
    SessionRecording recording;
    nlohmann::json config; ///< toJson(ExperimentConfig) of the forms, or null when they were invalid
    std::vector<Run> runs; ///< datasets are not stored (rebuilt from the recording)
};

/// Writes the session and the runs' model files; false with `error` set on failure.
bool saveSession(const QString& path, const SessionState& state, QString* error = nullptr);
/// Reads a session (any version up to kSessionVersion) and the runs' models.
bool loadSession(const QString& path, SessionState* state, QString* error = nullptr);

/// The session JSON without touching files (model_file entries as given in `modelFiles`, by run id).
nlohmann::json sessionToJson(const SessionState& state, const std::map<int, QString>& modelFiles);

} // namespace rmm
