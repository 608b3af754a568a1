// SPDX-License-Identifier: GPL-3.0-or-later
// Stacked traces of one trial of a recording: one axis rect per channel, shared time axis.
// Long channels are drawn through min/max decimation computed on a worker thread.
#pragma once
#include "engine/recording/recording.hpp"

#include <QHash>
#include <QSet>
#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QAction;
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
class QScrollArea;
class QTimer;
class QWheelEvent;
class QCPItemStraightLine;

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

    /// Samples-per-pixel threshold below which raw samples are drawn (for tests).
    static constexpr int kRawThreshold = 2;
    /// Rows never get smaller than this; more channels scroll.
    static constexpr int kMinRowHeight = 48;

    /// Channels named in the channel map: with "mapped channels only" the others are hidden.
    void setMappedChannels(const QStringList& names);
    void setMappedOnly(bool on);
    bool mappedOnly() const;
    /// The shown channels' names, top to bottom: the order the user chose, then the mapped
    /// channels, then the rest in natural order (v1, v2, ..., v10).
    QStringList shownChannels() const;
    /// Moves a channel's row `by` rows up (negative) or down (right-click menu).
    void moveChannel(const QString& name, int by);

    /// Measurement cursors (two vertical lines on every channel) and their read-out.
    void setCursorsVisible(bool on);
    bool cursorsVisible() const;
    /// Places cursor 0 or 1 at time `t` seconds.
    void setCursor(int which, double t);
    double cursor(int which) const { return m_cursorT[which == 0 ? 0 : 1]; }
    /// The cursors' read-out: delta t, then per shown channel delta, mean, min and max.
    QString measurementText() const;
    /// The read-out of the value under the mouse ("" when outside the plots).
    QString hoverText() const;
    /// Text of the value read-out for time `t` on plot row `channel` (what hovering shows).
    QString valueAt(int channel, double t) const;

    /// Other sweeps in grey behind the current one, and their average.
    void setOverlay(bool on);
    bool overlay() const;
    void setAverage(bool on);
    bool average() const;

    /// Zoom history: every zoom, pan and fit can be undone and redone.
    bool canZoomBack() const { return m_historyPos > 0; }
    bool canZoomForward() const { return m_historyPos + 1 < static_cast<int>(m_history.size()); }
    void zoomBack();
    void zoomForward();

    /// The samples of the shown channels between the cursors (or in the visible time range) as
    /// tab-separated text with a header line; at most `maxRows` rows.
    QString valuesText(int maxRows = 1000000) const;
    /// Puts valuesText() on the clipboard.
    void copyValues();
    /// The right-click menu (built on demand; for tests).
    QMenu* contextMenu();

  public slots:
    /// Shows the whole trial in time and every channel's full range.
    void fit();
    void nextTrial();
    void previousTrial();

  signals:
    /// New (decimated or raw) data is in the graphs.
    void dataUpdated();
    void currentTrialChanged(int trial);
    /// The user asked to export this plot (right-click menu).
    void exportRequested();

  protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

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
    void onMouseMove(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    void updateCursorItems();
    void updateMeasurement();
    void updatePlotHeight();
    /// Records the current view in the zoom history (after a zoom, pan or fit).
    void recordView();
    /// A view of the plot: the time range and each shown channel's value range, by name.
    struct ViewState {
        double x0 = 0, x1 = 1;
        std::vector<std::pair<QString, std::pair<double, double>>> y;
    };
    ViewState currentView() const;
    void applyView(const ViewState& view);
    const Channel* shownChannel(int row) const;

    QComboBox* m_trialBox = nullptr;
    QLabel* m_trialLabel = nullptr;
    QToolButton* m_channelButton = nullptr;
    QMenu* m_channelMenu = nullptr;
    QCustomPlot* m_plot = nullptr;
    QScrollArea* m_scroll = nullptr;
    QLabel* m_readout = nullptr; ///< value under the mouse
    QLabel* m_measure = nullptr; ///< cursor measurements
    QMenu* m_menu = nullptr;
    QToolButton* m_overlayButton = nullptr;
    QToolButton* m_averageButton = nullptr;
    QAction* m_cursorAction = nullptr;
    QAction* m_overlayAction = nullptr;
    QAction* m_averageAction = nullptr;
    QAction* m_mappedOnlyAction = nullptr;
    QAction* m_backAction = nullptr;
    QAction* m_forwardAction = nullptr;
    QStringList m_mapped;    ///< channel-map order: voltages, injected currents, synaptic currents
    QStringList m_userOrder; ///< rows the user moved, top first
    double m_cursorT[2] = {0, 0};
    int m_dragCursor = -1; ///< cursor being dragged, -1 none
    std::vector<std::pair<QCPItemStraightLine*, QCPItemStraightLine*>> m_cursorItems;
    std::vector<std::vector<QCPGraph*>> m_overlayGraphs; ///< per row: other sweeps, then the average
    /// The average of the sweeps per channel name, computed once per recording (by a job).
    QHash<QString, std::shared_ptr<const std::vector<double>>> m_averages;
    std::vector<ViewState> m_history;
    int m_historyPos = -1;
    QTimer* m_historyTimer = nullptr; ///< wheel zooms are recorded once they settle
    bool m_restoringView = false;
    bool m_relayoutPending = false; ///< a rebuild for a new channel order is queued
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

/// Natural order of names: digit runs compare by value ("v2" before "v10"), letters ignore case.
bool naturalLess(const QString& a, const QString& b);

/// Display unit for a channel unit: voltages in mV, everything else as the file says.
/// Returns the unit to show and the factor to multiply samples by.
std::pair<QString, double> displayUnitFor(const std::string& unit);

} // namespace rmm
