// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/channel_map_dialog.hpp"
#include "widgets/form_check.hpp"

#include "engine/recording/units.hpp"

#include "engine/core/error.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace rmm {

namespace {
enum Column { ColV, ColU, ColIsyn, ColVUnit, ColUUnit, ColIsynUnit, ColCount };
}

QString ChannelMapDialog::fieldLabel(const std::string& key)
{
    // The dialog's fields by the data key they set (configKeys("data")); "file" is the open recording.
    return labelOfKey(
        {
            {"neurons", tr("Neurons")},
            {"trials", tr("Trials")},
            {"train_fraction", tr("Training fraction")},
            {"validation_fraction", tr("Validation fraction")},
            {"validation_trial", tr("Validation trial")},
            {"prefilter", tr("Zero-phase low-pass of voltages")},
            {"prefilter_hz", tr("Pre-filter cut-off")},
        },
        key);
}

DataConfig ChannelMapDialog::suggest(const Recording& rec)
{
    DataConfig d;
    d.file = rec.source;
    if (rec.trials.empty())
        return d;
    const Trial& t = rec.trials.front();
    // Appending (not "v" + std::to_string(k)) avoids GCC 12's false -Wrestrict (GCC bug 105329).
    auto numbered = [](const char* prefix, int k) {
        std::string name(prefix);
        name += std::to_string(k);
        return name;
    };
    for (int k = 1; k <= 64; ++k) {
        const std::string v = numbered("v", k), u = numbered("u", k), isyn = numbered("Isyn", k);
        if (!t.find(v) || !t.find(u))
            break;
        NeuronChannels n;
        n.v = v;
        n.u = u;
        if (t.find(isyn))
            n.isyn = isyn;
        d.neurons.push_back(n);
    }
    if (d.neurons.empty() && t.channels.size() >= 2)
        d.neurons.push_back({t.channels[0].name, t.channels[1].name, {}, {}, {}, {}});
    return d;
}

ChannelMapDialog::ChannelMapDialog(const Recording& rec, QWidget* parent)
    : QDialog(parent), m_source(rec.source)
{
    setWindowTitle(tr("Channel map"));
    if (!rec.trials.empty())
        for (const auto& c : rec.trials.front().channels) {
            m_channels << QString::fromStdString(c.name);
            m_units << QString::fromStdString(c.unit);
        }

    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("Assign, per neuron, the measured voltage v, the injected current u and optionally "
                      "the ground-truth synaptic current (used only to score predictions, never to "
                      "train). Leave a unit empty to use the file's."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_neurons = new QSpinBox(this);
    m_neurons->setRange(1, 64);
    m_neurons->setAccessibleName(tr("Number of neurons"));
    m_neurons->setToolTip(tr("Neurons of the circuit model: one row per neuron below."));
    form->addRow(fieldLabel("neurons"), m_neurons);
    layout->addLayout(form);

    m_table = new QTableWidget(0, ColCount, this);
    m_table->setHorizontalHeaderLabels({tr("Voltage v"), tr("Injected u"), tr("Ground truth I_syn"),
                                        tr("v unit"), tr("u unit"), tr("I_syn unit")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Channel assignment per neuron"));
    layout->addWidget(m_table);

    auto* split = new QFormLayout;
    m_trials = new QListWidget(this);
    m_trials->setAccessibleName(tr("Trials to use"));
    m_trials->setToolTip(tr("Trials used for training; none checked means every trial."));
    m_trials->setMaximumHeight(110);
    for (const auto& t : rec.trials) {
        auto* item = new QListWidgetItem(QString::fromStdString(t.name), m_trials);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    split->addRow(fieldLabel("trials"), m_trials);
    m_trainFraction = new QDoubleSpinBox(this);
    m_trainFraction->setRange(0.01, 1.0);
    m_trainFraction->setSingleStep(0.05);
    m_trainFraction->setToolTip(tr("The first fraction of every trial trains the model."));
    m_trainFraction->setAccessibleName(tr("Training fraction"));
    split->addRow(fieldLabel("train_fraction"), m_trainFraction);
    m_validationFraction = new QDoubleSpinBox(this);
    m_validationFraction->setRange(0.01, 1.0);
    m_validationFraction->setSingleStep(0.05);
    m_validationFraction->setToolTip(
        tr("The last fraction of the validation trial is the validation segment."));
    m_validationFraction->setAccessibleName(tr("Validation fraction"));
    split->addRow(fieldLabel("validation_fraction"), m_validationFraction);
    m_validationTrial = new QComboBox(this);
    m_validationTrial->setAccessibleName(tr("Validation trial"));
    m_validationTrial->setToolTip(tr("Trial whose last part validates; default: the first trial used."));
    split->addRow(fieldLabel("validation_trial"), m_validationTrial);
    m_prefilter = new QCheckBox(fieldLabel("prefilter"), this);
    m_prefilter->setToolTip(tr("3rd-order Butterworth, forward and backward, before training."));
    m_prefilterHz = new QDoubleSpinBox(this);
    m_prefilterHz->setRange(1, 1e6);
    m_prefilterHz->setSuffix(tr(" Hz"));
    m_prefilterHz->setAccessibleName(fieldLabel("prefilter_hz"));
    split->addRow(m_prefilter, m_prefilterHz);
    layout->addLayout(split);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        try {
            (void)dataConfig();
            accept();
        } catch (const Error& e) {
            QMessageBox::warning(this, windowTitle(), QString::fromStdString(e.what()));
        }
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_neurons, &QSpinBox::valueChanged, this, &ChannelMapDialog::setNeuronRows);
    connect(m_trials, &QListWidget::itemChanged, this, &ChannelMapDialog::refreshValidationTrials);
    resize(820, 520);
    setDataConfig(suggest(rec));
}

void ChannelMapDialog::setNeuronRows(int n)
{
    const int old = m_table->rowCount();
    m_table->setRowCount(n);
    QStringList labels;
    for (int r = 0; r < n; ++r)
        labels << tr("Neuron %1").arg(r + 1);
    m_table->setVerticalHeaderLabels(labels);
    for (int r = old; r < n; ++r) {
        for (int c : {ColV, ColU, ColIsyn}) {
            auto* box = new QComboBox(m_table);
            if (c == ColIsyn)
                box->addItem(tr("(none)"));
            box->addItems(m_channels);
            box->setAccessibleName(m_table->horizontalHeaderItem(c)->text() + QLatin1Char(' ') + labels[r]);
            connect(box, &QComboBox::currentIndexChanged, this, &ChannelMapDialog::checkCells);
            m_table->setCellWidget(r, c, box);
        }
        for (int c : {ColVUnit, ColUUnit, ColIsynUnit}) {
            auto* e = new QLineEdit(m_table);
            e->setPlaceholderText(tr("from file"));
            e->setAccessibleName(m_table->horizontalHeaderItem(c)->text() + QLatin1Char(' ') + labels[r]);
            connect(e, &QLineEdit::textChanged, this, &ChannelMapDialog::checkCells);
            m_table->setCellWidget(r, c, e);
        }
    }
    checkCells();
}

QString ChannelMapDialog::cellProblem(int row, int column) const
{
    if (column != ColV && column != ColU && column != ColIsyn)
        return {};
    const auto* box = static_cast<const QComboBox*>(m_table->cellWidget(row, column));
    const int unitColumn = column == ColV ? ColVUnit : column == ColU ? ColUUnit : ColIsynUnit;
    const auto* override = static_cast<const QLineEdit*>(m_table->cellWidget(row, unitColumn));
    if (!box || !override)
        return {};
    const qsizetype channel = m_channels.indexOf(box->currentText());
    if (channel < 0) // "(none)" for I_syn
        return {};
    const QString unit =
        override->text().trimmed().isEmpty() ? m_units.value(channel) : override->text().trimmed();
    const UnitConversion c = engineUnitFor(unit.toStdString());
    const bool wantVoltage = column == ColV;
    const QString what = wantVoltage ? tr("a voltage") : tr("a current");
    const QString where = tr("Neuron %1, %2").arg(row + 1).arg(m_table->horizontalHeaderItem(column)->text());
    if (!c.known) // as the engine does: taken as mV / nA, with a warning when training starts
        return {};
    if ((c.quantity == Quantity::Voltage) != wantVoltage || (!wantVoltage && c.quantity != Quantity::Current))
        return tr("%1: channel '%2' is in %3, not %4; choose another channel (or correct the unit if the "
                  "file's is wrong)")
            .arg(where, box->currentText(), unit, what);
    return {};
}

void ChannelMapDialog::checkCells()
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        for (int c : {ColV, ColU, ColIsyn}) {
            QWidget* w = m_table->cellWidget(r, c);
            if (!w)
                continue;
            const QString problem = cellProblem(r, c);
            w->setStyleSheet(problem.isEmpty() ? QString()
                                               : QStringLiteral("QComboBox { background: #ffd0d0; }"));
            w->setToolTip(problem);
        }
}

void ChannelMapDialog::refreshValidationTrials()
{
    const QString keep = m_validationTrial->currentText();
    const QSignalBlocker b(m_validationTrial);
    m_validationTrial->clear();
    m_validationTrial->addItem(tr("(first trial used)"));
    for (int i = 0; i < m_trials->count(); ++i)
        if (m_trials->item(i)->checkState() == Qt::Checked)
            m_validationTrial->addItem(m_trials->item(i)->text());
    const int at = m_validationTrial->findText(keep);
    m_validationTrial->setCurrentIndex(at >= 0 ? at : 0);
}

void ChannelMapDialog::setDataConfig(const DataConfig& d)
{
    if (!d.file.empty())
        m_source = d.file;
    m_neurons->setValue(std::max<int>(1, static_cast<int>(d.neurons.size())));
    setNeuronRows(m_neurons->value());
    auto setUnit = [this](int r, int c, const std::optional<std::string>& u) {
        static_cast<QLineEdit*>(m_table->cellWidget(r, c))
            ->setText(u ? QString::fromStdString(*u) : QString());
    };
    for (int r = 0; r < static_cast<int>(d.neurons.size()); ++r) {
        const auto& n = d.neurons[static_cast<std::size_t>(r)];
        static_cast<QComboBox*>(m_table->cellWidget(r, ColV))->setCurrentText(QString::fromStdString(n.v));
        static_cast<QComboBox*>(m_table->cellWidget(r, ColU))->setCurrentText(QString::fromStdString(n.u));
        auto* is = static_cast<QComboBox*>(m_table->cellWidget(r, ColIsyn));
        is->setCurrentIndex(n.isyn ? std::max(0, is->findText(QString::fromStdString(*n.isyn))) : 0);
        setUnit(r, ColVUnit, n.v_unit);
        setUnit(r, ColUUnit, n.u_unit);
        setUnit(r, ColIsynUnit, n.isyn_unit);
    }
    {
        const QSignalBlocker b(m_trials);
        for (int i = 0; i < m_trials->count(); ++i) {
            const std::string name = m_trials->item(i)->text().toStdString();
            const bool on =
                d.trials.empty() || std::find(d.trials.begin(), d.trials.end(), name) != d.trials.end();
            m_trials->item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
        }
    }
    refreshValidationTrials();
    if (!d.validation_trial.empty())
        m_validationTrial->setCurrentText(QString::fromStdString(d.validation_trial));
    m_trainFraction->setValue(d.train_fraction);
    m_validationFraction->setValue(d.validation_fraction);
    m_prefilter->setChecked(d.prefilter);
    m_prefilterHz->setValue(d.prefilter_hz);
}

DataConfig ChannelMapDialog::dataConfig() const
{
    DataConfig d;
    d.file = m_source;
    auto unit = [this](int r, int c) -> std::optional<std::string> {
        const QString t = static_cast<QLineEdit*>(m_table->cellWidget(r, c))->text().trimmed();
        return t.isEmpty() ? std::nullopt : std::optional<std::string>(t.toStdString());
    };
    if (m_channels.isEmpty())
        throw Error(tr("%1: the recording has no channels to map")
                        .arg(QString::fromStdString(m_source))
                        .toStdString());
    for (int r = 0; r < m_table->rowCount(); ++r) {
        NeuronChannels n;
        n.v = static_cast<QComboBox*>(m_table->cellWidget(r, ColV))->currentText().toStdString();
        n.u = static_cast<QComboBox*>(m_table->cellWidget(r, ColU))->currentText().toStdString();
        for (int c : {ColV, ColU, ColIsyn})
            if (const QString problem = cellProblem(r, c); !problem.isEmpty())
                throw Error(problem.toStdString());
        if (n.v == n.u)
            throw Error(tr("Neuron %1: the voltage and the injected current are both '%2'")
                            .arg(r + 1)
                            .arg(QString::fromStdString(n.v))
                            .toStdString());
        const auto* is = static_cast<QComboBox*>(m_table->cellWidget(r, ColIsyn));
        if (is->currentIndex() > 0)
            n.isyn = is->currentText().toStdString();
        n.v_unit = unit(r, ColVUnit);
        n.u_unit = unit(r, ColUUnit);
        n.isyn_unit = unit(r, ColIsynUnit);
        d.neurons.push_back(n);
    }
    int checked = 0;
    for (int i = 0; i < m_trials->count(); ++i)
        if (m_trials->item(i)->checkState() == Qt::Checked) {
            d.trials.push_back(m_trials->item(i)->text().toStdString());
            ++checked;
        }
    if (checked == 0)
        throw Error(tr("Channel map: choose at least one trial").toStdString());
    if (checked == m_trials->count())
        d.trials.clear(); // all trials: the config says so by leaving the list out
    d.train_fraction = m_trainFraction->value();
    d.validation_fraction = m_validationFraction->value();
    if (m_validationTrial->currentIndex() > 0)
        d.validation_trial = m_validationTrial->currentText().toStdString();
    d.prefilter = m_prefilter->isChecked();
    d.prefilter_hz = m_prefilterHz->value();
    return d;
}

} // namespace rmm
