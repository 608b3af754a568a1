// SPDX-License-Identifier: GPL-3.0-or-later
// Model file (HDF5): format version, model settings, every parameter block, the frozen input
// normalisation and the full experiment config JSON. Written atomically.
#pragma once
#include "engine/model/circuit_model.hpp"

#include <map>
#include <string>

namespace rmm {

/// 1: first version. 2: every dataset, and /model for its attributes, carries a CRC-32 of its values
/// (attribute `crc32`), verified on load; version-1 files still load, without that check.
constexpr int kModelFileVersion = 2;

struct ModelFile {
    CircuitModel model;
    std::string config_json;                  ///< full experiment config as written ("" if none)
    std::map<std::string, std::string> extra; ///< free-form strings under /extra (e.g. best_epoch)
    int format_version = kModelFileVersion;
};

/// Writes `path` atomically. `configJson` is stored verbatim; `extra` as string attributes.
void saveModel(const std::string& path, const CircuitModel& model, const std::string& configJson = "",
               const std::map<std::string, std::string>& extra = {});

/// Reads a model file; throws rmm::Error naming the file and object on a missing/invalid part, a
/// checksum mismatch (damaged file), a non-finite parameter or normalisation value, or an
/// unsupported format version. The HDF5 reads run in a child process first (h5::isolated), so a
/// damaged file that crashes libhdf5 gives an rmm::Error too.
ModelFile loadModel(const std::string& path);

} // namespace rmm
