// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/sweep_page.hpp"

#include "widgets/plot_locale.hpp"
#include "widgets/sweep_plot.hpp"

#include <QCollator>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFont>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <optional>

namespace rmm {

namespace {

constexpr int kPollMs = 2000;
constexpr int kCoalesceMs = 300;
const QColor kFailedColor(0xc0, 0x1c, 0x28);
const QColor kWarningColor(0xb3, 0x5c, 0x00);

QString stateText(sweep::RunState s)
{
    switch (s) {
    case sweep::RunState::Pending:
        return SweepRunModel::tr("pending");
    case sweep::RunState::Running:
        return SweepRunModel::tr("running");
    case sweep::RunState::Done:
        return SweepRunModel::tr("done");
    case sweep::RunState::Failed:
        return SweepRunModel::tr("failed");
    case sweep::RunState::Interrupted:
        return SweepRunModel::tr("interrupted");
    }
    return {};
}

/// Sort order of the states: finished first, failures last.
int stateOrder(sweep::RunState s)
{
    switch (s) {
    case sweep::RunState::Done:
        return 0;
    case sweep::RunState::Running:
        return 1;
    case sweep::RunState::Pending:
        return 2;
    case sweep::RunState::Interrupted:
        return 3;
    case sweep::RunState::Failed:
        return 4;
    }
    return 5;
}

/// Numbers as the user's locale writes them, without digit grouping (columns of numbers compare
/// more easily as 1000 than as 1,000).
QLocale numberLocale()
{
    return plotLocale();
}

QString valueText(const nlohmann::json& v)
{
    if (v.is_number_integer())
        return numberLocale().toString(v.get<qlonglong>());
    if (v.is_number())
        return numberLocale().toString(v.get<double>(), 'g', 6);
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_null())
        return {};
    return QString::fromStdString(v.dump());
}

QVariant number(double x)
{
    return QVariant(std::isfinite(x) ? x : std::numeric_limits<double>::quiet_NaN());
}

QString fixed(double x, int decimals)
{
    return std::isfinite(x) ? numberLocale().toString(x, 'f', decimals) : QString();
}

bool isNumberVariant(const QVariant& v)
{
    return v.typeId() == QMetaType::Double;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// SweepRunModel

bool SweepRunModel::setSummary(const sweep::SweepSummary& summary)
{
    std::vector<Column> cols;
    cols.push_back({Kind::Index});
    for (int k = 0; k < static_cast<int>(summary.keys.size()); ++k)
        cols.push_back({Kind::Key, k});
    cols.push_back({Kind::Seed});
    cols.push_back({Kind::Status});
    cols.push_back({Kind::BestAs});
    for (int n = 0; n < summary.neurons; ++n)
        cols.push_back({Kind::SynapticR, n});
    cols.push_back({Kind::BestEpoch});
    cols.push_back({Kind::Seconds});
    cols.push_back({Kind::Physiological});

    bool sameRows = summary.runs.size() == m_summary.runs.size() && summary.keys == m_summary.keys;
    for (std::size_t i = 0; sameRows && i < summary.runs.size(); ++i)
        sameRows = summary.runs[i].index == m_summary.runs[i].index;
    if (sameRows && cols == m_columns && !summary.runs.empty()) {
        m_summary = summary;
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        return false;
    }
    beginResetModel();
    m_columns = std::move(cols);
    m_summary = summary;
    endResetModel();
    return true;
}

void SweepRunModel::clear()
{
    beginResetModel();
    m_columns.clear();
    m_summary = sweep::SweepSummary{};
    endResetModel();
}

int SweepRunModel::columnOf(Kind kind, int arg) const
{
    for (int c = 0; c < static_cast<int>(m_columns.size()); ++c)
        if (m_columns[c].kind == kind &&
            (m_columns[c].arg == arg || (kind != Kind::Key && kind != Kind::SynapticR)))
            return c;
    return -1;
}

int SweepRunModel::rowOfRun(int runIndex) const
{
    for (int r = 0; r < static_cast<int>(m_summary.runs.size()); ++r)
        if (m_summary.runs[r].index == runIndex)
            return r;
    return -1;
}

int SweepRunModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_summary.runs.size());
}

int SweepRunModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant SweepRunModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const std::size_t row = static_cast<std::size_t>(index.row());
    const sweep::SweepRun& run = m_summary.runs[row];
    static const sweep::RunStatus none;
    const sweep::RunStatus& st = row < m_summary.status.size() ? m_summary.status[row] : none;
    const Column& col = m_columns[static_cast<std::size_t>(index.column())];
    const bool done = st.state == sweep::RunState::Done;
    const bool bad = st.state == sweep::RunState::Failed || st.state == sweep::RunState::Interrupted;

    switch (role) {
    case RunIndexRole:
        return run.index;
    case Qt::ForegroundRole:
        if (bad)
            return kFailedColor;
        if (col.kind == Kind::Physiological && done && !st.physiological)
            return kWarningColor;
        if (st.state == sweep::RunState::Pending)
            return QColor(Qt::gray);
        return {};
    case Qt::FontRole:
        if (st.state == sweep::RunState::Running) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        if (bad)
            return tr("%1: %2").arg(stateText(st.state), st.reason.empty()
                                                             ? tr("no reason recorded")
                                                             : QString::fromStdString(st.reason));
        if (st.state == sweep::RunState::Running && !st.slurm_job.empty())
            return tr("running as SLURM job %1").arg(QString::fromStdString(st.slurm_job));
        if (col.kind == Kind::Physiological && done && !st.physiological)
            return tr("The free run of the best model leaves the recorded voltage range (report.json "
                      "free_run.in_range)");
        if (col.kind == Kind::Key)
            return QString::fromStdString(
                run.values.value(m_summary.keys[static_cast<std::size_t>(col.arg)], nlohmann::json()).dump());
        return {};
    case Qt::TextAlignmentRole:
        if (col.kind == Kind::Status || col.kind == Kind::Physiological)
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        if (col.kind == Kind::Key) {
            const auto& v =
                run.values.value(m_summary.keys[static_cast<std::size_t>(col.arg)], nlohmann::json());
            if (!v.is_number())
                return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }

    const bool sort = role == SortRole;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    switch (col.kind) {
    case Kind::Index:
        return sort ? QVariant(static_cast<double>(run.index))
                    : QVariant(QStringLiteral("%1").arg(run.index, 4, 10, QLatin1Char('0')));
    case Kind::Key: {
        const nlohmann::json v =
            run.values.value(m_summary.keys[static_cast<std::size_t>(col.arg)], nlohmann::json());
        if (sort)
            return v.is_number() ? QVariant(v.get<double>()) : QVariant(valueText(v));
        return valueText(v);
    }
    case Kind::Seed:
        return sort ? QVariant(static_cast<double>(run.seed)) : QVariant(QString::number(run.seed));
    case Kind::Status:
        return sort ? QVariant(static_cast<double>(stateOrder(st.state))) : QVariant(stateText(st.state));
    case Kind::BestAs:
        return sort ? number(st.best_as) : QVariant(fixed(st.best_as, 4));
    case Kind::SynapticR: {
        const std::size_t n = static_cast<std::size_t>(col.arg);
        const double r = n < st.synaptic_r.size() ? st.synaptic_r[n] : nan;
        return sort ? number(r) : QVariant(fixed(r, 3));
    }
    case Kind::BestEpoch:
        if (sort)
            return st.best_epoch >= 0 ? QVariant(static_cast<double>(st.best_epoch)) : QVariant(nan);
        return st.best_epoch >= 0 ? QVariant(QString::number(st.best_epoch)) : QVariant(QString());
    case Kind::Seconds:
        return sort ? number(st.train_seconds) : QVariant(fixed(st.train_seconds, 1));
    case Kind::Physiological:
        if (sort)
            return done ? QVariant(st.physiological ? 1.0 : 0.0) : QVariant(nan);
        return done ? QVariant(st.physiological ? tr("yes") : tr("no")) : QVariant(QString());
    }
    return {};
}

QVariant SweepRunModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    const Column& col = m_columns[static_cast<std::size_t>(section)];
    if (role == Qt::DisplayRole) {
        switch (col.kind) {
        case Kind::Index:
            return tr("Run");
        case Kind::Key:
            return QString::fromStdString(m_summary.keys[static_cast<std::size_t>(col.arg)]);
        case Kind::Seed:
            return tr("Seed");
        case Kind::Status:
            return tr("Status");
        case Kind::BestAs:
            return tr("Best AS");
        case Kind::SynapticR:
            return tr("r neuron %1").arg(col.arg + 1);
        case Kind::BestEpoch:
            return tr("Best epoch");
        case Kind::Seconds:
            return tr("Training s");
        case Kind::Physiological:
            return tr("Physiological");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (col.kind) {
        case Kind::Index:
            return tr("The run's index: its folder is runs/NNNN in the sweep folder");
        case Kind::Key:
            return tr("A swept setting of the experiment config");
        case Kind::Seed:
            return tr("training.seed of the run");
        case Kind::Status:
            return tr("pending, running, done, failed or interrupted (a failed run's reason is its tooltip)");
        case Kind::BestAs:
            return tr("Best validation angular separation (higher is better)");
        case Kind::SynapticR:
            return tr("Pearson r of the predicted and the recorded synaptic current of neuron %1 on the "
                      "validation segment")
                .arg(col.arg + 1);
        case Kind::BestEpoch:
            return tr("Epoch of the best snapshot (1 = the first)");
        case Kind::Seconds:
            return tr("Training time in seconds");
        case Kind::Physiological:
            return tr("Whether the best model's free run stays within the recorded range");
        }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// SweepSortProxy

bool SweepSortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const QVariant a = left.data(SweepRunModel::SortRole);
    const QVariant b = right.data(SweepRunModel::SortRole);
    const bool an = isNumberVariant(a), bn = isNumberVariant(b);
    // Empty values end up last in both orders: in descending order they count as the smallest.
    const bool emptyIsLargest = sortOrder() == Qt::AscendingOrder;
    if (an && bn) {
        const double x = a.toDouble(), y = b.toDouble();
        const bool xn = std::isnan(x), yn = std::isnan(y);
        if (xn != yn)
            return emptyIsLargest ? yn : xn;
        if (!xn && x != y)
            return x < y;
    } else if (an != bn) {
        return an; // numbers before text
    } else {
        static thread_local QCollator collator = [] {
            QCollator c;
            c.setNumericMode(true);
            c.setCaseSensitivity(Qt::CaseInsensitive);
            return c;
        }();
        const int c = collator.compare(a.toString(), b.toString());
        if (c != 0)
            return c < 0;
    }
    return left.data(SweepRunModel::RunIndexRole).toInt() < right.data(SweepRunModel::RunIndexRole).toInt();
}

// ---------------------------------------------------------------------------------------------
// SweepPage

namespace {
struct ReadResult {
    std::optional<sweep::SweepSummary> summary;
    QString error;
    qint64 ms = 0;
};
} // namespace

SweepPage::SweepPage(QWidget* parent) : QWidget(parent)
{
    m_header = new QLabel(this);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setAccessibleName(tr("Sweep summary"));
    m_openButton = new QPushButton(tr("&Open run"), this);
    m_openButton->setToolTip(tr("Add the selected runs' results (model, curves) to the run list, as File > "
                                "Import rmm train results does (or double-click a run)"));
    m_compareButton = new QPushButton(tr("&Compare predictions"), this);
    m_compareButton->setToolTip(tr("Select two finished runs: their predicted voltages are drawn over one "
                                   "another in the Predictions tab"));
    m_refreshButton = new QPushButton(tr("Refre&sh"), this);
    m_refreshButton->setToolTip(tr("Read the sweep folder again (it is also read as runs finish)"));
    connect(m_openButton, &QPushButton::clicked, this, &SweepPage::openSelected);
    connect(m_compareButton, &QPushButton::clicked, this, &SweepPage::compareSelected);
    connect(m_refreshButton, &QPushButton::clicked, this, &SweepPage::refresh);

    m_model = new SweepRunModel(this);
    m_proxy = new SweepSortProxy(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SweepRunModel::SortRole);
    m_proxy->setDynamicSortFilter(true);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setAccessibleName(tr("Runs of the sweep"));
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& i) {
        const int run = i.data(SweepRunModel::RunIndexRole).toInt();
        if (hasResult(run))
            emit openRunRequested(resultFolder(run), runName(run));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SweepPage::updateButtons);

    m_plot = new SweepPlot(this);
    connect(m_plot, &SweepPlot::exportRequested, this, &SweepPage::exportRequested);
    connect(m_plot, &SweepPlot::runClicked, this, [this](int run) {
        selectRuns({run});
        const int row = m_model->rowOfRun(run);
        if (row >= 0)
            m_table->scrollTo(m_proxy->mapFromSource(m_model->index(row, 0)));
    });

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_plot);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    m_placeholder = new QLabel(tr("Reading the sweep folder…"), this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    auto* stack = new QStackedWidget(this);
    stack->addWidget(m_placeholder);
    stack->addWidget(splitter);
    connect(this, &SweepPage::loaded, stack, [stack, splitter]() { stack->setCurrentWidget(splitter); });

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_header, 1);
    bar->addWidget(m_openButton);
    bar->addWidget(m_compareButton);
    bar->addWidget(m_refreshButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(stack, 1);

    m_watcher = new QFileSystemWatcher(this);
    m_coalesce = new QTimer(this);
    m_coalesce->setSingleShot(true);
    m_coalesce->setInterval(kCoalesceMs);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_coalesce, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_coalesce, qOverload<>(&QTimer::start));
    connect(m_coalesce, &QTimer::timeout, this, &SweepPage::refresh);
    m_poll = new QTimer(this);
    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &SweepPage::refresh);
    updateButtons();
}

SweepPage::~SweepPage()
{
    ++m_generation; // a read still running is ignored when it ends
}

void SweepPage::openFolder(const QString& dir)
{
    ++m_generation;
    m_readingDir = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    if (m_reading)
        m_readAgain = true; // the read in flight is dropped and this folder read after it
    else
        startRead();
}

void SweepPage::refresh()
{
    if (m_readingDir.isEmpty())
        return;
    startRead();
}

void SweepPage::startRead()
{
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    m_reading = true;
    const quint64 generation = m_generation;
    const QString dir = m_readingDir;
    auto work = [dir]() -> ReadResult {
        ReadResult r;
        QElapsedTimer clock;
        clock.start();
        try {
            r.summary = sweep::summarizeSweep(dir.toStdString());
        } catch (const std::bad_alloc&) {
            r.error = SweepPage::tr("Not enough memory to read the sweep folder %1.")
                          .arg(QDir::toNativeSeparators(dir));
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        r.ms = clock.elapsed();
        return r;
    };
    auto* watcher = new QFutureWatcher<ReadResult>(this);
    connect(watcher, &QFutureWatcher<ReadResult>::finished, this, [this, watcher, generation, dir]() {
        const ReadResult r = watcher->result();
        watcher->deleteLater();
        m_reading = false;
        const bool current = generation == m_generation;
        if (current) {
            const bool newFolder = dir != m_dir;
            if (r.summary) {
                if (newFolder) {
                    m_dir = dir;
                    m_model->clear();
                    m_plot->clear();
                    if (!m_watcher->directories().isEmpty())
                        m_watcher->removePaths(m_watcher->directories());
                    m_table->sortByColumn(0, Qt::AscendingOrder);
                }
                m_lastReadMs = r.ms;
                applySummary(*r.summary);
                emit loaded();
            } else if (newFolder) {
                m_readingDir = m_dir; // keep showing (and refreshing) the sweep shown before
                emit failed(r.error);
            } else {
                m_header->setText(
                    QStringLiteral("<span style='color:%1'>%2</span>")
                        .arg(kFailedColor.name(),
                             tr("Could not read the sweep folder: %1").arg(r.error.toHtmlEscaped())));
            }
        }
        if (m_readAgain || !current) {
            m_readAgain = false;
            if (!m_readingDir.isEmpty())
                startRead();
        }
    });
    watcher->setFuture(QtConcurrent::run(work));
}

void SweepPage::applySummary(const sweep::SweepSummary& summary)
{
    QElapsedTimer clock;
    clock.start();
    // A reset (columns or runs changed) loses the selection and may move the sorted column:
    // both are restored by what they name (run indexes, column kind).
    const QList<int> selected = selectedRuns();
    const int sortColumn = m_proxy->sortColumn();
    const Qt::SortOrder order = m_proxy->sortOrder();
    std::optional<SweepRunModel::Column> sortBy;
    if (sortColumn >= 0 && sortColumn < static_cast<int>(m_model->columns().size()))
        sortBy = m_model->columns()[static_cast<std::size_t>(sortColumn)];
    if (m_model->setSummary(summary)) {
        if (sortBy) {
            const int c = m_model->columnOf(sortBy->kind, sortBy->arg);
            m_table->sortByColumn(c >= 0 ? c : 0, c >= 0 ? order : Qt::AscendingOrder);
        }
        selectRuns(selected);
        m_table->resizeColumnsToContents();
    }
    m_plot->setSummary(summary);

    int count[5] = {0, 0, 0, 0, 0};
    for (const sweep::RunStatus& s : summary.status)
        ++count[static_cast<int>(s.state)];
    const int pending = count[static_cast<int>(sweep::RunState::Pending)];
    const int running = count[static_cast<int>(sweep::RunState::Running)];
    const int done = count[static_cast<int>(sweep::RunState::Done)];
    const int failed = count[static_cast<int>(sweep::RunState::Failed)];
    const int interrupted = count[static_cast<int>(sweep::RunState::Interrupted)];
    QStringList parts;
    parts << tr("%n run(s)", nullptr, static_cast<int>(summary.runs.size()));
    parts << tr("%1 done").arg(done);
    if (running)
        parts << tr("<i>%1 running</i>").arg(running);
    if (pending)
        parts << tr("%1 pending").arg(pending);
    if (failed)
        parts << QStringLiteral("<span style='color:%1'>%2</span>")
                     .arg(kFailedColor.name(), tr("%1 failed").arg(failed));
    if (interrupted)
        parts << QStringLiteral("<span style='color:%1'>%2</span>")
                     .arg(kFailedColor.name(), tr("%1 interrupted").arg(interrupted));
    m_header->setText(
        tr("<b>Sweep %1</b>: %2")
            .arg(QFileInfo(m_dir).fileName().toHtmlEscaped(), parts.join(QStringLiteral(" · "))));
    m_header->setToolTip(QDir::toNativeSeparators(m_dir));

    // Unfinished runs: poll (network file systems may report no change) and watch the folders.
    if (pending + running > 0) {
        if (!m_poll->isActive())
            m_poll->start();
    } else {
        m_poll->stop();
    }
    watchFolders();
    updateButtons();
    m_lastUpdateMs = clock.elapsed();
}

void SweepPage::watchFolders()
{
    QStringList want{m_dir, QDir(m_dir).filePath(QStringLiteral("runs"))};
    for (const sweep::SweepRun& r : m_model->summary().runs)
        want << QDir(m_dir).filePath(QString::fromStdString(r.folder));
    const QStringList have = m_watcher->directories();
    QStringList add;
    for (const QString& p : want)
        if (!have.contains(p) && QFileInfo(p).isDir())
            add << p;
    if (!add.isEmpty())
        m_watcher->addPaths(add);
}

QString SweepPage::resultFolder(int runIndex) const
{
    for (const sweep::SweepRun& r : m_model->summary().runs)
        if (r.index == runIndex)
            return QDir::cleanPath(
                QDir(m_dir).filePath(QString::fromStdString(r.folder) + QStringLiteral("/result")));
    return {};
}

QString SweepPage::runName(int runIndex) const
{
    return tr("%1 #%2").arg(QFileInfo(m_dir).fileName()).arg(runIndex, 4, 10, QLatin1Char('0'));
}

bool SweepPage::hasResult(int runIndex) const
{
    const QString dir = resultFolder(runIndex);
    return !dir.isEmpty() && QFileInfo::exists(QDir(dir).filePath(QStringLiteral("model.h5")));
}

QList<int> SweepPage::selectedRuns() const
{
    QList<QModelIndex> rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QList<int> runs;
    for (const QModelIndex& i : rows)
        runs << i.data(SweepRunModel::RunIndexRole).toInt();
    return runs;
}

void SweepPage::selectRuns(const QList<int>& runIndexes)
{
    QItemSelection selection;
    for (int run : runIndexes) {
        const int row = m_model->rowOfRun(run);
        if (row < 0)
            continue;
        const QModelIndex i = m_proxy->mapFromSource(m_model->index(row, 0));
        selection.select(i, i.siblingAtColumn(m_proxy->columnCount() - 1));
    }
    m_table->selectionModel()->select(selection,
                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (!runIndexes.isEmpty()) {
        const int row = m_model->rowOfRun(runIndexes.front());
        if (row >= 0)
            m_table->selectionModel()->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)),
                                                       QItemSelectionModel::NoUpdate);
    }
}

void SweepPage::updateButtons()
{
    int withResult = 0;
    const QList<int> runs = selectedRuns();
    m_plot->setHighlightedRuns(runs);
    for (int r : runs)
        if (hasResult(r))
            ++withResult;
    m_openButton->setEnabled(withResult > 0);
    m_compareButton->setEnabled(runs.size() == 2 && withResult == 2);
    m_refreshButton->setEnabled(!m_readingDir.isEmpty());
}

void SweepPage::openSelected()
{
    for (int r : selectedRuns())
        if (hasResult(r))
            emit openRunRequested(resultFolder(r), runName(r));
}

void SweepPage::compareSelected()
{
    const QList<int> runs = selectedRuns();
    if (runs.size() != 2 || !hasResult(runs[0]) || !hasResult(runs[1]))
        return;
    emit compareRequested(resultFolder(runs[0]), runName(runs[0]), resultFolder(runs[1]), runName(runs[1]));
}

QString SweepPage::summaryText() const
{
    return m_header->text();
}

} // namespace rmm
