// Weights saved and loaded as NumPy .npy files (xtensor's npy support), one file per parameter.
// Not a checkpoint format with optimizer state: values only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tt/module.hpp"

namespace tt {

void save_npy(const std::string& path, const Tensor& t);
// A little-endian float32 C-order .npy; anything else (wrong dtype, Fortran order, truncated
// data, bad magic) throws tt::data_error naming the file and what was found.
Tensor load_npy(const std::string& path);

using NamedParams = std::vector<std::pair<std::string, Param*>>;
// One "<dir>/<name>.npy" per parameter; the directory is created.
void save_weights(const NamedParams& params, const std::string& dir);
// Loads every parameter; a missing file or a shape that differs throws (data_error/shape_error).
void load_weights(const NamedParams& params, const std::string& dir);

}  // namespace tt
