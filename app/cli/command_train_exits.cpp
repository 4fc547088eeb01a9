// dynamax train-exits --model DIR --data SPEC (--kind linear|ffn|mamba | --preset workbench|dynamax-code)
//   [--input rms|raw] [--valid SPEC] [--depths 8,10,12,14]
//   [--top-k 5] [--reverse-labels] [--epochs N] [--seed S] [--limit N] --out FILE [--db FILE] [--name NAME] [--json]
//   [--replace] (a taken name or an existing --out file is an error without it; the workspace keeps the old version)
//   sizes: [--ffn-width N] [--activation silu|gelu|swiglu] [--inner N] [--heads N] [--state N]
//   optimiser: [--lr X] [--weight-decay X] [--batch N] [--patience N] [--threads N]
// Progress (loss per epoch) goes to stderr; the validation metrics per exit depth to stdout (or as JSON).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cancel_signal.h"
#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/precision_option.h"
#include "app/jobs/train_exits_job.h"
#include "app/jobs/train_exits_preset.h"
#include "core/common/error.h"

namespace dynamax::cli {

static float float_value(const Args& args, const std::string& name, float fallback) {
  const auto text = args.value(name);
  if (!text) return fallback;
  try {
    size_t used = 0;
    const float v = std::stof(*text, &used);
    if (used == text->size() && std::isfinite(v) && v >= 0) return v;
  } catch (const std::exception&) {
  }
  throw UsageError("--" + name + " needs a non-negative number, not '" + *text + "'");
}

static app::TrainExitsOptions parse_options(const Args& args) {
  app::TrainExitsOptions o;
  const auto model = args.value("model"), data = args.value("data"), kind = args.value("kind"), out = args.value("out");
  const auto preset = args.value("preset");
  if (!model || !data || (!kind && !preset) || !out)
    throw UsageError("'dynamax train-exits' needs --model DIR, --data SPEC, --kind linear|ffn|mamba (or --preset NAME) and --out FILE");
  if (preset) {
    try {
      apply_training_preset(*preset, o);
    } catch (const Error& e) {
      throw UsageError(std::string("--preset: ") + e.what());
    }
  }
  o.model_dir = *model;
  o.train_specs = args.values("data");
  o.valid_specs = args.values("valid");
  o.out = *out;
  if (auto db = args.value("db")) o.db_path = *db;
  o.name = args.value_or("name", "");
  o.replace = args.flag("replace");
  o.limit = size_t(args.int_value("limit", 0, 0, 1 << 30));
  o.threads = args.int_value("threads", 0, 0, 1024);
  o.precision = precision_option(args);
  if (args.value("depths")) o.depths = args.int_list("depths");
  o.labels.top_k = args.int_value("top-k", o.labels.top_k, 1, 1000);
  o.labels.reverse = o.labels.reverse || args.flag("reverse-labels");
  ClassifierSpec& s = o.classifier;
  if (kind) s.kind = parse_classifier_kind(*kind);
  if (auto input = args.value("input")) s.input = parse_classifier_input(*input);
  s.ffn_width = args.int_value("ffn-width", s.ffn_width, 1, 1 << 20);
  s.activation = parse_activation(args.value_or("activation", activation_name(s.activation)));
  s.mamba_inner = args.int_value("inner", s.mamba_inner, 1, 1 << 20);
  s.mamba_heads = args.int_value("heads", s.mamba_heads, 1, 1 << 20);
  s.mamba_state = args.int_value("state", s.mamba_state, 1, 1 << 20);
  TrainOptions& t = o.training;
  t.epochs = args.int_value("epochs", t.epochs, 1, 100000);
  t.seed = uint64_t(args.int_value("seed", 0, 0, 1 << 30));
  t.batch_sequences = args.int_value("batch", t.batch_sequences, 1, 1 << 20);
  t.patience = args.int_value("patience", t.patience, 1, 100000);
  const bool schedule_free = t.optimiser == Optimiser::ScheduleFreeAdamW;
  float& lr = schedule_free ? t.schedule_free.lr : t.adamw.lr;
  float& weight_decay = schedule_free ? t.schedule_free.weight_decay : t.adamw.weight_decay;
  lr = float_value(args, "lr", lr);
  weight_decay = float_value(args, "weight-decay", weight_decay);
  return o;
}

int run_train_exits(const Argv& argv) {
  Args args("train-exits", argv,
            {"model", "data", "kind", "preset", "input", "valid", "depths", "top-k", "epochs", "seed", "limit", "out", "db", "name",
             "ffn-width", "activation", "inner", "heads", "state", "lr", "weight-decay", "batch", "patience", "threads", "precision"},
            {"json", "reverse-labels", "replace"});
  const app::TrainExitsOptions o = parse_options(args);
  const app::TrainExitsResult r = app::run_train_exits_job(o, cancel_on_signals(), [](const app::TrainExitsProgress& p) {
    if (p.epoch)
      std::fprintf(stderr, "epoch %d/%d: train loss %.4f, validation loss %.4f%s\n", p.epoch->epoch, p.epoch->epochs,
                   p.epoch->train_loss, p.epoch->valid_loss, p.epoch->best ? " (best)" : "");
    else
      std::fprintf(stderr, "\rfeatures: %zu/%zu sequences   %s", p.done, p.total, p.done == p.total ? "\n" : "");
  });
  print_warnings("train-exits", r.warnings);
  const ExitClassifier& c = *r.classifier;
  if (args.flag("json")) {
    nlohmann::json j = {{"name", c.name()}, {"kind", classifier_kind_name(c.spec().kind)}, {"out", o.out.string()},
                        {"depths", c.depths()}, {"parameters_per_exit", c.parameters_per_exit()},
                        {"flops_per_token", c.flops_per_token()}, {"train_tokens", r.train_tokens},
                        {"valid_tokens", r.valid_tokens}, {"train_positive_rate", r.train_positive_rate},
                        {"best_epoch", r.report.best_epoch}, {"validation", r.report.to_json()["validation"]}};
    if (r.db_id) j["db_id"] = r.db_id;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::printf("%s classifier '%s': %lld parameters and %lld FLOPs per token per exit; kept epoch %d\n",
              classifier_kind_name(c.spec().kind), c.name().c_str(), (long long)c.parameters_per_exit(),
              (long long)c.flops_per_token(), r.report.best_epoch);
  std::printf("depth  train+  valid+   loss  accuracy  AUROC ± 1.96 SE\n");
  for (size_t e = 0; e < r.report.validation.size(); ++e) {
    const ExitMetrics& m = r.report.validation[e];
    std::printf("%5d  %6.3f  %6.3f  %5.3f  %8.3f  %5.3f ± %5.3f\n", m.depth, r.train_positive_rate[e], m.positive_rate,
                m.loss, m.accuracy, m.auroc, 1.96 * m.auroc_se);
  }
  std::printf("saved to %s%s\n", o.out.string().c_str(), r.db_id ? " and to the database" : "");
  return 0;
}

}  // namespace dynamax::cli
