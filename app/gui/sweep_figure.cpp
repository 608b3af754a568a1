// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/sweep_figure.hpp"

#include "engine/sweep/sweep.hpp"
#include "widgets/plot_export.hpp"
#include "widgets/plot_locale.hpp"
#include "widgets/sweep_plot.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>
#include <qcustomplot.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <vector>

namespace rmm {
namespace {

/// Translation context of this file's messages (lupdate reads SweepFigure::tr).
struct SweepFigure {
    Q_DECLARE_TR_FUNCTIONS(SweepFigure)
};

constexpr double kWidthMm = 180;
constexpr double kPanelMm = 70; ///< height of each stacked panel

int fail(int code, const QString& message)
{
    std::fprintf(stderr, "rmm-workbench: %s\n", qPrintable(message));
    return code;
}

} // namespace

int exportSweepFigure(const SweepFigureRequest& request)
{
    sweep::SweepSummary summary;
    try {
        summary = sweep::summarizeSweep(request.dir.toStdString());
    } catch (const std::exception& e) {
        return fail(2, SweepFigure::tr("cannot plot the sweep: %1").arg(QString::fromUtf8(e.what())));
    }
    std::vector<std::string> keys;
    if (!request.key.isEmpty()) {
        const std::string key = request.key.toStdString();
        if (key != kSweepSeedKey &&
            std::find(summary.keys.begin(), summary.keys.end(), key) == summary.keys.end()) {
            QStringList known;
            for (const std::string& k : summary.keys)
                known << QString::fromStdString(k);
            known << QString::fromLatin1(kSweepSeedKey);
            return fail(2, SweepFigure::tr("--key %1: not a swept key of %2 (its keys: %3)")
                               .arg(request.key, QDir::toNativeSeparators(request.dir),
                                    known.join(QStringLiteral(", "))));
        }
        keys.push_back(key);
    } else {
        keys = summary.keys;
        if (keys.empty()) // a sweep over seeds alone
            keys.push_back(kSweepSeedKey);
    }

    int done = 0;
    for (const sweep::RunStatus& s : summary.status)
        done += s.state == sweep::RunState::Done ? 1 : 0;
    const QString title =
        SweepFigure::tr("Sweep %1: %n run(s)", nullptr, static_cast<int>(summary.runs.size()))
            .arg(QFileInfo(QDir::cleanPath(QDir(request.dir).absolutePath())).fileName()) +
        SweepFigure::tr(", %1 done").arg(done);
    std::vector<std::unique_ptr<QCustomPlot>> plots;
    QList<QCustomPlot*> panels;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto plot = std::make_unique<QCustomPlot>();
        plot->setLocale(plotLocale());
        drawSweepPanel(plot.get(), sweepPanelData(summary, keys[i], SweepMetric::BestAs),
                       i == 0 ? title : QString());
        panels << plot.get();
        plots.push_back(std::move(plot));
    }
    FigureOptions o; // 300 dpi, as the export dialog's default
    o.width_mm = kWidthMm;
    o.height_mm = std::clamp(kPanelMm * static_cast<double>(panels.size()), 90.0, 1900.0);
    QString error;
    if (!exportFigure(panels, request.out, o, &error))
        return fail(1, error);
    std::printf("%s\n", qPrintable(SweepFigure::tr("wrote %1").arg(QDir::toNativeSeparators(request.out))));
    return 0;
}

} // namespace rmm
