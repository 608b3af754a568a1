// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the session menu and its dialogs (the work is the workspace's), and export of
// figures and data.
#include "app/gui/autosave_dialog.hpp"
#include "app/gui/autosaves.hpp"
#include "app/gui/data_export.hpp"
#include "app/gui/main_window.hpp"
#include "app/gui/result_pages.hpp"
#include "app/gui/run_import.hpp"
#include "app/gui/session.hpp"
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
#include <QStatusBar>
#include <QTabWidget>

#include <algorithm>

namespace rmm {

namespace {
const QString kSessionFilter = QStringLiteral("*.rmmsession");
} // namespace

void MainWindow::createSessionActions(QMenu* file)
{
    file->addSeparator();
    QAction* open = file->addAction(tr("Open &session…"), this, &MainWindow::chooseOpenSession);
    open->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    open->setStatusTip(tr("Open a saved session: recording, channel map, settings and runs"));
    QAction* save = file->addAction(tr("&Save session"), m_workspace, &Workspace::save);
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

MainWindow::UnsavedRuns MainWindow::askUnsavedRuns(int runs, const QString& what)
{
    QMessageBox box(QMessageBox::Question, tr("RMM Workbench"),
                    tr("The session has %n run(s) that are not saved.", nullptr, runs), QMessageBox::NoButton,
                    this);
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
    return clicked == save      ? UnsavedRuns::Save
           : clicked == discard ? UnsavedRuns::Discard
                                : UnsavedRuns::Cancel;
}

SessionState MainWindow::currentSession() const
{
    return m_workspace->currentSession();
}

void MainWindow::applySession(const SessionState& state)
{
    const RunStore* runs = m_train->runs();
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
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList list = m_workspace->recentFiles();
    for (const QString& p : list) {
        QAction* a = m_recentMenu->addAction(QDir::toNativeSeparators(p), this,
                                             [this, p]() { m_workspace->openRecent(p); });
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

QString MainWindow::chooseSessionLocation()
{
    const QString current = m_workspace->sessionPath();
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save session"), current.isEmpty() ? QStringLiteral("session.rmmsession") : current,
        tr("Sessions (%1)").arg(kSessionFilter));
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".rmmsession");
    return path;
}

void MainWindow::chooseSaveSessionAs()
{
    const QString path = chooseSessionLocation();
    if (!path.isEmpty())
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
