// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/train_page.hpp"

#include "app/gui/training_worker.hpp"
#include "engine/config/experiment_config.hpp"
#include "engine/core/atomic_file.hpp"
#include "engine/core/error.hpp"
#include "engine/recording/fingerprint.hpp"
#include "engine/recording/formats.hpp"
#include "engine/store/model_file.hpp"
#include "widgets/channel_map_dialog.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/model_form.hpp"
#include "widgets/trainer_form.hpp"

#include <QAction>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace rmm {

QString formatClock(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const auto s = static_cast<long long>(std::llround(seconds));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

namespace {

QScrollArea* scrolled(QWidget* w)
{
    auto* s = new QScrollArea;
    s->setWidget(w);
    s->setWidgetResizable(true);
    s->setFrameShape(QFrame::NoFrame);
    return s;
}

QToolButton* toolButton(QAction* a)
{
    auto* b = new QToolButton;
    b->setDefaultAction(a);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return b;
}

} // namespace

TrainPage::TrainPage(QWidget* parent) : QWidget(parent)
{
    m_controller = new TrainingController(this);
    m_runs = new RunStore(this);

    // Settings column.
    auto* dataBox = new QWidget;
    auto* dataLayout = new QVBoxLayout(dataBox);
    m_dataSummary = new QLabel(dataBox);
    m_dataSummary->setWordWrap(true);
    m_dataSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dataSummary->setAccessibleName(tr("Channel map summary"));
    m_mapAction = new QAction(tr("Channel &map…"), this);
    m_mapAction->setShortcut(QKeySequence(tr("Ctrl+M")));
    m_mapAction->setStatusTip(tr("Assign voltage, injected-current and ground-truth channels per neuron"));
    connect(m_mapAction, &QAction::triggered, this, &TrainPage::editChannelMap);
    auto* cfgButtons = new QHBoxLayout;
    auto* loadBtn = new QPushButton(tr("Load config…"), dataBox);
    auto* saveBtn = new QPushButton(tr("Save config…"), dataBox);
    loadBtn->setToolTip(tr("Read an experiment config JSON (the file `rmm train --config` reads)"));
    saveBtn->setToolTip(tr("Write these settings as an experiment config JSON for `rmm train`"));
    connect(loadBtn, &QPushButton::clicked, this, &TrainPage::loadConfig);
    connect(saveBtn, &QPushButton::clicked, this, &TrainPage::saveConfig);
    cfgButtons->addWidget(loadBtn);
    cfgButtons->addWidget(saveBtn);
    dataLayout->addWidget(m_dataSummary);
    dataLayout->addWidget(toolButton(m_mapAction));
    dataLayout->addLayout(cfgButtons);
    dataLayout->addStretch();

    m_modelForm = new ModelForm;
    m_trainerForm = new TrainerForm;
    auto* settings = new QTabWidget;
    settings->addTab(dataBox, tr("Data"));
    settings->addTab(scrolled(m_modelForm), tr("Model"));
    settings->addTab(scrolled(m_trainerForm), tr("Trainer"));
    settings->setMinimumWidth(380);
    connect(m_modelForm, &ModelForm::changed, this, &TrainPage::modified);
    connect(m_trainerForm, &TrainerForm::changed, this, &TrainPage::modified);

    // Controls + progress.
    m_start = new QAction(tr("&Start training"), this);
    m_start->setShortcut(QKeySequence(tr("F5")));
    m_start->setStatusTip(tr("Train a new run with these settings in the background"));
    m_pause = new QAction(tr("&Pause"), this);
    m_pause->setShortcut(QKeySequence(tr("F6")));
    m_pause->setStatusTip(tr("Pause or resume the running training between mini-batches"));
    m_stop = new QAction(tr("S&top"), this);
    m_stop->setShortcut(QKeySequence(tr("Shift+F5")));
    m_stop->setStatusTip(tr("Stop after the current mini-batch and keep the best snapshot"));
    connect(m_start, &QAction::triggered, this, &TrainPage::startTraining);
    connect(m_pause, &QAction::triggered, this, &TrainPage::togglePause);
    connect(m_stop, &QAction::triggered, this, &TrainPage::stopTraining);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setAccessibleName(tr("Training progress"));
    m_progressLabel = new QLabel(tr("Idle"));
    m_progressLabel->setAccessibleName(tr("Training status"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(toolButton(m_start));
    controls->addWidget(toolButton(m_pause));
    controls->addWidget(toolButton(m_stop));
    controls->addWidget(m_progress, 1);
    controls->addWidget(m_progressLabel);

    m_curves = new LearningCurvePlot;
    m_runView = new QTableView;
    m_runView->setModel(m_runs);
    m_runView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runView->horizontalHeader()->setStretchLastSection(true);
    // Columns fit their text (a best metric such as "9.309e-05 (epoch 19)" stays on one line; an
    // imported run is named after its folder); the status takes the rest.
    for (int c : {RunStore::Name, RunStore::Method, RunStore::Epochs, RunStore::Time, RunStore::Best})
        m_runView->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_runView->setWordWrap(false);
    m_runView->verticalHeader()->hide();
    m_runView->setAccessibleName(tr("Runs"));
    m_runView->setToolTip(tr("Select runs to overlay their curves; the first selected drives the predictions "
                             "and analysis views. Double-click a name to rename."));
    connect(m_runView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TrainPage::showSelection);
    auto* runButtons = new QHBoxLayout;
    auto* saveModel = new QPushButton(tr("Save model…"));
    auto* reuse = new QPushButton(tr("Reopen settings"));
    m_removeRun = new QAction(tr("&Remove run"), this);
    m_removeRun->setShortcut(QKeySequence::Delete);
    m_removeRun->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_removeRun->setStatusTip(tr("Remove the selected runs from the session (Ctrl+Z puts them back)"));
    connect(m_removeRun, &QAction::triggered, this, &TrainPage::removeSelectedRuns);
    m_runView->addAction(m_removeRun);
    m_undoRemove = new QAction(tr("&Undo remove run"), this);
    m_undoRemove->setShortcut(QKeySequence::Undo);
    m_undoRemove->setStatusTip(tr("Put the last removed runs back"));
    m_undoRemove->setEnabled(false);
    connect(m_undoRemove, &QAction::triggered, this, &TrainPage::undoRemove);
    m_useLast = new QAction(tr("Use &last snapshot"), this);
    m_useLast->setToolTip(tr("No snapshot of this run validated above 0: take its parameters at the end of "
                             "training instead of the best (usually the first) snapshot"));
    m_useLast->setEnabled(false);
    connect(m_useLast, &QAction::triggered, this, &TrainPage::useLastSnapshot);
    auto* useLast = new QToolButton;
    useLast->setDefaultAction(m_useLast);
    auto* remove = new QPushButton(tr("Remove"));
    remove->setToolTip(m_removeRun->statusTip());
    saveModel->setToolTip(tr("Write the selected run's best snapshot as a model file (.h5)"));
    reuse->setToolTip(tr("Put the selected run's settings back into the forms"));
    connect(saveModel, &QPushButton::clicked, this, &TrainPage::saveSelectedModel);
    connect(reuse, &QPushButton::clicked, this, [this]() {
        if (const Run* r = m_runs->find(selectedRun()))
            setExperimentConfig(r->config);
    });
    connect(remove, &QPushButton::clicked, this, &TrainPage::removeSelectedRuns);
    runButtons->addWidget(saveModel);
    runButtons->addWidget(reuse);
    runButtons->addWidget(useLast);
    runButtons->addWidget(remove);
    runButtons->addStretch();

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->addLayout(controls);
    auto* vsplit = new QSplitter(Qt::Vertical);
    vsplit->addWidget(m_curves);
    auto* runBox = new QWidget;
    auto* runLayout = new QVBoxLayout(runBox);
    runLayout->setContentsMargins(0, 0, 0, 0);
    runLayout->addWidget(m_runView);
    runLayout->addLayout(runButtons);
    vsplit->addWidget(runBox);
    vsplit->setStretchFactor(0, 3);
    vsplit->setStretchFactor(1, 1);
    rightLayout->addWidget(vsplit, 1);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(settings);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(33);
    connect(m_progressTimer, &QTimer::timeout, this, &TrainPage::updateProgress);
    connect(m_controller, &TrainingController::epochFinished, this, &TrainPage::onEpoch);
    connect(m_controller, &TrainingController::finished, this, &TrainPage::onFinished);
    connect(m_controller, &TrainingController::pausedChanged, this, &TrainPage::updateControls);
    updateDataSummary();
    updateControls();
}

TrainPage::~TrainPage() = default;

void TrainPage::setRecording(std::shared_ptr<const Recording> recording)
{
    m_recording = std::move(recording);
    m_recordingFingerprint =
        m_recording ? QString::fromStdString(rmm::recordingFingerprint(*m_recording)) : QString();
    m_dataset.reset();
    m_datasetKey.clear();
    if (m_recording)
        setDataConfig(ChannelMapDialog::suggest(*m_recording));
    updateControls();
}

void TrainPage::setDataConfig(const DataConfig& data)
{
    m_data = data;
    emit dataConfigChanged(m_data);
    if (!m_data.neurons.empty())
        m_modelForm->setNeuronCount(static_cast<int>(m_data.neurons.size()));
    updateDataSummary();
    emit modified();
}

void TrainPage::updateDataSummary()
{
    if (m_data.neurons.empty()) {
        m_dataSummary->setText(tr("No channel map yet: open a recording, then Channel map…"));
        return;
    }
    QStringList rows;
    rows << tr("<b>%1</b>").arg(QString::fromStdString(m_data.file).toHtmlEscaped());
    for (std::size_t i = 0; i < m_data.neurons.size(); ++i) {
        const auto& n = m_data.neurons[i];
        rows << tr("neuron %1: v = %2, u = %3%4")
                    .arg(i + 1)
                    .arg(QString::fromStdString(n.v), QString::fromStdString(n.u))
                    .arg(n.isyn ? tr(", ground truth %1").arg(QString::fromStdString(*n.isyn)) : QString());
    }
    rows << tr("trials: %1; training %2 %, validation last %3 % of %4")
                .arg(m_data.trials.empty() ? tr("all") : QString::number(m_data.trials.size()))
                .arg(QLocale().toString(m_data.train_fraction * 100, 'g', 3))
                .arg(QLocale().toString(m_data.validation_fraction * 100, 'g', 3))
                .arg(m_data.validation_trial.empty() ? tr("the first trial")
                                                     : QString::fromStdString(m_data.validation_trial));
    m_dataSummary->setText(rows.join(QStringLiteral("<br>")));
}

void TrainPage::editChannelMap()
{
    if (!m_recording) {
        emit errorMessage(tr("Open a recording first: the channel map lists its channels."));
        return;
    }
    auto* dialog = new ChannelMapDialog(*m_recording, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!m_data.neurons.empty())
        dialog->setDataConfig(m_data);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() { setDataConfig(dialog->dataConfig()); });
    dialog->open();
}

ExperimentConfig TrainPage::experimentConfig() const
{
    if (m_data.neurons.empty())
        throw Error(tr("Map the channels first (Train > Channel map…)").toStdString());
    ExperimentConfig c;
    c.data = m_data;
    c.model = m_modelForm->config();
    if (c.model.neurons != static_cast<int>(m_data.neurons.size()))
        throw Error(tr("The model has %1 neuron(s) but the channel map has %2: set Neurons in the model form")
                        .arg(c.model.neurons)
                        .arg(m_data.neurons.size())
                        .toStdString());
    c.training = m_trainerForm->config();
    c.base_dir.assign(1, '.'); // (= "." trips GCC 12 -Wrestrict, bug 105329)
    return c;
}

void TrainPage::setExperimentConfig(const ExperimentConfig& c)
{
    m_data = c.data;
    updateDataSummary();
    m_modelForm->setConfig(c.model);
    m_trainerForm->setConfig(c.training);
    emit modified();
}

bool TrainPage::startTraining()
{
    if (m_controller->isRunning())
        return false;
    if (!m_recording) {
        emit errorMessage(tr("Open a recording (or the demo) before training."));
        return false;
    }
    ExperimentConfig cfg;
    try {
        cfg = experimentConfig();
    } catch (const Error& e) {
        focusFieldOf(QString::fromStdString(e.what()));
        emit errorMessage(tr("Cannot start: %1").arg(inFormTerms(QString::fromStdString(e.what()))));
        return false;
    }
    const std::string key = toJson(cfg)["data"].dump();
    if (key != m_datasetKey)
        m_dataset.reset();
    m_datasetKey = key;
    Run run;
    run.config = cfg;
    run.status = QStringLiteral("running"); // a code, translated for display by displayStatus
    run.started = QDateTime::currentDateTime();
    run.dataset = m_dataset;
    run.recording_path = QString::fromStdString(m_recording->source);
    run.recording_fingerprint = m_recordingFingerprint;
    m_activeRun = m_runs->add(std::move(run));
    const Run* r = m_runs->find(m_activeRun);
    m_curves->setSeries(r->id, r->displayName(), r->color);
    selectRun(r->id);
    m_controller->start(cfg, m_recording, m_dataset);
    m_progressTimer->start();
    updateControls();
    emit message(tr("Training %1…").arg(r->displayName()));
    return true;
}

void TrainPage::togglePause()
{
    if (m_controller->isPaused())
        m_controller->resume();
    else
        m_controller->pause();
}

void TrainPage::stopTraining()
{
    if (!m_controller->isRunning())
        return;
    m_controller->stop();
    m_progressLabel->setText(tr("Stopping…"));
}

void TrainPage::onEpoch(const EpochRecord& rec)
{
    Run* r = m_runs->find(m_activeRun);
    if (!r)
        return;
    r->curves.push_back(rec);
    r->seconds = m_controller->elapsedSeconds();
    m_curves->appendEpoch(r->id, rec.epoch, rec.train_loss, rec.validation_metric, rec.elapsed);
    if (std::isfinite(rec.validation_metric) &&
        (!std::isfinite(r->best_metric) || rec.validation_metric > r->best_metric)) {
        r->best_metric = rec.validation_metric;
        r->best_epoch = rec.epoch;
        m_curves->setBest(r->id, rec.epoch, rec.validation_metric);
    }
    m_runs->touch(r->id);
}

void TrainPage::onFinished(const TrainingOutcome& o)
{
    m_progressTimer->stop();
    Run* r = m_runs->find(m_activeRun);
    const int id = m_activeRun;
    m_activeRun = 0;
    if (o.dataset) {
        m_dataset = o.dataset;
    }
    if (r) {
        r->dataset = o.dataset;
        if (o.model_config)
            r->config.model = *o.model_config; // what was trained (training.init's settings)
        if (o.report && o.report->batches > 0)
            r->config.training.batches = o.report->batches; // what "auto" chose
        if (o.result) {
            r->curves = o.result->curves;
            r->best_epoch = o.result->best_epoch;
            r->best_metric = o.result->best_metric;
            r->seconds = o.result->train_seconds;
            r->model = std::make_shared<const CircuitModel>(o.result->best);
            r->last_model = std::make_shared<const CircuitModel>(o.result->last);
            r->last_epoch = o.result->last_epoch;
            r->last_metric = o.result->last_metric;
            r->report = o.report;
            // Status codes are stored untranslated (displayStatus translates them); other stop
            // reasons (a divergence) are the engine's own message.
            r->status = o.result->timeLimited() ? QStringLiteral("time-limited")
                                                : QString::fromStdString(o.result->stop_message);
            // A model whose free run leaves the physiological range says so in the run list (the
            // engine's message, stored untranslated like a divergence's).
            // (A divergence's own message stays: it says what to change.)
            if (o.result->free_run_checked && !o.result->free_run.in_range &&
                o.result->stop != StopReason::Diverged)
                r->status = QString::fromStdString(kNotPhysiological + o.result->free_run.problems.front());
            m_curves->setBest(r->id, r->best_epoch, r->best_metric);
        } else {
            r->status = o.error.isEmpty() ? QStringLiteral("cancelled") : QStringLiteral("failed");
        }
        m_runs->touch(id);
    }
    const QString name = r ? r->displayName() : QString();
    // A run that failed before its first epoch (its data could not be prepared) holds nothing:
    // it leaves no "failed" row behind, the message says why.
    if (r && !o.result && !o.error.isEmpty() && r->curves.empty()) {
        m_curves->removeSeries(id);
        m_runs->remove(id);
        r = nullptr;
    }
    updateControls();
    updateProgress();
    if (!o.error.isEmpty()) {
        emit message(tr("%1 failed").arg(name)); // replaces "Training Run N…" in the status bar
        focusFieldOf(o.error);
        emit errorMessage(tr("Training failed: %1").arg(inFormTerms(o.error)));
    } else if (r) {
        emit message(
            tr("%1 %2 after %3 epoch(s)").arg(r->displayName(), displayStatus(*r)).arg(r->curves.size()));
    }
    emit runFinished(id);
    emit modified();
    if (id == selectedRun())
        emit selectedRunChanged(id);
}

void TrainPage::updateProgress()
{
    const bool running = m_controller->isRunning();
    m_progress->setValue(
        static_cast<int>(std::lround(std::clamp(m_controller->fraction(), 0.0, 1.0) * 1000)));
    if (!running) {
        m_progressLabel->setText(tr("Idle"));
        return;
    }
    m_progressLabel->setText(tr("%1epoch %2/%3 · elapsed %4 · ETA %5")
                                 .arg(m_controller->isPaused() ? tr("paused · ") : QString())
                                 .arg(m_controller->epochsDone())
                                 .arg(m_controller->epochsPlanned())
                                 .arg(formatClock(m_controller->elapsedSeconds()))
                                 .arg(formatClock(m_controller->etaSeconds())));
}

void TrainPage::updateControls()
{
    const bool running = m_controller->isRunning();
    m_start->setEnabled(!running && m_recording);
    m_pause->setEnabled(running);
    m_pause->setText(m_controller->isPaused() ? tr("&Resume") : tr("&Pause"));
    m_stop->setEnabled(running);
    m_mapAction->setEnabled(m_recording != nullptr);
    const Run* r = m_runs->find(selectedRun());
    m_useLast->setEnabled(r && r->id != m_activeRun && r->last_model && r->last_model != r->model &&
                          !(r->best_metric > 0));
}

int TrainPage::selectedRun() const
{
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    if (!rows.isEmpty())
        return rows.front().data(Qt::UserRole).toInt();
    return m_runs->runs().empty() ? 0 : m_runs->runs().back().id;
}

void TrainPage::selectRun(int id)
{
    const int row = m_runs->rowOf(id);
    if (row >= 0)
        m_runView->selectRow(row);
}

void TrainPage::showSelection()
{
    QList<int> ids;
    for (const QModelIndex& i : m_runView->selectionModel()->selectedRows())
        ids << i.data(Qt::UserRole).toInt();
    if (ids.isEmpty())
        for (const Run& r : m_runs->runs())
            ids << r.id;
    m_curves->setVisibleSeries(ids);
    updateControls();
    emit selectedRunChanged(selectedRun());
}

void TrainPage::useLastSnapshot()
{
    Run* r = m_runs->find(selectedRun());
    if (!r || !r->last_model || r->last_model == r->model)
        return;
    r->model = r->last_model;
    r->best_epoch = r->last_epoch;
    r->best_metric = r->last_metric;
    r->modelPath.clear(); // the saved file holds the other snapshot
    m_curves->setBest(r->id, r->best_epoch, r->best_metric);
    m_runs->touch(r->id);
    m_useLast->setEnabled(false);
    emit message(tr("%1 now uses its parameters at the end of training (epoch %2)")
                     .arg(r->displayName())
                     .arg(r->last_epoch + 1));
    emit modified();
    emit selectedRunChanged(r->id);
}

namespace {

/// The config's own keys, from the engine's one list (configKeys), longest first so that
/// training.validation.window_s wins over training.validation; a file called data.csv does not
/// match. Per-neuron channel keys (data.neurons[i].v) are left to inFormTerms' own pattern.
const QRegularExpression& configKeyPattern()
{
    static const QRegularExpression pattern = [] {
        std::vector<std::string> paths = configKeyPaths();
        std::sort(paths.begin(), paths.end(),
                  [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
        QStringList alternatives;
        for (const std::string& path : paths) {
            if (path.rfind("data.neurons[]", 0) == 0)
                continue;
            QString p = QRegularExpression::escape(QString::fromStdString(path));
            p.replace(QStringLiteral("\\[\\]"), QStringLiteral("\\[\\d+\\]"));
            alternatives << p;
        }
        return QRegularExpression(QStringLiteral("(?<![\\w/.-])(") + alternatives.join(QLatin1Char('|')) +
                                  QStringLiteral(")(?![\\w.])"));
    }();
    return pattern;
}

/// A key path the pattern matched, in parts: "training.schedule[1].epoch" is section "training",
/// key "schedule", row 1 (0-based) and sub-key "epoch".
struct KeyPath {
    QString section;
    std::string key;
    int row = -1; ///< -1: not an indexed entry
    QString sub;
};

std::optional<KeyPath> splitKeyPath(const QString& path)
{
    static const QRegularExpression parts(QStringLiteral("^(\\w+)\\.(\\w+)(?:\\[(\\d+)\\])?(?:\\.(\\w+))?$"));
    const QRegularExpressionMatch m = parts.match(path);
    if (!m.hasMatch())
        return std::nullopt;
    return KeyPath{m.captured(1), m.captured(2).toStdString(),
                   m.captured(3).isEmpty() ? -1 : m.captured(3).toInt(), m.captured(4)};
}

} // namespace

QWidget* TrainPage::focusFieldOf(const QString& message)
{
    // The first key the message names that a form of this page sets gets the keyboard focus.
    for (auto it = configKeyPattern().globalMatch(message); it.hasNext();) {
        const std::optional<KeyPath> k = splitKeyPath(it.next().captured(1));
        QWidget* field = !k                                        ? nullptr
                         : k->section == QLatin1String("model")    ? m_modelForm->focusField(k->key)
                         : k->section == QLatin1String("training") ? m_trainerForm->focusField(k->key)
                                                                   : nullptr; // the channel map is a dialog
        if (field)
            return field;
    }
    return nullptr;
}

QString inFormTerms(QString message)
{
    // The engine's checks name config keys (one list of checks for the CLI and the GUI); the
    // workbench shows the fields of its forms instead.
    static const QRegularExpression neuronKey(
        QStringLiteral("data\\.neurons\\[(\\d+)\\]\\.(v|u|isyn)(_unit)?"));
    for (auto m = neuronKey.match(message); m.hasMatch(); m = neuronKey.match(message)) {
        const int neuron = m.captured(1).toInt() + 1;
        const QString role = m.captured(2) == QLatin1String("v")   ? TrainPage::tr("voltage v")
                             : m.captured(2) == QLatin1String("u") ? TrainPage::tr("injected u")
                                                                   : TrainPage::tr("ground truth I_syn");
        const QString field = m.captured(3).isEmpty()
                                  ? TrainPage::tr("Channel map, neuron %1, %2").arg(neuron).arg(role)
                                  : TrainPage::tr("Channel map, neuron %1, unit of %2").arg(neuron).arg(role);
        message.replace(m.capturedStart(), m.capturedLength(), field);
    }
    QString out;
    qsizetype done = 0;
    for (auto it = configKeyPattern().globalMatch(message); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const std::optional<KeyPath> k = splitKeyPath(m.captured(1));
        if (!k)
            continue;
        const bool data = k->section == QLatin1String("data"), model = k->section == QLatin1String("model");
        const QString label = data    ? ChannelMapDialog::fieldLabel(k->key)
                              : model ? ModelForm::fieldLabel(k->key)
                                      : TrainerForm::fieldLabel(k->key);
        if (label.isEmpty())
            continue; // no field sets it (config files only): the key says it best
        const QString form = data    ? TrainPage::tr("Channel map")
                             : model ? TrainPage::tr("Model form")
                                     : TrainPage::tr("Trainer form");
        QString field = TrainPage::tr("%1, %2").arg(form, label);
        if (k->row >= 0)
            field = TrainPage::tr("%1, row %2").arg(field).arg(k->row + 1);
        if (!k->sub.isEmpty())
            field = TrainPage::tr("%1, %2").arg(field, k->sub);
        out += message.mid(done, m.capturedStart() - done) + field;
        done = m.capturedEnd();
    }
    out += message.mid(done);
    return out;
}

void TrainPage::removeSelectedRuns()
{
    std::vector<int> ids;
    for (const QModelIndex& index : m_runView->selectionModel()->selectedRows())
        if (const int id = index.data(Qt::UserRole).toInt(); id != m_activeRun) // the training run stays
            ids.push_back(id);
    if (ids.empty())
        return;
    std::vector<std::pair<int, Run>> removed;
    for (int id : ids) {
        const int row = m_runs->rowOf(id);
        removed.emplace_back(row, *m_runs->find(id));
    }
    std::sort(removed.begin(), removed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (int id : ids) {
        m_curves->removeSeries(id);
        m_runs->remove(id);
    }
    const QString names = std::accumulate(
        std::next(removed.begin()), removed.end(), removed.front().second.displayName(),
        [](const QString& a, const auto& b) { return a + QStringLiteral(", ") + b.second.displayName(); });
    m_removed.push_back(std::move(removed));
    m_undoRemove->setEnabled(true);
    emit message(tr("Removed %1 (Ctrl+Z puts it back)").arg(names));
    emit modified();
}

void TrainPage::undoRemove()
{
    if (m_removed.empty())
        return;
    std::vector<std::pair<int, Run>> back = std::move(m_removed.back());
    m_removed.pop_back();
    m_undoRemove->setEnabled(!m_removed.empty());
    int last = 0;
    for (auto& [row, run] : back) // ascending rows: each lands where it was
        last = m_runs->add(std::move(run), row);
    rebuildCurves();
    selectRun(last);
    emit message(tr("Restored %n run(s)", nullptr, static_cast<int>(back.size())));
    emit modified();
}

int TrainPage::addFinishedRun(Run run)
{
    run.id = 0; // the store assigns a fresh id and colour
    const int id = m_runs->add(std::move(run));
    rebuildCurves();
    selectRun(id);
    emit modified();
    return id;
}

void TrainPage::rebuildCurves()
{
    m_curves->clear();
    for (const Run& r : m_runs->runs()) {
        m_curves->setSeries(r.id, r.displayName(), r.color);
        for (const EpochRecord& e : r.curves)
            m_curves->appendEpoch(r.id, e.epoch, e.train_loss, e.validation_metric, e.elapsed);
        m_curves->setBest(r.id, r.best_epoch, r.best_metric);
    }
}

void TrainPage::saveSelectedModel()
{
    Run* r = m_runs->find(selectedRun());
    if (!r || !r->model) {
        emit errorMessage(tr("Select a finished run with a model to save."));
        return;
    }
    QSettings s;
    const QString dir = s.value(QStringLiteral("paths/lastModelDir"), QDir::homePath()).toString();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save model"), QDir(dir).filePath(r->displayName() + ".h5"), tr("Model files (*.h5)"));
    if (path.isEmpty())
        return;
    s.setValue(QStringLiteral("paths/lastModelDir"), QFileInfo(path).absolutePath());
    try {
        saveModel(
            path.toStdString(), *r->model, toJson(r->config).dump(2),
            {{"method", toString(r->config.training.method)}, {"best_epoch", std::to_string(r->best_epoch)}});
        emit message(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    } catch (const Error& e) {
        emit errorMessage(QString::fromStdString(e.what()));
    }
}

void TrainPage::loadConfig()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load experiment config"), QString(),
                                                      tr("Experiment configs (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    try {
        setExperimentConfig(loadExperimentConfig(path.toStdString()));
        emit message(tr("Loaded %1").arg(QDir::toNativeSeparators(path)));
    } catch (const Error& e) {
        emit errorMessage(QString::fromStdString(e.what()));
    }
}

void TrainPage::saveConfig()
{
    try {
        experimentConfig();
    } catch (const Error& e) {
        emit errorMessage(QString::fromStdString(e.what()));
        return;
    }
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save experiment config"), QStringLiteral("experiment.json"),
                                     tr("Experiment configs (*.json)"));
    if (!path.isEmpty())
        exportConfig(path);
}

void TrainPage::exportConfig(const QString& path)
{
    nlohmann::json j;
    try {
        j = toJson(experimentConfig());
    } catch (const Error& e) {
        const QString error = QString::fromStdString(e.what());
        emit errorMessage(error);
        emit configExported(path, error);
        return;
    }
    std::shared_ptr<const Recording> demo;
    std::string demoPath;
    if (m_recording && m_recording->source == "demo" && j["data"]["file"] == "demo") {
        const QFileInfo fi(path);
        const QString file = fi.completeBaseName() + QStringLiteral("-demo.h5");
        demoPath = fi.absoluteDir().filePath(file).toStdString();
        demo = m_recording;
        j["data"]["file"] = file.toStdString(); // relative to the config's folder
    }
    const std::string text = j.dump(2) + "\n";
    const std::string target = path.toStdString();
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path]() {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (error.isEmpty())
            emit message(
                tr("Saved %1 (use it with `rmm train --config`)").arg(QDir::toNativeSeparators(path)));
        else
            emit errorMessage(error);
        emit configExported(path, error);
    });
    watcher->setFuture(QtConcurrent::run([demo, demoPath, text, target]() -> QString {
        try {
            if (demo)
                writeGenericHdf5(*demo, demoPath);
            writeTextAtomically(target, text);
        } catch (const Error& e) {
            return QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            return QString::fromStdString(target + ": " + e.what());
        }
        return QString();
    }));
}

} // namespace rmm
