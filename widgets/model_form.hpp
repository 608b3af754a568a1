// SPDX-License-Identifier: GPL-3.0-or-later
// Form for the circuit model settings (ModelConfig, docs/method.md section 2): connectivity with a
// synapse kind per synapse, the time-constant sets of the filter banks, MLP sizes, E_syn and the
// activation range of conductance synapses. Inputs are checked as typed (invalid fields turn red).
#pragma once
#include "engine/config/model_config.hpp"
#include "widgets/numbers.hpp"

#include <QWidget>

#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace rmm {

class ModelForm : public QWidget {
    Q_OBJECT
  public:
    /// The label of the form's row that sets config key `key` (of the config's model section, as
    /// configKeys names it); empty when no row sets it (config files only).
    static QString fieldLabel(const std::string& key);
    /// Gives the keyboard focus to the field that sets config key `key` (fieldLabel's row); returns
    /// it, or null when no row sets the key.
    QWidget* focusField(const std::string& key);
    explicit ModelForm(QWidget* parent = nullptr);

    /// Shows `config` (default tau sets are shown as the explicit paper values).
    void setConfig(const ModelConfig& config);
    /// The settings as edited, finalized; throws rmm::Error naming the bad field.
    ModelConfig config() const;
    /// Sets the neuron count (from the channel map); keeps valid synapses, adds reciprocal ones.
    void setNeuronCount(int neurons);
    int neuronCount() const;
    /// True when every field parses; `why` names the first bad one.
    bool isValid(QString* why = nullptr) const;

  signals:
    void changed();

  private:
    void addSynapseRow(int pre, int post, SynapseKind kind);
    void revalidate();

    QSpinBox* m_neurons = nullptr;
    QTableWidget* m_synapses = nullptr;
    QLineEdit* m_intrinsicTaus = nullptr;
    QLineEdit* m_synapticTaus = nullptr;
    QLineEdit* m_intrinsicHidden = nullptr;
    QLineEdit* m_lumpedHidden = nullptr;
    QSpinBox* m_conductanceHidden = nullptr;
    QDoubleSpinBox* m_esyn = nullptr;
    QDoubleSpinBox* m_actMin = nullptr;
    QDoubleSpinBox* m_actMax = nullptr;
    QDoubleSpinBox* m_gbar = nullptr;
    QLineEdit* m_capacitance = nullptr;
    QCheckBox* m_learnC = nullptr;
    QDoubleSpinBox* m_leakRest = nullptr;
};

} // namespace rmm
