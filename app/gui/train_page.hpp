// SPDX-License-Identifier: GPL-3.0-or-later
// The "Train" tab: experiment settings (channel map, model and trainer forms) on the left;
// Start / Pause / Stop, progress with epoch, elapsed time and ETA, the live learning curves and
// the run list on the right.
#pragma once
#include "app/gui/run_store.hpp"
#include "engine/config/experiment_config.hpp"
#include "engine/recording/recording.hpp"

#include <QWidget>

#include <memory>

class QAction;
class QLabel;
class QProgressBar;
class QTableView;
class QTimer;

namespace rmm {

class LearningCurvePlot;
class ModelForm;
class TrainerForm;
class TrainingController;
struct TrainingOutcome;

/// An engine message with its config keys ("data.neurons[0].v_unit", "training.lr") written as the
/// workbench's fields ("Channel map, neuron 1, unit of voltage v", "Trainer form, lr").
QString inFormTerms(QString message);

class TrainPage : public QWidget {
    Q_OBJECT
  public:
    explicit TrainPage(QWidget* parent = nullptr);
    ~TrainPage() override;

    /// The recording runs train on; pre-fills the channel map when its channels change.
    void setRecording(std::shared_ptr<const Recording> recording);
    /// Content fingerprint of the open recording ("" when none); new runs remember it.
    const QString& recordingFingerprint() const { return m_recordingFingerprint; }

    /// The settings as shown; throws rmm::Error naming the bad field.
    ExperimentConfig experimentConfig() const;
    void setExperimentConfig(const ExperimentConfig& config);
    const DataConfig& dataConfig() const { return m_data; }
    void setDataConfig(const DataConfig& data);

    RunStore* runs() const { return m_runs; }
    TrainingController* controller() const { return m_controller; }
    LearningCurvePlot* curves() const { return m_curves; }
    ModelForm* modelForm() const { return m_modelForm; }
    TrainerForm* trainerForm() const { return m_trainerForm; }
    QTableView* runView() const { return m_runView; }
    /// Id of the selected run (the latest when none is selected), 0 when there are no runs.
    int selectedRun() const;
    void selectRun(int id);
    /// Re-adds every run's curves to the plot (after a session load).
    void rebuildCurves();
    /// Adds a finished run from elsewhere (e.g. importTrainResults), shows and selects it.
    int addFinishedRun(Run run);

    QAction* startAction() const { return m_start; }
    QAction* pauseAction() const { return m_pause; }
    QAction* stopAction() const { return m_stop; }
    QAction* channelMapAction() const { return m_mapAction; }
    /// Removes the selected runs (Delete); their model files stay on disk.
    QAction* removeRunAction() const { return m_removeRun; }
    /// Puts the last removed runs back (Ctrl+Z), as often as runs were removed.
    QAction* undoRemoveAction() const { return m_undoRemove; }
    /// Takes the selected run's parameters at the end of training instead of its best snapshot
    /// (enabled when no snapshot validated above 0).
    QAction* useLastSnapshotAction() const { return m_useLast; }

  public slots:
    /// Starts a run with the current settings; returns false (and says why) if it cannot.
    bool startTraining();
    /// Gives the keyboard focus to the field of the model or trainer form that sets the first
    /// config key `message` names (an engine problem); returns it, or null when no field does.
    QWidget* focusFieldOf(const QString& message);
    void togglePause();
    void stopTraining();
    void editChannelMap();
    void saveSelectedModel();
    void loadConfig();
    void saveConfig();
    /// Writes the settings as an experiment config for `rmm train --config` in the background
    /// (configExported() follows). With the built-in demo recording, whose data.file "demo" the
    /// CLI cannot read, the samples are written beside the config as "<name>-demo.h5" (generic
    /// HDF5) and data.file names that file (relative to the config's folder).
    void exportConfig(const QString& path);

  signals:
    void selectedRunChanged(int id);
    /// The channel map changed (a recording opened, the dialog accepted, settings restored).
    void dataConfigChanged(const DataConfig& data);
    /// A run finished (completed, cancelled or failed).
    void runFinished(int id);
    void message(const QString& text);
    void errorMessage(const QString& text);
    /// The settings or the runs changed (for autosave).
    void modified();
    /// exportConfig() finished (`error` empty on success).
    void configExported(const QString& path, const QString& error);

  private:
    void onEpoch(const EpochRecord& r);
    void onFinished(const TrainingOutcome& o);
    void updateProgress();
    void updateControls();
    void updateDataSummary();
    void showSelection();

    std::shared_ptr<const Recording> m_recording;
    std::shared_ptr<const Dataset> m_dataset; ///< cached for m_datasetKey
    std::string m_datasetKey;
    DataConfig m_data;
    ModelForm* m_modelForm = nullptr;
    TrainerForm* m_trainerForm = nullptr;
    QLabel* m_dataSummary = nullptr;
    LearningCurvePlot* m_curves = nullptr;
    RunStore* m_runs = nullptr;
    QTableView* m_runView = nullptr;
    TrainingController* m_controller = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressLabel = nullptr;
    QTimer* m_progressTimer = nullptr;
    QAction* m_start = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_mapAction = nullptr;
    QAction* m_removeRun = nullptr;
    QAction* m_undoRemove = nullptr;
    QAction* m_useLast = nullptr;
    void useLastSnapshot();
    /// Removed runs, last removal last; each removal keeps its runs with their rows.
    std::vector<std::vector<std::pair<int, Run>>> m_removed;
    void removeSelectedRuns();
    void undoRemove();
    int m_activeRun = 0;
    QString m_recordingFingerprint;
};

/// "1:05" / "1:02:03" from seconds.
QString formatClock(double seconds);

} // namespace rmm
