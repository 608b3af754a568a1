// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/train/trainable.hpp"

#include "engine/core/error.hpp"
#include "engine/core/format.hpp"
#include "engine/model/circuit_model.hpp"
#include "engine/model/training_samples.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace rmm {

namespace {

/// What the trainers get out of the training parts: teacher-forcing transitions and shots, after
/// the banks' warm-up lead-in of up to `warmup` samples (0: the raw parts).
struct TrainingExtent {
    long transitions = 0;
    long shots = 0;
};

bool shooting(const TrainingConfig& t)
{
    return t.method != TrainingMethod::TeacherForcing && t.shot >= 2;
}

TrainingExtent trainingExtent(const Dataset& ds, const TrainingConfig& t, long warmup)
{
    TrainingExtent e;
    for (const auto& s : ds.train) {
        const long lead = warmup > 0 ? trainingLeadIn(s.length(), warmup) : 0;
        const long count = s.end - 1 - (s.begin + lead);
        if (count <= 0)
            continue;
        e.transitions += count;
        if (shooting(t))
            e.shots += (count + 1) / t.shot;
    }
    return e;
}

} // namespace

int effectiveBatches(const Dataset& ds, const TrainingConfig& t, const ModelConfig* model)
{
    if (t.batches != 0)
        return t.batches;
    const TrainingExtent e = trainingExtent(ds, t, model ? modelWarmupSamples(*model, ds.dt_ms) : 0);
    const double seconds = static_cast<double>(e.transitions) * ds.dt_ms / 1000.0;
    const int wanted =
        t.method != TrainingMethod::GeneralizedTeacherForcing && seconds >= kAutoBatchesLongS ? 96 : 48;
    const long available = shooting(t) ? e.shots : e.transitions;
    return static_cast<int>(std::max(1L, std::min<long>(wanted, available)));
}

std::vector<std::string> trainingProblems(const Dataset& ds, const TrainingConfig& t,
                                          const ModelConfig* model)
{
    std::vector<std::string> out = t.problems();
    auto add = [&out](std::string m) { out.push_back(std::move(m)); };
    const auto& val = ds.validation;
    if (val.trial < 0 || static_cast<std::size_t>(val.trial) >= ds.trials.size() || val.begin < 0 ||
        val.end > ds.trials[static_cast<std::size_t>(val.trial)].v.cols() || val.end <= val.begin) {
        add("the validation segment [" + std::to_string(val.begin) + ", " + std::to_string(val.end) +
            ") lies outside the data");
        return out;
    }
    const bool byShots = shooting(t);
    const int batches = effectiveBatches(ds, t, model);
    const std::string file = ds.source.empty() ? std::string("recording") : ds.source;
    for (const auto& s : ds.train)
        if (byShots && s.length() < t.shot)
            add("training.shot = " + std::to_string(t.shot) +
                " samples is longer than the training part of " + "trial '" +
                ds.trials[static_cast<std::size_t>(s.trial)].name + "' (" + std::to_string(s.length()) +
                " samples)");
    const TrainingExtent raw = trainingExtent(ds, t, 0); // before the warm-up lead-ins
    if (t.method == TrainingMethod::TeacherForcing && batches > raw.transitions)
        add("training.batches = " + std::to_string(batches) + " exceeds the " +
            std::to_string(raw.transitions) + " transitions the training parts hold; use fewer mini-batches");
    if (byShots && batches > raw.shots)
        add("training.batches = " + std::to_string(batches) + " exceeds the " + std::to_string(raw.shots) +
            " shots of " + std::to_string(t.shot) + " samples the training parts hold");
    const double nyquist = 500.0 / ds.dt_ms;
    if (!(t.validation.band_high_hz < nyquist))
        add("training.validation.band_hz: the upper corner " + formatNumber(t.validation.band_high_hz) +
            " Hz must be below the Nyquist frequency " + formatNumber(nyquist) + " Hz of " + file +
            " (dt = " + formatNumber(ds.dt_ms) + " ms)");
    // Each restart window of the validation free run is cut to at least 3/4 of window_s
    // (resyncWindows) and loses kernel_half_width samples at both ends.
    if (t.validation.window_s > 0 &&
        !(t.validation.window_s * 1000.0 / ds.dt_ms > 4.0 * t.validation.kernel_half_width))
        add("training.validation.window_s = " + formatNumber(t.validation.window_s) +
            " s: must be 0 or longer than 4 x kernel_half_width = " +
            std::to_string(4L * t.validation.kernel_half_width) + " samples (" +
            formatNumber(4.0 * t.validation.kernel_half_width * ds.dt_ms / 1000.0) +
            " s): every window loses the kernel's half-width at both ends");
    const long needed = 2L * t.validation.kernel_half_width + 1;
    if (ds.validation.length() <= needed)
        add("the validation segment of trial '" +
            ds.trials[static_cast<std::size_t>(ds.validation.trial)].name + "' has " +
            std::to_string(ds.validation.length()) + " samples, but the angular separation drops " +
            "training.validation.kernel_half_width = " + std::to_string(t.validation.kernel_half_width) +
            " samples at each end; it needs more than " + std::to_string(needed) +
            " (use a longer recording, a larger data.validation_fraction or a smaller kernel_half_width)");
    if (!model || !out.empty())
        return out; // the lead-in checks below would repeat the problems above
    // After the warm-up lead-in (training_samples.hpp): what TfProblem / MsProblem will use.
    const long M = modelWarmupSamples(*model, ds.dt_ms);
    if (byShots)
        for (const auto& s : ds.train) {
            const long lead = trainingLeadIn(s.length(), M);
            const long avail = s.end - (s.begin + lead);
            if (avail > 1 && avail < t.shot)
                add("training.shot = " + std::to_string(t.shot) +
                    " samples is longer than the training part of trial '" +
                    ds.trials[static_cast<std::size_t>(s.trial)].name + "' after its warm-up lead-in (" +
                    std::to_string(avail) + " of " + std::to_string(s.length()) +
                    " samples; the filter banks warm up over the first " + std::to_string(lead) + ")");
        }
    const TrainingExtent e = trainingExtent(ds, t, M);
    if (t.method == TrainingMethod::TeacherForcing && (e.transitions < 2 || batches > e.transitions))
        add("training.batches = " + std::to_string(batches) + " exceeds the " +
            std::to_string(e.transitions) +
            " teacher-forcing samples the training parts hold after the filter banks' warm-up of up to " +
            std::to_string(M) + " samples; use fewer mini-batches or longer trials");
    if (byShots && batches > e.shots)
        add("training.batches = " + std::to_string(batches) + " exceeds the " + std::to_string(e.shots) +
            " shots of " + std::to_string(t.shot) +
            " samples the training parts hold after the filter banks' warm-up of up to " + std::to_string(M) +
            " samples; use fewer mini-batches or shorter shots");
    return out;
}

void checkTrainable(const Dataset& ds, const TrainingConfig& t, const ModelConfig* model)
{
    const std::vector<std::string> p = trainingProblems(ds, t, model);
    if (p.empty())
        return;
    std::string all = p.front();
    for (std::size_t k = 1; k < p.size(); ++k)
        all += "\n" + p[k];
    throw Error(all);
}

} // namespace rmm
