// SPDX-License-Identifier: GPL-3.0-or-later
// Stacked traces of one trial of a recording: one axis rect per channel, shared time axis.
// Long channels are drawn through min/max decimation computed on a worker thread.
#pragma once
#include "engine/recording/recording.hpp"

#include <QSet>
#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QCustomPlot;
class QCPAxis;
class QCPAxisRect;
class QCPGraph;
class QCPMarginGroup;
class QCPRange;
class QLabel;
class QMenu;
class QToolButton;
class QMouseEvent;
class QTimer;
class QWheelEvent;

namespace rmm {

class TracePlot : public QWidget {
    Q_OBJECT
  public:
    explicit TracePlot(QWidget* parent = nullptr);
    ~TracePlot() override;

    /// Shows `recording` (shared, never modified; nullptr clears). Starts at the first trial,
    /// fitted once the first decimation arrives (signal dataUpdated()).
    void setRecording(std::shared_ptr<const Recording> recording);
    const std::shared_ptr<const Recording>& recording() const { return m_recording; }

    int trialCount() const;
    int currentTrial() const { return m_trial; }
    void setCurrentTrial(int trial);

    /// The plot, for inspection and export.
    QCustomPlot* plot() const { return m_plot; }
    /// Plots shown (one per visible channel).
    int channelCount() const { return static_cast<int>(m_rects.size()); }
    QCPAxisRect* axisRect(int channel) const;
    QCPGraph* graph(int channel) const;
    /// Y-axis label of a plot row as displayed ("v1 [mV]").
    QString channelLabel(int channel) const;

    /// Shows or hides a channel by name (kept across trials; reset by setRecording). The time
    /// range is kept; the last visible channel cannot be hidden.
    void setChannelVisible(const QString& name, bool visible);
    bool isChannelVisible(const QString& name) const;

    /// Writes the plot as PNG, PDF or SVG, chosen by the file suffix. Returns false (and sets
    /// `error`) on an unknown suffix or a write failure.
    bool exportFigure(const QString& path, QString* error = nullptr, int width = 0, int height = 0);

    /// Samples-per-pixel threshold below which raw samples are drawn (for tests).
    static constexpr int kRawThreshold = 2;

  public slots:
    /// Shows the whole trial in time and every channel's full range.
    void fit();

  signals:
    /// New (decimated or raw) data is in the graphs.
    void dataUpdated();
    void currentTrialChanged(int trial);

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    struct Job;
    struct Result;

    static Result runJob(const Job& job);
    enum class FitPending { None, All, YOnly };

    void rebuild(bool keepTimeRange);
    void rebuildChannelMenu();
    void updateLabels();
    void scheduleDecimation();
    void startDecimation();
    void applyResult(const Result& result);
    void onXRangeChanged(const QCPRange& range, QCPAxis* source);
    void onMousePress(QMouseEvent* event);
    void onMouseWheel(QWheelEvent* event);
    void onDoubleClick(QMouseEvent* event);
    void fitChannelY(int channel);
    double trialSeconds() const;
    int rectAt(const QPointF& pos) const;

    QComboBox* m_trialBox = nullptr;
    QLabel* m_trialLabel = nullptr;
    QToolButton* m_channelButton = nullptr;
    QMenu* m_channelMenu = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPMarginGroup* m_marginGroup = nullptr;
    QTimer* m_decimateTimer = nullptr;
    std::shared_ptr<const Recording> m_recording;
    int m_trial = 0;
    std::vector<QCPAxisRect*> m_rects;
    std::vector<QCPGraph*> m_graphs;
    std::vector<std::size_t> m_channels;             ///< trial channel index per plot row
    QSet<QString> m_hidden;                          ///< names of hidden channels
    std::vector<double> m_displayFactor;             ///< file unit -> display unit, per channel
    std::vector<std::pair<double, double>> m_yRange; ///< full display range per channel
    bool m_linking = false;
    FitPending m_fitPending = FitPending::None;
    bool m_jobRunning = false;
    bool m_jobQueued = false;
    quint64 m_generation = 0;
};

/// Display unit for a channel unit: voltages in mV, everything else as the file says.
/// Returns the unit to show and the factor to multiply samples by.
std::pair<QString, double> displayUnitFor(const std::string& unit);

} // namespace rmm
