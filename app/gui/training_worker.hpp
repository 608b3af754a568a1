// SPDX-License-Identifier: GPL-3.0-or-later
// Background training: a TrainingWorker (QObject living on its own QThread) drives rmm::train()
// (OpenMP inside it). Its observer turns engine callbacks into queued signals, blocks on a
// QWaitCondition while paused (between mini-batches) and returns false once Stop is asked.
#pragma once
#include "engine/config/experiment_config.hpp"
#include "engine/data/dataset.hpp"
#include "engine/recording/recording.hpp"
#include "engine/run/experiment.hpp"
#include "engine/train/trainer.hpp"

#include <QElapsedTimer>
#include <QMetaType>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <memory>
#include <optional>

namespace rmm {

/// What a finished run hands back to the GUI thread.
struct TrainingOutcome {
    std::shared_ptr<TrainingResult> result; ///< null when training failed before it started
    std::shared_ptr<const Dataset> dataset; ///< null when the data could not be mapped
    QString error;                          ///< message for the user ("" on success / cancel)
    /// The model settings trained: the form's, or those of the model training started from.
    std::optional<ModelConfig> model_config;
    /// What `rmm train` would write as report.json for this run (runExperiment's report).
    std::shared_ptr<const RunReport> report;
};

/// Shared between the GUI thread and the worker.
struct TrainingControl {
    QMutex mutex;
    QWaitCondition wake;
    bool paused = false; ///< guarded by mutex
    std::atomic<bool> stop{false};
    std::atomic<double> fraction{0.0}; ///< of the whole run, from Progress::report
    std::atomic<int> epochsDone{0};
};

class TrainingWorker : public QObject {
    Q_OBJECT
  public:
    explicit TrainingWorker(std::shared_ptr<TrainingControl> control) : m_control(std::move(control)) {}

  public slots:
    /// Builds the dataset from `recording` (or reuses `dataset` if given) and trains.
    void run(const rmm::ExperimentConfig& config, const std::shared_ptr<const rmm::Recording>& recording,
             std::shared_ptr<const rmm::Dataset> dataset);

  signals:
    void epochFinished(const rmm::EpochRecord& record);
    void finished(const rmm::TrainingOutcome& outcome);

  private:
    std::shared_ptr<TrainingControl> m_control;
};

/// Owns the worker thread; the GUI-side face of a training run.
class TrainingController : public QObject {
    Q_OBJECT
  public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    /// Starts a run (returns false if one is running).
    bool start(const ExperimentConfig& config, const std::shared_ptr<const Recording>& recording,
               const std::shared_ptr<const Dataset>& dataset = nullptr);
    void pause();
    void resume();
    /// Asks the run to stop after the current mini-batch; finished() follows.
    void stop();

    bool isRunning() const { return m_running; }
    bool isPaused() const;
    /// Fraction of the run done in [0, 1].
    double fraction() const { return m_control->fraction.load(); }
    int epochsDone() const { return m_control->epochsDone.load(); }
    int epochsPlanned() const { return m_epochs; }
    /// Wall time of the run so far, excluding pauses, in seconds.
    double elapsedSeconds() const;
    /// Estimated remaining seconds from the epochs so far; < 0 when unknown.
    double etaSeconds() const;

  signals:
    void started();
    void epochFinished(const rmm::EpochRecord& record);
    void finished(const rmm::TrainingOutcome& outcome);
    void pausedChanged(bool paused);

  private:
    std::shared_ptr<TrainingControl> m_control;
    QThread m_thread;
    TrainingWorker* m_worker = nullptr;
    bool m_running = false;
    int m_epochs = 0;
    double m_timeLimit = 0; ///< seconds, 0 = none
    QElapsedTimer m_clock;
    qint64 m_pausedMs = 0;
    QElapsedTimer m_pauseClock;
};

} // namespace rmm

Q_DECLARE_METATYPE(rmm::EpochRecord)
Q_DECLARE_METATYPE(rmm::TrainingOutcome)
Q_DECLARE_METATYPE(rmm::ExperimentConfig)
Q_DECLARE_METATYPE(std::shared_ptr<const rmm::Recording>)
Q_DECLARE_METATYPE(std::shared_ptr<const rmm::Dataset>)
