// SPDX-License-Identifier: GPL-3.0-or-later
// Frames per second of the trace viewer while panning and zooming two 1.2 M-sample traces, as a
// user drags and wheels: each frame moves the time range, lets the background decimation deliver
// (dataUpdated) and repaints. A benchmark, not a test: `bench_trace_pan [frames] [--cursors]
// [--overlay]` prints the frame rate (run it under QT_QPA_PLATFORM=offscreen or a display).
#include "engine/recording/recording.hpp"
#include "widgets/trace_plot.hpp"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    int frames = 300;
    bool cursors = false, overlay = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--cursors") == 0)
            cursors = true;
        else if (std::strcmp(argv[i], "--overlay") == 0)
            overlay = true;
        else
            frames = std::max(10, std::atoi(argv[i]));
    }
    rmm::Recording rec;
    rec.format = "bench";
    rec.source = "bench";
    rec.dt_ms = 0.1; // 120 s at 10 kHz per trial, as the paper's data
    for (int t = 0; t < (overlay ? 3 : 1); ++t) {
        rmm::Trial trial;
        trial.name = "trial" + std::to_string(t + 1);
        for (int c = 0; c < 2; ++c) {
            rmm::Channel ch{"v" + std::to_string(c + 1), "mV", std::vector<double>(1200000)};
            for (std::size_t k = 0; k < ch.samples.size(); ++k)
                ch.samples[k] = -50 + 30 * std::sin(k * 6e-4 + c + t) +
                                20 * ((k / 3000 + c) % 7 == 0 ? std::sin(k * 0.3) : 0);
            trial.channels.push_back(std::move(ch));
        }
        rec.trials.push_back(std::move(trial));
    }
    rmm::TracePlot plot;
    plot.resize(1400, 800);
    plot.show();
    QSignalSpy updated(&plot, &rmm::TracePlot::dataUpdated);
    plot.setRecording(std::make_shared<const rmm::Recording>(std::move(rec)));
    if (!updated.wait(60000)) {
        std::fprintf(stderr, "no data\n");
        return 1;
    }
#ifdef RMM_BENCH_NEW_FEATURES
    if (cursors)
        plot.setCursorsVisible(true);
    if (overlay) {
        plot.setOverlay(true);
        plot.setAverage(true);
        updated.wait(60000);
    }
#endif
    QCPAxis* x = plot.axisRect(0)->axis(QCPAxis::atBottom);
    QElapsedTimer clock;
    clock.start();
    int delivered = 0;
    for (int f = 0; f < frames; ++f) {
        // Alternate: pan by 5 % of the view, and zoom in or out by 15 % around the middle.
        QCPRange r = x->range();
        if (f % 2 == 0) {
            const double shift = ((f / 40) % 2 == 0 ? 0.05 : -0.05) * r.size();
            r = QCPRange(r.lower + shift, r.upper + shift);
        } else {
            const double factor = (f / 60) % 2 == 0 ? 0.85 : 1 / 0.85;
            const double mid = r.center(), half = 0.5 * r.size() * factor;
            r = QCPRange(std::max(0.0, mid - half), std::min(120.0, mid + half));
        }
        updated.clear();
        x->setRange(r);
        if (updated.wait(2000))
            ++delivered;
        plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    const double s = clock.elapsed() / 1000.0;
    std::printf("%d frames (%d with fresh decimation) in %.2f s: %.1f frames per second%s%s\n", frames,
                delivered, s, frames / s, cursors ? " (cursors shown)" : "",
                overlay ? " (3 sweeps, overlay and average)" : "");
    return 0;
}
