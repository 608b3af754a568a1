// SPDX-License-Identifier: GPL-3.0-or-later
// One neuron's membrane current out of a CircuitModel: its parameters read through detail::TypedCircuit
// (as the simulation and the trainers read them), its input maps the model's AffineMap.
#include "engine/analysis/membrane_current.hpp"

#include "engine/core/error.hpp"
#include "engine/model/circuit_model.hpp"

namespace rmm {
MembraneCurrent membraneCurrent(const CircuitModel& model, int neuron, bool withSynapses)
{
    if (neuron < 0 || neuron >= model.neurons())
        throw Error("neuron " + std::to_string(neuron + 1) + " does not exist: the model has " +
                    std::to_string(model.neurons()) + " neuron(s), numbered from 1");
    const InputMaps maps = model.inputMaps();
    const InputMaps::Neuron& q = maps.neurons[static_cast<std::size_t>(neuron)];
    const std::string tag = "neuron" + std::to_string(neuron + 1);
    // The parameters as the simulation and the trainers read them (softplus-mapped where kept positive).
    const detail::TypedCircuit<double> tc(model, model.flatParameters());
    const auto& own = tc.neurons[static_cast<std::size_t>(neuron)];

    MembraneCurrent mc;
    mc.dtMs = model.dtMs();
    mc.capacitance = 1.0 / own.invcap;
    mc.gLeak = own.gleak;
    mc.bLeak = own.bleak;

    const FilterBank& ib = model.intrinsicBank();
    MlpCurrent in;
    in.name = tag + "/intrinsic";
    in.net = own.mlp;
    in.vIn = q.v;
    in.xIn = q.w;
    in.stateOffset = mc.appendStates(ib.denseA(), ib.denseB());
    mc.mlps.push_back(std::move(in));

    if (withSynapses) {
        const FilterBank& sb = model.synapticBank();
        const LowpassBank& cb = model.conductanceBank();
        for (int s = 0; s < model.synapseCount(); ++s) {
            const SynapseIndex& si = model.synapseIndex(s);
            if (si.config.post != neuron)
                continue;
            const auto& typed = tc.synapses[static_cast<std::size_t>(s)];
            const std::string name =
                "synapse" + std::to_string(si.config.pre + 1) + "to" + std::to_string(si.config.post + 1);
            if (si.config.kind == SynapseKind::Lumped) {
                MlpCurrent sy;
                sy.name = name + "/lumped";
                sy.net = typed.mlp;
                sy.vIn = q.v;                                                     // postsynaptic voltage
                sy.xIn = maps.neurons[static_cast<std::size_t>(si.config.pre)].z; // presynaptic bank
                sy.stateOffset = mc.appendStates(sb.denseA(), sb.denseB());
                mc.mlps.push_back(std::move(sy));
            } else {
                ConductanceCurrent c;
                c.name = name + "/conductance";
                c.syn = typed;
                c.zIn = maps.activation;
                c.eRev = model.config().e_syn_mV;
                const Eigen::VectorXd& lam = cb.poles();
                c.stateCount = static_cast<int>(lam.size());
                c.stateOffset =
                    mc.appendStates(Eigen::MatrixXd(lam.asDiagonal()), (1.0 - lam.array()).matrix());
                mc.conductances.push_back(std::move(c));
            }
        }
    }
    mc.check();
    return mc;
}

} // namespace rmm
