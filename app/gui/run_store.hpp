// SPDX-License-Identifier: GPL-3.0-or-later
// The runs of a session: each run's settings, curves, best snapshot and model file, shown as a
// table (name, method, epochs, time, best metric, status).
#pragma once
#include "engine/config/experiment_config.hpp"
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/run/experiment.hpp"
#include "engine/train/trainer.hpp"

#include <QAbstractTableModel>
#include <QColor>
#include <QDateTime>

#include <memory>
#include <optional>
#include <vector>

namespace rmm {

struct Run {
    int id = 0;
    /// The name the user gave ("" = the default "Run <id>", shown in the current language).
    QString name;
    /// The name as shown: `name`, or "Run <id>" translated.
    QString displayName() const;
    ExperimentConfig config;
    std::vector<EpochRecord> curves;
    int best_epoch = -1;
    double best_metric = std::numeric_limits<double>::quiet_NaN();
    double seconds = 0;
    QString status; ///< "running", "completed", "cancelled", "failed" or the error (untranslated; see
                    ///< displayStatus)
    QDateTime started;
    /// Best snapshot, shared and never modified (so copies of a run, e.g. for a background save,
    /// cost nothing); null when the run has none.
    std::shared_ptr<const CircuitModel> model;
    /// The parameters at the end of training (in memory only), with their epoch and metric: the
    /// user may take them instead of a best snapshot that never validated above 0.
    std::shared_ptr<const CircuitModel> last_model;
    int last_epoch = -1;
    double last_metric = std::numeric_limits<double>::quiet_NaN();
    /// The engine's report of the run, as `rmm train` writes it to report.json (validation,
    /// synaptic-current scores, learned capacitance and leak, free-run check); null for runs of
    /// older sessions and imports without a report.
    std::shared_ptr<const RunReport> report;
    QString modelPath;                      ///< where the model is saved ("" = not yet)
    std::shared_ptr<const Dataset> dataset; ///< in memory only (rebuilt from the recording)
    /// The recording the run was trained on: its file ("demo" for the generated demo) and
    /// content fingerprint (engine/recording/fingerprint.hpp; "" when unknown, e.g. older sessions).
    QString recording_path;
    QString recording_fingerprint;
    QColor color;
};

class RunStore : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { Name, Method, Epochs, Time, Best, Status, ColumnCount };

    explicit RunStore(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    /// Adds a run at `row` (-1: last; id and colour assigned when 0 / invalid); returns its id.
    int add(Run run, int row = -1);
    void remove(int id);
    void clear();
    Run* find(int id);
    const Run* find(int id) const;
    int rowOf(int id) const;
    const std::vector<Run>& runs() const { return m_runs; }
    /// Tells views that run `id` changed (curves, status, ...).
    void touch(int id);

  signals:
    void runChanged(int id);

  private:
    std::vector<Run> m_runs;
    int m_nextId = 1;
};

/// One-line summary of a run's settings (method, epochs, batches, lr, seed) for tooltips.
QString runSettingsSummary(const Run& run);
/// What the run's report says, a line each: the validation metric (restarted and one free run),
/// per neuron the learned capacitance, leak and time constant and the synaptic current's r and
/// amplitude, and whether the free run stayed physiological. "" without a report.
QString runReportSummary(const Run& run);
/// Run::status for display: the codes "running", "completed", "cancelled" and "failed" translated,
/// anything else (the engine's divergence message) as it is. Sessions store the codes.
QString displayStatus(const QString& status);
/// The run's status as the run list shows it (a stopped run names the snapshot it kept).
QString displayStatus(const Run& run);

} // namespace rmm
