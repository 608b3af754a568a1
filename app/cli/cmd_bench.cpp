// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm bench`: times teacher-forcing / multiple-shooting / GTF epochs on a synthetic paper-scale problem (two
// neurons, paper filter banks and MLP sizes, reciprocal lumped or conductance synapses, 48 mini-batches).
#include "command.hpp"

#include "engine/core/error.hpp"
#include "engine/core/openmp_wait.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/train/trainer.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <random>

namespace rmm::cli {
namespace {

/// Smooth random voltages with bursts of spikes and OU-like injected currents.
void fillTrial(TrialData& tr, long T, std::mt19937_64& rng)
{
    std::normal_distribution<double> nd(0.0, 1.0);
    tr.v.resize(2, T);
    tr.u.resize(2, T);
    for (int i = 0; i < 2; ++i) {
        double x = 0, y = 0;
        for (long s = 0; s < T; ++s) {
            x = 0.999 * x + 0.05 * nd(rng);
            y = 0.996 * y + 0.01 * nd(rng);
            const double burst = std::sin(2 * M_PI * static_cast<double>(s) / 20000.0 + M_PI * i);
            const double spike =
                burst > 0 ? std::pow(std::max(0.0, std::sin(2 * M_PI * static_cast<double>(s) / 150.0)), 30.0)
                          : 0.0;
            tr.v(i, s) = -52 + 6 * burst + 2 * x + 40 * spike;
            tr.u(i, s) = y;
        }
    }
}

double peakRssMiB()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

/// Prints wall time per epoch and the process CPU time since the previous epoch (all threads;
/// on a busy machine wall time grows while CPU time does not).
class EpochPrinter : public TrainingObserver {
  public:
    bool report(double, const std::string&) override
    {
        if (cpu0 < 0)
            cpu0 = cpuSeconds();
        return true;
    }
    void epochFinished(const EpochRecord& r) override
    {
        const double c = cpuSeconds();
        std::cout << "epoch " << r.epoch + 1 << ": " << std::fixed << std::setprecision(4) << r.seconds
                  << " s wall, " << c - cpu0 << " s cpu, loss " << std::setprecision(6) << r.train_loss
                  << std::endl;
        cpu0 = c;
        seconds.push_back(r.seconds);
    }
    std::vector<double> seconds;
    double cpu0 = -1;
};

int bench(const Args& args)
{
    args.allowOnly({"method", "samples", "epochs", "dtype", "threads", "batches", "shuffle", "shot", "gamma",
                    "synapse"});
    const std::string method = args.get("method").value_or("tf");
    if (method != "tf" && method != "ms" && method != "gtf")
        throw Error("--method must be tf, ms or gtf (got '" + method + "')");
    const long shot = args.integer("shot", 20);
    const double gamma = std::stod(args.get("gamma").value_or("0.05"));
    const long N = args.integer("samples", 1650000);
    const long epochs = args.integer("epochs", 5);
    const long threads = args.integer("threads", 2);
    const long batches = args.integer("batches", 48);
    const std::string dtype = args.get("dtype").value_or("float32");
    if (N < 1000 || N > 50000000)
        throw Error("--samples must be between 1000 and 50000000");
    if (epochs < 2 || epochs > 1000)
        throw Error("--epochs must be between 2 and 1000 (the first epoch is a warm-up and not counted)");
    if (dtype != "float32" && dtype != "float64")
        throw Error("--dtype must be float32 or float64");
    const std::string synapse = args.get("synapse").value_or("lumped");
    if (synapse != "lumped" && synapse != "conductance")
        throw Error("--synapse must be lumped or conductance (got '" + synapse + "')");
    const SynapseKind kind = synapse == "lumped" ? SynapseKind::Lumped : SynapseKind::Conductance;

    ModelConfig mc;
    mc.neurons = 2;
    mc.synapses = {{0, 1, kind}, {1, 0, kind}};
    mc.finalize(); // the paper's tau sets

    TrainingConfig tc;
    tc.epochs = static_cast<int>(epochs);
    tc.batches = static_cast<int>(batches);
    tc.threads = static_cast<int>(threads);
    tc.shuffle = args.flag("shuffle");
    tc.schedule = {{0, method == "tf" ? 1e-3 : 1e-2}};
    tc.method = method == "tf" ? TrainingMethod::TeacherForcing
                               : (method == "ms" ? TrainingMethod::MultipleShooting
                                                 : TrainingMethod::GeneralizedTeacherForcing);
    tc.shot = static_cast<int>(shot);
    tc.gamma = gamma;
    tc.validate_every = static_cast<int>(epochs) + 1; // only the final validation
    tc.precision = dtype == "float32" ? Precision::Float32 : Precision::Float64;

    const auto t0 = std::chrono::steady_clock::now();
    const long M = 69078; // warm-up lead-in of the paper's slowest intrinsic time constant (1500 ms)
    Dataset d;
    d.dt_ms = 0.1;
    d.neurons = 2;
    std::mt19937_64 rng(1);
    d.trials.resize(2);
    d.trials[0].name = "train";
    fillTrial(d.trials[0], N + M + 1, rng);
    d.trials[1].name = "validation";
    fillTrial(d.trials[1], 8000, rng);
    d.train = {{0, 0, N + M + 1}};
    d.validation = {1, 1000, 8000};
    std::cout << "method " << method;
    if (method != "tf")
        std::cout << ", shot " << shot
                  << (method == "gtf" ? ", gamma " + std::to_string(gamma) : std::string());
    std::cout << "; synthetic data: " << N << " training samples x 2 neurons, dtype " << dtype << ", threads "
              << threads << ", " << batches << " mini-batches, " << synapse << " synapses, shuffle "
              << (tc.shuffle ? "on" : "off") << ", OpenMP wait policy " << openMpWaitPolicy() << std::endl;

    EpochPrinter obs;
    const TrainingResult r = train(d, mc, tc, &obs);
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (obs.seconds.size() < 2)
        throw Error("benchmark stopped early: " + r.stop_message);
    std::vector<double> s(obs.seconds.begin() + 1, obs.seconds.end());
    std::sort(s.begin(), s.end());
    const double median = s.size() % 2 ? s[s.size() / 2] : 0.5 * (s[s.size() / 2 - 1] + s[s.size() / 2]);
    for (bool single : {true, false}) {
        SimulationOptions so;
        so.single_precision = single;
        const auto ts = std::chrono::steady_clock::now();
        const auto sim = simulate(r.best, d, Segment{1, 0, 8000}, so);
        const double us =
            1e6 * std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count() / 8000.0;
        std::cout << "free simulation (" << (single ? "float32" : "float64")
                  << " MLPs): " << std::setprecision(2) << us << " us per sample" << std::endl;
    }
    std::cout << "parameters: " << r.best.parameterCount() << ", total wall time " << std::setprecision(2)
              << total << " s (data generation, precompute, training, validation)\n";
    std::cout << "peak_rss_mib=" << std::setprecision(1) << peakRssMiB() << "\n";
    std::cout << std::setprecision(4) << "epoch_seconds=" << median << " samples=" << N << std::endl;
    return 0;
}

const Registrar reg({"bench",
                     "time training epochs (tf, ms, gtf) on a synthetic paper-scale problem",
                     "[--method tf|ms|gtf] [--shot S] [--gamma G] [--samples N] [--epochs E] [--dtype "
                     "float32|float64] [--threads T] [--batches B] "
                     "[--shuffle] [--synapse lumped|conductance]",
                     {"shuffle"},
                     bench});

} // namespace
} // namespace rmm::cli
