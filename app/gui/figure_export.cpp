// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/figure_export.hpp"

#include "app/gui/compute_predictions.hpp"
#include "app/gui/run_import.hpp"
#include "engine/config/experiment_config.hpp"
#include "engine/data/dataset.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/predictions_view.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

namespace rmm {
namespace {

/// Translation context of this file's messages (lupdate reads FigureExport::tr).
struct FigureExport {
    Q_DECLARE_TR_FUNCTIONS(FigureExport)
};

constexpr double kFigureWidthMm = 180;

QString native(const QString& path)
{
    return QDir::toNativeSeparators(path);
}

/// 60 mm per panel stacked in one figure (two panels: 180 x 120 mm).
FigureOptions figureOptions(int panels)
{
    FigureOptions o;
    o.width_mm = kFigureWidthMm;
    o.height_mm = std::clamp(60.0 * panels, 90.0, 1000.0);
    return o;
}

/// Keeps the panels (rows of the plot layout) [first, first + count) of a PredictionsView's plot:
/// the other rows' graphs are removed and their axis rects deleted.
void keepPanels(QCustomPlot* plot, int first, int count)
{
    QCPLayoutGrid* grid = plot->plotLayout();
    for (int row = grid->rowCount() - 1; row >= 0; --row) {
        if (row >= first && row < first + count)
            continue;
        auto* rect = qobject_cast<QCPAxisRect*>(grid->element(row, 0));
        if (!rect)
            continue;
        for (QCPGraph* g : rect->graphs())
            plot->removeGraph(g);
        grid->remove(rect);
    }
    grid->simplify();
}

bool writeFigure(QCustomPlot* plot, int panels, const QString& path, QString* error)
{
    const FigureOptions o = figureOptions(panels);
    if (!exportFigure({plot}, path, o, error))
        return false;
    std::printf("%s\n", qPrintable(FigureExport::tr("wrote %1").arg(native(path))));
    return true;
}

int fail(const QString& message)
{
    std::fprintf(stderr, "rmm-workbench: %s\n", qPrintable(message));
    return 1;
}

/// The data file of `c` as an absolute path, so two configs from different folders compare.
DataConfig withAbsoluteFile(DataConfig c, const QString& baseDir)
{
    if (!c.file.empty())
        c.file =
            QDir::cleanPath(QDir(baseDir).absoluteFilePath(QString::fromStdString(c.file))).toStdString();
    return c;
}

} // namespace

int exportRunFigures(const RunFigureRequest& request)
{
    QElapsedTimer clock;
    clock.start();
    const QDir runDir(request.runDir);
    const QDir outDir(request.outDir);
    const QString modelPath = runDir.filePath(QStringLiteral("model.h5"));
    const QString curvesPath = runDir.filePath(QStringLiteral("curves.csv"));

    // Every input is read and checked before anything is drawn or written.
    QString error;
    const std::optional<Run> run = importTrainResults(request.runDir, &error);
    if (!run)
        return fail(error);
    if (!QFileInfo::exists(curvesPath))
        return fail(FigureExport::tr("%1: no such file (the learning curves are drawn from it)")
                        .arg(native(curvesPath)));
    if (run->curves.empty())
        return fail(FigureExport::tr("%1: no epochs in the file").arg(native(curvesPath)));
    ExperimentConfig config;
    Dataset dataset;
    try {
        config = loadExperimentConfig(request.configPath.toStdString());
        dataset = loadDataset(config.data, config.base_dir);
    } catch (const std::exception& e) {
        return fail(QString::fromUtf8(e.what()));
    }
    if (run->model->neurons() != dataset.neurons)
        return fail(FigureExport::tr("%1 and %2 disagree on the number of neurons (%3 and %4)")
                        .arg(native(request.configPath), native(modelPath))
                        .arg(dataset.neurons)
                        .arg(run->model->neurons()));
    if (withAbsoluteFile(config.data, QString::fromStdString(config.base_dir)) != run->config.data)
        std::printf("%s\n", qPrintable(FigureExport::tr("note: the data section of %1 differs from the one "
                                                        "stored in %2; the figures follow %1")
                                           .arg(native(request.configPath), native(modelPath))));
    if (!outDir.exists() && !QDir().mkpath(outDir.absolutePath()))
        return fail(FigureExport::tr("%1: cannot create the folder").arg(native(request.outDir)));

    // The free run from the start of the validation segment, cut to the figure's time window: the
    // run is causal, so its first seconds are those of the whole segment's free run.
    Segment& seg = dataset.validation;
    const long window = std::max(2L, std::lround(request.seconds * 1000.0 / dataset.dt_ms));
    if (window < seg.length())
        seg.end = seg.begin + window;
    else
        std::printf("%s\n",
                    qPrintable(FigureExport::tr("note: the validation segment is only %1 s; "
                                                "drawing all of it")
                                   .arg(QLocale().toString(
                                       static_cast<double>(seg.length()) * dataset.dt_ms / 1000.0, 'f', 2))));
    PredictionData predictions;
    try {
        predictions = computePredictions(*run->model, dataset, 0.0, nullptr, -1,
                                         run->config.training.validation.window_s);
    } catch (const std::exception& e) {
        return fail(FigureExport::tr("%1: %2").arg(native(modelPath), QString::fromUtf8(e.what())));
    }

    // 1. Free-run voltage: the predictions view without the current panels.
    PredictionData voltages = predictions;
    for (NeuronPrediction& n : voltages.neurons) {
        n.isyn_true.clear();
        n.isyn_predicted.clear();
    }
    PredictionsView voltageView;
    voltageView.setPredictions(voltages);
    if (!writeFigure(voltageView.plot(), voltageView.panelCount(),
                     outDir.filePath(QStringLiteral("free_run.png")), &error))
        return fail(error);

    // 2. Synaptic currents: the predictions view without the voltage panels (rows 0 .. neurons - 1).
    const int neurons = static_cast<int>(predictions.neurons.size());
    const int currents =
        static_cast<int>(std::count_if(predictions.neurons.begin(), predictions.neurons.end(),
                                       [](const NeuronPrediction& n) { return !n.isyn_true.empty(); }));
    if (currents == 0) {
        std::printf("%s\n", qPrintable(FigureExport::tr("note: %1 maps no ground-truth synaptic current "
                                                        "(isyn); synaptic_current.png skipped")
                                           .arg(native(request.configPath))));
    } else {
        PredictionsView currentView;
        currentView.setPredictions(predictions);
        keepPanels(currentView.plot(), neurons, currents);
        if (!writeFigure(currentView.plot(), currents,
                         outDir.filePath(QStringLiteral("synaptic_current.png")), &error))
            return fail(error);
    }

    // 3. Learning curves: training loss and validation metric against the epoch, best snapshot marked.
    LearningCurvePlot curves;
    curves.setSeries(run->id, run->displayName(), QColor(0x1f, 0x77, 0xb4));
    for (const EpochRecord& e : run->curves)
        curves.appendEpoch(run->id, e.epoch, e.train_loss, e.validation_metric, e.elapsed);
    curves.setBest(run->id, run->best_epoch, run->best_metric);
    curves.fit();
    if (!writeFigure(curves.plot(), 2, outDir.filePath(QStringLiteral("learning_curves.png")), &error))
        return fail(error);

    const QString seconds = QLocale().toString(static_cast<double>(clock.elapsed()) / 1000.0, 'f', 1);
    std::printf("%s\n", qPrintable(FigureExport::tr("done in %1 s").arg(seconds)));
    return 0;
}

} // namespace rmm
