// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/run_store.hpp"

#include <QLocale>

#include <cmath>

namespace rmm {

namespace {
const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0x94, 0x67, 0xbd), QColor(0xff, 0x7f, 0x0e), QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};
}

QString runSettingsSummary(const Run& r)
{
    const TrainingConfig& t = r.config.training;
    return QObject::tr("%1, %2 epochs, %3 mini-batches, lr %4, ρ %5, seed %6, %7 synapse(s)")
        .arg(QString::fromLatin1(toString(t.method)))
        .arg(t.epochs)
        .arg(t.batches > 0 ? QString::number(t.batches) : QObject::tr("auto"))
        .arg(QLocale().toString(t.schedule.empty() ? 0.0 : t.schedule.front().lr, 'g', 3))
        .arg(QLocale().toString(t.rho, 'g', 3))
        .arg(t.seed)
        .arg(r.config.model.synapses.size());
}

QString runReportSummary(const Run& run)
{
    if (!run.report)
        return {};
    const RunReport& r = *run.report;
    const QLocale l;
    auto num = [&l](double x, int digits) {
        return std::isfinite(x) ? l.toString(x, 'f', digits) : QStringLiteral("–");
    };
    QStringList lines;
    const auto& v = r.validation;
    QString validation = v.window_s > 0
                             ? QObject::tr("Validation: angular separation %1 (free run restarted every "
                                           "%2 s), %3 over one free run")
                                   .arg(num(v.angular_separation, 3), l.toString(v.window_s),
                                        num(v.free_run_angular_separation, 3))
                             : QObject::tr("Validation: angular separation %1 (one free run)")
                                   .arg(num(v.angular_separation, 3));
    lines << validation;
    const std::size_t neurons = r.model.neurons.size();
    for (std::size_t i = 0; i < neurons; ++i) {
        const NeuronSummary& n = r.model.neurons[i];
        QString line = QObject::tr("Neuron %1: C %2 nF, leak %3 µS (τ %4 ms)")
                           .arg(i + 1)
                           .arg(num(n.capacitance_nF, 2), num(n.leak_uS, 3), num(n.time_constant_ms, 1));
        for (const SynapticCurrentScore& s : r.synaptic_current)
            if (s.neuron == static_cast<int>(i))
                line += QObject::tr("; synaptic current r %1, amplitude %2× the recorded")
                            .arg(num(s.metrics.pearson, 2), num(s.metrics.amplitude_ratio, 2));
        lines << line;
    }
    if (r.free_run_checked)
        lines << (r.free_run.in_range
                      ? QObject::tr("Free run over %1 s: within the recorded range")
                            .arg(num(r.free_run.seconds, 0))
                      : QObject::tr("Free run over %1 s: not physiological").arg(num(r.free_run.seconds, 0)));
    return lines.join(QLatin1Char('\n'));
}

QString Run::displayName() const
{
    return name.isEmpty() ? RunStore::tr("Run %1").arg(id) : name;
}

QString displayStatus(const Run& run)
{
    // A stop keeps the best snapshot: "cancelled" would read as discarded.
    if (run.status == QLatin1String("cancelled"))
        return run.best_epoch >= 0
                   ? RunStore::tr("stopped (best snapshot of epoch %1 kept)").arg(run.best_epoch + 1)
                   : RunStore::tr("stopped before any snapshot");
    return displayStatus(run.status);
}

QString displayStatus(const QString& status)
{
    if (status == QLatin1String("running"))
        return RunStore::tr("running");
    if (status == QLatin1String("completed"))
        return RunStore::tr("completed");
    if (status == QLatin1String("cancelled"))
        return RunStore::tr("cancelled");
    if (status == QLatin1String("failed"))
        return RunStore::tr("failed");
    if (status == QLatin1String("time-limited"))
        return RunStore::tr("stopped at its time limit");
    return status;
}

int RunStore::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunStore::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunStore::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Run");
    case Method:
        return tr("Method");
    case Epochs:
        return tr("Epochs");
    case Time:
        return tr("Time");
    case Best:
        return tr("Best metric");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

QVariant RunStore::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Run& r = m_runs[static_cast<std::size_t>(index.row())];
    if (role == Qt::DecorationRole && index.column() == Name)
        return r.color;
    if (role == Qt::ToolTipRole) {
        const QString report = runReportSummary(r);
        return report.isEmpty() ? runSettingsSummary(r) : runSettingsSummary(r) + QLatin1Char('\n') + report;
    }
    if (role == Qt::UserRole)
        return r.id;
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case Name:
        return r.displayName();
    case Method:
        return QString::fromLatin1(toString(r.config.training.method));
    case Epochs:
        return QStringLiteral("%1/%2").arg(r.curves.size()).arg(r.config.training.epochs);
    case Time:
        return tr("%1 s").arg(QLocale().toString(r.seconds, 'f', 1));
    case Best:
        return std::isfinite(r.best_metric)
                   ? tr("%1 (epoch %2)").arg(QLocale().toString(r.best_metric, 'g', 4)).arg(r.best_epoch + 1)
                   : QStringLiteral("–");
    case Status:
        return displayStatus(r);
    default:
        return {};
    }
}

bool RunStore::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != Name || role != Qt::EditRole)
        return false;
    const QString name = value.toString().trimmed();
    if (name.isEmpty())
        return false;
    m_runs[static_cast<std::size_t>(index.row())].name = name;
    emit dataChanged(index, index);
    return true;
}

Qt::ItemFlags RunStore::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.column() == Name)
        f |= Qt::ItemIsEditable;
    return f;
}

int RunStore::add(Run run, int row)
{
    if (run.id <= 0)
        run.id = m_nextId;
    m_nextId = std::max(m_nextId, run.id + 1);
    if (!run.color.isValid())
        run.color = kPalette[static_cast<std::size_t>(run.id - 1) % std::size(kPalette)];
    if (row < 0 || row > rowCount())
        row = rowCount();
    const int id = run.id;
    beginInsertRows({}, row, row);
    m_runs.insert(m_runs.begin() + row, std::move(run));
    endInsertRows();
    return id;
}

void RunStore::remove(int id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_runs.erase(m_runs.begin() + row);
    endRemoveRows();
}

void RunStore::clear()
{
    beginResetModel();
    m_runs.clear();
    m_nextId = 1;
    endResetModel();
}

Run* RunStore::find(int id)
{
    for (auto& r : m_runs)
        if (r.id == id)
            return &r;
    return nullptr;
}

const Run* RunStore::find(int id) const
{
    for (const auto& r : m_runs)
        if (r.id == id)
            return &r;
    return nullptr;
}

int RunStore::rowOf(int id) const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id)
            return static_cast<int>(i);
    return -1;
}

void RunStore::touch(int id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit runChanged(id);
}

} // namespace rmm
