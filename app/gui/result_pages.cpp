// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/result_pages.hpp"

#include "app/gui/prediction_job.hpp"
#include "engine/core/error.hpp"
#include "widgets/conductance_map.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <new>

namespace rmm {

struct PredictionsPage::Job {
    std::atomic<bool> cancel{false};
};

namespace {

struct PredictionResult {
    PredictionData data;
    std::shared_ptr<const Dataset> dataset;
    QString error;
    bool cancelled = false;
};

class CancelProgress final : public Progress {
  public:
    explicit CancelProgress(const std::atomic<bool>& cancel) : m_cancel(cancel) {}
    bool report(double, const std::string&) override { return !m_cancel.load(); }

  private:
    const std::atomic<bool>& m_cancel;
};

} // namespace

QString runKey(const Run* run)
{
    if (!run || !run->model)
        return {};
    return QStringLiteral("%1/%2/%3/%4")
        .arg(run->id)
        .arg(run->curves.size())
        .arg(run->best_epoch)
        .arg(run->status);
}

PredictionsPage::PredictionsPage(QWidget* parent) : QWidget(parent)
{
    m_view = new PredictionsView(this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
}

PredictionsPage::~PredictionsPage()
{
    if (m_job)
        m_job->cancel = true;
}

void PredictionsPage::showRun(const Run* run, std::shared_ptr<const Recording> recording)
{
    const QString key = runKey(run);
    if (!key.isEmpty() && key == m_shownKey)
        return;
    m_shownKey = key;
    if (m_job)
        m_job->cancel = true;
    const quint64 generation = ++m_generation;
    if (!run || !run->model) {
        m_busy = false;
        m_view->setMessage(
            run ? tr("%1 has no trained model yet.").arg(run->name)
                : tr("Select a finished run to see its predictions on the validation segment."));
        return;
    }
    auto job = std::make_shared<Job>();
    m_job = job;
    m_busy = true;
    m_view->setMessage(tr("Simulating %1 on the validation segment…").arg(run->name));
    const CircuitModel model = *run->model;
    const DataConfig data = run->config.data;
    const double gamma = run->config.training.method == TrainingMethod::GeneralizedTeacherForcing
                             ? run->config.training.gamma
                             : 0.0;
    std::shared_ptr<const Dataset> dataset = run->dataset;
    const QString name = run->name;
    auto work = [job, model, data, gamma, dataset, recording, name]() mutable -> PredictionResult {
        PredictionResult r;
        try {
            if (!dataset) {
                if (!recording)
                    throw Error("the run's recording is not open");
                dataset = std::make_shared<const Dataset>(buildDataset(*recording, data));
            }
            r.dataset = dataset;
            CancelProgress progress(job->cancel);
            r.data = computePredictions(model, *dataset, gamma, &progress);
            r.data.title = name + QStringLiteral(" · ") + r.data.title;
        } catch (const Cancelled&) {
            r.cancelled = true;
        } catch (const Error& e) {
            r.error = QString::fromStdString(e.what());
        } catch (const std::bad_alloc&) {
            r.error = QCoreApplication::translate("PredictionsPage", "Not enough memory to simulate.");
        }
        return r;
    };
    auto* watcher = new QFutureWatcher<PredictionResult>(this);
    connect(watcher, &QFutureWatcher<PredictionResult>::finished, this, [this, watcher, generation]() {
        const PredictionResult r = watcher->result();
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_busy = false;
        m_job.reset();
        if (r.cancelled)
            return;
        if (!r.error.isEmpty()) {
            m_shownKey.clear();
            m_view->setMessage(tr("Could not simulate: %1").arg(r.error));
            emit failed(r.error);
            return;
        }
        m_view->setPredictions(r.data);
        emit computed();
    });
    watcher->setFuture(QtConcurrent::run(work));
}

AnalysisPage::AnalysisPage(QWidget* parent) : QWidget(parent)
{
    m_label = new QLabel(tr("Select a finished run to analyse its conductances."), this);
    m_neuron = new QComboBox(this);
    m_neuron->setAccessibleName(tr("Neuron to analyse"));
    m_neuron->setToolTip(tr("Neuron whose frequency-dependent conductance map is shown"));
    m_withSynapses = new QCheckBox(tr("Include synapses onto the neuron"), this);
    m_withSynapses->setToolTip(
        tr("Add the synaptic currents onto the neuron as if every neuron shared its voltage"));
    m_map = new ConductanceMap(this);
    auto* top = new QHBoxLayout;
    top->addWidget(m_label, 1);
    top->addWidget(new QLabel(tr("Neuron"), this));
    top->addWidget(m_neuron);
    top->addWidget(m_withSynapses);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_map, 1);
    connect(m_neuron, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (m_hasModel && i >= 0)
            m_map->setNeuron(i);
    });
    connect(m_withSynapses, &QCheckBox::toggled, this, [this](bool on) {
        AdmittanceSettings s = m_map->grid();
        s.withSynapses = on;
        if (m_hasModel)
            m_map->setGrid(s);
    });
    connect(m_map, &ConductanceMap::failed, this, [this](const QString& m) { m_label->setText(m); });
}

void AnalysisPage::showRun(const Run* run)
{
    const QString key = runKey(run);
    if (!key.isEmpty() && key == m_shownKey)
        return;
    m_shownKey = key;
    if (!run || !run->model) {
        m_label->setText(run ? tr("%1 has no trained model yet.").arg(run->name)
                             : tr("Select a finished run to analyse its conductances."));
        return;
    }
    m_label->setText(tr("%1 · best epoch %2").arg(run->name).arg(run->best_epoch + 1));
    const int neurons = run->model->neurons();
    {
        const QSignalBlocker b(m_neuron);
        const int keep = m_neuron->currentIndex();
        m_neuron->clear();
        for (int i = 0; i < neurons; ++i)
            m_neuron->addItem(tr("v%1").arg(i + 1));
        m_neuron->setCurrentIndex(keep >= 0 && keep < neurons ? keep : 0);
    }
    m_hasModel = true;
    m_map->setNeuron(m_neuron->currentIndex());
    m_map->setModel(*run->model);
}

} // namespace rmm
