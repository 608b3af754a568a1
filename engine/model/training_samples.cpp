// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/training_samples.hpp"

#include "engine/core/error.hpp"
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"

#include <algorithm>

namespace rmm {

long modelWarmupSamples(const CircuitModel& model)
{
    long M = model.intrinsicBank().warmupSamples();
    if (model.synapticBank().size())
        M = std::max(M, model.synapticBank().warmupSamples());
    return M;
}

long modelWarmupSamples(const ModelConfig& cfg, double dtMs)
{
    long M = FilterBank(cfg.intrinsic_taus_ms, dtMs, "model.intrinsic_taus_ms").warmupSamples();
    if (!cfg.synaptic_taus_ms.empty())
        M = std::max(M, FilterBank(cfg.synaptic_taus_ms, dtMs, "model.synaptic_taus_ms").warmupSamples());
    return M;
}

std::vector<TrainingRange> trainingRanges(const CircuitModel& model, const Dataset& data,
                                          std::vector<std::string>* warnings)
{
    if (data.neurons != model.neurons())
        throw Error("the data maps " + std::to_string(data.neurons) + " neurons but the model has " +
                    std::to_string(model.neurons()));
    const long M = modelWarmupSamples(model);
    std::vector<TrainingRange> out;
    for (std::size_t k = 0; k < data.train.size(); ++k) {
        const Segment& s = data.train[k];
        if (s.trial < 0 || static_cast<std::size_t>(s.trial) >= data.trials.size())
            throw Error("training segment " + std::to_string(k) + " refers to trial " +
                        std::to_string(s.trial) + ", which does not exist");
        const auto& tr = data.trials[static_cast<std::size_t>(s.trial)];
        if (s.begin < 0 || s.end > tr.v.cols() || s.begin > s.end)
            throw Error("training segment [" + std::to_string(s.begin) + ", " + std::to_string(s.end) +
                        ") of trial '" + tr.name + "' is outside its " + std::to_string(tr.v.cols()) +
                        " samples");
        if (tr.v.rows() != data.neurons || tr.u.rows() != data.neurons || tr.u.cols() != tr.v.cols())
            throw Error("trial '" + tr.name + "': voltage/current matrices do not match the neuron count");
        TrainingRange r;
        r.trial = s.trial;
        r.lead_in = trainingLeadIn(s.length(), M);
        r.begin = s.begin + r.lead_in;
        r.end = s.end;
        if (r.lead_in < M && warnings)
            warnings->push_back("trial '" + tr.name + "': training segment of " + std::to_string(s.length()) +
                                " samples is too short for a full warm-up of " + std::to_string(M) +
                                " samples; warmed up over " + std::to_string(r.lead_in) + " samples");
        if (r.steps() > 0)
            out.push_back(r);
    }
    return out;
}

} // namespace rmm
