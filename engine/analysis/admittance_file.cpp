// SPDX-License-Identifier: GPL-3.0-or-later
// HDF5 output of an admittance analysis (layout documented in admittance.hpp).
#include "engine/analysis/admittance.hpp"

#include "engine/core/atomic_file.hpp"
#include "engine/h5/h5.hpp"

#include <numbers>

namespace rmm {

void saveAdmittanceMap(const std::string& path, const AdmittanceMap& map, const std::string& modelPath)
{
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    writeAtomically(path, [&](const std::string& tmp) {
        auto f = h5::File::create(tmp);
        f.setAttr("/", "content", std::string("rmm admittance analysis"));
        f.setAttr("/", "neuron", static_cast<double>(map.neuron + 1));
        f.setAttr("/", "neuron_numbering", std::string("1-based, as the channel names v1, v2, ..."));
        f.setAttr("/", "with_synapses", map.withSynapses ? 1.0 : 0.0);
        f.setAttr("/", "dt_ms", map.dtMs);
        f.setAttr("/", "capacitance_nF", map.capacitance);
        f.setAttr("/", "max_pole_modulus", map.maxPoleModulus);
        f.setAttr("/", "contracting", map.maxPoleModulus < 1 ? 1.0 : 0.0);
        if (!modelPath.empty())
            f.setAttr("/", "model", modelPath);
        f.writeDoubles("/v_mV", map.v);
        f.writeDoubles("/omega_rad_per_ms", map.omega);
        std::vector<double> hz(map.omega.size());
        for (std::size_t k = 0; k < hz.size(); ++k)
            hz[k] = map.omega[k] / (2 * std::numbers::pi) * 1000.0;
        f.writeDoubles("/frequency_Hz", hz);
        const RowMajor G = map.G, B = map.B;
        f.writeMatrix("/G_uS", G.data(), static_cast<hsize_t>(G.rows()), static_cast<hsize_t>(G.cols()));
        f.setAttr("/G_uS", "dims", std::string("omega x v (row = frequency, column = voltage)"));
        f.writeMatrix("/B_uS", B.data(), static_cast<hsize_t>(B.rows()), static_cast<hsize_t>(B.cols()));
        f.setAttr("/B_uS", "dims", std::string("omega x v (row = frequency, column = voltage)"));
        f.writeDoubles("/iv_nA", map.iv);
        f.writeDoubles("/gv_uS", map.gv);
        f.writeDoubles("/g_inf_zero_crossings_mV", map.gInfZeroCrossings);
        std::vector<double> cv, cw, ck, cr;
        for (const auto& c : map.candidates) {
            cv.push_back(c.vMv);
            cw.push_back(c.omegaRadPerMs);
            ck.push_back(c.kind == CandidateKind::Fold ? 0.0 : 1.0);
            cr.push_back(c.residual);
        }
        f.createGroup("/candidates");
        f.writeDoubles("/candidates/v_mV", cv);
        f.writeDoubles("/candidates/omega_rad_per_ms", cw);
        f.writeDoubles("/candidates/kind", ck);
        f.setAttr("/candidates/kind", "codes",
                  std::string("0 = fold (omega = 0), 1 = Neimark-Sacker (omega > 0)"));
        f.writeDoubles("/candidates/residual", cr);
    });
}

} // namespace rmm
