// SPDX-License-Identifier: GPL-3.0-or-later
// Learning curves of one or more runs: training loss per epoch (log scale) above, validation
// metric below, the best snapshot of each run marked. Points arrive as epochs finish; redraws
// are coalesced on a ~30 Hz timer. The horizontal axis is the epoch or the wall time since the
// run started (to compare methods at equal time, as in the paper's Figs. 2-4).
#pragma once
#include <QColor>
#include <QMap>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QComboBox;
class QTimer;

namespace rmm {

class LearningCurvePlot : public QWidget {
    Q_OBJECT
  public:
    explicit LearningCurvePlot(QWidget* parent = nullptr);

    /// Adds (or renames/recolours) the curves of run `id`.
    void setSeries(int id, const QString& name, const QColor& color);
    void removeSeries(int id);
    void clear();
    /// Appends one epoch (0-based; metric NaN when not validated; elapsed: wall seconds since the
    /// run started, at the end of the epoch). Drawn at the next refresh.
    void appendEpoch(int id, int epoch, double loss, double metric, double elapsedSeconds);
    /// Marks the best snapshot of run `id` (epoch < 0 hides the mark); its time is looked up
    /// among the run's epochs.
    void setBest(int id, int epoch, double metric);
    /// Horizontal axis: epochs (false, the default) or wall time in minutes (true).
    void setTimeAxis(bool wallTime);
    bool timeAxis() const { return m_wallTime; }
    QComboBox* axisBox() const { return m_axisBox; }
    /// Shows only these runs (others stay stored).
    void setVisibleSeries(const QList<int>& ids);

    int pointCount(int id) const;
    int metricPointCount(int id) const;
    /// Number of redraws done so far (coalescing test hook).
    int refreshCount() const { return m_refreshes; }
    QCustomPlot* plot() const { return m_plot; }

  public slots:
    void fit();

  private:
    struct Point {
        int epoch;
        double elapsed, loss, metric;
    };
    struct Series {
        QCPGraph* loss = nullptr;
        QCPGraph* metric = nullptr;
        QCPGraph* best = nullptr;
        QVector<Point> points;
        int bestEpoch = -1;
        double bestMetric = 0;
    };
    double xOf(const Series& s, int epoch) const;
    void addPoint(Series& s, const Point& p);
    void drawBest(Series& s);
    void refresh();

    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_lossRect = nullptr;
    QCPAxisRect* m_metricRect = nullptr;
    QMap<int, Series> m_series;
    QTimer* m_timer = nullptr;
    QComboBox* m_axisBox = nullptr;
    bool m_wallTime = false;
    bool m_dirty = false;
    bool m_userZoomed = false;
    int m_refreshes = 0;
};

} // namespace rmm
