// SPDX-License-Identifier: GPL-3.0-or-later
// Predictions of a trained model on the validation segment: measured vs simulated voltage per
// neuron (and the GTF observer trace when there is one), predicted vs ground-truth synaptic
// current where a ground-truth channel is mapped (with Pearson r and NRMSE). A second run's
// predictions can be drawn over the first (comparison). All panels share one time axis (linked
// zoom).
#pragma once
#include <QString>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPAxisRect;
class QLabel;
class QStackedWidget;

namespace rmm {

struct NeuronPrediction {
    QString name;                    ///< "neuron 1"
    std::vector<double> v_measured;  ///< mV
    std::vector<double> v_predicted; ///< mV, free run (gamma = 0)
    std::vector<double> v_observer;  ///< mV, observer run (gamma > 0); empty when none
    std::vector<double> isyn_true;   ///< nA; empty when no ground truth is mapped
    std::vector<double> isyn_predicted;
    double pearson = 0;
    double nrmse = 0;
    /// A second run's free run and synaptic current on the same samples (comparison; empty when
    /// none), with its Pearson r.
    std::vector<double> v_compare;
    std::vector<double> isyn_compare;
    double compare_pearson = 0;
};

struct PredictionData {
    double dt_ms = 0.1;
    double t0_s = 0;  ///< time of the first sample within its trial
    double gamma = 0; ///< observer gain of v_observer
    QString title;
    /// With a comparison: the legend names of the two runs' traces ("" = "simulated").
    QString run_name;
    QString compare_name;
    std::vector<NeuronPrediction> neurons;
};

class PredictionsView : public QWidget {
    Q_OBJECT
  public:
    explicit PredictionsView(QWidget* parent = nullptr);

    void setPredictions(const PredictionData& data);
    /// Shows a message instead of plots (computing, error, nothing selected); the predictions
    /// shown before are dropped.
    void setMessage(const QString& message);
    /// The message shown instead of plots ("" while predictions are shown).
    QString message() const;
    const PredictionData& predictions() const { return m_data; }
    QCustomPlot* plot() const { return m_plot; }
    /// Number of panels (voltage panels + current panels).
    int panelCount() const;

    /// True when a second run's predictions are drawn over the first.
    bool isComparison() const;
    /// Writes the shown predictions as CSV (time_s, then per neuron the columns present).
    bool exportCsv(const QString& path, QString* error = nullptr) const;

  public slots:
    void fit();

  private:
    void rebuild();

    QLabel* m_label = nullptr;
    QLabel* m_placeholder = nullptr; ///< the message shown instead of empty axes
    QStackedWidget* m_stack = nullptr;
    QCustomPlot* m_plot = nullptr;
    PredictionData m_data;
    std::vector<QCPAxisRect*> m_rects;
};

} // namespace rmm
