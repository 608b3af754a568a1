// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench's sweep view (issue 19): a sweep folder written by the test (sweep.json, runs'
// report.json / exit_code / started files as `rmm sweep` and `rmm train` write them) is listed in a
// sortable table (numeric sort, failed runs red with their reason, running ones italic), plotted
// (points and the mean line read back from the graphs), refreshed as runs finish (selection and
// sort order kept), its runs imported into the run list and two runs' predictions overlaid; the
// headless plot export (rmm-workbench --export-sweep-plot) runs without a display.
#include "app/gui/main_window.hpp"
#include "app/gui/result_pages.hpp"
#include "app/gui/sweep_page.hpp"
#include "app/gui/train_page.hpp"
#include "common/fixtures.hpp"
#include "engine/config/experiment_config.hpp"
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/recording/formats.hpp"
#include "engine/store/model_file.hpp"
#include "engine/synth/hco.hpp"
#include "widgets/export_dialog.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/predictions_view.hpp"
#include "widgets/sweep_plot.hpp"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

using namespace rmm;
using nlohmann::json;

namespace {

const QString kWorkbench = QStringLiteral(RMM_BINARY_DIR "/app/gui/rmm-workbench");

QString runFolder(const QString& dir, int index)
{
    return QDir(dir).filePath(QStringLiteral("runs/%1").arg(index, 4, 10, QLatin1Char('0')));
}

bool writeFile(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(text) == text.size();
}

/// The experiment config of the sweep's runs: the demo recording's two neurons, small model.
json baseConfig(const QString& recording)
{
    json config = json::parse(R"({
        "data": {"file": "", "trials": ["trial1"],
                 "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1"}, {"v": "v2", "u": "u2", "isyn": "Isyn2"}],
                 "train_fraction": 0.75},
        "model": {"intrinsic_taus_ms": [1, 5, 20], "synaptic_taus_ms": [2, 20],
                  "intrinsic_hidden": [4], "lumped_hidden": [3]},
        "training": {"method": "tf", "epochs": 3, "lr": 0.001, "batches": 4, "threads": 1, "seed": 1}})");
    config["data"]["file"] = recording.toStdString();
    return config;
}

/// Sets a dotted key ("training.rho") of a config.
void setDotted(json& config, const std::string& key, const json& value)
{
    json* at = &config;
    std::size_t start = 0;
    for (std::size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1)
        at = &(*at)[key.substr(start, dot - start)];
    (*at)[key.substr(start)] = value;
}

struct FakeRun {
    json values; ///< swept key -> value
    std::uint64_t seed = 1;
};

/// sweep.json in the format of engine/sweep/sweep.hpp.
bool writeSweep(const QString& dir, const std::vector<std::string>& keys, const std::vector<FakeRun>& runs,
                const QString& recording)
{
    json j = {{"format", "rmm-sweep"}, {"version", 1}, {"keys", keys}};
    json grid = json::object();
    for (const std::string& k : keys) {
        json values = json::array();
        for (const FakeRun& r : runs)
            if (std::find(values.begin(), values.end(), r.values.at(k)) == values.end())
                values.push_back(r.values.at(k));
        grid[k] = values;
    }
    j["spec"] = {{"grid", grid}};
    j["base"] = baseConfig(recording);
    j["runs"] = json::array();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        json config = baseConfig(recording);
        for (const auto& [k, v] : runs[i].values.items())
            setDotted(config, k, v);
        setDotted(config, "training.seed", runs[i].seed);
        j["runs"].push_back(
            {{"index", static_cast<int>(i)},
             {"folder", QStringLiteral("runs/%1").arg(i, 4, 10, QLatin1Char('0')).toStdString()},
             {"values", runs[i].values},
             {"seed", runs[i].seed},
             {"config", config}});
        QDir().mkpath(runFolder(dir, static_cast<int>(i)));
        if (!writeFile(runFolder(dir, static_cast<int>(i)) + "/config.json",
                       QByteArray::fromStdString(config.dump(2))))
            return false;
    }
    return writeFile(QDir(dir).filePath("sweep.json"), QByteArray::fromStdString(j.dump(2)));
}

/// `started` as the local scheduler writes it, naming this (live) process.
bool writeStarted(const QString& dir, int index)
{
    return writeFile(runFolder(dir, index) + "/started", QStringLiteral("host=%1 pid=%2 time=%3\n")
                                                             .arg(QSysInfo::machineHostName())
                                                             .arg(QCoreApplication::applicationPid())
                                                             .arg(QDateTime::currentSecsSinceEpoch())
                                                             .toUtf8());
}

struct Outcome {
    double bestAs = 0.5;
    std::vector<double> r{0.8, 0.7};
    int bestEpoch0 = 2; ///< 0-based, as rmm train writes it
    double seconds = 10;
    bool inRange = true;
};

/// A finished run: result/report.json with rmm train's keys (app/cli/cmd_train.cpp), curves.csv,
/// exit_code 0.
bool writeDone(const QString& dir, int index, const Outcome& o)
{
    json synaptic = json::array();
    for (std::size_t n = 0; n < o.r.size(); ++n)
        synaptic.push_back({{"neuron", n + 1},
                            {"pearson", o.r[n]},
                            {"nrmse", 0.5},
                            {"amplitude_ratio", 1.1},
                            {"presynaptic", {n == 0 ? 2 : 1}}});
    const json report = {
        {"method", "tf"},
        {"epochs_run", 3},
        {"epochs_planned", 3},
        {"train_seconds", o.seconds},
        {"best_epoch", o.bestEpoch0},
        {"best_validation", o.bestAs},
        {"stop_reason", "completed"},
        {"time_limited", false},
        {"validation", {{"angular_separation", o.bestAs}, {"per_neuron", {o.bestAs, o.bestAs}}}},
        {"synaptic_current", synaptic},
        {"free_run",
         {{"checked", true},
          {"in_range", o.inRange},
          {"seconds", 1.0},
          {"margin_mV", 5.0},
          {"synaptic_current_factor", 1.0},
          {"problems", json::array()}}},
        {"files", {{"model", "model.h5"}, {"curves", "curves.csv"}}},
    };
    const QString result = runFolder(dir, index) + "/result";
    return writeStarted(dir, index) &&
           writeFile(result + "/report.json", QByteArray::fromStdString(report.dump(2))) &&
           writeFile(result + "/curves.csv", "epoch,seconds,elapsed_seconds,lr,train_loss,validation_metric\n"
                                             "0,1,1,0.001,5,0.1\n1,1,2,0.001,4,0.2\n2,1,3,0.001,3,0.3\n") &&
           writeFile(runFolder(dir, index) + "/train.log", "epoch 3/3\n") &&
           writeFile(runFolder(dir, index) + "/exit_code", "0\n");
}

bool writeFailed(const QString& dir, int index, const QByteArray& reason)
{
    return writeStarted(dir, index) &&
           writeFile(runFolder(dir, index) + "/train.log", "epoch 1/3\n" + reason + "\n") &&
           writeFile(runFolder(dir, index) + "/exit_code", "1\n");
}

/// A model.h5 in the run's result folder, as rmm train writes it (best snapshot + its config).
void writeModel(const QString& dir, int index, std::uint64_t seed, const QString& recording)
{
    json config = baseConfig(recording);
    setDotted(config, "training.seed", seed);
    const ExperimentConfig c = parseExperimentConfig(config, dir.toStdString());
    CircuitModel model = CircuitModel::initialize(c.model, 0.1, seed);
    model.freezeNormalisation(loadDataset(c.data, c.base_dir));
    saveModel((runFolder(dir, index) + "/result/model.h5").toStdString(), model, toJson(c).dump(2),
              {{"best_epoch", "2"}, {"stop_reason", "completed"}});
}

QVector<double> keys(const QCPGraph* g)
{
    QVector<double> out;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
        out << it->key;
    return out;
}

QVector<double> values(const QCPGraph* g)
{
    QVector<double> out;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
        out << it->value;
    return out;
}

/// The column of the sweep table whose header reads `title`.
int columnTitled(const QAbstractItemModel* m, const QString& title)
{
    for (int c = 0; c < m->columnCount(); ++c)
        if (m->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString() == title)
            return c;
    return -1;
}

/// The column's display texts, top to bottom as the table shows them.
QStringList columnTexts(const QAbstractItemModel* m, int column)
{
    QStringList out;
    for (int r = 0; r < m->rowCount(); ++r)
        out << m->index(r, column).data().toString();
    return out;
}

int rowOfRun(const QAbstractItemModel* m, int run)
{
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data(SweepRunModel::RunIndexRole).toInt() == run)
            return r;
    return -1;
}

} // namespace

class TestSweepView : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString recording_;
    QString sweep_; ///< 3 rho x 2 methods x 2 seeds = 12 runs
    /// Best AS of the done runs by index (what the plot's points and means must show).
    std::map<int, Outcome> done_;
    std::vector<FakeRun> runs_;

  private slots:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        // A short demo recording: the runs' predictions are simulated on it.
        HcoConfig hco;
        hco.seconds = 3;
        hco.trials = 1;
        hco.warmup_s = 1;
        recording_ = tmp_.filePath("rec.h5");
        writeGenericHdf5(synthesizeHco(hco), recording_.toStdString());

        sweep_ = tmp_.filePath("rho-method");
        for (double rho : {1e-9, 1e-8, 1e-7})
            for (const char* method : {"tf", "gtf"})
                for (std::uint64_t seed : {1, 2})
                    runs_.push_back({json{{"training.rho", rho}, {"training.method", method}}, seed});
        QVERIFY(writeSweep(sweep_, {"training.rho", "training.method"}, runs_, recording_));
        // Runs 0..8 done (training seconds chosen so that text order differs from numeric order),
        // 9 failed, 10 running, 11 pending.
        const double as[] = {0.61, 0.65, 0.30, 0.34, 0.72, 0.70, 0.12, 0.2, 0.45};
        const double seconds[] = {9.5, 100.25, 12, 8, 250, 33, 7.5, 61, 1000};
        for (int i = 0; i < 9; ++i) {
            Outcome o;
            o.bestAs = as[i];
            o.seconds = seconds[i];
            o.r = {0.9 - 0.05 * i, 0.5 + 0.01 * i};
            o.bestEpoch0 = i % 3;
            o.inRange = i != 4;
            QVERIFY(writeDone(sweep_, i, o));
            done_[i] = o;
        }
        QVERIFY(
            writeFailed(sweep_, 9, "rmm train: training stopped early: diverged (loss is NaN at epoch 2)"));
        QVERIFY(writeStarted(sweep_, 10));
        writeModel(sweep_, 0, 1, recording_);
        writeModel(sweep_, 1, 2, recording_);
    }

    void listsRunsSortedNumerically()
    {
        SweepPage page;
        QSignalSpy loaded(&page, &SweepPage::loaded);
        page.openFolder(sweep_);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page.folder(), QDir::cleanPath(sweep_));
        const QAbstractItemModel* m = page.proxy();
        QCOMPARE(m->rowCount(), 12);
        QStringList headers;
        for (int c = 0; c < m->columnCount(); ++c)
            headers << m->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
        QCOMPARE(headers,
                 (QStringList{"Run", "training.rho", "training.method", "Seed", "Status", "Best AS",
                              "r neuron 1", "r neuron 2", "Best epoch", "Training s", "Physiological"}));
        QVERIFY2(page.summaryText().contains("12 run") && page.summaryText().contains("9 done") &&
                     page.summaryText().contains("1 failed") && page.summaryText().contains("1 running") &&
                     page.summaryText().contains("1 pending"),
                 qPrintable(page.summaryText()));

        // A row's cells: run 4 (rho 1e-8, tf, seed 1), its r per neuron, 1-based best epoch.
        const int row4 = rowOfRun(m, 4);
        QCOMPARE(m->index(row4, 0).data().toString(), QStringLiteral("0004"));
        QCOMPARE(m->index(row4, 1).data(SweepRunModel::SortRole).toDouble(), 1e-8);
        QCOMPARE(m->index(row4, 2).data().toString(), QStringLiteral("tf"));
        QCOMPARE(m->index(row4, 3).data().toString(), QStringLiteral("1"));
        QCOMPARE(m->index(row4, 4).data().toString(), QStringLiteral("done"));
        QCOMPARE(m->index(row4, 5).data(SweepRunModel::SortRole).toDouble(), 0.72);
        QCOMPARE(m->index(row4, 6).data(SweepRunModel::SortRole).toDouble(), 0.9 - 0.05 * 4);
        QCOMPARE(m->index(row4, 8).data().toString(), QStringLiteral("%1").arg(4 % 3 + 1));
        QCOMPARE(m->index(row4, 10).data().toString(), QStringLiteral("no")); // free run out of range
        QCOMPARE(m->index(row4, 10).data(Qt::ForegroundRole).value<QColor>(), QColor(0xb3, 0x5c, 0x00));

        // Numeric sort: 9.5 < 12 < 100.25 (text order would put "100.25" first); no value last.
        const int secondsCol = columnTitled(m, "Training s");
        page.table()->sortByColumn(secondsCol, Qt::AscendingOrder);
        QStringList texts = columnTexts(m, secondsCol);
        QCOMPARE(texts.mid(0, 9),
                 (QStringList{"7.5", "8.0", "9.5", "12.0", "33.0", "61.0", "100.3", "250.0", "1000.0"}));
        QCOMPARE(texts.mid(9), (QStringList{"", "", ""}));
        // Descending: the best first, runs without a value still last.
        const int asCol = columnTitled(m, "Best AS");
        page.table()->sortByColumn(asCol, Qt::DescendingOrder);
        std::vector<double> sorted;
        for (const auto& [i, o] : done_)
            sorted.push_back(o.bestAs);
        std::sort(sorted.rbegin(), sorted.rend());
        for (int r = 0; r < 9; ++r)
            QCOMPARE(m->index(r, asCol).data(SweepRunModel::SortRole).toDouble(),
                     sorted[static_cast<std::size_t>(r)]);
        for (int r = 9; r < 12; ++r)
            QVERIFY(std::isnan(m->index(r, asCol).data(SweepRunModel::SortRole).toDouble()));
        // Keys sort by value: rho ascending puts the three 1e-9 ... 1e-7 blocks in order.
        page.table()->sortByColumn(1, Qt::AscendingOrder);
        for (int r = 1; r < 12; ++r)
            QVERIFY(m->index(r - 1, 1).data(SweepRunModel::SortRole).toDouble() <=
                    m->index(r, 1).data(SweepRunModel::SortRole).toDouble());

        // The failed run: red, its reason as the tooltip of every cell; the running one italic.
        const int failed = rowOfRun(m, 9);
        QCOMPARE(m->index(failed, 4).data().toString(), QStringLiteral("failed"));
        for (int c = 0; c < m->columnCount(); ++c) {
            QCOMPARE(m->index(failed, c).data(Qt::ForegroundRole).value<QColor>(), QColor(0xc0, 0x1c, 0x28));
            QVERIFY2(m->index(failed, c).data(Qt::ToolTipRole).toString().contains("diverged"),
                     qPrintable(m->index(failed, c).data(Qt::ToolTipRole).toString()));
        }
        const int running = rowOfRun(m, 10);
        QCOMPARE(m->index(running, 4).data().toString(), QStringLiteral("running"));
        QVERIFY(m->index(running, 0).data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(!m->index(rowOfRun(m, 0), 0).data(Qt::FontRole).value<QFont>().italic());
        QCOMPARE(m->index(rowOfRun(m, 11), 4).data().toString(), QStringLiteral("pending"));
    }

    void plotsPointsAndMeans()
    {
        SweepPage page;
        QSignalSpy loaded(&page, &SweepPage::loaded);
        page.openFolder(sweep_);
        QVERIFY(loaded.wait(10000));
        SweepPlot* plot = page.plot();
        QCOMPARE(plot->keyBox()->count(), 3); // the two keys and the seed
        QCOMPARE(plot->key(), QStringLiteral("training.rho"));

        // rho spans two decades: logarithmic axis; one point per done run, means per rho.
        QVERIFY(plot->panelData().logarithmic);
        QCOMPARE(plot->pointsGraph()->keyAxis()->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(plot->pointsGraph()->dataCount(), 9);
        std::map<double, std::vector<double>> byRho;
        std::map<std::string, std::vector<double>> byMethod;
        for (const auto& [i, o] : done_) {
            byRho[runs_[static_cast<std::size_t>(i)].values["training.rho"].get<double>()].push_back(
                o.bestAs);
            byMethod[runs_[static_cast<std::size_t>(i)].values["training.method"].get<std::string>()]
                .push_back(o.bestAs);
        }
        auto mean = [](const std::vector<double>& v) {
            double s = 0;
            for (double x : v)
                s += x;
            return s / static_cast<double>(v.size());
        };
        QVector<double> rhos, means;
        for (const auto& [rho, v] : byRho) {
            rhos << rho;
            means << mean(v);
        }
        QCOMPARE(keys(plot->meanGraph()), rhos);
        const QVector<double> got = values(plot->meanGraph());
        QCOMPARE(got.size(), means.size());
        for (int i = 0; i < got.size(); ++i)
            QVERIFY(rmmtest::near(got[i], means[i], 1e-12));
        QVector<double> ys = values(plot->pointsGraph());
        std::sort(ys.begin(), ys.end());
        QVector<double> want;
        for (const auto& [i, o] : done_)
            want << o.bestAs;
        std::sort(want.begin(), want.end());
        QCOMPARE(ys, want);

        // A text key: categories in the order of the sweep, tick labels, means per category.
        plot->setKey(QStringLiteral("training.method"));
        QVERIFY(plot->panelData().categorical);
        QCOMPARE(plot->panelData().categories, (QStringList{"tf", "gtf"}));
        auto* ticker = dynamic_cast<QCPAxisTickerText*>(plot->pointsGraph()->keyAxis()->ticker().data());
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(0), QStringLiteral("tf"));
        QCOMPARE(ticker->ticks().value(1), QStringLiteral("gtf"));
        QCOMPARE(keys(plot->meanGraph()), (QVector<double>{0, 1}));
        QVERIFY(rmmtest::near(values(plot->meanGraph())[0], mean(byMethod["tf"]), 1e-12));
        QVERIFY(rmmtest::near(values(plot->meanGraph())[1], mean(byMethod["gtf"]), 1e-12));

        // The seed: a linear axis (1 and 2 span no decade); the worst neuron's r as the metric.
        plot->setKey(QStringLiteral("seed"));
        plot->setMetric(SweepMetric::WorstR);
        QVERIFY(!plot->panelData().logarithmic && !plot->panelData().categorical);
        QCOMPARE(plot->pointsGraph()->keyAxis()->scaleType(), QCPAxis::stLinear);
        QVector<double> worst;
        for (const auto& [i, o] : done_)
            worst << std::min(o.r[0], o.r[1]);
        QVector<double> wy = values(plot->pointsGraph());
        std::sort(wy.begin(), wy.end());
        std::sort(worst.begin(), worst.end());
        QCOMPARE(wy.size(), worst.size());
        for (int i = 0; i < wy.size(); ++i)
            QVERIFY(rmmtest::near(wy[i], worst[i], 1e-12));
        QCOMPARE(keys(plot->meanGraph()), (QVector<double>{1, 2}));

        // A click on a point selects its run in the table.
        plot->setMetric(SweepMetric::BestAs);
        emit plot->runClicked(5);
        QCOMPARE(page.selectedRuns(), (QList<int>{5}));
        // The selected runs are ringed in the plot (those with a point: run 11 is pending).
        QCOMPARE(values(plot->highlightGraph()), (QVector<double>{done_[5].bestAs}));
        page.selectRuns({2, 11});
        QCOMPARE(values(plot->highlightGraph()), (QVector<double>{done_[2].bestAs}));
    }

    void refreshesAsRunsFinish()
    {
        const QString dir = tmp_.filePath("refresh");
        std::vector<FakeRun> runs;
        for (int shot : {20, 30})
            for (std::uint64_t seed : {1, 2})
                runs.push_back({json{{"training.shot", shot}}, seed});
        QVERIFY(writeSweep(dir, {"training.shot"}, runs, recording_));
        QVERIFY(writeStarted(dir, 0));
        QVERIFY(writeStarted(dir, 1));

        SweepPage page;
        QSignalSpy loaded(&page, &SweepPage::loaded);
        page.openFolder(dir);
        QVERIFY(loaded.wait(10000));
        const QAbstractItemModel* m = page.proxy();
        QCOMPARE(m->columnCount(), 8); // no run has finished: no r columns yet
        QCOMPARE(page.plot()->pointsGraph()->dataCount(), 0);
        page.table()->sortByColumn(columnTitled(m, "Seed"), Qt::DescendingOrder);
        page.selectRuns({1});

        // Run 0 finishes: its neurons' r columns appear (the model is reset), selection and
        // sort order stay.
        Outcome o;
        o.bestAs = 0.55;
        QVERIFY(writeDone(dir, 0, o));
        QTRY_COMPARE_WITH_TIMEOUT(m->index(rowOfRun(m, 0), columnTitled(m, "Status")).data().toString(),
                                  QStringLiteral("done"), 10000);
        QCOMPARE(m->columnCount(), 10);
        QCOMPARE(columnTitled(m, "r neuron 2"), 6);
        QCOMPARE(page.selectedRuns(), (QList<int>{1}));
        QCOMPARE(page.proxy()->sortColumn(), columnTitled(m, "Seed"));
        QCOMPARE(page.proxy()->sortOrder(), Qt::DescendingOrder);
        QCOMPARE(m->index(0, columnTitled(m, "Seed")).data().toString(), QStringLiteral("2"));
        QCOMPARE(page.plot()->pointsGraph()->dataCount(), 1);
        QCOMPARE(values(page.plot()->pointsGraph()).value(0), 0.55);

        // Run 1 finishes: updated in place.
        page.table()->sortByColumn(columnTitled(m, "Best AS"), Qt::DescendingOrder);
        o.bestAs = 0.75;
        QVERIFY(writeDone(dir, 1, o));
        QTRY_COMPARE_WITH_TIMEOUT(m->index(rowOfRun(m, 1), columnTitled(m, "Status")).data().toString(),
                                  QStringLiteral("done"), 10000);
        QCOMPARE(page.selectedRuns(), (QList<int>{1}));
        QCOMPARE(rowOfRun(m, 1), 0); // re-sorted: the best first
        QCOMPARE(rowOfRun(m, 0), 1);
        QCOMPARE(page.plot()->pointsGraph()->dataCount(), 2);

        // Run 2 fails: red, with its reason.
        QVERIFY(writeFailed(dir, 2, "rmm train: data.file: no such file"));
        QTRY_COMPARE_WITH_TIMEOUT(m->index(rowOfRun(m, 2), columnTitled(m, "Status")).data().toString(),
                                  QStringLiteral("failed"), 10000);
        QVERIFY(m->index(rowOfRun(m, 2), 0).data(Qt::ToolTipRole).toString().contains("no such file"));
    }

    void readsAHundredRunsQuickly()
    {
        const QString dir = tmp_.filePath("hundred");
        std::vector<FakeRun> runs;
        for (double lr : {1e-3, 2e-3, 5e-3, 1e-2, 2e-2})
            for (int shot : {10, 20, 30, 40, 50})
                for (std::uint64_t seed : {1, 2, 3, 4})
                    runs.push_back({json{{"training.lr", lr}, {"training.shot", shot}}, seed});
        QCOMPARE(runs.size(), std::size_t(100));
        QVERIFY(writeSweep(dir, {"training.lr", "training.shot"}, runs, recording_));
        for (int i = 0; i < 100; ++i) {
            Outcome o;
            o.bestAs = 0.3 + 0.004 * i;
            QVERIFY(writeDone(dir, i, o));
        }
        SweepPage page;
        page.resize(1200, 800);
        page.show();
        QSignalSpy loaded(&page, &SweepPage::loaded);
        QElapsedTimer clock;
        clock.start();
        page.openFolder(dir);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(page.proxy()->rowCount(), 100);
        qInfo(
            "100 runs: read in %lld ms (background thread), table and plot updated in %lld ms (GUI thread), "
            "%lld ms from open to shown",
            page.lastReadMs(), page.lastUpdateMs(), clock.elapsed());
        // Refresh (in place): the GUI thread's share stays small.
        page.refresh();
        QVERIFY(loaded.wait(20000));
        qInfo("refresh: read in %lld ms, updated in %lld ms", page.lastReadMs(), page.lastUpdateMs());
        QVERIFY2(page.lastUpdateMs() < 250, qPrintable(QString::number(page.lastUpdateMs())));
        QVERIFY2(page.lastReadMs() < 5000, qPrintable(QString::number(page.lastReadMs())));
    }

    void opensRunsAndComparesPredictions()
    {
        MainWindow w;
        w.setUnsavedRunsAnswer(MainWindow::UnsavedRuns::Discard);
        w.openSweep(sweep_);
        QTRY_VERIFY_WITH_TIMEOUT(w.sweepPage() && !w.sweepPage()->folder().isEmpty(), 10000);
        SweepPage* page = w.sweepPage();
        QCOMPARE(w.tabs()->currentWidget(), page);

        // The plot exports like every plot: its context menu opens the export dialog with it checked.
        emit page->plot()->exportRequested();
        auto* dialog = w.findChild<ExportDialog*>();
        QVERIFY(dialog);
        QCOMPARE(dialog->selectedPanels(), (QList<QCustomPlot*>{page->plot()->plot()}));
        const QString figure = tmp_.filePath("sweep_plot.svg");
        for (QLineEdit* e : dialog->findChildren<QLineEdit*>())
            if (e->accessibleName() == QLatin1String("Output file"))
                e->setText(figure);
        dialog->accept();
        QVERIFY(QFile::exists(figure));
        QFile svg(figure);
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("training.rho"));
        QVERIFY(page->plot()->contextMenu()->actions().size() >= 2);

        // Runs without results cannot be opened.
        page->selectRuns({9});
        QVERIFY(!page->openButton()->isEnabled());
        page->selectRuns({0});
        QVERIFY(page->openButton()->isEnabled());
        QVERIFY(!page->compareButton()->isEnabled());

        // Double-click: imported into the run list like File > Import rmm train results.
        const QModelIndex cell = page->proxy()->index(rowOfRun(page->proxy(), 0), 2);
        emit page->table()->doubleClicked(cell);
        const auto& runs = w.trainPage()->runs()->runs();
        QCOMPARE(runs.size(), std::size_t(1));
        const QString name = page->runName(0);
        QCOMPARE(name, QStringLiteral("rho-method #0000"));
        QCOMPARE(runs.front().displayName(), name);
        QCOMPARE(runs.front().best_epoch, done_[0].bestEpoch0);
        QCOMPARE(runs.front().best_metric, done_[0].bestAs);
        QCOMPARE(runs.front().config.training.seed, std::uint64_t(1));
        QCOMPARE(w.trainPage()->curves()->pointCount(runs.front().id), 3);
        QCOMPARE(w.tabs()->currentWidget(), w.trainPage());
        // Opening it again selects it instead of adding it twice.
        w.tabs()->setCurrentWidget(page);
        page->openSelected();
        QCOMPARE(runs.size(), std::size_t(1));

        // Two runs compared: both in the run list, the Predictions tab draws run 1 over run 0.
        page->selectRuns({0, 1});
        QVERIFY(page->compareButton()->isEnabled());
        page->compareButton()->click();
        QCOMPARE(runs.size(), std::size_t(2));
        QCOMPARE(w.tabs()->currentWidget(), w.predictionsPage());
        PredictionsView* view = w.predictionsPage()->view();
        QTRY_VERIFY_WITH_TIMEOUT(view->isComparison(), 60000);
        const PredictionData& pd = view->predictions();
        QCOMPARE(pd.run_name, QStringLiteral("rho-method #0000"));
        QCOMPARE(pd.compare_name, QStringLiteral("rho-method #0001"));
        QCOMPARE(pd.neurons.size(), std::size_t(2));
        QCOMPARE(pd.neurons[0].v_compare.size(), pd.neurons[0].v_predicted.size());
        QVERIFY(pd.neurons[0].v_compare != pd.neurons[0].v_predicted); // seeds 1 and 2: other models
        QVERIFY(!pd.neurons[0].isyn_compare.empty());
        // The first voltage panel: measured, run 0, run 1 (legend names).
        QCPAxisRect* first = view->plot()->axisRect(0);
        QStringList names;
        for (QCPGraph* g : first->graphs())
            names << g->name();
        QCOMPARE(names, (QStringList{"measured", "rho-method #0000", "rho-method #0001"}));
        QCOMPARE(first->graphs()[2]->dataCount(), static_cast<int>(pd.neurons[0].v_compare.size()));
        // The predictions CSV carries the second run's columns.
        const QString csv = tmp_.filePath("compare.csv");
        QVERIFY(view->exportCsv(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray header = f.readLine();
        QVERIFY2(header.contains(",v_compare1,") && header.contains(",isyn_compare2"), header.constData());

        // Selecting another run ends the comparison.
        w.trainPage()->selectRun(runs.back().id);
        QTRY_VERIFY_WITH_TIMEOUT(!view->isComparison() && !view->predictions().neurons.empty(), 60000);
    }

    void refusesAFolderThatIsNotASweep()
    {
        MainWindow w;
        QSignalSpy errors(&w, &MainWindow::errorShown);
        w.openSweep(tmp_.path());
        QVERIFY(errors.wait(10000));
        const QString message = errors.front().front().toString();
        QVERIFY2(message.contains("sweep.json"), qPrintable(message));
        QVERIFY(w.tabs()->indexOf(w.sweepPage()) < 0); // no Sweep tab for nothing
        // A sweep shown stays when another folder fails.
        w.openSweep(sweep_);
        QTRY_VERIFY_WITH_TIMEOUT(w.tabs()->indexOf(w.sweepPage()) >= 0, 10000);
        w.openSweep(tmp_.path());
        QVERIFY(errors.wait(10000));
        QCOMPARE(w.sweepPage()->folder(), QDir::cleanPath(sweep_));
        QCOMPARE(w.sweepPage()->proxy()->rowCount(), 12);
    }

    void exportsThePlotHeadless()
    {
        QVERIFY2(QFile::exists(kWorkbench), qPrintable("build rmm-workbench first: " + kWorkbench));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY");
        env.remove("WAYLAND_DISPLAY");
        env.remove("QT_QPA_PLATFORM"); // the program chooses offscreen itself
        auto run = [&](const QStringList& args, QString* out) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(kWorkbench, args);
            if (!p.waitForFinished(60000))
                return -1;
            *out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
            return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        };
        QString log;
        const QString png = tmp_.filePath("summary.png");
        QCOMPARE(run({"--export-sweep-plot", sweep_, "--figure-out", png}, &log), 0);
        QVERIFY2(log.contains("summary.png"), qPrintable(log));
        QImage image(png);
        QVERIFY(!image.isNull());
        // Two keys: two panels of 70 mm, 180 mm wide, at 300 dpi.
        QCOMPARE(image.width(), 2126);
        QCOMPARE(image.height(), 1654);
        QCOMPARE(image.dotsPerMeterX(), 11811);
        // Non-trivial content: many colours, the points' blue and the mean line's red.
        QSet<QRgb> colours;
        int blue = 0, red = 0;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2) {
                const QColor c = image.pixelColor(x, y);
                colours.insert(c.rgb());
                if (c.blue() > 150 && c.red() < 120 && c.green() < 170)
                    ++blue;
                if (c.red() > 180 && c.green() < 80 && c.blue() < 80)
                    ++red;
            }
        QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
        QVERIFY2(blue > 500, qPrintable(QString::number(blue)));
        QVERIFY2(red > 500, qPrintable(QString::number(red)));

        // One key: one panel (90 mm, the smallest figure).
        const QString one = tmp_.filePath("one.png");
        QCOMPARE(run({"--export-sweep-plot", sweep_, "--figure-out", one, "--key", "training.method"}, &log),
                 0);
        QCOMPARE(QImage(one).height(), 1063);

        // Not a sweep folder, an unknown key, no output file: exit 2 with a message.
        QCOMPARE(run({"--export-sweep-plot", tmp_.path(), "--figure-out", tmp_.filePath("x.png")}, &log), 2);
        QVERIFY2(log.contains("sweep") && log.contains(QDir::toNativeSeparators(tmp_.path())),
                 qPrintable(log));
        QVERIFY(!QFile::exists(tmp_.filePath("x.png")));
        QCOMPARE(run({"--export-sweep-plot", sweep_, "--figure-out", one, "--key", "training.rhoo"}, &log),
                 2);
        QVERIFY2(log.contains("training.rhoo") && log.contains("training.rho,"), qPrintable(log));
        QCOMPARE(run({"--export-sweep-plot", sweep_}, &log), 2);
        QVERIFY2(log.contains("--figure-out"), qPrintable(log));
    }

    void overlaysTwoRunsInThePredictionsView()
    {
        PredictionsView view;
        PredictionData d;
        d.dt_ms = 1;
        d.run_name = "A";
        d.compare_name = "B";
        NeuronPrediction n;
        n.name = "neuron 1";
        n.v_measured = {1, 2, 3};
        n.v_predicted = {1.5, 2.5, 3.5};
        view.setPredictions(d);
        QVERIFY(!view.isComparison());
        d.neurons = {n};
        view.setPredictions(d);
        QVERIFY(!view.isComparison());
        QCOMPARE(view.plot()->axisRect(0)->graphs().size(), 2);
        QCOMPARE(view.plot()->axisRect(0)->graphs()[1]->name(), QStringLiteral("simulated"));
        d.neurons[0].v_compare = {0.5, 1.0, 1.5};
        view.setPredictions(d);
        QVERIFY(view.isComparison());
        const QList<QCPGraph*> graphs = view.plot()->axisRect(0)->graphs();
        QCOMPARE(graphs.size(), 3);
        QCOMPARE(graphs[1]->name(), QStringLiteral("A"));
        QCOMPARE(graphs[2]->name(), QStringLiteral("B"));
        QCOMPARE(values(graphs[2]), (QVector<double>{0.5, 1.0, 1.5}));
    }
};

QTEST_MAIN(TestSweepView)
#include "test_sweep_view.moc"
