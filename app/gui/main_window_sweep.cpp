// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the Sweep tab (issue 19): opening a sweep folder, opening its runs into the run list,
// and comparing two runs' predictions.
#include "app/gui/main_window.hpp"
#include "app/gui/result_pages.hpp"
#include "app/gui/run_import.hpp"
#include "app/gui/sweep_page.hpp"
#include "app/gui/train_page.hpp"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace rmm {

void MainWindow::chooseSweepFolder()
{
    QSettings settings;
    const QString start = settings.value(QStringLiteral("paths/lastSweepDir"), QDir::homePath()).toString();
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Sweep folder (rmm sweep run --out DIR)"), start);
    if (dir.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/lastSweepDir"), QFileInfo(dir).absolutePath());
    openSweep(dir);
}

void MainWindow::openSweep(const QString& dir)
{
    if (!m_sweep) {
        m_sweep = new SweepPage(this);
        m_sweep->hide();
        connect(m_sweep, &SweepPage::loaded, this, [this]() {
            if (m_tabs->indexOf(m_sweep) < 0)
                m_tabs->addTab(m_sweep, tr("S&weep"));
            m_exportAction->setEnabled(true);        // the sweep plot exports without a recording
            if (m_sweep->folder() != m_sweepShown) { // a newly opened sweep (not a refresh)
                m_sweepShown = m_sweep->folder();
                m_tabs->setCurrentWidget(m_sweep);
                statusBar()->showMessage(
                    tr("Opened the sweep %1").arg(QDir::toNativeSeparators(m_sweep->folder())), 5000);
            }
        });
        connect(m_sweep, &SweepPage::failed, this, [this](const QString& message) {
            statusBar()->clearMessage();
            showError(message);
        });
        connect(m_sweep, &SweepPage::openRunRequested, this,
                [this](const QString& resultDir, const QString& name) {
                    if (openSweepRun(resultDir, name))
                        m_tabs->setCurrentWidget(m_train);
                });
        connect(m_sweep, &SweepPage::compareRequested, this, &MainWindow::compareSweepRuns);
        connect(m_sweep, &SweepPage::exportRequested, this, &MainWindow::chooseExport);
        // Selecting another run ends a comparison.
        connect(m_train, &TrainPage::selectedRunChanged, this, [this](int id) {
            if (id != m_compareBase)
                m_compareBase = m_compareWith = 0;
        });
    }
    statusBar()->showMessage(tr("Reading the sweep %1…").arg(QDir::toNativeSeparators(dir)));
    m_sweep->openFolder(dir);
}

int MainWindow::openSweepRun(const QString& resultDir, const QString& name)
{
    const QString key = QFileInfo(resultDir).canonicalFilePath();
    const QFileInfo model(QDir(resultDir).filePath(QStringLiteral("model.h5")));
    if (const auto it = m_sweepRuns.constFind(key); it != m_sweepRuns.constEnd()) {
        const Run* run = m_train->runs()->find(*it);
        // The same results (a run trained again since, e.g. in a resumed sweep, is imported again).
        if (run && run->started == model.lastModified()) {
            m_train->selectRun(run->id);
            return run->id;
        }
    }
    QString error;
    std::optional<Run> run = importTrainResults(resultDir, &error);
    if (!run) {
        showError(error);
        return 0;
    }
    run->name = name;
    const int id = m_train->addFinishedRun(std::move(*run));
    m_sweepRuns.insert(key, id);
    statusBar()->showMessage(tr("Opened %1 from %2").arg(name, QDir::toNativeSeparators(resultDir)), 5000);
    return id;
}

void MainWindow::compareSweepRuns(const QString& dirA, const QString& nameA, const QString& dirB,
                                  const QString& nameB)
{
    const int b = openSweepRun(dirB, nameB);
    const int a = b ? openSweepRun(dirA, nameA) : 0;
    if (!a || !b)
        return;
    m_compareBase = a;
    m_compareWith = b;
    m_train->selectRun(a);
    if (m_tabs->currentWidget() == m_predictions)
        showSelectedRun();
    else
        m_tabs->setCurrentWidget(m_predictions); // shows the selected run, with the comparison
}

const Run* MainWindow::comparisonFor(const Run* run)
{
    if (!run || run->id != m_compareBase || !m_compareWith)
        return nullptr;
    const Run* other = m_train->runs()->find(m_compareWith);
    if (!other || !other->model)
        return nullptr;
    if (!isRunRecordingOpen(*other)) {
        statusBar()->showMessage(tr("%1 was trained on another recording than %2: its predictions are not "
                                    "drawn over them")
                                     .arg(other->displayName(), run->displayName()),
                                 8000);
        return nullptr;
    }
    return other;
}

} // namespace rmm
