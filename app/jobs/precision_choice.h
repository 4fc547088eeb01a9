#pragma once
// The compute precision a command or job asked for, applied to its model: bf16 where this CPU serves it, else
// fp32 with one notice on stderr (once per process, however many models and runs).
#include "core/kernels/precision.h"
#include <nlohmann/json.hpp>

#include "core/models/model.h"

namespace dynamax::app {

// Sets the model's precision and returns the one it got (the one to store with a run).
Precision apply_precision(Model& model, Precision requested);

// The precision kept in a run's config JSON ("precision"; fp32 for runs recorded before it was kept); a value
// other than fp32 or bf16 is an Error naming it.
Precision stored_precision(const nlohmann::json& run_config);
// The same for display: "?" where stored_precision would throw.
std::string shown_precision(const nlohmann::json& run_config);

}  // namespace dynamax::app
