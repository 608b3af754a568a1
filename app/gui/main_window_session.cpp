// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: sessions (open, save, autosave, recent files) and export of figures and data.
#include "app/gui/autosaves.hpp"
#include "app/gui/data_export.hpp"
#include "app/gui/main_window.hpp"
#include "app/gui/result_pages.hpp"
#include "app/gui/run_import.hpp"
#include "app/gui/session.hpp"
#include "app/gui/session_saver.hpp"
#include "app/gui/sweep_page.hpp"
#include "app/gui/train_page.hpp"
#include "app/gui/training_worker.hpp"
#include "engine/core/error.hpp"
#include "widgets/conductance_map.hpp"
#include "widgets/export_dialog.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/sweep_plot.hpp"
#include "widgets/trace_plot.hpp"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>

namespace rmm {

namespace {
constexpr int kMaxRecent = 10;
const QString kSessionFilter = QStringLiteral("*.rmmsession");
} // namespace

void MainWindow::createSessionActions(QMenu* file)
{
    file->addSeparator();
    QAction* open = file->addAction(tr("Open &session…"), this, &MainWindow::chooseOpenSession);
    open->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    open->setStatusTip(tr("Open a saved session: recording, channel map, settings and runs"));
    QAction* save = file->addAction(tr("&Save session"), this, [this]() {
        if (m_sessionPath.isEmpty())
            chooseSaveSessionAs();
        else
            saveSessionTo(m_sessionPath);
    });
    save->setShortcut(QKeySequence::Save);
    save->setStatusTip(tr("Save the session with its runs and their model files"));
    QAction* saveAs = file->addAction(tr("Save session &as…"), this, &MainWindow::chooseSaveSessionAs);
    saveAs->setShortcut(QKeySequence::SaveAs);
    QAction* restore = file->addAction(tr("&Restore autosaved session…"), this, &MainWindow::chooseAutosave);
    restore->setStatusTip(tr("Open one of the sessions saved automatically every minute and on quit (one per "
                             "window, newest first)"));
    QAction* import = file->addAction(tr("&Import rmm train results…"), this, [this]() {
        QSettings settings;
        const QString start =
            settings.value(QStringLiteral("paths/lastImportDir"), QDir::homePath()).toString();
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Folder written by rmm train --out"), start);
        if (!dir.isEmpty()) {
            settings.setValue(QStringLiteral("paths/lastImportDir"), QFileInfo(dir).absolutePath());
            importResults(dir);
        }
    });
    import->setStatusTip(
        tr("Add a run trained with the rmm command-line tool (model.h5, curves.csv, report.json) "
           "to the run list"));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    rebuildRecentMenu();
    addActions({open, save, saveAs});

    m_saver = new SessionSaver(this);
    connect(m_saver, &SessionSaver::saved, this, [this](const QString& path, bool automatic) {
        m_demoFilesWritten.insert(demoFileFor(path));
        statusBar()->showMessage(automatic ? tr("Autosaved to %1").arg(QDir::toNativeSeparators(path))
                                           : tr("Saved %1").arg(QDir::toNativeSeparators(path)),
                                 automatic ? 3000 : 5000);
        emit sessionSaved(path, automatic);
    });
    connect(m_saver, &SessionSaver::failed, this,
            [this](const QString&, const QString& error, bool automatic) {
                m_modified = true; // what failed to reach the disk is still unsaved
                m_unsaved = true;
                if (automatic)
                    statusBar()->showMessage(tr("Autosave failed: %1").arg(error), 8000);
                else
                    showError(error);
            });
    // Saves are written in the background, so autosave runs during training too (the running
    // run is saved once it has finished).
    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setInterval(60 * 1000);
    connect(m_autosaveTimer, &QTimer::timeout, this, [this]() {
        if (m_modified)
            autosave();
    });
    m_autosaveTimer->start();
    connect(m_train, &TrainPage::modified, this, [this]() {
        m_modified = true;
        m_unsaved = true;
    });
}

bool MainWindow::hasUnsavedRuns() const
{
    return m_unsaved && !m_train->runs()->runs().empty();
}

void MainWindow::chooseAutosave()
{
    const QList<SessionSummary> autosaves = listAutosaves();
    if (autosaves.isEmpty()) {
        statusBar()->showMessage(tr("No autosaved session yet"), 5000);
        return;
    }
    AutosaveDialog dialog(autosaves, this);
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedPath().isEmpty())
        openSession(dialog.selectedPath());
}

bool MainWindow::resolveUnsavedRuns(const QString& what)
{
    if (m_unsaved && !m_sessionPath.isEmpty()) { // a saved session: brought up to date, no question
        autosave();
        waitForSaves();
    }
    if (!hasUnsavedRuns())
        return true;
    UnsavedRuns answer = m_unsavedAnswer;
    if (answer == UnsavedRuns::Ask) {
        const int n = static_cast<int>(m_train->runs()->runs().size());
        QMessageBox box(QMessageBox::Question, tr("RMM Workbench"),
                        tr("The session has %n run(s) that are not saved.", nullptr, n),
                        QMessageBox::NoButton, this);
        box.setInformativeText(
            tr("Save the session before %1? If you don't, the runs stay only in the autosave (File > Restore "
               "autosaved session).")
                .arg(what));
        QPushButton* save = box.addButton(tr("Save…"), QMessageBox::AcceptRole);
        QPushButton* discard = box.addButton(tr("Don't save"), QMessageBox::DestructiveRole);
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(save);
        box.exec();
        const QAbstractButton* clicked = box.clickedButton();
        answer = clicked == save      ? UnsavedRuns::Save
                 : clicked == discard ? UnsavedRuns::Discard
                                      : UnsavedRuns::Cancel;
    }
    switch (answer) {
    case UnsavedRuns::Discard:
        autosave(); // "don't save" still leaves the autosave to restore from
        return true;
    case UnsavedRuns::Save:
        if (m_sessionPath.isEmpty())
            chooseSaveSessionAs();
        else
            saveSessionTo(m_sessionPath);
        waitForSaves();
        return !m_unsaved; // false when the file dialog was cancelled or the save failed
    default:
        return false;
    }
}

SessionState MainWindow::currentSession() const
{
    SessionState s;
    s.recording.demo = m_lastLoadDemo && m_recording;
    s.recording.demo_seconds = m_demoSeconds;
    s.recording.path = m_recording ? QString::fromStdString(m_recording->source) : QString();
    try {
        s.config = toJson(m_train->experimentConfig());
    } catch (const Error&) {
        s.config = nullptr; // incomplete forms: the runs are still saved
    }
    for (const Run& r : m_train->runs()->runs())
        if (r.status != QLatin1String("running"))
            s.runs.push_back(r);
    const int selected = m_train->selectedRun();
    if (m_train->runs()->find(selected) &&
        m_train->runs()->find(selected)->status != QLatin1String("running"))
        s.selected_run = selected;
    return s;
}

SessionState MainWindow::sessionForSave(const QString& path) const
{
    SessionState s = currentSession();
    // The demo's samples are written beside the session once per recording and file.
    const QString demoFile = demoFileFor(path);
    if (s.recording.demo && !(m_demoFilesWritten.contains(demoFile) && QFileInfo::exists(demoFile)))
        s.demo_recording = m_recording;
    return s;
}

void MainWindow::saveSessionTo(const QString& path)
{
    m_saver->save(path, sessionForSave(path), false);
    m_sessionPath = path;
    addRecent(QFileInfo(path).absoluteFilePath());
    setWindowTitle(tr("%1 — RMM Workbench").arg(QFileInfo(path).fileName()));
    m_modified = false;
    m_unsaved = false;
    statusBar()->showMessage(tr("Saving %1…").arg(QDir::toNativeSeparators(path)));
}

void MainWindow::autosave()
{
    m_modified = false;
    if (!m_sessionPath.isEmpty()) { // a session the user saved is kept current in its own file
        m_saver->save(m_sessionPath, sessionForSave(m_sessionPath), true);
        m_unsaved = false; // a failure (the saver's signal) sets it again
        return;
    }
    SessionState state = currentSession();
    if (state.runs.empty())
        return;                   // nothing worth restoring; an earlier window's autosave is never touched
    state.demo_recording.reset(); // restoring regenerates the demo; quitting stays quick
    m_saver->save(m_autosavePath, state, true);
    pruneAutosaves(kAutosavesKept, m_autosavePath);
}

void MainWindow::waitForSaves()
{
    m_saver->waitForIdle();
}

bool MainWindow::openSession(const QString& path)
{
    if (!resolveUnsavedRuns(tr("opening another session")))
        return false;
    auto state = std::make_shared<SessionState>();
    QString error;
    if (!loadSession(path, state.get(), &error)) {
        showError(error);
        return false;
    }
    // An autosave opens as an untitled session: Save asks where its runs go.
    const bool isAutosave =
        QFileInfo(path).absolutePath() == QFileInfo(autosaveFolder()).absoluteFilePath() ||
        QFileInfo(path).fileName() == QLatin1String("autosave.rmmsession");
    m_sessionPath = isAutosave ? QString() : path;
    if (!isAutosave)
        addRecent(QFileInfo(path).absoluteFilePath());
    m_pendingSession = state;
    // loadSession resolved the recording (beside the session first, then where it was saved). A
    // demo session opens the samples written beside it, or regenerates the demo without them.
    const QString rec = state->recording.path;
    const bool haveFile = !rec.isEmpty() && rec != QLatin1String("demo") && QFileInfo(rec).isFile();
    if (state->recording.demo)
        setDemoSeconds(state->recording.demo_seconds);
    if (haveFile) {
        openFile(rec);
    } else if (state->recording.demo) {
        openDemo();
    } else if (!rec.isEmpty()) {
        openFile(rec); // fails with a message naming the file; the runs still open
    } else {
        m_pendingSession.reset();
        applySession(*state);
    }
    return true;
}

void MainWindow::applySession(const SessionState& state)
{
    RunStore* runs = m_train->runs();
    runs->clear();
    for (const Run& r : state.runs)
        runs->add(r);
    m_train->rebuildCurves();
    if (!state.config.is_null()) {
        try {
            m_train->setExperimentConfig(parseExperimentConfig(state.config));
        } catch (const Error& e) {
            showError(
                tr("The session's settings could not be restored: %1").arg(QString::fromStdString(e.what())));
        }
    }
    if (runs->find(state.selected_run))
        m_train->selectRun(state.selected_run);
    else if (!state.runs.empty())
        m_train->selectRun(state.runs.back().id);
    m_modified = false;
    m_unsaved = m_sessionPath.isEmpty(); // restored from an autosave: not yet in a file of the user's
    statusBar()->showMessage(tr("Session restored: %n run(s)", nullptr, static_cast<int>(state.runs.size())),
                             5000);
}

void MainWindow::addRecent(const QString& path)
{
    QSettings s;
    QStringList list = s.value(QStringLiteral("recentFiles")).toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxRecent)
        list.removeLast();
    s.setValue(QStringLiteral("recentFiles"), list);
    rebuildRecentMenu();
}

void MainWindow::removeRecent(const QString& path)
{
    QSettings s;
    QStringList list = s.value(QStringLiteral("recentFiles")).toStringList();
    if (list.removeAll(path) > 0) {
        s.setValue(QStringLiteral("recentFiles"), list);
        rebuildRecentMenu();
    }
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList list = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& p : list) {
        QAction* a = m_recentMenu->addAction(QDir::toNativeSeparators(p), this, [this, p]() {
            if (p.endsWith(QStringLiteral(".rmmsession")))
                openSession(p);
            else
                openFile(p);
        });
        a->setStatusTip(tr("Open %1").arg(QDir::toNativeSeparators(p)));
    }
    m_recentMenu->setEnabled(!list.isEmpty());
}

void MainWindow::chooseOpenSession()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(),
                                                      tr("Sessions (%1)").arg(kSessionFilter));
    if (!path.isEmpty())
        openSession(path);
}

void MainWindow::chooseSaveSessionAs()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save session"),
                                                m_sessionPath.isEmpty() ? QStringLiteral("session.rmmsession")
                                                                        : m_sessionPath,
                                                tr("Sessions (%1)").arg(kSessionFilter));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".rmmsession");
    saveSessionTo(path);
}

void MainWindow::chooseExport()
{
    QList<QPair<QString, QCustomPlot*>> panels{{tr("Recording traces"), m_plot->plot()},
                                               {tr("Learning curves"), m_train->curves()->plot()},
                                               {tr("Predictions"), m_predictions->view()->plot()},
                                               {tr("Conductance map"), m_analysis->map()->plot()}};
    if (m_sweep)
        panels.append({tr("Sweep plot"), m_sweep->plot()->plot()});
    QList<QCustomPlot*> checked{panels[std::clamp(m_tabs->currentIndex(), 0, 3)].second};
    if (m_sweep && m_tabs->currentWidget() == m_sweep)
        checked = {m_sweep->plot()->plot()};
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("paths/lastExportDir"), QDir::homePath()).toString();
    auto* dialog = new ExportDialog(panels, checked, QDir(dir).filePath(QStringLiteral("figure.pdf")), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() {
        QString error;
        const QString path = dialog->path();
        if (!rmm::exportFigure(dialog->selectedPanels(), path, dialog->options(), &error)) {
            showError(error);
            return;
        }
        QSettings().setValue(QStringLiteral("paths/lastExportDir"), QFileInfo(path).absolutePath());
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
    });
    dialog->open();
}

void MainWindow::chooseExportData()
{
    const Run* run = m_train->runs()->find(m_train->selectedRun());
    if (!run) {
        showError(
            tr("Train or select a run first: data export writes the selected run's curves and predictions."));
        return;
    }
    const QString curves = tr("Learning curves, CSV (*.csv)"), preds = tr("Predictions, CSV (*.csv)"),
                  h5 = tr("Curves and predictions, HDF5 (*.h5)");
    QString filter;
    QString path =
        QFileDialog::getSaveFileName(this, tr("Export data"), run->displayName() + QStringLiteral(".csv"),
                                     curves + ";;" + preds + ";;" + h5, &filter);
    if (path.isEmpty())
        return;
    const PredictionData& pd = m_predictions->view()->predictions();
    const bool havePredictions = !pd.neurons.empty();
    QString error;
    bool ok = false;
    if (filter == h5) {
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".h5");
        ok = writeResultsHdf5(*run, havePredictions ? &pd : nullptr, path, &error);
    } else if (filter == preds) {
        if (!havePredictions) {
            showError(tr("Open the Predictions view for this run first."));
            return;
        }
        ok = m_predictions->view()->exportCsv(path, &error);
    } else {
        ok = writeCurvesCsv(*run, path, &error);
    }
    if (!ok)
        showError(error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
}

} // namespace rmm

namespace rmm {

bool MainWindow::importResults(const QString& dir)
{
    QString error;
    std::optional<Run> run = importTrainResults(dir, &error);
    if (!run) {
        QMessageBox::warning(this, tr("Import"), error);
        return false;
    }
    const QString name = run->displayName();
    m_train->addFinishedRun(std::move(*run));
    m_tabs->setCurrentWidget(m_train);
    statusBar()->showMessage(tr("Imported %1 from %2").arg(name, QDir::toNativeSeparators(dir)), 5000);
    return true;
}

} // namespace rmm
