// SPDX-License-Identifier: GPL-3.0-or-later
// Channel map: per neuron the voltage channel, the injected-current channel and an optional
// ground-truth synaptic-current channel, with unit overrides, the trials to use and the
// train/validation split. Produces exactly the `data` part of the experiment config that
// `rmm train` reads.
#pragma once
#include "engine/config/experiment_config.hpp"
#include "engine/recording/recording.hpp"

#include <QDialog>

#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QListWidget;
class QSpinBox;
class QTableWidget;

namespace rmm {

class ChannelMapDialog : public QDialog {
    Q_OBJECT
  public:
    /// `recording` supplies channel names, units and trial names (samples are not read).
    ChannelMapDialog(const Recording& recording, QWidget* parent = nullptr);

    void setDataConfig(const DataConfig& config);
    /// The map as edited; data.file is the recording's source. Throws rmm::Error when a neuron
    /// lacks a channel or no trial is chosen.
    DataConfig dataConfig() const;

    /// A first guess for a recording: neurons k = 1.. while channels v<k> and u<k> exist (with
    /// Isyn<k> as ground truth when present); otherwise one neuron on the first two channels.
    static DataConfig suggest(const Recording& recording);
    /// The label of the dialog's field that sets config key `key` of the data section (as
    /// configKeys names it); empty when no field sets it.
    static QString fieldLabel(const std::string& key);

  private:
    void setNeuronRows(int n);
    void refreshValidationTrials();
    /// What is wrong with a cell of the table ("" when nothing): a voltage column holding a
    /// channel whose unit is not a voltage, a current column one that is not a current.
    QString cellProblem(int row, int column) const;
    /// Marks wrong cells red with the problem as tooltip (checked as the user chooses).
    void checkCells();

    std::string m_source;
    QStringList m_channels;
    QStringList m_units; ///< the file's unit of each channel (first trial)
    QSpinBox* m_neurons = nullptr;
    QTableWidget* m_table = nullptr;
    QListWidget* m_trials = nullptr;
    QDoubleSpinBox* m_trainFraction = nullptr;
    QDoubleSpinBox* m_validationFraction = nullptr;
    QComboBox* m_validationTrial = nullptr;
    QCheckBox* m_prefilter = nullptr;
    QDoubleSpinBox* m_prefilterHz = nullptr;
};

} // namespace rmm
