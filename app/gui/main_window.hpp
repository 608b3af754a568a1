// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench main window: opens recordings (in the background) and shows their traces.
#pragma once
#include "engine/recording/recording.hpp"

#include <QMainWindow>

#include <QHash>
#include <QSet>

#include <atomic>
#include <memory>
#include <optional>

class QAction;
class QMenu;
class QLabel;
class QProgressBar;
class QTabWidget;
class QTimer;

namespace rmm {

struct SessionState;
struct Run;
class AnalysisPage;
class PredictionsPage;
class SessionSaver;
class SweepPage;
class TracePlot;
class TrainPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    /// Adds the run that `rmm train --out dir` wrote; false (and a message box) on bad input.
    bool importResults(const QString& dir);
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Length of each trial of the demo recording (default 120 s, as the paper's data).
    void setDemoSeconds(double seconds) { m_demoSeconds = seconds; }
    double demoSeconds() const { return m_demoSeconds; }

    /// Loads a file in the background; recordingLoaded() or errorShown() follows.
    void openFile(const QString& path);
    /// Generates the demo recording in the background.
    void openDemo();
    /// Opens a sweep folder (`rmm sweep run/slurm --out DIR`) in the Sweep tab, read in the
    /// background; the tab appears once it has been read (an error message otherwise).
    void openSweep(const QString& dir);
    /// The Sweep tab (null until a sweep was opened).
    SweepPage* sweepPage() const { return m_sweep; }
    /// Adds a sweep run's results (DIR/runs/NNNN/result) to the run list under `name`, or selects
    /// it when it is there already (imported before and unchanged since); returns its run id, 0
    /// (and a message) on bad input.
    int openSweepRun(const QString& resultDir, const QString& name);
    /// Opens two sweep runs and shows their predictions drawn over one another.
    void compareSweepRuns(const QString& dirA, const QString& nameA, const QString& dirB,
                          const QString& nameB);
    /// Writes the trace plot to a PNG, PDF or SVG file; shows the error and returns false on failure.
    bool exportFigure(const QString& path);

    /// Saves the session (settings, runs, model files) to `path` in the background (sessionSaved()
    /// or an error message follows). Becomes the session's file (title, autosave target, recent
    /// files).
    void saveSessionTo(const QString& path);
    /// Saves in the background without asking: a session the user saved to its file; an untitled
    /// one (when it has runs) to this window's own autosave file, so unsaved runs are never lost
    /// and no other window's autosave is overwritten.
    void autosave();
    /// Blocks until every session save asked for is written.
    void waitForSaves();
    SessionSaver* sessionSaver() const { return m_saver; }
    /// Opens a session: its recording loads in the background; settings and runs follow.
    bool openSession(const QString& path);
    /// The session as it stands (for saving).
    SessionState currentSession() const;
    QString sessionPath() const { return m_sessionPath; }
    /// This window's autosave file (see autosaves.hpp).
    QString autosavePath() const { return m_autosavePath; }
    /// True while the session holds runs that no Save (of the user's) has written.
    bool hasUnsavedRuns() const;
    /// File > Restore autosaved session: lists the autosaves and opens the chosen one.
    void chooseAutosave();

    /// What closing the window while a run trains does: ask (default), or answer without asking
    /// (tests, scripted use).
    enum class QuitWhileTraining { Ask, StopAndKeep, Cancel };
    void setQuitWhileTraining(QuitWhileTraining answer) { m_quitAnswer = answer; }
    /// What quitting (or opening another session) does while runs are unsaved: ask (default), or
    /// answer without asking (tests, scripted use). Discard still leaves the autosave.
    enum class UnsavedRuns { Ask, Save, Discard, Cancel };
    void setUnsavedRunsAnswer(UnsavedRuns answer) { m_unsavedAnswer = answer; }
    /// True between a confirmed quit during training and the run's end (the window then closes).
    bool isClosingAfterStop() const { return m_closeAfterStop; }

    TracePlot* tracePlot() const { return m_plot; }
    TrainPage* trainPage() const { return m_train; }
    PredictionsPage* predictionsPage() const { return m_predictions; }
    AnalysisPage* analysisPage() const { return m_analysis; }
    QTabWidget* tabs() const { return m_tabs; }
    const std::shared_ptr<const Recording>& recording() const { return m_recording; }
    bool isLoading() const { return m_loading; }
    /// Fraction done of the running load in [0, 1], or -1 when unknown or idle.
    double loadProgress() const;
    QString statusText() const;

    QAction* fitAction() const { return m_fitAction; }

  signals:
    /// A recording is shown (after a successful load).
    void recordingLoaded();
    /// An error message was shown to the user (non-modal).
    void errorShown(const QString& message);
    /// A session save finished writing (`autosave`: the automatic one).
    void sessionSaved(const QString& path, bool autosave);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    struct LoadState;
    struct LoadResult;

    void createActions();
    void startLoad(const QString& displayName, bool demo, const QString& path);
    void finishLoad(const LoadResult& result, quint64 generation);
    void showError(const QString& message);
    void updateStatus();
    void chooseFile();
    void chooseExport();
    void about();
    void showSelectedRun();
    /// True when the open recording is the one `run` was trained on (fingerprint, else path).
    bool isRunRecordingOpen(const Run& run) const;
    /// True when the open recording was read from `path` (or both are the generated demo).
    bool isOpenFile(const QString& path) const;
    void createSessionActions(QMenu* file);
    void applySession(const SessionState& state);
    void addRecent(const QString& path);
    void removeRecent(const QString& path);
    void rebuildRecentMenu();
    bool confirmStopForQuit();
    /// Asks what to do with unsaved runs before `what` (quitting, opening a session); true when it
    /// may go on (saved, or discarded on purpose).
    bool resolveUnsavedRuns(const QString& what);
    SessionState sessionForSave(const QString& path) const;
    void chooseOpenSession();
    void chooseSaveSessionAs();
    void chooseExportData();
    void chooseSweepFolder();
    /// The run drawn over `run` in the Predictions tab (Compare predictions of the Sweep tab).
    const Run* comparisonFor(const Run* run);

    TracePlot* m_plot = nullptr;
    QTabWidget* m_tabs = nullptr;
    TrainPage* m_train = nullptr;
    PredictionsPage* m_predictions = nullptr;
    AnalysisPage* m_analysis = nullptr;
    QLabel* m_statusLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QTimer* m_progressTimer = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_demoAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_fitAction = nullptr;

    QMenu* m_recentMenu = nullptr;
    QTimer* m_autosaveTimer = nullptr;
    QString m_sessionPath;
    bool m_modified = false; ///< changed since the last save of any kind (autosave due)
    bool m_unsaved = false;  ///< changed since the user's last Save
    QString m_autosavePath;
    UnsavedRuns m_unsavedAnswer = UnsavedRuns::Ask;
    SessionSaver* m_saver = nullptr;
    QSet<QString> m_demoFilesWritten; ///< demo files already written for the current recording
    QuitWhileTraining m_quitAnswer = QuitWhileTraining::Ask;
    bool m_closeAfterStop = false;
    bool m_lastLoadDemo = false;
    QString m_loadPath; ///< absolute path of the file being loaded ("" for the demo)
    std::shared_ptr<SessionState> m_pendingSession; ///< applied once its recording has loaded
    std::shared_ptr<const Recording> m_recording;
    QString m_displayName;
    double m_demoSeconds = 120.0;
    bool m_loading = false;
    quint64 m_loadGeneration = 0;
    std::shared_ptr<LoadState> m_loadState; ///< progress/cancel of the running load
    SweepPage* m_sweep = nullptr;
    QString m_sweepShown;            ///< the sweep folder the Sweep tab last switched to
    QHash<QString, int> m_sweepRuns; ///< imported sweep result folder (canonical) -> run id
    int m_compareBase = 0;           ///< run whose predictions show m_compareWith's over them
    int m_compareWith = 0;
};

} // namespace rmm
