// SPDX-License-Identifier: GPL-3.0-or-later
// rmm-workbench [FILE] [--demo]: the composition root of the GUI.
#include "app/gui/figure_export.hpp"
#include "app/gui/language.hpp"
#include "app/gui/main_window.hpp"
#include "app/gui/screenshot_tour.hpp"
#include "app/gui/sweep_figure.hpp"
#include "widgets/trace_plot.hpp"

#include "engine/core/openmp_wait.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

/// After the first data of a freshly loaded recording is drawn, grabs the window to `path` and quits.
void arrangeScreenshot(rmm::MainWindow& window, const QString& path)
{
    QObject::connect(&window, &rmm::MainWindow::errorShown, &window, [](const QString& message) {
        std::fprintf(stderr, "rmm-workbench: %s\n", qPrintable(message));
        QCoreApplication::exit(1);
    });
    QObject::connect(&window, &rmm::MainWindow::recordingLoaded, &window, [&window, path]() {
        auto* conn = new QMetaObject::Connection;
        *conn = QObject::connect(
            window.tracePlot(), &rmm::TracePlot::dataUpdated, &window, [&window, path, conn]() {
                QObject::disconnect(*conn);
                delete conn;
                QTimer::singleShot(400, &window, [&window, path]() {
                    const bool ok = window.grab().save(path);
                    if (!ok)
                        std::fprintf(
                            stderr, "rmm-workbench: %s\n",
                            qPrintable(QCoreApplication::translate("main", "could not write %1").arg(path)));
                    QCoreApplication::exit(ok ? 0 : 1);
                });
            });
    });
}

} // namespace

int main(int argc, char** argv)
{
    rmm::preferPassiveOpenMpWait(argv); // may start this program again; see openmp_wait.hpp
    // --version and --help must work without a display: answer them before QApplication exists.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("rmm-workbench %s\n", RMM_VERSION);
            return 0;
        }
        // The figure export and the help show no window: they need no display.
        const bool windowless = std::strcmp(argv[i], "--export-run-figures") == 0 ||
                                std::strcmp(argv[i], "--export-sweep-plot") == 0 ||
                                std::strncmp(argv[i], "--export-sweep-plot=", 20) == 0 ||
                                std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0 ||
                                std::strcmp(argv[i], "--help-all") == 0 || std::strcmp(argv[i], "-?") == 0;
        if (windowless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("RMM"));
    QCoreApplication::setApplicationName(QStringLiteral("RMM Workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RMM_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("RMM Workbench"));
    // Wayland app id / X11 startup: ties the windows to the installed .desktop file and its icon.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.rmmworkbench.RmmWorkbench"));
    rmm::keepCNumericLocale();
    // System locale, or the View > Language choice; before any translated string is built.
    rmm::applyLanguage(rmm::languageSetting());

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Train and inspect Recurrent Mechanistic Models of neural circuits."));
    parser.addHelpOption();
    const QCommandLineOption versionOption(
        QStringLiteral("version"), QCoreApplication::translate("main", "Print the version and exit."));
    parser.addOption(versionOption);
    const QCommandLineOption demoOption(
        QStringLiteral("demo"), QCoreApplication::translate("main", "Generate and open the demo recording."));
    parser.addOption(demoOption);
    const QCommandLineOption demoSecondsOption(
        QStringLiteral("demo-seconds"),
        QCoreApplication::translate("main", "Length of each demo trial in seconds."),
        QStringLiteral("seconds"));
    parser.addOption(demoSecondsOption);
    QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("main",
                                    "After loading, save a screenshot of the window to FILE and quit."),
        QStringLiteral("FILE"));
    screenshotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshotOption);
    QCommandLineOption tourOption(
        QStringLiteral("screenshot-views"),
        QCoreApplication::translate("main", "With --demo: train briefly, save a screenshot of every view "
                                            "into DIR and quit."),
        QStringLiteral("DIR"));
    tourOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(tourOption);
    QCommandLineOption tourEpochsOption(QStringLiteral("tour-epochs"),
                                        QCoreApplication::translate("main", "Epochs of the tour's run."),
                                        QStringLiteral("N"), QStringLiteral("20"));
    tourEpochsOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(tourEpochsOption);
    QCommandLineOption figuresOption(
        QStringLiteral("export-run-figures"),
        QCoreApplication::translate("main", "Draw the free run, synaptic current and learning curve figures "
                                            "of the run that rmm train --out RUN_DIR wrote, and quit."),
        QStringLiteral("RUN_DIR"));
    figuresOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(figuresOption);
    QCommandLineOption figuresConfigOption(
        QStringLiteral("config"),
        QCoreApplication::translate("main", "With --export-run-figures: the experiment config of the run."),
        QStringLiteral("CONFIG"));
    figuresConfigOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(figuresConfigOption);
    QCommandLineOption figuresOutOption(
        QStringLiteral("figures-out"),
        QCoreApplication::translate("main", "With --export-run-figures: the folder for the PNG files."),
        QStringLiteral("DIR"));
    figuresOutOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(figuresOutOption);
    QCommandLineOption figureSecondsOption(
        QStringLiteral("figure-seconds"),
        QCoreApplication::translate("main", "With --export-run-figures: seconds of the validation segment "
                                            "drawn."),
        QStringLiteral("seconds"), QStringLiteral("10"));
    figureSecondsOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(figureSecondsOption);
    QCommandLineOption sweepPlotOption(
        QStringLiteral("export-sweep-plot"),
        QCoreApplication::translate("main",
                                    "Draw the best validation AS of the sweep in DIR against its swept "
                                    "keys (rmm sweep summary's summary.png) and quit."),
        QStringLiteral("DIR"));
    sweepPlotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(sweepPlotOption);
    QCommandLineOption sweepPlotOutOption(
        QStringLiteral("figure-out"),
        QCoreApplication::translate("main",
                                    "With --export-sweep-plot: the figure file (.png, .pdf or .svg)."),
        QStringLiteral("FILE"));
    sweepPlotOutOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(sweepPlotOutOption);
    QCommandLineOption sweepPlotKeyOption(
        QStringLiteral("key"),
        QCoreApplication::translate("main",
                                    "With --export-sweep-plot: only this swept key (default: one panel "
                                    "per key)."),
        QStringLiteral("KEY"));
    sweepPlotKeyOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(sweepPlotKeyOption);
    const QCommandLineOption sweepOption(
        QStringLiteral("sweep"),
        QCoreApplication::translate("main",
                                    "Open the sweep folder DIR (rmm sweep run --out DIR) in the Sweep tab."),
        QStringLiteral("DIR"));
    parser.addOption(sweepOption);
    const QCommandLineOption importOption(
        QStringLiteral("import"),
        QCoreApplication::translate("main", "Add the run that rmm train --out DIR wrote (repeatable)."),
        QStringLiteral("DIR"));
    parser.addOption(importOption);
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("main", "Recording to open."),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    if (parser.isSet(figuresOption)) {
        bool ok = false;
        const double seconds = parser.value(figureSecondsOption).toDouble(&ok);
        if (!parser.isSet(figuresConfigOption) || !parser.isSet(figuresOutOption) || !ok || !(seconds > 0) ||
            seconds > 3600) {
            std::fprintf(stderr, "rmm-workbench: %s\n",
                         qPrintable(QCoreApplication::translate(
                             "main", "--export-run-figures needs --config CONFIG, --figures-out DIR and "
                                     "--figure-seconds in (0, 3600]")));
            return 2;
        }
        return rmm::exportRunFigures({parser.value(figuresOption), parser.value(figuresConfigOption),
                                      parser.value(figuresOutOption), seconds});
    }

    if (parser.isSet(sweepPlotOption)) {
        if (!parser.isSet(sweepPlotOutOption)) {
            std::fprintf(stderr, "rmm-workbench: %s\n",
                         qPrintable(QCoreApplication::translate(
                             "main", "--export-sweep-plot needs --figure-out FILE (.png, .pdf or .svg)")));
            return 2;
        }
        return rmm::exportSweepFigure({parser.value(sweepPlotOption), parser.value(sweepPlotOutOption),
                                       parser.value(sweepPlotKeyOption)});
    }

    rmm::MainWindow window;
    if (parser.isSet(demoSecondsOption)) {
        bool ok = false;
        const double seconds = parser.value(demoSecondsOption).toDouble(&ok);
        if (!ok || !(seconds > 0) || seconds > 3600) {
            std::fprintf(stderr, "rmm-workbench: %s\n",
                         qPrintable(QCoreApplication::translate(
                             "main", "--demo-seconds needs a number of seconds in (0, 3600]")));
            return 2;
        }
        window.setDemoSeconds(seconds);
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1) {
        std::fprintf(stderr, "rmm-workbench: %s\n",
                     qPrintable(QCoreApplication::translate("main", "give at most one FILE")));
        return 2;
    }
    if (parser.isSet(screenshotOption)) {
        if (files.isEmpty() && !parser.isSet(demoOption)) {
            std::fprintf(
                stderr, "rmm-workbench: %s\n",
                qPrintable(QCoreApplication::translate("main", "--screenshot needs FILE or --demo")));
            return 2;
        }
        arrangeScreenshot(window, QFileInfo(parser.value(screenshotOption)).absoluteFilePath());
    }
    if (parser.isSet(tourOption)) {
        if (!parser.isSet(demoOption)) {
            std::fprintf(stderr, "rmm-workbench: %s\n",
                         qPrintable(QCoreApplication::translate("main", "--screenshot-views needs --demo")));
            return 2;
        }
        rmm::armScreenshotTour(window, QFileInfo(parser.value(tourOption)).absoluteFilePath(),
                               std::max(1, parser.value(tourEpochsOption).toInt()));
    }
    window.show();
    for (const QString& dir : parser.values(importOption))
        window.importResults(dir);
    if (parser.isSet(sweepOption))
        window.openSweep(parser.value(sweepOption));
    if (!files.isEmpty())
        window.openFile(files.front());
    else if (parser.isSet(demoOption))
        window.openDemo();
    return QApplication::exec();
}
