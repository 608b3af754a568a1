// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/model_form.hpp"
#include "widgets/form_check.hpp"

#include "engine/core/error.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <map>

namespace rmm {

namespace {

QDoubleSpinBox* spin(QWidget* parent, double lo, double hi, int decimals, const QString& suffix)
{
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSuffix(suffix);
    return s;
}

/// Red with the problem in the tooltip (above the field's own help), or as it was.
void markValid(QLineEdit* e, bool ok, const QString& problem)
{
    if (!e->property("rmmTip").isValid())
        e->setProperty("rmmTip", e->toolTip());
    const QString tip = e->property("rmmTip").toString();
    e->setStyleSheet(ok ? QString() : QStringLiteral("QLineEdit { background: #ffd0d0; }"));
    e->setToolTip(ok ? tip : problem + QStringLiteral("\n\n") + tip);
}

// The messages of the fields, for config() (at Start) and revalidate() (as the user types).
QString intrinsicTausProblem()
{
    return ModelForm::tr("Intrinsic τ (ms): give positive time constants, e.g. %1")
        .arg(formatList(std::vector<double>{0.2, 2, 20}));
}

QString synapticTausProblem()
{
    return ModelForm::tr("Synaptic τ (ms): give positive time constants, e.g. %1")
        .arg(formatList(std::vector<double>{2, 20}));
}

QString intrinsicHiddenProblem()
{
    return ModelForm::tr("Intrinsic MLP: give the widths of up to %2 hidden layers (1 to %3), e.g. %1")
        .arg(formatList(std::vector<int>{20, 20}))
        .arg(kMaxHiddenLayers)
        .arg(kMaxHiddenWidth);
}

QString lumpedHiddenProblem()
{
    return ModelForm::tr("Lumped synapse MLP: give the widths of up to %2 hidden layers (1 to %3), e.g. %1")
        .arg(formatList(std::vector<int>{20}))
        .arg(kMaxHiddenLayers)
        .arg(kMaxHiddenWidth);
}

QString capacitanceProblem()
{
    return ModelForm::tr(
               "Capacitance (nF): give one value, or one per neuron (e.g. %1), or leave it empty to learn it")
        .arg(formatList(std::vector<double>{6.3, 5.8}));
}

} // namespace

ModelForm::ModelForm(QWidget* parent) : QWidget(parent)
{
    auto* form = new QFormLayout;
    m_neurons = new QSpinBox(this);
    m_neurons->setRange(1, 64);
    m_neurons->setToolTip(tr("Number of neurons in the circuit; set by the channel map (one voltage and "
                             "one injected-current channel per neuron)."));
    m_neurons->setEnabled(false);
    form->addRow(fieldLabel("neurons"), m_neurons);

    m_synapses = new QTableWidget(0, 3, this);
    m_synapses->setHorizontalHeaderLabels({tr("From (j)"), tr("To (i)"), tr("Kind")});
    m_synapses->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_synapses->verticalHeader()->hide();
    m_synapses->setMinimumHeight(110);
    m_synapses->setAccessibleName(tr("Synapses"));
    m_synapses->setToolTip(
        tr("Connectivity j → i. A lumped synapse is an MLP of the presynaptic filter states giving the "
           "whole current; a conductance synapse is ḡ s(z) (v_i − E_syn), with s an MLP gate."));
    auto* addBtn = new QPushButton(tr("Add synapse"), this);
    auto* delBtn = new QPushButton(tr("Remove"), this);
    connect(addBtn, &QPushButton::clicked, this, [this]() {
        addSynapseRow(0, std::min(1, neuronCount() - 1), SynapseKind::Lumped);
        emit changed();
    });
    connect(delBtn, &QPushButton::clicked, this, [this]() {
        const int r = m_synapses->currentRow();
        if (r >= 0)
            m_synapses->removeRow(r);
        emit changed();
    });
    auto* synBox = new QVBoxLayout;
    synBox->addWidget(m_synapses);
    auto* btns = new QHBoxLayout;
    btns->addWidget(addBtn);
    btns->addWidget(delBtn);
    btns->addStretch();
    synBox->addLayout(btns);
    form->addRow(fieldLabel("synapses"), synBox);

    auto line = [this](const QString& tip, const QString& name, const QString& id) {
        auto* e = new QLineEdit(this);
        e->setToolTip(tip);
        e->setAccessibleName(name);
        e->setObjectName(id);
        connect(e, &QLineEdit::textChanged, this, [this]() {
            revalidate();
            emit changed();
        });
        return e;
    };
    m_intrinsicTaus = line(tr("Time constants τ (ms) of the intrinsic filter bank, comma separated. Paper: "
                              "fast+slow {0.2k} ∪ {2k} ∪ {10+10k} and ultraslow {200k−100}, k = 1..8 (32)."),
                           tr("Intrinsic time constants"), QStringLiteral("intrinsicTaus"));
    form->addRow(fieldLabel("intrinsic_taus_ms"), m_intrinsicTaus);
    m_synapticTaus = line(tr("Time constants τ (ms) of the synaptic filter bank of each presynaptic voltage. "
                             "Paper: the fast+slow set (24)."),
                          tr("Synaptic time constants"), QStringLiteral("synapticTaus"));
    form->addRow(fieldLabel("synaptic_taus_ms"), m_synapticTaus);
    m_intrinsicHidden =
        line(tr("Hidden layer widths of the intrinsic-current MLP of each neuron. Paper: 20, 20, 20."),
             tr("Intrinsic MLP widths"), QStringLiteral("intrinsicHidden"));
    form->addRow(fieldLabel("intrinsic_hidden"), m_intrinsicHidden);
    m_lumpedHidden = line(tr("Hidden layer widths of a lumped synapse MLP. Paper: 10, 10, 10."),
                          tr("Lumped synapse MLP widths"), QStringLiteral("lumpedHidden"));
    form->addRow(fieldLabel("lumped_hidden"), m_lumpedHidden);
    m_conductanceHidden = new QSpinBox(this);
    m_conductanceHidden->setRange(1, 4096);
    m_conductanceHidden->setToolTip(
        tr("Hidden width of the gate MLP s(z) of a conductance synapse. Paper: 20."));
    m_conductanceHidden->setAccessibleName(tr("Conductance synapse MLP width"));
    form->addRow(fieldLabel("conductance_hidden"), m_conductanceHidden);
    m_esyn = spin(this, -200, 200, 1, tr(" mV"));
    m_esyn->setToolTip(
        tr("Reversal potential E_syn of conductance synapses (fixed, not trained). Paper: −80 mV."));
    m_esyn->setAccessibleName(tr("Synaptic reversal potential"));
    form->addRow(fieldLabel("e_syn_mV"), m_esyn);
    m_actMin = spin(this, -200, 200, 1, tr(" mV"));
    m_actMax = spin(this, -200, 200, 1, tr(" mV"));
    m_actMin->setToolTip(
        tr("Presynaptic voltage range mapped to [−1, 1] at the input of s(z). Paper: −60 to −40 mV."));
    m_actMax->setToolTip(m_actMin->toolTip());
    m_actMin->setAccessibleName(tr("Activation range low"));
    m_actMax->setAccessibleName(tr("Activation range high"));
    auto* act = new QHBoxLayout;
    act->addWidget(m_actMin);
    act->addWidget(m_actMax);
    form->addRow(fieldLabel("activation_range_mV"), act);
    m_gbar = spin(this, 1e-6, 1e6, 4, QString());
    m_gbar->setToolTip(tr("Initial maximal conductance ḡ = softplus(·) of conductance synapses. Paper: 1."));
    m_gbar->setAccessibleName(tr("Initial maximal conductance"));
    form->addRow(fieldLabel("gbar_init"), m_gbar);
    m_capacitance =
        line(tr("Membrane capacitance in nF as measured on the rig (membrane test): one value for "
                "every neuron or one per neuron, comma separated. Empty: learned from the data."),
             tr("Membrane capacitance"), QStringLiteral("capacitance"));
    m_capacitance->setPlaceholderText(tr("learned"));
    m_learnC = new QCheckBox(tr("only as a start (learn C)"), this);
    m_learnC->setToolTip(tr("Unchecked: the measured capacitance is kept fixed during training."));
    m_learnC->setAccessibleName(tr("Learn the capacitance"));
    connect(m_learnC, &QCheckBox::toggled, this, &ModelForm::changed);
    connect(m_capacitance, &QLineEdit::textChanged, this,
            [this]() { m_learnC->setEnabled(!m_capacitance->text().trimmed().isEmpty()); });
    auto* cap = new QHBoxLayout;
    cap->addWidget(m_capacitance);
    cap->addWidget(m_learnC);
    form->addRow(fieldLabel("capacitance_nF"), cap);
    m_leakRest = spin(this, -200, 200, 1, tr(" mV"));
    m_leakRest->setToolTip(tr("The leak starts at zero current at this voltage (offset b = −g·E)."));
    m_leakRest->setAccessibleName(tr("Leak rest voltage"));
    form->addRow(fieldLabel("leak_rest_mV"), m_leakRest);
    for (QDoubleSpinBox* s : {m_esyn, m_actMin, m_actMax, m_gbar, m_leakRest})
        connect(s, &QDoubleSpinBox::valueChanged, this, [this]() {
            revalidate();
            emit changed();
        });
    connect(m_conductanceHidden, &QSpinBox::valueChanged, this, &ModelForm::changed);
    setLayout(form);
    ModelConfig defaults;
    defaults.finalize();
    setConfig(defaults);
}

QWidget* ModelForm::focusField(const std::string& key)
{
    return focusRow(this, fieldLabel(key));
}

QString ModelForm::fieldLabel(const std::string& key)
{
    // The form's rows by the model key they set (configKeys("model")).
    return labelOfKey(
        {
            {"neurons", tr("Neurons")},
            {"synapses", tr("Synapses")},
            {"intrinsic_taus_ms", tr("Intrinsic τ (ms)")},
            {"synaptic_taus_ms", tr("Synaptic τ (ms)")},
            {"intrinsic_hidden", tr("Intrinsic MLP")},
            {"lumped_hidden", tr("Lumped synapse MLP")},
            {"conductance_hidden", tr("Conductance gate width")},
            {"e_syn_mV", tr("E_syn")},
            {"activation_range_mV", tr("Activation range")},
            {"gbar_init", tr("Initial ḡ")},
            {"capacitance_nF", tr("Capacitance (nF)")},
            {"leak_rest_mV", tr("Leak starts at rest")},
            {"synapse", tr("Synapses")},
            {"learn_capacitance", tr("Capacitance (nF)")},
        },
        key);
}

void ModelForm::addSynapseRow(int pre, int post, SynapseKind kind)
{
    const int r = m_synapses->rowCount();
    m_synapses->insertRow(r);
    auto neuronBox = [this](int value) {
        auto* b = new QSpinBox(m_synapses);
        b->setRange(1, std::max(1, neuronCount()));
        b->setValue(value + 1);
        connect(b, &QSpinBox::valueChanged, this, &ModelForm::changed);
        return b;
    };
    m_synapses->setCellWidget(r, 0, neuronBox(pre));
    m_synapses->setCellWidget(r, 1, neuronBox(post));
    auto* k = new QComboBox(m_synapses);
    k->addItem(tr("lumped"));
    k->addItem(tr("conductance"));
    k->setCurrentIndex(kind == SynapseKind::Lumped ? 0 : 1);
    k->setAccessibleName(tr("Synapse kind"));
    connect(k, &QComboBox::currentIndexChanged, this, &ModelForm::changed);
    m_synapses->setCellWidget(r, 2, k);
}

void ModelForm::setConfig(const ModelConfig& input)
{
    ModelConfig c = input;
    try {
        c.finalize();
    } catch (const Error&) {
        // keep what was given; the user sees and fixes the fields
    }
    m_neurons->setValue(c.neurons);
    m_synapses->setRowCount(0);
    for (const auto& s : c.synapses)
        addSynapseRow(s.pre, s.post, s.kind);
    m_intrinsicTaus->setText(formatList(c.intrinsic_taus_ms));
    m_synapticTaus->setText(formatList(c.synaptic_taus_ms));
    m_intrinsicHidden->setText(formatList(c.intrinsic_hidden));
    m_lumpedHidden->setText(formatList(c.lumped_hidden));
    for (QLineEdit* e : {m_intrinsicTaus, m_synapticTaus, m_intrinsicHidden, m_lumpedHidden})
        e->setCursorPosition(0); // long lists show their beginning, not their tail
    m_conductanceHidden->setValue(c.conductance_hidden);
    m_esyn->setValue(c.e_syn_mV);
    m_actMin->setValue(c.activation_min_mV);
    m_actMax->setValue(c.activation_max_mV);
    m_gbar->setValue(c.gbar_init);
    m_capacitance->setText(formatList(c.capacitance_nF));
    m_learnC->setChecked(c.learn_capacitance);
    m_learnC->setEnabled(!c.capacitance_nF.empty());
    m_leakRest->setValue(c.leak_rest_mV);
    revalidate();
}

int ModelForm::neuronCount() const
{
    return m_neurons->value();
}

void ModelForm::setNeuronCount(int neurons)
{
    if (neurons == neuronCount() && m_synapses->rowCount() > 0)
        return;
    std::vector<SynapseConfig> keep;
    for (int r = 0; r < m_synapses->rowCount(); ++r) {
        SynapseConfig s;
        s.pre = static_cast<QSpinBox*>(m_synapses->cellWidget(r, 0))->value() - 1;
        s.post = static_cast<QSpinBox*>(m_synapses->cellWidget(r, 1))->value() - 1;
        s.kind = static_cast<QComboBox*>(m_synapses->cellWidget(r, 2))->currentIndex() == 0
                     ? SynapseKind::Lumped
                     : SynapseKind::Conductance;
        if (s.pre < neurons && s.post < neurons)
            keep.push_back(s);
    }
    m_neurons->setValue(neurons);
    if (keep.empty())
        for (int j = 0; j < neurons; ++j)
            for (int i = 0; i < neurons; ++i)
                if (i != j)
                    keep.push_back({j, i, SynapseKind::Lumped});
    m_synapses->setRowCount(0);
    for (const auto& s : keep)
        addSynapseRow(s.pre, s.post, s.kind);
    emit changed();
}

void ModelForm::revalidate()
{
    std::vector<double> d;
    std::vector<int> w;
    markValid(m_intrinsicTaus, parsePositiveList(m_intrinsicTaus->text(), &d) && !d.empty(),
              intrinsicTausProblem());
    markValid(m_synapticTaus, parsePositiveList(m_synapticTaus->text(), &d) && !d.empty(),
              synapticTausProblem());
    markValid(m_intrinsicHidden, parseWidthList(m_intrinsicHidden->text(), &w), intrinsicHiddenProblem());
    markValid(m_lumpedHidden, parseWidthList(m_lumpedHidden->text(), &w), lumpedHiddenProblem());
    markValid(m_capacitance,
              m_capacitance->text().trimmed().isEmpty() || parsePositiveList(m_capacitance->text(), &d),
              capacitanceProblem());
}

bool ModelForm::isValid(QString* why) const
{
    return formAccepts([this] { (void)config(); }, why);
}

ModelConfig ModelForm::config() const
{
    ModelConfig c;
    c.neurons = m_neurons->value();
    c.synapses_default = false;
    for (int r = 0; r < m_synapses->rowCount(); ++r) {
        SynapseConfig s;
        s.pre = static_cast<QSpinBox*>(m_synapses->cellWidget(r, 0))->value() - 1;
        s.post = static_cast<QSpinBox*>(m_synapses->cellWidget(r, 1))->value() - 1;
        s.kind = static_cast<QComboBox*>(m_synapses->cellWidget(r, 2))->currentIndex() == 0
                     ? SynapseKind::Lumped
                     : SynapseKind::Conductance;
        c.synapses.push_back(s);
    }
    if (!parsePositiveList(m_intrinsicTaus->text(), &c.intrinsic_taus_ms) || c.intrinsic_taus_ms.empty())
        throw Error(intrinsicTausProblem().toStdString());
    if (!parsePositiveList(m_synapticTaus->text(), &c.synaptic_taus_ms) || c.synaptic_taus_ms.empty())
        throw Error(synapticTausProblem().toStdString());
    if (!parseWidthList(m_intrinsicHidden->text(), &c.intrinsic_hidden))
        throw Error(intrinsicHiddenProblem().toStdString());
    if (!parseWidthList(m_lumpedHidden->text(), &c.lumped_hidden))
        throw Error(lumpedHiddenProblem().toStdString());
    c.conductance_hidden = m_conductanceHidden->value();
    c.e_syn_mV = m_esyn->value();
    c.activation_min_mV = m_actMin->value();
    c.activation_max_mV = m_actMax->value();
    c.gbar_init = m_gbar->value();
    c.capacitance_nF.clear();
    if (!m_capacitance->text().trimmed().isEmpty() &&
        !parsePositiveList(m_capacitance->text(), &c.capacitance_nF))
        throw Error(capacitanceProblem().toStdString());
    c.learn_capacitance = m_learnC->isChecked();
    c.leak_rest_mV = m_leakRest->value();
    c.finalize();
    return c;
}

} // namespace rmm
