// SPDX-License-Identifier: GPL-3.0-or-later
// Frequency-dependent conductance map of one neuron (docs/method.md section 6, paper Figure 6):
// heatmaps of G(v, f) and B(v, f) (voltage on x, frequency in Hz on a logarithmic y axis,
// diverging colour scale centred on 0, negative = red), the G = 0 contour, candidate
// bifurcations as markers with tooltips, and the IV and GV curves below. Computed in the
// background (QtConcurrent) whenever the model, the neuron or the grid changes.
#pragma once
#include "engine/analysis/admittance.hpp"
#include "engine/model/circuit_model.hpp"

#include <QWidget>

#include <memory>
#include <optional>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPAxisRect;
class QCPCurve;
class QCPGraph;
class QMouseEvent;

namespace rmm {

class ConductanceMap : public QWidget {
    Q_OBJECT
  public:
    explicit ConductanceMap(QWidget* parent = nullptr);
    ~ConductanceMap() override;

    /// Takes a copy of the model; triggers a recomputation.
    void setModel(const CircuitModel& model);
    /// 0-based neuron index (shown 1-based, as v1, v2, ...); triggers a recomputation.
    void setNeuron(int neuron);
    /// Voltage/frequency grid and the with-synapses setting; triggers a recomputation.
    void setGrid(const AdmittanceSettings& settings);
    int neuron() const { return neuron_; }
    const AdmittanceSettings& grid() const { return settings_; }

    /// True while a computation runs.
    bool busy() const;
    /// The last finished analysis (empty before the first computed()).
    const std::optional<AdmittanceMap>& result() const { return result_; }
    /// Message of the last failed computation ("" after a success).
    const QString& lastError() const { return error_; }

    QCustomPlot* plot() const { return plot_; }
    QCPColorMap* conductanceMap() const { return gMap_; }
    QCPColorMap* susceptanceMap() const { return bMap_; }
    QCPColorScale* conductanceScale() const { return gScale_; }
    /// Number of G = 0 contour segments drawn.
    int contourSegments() const { return contourCount_; }
    /// Tooltip text for a point of the G map in plot coordinates (v mV, log10 f), "" if none.
    QString tooltipAt(double vMv, double log10Hz, double pixelTolerance = 8) const;

  signals:
    /// A new analysis is displayed.
    void computed();
    /// A computation failed (message for the user).
    void failed(const QString& message);

  private:
    struct Job;
    void scheduleRecompute();
    void startJob();
    void display(const AdmittanceMap& map);
    void showFailure(const QString& message);
    void onMouseMove(QMouseEvent* event);

    std::optional<CircuitModel> model_;
    int neuron_ = 0;
    AdmittanceSettings settings_;
    std::optional<AdmittanceMap> result_;
    QString error_;
    quint64 generation_ = 0;
    std::shared_ptr<Job> running_;
    bool scheduled_ = false;

    QCustomPlot* plot_ = nullptr;
    QCPAxisRect *gRect_ = nullptr, *bRect_ = nullptr, *ivRect_ = nullptr, *gvRect_ = nullptr;
    QCPColorMap *gMap_ = nullptr, *bMap_ = nullptr;
    QCPColorScale *gScale_ = nullptr, *bScale_ = nullptr;
    QCPCurve* contour_ = nullptr;
    QCPGraph *nsMarks_ = nullptr, *foldMarks_ = nullptr, *iv_ = nullptr, *gv_ = nullptr, *gvZero_ = nullptr,
             *gvFolds_ = nullptr;
    int contourCount_ = 0;
};

} // namespace rmm
