// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the trainers: the variables the optimiser moves when currents are trained in units
// of the membrane capacitance (training.current_units = "capacitance", issue 15).
//
// The voltage equation dv/dt = (1/C)(u - I) has an exact scale symmetry (C, I) -> (kC, kI)
// broken only by the injected current u, whose effect is small next to differentiated recording
// noise: plain training drifts along it to a small C with large cancelling currents. Trained in
// units of C, every parameter that carries current into neuron i is C_i times an optimiser
// variable,
//   linear in the current (intrinsic readout, leak offset b, lumped-synapse readouts):  p = C q
//   softplus-positive (leak conductance g, maximal conductance gbar):  softplus(p) = C softplus(q)
// so that moving a (1/C = softplus(a)) with q fixed changes only u/C. The model and its files
// keep the physical parameters; this class maps between the two and pulls gradients back.
#pragma once
#include "engine/model/circuit_model.hpp"

#include <vector>

namespace rmm::detail {

class CurrentUnits {
  public:
    /// `scaled`: train currents in units of C. `freezeCapacitance`: the gradient of every a_i is
    /// dropped (a measured C kept fixed).
    CurrentUnits(const CircuitModel& model, bool scaled, bool freezeCapacitance);

    std::vector<double> toOptimizer(const std::vector<double>& theta) const;
    std::vector<double> toPhysical(const std::vector<double>& phi) const;
    /// grad = dL/dtheta at theta = toPhysical(phi) in, dL/dphi out.
    void pullBack(const std::vector<double>& phi, std::vector<double>& grad) const;

  private:
    struct Scaled {
        long offset;   ///< first parameter
        long count;    ///< number of parameters
        long a;        ///< offset of the 1/C parameter of the neuron the current flows into
        bool softplus; ///< softplus(p) = C softplus(q) instead of p = C q
    };
    /// Parameters -> optimiser variables (toPhysical false) or back, in place.
    void rescale(std::vector<double>& x, bool toPhysical) const;
    bool scaled_ = false;
    std::vector<Scaled> blocks_;
    std::vector<long> frozen_;
};

} // namespace rmm::detail
