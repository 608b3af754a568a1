// SPDX-License-Identifier: GPL-3.0-or-later
// Computes the predictions view's data for a model: free run (and, for gamma > 0, the observer
// run) of the validation segment or of a whole trial, plus -sum_j I_syn_ij against each mapped ground-truth
// channel.
#pragma once
#include "engine/core/progress.hpp"
#include "engine/data/dataset.hpp"
#include "engine/model/circuit_model.hpp"
#include "widgets/predictions_view.hpp"

namespace rmm {

/// Predictions on the validation segment (`wholeTrial` < 0) or on the whole of trial
/// `wholeTrial` of the dataset, the free run restarted from the recording every `restartS`
/// seconds (0: one free run; validation's protocol, docs/method.md section 4). Throws
/// rmm::Error / rmm::Cancelled as simulate() does.
PredictionData computePredictions(const CircuitModel& model, const Dataset& data, double gamma,
                                  Progress* progress = nullptr, int wholeTrial = -1, double restartS = 0);

} // namespace rmm
