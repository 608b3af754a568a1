// SPDX-License-Identifier: GPL-3.0-or-later
// A small recording for CLI tests: two alternately bursting cells (slow anti-phase waves with
// spikes on the up phase), noisy injected currents (an Ornstein-Uhlenbeck process) and,
// optionally, a "synaptic" current that follows the other cell's voltage. Two trials.
#pragma once
#include "engine/recording/recording.hpp"

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace rmmtest {

struct BurstingPair {
    std::size_t samples = 6000; ///< per trial, at 10 kHz
    unsigned seed = 3;
    double period_ms = 300;    ///< of the slow wave, in the first trial
    double period_step_ms = 0; ///< added per further trial
    bool isyn = false;         ///< add Isyn1, Isyn2 (nA)
    bool u_in_pA = false;      ///< injected currents in pA instead of nA
    std::string source = "bursting-pair";
};

inline rmm::Recording burstingPair(const BurstingPair& o)
{
    rmm::Recording rec;
    rec.source = o.source;
    rec.dt_ms = 0.1;
    std::mt19937 rng(o.seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    for (int trial = 0; trial < 2; ++trial) {
        rmm::Trial t;
        t.name = "trial" + std::to_string(trial + 1);
        std::vector<double> v[2], u[2];
        for (int i = 0; i < 2; ++i) {
            v[i].resize(o.samples);
            u[i].resize(o.samples);
            double ou = 0;
            for (std::size_t k = 0; k < o.samples; ++k) {
                const double tms = static_cast<double>(k) * rec.dt_ms;
                const double phase = 2 * M_PI * tms / (o.period_ms + o.period_step_ms * trial) + M_PI * i;
                double x = -52 + 6 * std::sin(phase);
                if (std::sin(phase) > 0.3)
                    x += 35 * std::exp(-std::fmod(tms, 25.0) / 0.8);
                ou += -0.04 * ou * rec.dt_ms + 0.1 * std::sqrt(rec.dt_ms) * noise(rng);
                v[i][k] = x + 0.3 * noise(rng);
                u[i][k] = ou;
            }
        }
        for (int i = 0; i < 2; ++i) {
            const std::string n = std::to_string(i + 1);
            t.channels.push_back({"v" + n, "mV", v[i]});
            std::vector<double> current(u[i]);
            if (o.u_in_pA)
                for (auto& x : current)
                    x *= 1000;
            t.channels.push_back({"u" + n, o.u_in_pA ? "pA" : "nA", current});
            if (o.isyn) {
                std::vector<double> is(o.samples);
                for (std::size_t k = 0; k < o.samples; ++k)
                    is[k] = -0.02 * (v[1 - i][k] + 52); // nA
                t.channels.push_back({"Isyn" + n, "nA", is});
            }
        }
        rec.trials.push_back(std::move(t));
    }
    return rec;
}

} // namespace rmmtest
