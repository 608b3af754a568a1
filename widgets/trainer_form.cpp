// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/trainer_form.hpp"
#include "widgets/form_check.hpp"
#include "widgets/numbers.hpp"

#include "engine/core/error.hpp"
#include "engine/train/trainable.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QTableWidget>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <map>

namespace rmm {

namespace {

/// Upper end of the penalty weights the form accepts.
constexpr double kMaxWeight = 1e12;

/// The number in a field, in the user's locale; an error naming the field as the form labels it.
double number(const QLineEdit* e, const QString& field, double lo, double hi)
{
    double v = 0;
    if (!parseNumber(e->text(), &v) || v < lo || v > hi)
        throw Error(TrainerForm::tr("%1: \"%2\" is not a number from %3 to %4")
                        .arg(field, e->text(), formatNumber(lo), formatNumber(hi))
                        .toStdString());
    return v;
}

TrainingMethod methodAt(int index)
{
    return index == 1   ? TrainingMethod::MultipleShooting
           : index == 2 ? TrainingMethod::GeneralizedTeacherForcing
                        : TrainingMethod::TeacherForcing;
}

int indexOf(TrainingMethod m)
{
    return m == TrainingMethod::MultipleShooting ? 1 : m == TrainingMethod::GeneralizedTeacherForcing ? 2 : 0;
}

} // namespace

TrainerForm::TrainerForm(QWidget* parent) : QWidget(parent)
{
    auto* form = new QFormLayout;
    // Checked as the user types, with the message Start would give: red, and the tooltip says why.
    auto numberEdit = [this](const QString& tip, const QString& name, const QString& label, double hi) {
        auto* e = new QLineEdit(this);
        e->setToolTip(tip);
        e->setAccessibleName(name);
        connect(e, &QLineEdit::textChanged, this, [this, e, tip, label, hi]() {
            QString problem;
            try {
                (void)number(e, label, 0, hi);
            } catch (const Error& err) {
                problem = QString::fromStdString(err.what());
            }
            e->setStyleSheet(problem.isEmpty() ? QString()
                                               : QStringLiteral("QLineEdit { background: #ffd0d0; }"));
            e->setToolTip(problem.isEmpty() ? tip : problem + QStringLiteral("\n\n") + tip);
            emit changed();
        });
        return e;
    };
    auto intBox = [this](int lo, int hi, const QString& tip, const QString& name) {
        auto* s = new QSpinBox(this);
        s->setRange(lo, hi);
        s->setToolTip(tip);
        s->setAccessibleName(name);
        connect(s, &QSpinBox::valueChanged, this, &TrainerForm::changed);
        return s;
    };

    m_method = new QComboBox(this);
    m_method->addItem(tr("Teacher forcing (TF)"));
    m_method->addItem(tr("Multiple shooting (MS)"));
    m_method->addItem(tr("Generalized teacher forcing (GTF)"));
    m_method->setToolTip(tr("TF feeds the measured voltage into the model and fits one-step derivatives; MS "
                            "integrates short shots from free initial states tied by the continuity penalty "
                            "ρ_x; GTF feeds a mix γ v_meas + (1 − γ) v_pred."));
    m_method->setAccessibleName(tr("Training method"));
    connect(m_method, &QComboBox::currentIndexChanged, this, [this]() {
        applyMethodDefaults();
        updateEnabled();
        emit changed();
    });
    form->addRow(fieldLabel("method"), m_method);
    m_epochs = intBox(1, 10000000,
                      tr("Passes over the training data. Defaults: TF 600, MS 800 (paper: 400), GTF 300."),
                      tr("Epochs"));
    form->addRow(fieldLabel("epochs"), m_epochs);

    m_schedule = new QTableWidget(0, 2, this);
    m_schedule->setHorizontalHeaderLabels({tr("From epoch"), tr("Learning rate")});
    m_schedule->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_schedule->verticalHeader()->hide();
    m_schedule->setMinimumHeight(100);
    m_schedule->setAccessibleName(tr("Learning-rate schedule"));
    m_schedule->setToolTip(
        tr("Piecewise-constant Adam learning rate: each row applies from its epoch (0-based) "
           "on. Paper: TF 1e-3; MS 0.01, halved at epochs 50 and 100."));
    connect(m_schedule, &QTableWidget::itemChanged, this, &TrainerForm::changed);
    auto* add = new QPushButton(tr("Add step"), this);
    auto* del = new QPushButton(tr("Remove"), this);
    connect(add, &QPushButton::clicked, this, [this]() {
        const int r = m_schedule->rowCount();
        m_schedule->insertRow(r);
        m_schedule->setItem(r, 0, new QTableWidgetItem(QString::number(r == 0 ? 0 : 100 * r)));
        m_schedule->setItem(r, 1, new QTableWidgetItem(QStringLiteral("0.001")));
    });
    connect(del, &QPushButton::clicked, this, [this]() {
        if (m_schedule->currentRow() >= 0)
            m_schedule->removeRow(m_schedule->currentRow());
        emit changed();
    });
    auto* sched = new QVBoxLayout;
    sched->addWidget(m_schedule);
    auto* sb = new QHBoxLayout;
    sb->addWidget(add);
    sb->addWidget(del);
    sb->addStretch();
    sched->addLayout(sb);
    form->addRow(fieldLabel("schedule"), sched);

    m_batches = intBox(0, 1000000,
                       tr("Mini-batches per epoch (N_batches). Auto: chosen from the training data when "
                          "training starts: 96 from %1 s of training data, the paper's 48 below (GTF: "
                          "48).")
                           .arg(rmm::kAutoBatchesLongS),
                       tr("Mini-batches"));
    m_batches->setSpecialValueText(tr("auto"));
    form->addRow(fieldLabel("batches"), m_batches);
    m_shuffle = new QCheckBox(tr("Re-permute samples every epoch"), this);
    m_shuffle->setToolTip(tr("TF: shuffle the training samples into new mini-batches each epoch."));
    connect(m_shuffle, &QCheckBox::toggled, this, &TrainerForm::changed);
    form->addRow(fieldLabel("shuffle"), m_shuffle);
    m_shot = intBox(2, 1000000, tr("MS/GTF: samples per shot. Paper: 30 (reference code 10–40)."),
                    tr("Shot length"));
    form->addRow(fieldLabel("shot"), m_shot);
    m_rho = numberEdit(
        tr("ρ: L2 penalty on MLP weights, leak conductances and ḡ. Paper: 5e-8 (TF), 5e-9 (MS, GTF)."),
        tr("rho"), tr("ρ"), kMaxWeight);
    form->addRow(fieldLabel("rho"), m_rho);
    m_rhoV = numberEdit(tr("ρ_v: MS weight of the voltage mismatch of the shots. Paper: 500."), tr("rho v"),
                        tr("ρ_v"), kMaxWeight);
    form->addRow(fieldLabel("rho_v"), m_rhoV);
    m_rhoX = numberEdit(tr("ρ_x: MS weight of the continuity (state mismatch) between shots. Paper: 500."),
                        tr("rho x"), tr("ρ_x"), kMaxWeight);
    form->addRow(fieldLabel("rho_x"), m_rhoX);
    m_gamma =
        numberEdit(tr("γ: GTF observer gain in [0, 1]; 0 is multiple shooting, 1 recurrent teacher forcing."),
                   tr("gamma"), tr("γ"), 1);
    form->addRow(fieldLabel("gamma"), m_gamma);
    m_validateEvery =
        intBox(1, 1000000, tr("K: free-run validation (angular separation) and snapshot every K epochs."),
               tr("Validation interval"));
    form->addRow(fieldLabel("validate_every"), m_validateEvery);
    m_seed = new QLineEdit(this);
    m_seed->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seed));
    m_seed->setToolTip(tr("Seed of the parameter initialisation and the shuffles: same seed, same run."));
    m_seed->setAccessibleName(tr("Seed"));
    connect(m_seed, &QLineEdit::textChanged, this, &TrainerForm::changed);
    form->addRow(fieldLabel("seed"), m_seed);
    // Warm start (training.init): an earlier run's model file instead of a new model.
    m_init = new QLineEdit(this);
    m_init->setPlaceholderText(tr("a new model (from the seed)"));
    m_init->setClearButtonEnabled(true);
    m_init->setToolTip(tr("Start from an earlier run's model file (model.h5) instead of a new model: e.g. "
                          "multiple shooting warm-started from a teacher-forcing model, or more epochs "
                          "for a model. Its settings replace the model form's. Empty: a new model."));
    m_init->setAccessibleName(tr("Start from"));
    connect(m_init, &QLineEdit::textChanged, this, &TrainerForm::changed);
    auto* browse = new QToolButton(this);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose a model file to start from"));
    browse->setAccessibleName(tr("Choose a model file to start from"));
    connect(browse, &QToolButton::clicked, this, [this]() {
        const QString f = QFileDialog::getOpenFileName(this, tr("Start from a model"), m_init->text(),
                                                       tr("RMM models (*.h5);;All files (*)"));
        if (!f.isEmpty())
            m_init->setText(f);
    });
    auto* initRow = new QHBoxLayout;
    initRow->setContentsMargins(0, 0, 0, 0);
    initRow->addWidget(m_init, 1);
    initRow->addWidget(browse);
    form->addRow(fieldLabel("init"), initRow);
    m_threads = intBox(1, 1024, tr("OpenMP threads used by the training worker."), tr("Threads"));
    form->addRow(fieldLabel("threads"), m_threads);
    m_timeLimit = new QDoubleSpinBox(this);
    m_timeLimit->setRange(0, 100000);
    m_timeLimit->setDecimals(1);
    m_timeLimit->setSingleStep(5);
    m_timeLimit->setSuffix(tr(" min"));
    m_timeLimit->setSpecialValueText(tr("none"));
    m_timeLimit->setToolTip(
        tr("Wall-clock budget: training stops after the mini-batch that passes it, validates "
           "its last parameters once and keeps the best snapshot. Use it to fit training into "
           "an experiment, or to compare methods at equal time as in the paper."));
    m_timeLimit->setAccessibleName(tr("Time limit"));
    connect(m_timeLimit, &QDoubleSpinBox::valueChanged, this, [this]() {
        m_timeLimitEdited = true;
        emit changed();
    });
    form->addRow(fieldLabel("time_limit_s"), m_timeLimit);
    m_precision = new QComboBox(this);
    m_precision->addItem(tr("float32"));
    m_precision->addItem(tr("float64"));
    m_precision->setToolTip(tr("Arithmetic of the MLPs during training (the paper trains in float32)."));
    m_precision->setAccessibleName(tr("Precision"));
    connect(m_precision, &QComboBox::currentIndexChanged, this, &TrainerForm::changed);
    form->addRow(fieldLabel("dtype"), m_precision);
    setLayout(form);

    TrainingConfig defaults;
    defaults.threads = std::max(1, std::min(QThread::idealThreadCount(), 8));
    defaults.finalize(false, false);
    setConfig(defaults);
}

QWidget* TrainerForm::focusField(const std::string& key)
{
    return focusRow(this, fieldLabel(key));
}

QString TrainerForm::fieldLabel(const std::string& key)
{
    // The form's rows by the training key they set (configKeys("training")); "lr" is the schedule's.
    return labelOfKey(
        {
            {"method", tr("Method")},
            {"epochs", tr("Epochs")},
            {"schedule", tr("Schedule")},
            {"batches", tr("Mini-batches")},
            {"shuffle", tr("Shuffle")},
            {"shot", tr("Shot length")},
            {"rho", tr("ρ")},
            {"rho_v", tr("ρ_v")},
            {"rho_x", tr("ρ_x")},
            {"gamma", tr("γ")},
            {"validate_every", tr("Validate every")},
            {"seed", tr("Seed")},
            {"init", tr("Start from")},
            {"threads", tr("Threads")},
            {"time_limit_s", tr("Time limit")},
            {"dtype", tr("Precision")},
            {"lr", tr("Schedule")},
        },
        key);
}

void TrainerForm::setSchedule(const std::vector<LrStep>& schedule)
{
    const QSignalBlocker block(m_schedule);
    m_schedule->setRowCount(0);
    for (const auto& s : schedule) {
        const int r = m_schedule->rowCount();
        m_schedule->insertRow(r);
        m_schedule->setItem(r, 0, new QTableWidgetItem(QString::number(s.from_epoch)));
        m_schedule->setItem(r, 1, new QTableWidgetItem(formatNumber(s.lr)));
    }
}

void TrainerForm::applyMethodDefaults()
{
    TrainingConfig d;
    d.method = methodAt(m_method->currentIndex());
    d.finalize(false, false);
    const QSignalBlocker b(m_epochs);
    m_epochs->setValue(d.epochs);
    m_rho->setText(formatNumber(d.rho));
    setSchedule(d.schedule);
}

void TrainerForm::updateEnabled()
{
    const auto m = methodAt(m_method->currentIndex());
    const bool shots = m != TrainingMethod::TeacherForcing;
    m_shot->setEnabled(shots);
    m_rhoV->setEnabled(shots);
    m_rhoX->setEnabled(shots);
    m_gamma->setEnabled(m == TrainingMethod::GeneralizedTeacherForcing);
    m_shuffle->setEnabled(!shots);
}

void TrainerForm::setConfig(const TrainingConfig& c)
{
    m_base = c;
    {
        const QSignalBlocker b(m_method);
        m_method->setCurrentIndex(indexOf(c.method));
    }
    m_epochs->setValue(c.epochs);
    setSchedule(c.schedule);
    m_batches->setValue(c.batches);
    m_shuffle->setChecked(c.shuffle);
    m_shot->setValue(c.shot);
    m_rho->setText(formatNumber(c.rho));
    m_rhoV->setText(formatNumber(c.rho_v));
    m_rhoX->setText(formatNumber(c.rho_x));
    m_gamma->setText(formatNumber(c.gamma));
    m_validateEvery->setValue(c.validate_every);
    m_seed->setText(QString::number(c.seed));
    m_init->setText(QString::fromStdString(c.init));
    m_threads->setValue(c.threads);
    {
        const QSignalBlocker b(m_timeLimit);
        m_timeLimit->setValue(c.time_limit_s / 60.0);
    }
    m_timeLimitEdited = false;
    m_precision->setCurrentIndex(c.precision == Precision::Float32 ? 0 : 1);
    updateEnabled();
}

bool TrainerForm::isValid(QString* why) const
{
    return formAccepts([this] { (void)config(); }, why);
}

TrainingConfig TrainerForm::config() const
{
    TrainingConfig c = m_base;
    c.method = methodAt(m_method->currentIndex());
    c.epochs = m_epochs->value();
    c.schedule.clear();
    for (int r = 0; r < m_schedule->rowCount(); ++r) {
        bool ok1 = false, ok2 = false;
        const QTableWidgetItem* e = m_schedule->item(r, 0);
        const QTableWidgetItem* l = m_schedule->item(r, 1);
        LrStep s;
        s.from_epoch = e ? e->text().trimmed().toInt(&ok1) : 0;
        ok2 = l && parseNumber(l->text(), &s.lr);
        if (!ok1 || !ok2)
            throw Error(tr("Learning-rate schedule, row %1: give an epoch and a learning rate")
                            .arg(r + 1)
                            .toStdString());
        c.schedule.push_back(s);
    }
    c.batches = m_batches->value();
    c.shuffle = m_shuffle->isChecked();
    c.shot = m_shot->value();
    c.rho = number(m_rho, tr("ρ"), 0, kMaxWeight);
    c.rho_v = number(m_rhoV, tr("ρ_v"), 0, kMaxWeight);
    c.rho_x = number(m_rhoX, tr("ρ_x"), 0, kMaxWeight);
    c.gamma = number(m_gamma, tr("γ"), 0, 1);
    c.validate_every = m_validateEvery->value();
    bool ok = false;
    c.seed = m_seed->text().toULongLong(&ok);
    if (!ok)
        throw Error(tr("Seed: give a whole number of 0 or more").toStdString());
    c.init = m_init->text().trimmed().toStdString();
    c.threads = m_threads->value();
    // The box shows minutes to one decimal: keep the config's exact seconds until it is edited.
    if (m_timeLimitEdited)
        c.time_limit_s = m_timeLimit->value() * 60.0;
    c.precision = m_precision->currentIndex() == 0 ? Precision::Float32 : Precision::Float64;
    c.finalize(true);
    return c;
}

} // namespace rmm
