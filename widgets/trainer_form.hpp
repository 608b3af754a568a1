// SPDX-License-Identifier: GPL-3.0-or-later
// Form for the trainer settings (TrainingConfig, docs/method.md section 3): method, epochs, the
// learning-rate schedule table, mini-batches, shuffle, shot length, rho, rho_v, rho_x, gamma,
// validation interval, seed, the model to start from, threads, wall-clock limit and precision. Defaults are
// the paper's.
#pragma once
#include "engine/config/training_config.hpp"

#include <QWidget>

#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace rmm {

class TrainerForm : public QWidget {
    Q_OBJECT
  public:
    /// The label of the form's row that sets config key `key` (of the config's training section, as
    /// configKeys names it); empty when no row sets it (config files only).
    static QString fieldLabel(const std::string& key);
    /// Gives the keyboard focus to the field that sets config key `key` (fieldLabel's row); returns
    /// it, or null when no row sets the key.
    QWidget* focusField(const std::string& key);
    explicit TrainerForm(QWidget* parent = nullptr);

    void setConfig(const TrainingConfig& config);
    /// The settings as edited, finalized (validation settings kept from the last setConfig);
    /// throws rmm::Error naming the bad field.
    TrainingConfig config() const;
    bool isValid(QString* why = nullptr) const;

    QComboBox* methodBox() const { return m_method; }
    QLineEdit* initEdit() const { return m_init; }
    QSpinBox* epochsBox() const { return m_epochs; }
    QDoubleSpinBox* timeLimitBox() const { return m_timeLimit; }

  signals:
    void changed();

  private:
    void setSchedule(const std::vector<LrStep>& schedule);
    void applyMethodDefaults();
    void updateEnabled();

    TrainingConfig m_base;
    QComboBox* m_method = nullptr;
    QSpinBox* m_epochs = nullptr;
    QTableWidget* m_schedule = nullptr;
    QSpinBox* m_batches = nullptr;
    QCheckBox* m_shuffle = nullptr;
    QSpinBox* m_shot = nullptr;
    QLineEdit* m_rho = nullptr;
    QLineEdit* m_rhoV = nullptr;
    QLineEdit* m_rhoX = nullptr;
    QLineEdit* m_gamma = nullptr;
    QSpinBox* m_validateEvery = nullptr;
    QLineEdit* m_seed = nullptr;
    QLineEdit* m_init = nullptr; ///< training.init: a model file to start from, "" = new
    QSpinBox* m_threads = nullptr;
    QDoubleSpinBox* m_timeLimit = nullptr; ///< minutes, 0 = none
    bool m_timeLimitEdited = false;        ///< by the user since the last setConfig
    QComboBox* m_precision = nullptr;
};

} // namespace rmm
