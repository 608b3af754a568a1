// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench main window: lays out the views and wires them to the workspace (workspace.hpp),
// which owns the open recording, the session, its autosave and the recent files.
#pragma once
#include "app/gui/workspace.hpp"
#include "engine/recording/recording.hpp"

#include <QMainWindow>

#include <QHash>

#include <memory>

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

    /// The recording, the session and the recent files, without widgets.
    Workspace* workspace() const { return m_workspace; }
    /// Length of each trial of the demo recording (default 120 s, as the paper's data).
    void setDemoSeconds(double seconds) { m_workspace->setDemoSeconds(seconds); }
    double demoSeconds() const { return m_workspace->demoSeconds(); }

    /// Loads a file in the background; recordingLoaded() or errorShown() follows.
    void openFile(const QString& path) { m_workspace->openFile(path); }
    /// Generates the demo recording in the background.
    void openDemo() { m_workspace->openDemo(); }
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

    // The session (the workspace's; see workspace.hpp)
    void saveSessionTo(const QString& path) { m_workspace->saveSessionTo(path); }
    void autosave() { m_workspace->autosave(); }
    void waitForSaves() { m_workspace->waitForSaves(); }
    SessionSaver* sessionSaver() const { return m_workspace->saver(); }
    bool openSession(const QString& path) { return m_workspace->openSession(path); }
    SessionState currentSession() const;
    QString sessionPath() const { return m_workspace->sessionPath(); }
    QString autosavePath() const { return m_workspace->autosavePath(); }
    bool hasUnsavedRuns() const { return m_workspace->hasUnsavedRuns(); }
    /// File > Restore autosaved session: lists the autosaves and opens the chosen one.
    void chooseAutosave();

    /// What closing the window while a run trains does: ask (default), or answer without asking
    /// (tests, scripted use).
    enum class QuitWhileTraining { Ask, StopAndKeep, Cancel };
    void setQuitWhileTraining(QuitWhileTraining answer) { m_quitAnswer = answer; }
    /// What quitting (or opening another session) does while runs are unsaved: ask (default), or
    /// answer without asking (tests, scripted use). Discard still leaves the autosave.
    using UnsavedRuns = Workspace::UnsavedRuns;
    void setUnsavedRunsAnswer(UnsavedRuns answer) { m_workspace->setUnsavedRunsAnswer(answer); }
    /// True between a confirmed quit during training and the run's end (the window then closes).
    bool isClosingAfterStop() const { return m_closeAfterStop; }

    TracePlot* tracePlot() const { return m_plot; }
    TrainPage* trainPage() const { return m_train; }
    PredictionsPage* predictionsPage() const { return m_predictions; }
    AnalysisPage* analysisPage() const { return m_analysis; }
    QTabWidget* tabs() const { return m_tabs; }
    const std::shared_ptr<const Recording>& recording() const { return m_workspace->recording(); }
    bool isLoading() const { return m_workspace->isLoading(); }
    /// Fraction done of the running load in [0, 1], or -1 when unknown or idle.
    double loadProgress() const { return m_workspace->loadProgress(); }
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
    void createActions();
    void connectWorkspace();
    /// The views take the workspace's new recording.
    void showRecording();
    void showError(const QString& message);
    void updateStatus();
    void chooseFile();
    void chooseExport();
    void about();
    void showSelectedRun();
    /// True when the open recording is the one `run` was trained on (fingerprint, else path).
    bool isRunRecordingOpen(const Run& run) const;
    void createSessionActions(QMenu* file);
    /// An opened session's settings and selection (its runs are in the store already).
    void applySession(const SessionState& state);
    void rebuildRecentMenu();
    bool confirmStopForQuit();
    /// The user's answer about unsaved runs before `what`.
    UnsavedRuns askUnsavedRuns(int runs, const QString& what);
    /// Where to save the session ("" = cancelled).
    QString chooseSessionLocation();
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
    Workspace* m_workspace = nullptr;
    QuitWhileTraining m_quitAnswer = QuitWhileTraining::Ask;
    bool m_closeAfterStop = false;
    SweepPage* m_sweep = nullptr;
    QString m_sweepShown;            ///< the sweep folder the Sweep tab last switched to
    QHash<QString, int> m_sweepRuns; ///< imported sweep result folder (canonical) -> run id
    int m_compareBase = 0;           ///< run whose predictions show m_compareWith's over them
    int m_compareWith = 0;
};

} // namespace rmm
