#pragma once
// Named training configurations for `train-exits --preset` and the Train dialog. A preset sets defaults; options
// given alongside it still override them.
//   workbench     ours: label "exit's top-1 among the full model's top-5", weights ∝ depth, AdamW with early
//                 stopping, inputs h_d / RMS(h_d)
//   dynamax-code  the DYNAMAX authors' code (Xigm/EE_clean train.py, models/mistral/model_EE.py): a linear exit,
//                 label "full model's top-1 among the exit's top-15", weights 1:2:3:4 by exit index, one schedule-free
//                 AdamW per exit at lr 2.5e-4 without weight decay, one sequence per step, no early stopping, the raw
//                 hidden state as input (docs/FIDELITY.md lists what still differs)
#include <string>
#include <vector>

#include "app/jobs/train_exits_job.h"

namespace dynamax::app {

const std::vector<std::string>& training_preset_names();
// Throws dynamax::Error naming the valid presets for an unknown one.
void apply_training_preset(const std::string& name, TrainExitsOptions& options);

}  // namespace dynamax::app
