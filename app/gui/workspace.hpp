// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench's work without its widgets: the open recording (read or generated in the
// background, with progress, cancelled by a newer request), the session it belongs to (its file,
// this window's autosave, what the user has not saved yet, the session waiting for its recording)
// and the recent files. MainWindow lays out the views and wires them to it; the workspace never
// shows anything: it reports through signals and asks what only the user can answer (where to
// save, what to do with unsaved runs) through the callbacks the window gives it. It runs under a
// plain QCoreApplication (tests/gui/test_workspace.cpp).
#pragma once
#include "app/gui/session.hpp"
#include "engine/recording/recording.hpp"

#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QTimer;

namespace rmm {

class RunStore;
class SessionSaver;

class Workspace : public QObject {
    Q_OBJECT
  public:
    /// What quitting (or opening another session) does while runs are unsaved: ask the user, or an
    /// answer given beforehand (tests, scripted use). Discard still leaves the autosave.
    enum class UnsavedRuns { Ask, Save, Discard, Cancel };

    /// What the views add to a session and take from an opened one.
    struct Views {
        /// The forms' settings as an experiment config (null when the forms are incomplete).
        std::function<nlohmann::json()> config;
        /// The selected run's id (0 = none).
        std::function<int()> selectedRun;
        /// An opened session's settings and selection, called once its runs are in the store.
        std::function<void(const SessionState&)> apply;
    };
    /// The questions only the user can answer.
    struct Questions {
        /// `runs` runs are unsaved; what to do before `what` ("quitting", ...)?
        std::function<UnsavedRuns(int runs, const QString& what)> unsavedRuns;
        /// Where to save the session ("" = cancelled).
        std::function<QString()> saveLocation;
    };

    /// `runs`: the session's runs (owned by the caller). The autosave timer starts here.
    explicit Workspace(RunStore* runs, QObject* parent = nullptr);
    ~Workspace() override;

    void setViews(Views views) { m_views = std::move(views); }
    void setQuestions(Questions questions) { m_questions = std::move(questions); }
    void setUnsavedRunsAnswer(UnsavedRuns answer) { m_unsavedAnswer = answer; }

    // The recording
    /// Length of each trial of the demo recording (default 120 s, as the paper's data).
    void setDemoSeconds(double seconds) { m_demoSeconds = seconds; }
    double demoSeconds() const { return m_demoSeconds; }
    /// Reads a file in the background; recordingLoaded() or error() follows.
    void openFile(const QString& path);
    /// Generates the demo recording in the background.
    void openDemo();
    const std::shared_ptr<const Recording>& recording() const { return m_recording; }
    /// The open recording's name as shown (file name, or the demo's).
    QString displayName() const { return m_displayName; }
    bool isLoading() const { return m_loading; }
    /// Fraction done of the running load in [0, 1], or -1 when unknown or idle.
    double loadProgress() const;
    /// True when the open recording was read from `path` (or both are the generated demo).
    bool isOpenFile(const QString& path) const;

    // The session
    /// The session as it stands (recording, the views' settings, every run that is not running).
    SessionState currentSession() const;
    /// Saves in the background to `path` (sessionSaved() or error() follows), which becomes the
    /// session's file (title, autosave target, recent files).
    void saveSessionTo(const QString& path);
    /// File > Save session: to the session's file, or where the user chooses.
    void save();
    /// Saves without asking: a session the user saved to its file; an untitled one (when it has
    /// runs) to this window's own autosave file, so unsaved runs are never lost and no other
    /// window's autosave is overwritten.
    void autosave();
    /// Blocks until every save asked for is written.
    void waitForSaves();
    /// Opens a session: its recording loads in the background; settings and runs follow. False
    /// (and error()) when the file is not a readable session, or the user kept the unsaved runs.
    bool openSession(const QString& path);
    /// Asks what to do with unsaved runs before `what` (quitting, opening a session); true when it
    /// may go on (saved, or discarded on purpose).
    bool resolveUnsavedRuns(const QString& what);
    /// True while the session holds runs that no Save of the user's has written.
    bool hasUnsavedRuns() const;
    /// The runs or the settings changed: an autosave is due and the runs are unsaved.
    void markModified();
    /// Before the window closes: writes what is due, waits for the saves, stops a load.
    void close();
    QString sessionPath() const { return m_sessionPath; }
    /// This window's autosave file (see autosaves.hpp).
    QString autosavePath() const { return m_autosavePath; }
    SessionSaver* saver() const { return m_saver; }

    // Recent files (sessions and recordings that opened)
    QStringList recentFiles() const;
    /// Opens a recent entry: a session, or a recording.
    void openRecent(const QString& path);

  signals:
    /// A load began (`displayName`: what is being read).
    void loadStarted(const QString& displayName);
    /// The load ended, whatever its outcome (before recordingChanged, error or nothing).
    void loadEnded();
    /// A new recording is open: views take it now, before a session waiting for it is applied.
    void recordingChanged();
    /// The recording is shown and the session waiting for it applied.
    void recordingLoaded();
    /// The window's title names this (the recording, or the session file once saved).
    void titleChanged(const QString& name);
    /// A passing message for the status bar (0 ms: until replaced).
    void status(const QString& message, int timeoutMs);
    void error(const QString& message);
    /// A session save finished writing (`autosave`: the automatic one).
    void sessionSaved(const QString& path, bool autosave);
    void recentFilesChanged();

  private:
    struct LoadState;
    struct LoadResult;
    void startLoad(const QString& displayName, bool demo, const QString& path);
    void finishLoad(const LoadResult& result);
    void applySession(const SessionState& state);
    SessionState sessionForSave(const QString& path) const;
    void addRecent(const QString& path);
    void removeRecent(const QString& path);

    RunStore* m_runs;
    Views m_views;
    Questions m_questions;
    UnsavedRuns m_unsavedAnswer = UnsavedRuns::Ask;
    SessionSaver* m_saver = nullptr;
    QTimer* m_autosaveTimer = nullptr;
    QString m_sessionPath;
    QString m_autosavePath;
    bool m_modified = false;          ///< changed since the last save of any kind (autosave due)
    bool m_unsaved = false;           ///< changed since the user's last Save
    QSet<QString> m_demoFilesWritten; ///< demo files already written for the current recording
    std::shared_ptr<SessionState> m_pendingSession; ///< applied once its recording has loaded

    std::shared_ptr<const Recording> m_recording;
    QString m_displayName;
    double m_demoSeconds = 120.0;
    bool m_lastLoadDemo = false;
    QString m_loadPath; ///< absolute path of the file being loaded ("" for the demo)
    bool m_loading = false;
    quint64 m_loadGeneration = 0;
    std::shared_ptr<LoadState> m_loadState; ///< progress/cancel of the running load
};

} // namespace rmm
