// SPDX-License-Identifier: GPL-3.0-or-later
// Learning curves of one or more runs: training loss per epoch (log scale) above, validation
// metric below, the best snapshot of each run marked. Points arrive as epochs finish; redraws
// are coalesced on a ~30 Hz timer.
#pragma once
#include <QColor>
#include <QMap>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
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
    /// Appends one epoch (0-based; metric NaN when not validated). Drawn at the next refresh.
    void appendEpoch(int id, int epoch, double loss, double metric);
    /// Marks the best snapshot of run `id` (epoch < 0 hides the mark).
    void setBest(int id, int epoch, double metric);
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
    struct Series {
        QCPGraph* loss = nullptr;
        QCPGraph* metric = nullptr;
        QCPGraph* best = nullptr;
    };
    void refresh();

    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_lossRect = nullptr;
    QCPAxisRect* m_metricRect = nullptr;
    QMap<int, Series> m_series;
    QTimer* m_timer = nullptr;
    bool m_dirty = false;
    bool m_userZoomed = false;
    int m_refreshes = 0;
};

} // namespace rmm
