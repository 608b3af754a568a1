// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/main_window.hpp"

#include "app/gui/getting_started.hpp"
#include "app/gui/language.hpp"
#include "app/gui/result_pages.hpp"
#include "app/gui/session.hpp"
#include "app/gui/train_page.hpp"
#include "app/gui/training_worker.hpp"
#include "engine/core/error.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/trace_plot.hpp"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>

namespace rmm {

namespace {

constexpr int kSettingsVersion = 1;

// Numbers shown to the user follow QLocale() (decimal comma in German); exported data never does.
QString formatRate(double hz)
{
    const QLocale l;
    if (hz >= 1000.0)
        return QCoreApplication::translate("MainWindow", "%1 kHz").arg(l.toString(hz / 1000.0, 'g', 4));
    return QCoreApplication::translate("MainWindow", "%1 Hz").arg(l.toString(hz, 'g', 4));
}

QString formatDuration(double seconds)
{
    const QLocale l;
    if (seconds < 120.0)
        return QCoreApplication::translate("MainWindow", "%1 s")
            .arg(l.toString(seconds, 'f', seconds < 10 ? 3 : 1));
    const auto total = static_cast<long long>(std::llround(seconds));
    return QCoreApplication::translate("MainWindow", "%1 s (%2 min %3 s)")
        .arg(l.toString(seconds, 'f', 1))
        .arg(total / 60)
        .arg(total % 60);
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setAcceptDrops(true);
    auto* stack = new QStackedWidget(this);
    auto* hint = new QLabel(tr("<p style='font-size:large'>No recording open</p>"
                               "<p>File &gt; Open… (Ctrl+O) opens a recording;<br>"
                               "File &gt; Open demo recording generates a half-center oscillator.</p>"
                               "<p>You can also drop a file here.</p>"
                               "<p>New here? Help &gt; Getting started (F1) shows the first steps.</p>"),
                            stack);
    hint->setAlignment(Qt::AlignCenter);
    hint->setTextFormat(Qt::RichText);
    hint->setForegroundRole(QPalette::PlaceholderText);
    m_plot = new TracePlot(stack);
    stack->addWidget(hint);
    stack->addWidget(m_plot);
    m_train = new TrainPage(this);
    m_predictions = new PredictionsPage(this);
    m_analysis = new AnalysisPage(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(stack, tr("&Recording"));
    m_tabs->addTab(m_train, tr("&Train"));
    m_tabs->addTab(m_predictions, tr("&Predictions"));
    m_tabs->addTab(m_analysis, tr("&Analysis"));
    m_tabs->setAccessibleName(tr("Views"));
    setCentralWidget(m_tabs);
    m_workspace = new Workspace(m_train->runs(), this);
    connect(m_train, &TrainPage::selectedRunChanged, this, &MainWindow::showSelectedRun);
    connect(m_train, &TrainPage::dataConfigChanged, this, [this](const DataConfig& data) {
        QStringList v, u, isyn; // rows: every voltage, then the injected currents, then I_syn
        for (const NeuronChannels& n : data.neurons) {
            v << QString::fromStdString(n.v);
            u << QString::fromStdString(n.u);
            if (n.isyn)
                isyn << QString::fromStdString(*n.isyn);
        }
        m_plot->setMappedChannels(v + u + isyn);
    });
    connect(m_plot, &TracePlot::exportRequested, this, &MainWindow::chooseExport);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::showSelectedRun);
    connect(m_train, &TrainPage::message, this,
            [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(m_train, &TrainPage::errorMessage, this, &MainWindow::showError);
    // A quit confirmed while training waits for the stopped run, then closes.
    connect(m_train, &TrainPage::runFinished, this, [this]() {
        if (m_closeAfterStop)
            QTimer::singleShot(0, this, &QWidget::close);
    });

    m_statusLabel = new QLabel(this);
    m_statusLabel->setAccessibleName(tr("Recording summary"));
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_statusLabel, 1);
    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(tr("Loading progress"));
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_progress->hide();
    statusBar()->addPermanentWidget(m_progress);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, [this]() {
        const double f = loadProgress();
        if (f < 0) {
            m_progress->setRange(0, 0);
            m_progress->setTextVisible(false);
        } else {
            m_progress->setRange(0, 1000);
            m_progress->setTextVisible(true);
            m_progress->setValue(static_cast<int>(std::lround(std::clamp(f, 0.0, 1.0) * 1000)));
        }
    });

    createActions();
    connectWorkspace();
    setWindowTitle(tr("RMM Workbench"));
    updateStatus();

    QSettings settings;
    if (settings.value(QStringLiteral("version")).toInt() == kSettingsVersion &&
        restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray())) {
        restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    } else {
        const QRect screen = QGuiApplication::primaryScreen()
                                 ? QGuiApplication::primaryScreen()->availableGeometry()
                                 : QRect(0, 0, 1600, 1000);
        resize(std::min(1600, screen.width() * 9 / 10), std::min(1100, screen.height() * 9 / 10));
    }
}

MainWindow::~MainWindow()
{
    // Saves finish while the window is whole; the training thread is joined by its controller
    // (a child of the train page) before the run's objects go.
    m_workspace->waitForSaves();
}

void MainWindow::connectWorkspace()
{
    Workspace* w = m_workspace;
    Workspace::Views views;
    views.config = [this]() -> nlohmann::json {
        try {
            return toJson(m_train->experimentConfig());
        } catch (const Error&) {
            return nullptr; // incomplete forms: the runs are still saved
        }
    };
    views.selectedRun = [this]() { return m_train->selectedRun(); };
    views.apply = [this](const SessionState& state) { applySession(state); };
    w->setViews(std::move(views));
    Workspace::Questions questions;
    questions.unsavedRuns = [this](int runs, const QString& what) { return askUnsavedRuns(runs, what); };
    questions.saveLocation = [this]() { return chooseSessionLocation(); };
    w->setQuestions(std::move(questions));
    connect(m_train, &TrainPage::modified, w, &Workspace::markModified);

    connect(w, &Workspace::loadStarted, this, [this]() {
        m_progress->setRange(0, 0);
        m_progress->show();
        m_progressTimer->start();
    });
    connect(w, &Workspace::loadEnded, this, [this]() {
        m_progressTimer->stop();
        m_progress->hide();
        statusBar()->clearMessage();
    });
    connect(w, &Workspace::recordingChanged, this, &MainWindow::showRecording);
    connect(w, &Workspace::recordingLoaded, this, [this]() {
        m_exportAction->setEnabled(true);
        m_fitAction->setEnabled(true);
        updateStatus();
        showSelectedRun(); // a result view waiting for this recording
        emit recordingLoaded();
    });
    connect(w, &Workspace::titleChanged, this,
            [this](const QString& name) { setWindowTitle(tr("%1 — RMM Workbench").arg(name)); });
    connect(w, &Workspace::status, this,
            [this](const QString& message, int timeoutMs) { statusBar()->showMessage(message, timeoutMs); });
    connect(w, &Workspace::error, this, &MainWindow::showError);
    connect(w, &Workspace::sessionSaved, this, &MainWindow::sessionSaved);
    connect(w, &Workspace::recentFilesChanged, this, &MainWindow::rebuildRecentMenu);
}

void MainWindow::showRecording()
{
    const auto& recording = m_workspace->recording();
    m_train->setRecording(recording); // first: its channel map orders the plot's rows
    m_plot->setRecording(recording);
    static_cast<QStackedWidget*>(m_tabs->widget(0))->setCurrentWidget(m_plot);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_openAction = file->addAction(tr("&Open…"), this, &MainWindow::chooseFile);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a recording file"));
    m_openAction->setStatusTip(m_openAction->toolTip());

    m_demoAction = file->addAction(tr("Open &demo recording"), this, &MainWindow::openDemo);
    m_demoAction->setToolTip(tr("Generate the built-in half-center oscillator recording"));
    m_demoAction->setStatusTip(m_demoAction->toolTip());
    QAction* sweep = file->addAction(tr("Open s&weep folder…"), this, &MainWindow::chooseSweepFolder);
    sweep->setToolTip(tr("Compare the runs of a hyperparameter sweep (the folder of rmm sweep run or rmm "
                         "sweep slurm)"));
    sweep->setStatusTip(sweep->toolTip());

    file->addSeparator();
    m_exportAction = file->addAction(tr("&Export figure…"), this, &MainWindow::chooseExport);
    m_exportAction->setShortcut(QKeySequence(tr("Ctrl+E")));
    m_exportAction->setToolTip(tr("Save plots of any view as one PNG, PDF or SVG figure"));
    m_exportAction->setStatusTip(m_exportAction->toolTip());
    QAction* exportData = file->addAction(tr("Export &data…"), this, &MainWindow::chooseExportData);
    exportData->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    exportData->setStatusTip(tr("Save the selected run's curves and predictions as CSV or HDF5"));
    addAction(exportData);
    createSessionActions(file);

    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    quit->setToolTip(tr("Quit RMM Workbench"));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_train->undoRemoveAction());
    edit->addAction(m_train->removeRunAction());
    addAction(m_train->undoRemoveAction());

    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_fitAction = view->addAction(tr("&Fit"), m_plot, &TracePlot::fit);
    m_fitAction->setShortcut(QKeySequence(tr("Ctrl+0")));
    m_fitAction->setToolTip(
        tr("Show the whole trial and each channel's full range (or double-click the plot)"));
    m_fitAction->setStatusTip(m_fitAction->toolTip());
    m_fitAction->setEnabled(false);
    view->addSeparator();
    view->addMenu(createLanguageMenu(this));

    QMenu* trainMenu = menuBar()->addMenu(tr("T&rain"));
    trainMenu->addAction(m_train->channelMapAction());
    trainMenu->addSeparator();
    trainMenu->addAction(m_train->startAction());
    trainMenu->addAction(m_train->pauseAction());
    trainMenu->addAction(m_train->stopAction());
    addActions(
        {m_train->channelMapAction(), m_train->startAction(), m_train->pauseAction(), m_train->stopAction()});

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* start = help->addAction(tr("&Getting started"), this, [this]() {
        auto* dialog = new GettingStartedDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    start->setShortcut(QKeySequence::HelpContents);
    start->setToolTip(tr("First steps from a recording to a figure, and the keyboard shortcuts"));
    addAction(start);
    QAction* aboutAction = help->addAction(tr("&About RMM Workbench"), this, &MainWindow::about);
    aboutAction->setMenuRole(QAction::AboutRole);
    aboutAction->setToolTip(tr("Version, licence and mouse controls"));

    // Shortcuts work even when the menu bar is hidden (full screen).
    addActions({m_openAction, m_demoAction, m_exportAction, quit, m_fitAction});
}

void MainWindow::chooseFile()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("paths/lastOpenDir"), QDir::homePath()).toString();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open recording"), dir,
                                     tr("Recordings (*.abf *.nwb *.h5 *.hdf5 *.mat *.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/lastOpenDir"), QFileInfo(path).absolutePath());
    openFile(path);
}

void MainWindow::showError(const QString& message)
{
    // Non-blocking (window-modal sheet) so nothing waits on the user and tests can run through.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("RMM Workbench"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("errorMessageBox"));
    box->open();
    emit errorShown(message);
}

QString MainWindow::statusText() const
{
    return m_statusLabel->text();
}

void MainWindow::updateStatus()
{
    if (!recording()) {
        m_statusLabel->setText(tr("No recording open"));
        return;
    }
    const Recording& rec = *recording();
    const int trials = static_cast<int>(rec.trials.size());
    const int channels = trials > 0 ? static_cast<int>(rec.trials.front().channels.size()) : 0;
    const double rate = rec.dt_ms > 0 ? 1000.0 / rec.dt_ms : 0.0;
    const QString trialText = trials == 1 ? tr("1 trial") : tr("%1 trials").arg(trials);
    const QString channelText = channels == 1 ? tr("1 channel") : tr("%1 channels").arg(channels);
    m_statusLabel->setText(QStringList{m_workspace->displayName(), QString::fromStdString(rec.format),
                                       trialText, channelText, formatDuration(rec.durationSeconds()),
                                       formatRate(rate)}
                               .join(QStringLiteral("  ·  ")));
}

bool MainWindow::exportFigure(const QString& path)
{
    // The traces at their on-screen size (logical pixels of 1/96 inch), through the one figure export.
    QCustomPlot* plot = m_plot->plot();
    FigureOptions o;
    o.width_mm = std::max(plot->width(), 100) * 25.4 / 96.0;
    o.height_mm = std::max(plot->height(), 100) * 25.4 / 96.0;
    QString error;
    if (!rmm::exportFigure({plot}, path, o, &error)) {
        showError(error);
        return false;
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::about()
{
    QMessageBox::about(
        this, tr("About RMM Workbench"),
        tr("<h3>RMM Workbench %1</h3>"
           "<p>Recurrent Mechanistic Models of small neural circuits.</p>"
           "<p><b>Mouse:</b> wheel zooms time (over a y axis: that axis); drag pans; Ctrl+drag zooms to a "
           "rectangle; double-click fits (on a y axis: that channel).</p>"
           "<p>Licensed under the GNU GPL, version 3 or later. Plots by QCustomPlot.</p>")
            .arg(QStringLiteral(RMM_VERSION)));
}

bool MainWindow::isRunRecordingOpen(const Run& run) const
{
    if (!recording())
        return false;
    if (!run.recording_fingerprint.isEmpty()) // the content decides, wherever the file now is
        return run.recording_fingerprint == m_train->recordingFingerprint();
    if (run.recording_path.isEmpty())
        return true; // nothing known (a run of an old session without a recording): as shown
    return m_workspace->isOpenFile(run.recording_path);
}

void MainWindow::showSelectedRun()
{
    // Only the visible result view computes; the other follows when it is shown.
    const Run* run = m_train->runs()->find(m_train->selectedRun());
    if (m_tabs->currentWidget() == m_analysis) {
        m_analysis->showRun(run); // the model alone: no recording needed
        return;
    }
    if (m_tabs->currentWidget() != m_predictions)
        return;
    // Predictions simulate the run on its own recording: open it when another one is shown.
    if (run && run->model && !run->dataset && !isRunRecordingOpen(*run)) {
        const QString file = run->recording_path;
        const bool demo = file == QLatin1String("demo");
        const QString shown = demo ? tr("the demo recording") : QDir::toNativeSeparators(file);
        if (isLoading()) {
            m_predictions->showMessage(tr("Waiting for the recording to load…"));
            return;
        }
        if (m_workspace->isOpenFile(file)) { // the same file, other content
            m_predictions->showMessage(
                tr("%1 was trained on %2, but its content has changed since (the fingerprint of its samples "
                   "differs). Predictions would not be the run's: open the recording it was trained on.")
                    .arg(run->displayName(), shown));
        } else if (!demo && !QFileInfo(file).isFile()) {
            m_predictions->showMessage(
                tr("%1 was trained on %2, which is missing (moved, renamed or deleted). "
                   "Open it where it is now (File > Open) to see the predictions.")
                    .arg(run->displayName(), shown));
        } else {
            m_predictions->showMessage(
                tr("%1 was trained on %2: opening it…").arg(run->displayName(), shown));
            statusBar()->showMessage(tr("Opening %1, the recording of %2").arg(shown, run->displayName()),
                                     8000);
            if (demo)
                openDemo();
            else
                openFile(file);
        }
        return;
    }
    m_predictions->showRun(run, recording(), m_train->recordingFingerprint(), comparisonFor(run));
}

bool MainWindow::confirmStopForQuit()
{
    if (m_quitAnswer != QuitWhileTraining::Ask)
        return m_quitAnswer == QuitWhileTraining::StopAndKeep;
    QMessageBox box(QMessageBox::Question, tr("RMM Workbench"), tr("Training is running."),
                    QMessageBox::NoButton, this);
    box.setInformativeText(
        tr("Stop it, keep the run with its best model so far in the session, and quit? (Stop takes effect "
           "after the current mini-batch.)"));
    QPushButton* stop = box.addButton(tr("Stop and keep the best model"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(stop);
    box.exec();
    return box.clickedButton() == stop;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    TrainingController* training = m_train->controller();
    if (training->isRunning()) {
        event->ignore();
        if (m_closeAfterStop)
            return; // already stopping; the run's end closes the window
        if (!confirmStopForQuit())
            return;
        if (training->isRunning()) { // it may have ended while the question was open
            m_closeAfterStop = true;
            m_train->stopTraining();
            statusBar()->showMessage(tr("Stopping the training to quit…"));
            return;
        }
    }
    m_closeAfterStop = false;
    if (!m_workspace->resolveUnsavedRuns(tr("quitting"))) {
        event->ignore();
        return;
    }
    m_workspace->close(); // writes what is due; quitting never loses a save in flight
    QSettings settings;
    settings.setValue(QStringLiteral("version"), kSettingsVersion);
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile()) {
        openFile(urls.front().toLocalFile());
        event->acceptProposedAction();
    }
}

} // namespace rmm
