// SPDX-License-Identifier: GPL-3.0-or-later
// The "Predictions" and "Analysis" tabs for the selected run. Predictions are simulated in the
// background (QtConcurrent), superseded requests are dropped, and nothing blocks the GUI.
#pragma once
#include "app/gui/run_store.hpp"
#include "engine/recording/recording.hpp"
#include "widgets/predictions_view.hpp"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QStackedWidget;

namespace rmm {

class ConductanceMap;

/// Identifies what a result view shows of a run (id, epochs, status).
QString runKey(const Run* run);

class PredictionsPage : public QWidget {
    Q_OBJECT
  public:
    explicit PredictionsPage(QWidget* parent = nullptr);
    ~PredictionsPage() override;

    /// Shows run `run` (null clears); its dataset is rebuilt from `recording` (the run's own, whose
    /// content fingerprint is `recordingKey`) when missing. With `compare`, that run's predictions
    /// on the same samples are drawn over `run`'s (it must have been trained on the same
    /// recording, with the same neurons).
    void showRun(const Run* run, std::shared_ptr<const Recording> recording, const QString& recordingKey = {},
                 const Run* compare = nullptr);
    /// Shows a message instead of predictions (e.g. the run's recording is missing).
    void showMessage(const QString& message);
    PredictionsView* view() const { return m_view; }
    bool busy() const { return m_busy; }

  signals:
    /// New predictions are displayed.
    void computed();
    void failed(const QString& message);

  public:
    /// What is simulated: the validation segment (0) or a whole trial (1 + its index in the dataset).
    QComboBox* segmentBox() const { return m_segment; }
    /// Observer gain γ of the observer trace (0: none); a GTF run starts at its training γ.
    QDoubleSpinBox* gammaBox() const { return m_gamma; }
    QDoubleSpinBox* restartBox() const { return m_restart; }

  private:
    struct Job;
    /// The shown run's model and data, kept to recompute when the segment or γ changes.
    struct Request {
        std::shared_ptr<const CircuitModel> model;
        DataConfig data;
        std::shared_ptr<const Dataset> dataset;
        std::shared_ptr<const Recording> recording;
        QString name;
        /// The run compared with (null model: none).
        std::shared_ptr<const CircuitModel> compareModel;
        DataConfig compareData;
        std::shared_ptr<const Dataset> compareDataset;
        QString compareName;
    };
    void compute();
    void fillSegments(const Dataset& dataset);

    std::optional<Request> m_request;
    QComboBox* m_segment = nullptr;
    QDoubleSpinBox* m_gamma = nullptr;
    QDoubleSpinBox* m_restart = nullptr;
    PredictionsView* m_view = nullptr;
    quint64 m_generation = 0;
    std::shared_ptr<Job> m_job;
    bool m_busy = false;
    QString m_shownKey; ///< run shown (or being computed): skip repeated requests
};

class AnalysisPage : public QWidget {
    Q_OBJECT
  public:
    explicit AnalysisPage(QWidget* parent = nullptr);

    void showRun(const Run* run);
    ConductanceMap* map() const { return m_map; }

    /// The line under the controls: the run and its fold / Neimark-Sacker candidates.
    QString summary() const;
    /// True while the placeholder (no run analysed yet) is shown instead of the map.
    bool showsPlaceholder() const;

  private:
    void describeCandidates();

    QLabel* m_label = nullptr;
    QLabel* m_placeholder = nullptr;
    QStackedWidget* m_stack = nullptr;
    QString m_runTitle;
    QComboBox* m_neuron = nullptr;
    QCheckBox* m_withSynapses = nullptr;
    ConductanceMap* m_map = nullptr;
    bool m_hasModel = false;
    QString m_shownKey;
};

} // namespace rmm
