#include "app/jobs/train_exits_preset.h"

#include "core/common/error.h"

namespace dynamax::app {

const std::vector<std::string>& training_preset_names() {
  static const std::vector<std::string> names = {"workbench", "dynamax-code"};
  return names;
}

void apply_training_preset(const std::string& name, TrainExitsOptions& o) {
  if (name == "workbench") {
    const TrainExitsOptions defaults;
    o.classifier = defaults.classifier;
    o.labels = defaults.labels;
    o.training = defaults.training;
    return;
  }
  if (name != "dynamax-code") throw Error("unknown training preset '" + name + "'; valid: workbench, dynamax-code");
  o.classifier.kind = ClassifierKind::Linear;
  o.classifier.input = ClassifierInput::Raw;
  o.labels = {15, true};
  TrainOptions& t = o.training;
  t.optimiser = Optimiser::ScheduleFreeAdamW;
  t.schedule_free = {};  // lr 2.5e-4, betas 0.9/0.999, eps 1e-8, no weight decay: schedulefree's defaults as they call it
  t.loss_weights = ExitLossWeights::ExitIndex;
  t.depth_weights.clear();
  t.early_stopping = false;
  t.batch_sequences = 1;
}

}  // namespace dynamax::app
