// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/screenshot_tour.hpp"

#include "app/gui/getting_started.hpp"
#include "app/gui/main_window.hpp"
#include "app/gui/result_pages.hpp"
#include "app/gui/run_store.hpp"
#include "app/gui/train_page.hpp"
#include "app/gui/training_worker.hpp"
#include "widgets/channel_map_dialog.hpp"
#include "widgets/conductance_map.hpp"
#include "widgets/export_dialog.hpp"
#include "widgets/learning_curve_plot.hpp"
#include "widgets/model_form.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/predictions_view.hpp"
#include "widgets/trace_plot.hpp"
#include "widgets/trainer_form.hpp"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QScreen>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolTip>
#include <qcustomplot.h>

#include <cstdio>

namespace rmm {

namespace {

void save(QWidget* w, const QString& dir, const QString& name)
{
    const QString path = QDir(dir).filePath(name);
    if (!w->grab().save(path)) {
        std::fprintf(stderr, "rmm-workbench: could not write %s\n", qPrintable(path));
        QCoreApplication::exit(1);
    }
}

/// Exports `plot` through the figure export (the File > Export path) as PNG at 96 and at 300 dpi
/// with the same physical size, so the two files show the same figure at two resolutions.
void exportFigures(QCustomPlot* plot, const QString& dir, const QString& name)
{
    FigureOptions o; // the export dialog's defaults: 180 x 120 mm
    for (int dpi : {96, 300}) {
        o.dpi = dpi;
        const QString path = QDir(dir).filePath(QStringLiteral("figure-%1-%2dpi.png").arg(name).arg(dpi));
        QString error;
        if (!exportFigure({plot}, path, o, &error)) {
            std::fprintf(stderr, "rmm-workbench: %s\n", qPrintable(error));
            QCoreApplication::exit(1);
        }
    }
}

/// Brings the tab pages holding `w` to the front and lets the layouts settle: a widget never
/// shown (the Model form behind the Data tab) has its table's cell widgets still stacked at 0,0.
void reveal(QWidget* w)
{
    for (QWidget *child = w, *parent = w->parentWidget(); parent;
         child = parent, parent = parent->parentWidget())
        if (auto* tabs = qobject_cast<QTabWidget*>(parent)) {
            for (int i = 0; i < tabs->count(); ++i)
                if (tabs->widget(i) == child || tabs->widget(i)->isAncestorOf(child))
                    tabs->setCurrentIndex(i);
        }
    QEventLoop settle; // layout requests and the views' delayed item layouts take a few passes
    QTimer::singleShot(300, &settle, &QEventLoop::quit);
    settle.exec();
}

void finishTour(MainWindow& window, const QString& dir)
{
    auto* map = new ChannelMapDialog(*window.recording(), &window);
    map->show();
    QTimer::singleShot(300, &window, [&window, dir, map]() {
        save(map, dir, QStringLiteral("channel_map.png"));
        map->close();
        auto* ex =
            new ExportDialog({{QObject::tr("Learning curves"), window.trainPage()->curves()->plot()}},
                             {window.trainPage()->curves()->plot()}, QStringLiteral("figure.pdf"), &window);
        ex->show();
        QTimer::singleShot(300, &window, [&window, ex, dir]() {
            save(ex, dir, QStringLiteral("export_dialog.png"));
            ex->close();
            auto* help = new GettingStartedDialog(&window);
            help->show();
            QTimer::singleShot(300, &window, [help, dir]() {
                save(help, dir, QStringLiteral("getting_started.png"));
                QCoreApplication::exit(0);
            });
        });
    });
}

} // namespace

void armScreenshotTour(MainWindow& window, const QString& dir, int epochs)
{
    QDir().mkpath(dir);
    QObject::connect(&window, &MainWindow::errorShown, &window, [](const QString& message) {
        std::fprintf(stderr, "rmm-workbench: %s\n", qPrintable(message));
        QCoreApplication::exit(1);
    });
    QObject::connect(&window, &MainWindow::recordingLoaded, &window, [&window, dir, epochs]() {
        QTimer::singleShot(1500, &window, [&window, dir, epochs]() {
            save(&window, dir, QStringLiteral("recording.png"));
            exportFigures(window.tracePlot()->plot(), dir, QStringLiteral("recording"));
            // The measurement cursors on a few bursts, the value read-out under them.
            TracePlot* traces = window.tracePlot();
            traces->axisRect(0)->axis(QCPAxis::atBottom)->setRange(10, 20);
            traces->setCursorsVisible(true);
            traces->setCursor(0, 12);
            traces->setCursor(1, 15.5);
            reveal(traces);
            save(&window, dir, QStringLiteral("recording_cursors.png"));
            traces->setCursorsVisible(false);
            traces->fit();
            TrainPage* train = window.trainPage();
            window.tabs()->setCurrentWidget(train);
            train->trainerForm()->epochsBox()->setValue(epochs);
            reveal(train->modelForm());
            save(train->modelForm(), dir, QStringLiteral("model_form.png"));
            reveal(train->trainerForm());
            save(train->trainerForm(), dir, QStringLiteral("trainer_form.png"));
            auto* once = new QMetaObject::Connection;
            *once = QObject::connect(train->controller(), &TrainingController::epochFinished, &window,
                                     [&window, dir, once](const EpochRecord& r) {
                                         if (r.epoch < 1)
                                             return;
                                         QObject::disconnect(*once);
                                         delete once;
                                         QTimer::singleShot(400, &window, [&window, dir]() {
                                             save(&window, dir, QStringLiteral("train_running.png"));
                                         });
                                     });
            QObject::connect(train, &TrainPage::runFinished, &window, [&window, dir](int) {
                QTimer::singleShot(500, &window, [&window, dir]() {
                    save(&window, dir, QStringLiteral("train.png"));
                    exportFigures(window.trainPage()->curves()->plot(), dir, QStringLiteral("curves"));
                    // What the run list says of the run when the pointer rests on it (its report).
                    QTableView* view = window.trainPage()->runView();
                    const QModelIndex first = view->model()->index(0, RunStore::Best);
                    const QRect cell = view->visualRect(first);
                    QToolTip::showText(view->viewport()->mapToGlobal(cell.center()),
                                       first.data(Qt::ToolTipRole).toString(), view->viewport());
                    QApplication::processEvents();
                    if (QScreen* screen = window.screen()) {
                        const QPoint at = view->mapToGlobal(QPoint(0, 0));
                        screen->grabWindow(0, at.x(), at.y(), screen->geometry().width() - at.x(), 300)
                            .save(QDir(dir).filePath(QStringLiteral("run_tooltip.png")));
                    }
                    QToolTip::hideText();
                    QObject::connect(
                        window.predictionsPage(), &PredictionsPage::computed, &window, [&window, dir]() {
                            QTimer::singleShot(800, &window, [&window, dir]() {
                                save(&window, dir, QStringLiteral("predictions.png"));
                                exportFigures(window.predictionsPage()->view()->plot(), dir,
                                              QStringLiteral("predictions"));
                                QObject::connect(window.analysisPage()->map(), &ConductanceMap::computed,
                                                 &window, [&window, dir]() {
                                                     QTimer::singleShot(800, &window, [&window, dir]() {
                                                         save(&window, dir, QStringLiteral("analysis.png"));
                                                         exportFigures(window.analysisPage()->map()->plot(),
                                                                       dir, QStringLiteral("analysis"));
                                                         finishTour(window, dir);
                                                     });
                                                 });
                                window.tabs()->setCurrentWidget(window.analysisPage());
                            });
                        });
                    window.tabs()->setCurrentWidget(window.predictionsPage());
                });
            });
            train->startTraining();
        });
    });
}

} // namespace rmm
