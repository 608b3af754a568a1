// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/training_worker.hpp"

#include <algorithm>

#include "engine/core/error.hpp"
#include "engine/run/experiment.hpp"

#include <QCoreApplication>
#include <QMutexLocker>

#include <new>

namespace rmm {

namespace {

class QueuedObserver final : public TrainingObserver {
  public:
    QueuedObserver(TrainingControl& control, TrainingWorker& worker) : m_control(control), m_worker(worker) {}

    bool report(double fraction, const std::string&) override
    {
        m_control.fraction.store(fraction);
        if (m_control.stop.load())
            return false;
        QMutexLocker lock(&m_control.mutex);
        while (m_control.paused && !m_control.stop.load())
            m_control.wake.wait(&m_control.mutex, 100);
        return !m_control.stop.load();
    }

    void epochFinished(const EpochRecord& r) override
    {
        m_control.epochsDone.store(r.epoch + 1);
        emit m_worker.epochFinished(r);
    }

  private:
    TrainingControl& m_control;
    TrainingWorker& m_worker;
};

} // namespace

void TrainingWorker::run(const ExperimentConfig& input, const std::shared_ptr<const Recording>& recording,
                         std::shared_ptr<const Dataset> dataset)
{
    TrainingOutcome out;
    try {
        const ExperimentConfig& config = input;
        if (!dataset) {
            if (!recording)
                throw Error("no recording is open: open one (or the demo) before training");
            dataset = std::make_shared<const Dataset>(buildDataset(*recording, config.data));
        }
        out.dataset = dataset;
        QueuedObserver observer(*m_control, *this);
        TrainedRun run = runExperiment(config, *dataset, &observer); // as `rmm train` does
        out.model_config = run.config.model;
        out.report = std::make_shared<const RunReport>(std::move(run.report));
        out.result = std::make_shared<TrainingResult>(std::move(run.result));
    } catch (const Cancelled&) {
        out.error.clear();
    } catch (const Error& e) {
        out.error = QString::fromStdString(e.what());
    } catch (const std::bad_alloc&) {
        out.error = QCoreApplication::translate("TrainingWorker", "Not enough memory to train this model.");
    } catch (const std::exception& e) {
        out.error = QString::fromStdString(e.what());
    }
    emit finished(out);
}

TrainingController::TrainingController(QObject* parent)
    : QObject(parent), m_control(std::make_shared<TrainingControl>())
{
    qRegisterMetaType<rmm::EpochRecord>();
    qRegisterMetaType<rmm::TrainingOutcome>();
    qRegisterMetaType<rmm::ExperimentConfig>();
    qRegisterMetaType<std::shared_ptr<const rmm::Recording>>();
    qRegisterMetaType<std::shared_ptr<const rmm::Dataset>>();
    m_worker = new TrainingWorker(m_control);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TrainingWorker::epochFinished, this, &TrainingController::epochFinished,
            Qt::QueuedConnection);
    connect(
        m_worker, &TrainingWorker::finished, this,
        [this](const TrainingOutcome& o) {
            m_running = false;
            emit finished(o);
        },
        Qt::QueuedConnection);
    m_thread.setObjectName(QStringLiteral("rmm-training"));
    m_thread.start();
}

TrainingController::~TrainingController()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

bool TrainingController::start(const ExperimentConfig& config,
                               const std::shared_ptr<const Recording>& recording,
                               const std::shared_ptr<const Dataset>& dataset)
{
    if (m_running)
        return false;
    {
        QMutexLocker lock(&m_control->mutex);
        m_control->paused = false;
    }
    m_control->stop = false;
    m_control->fraction = 0.0;
    m_control->epochsDone = 0;
    m_epochs = config.training.epochs;
    m_timeLimit = config.training.time_limit_s;
    m_pausedMs = 0;
    m_clock.start();
    m_running = true;
    QMetaObject::invokeMethod(m_worker, "run", Qt::QueuedConnection, Q_ARG(rmm::ExperimentConfig, config),
                              Q_ARG(std::shared_ptr<const rmm::Recording>, recording),
                              Q_ARG(std::shared_ptr<const rmm::Dataset>, dataset));
    emit started();
    return true;
}

bool TrainingController::isPaused() const
{
    QMutexLocker lock(&m_control->mutex);
    return m_control->paused;
}

void TrainingController::pause()
{
    if (!m_running || isPaused())
        return;
    {
        QMutexLocker lock(&m_control->mutex);
        m_control->paused = true;
    }
    m_pauseClock.start();
    emit pausedChanged(true);
}

void TrainingController::resume()
{
    if (!isPaused())
        return;
    {
        QMutexLocker lock(&m_control->mutex);
        m_control->paused = false;
        m_control->wake.wakeAll();
    }
    m_pausedMs += m_pauseClock.elapsed();
    emit pausedChanged(false);
}

void TrainingController::stop()
{
    m_control->stop = true;
    QMutexLocker lock(&m_control->mutex);
    m_control->wake.wakeAll();
}

double TrainingController::elapsedSeconds() const
{
    if (!m_clock.isValid())
        return 0;
    qint64 ms = m_clock.elapsed() - m_pausedMs;
    if (isPaused() && m_pauseClock.isValid())
        ms -= m_pauseClock.elapsed();
    return static_cast<double>(ms) / 1000.0;
}

double TrainingController::etaSeconds() const
{
    const int done = epochsDone();
    if (done <= 0 || m_epochs <= 0)
        return -1;
    const double byEpochs = elapsedSeconds() / done * (m_epochs - done);
    // A wall-clock limit ends the run earlier when it comes first.
    return m_timeLimit > 0 ? std::max(0.0, std::min(byEpochs, m_timeLimit - elapsedSeconds())) : byEpochs;
}

} // namespace rmm
