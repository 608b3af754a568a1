// SPDX-License-Identifier: GPL-3.0-or-later
// Model file (HDF5): format version, model settings, every parameter block, the frozen input
// normalisation and the full experiment config JSON. Written atomically.
#pragma once
#include "engine/model/circuit_model.hpp"

#include <map>
#include <string>

namespace rmm {

constexpr int kModelFileVersion = 1;

struct ModelFile {
    CircuitModel model;
    std::string config_json;                   ///< full experiment config as written ("" if none)
    std::map<std::string, std::string> extra;  ///< free-form strings under /extra (e.g. best_epoch)
    int format_version = kModelFileVersion;
};

/// Writes `path` atomically. `configJson` is stored verbatim; `extra` as string attributes.
void saveModel(const std::string& path, const CircuitModel& model, const std::string& configJson = "",
               const std::map<std::string, std::string>& extra = {});

/// Reads a model file; throws rmm::Error naming the file and object on a missing/invalid part or
/// an unsupported format version.
ModelFile loadModel(const std::string& path);

} // namespace rmm
