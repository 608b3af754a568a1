// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/result_pages.hpp"

#include "app/gui/compute_predictions.hpp"
#include "engine/core/error.hpp"
#include "widgets/conductance_map.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <cmath>
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
    m_segment = new QComboBox(this);
    m_segment->addItem(tr("Validation segment"));
    m_segment->setAccessibleName(tr("Segment to simulate"));
    m_segment->setToolTip(tr("Simulate the validation segment (held out from training) or a whole trial"));
    m_gamma = new QDoubleSpinBox(this);
    m_gamma->setRange(0, 1);
    m_gamma->setSingleStep(0.05);
    m_gamma->setDecimals(3);
    m_gamma->setSpecialValueText(tr("none"));
    m_gamma->setAccessibleName(tr("Observer gain"));
    m_gamma->setToolTip(tr("γ of an observer run drawn beside the free run (0: none): the model corrected "
                           "towards the measured voltage, as generalized teacher forcing trains it"));
    m_restart = new QDoubleSpinBox(this);
    m_restart->setRange(0, 3600);
    m_restart->setDecimals(1);
    m_restart->setSingleStep(1);
    m_restart->setSuffix(tr(" s"));
    m_restart->setSpecialValueText(tr("never"));
    m_restart->setValue(AngularSeparationSettings{}.window_s);
    m_restart->setAccessibleName(tr("Restart from the recording every"));
    m_restart->setToolTip(tr("Restart the free run from the recorded voltage every so many seconds, as "
                             "validation does (the run's training.validation.window_s); \"never\": one "
                             "free run over the whole segment"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Simulate"), this));
    bar->addWidget(m_segment);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Restart every"), this));
    bar->addWidget(m_restart);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Observer γ"), this));
    bar->addWidget(m_gamma);
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    connect(m_segment, &QComboBox::currentIndexChanged, this, &PredictionsPage::compute);
    connect(m_gamma, &QDoubleSpinBox::valueChanged, this, &PredictionsPage::compute);
    connect(m_restart, &QDoubleSpinBox::valueChanged, this, &PredictionsPage::compute);
}

void PredictionsPage::fillSegments(const Dataset& dataset)
{
    const QSignalBlocker block(m_segment);
    const int keep = m_segment->currentIndex();
    while (m_segment->count() > 1)
        m_segment->removeItem(1);
    for (const TrialData& t : dataset.trials)
        m_segment->addItem(tr("Whole trial %1").arg(QString::fromStdString(t.name)));
    m_segment->setCurrentIndex(keep >= 0 && keep < m_segment->count() ? keep : 0);
}

PredictionsPage::~PredictionsPage()
{
    if (m_job)
        m_job->cancel = true;
}

void PredictionsPage::showMessage(const QString& message)
{
    m_request.reset();
    if (m_job)
        m_job->cancel = true;
    ++m_generation;
    m_busy = false;
    m_shownKey.clear();
    m_view->setMessage(message);
}

void PredictionsPage::showRun(const Run* run, std::shared_ptr<const Recording> recording,
                              const QString& recordingKey, const Run* compare)
{
    if (compare && !compare->model)
        compare = nullptr;
    // The same run on another load of its recording is computed again (a file reopened after a
    // failure, or changed on disk).
    QString key = runKey(run).isEmpty() ? QString() : runKey(run) + QLatin1Char('@') + recordingKey;
    if (!key.isEmpty() && compare)
        key += QStringLiteral(" vs ") + runKey(compare);
    if (!key.isEmpty() && key == m_shownKey)
        return;
    m_shownKey = key;
    if (!run || !run->model) {
        if (m_job)
            m_job->cancel = true;
        ++m_generation;
        m_request.reset();
        m_busy = false;
        m_view->setMessage(
            run ? tr("%1 has no trained model yet.").arg(run->displayName())
                : tr("Select a finished run to see its predictions on the validation segment."));
        return;
    }
    const bool sameRun = m_request && m_request->model == run->model;
    m_request = Request{};
    m_request->model = run->model;
    m_request->data = run->config.data;
    m_request->dataset = run->dataset;
    m_request->recording = std::move(recording);
    m_request->name = run->displayName();
    if (compare) {
        m_request->compareModel = compare->model;
        m_request->compareData = compare->config.data;
        m_request->compareDataset = compare->dataset;
        m_request->compareName = compare->displayName();
    }
    if (!sameRun) { // a new run: its own γ (GTF), restarts and the validation segment
        const QSignalBlocker b1(m_gamma), b2(m_segment), b3(m_restart);
        m_restart->setValue(run->config.training.validation.window_s);
        m_gamma->setValue(run->config.training.method == TrainingMethod::GeneralizedTeacherForcing
                              ? run->config.training.gamma
                              : 0.0);
        m_segment->setCurrentIndex(0);
    }
    if (run->dataset)
        fillSegments(*run->dataset);
    compute();
}

void PredictionsPage::compute()
{
    if (!m_request)
        return;
    if (m_job)
        m_job->cancel = true;
    const quint64 generation = ++m_generation;
    auto job = std::make_shared<Job>();
    m_job = job;
    m_busy = true;
    const int wholeTrial = m_segment->currentIndex() - 1;
    const QString where = wholeTrial < 0 ? tr("the validation segment") : m_segment->currentText();
    m_view->setMessage(tr("Simulating %1 on %2…").arg(m_request->name, where));
    const std::shared_ptr<const CircuitModel> model = m_request->model;
    const DataConfig data = m_request->data;
    const double gamma = m_gamma->value();
    const double restartS = m_restart->value();
    std::shared_ptr<const Dataset> dataset = m_request->dataset;
    const std::shared_ptr<const Recording> recording = m_request->recording;
    const QString name = m_request->name;
    const std::shared_ptr<const CircuitModel> compareModel = m_request->compareModel;
    const DataConfig compareData = m_request->compareData;
    std::shared_ptr<const Dataset> compareDataset = m_request->compareDataset;
    const QString compareName = m_request->compareName;
    auto work = [job, model, data, gamma, dataset, recording, name, compareModel, compareData, compareDataset,
                 compareName, wholeTrial, restartS]() mutable -> PredictionResult {
        PredictionResult r;
        try {
            if (!dataset) {
                if (!recording)
                    throw Error("the run's recording is not open");
                dataset = std::make_shared<const Dataset>(buildDataset(*recording, data));
            }
            r.dataset = dataset;
            CancelProgress progress(job->cancel);
            r.data = computePredictions(*model, *dataset, gamma, &progress, wholeTrial, restartS);
            if (compareModel) {
                // The second run on the same samples: its own data settings (prefilter, fractions)
                // when they differ, so its free run starts as it was validated.
                if (!compareDataset)
                    compareDataset =
                        compareData == data || !recording
                            ? dataset
                            : std::make_shared<const Dataset>(buildDataset(*recording, compareData));
                const PredictionData other =
                    computePredictions(*compareModel, *compareDataset, 0.0, &progress, wholeTrial, restartS);
                const auto& a = r.data.neurons;
                const auto& b = other.neurons;
                if (a.size() != b.size() || other.dt_ms != r.data.dt_ms || other.t0_s != r.data.t0_s ||
                    (!a.empty() && a[0].v_predicted.size() != b[0].v_predicted.size()))
                    throw Error(QCoreApplication::translate(
                                    "PredictionsPage", "%1 and %2 cannot be drawn over one another: their "
                                                       "neurons or simulated samples differ")
                                    .arg(name, compareName)
                                    .toStdString());
                for (std::size_t i = 0; i < a.size(); ++i) {
                    r.data.neurons[i].v_compare = b[i].v_predicted;
                    r.data.neurons[i].isyn_compare = b[i].isyn_predicted;
                    r.data.neurons[i].compare_pearson = b[i].pearson;
                }
                r.data.run_name = name;
                r.data.compare_name = compareName;
                r.data.title = QCoreApplication::translate("PredictionsPage", "%1 vs %2 · %3")
                                   .arg(name, compareName, r.data.title);
            } else {
                r.data.title = name + QStringLiteral(" · ") + r.data.title;
            }
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
        if (r.dataset && m_request) {
            m_request->dataset = r.dataset; // built once per shown run
            fillSegments(*r.dataset);
        }
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
    // Until a run is analysed, a message instead of empty maps (whose colour scale would look
    // like data).
    m_placeholder = new QLabel(
        tr("<p style='font-size:large'>No analysis yet</p><p>Select a finished run in the Train tab: its "
           "model is read here as frequency-dependent conductances G(v, f) and B(v, f), with candidate "
           "fold and Neimark-Sacker points.</p>"),
        this);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(24);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_map);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
    connect(m_map, &ConductanceMap::computed, this, &AnalysisPage::describeCandidates);
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
        m_label->setText(run ? tr("%1 has no trained model yet.").arg(run->displayName())
                             : tr("Select a finished run to analyse its conductances."));
        m_hasModel = false;
        m_stack->setCurrentWidget(m_placeholder);
        return;
    }
    m_stack->setCurrentWidget(m_map);
    m_runTitle = tr("%1 · best epoch %2").arg(run->displayName()).arg(run->best_epoch + 1);
    m_label->setText(m_runTitle + QStringLiteral(" · ") + tr("computing…"));
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

QString AnalysisPage::summary() const
{
    return m_label->text();
}

bool AnalysisPage::showsPlaceholder() const
{
    return m_stack->currentWidget() == m_placeholder;
}

void AnalysisPage::describeCandidates()
{
    const auto& map = m_map->result();
    if (!map || map->v.empty())
        return;
    const QLocale locale;
    QStringList folds, ns;
    for (const auto& c : map->candidates) {
        const QString v = locale.toString(c.vMv, 'f', 1);
        if (c.kind == CandidateKind::Fold)
            folds << v;
        else
            ns << tr("%1 mV at %2 Hz").arg(v, locale.toString(c.omegaRadPerMs / (2 * M_PI) * 1000, 'g', 3));
    }
    const QString range =
        tr("[%1, %2] mV")
            .arg(locale.toString(map->v.front(), 'f', 0), locale.toString(map->v.back(), 'f', 0));
    const QString foldText = folds.isEmpty()
                                 ? tr("fold candidates: none found in %1").arg(range)
                                 : tr("fold candidates at %1 mV").arg(folds.join(QStringLiteral("; ")));
    const QString nsText = ns.isEmpty()
                               ? tr("Neimark-Sacker candidates: none found in %1").arg(range)
                               : tr("Neimark-Sacker candidates at %1").arg(ns.join(QStringLiteral("; ")));
    m_label->setText(m_runTitle + QStringLiteral(" · ") + foldText + QStringLiteral(" · ") + nsText);
}

} // namespace rmm
