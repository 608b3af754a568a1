// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm train --config FILE --out DIR [--threads N] [--epochs N] [--time-limit T]`: trains a circuit
// model as the experiment config says, prints one line per epoch, and writes DIR/model.h5,
// DIR/curves.csv and DIR/report.json as one unit (engine/core/run_folder.hpp). Ctrl-C, SIGTERM or
// SIGHUP stops training after the current mini-batch; the best snapshot so far is saved as usual.
#include "command.hpp"
#include "interrupt.hpp"

#include "engine/config/experiment_config.hpp"
#include "engine/core/error.hpp"
#include "engine/core/run_folder.hpp"
#include "engine/data/dataset.hpp"
#include "engine/run/experiment.hpp"
#include "engine/train/initial_model.hpp"
#include "engine/train/trainable.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace rmm::cli {
namespace {

using Clock = std::chrono::steady_clock;

/// The files of a run folder: a complete set has all three.
const std::vector<std::string> kRunFiles = {"model.h5", "curves.csv", "report.json"};

std::string fmt(const char* f, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

/// Prints one line per epoch and turns Ctrl-C into cancellation.
class ConsoleObserver final : public TrainingObserver {
  public:
    ConsoleObserver(int epochs, Clock::time_point start) : epochs_(epochs), start_(start) {}

    bool report(double, const std::string&) override { return !interrupted(); }

    void epochFinished(const EpochRecord& r) override
    {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
        std::ostringstream line;
        line << "epoch " << (r.epoch + 1) << "/" << epochs_ << "  lr " << fmt("%.3g", r.lr) << "  loss "
             << fmt("%.6g", r.train_loss) << "  metric "
             << (std::isnan(r.validation_metric) ? std::string("-") : fmt("%.4f", r.validation_metric))
             << "  epoch_s " << fmt("%.2f", r.seconds) << "  elapsed_s " << fmt("%.1f", elapsed);
        std::cout << line.str() << std::endl;
    }

  private:
    int epochs_;
    Clock::time_point start_;
};

class InterruptProgress final : public Progress {
  public:
    bool report(double, const std::string&) override { return !interrupted(); }
};

/// "90", "90s", "15m", "1.5h" -> seconds.
double parseDuration(const std::string& option, const std::string& text)
{
    const std::string what = option + " " + text + ": expected a duration such as 600, 600s, 10m or 1.5h";
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        throw Error(what);
    }
    const std::string unit = text.substr(used);
    double scale = 0;
    if (unit.empty() || unit == "s")
        scale = 1;
    else if (unit == "m" || unit == "min")
        scale = 60;
    else if (unit == "h")
        scale = 3600;
    if (scale == 0 || !std::isfinite(v) || v < 0)
        throw Error(what);
    return v * scale;
}

int train(const Args& args, std::string& writingTo)
{
    args.allowOnly({"config", "out", "threads", "epochs", "time-limit", "time-budget", "init"});
    if (!args.positional().empty())
        throw Error("unexpected argument '" + args.positional().front() + "'");
    const std::string configPath = args.require("config");
    const std::string outDir = args.require("out");

    ExperimentConfig cfg = loadExperimentConfig(configPath);
    if (args.get("threads")) {
        long t = args.integer("threads", cfg.training.threads);
        if (t < 1 || t > 1024)
            throw Error("--threads " + std::to_string(t) + ": must be between 1 and 1024");
        cfg.training.threads = static_cast<int>(t);
    }
    if (args.get("epochs")) {
        long e = args.integer("epochs", cfg.training.epochs);
        if (e < 1 || e > 10000000)
            throw Error("--epochs " + std::to_string(e) + ": must be at least 1");
        cfg.training.epochs = static_cast<int>(e);
    }
    if (const auto m = args.get("init")) { // relative to where the command runs, as --config
        std::error_code ec;
        const auto abs = std::filesystem::absolute(*m, ec);
        cfg.training.init = ec ? *m : abs.string();
    }
    if (const auto t = args.get("time-limit"))
        cfg.training.time_limit_s = parseDuration("--time-limit", *t);
    if (const auto t = args.get("time-budget")) {
        const double budget = parseDuration("--time-budget", *t);
        if (budget > 0 && !(cfg.training.time_limit_s > 0 && cfg.training.time_limit_s <= budget))
            cfg.training.time_limit_s = budget;
    }

    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(outDir, ec) && !fs::is_directory(outDir, ec))
        throw Error(outDir + ": exists and is not a folder (--out names the folder for the results)");
    // Where a run that fails (exit code 3) goes when DIR holds a run already; see the help text.
    const std::string failedDir = siblingFolder(outDir, ".failed");
    for (const auto& note : recoverInterruptedWrites(outDir, kRunFiles, Replaced::KeepAsPrevious))
        std::cout << "note: " << note << "\n";
    for (const auto& note : recoverInterruptedWrites(failedDir, kRunFiles, Replaced::Discard))
        std::cout << "note: " << note << "\n";
    for (const std::string& dir : {outDir, failedDir})
        if (folderContent(dir, kRunFiles) == FolderContent::Other)
            throw Error(dir +
                        ": holds files that are not results of rmm train; not replaced (choose a new or "
                        "empty folder for --out)");
    checkCanCreate(outDir); // a read-only or missing place fails now, not after training

    installInterruptHandler();
    const auto start = Clock::now();
    InterruptProgress loadProgress;
    const Dataset ds = loadDataset(cfg.data, cfg.base_dir, &loadProgress);

    long trainSamples = 0;
    for (const auto& s : ds.train)
        trainSamples += s.length();
    std::cout << "data: " << ds.source << "  " << ds.trials.size() << " trial(s), " << ds.neurons
              << " neuron(s), dt " << ds.dt_ms << " ms, " << trainSamples << " training samples, validation "
              << ds.trials[static_cast<std::size_t>(ds.validation.trial)].name << " [" << ds.validation.begin
              << ", " << ds.validation.end << ")\n";
    for (const auto& w : ds.warnings)
        std::cout << "warning: " << w << "\n";
    if (!cfg.training.init.empty())
        std::cout << "starting from " << initModelPath(cfg) << "\n";
    std::cout << "training: method " << toString(cfg.training.method) << ", " << cfg.training.epochs
              << " epochs, " << effectiveBatches(ds, cfg.training, &cfg.model) << " mini-batches"
              << (cfg.training.batches == 0 ? " (auto)" : "") << ", " << cfg.training.threads << " thread(s)"
              << (cfg.training.time_limit_s > 0
                      ? ", time limit " + fmt("%.0f", cfg.training.time_limit_s) + " s"
                      : "")
              << "; Ctrl-C stops and keeps the best snapshot" << std::endl;

    ConsoleObserver observer(cfg.training.epochs, start);
    const TrainedRun run = runExperiment(cfg, ds, &observer);
    const TrainingResult& result = run.result;
    const RunReport& report = run.report;

    // The files go to a temporary folder, moved into place as one unit once all are written: DIR
    // (the run there kept as DIR.previous), or DIR.failed for a failed run when DIR holds a run.
    const bool failed = result.stop == StopReason::Diverged;
    const bool besideGood = failed && folderContent(outDir, kRunFiles) == FolderContent::Results;
    const std::string destination = besideGood ? failedDir : outDir;
    writingTo = destination; // names the folder in an error of the writes below (trainCommand)
    FolderWriter folder(destination, kRunFiles);
    writeRunFiles(run, folder.file("model.h5"), folder.file("curves.csv"), folder.file("report.json"));
    const std::vector<std::string> folderWarnings =
        folder.commit(besideGood ? Replaced::Discard : Replaced::KeepAsPrevious);
    writingTo.clear();

    // The data's warnings were printed above; the rest here.
    for (std::size_t k = ds.warnings.size(); k < report.warnings.size(); ++k)
        std::cout << "warning: " << report.warnings[k] << "\n";
    for (const auto& w : folderWarnings)
        std::cout << "warning: " << w << "\n";
    std::cout << "stopped: " << result.stop_message << " after " << result.epochs_run << " epoch(s), "
              << fmt("%.1f", result.train_seconds) << " s\n"
              << "best epoch " << (result.best_epoch >= 0 ? std::to_string(result.best_epoch + 1) : "-")
              << ", angular separation " << fmt("%.4f", report.best_validation);
    auto shown = [](double v, const char* f) { return std::isfinite(v) ? fmt(f, v) : std::string("-"); };
    if (report.validation.window_s > 0)
        std::cout << " (free run restarted from the recording every " << fmt("%g", report.validation.window_s)
                  << " s; one free run over the segment: "
                  << shown(report.validation.free_run_angular_separation, "%.4f") << ")";
    std::cout << "\n";
    for (const SynapticCurrentScore& s : report.synaptic_current)
        std::cout << "synaptic current of neuron " << s.neuron + 1 << ": pearson "
                  << shown(s.metrics.pearson, "%.3f") << ", nrmse " << shown(s.metrics.nrmse, "%.3f")
                  << ", amplitude "
                  << (std::isfinite(s.metrics.amplitude_ratio)
                          ? fmt("%.2f", s.metrics.amplitude_ratio) + "x the recorded"
                          : std::string("-"))
                  << "\n";
    for (std::size_t i = 0; i < report.model.neurons.size(); ++i) {
        const auto& n = report.model.neurons[i];
        std::cout << "neuron " << i + 1 << ": C " << fmt("%.3g", n.capacitance_nF) << " nF, leak "
                  << fmt("%.3g", n.leak_uS) << " uS (reversal " << fmt("%.1f", n.leak_reversal_mV)
                  << " mV), C/g " << fmt("%.3g", n.time_constant_ms) << " ms\n";
    }
    if (report.free_run_checked)
        std::cout << "free run over " << fmt("%.0f", report.free_run.seconds) << " s of held-out input: "
                  << (report.free_run.in_range ? "stays within the recorded range"
                                               : "NOT PHYSIOLOGICAL (see the warnings)")
                  << "\n";
    const fs::path shownDir(destination);
    std::cout << "wrote " << (shownDir / "model.h5").string() << ", " << (shownDir / "curves.csv").string()
              << ", " << (shownDir / "report.json").string() << std::endl;

    if (result.finished())
        return 0;
    if (result.stop == StopReason::Cancelled) {
        if (*interruptSignalName())
            std::cerr << "rmm train: stopped by " << interruptSignalName() << "\n";
        return interruptExitCode();
    }
    std::cerr << "rmm train: training stopped early: " << result.stop_message << "\n";
    if (besideGood)
        std::cerr << "rmm train: " << outDir << " holds a run already and is left as it was; this run is in "
                  << destination << "\n";
    return 3;
}

/// train(), with an error while writing the results (a full disk, a folder gone read-only) saying
/// which folder it was and that an earlier run there is unchanged (the temporary folder is deleted
/// by then).
int trainCommand(const Args& args)
{
    std::string writingTo;
    try {
        return train(args, writingTo);
    } catch (const Error& e) {
        if (writingTo.empty())
            throw;
        // Libraries do not always say why a write failed (HDF5: "cannot create"): a full disk
        // is the usual reason, so say so when it is.
        namespace fs = std::filesystem;
        std::error_code ec;
        const fs::space_info space =
            fs::space(fs::absolute(siblingFolder(writingTo, ""), ec).parent_path(), ec);
        const std::string full =
            !ec && space.available < (1u << 20)
                ? "; the disk is full (" + std::to_string(space.available / 1024) + " KB free)"
                : std::string();
        throw Error("cannot write the results to " + writingTo + " (" +
                    (folderContent(writingTo, kRunFiles) == FolderContent::Results
                         ? "the run there is unchanged"
                         : "nothing written") +
                    "): " + e.what() + full);
    }
}

const Registrar
    reg({"train",
         "train a circuit model from an experiment config",
         "--config FILE --out DIR [--init MODEL] [--threads N] [--epochs N] [--time-limit T]\n"
         "  [--time-budget T]\n"
         "  Writes DIR/model.h5, DIR/curves.csv, DIR/report.json. --init MODEL starts from an\n"
         "  earlier run's model.h5 (e.g. MS warm-started from TF; the config's training.init)\n"
         "  instead of a new model; its settings replace the config's model section.\n"
         "  --threads, --epochs and\n"
         "  --time-limit (a wall-clock budget: 600, 600s, 10m or 1.5h; training stops after the\n"
         "  mini-batch that passes it, validates once more and exits 0) override the config.\n"
         "  --time-budget T (a scheduler's limit, e.g. from rmm sweep slurm) stops at T or at the\n"
         "  config's own time limit, whichever comes first.\n"
         "  Ctrl-C, SIGTERM or SIGHUP stops after the current mini-batch and saves the best\n"
         "  snapshot (exit code 130, 143 or 129); a second one ends at once. A divergence stops\n"
         "  with exit code 3, files written all the same.\n"
         "  The files are written as one unit (to DIR.tmp-PID beside DIR, flushed, then moved):\n"
         "  after a crash or kill DIR holds the old complete run or the new one. A run already\n"
         "  in DIR is kept as DIR.previous (replacing an older one); a run that fails (exit code\n"
         "  3) never replaces a run: it goes to DIR.failed instead. A DIR holding other files is\n"
         "  refused, and an unwritable place is reported before the data are loaded. What killed\n"
         "  runs left behind is cleaned up (or recovered) at the next start.",
         {},
         trainCommand});

} // namespace
} // namespace rmm::cli
