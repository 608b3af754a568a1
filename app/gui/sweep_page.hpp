// SPDX-License-Identifier: GPL-3.0-or-later
// The "Sweep" tab (issue 19): a sweep folder written by `rmm sweep run` or `rmm sweep slurm` as a
// sortable table of its runs (every swept key, seed, status, best AS, synaptic r per neuron,
// best epoch, training time, physiological check) and a plot of the metric against a swept key.
// The folder is read in the background (engine summarizeSweep) and read again as runs finish
// (file-system watcher, and a 2 s poll while runs are pending or running, for network file
// systems that report no changes). Runs open into the run list like File > Import rmm train results.
#pragma once
#include "engine/sweep/sweep.hpp"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QString>
#include <QWidget>

#include <memory>

class QFileSystemWatcher;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace rmm {

class SweepPlot;

/// One row per run of a sweep. Sort values (SortRole) are numbers where the column is numeric.
class SweepRunModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Role {
        SortRole = Qt::UserRole + 1, ///< double (NaN when none) or QString
        RunIndexRole,                ///< the run's index in the sweep
    };
    /// What a column shows.
    enum class Kind { Index, Key, Seed, Status, BestAs, SynapticR, BestEpoch, Seconds, Physiological };
    struct Column {
        Kind kind;
        int arg = 0; ///< Key: index into keys; SynapticR: neuron
        bool operator==(const Column&) const = default;
    };

    explicit SweepRunModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    /// Shows `summary`: in place (dataChanged, selections and sort order stay) when the rows and
    /// columns are those shown, else with a reset (then returns true).
    bool setSummary(const sweep::SweepSummary& summary);
    void clear();
    const sweep::SweepSummary& summary() const { return m_summary; }
    const std::vector<Column>& columns() const { return m_columns; }
    /// Column of `kind` (the first; SynapticR: neuron `arg`), -1 when absent.
    int columnOf(Kind kind, int arg = 0) const;
    /// Row of the run with index `runIndex`, -1 when absent.
    int rowOfRun(int runIndex) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    std::vector<Column> m_columns;
    sweep::SweepSummary m_summary;
};

/// Numeric sort of SweepRunModel::SortRole: numbers by value with NaN (no value) after every
/// number, text after numbers, text compared naturally ("run 10" after "run 9").
class SweepSortProxy : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

  protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

class SweepPage : public QWidget {
    Q_OBJECT
  public:
    explicit SweepPage(QWidget* parent = nullptr);
    ~SweepPage() override;

    /// Opens the sweep folder `dir`: read in the background, then loaded() or failed(). The
    /// shown sweep stays until the new one has been read.
    void openFolder(const QString& dir);
    /// The open sweep folder ("" before one was read).
    QString folder() const { return m_dir; }
    /// Re-reads the open folder in the background (a read in progress is followed by another).
    void refresh();
    bool isReading() const { return m_reading; }
    /// Milliseconds the last read of the folder took (in the background thread).
    qint64 lastReadMs() const { return m_lastReadMs; }
    /// Milliseconds the last update of the table and plot took (in the GUI thread).
    qint64 lastUpdateMs() const { return m_lastUpdateMs; }

    /// The result folder (DIR/runs/NNNN/result) of run `runIndex`.
    QString resultFolder(int runIndex) const;
    /// The name a run of this sweep gets in the run list ("<sweep folder> #0007").
    QString runName(int runIndex) const;
    /// Run indexes of the selected rows, in the table's order.
    QList<int> selectedRuns() const;
    void selectRuns(const QList<int>& runIndexes);

    QTableView* table() const { return m_table; }
    SweepRunModel* model() const { return m_model; }
    SweepSortProxy* proxy() const { return m_proxy; }
    SweepPlot* plot() const { return m_plot; }
    QPushButton* openButton() const { return m_openButton; }
    QPushButton* compareButton() const { return m_compareButton; }
    /// The line above the table (folder, counts of runs by state).
    QString summaryText() const;

  signals:
    /// A folder was read (first time and every refresh).
    void loaded();
    /// Reading a folder failed (not a sweep folder, sweep.json damaged): the message names it.
    void failed(const QString& message);
    /// The user asked to open run results into the run list.
    void openRunRequested(const QString& resultDir, const QString& name);
    /// The user asked to compare the predictions of two runs.
    void compareRequested(const QString& resultDirA, const QString& nameA, const QString& resultDirB,
                          const QString& nameB);
    /// The plot's export was asked for (context menu).
    void exportRequested();

  public slots:
    /// Opens the selected runs (those with results).
    void openSelected();
    /// Compares the two selected runs' predictions.
    void compareSelected();

  private:
    void startRead();
    void applySummary(const sweep::SweepSummary& summary);
    void updateButtons();
    void watchFolders();
    bool hasResult(int runIndex) const;

    QString m_dir;        ///< the folder shown
    QString m_readingDir; ///< the folder being read
    bool m_reading = false;
    bool m_readAgain = false;
    quint64 m_generation = 0;
    qint64 m_lastReadMs = -1;
    qint64 m_lastUpdateMs = -1;
    QLabel* m_header = nullptr;
    QLabel* m_placeholder = nullptr;
    QTableView* m_table = nullptr;
    SweepRunModel* m_model = nullptr;
    SweepSortProxy* m_proxy = nullptr;
    SweepPlot* m_plot = nullptr;
    QPushButton* m_openButton = nullptr;
    QPushButton* m_compareButton = nullptr;
    QPushButton* m_refreshButton = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_poll = nullptr;     ///< every 2 s while runs are pending or running
    QTimer* m_coalesce = nullptr; ///< file-system events -> one read
};

} // namespace rmm
