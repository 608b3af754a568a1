// SPDX-License-Identifier: GPL-3.0-or-later
// A sweep's metric against one swept key (issue 19): every finished run as a point (the seeds of a
// setting are separate points), the mean over the runs sharing a value of the key as a line.
// Numeric keys on a numeric axis (logarithmic when every value is positive and they span more
// than a decade), other keys (strings, lists, booleans) as categories with tick labels. The same
// drawing serves the workbench's sweep view and the headless summary.png of `rmm sweep summary`.
#pragma once
#include "engine/sweep/sweep.hpp"

#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <limits>

class QComboBox;
class QCustomPlot;
class QCPGraph;
class QMenu;

namespace rmm {

enum class SweepMetric {
    BestAs, ///< best validation angular separation (report best_validation)
    WorstR, ///< the worst neuron's synaptic-current Pearson r
};
QString sweepMetricName(SweepMetric metric);

/// The key that plots the metric against each run's seed (not a config key).
inline constexpr char kSweepSeedKey[] = "seed";

/// The metric of one run: NaN when the run is not done or has no such value.
double sweepMetricValue(const sweep::RunStatus& status, SweepMetric metric);

/// What one panel shows, computed from a summary (also what tests read back).
struct SweepPanelData {
    QString key;
    SweepMetric metric = SweepMetric::BestAs;
    bool categorical = false; ///< x = 0, 1, ... with `categories` as tick labels
    bool logarithmic = false;
    QStringList categories;
    QVector<double> x, y; ///< one point per done run with a value
    QVector<int> runs;    ///< the run index of each point
    QVector<double> meanX, meanY;
    QVector<double> allX; ///< the key's value of every run that has one (finished or not)
    /// Numeric keys: the smallest and largest value of the key over all runs (NaN otherwise).
    double lower = std::numeric_limits<double>::quiet_NaN(), upper = lower;
    int withoutValue = 0; ///< runs not drawn (not done, failed, or no value of the metric)
};
SweepPanelData sweepPanelData(const sweep::SweepSummary& summary, const std::string& key, SweepMetric metric);

/// The graphs drawSweepPanel created.
struct SweepPanelGraphs {
    QCPGraph* points = nullptr;
    QCPGraph* mean = nullptr;
};
/// Clears `plot` (its whole layout) and draws `data` into it, with `title` above when not empty.
SweepPanelGraphs drawSweepPanel(QCustomPlot* plot, const SweepPanelData& data, const QString& title = {});

/// The plot of the workbench's sweep view: metric and key chosen in two combo boxes; wheel zooms,
/// drag pans, double-click fits; a click on a point names its run (runClicked); the context
/// menu exports the plot. The runs selected in the table are ringed.
class SweepPlot : public QWidget {
    Q_OBJECT
  public:
    explicit SweepPlot(QWidget* parent = nullptr);

    /// Shows a (re-read) summary; the chosen key and metric stay when the sweep still has them.
    void setSummary(const sweep::SweepSummary& summary);
    void clear();
    void setKey(const QString& key);
    QString key() const;
    void setMetric(SweepMetric metric);
    SweepMetric metric() const;

    QComboBox* keyBox() const { return m_keyBox; }
    QComboBox* metricBox() const { return m_metricBox; }
    QCustomPlot* plot() const { return m_plot; }
    /// The graphs of the current drawing (null before a summary is shown).
    QCPGraph* pointsGraph() const { return m_graphs.points; }
    QCPGraph* meanGraph() const { return m_graphs.mean; }
    /// Rings around the points of the runs set with setHighlightedRuns (null before a summary).
    QCPGraph* highlightGraph() const { return m_highlight; }
    /// Marks these runs' points (the runs selected in the table).
    void setHighlightedRuns(const QList<int>& runIndexes);
    const SweepPanelData& panelData() const { return m_data; }
    QMenu* contextMenu();

  signals:
    void exportRequested();
    /// The point of run `index` was clicked.
    void runClicked(int index);

  public slots:
    void redraw();

  private:
    sweep::SweepSummary m_summary;
    bool m_haveSummary = false;
    QCustomPlot* m_plot = nullptr;
    QComboBox* m_keyBox = nullptr;
    QComboBox* m_metricBox = nullptr;
    QMenu* m_menu = nullptr;
    SweepPanelData m_data;
    SweepPanelGraphs m_graphs;
    QCPGraph* m_highlight = nullptr;
    QList<int> m_highlighted;
    void drawHighlight();
};

} // namespace rmm
