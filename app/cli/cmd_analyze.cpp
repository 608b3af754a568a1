// SPDX-License-Identifier: GPL-3.0-or-later
// `rmm analyze`: IV/GV curves, admittance maps and candidate bifurcations of one neuron of a
// trained model (docs/method.md section 6).
#include "command.hpp"
#include "engine/analysis/admittance.hpp"
#include "engine/core/error.hpp"
#include "engine/core/utf8.hpp"
#include "engine/store/model_file.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <numbers>

namespace rmm::cli {
namespace {

double toHz(double omegaRadPerMs)
{
    return omegaRadPerMs / (2 * std::numbers::pi) * 1000.0;
}

int analyze(const Args& args)
{
    args.allowOnly({"model", "neuron", "out", "json", "vmin", "vmax", "vstep", "wmin", "wmax", "wcount",
                    "with-synapses"});
    if (!args.positional().empty())
        throw Error("unexpected argument '" + args.positional().front() + "' (use --model FILE --neuron I)");
    const std::string modelPath = args.require("model");
    const long neuron1 = args.integer("neuron", 0);
    if (!args.get("neuron"))
        throw Error("missing required option --neuron (1-based, as in the channel names v1, v2, ...)");

    AdmittanceSettings s;
    s.vMin = args.number("vmin", s.vMin);
    s.vMax = args.number("vmax", s.vMax);
    s.vStep = args.number("vstep", s.vStep);
    s.wMin = args.number("wmin", s.wMin);
    s.wMax = args.number("wmax", s.wMax);
    const long wcount = args.integer("wcount", s.wCount);
    if (wcount < 1 || wcount > 100000)
        throw Error("--wcount must be between 1 and 100000 (got " + std::to_string(wcount) + ")");
    s.wCount = static_cast<int>(wcount);
    s.withSynapses = args.flag("with-synapses");

    const ModelFile mf = loadModel(modelPath);
    if (neuron1 < 1 || neuron1 > mf.model.neurons())
        throw Error(modelPath + ": --neuron " + std::to_string(neuron1) + " is out of range; the model has " +
                    std::to_string(mf.model.neurons()) + " neuron(s), numbered 1.." +
                    std::to_string(mf.model.neurons()));
    const AdmittanceMap map = analyzeNeuron(mf.model, static_cast<int>(neuron1 - 1), s);
    if (auto out = args.get("out"))
        saveAdmittanceMap(*out, map, modelPath);

    if (args.flag("json")) {
        nlohmann::json j;
        j["neuron"] = neuron1;
        j["with_synapses"] = s.withSynapses;
        j["capacitance_nF"] = map.capacitance;
        j["contraction"] = {{"max_pole_modulus", map.maxPoleModulus},
                            {"contracting", map.maxPoleModulus < 1}};
        j["candidates"] = nlohmann::json::array();
        for (const auto& c : map.candidates)
            j["candidates"].push_back({{"v_mV", c.vMv},
                                       {"omega_rad_per_ms", c.omegaRadPerMs},
                                       {"frequency_Hz", toHz(c.omegaRadPerMs)},
                                       {"kind", toString(c.kind)},
                                       {"relative_residual", c.relResidual}});
        j["g_inf_zero_crossings_mV"] = map.gInfZeroCrossings;
        if (auto out = args.get("out"))
            j["out"] = *out;
        makeValidUtf8(j); // names and units from files may hold any bytes; JSON must be UTF-8
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << "model:    " << modelPath << "\n"
              << "neuron:   " << neuron1
              << (s.withSynapses ? " (with synapses onto it)" : " (intrinsic + leak)") << "\n"
              << "C:        " << map.capacitance << " nF\n"
              << "poles:    largest modulus " << std::setprecision(12) << map.maxPoleModulus
              << (map.maxPoleModulus < 1 ? " (contracting)" : " (NOT contracting)") << std::setprecision(6)
              << "\n"
              << "grid:     " << map.v.size() << " voltages in [" << s.vMin << ", " << s.vMax << "] mV x "
              << map.omega.size() << " frequencies in [" << s.wMin << ", " << s.wMax << "] rad/ms\n"
              << "G:        [" << map.G.minCoeff() << ", " << map.G.maxCoeff() << "] uS\n";
    std::cout << "G_inf = 0 at:";
    if (map.gInfZeroCrossings.empty())
        std::cout << " (none in range)";
    for (double v : map.gInfZeroCrossings)
        std::cout << " " << v << " mV";
    std::cout << "\ncandidate bifurcations (" << map.candidates.size() << "):\n";
    for (const auto& c : map.candidates)
        std::cout << "  " << std::left << std::setw(15) << toString(c.kind) << std::right
                  << " v = " << std::setw(10) << c.vMv << " mV  w = " << std::setw(10) << c.omegaRadPerMs
                  << " rad/ms (" << toHz(c.omegaRadPerMs) << " Hz)\n";
    if (auto out = args.get("out"))
        std::cout << "wrote " << *out << "\n";
    return 0;
}

const Registrar
    reg({"analyze",
         "IV/GV curves, admittance map and candidate bifurcations of one neuron",
         "--model MODEL.h5 --neuron I [--out analysis.h5] [--json]\n"
         "         [--vmin -60 --vmax -35 --vstep 0.1] [--wmin 5e-3 --wmax 20 --wcount 200]\n"
         "         [--with-synapses]\n"
         "  I is 1-based, as in the channel names v1, v2, ...\n"
         "  Voltages in mV, angular frequencies w in rad/ms (f = w / 2pi * 1000 Hz), log-spaced.\n"
         "  Without --with-synapses the current is intrinsic + leak (synaptic input external, as\n"
         "  in the paper); with it, the synapses onto the neuron are added with every neuron\n"
         "  clamped to the same voltage.\n"
         "  --out writes /v_mV, /omega_rad_per_ms, /frequency_Hz, /G_uS and /B_uS (omega x v),\n"
         "  /iv_nA, /gv_uS, /g_inf_zero_crossings_mV and /candidates/*.",
         {"json", "with-synapses"},
         analyze});

} // namespace
} // namespace rmm::cli
