#include "app/jobs/train_exits_job.h"

#include "app/jobs/job_run.h"
#include "app/jobs/precision_choice.h"
#include "core/common/error.h"
#include "core/exits/classifier_file.h"
#include "core/exits/exit_placement.h"
#include "core/io/hf_cache.h"
#include "core/io/model_config.h"
#include "core/models/model.h"
#include "core/tasks/dataset.h"
#include "core/tokenize/tokenizer.h"
#include "storage/classifier_store.h"
#include "storage/run_store.h"
#include "storage/schema.h"

extern "C" void openblas_set_num_threads(int);

namespace dynamax::app {

namespace fs = std::filesystem;

// Without a validation spec, the last fifth of the training sequences (at least one) validate.
static void split_off_validation(ExitFeatures& train, ExitFeatures& valid) {
  if (train.sequences.size() < 2)
    throw Error("the training data has a single sequence: give --valid SPEC or more data to validate on");
  const size_t held = std::max<size_t>(1, train.sequences.size() / 5);
  valid.width = train.width;
  valid.depths = train.depths;
  valid.sequences.assign(std::make_move_iterator(train.sequences.end() - long(held)),
                         std::make_move_iterator(train.sequences.end()));
  train.sequences.resize(train.sequences.size() - held);
}

// Checked before the work starts, so that nothing is trained only to be refused at the end.
static void check_not_taken(const TrainExitsOptions& o, const std::string& name) {
  if (o.replace) return;
  if (fs::exists(o.out))
    throw Error(o.out.string() + ": the file exists; choose another output file, or replace it (--replace)");
  if (o.db_path) {
    Database db(*o.db_path);
    open_workspace(db);
    if (classifier_name_taken(db, name))
      throw Error(o.db_path->string() + ": the workspace already has a classifier named '" + name +
                  "'; choose another name, or replace it (--replace; runs keep the version they used)");
  }
}

TrainExitsResult run_train_exits_job(const TrainExitsOptions& options, const std::atomic<bool>& cancel,
                                     const std::function<void(const TrainExitsProgress&)>& progress) {
  TrainExitsOptions o = options;
  o.model_dir = resolve_model_folder(o.model_dir.string());
  const std::string name = o.name.empty() ? o.out.stem().string() : o.name;
  check_not_taken(o, name);
  if (o.threads > 0) openblas_set_num_threads(o.threads);
  const ModelConfig config = load_model_config(o.model_dir);
  auto tokenizer = load_tokenizer(o.model_dir);
  auto model = load_model(o.model_dir);
  const Precision precision = apply_precision(*model, o.precision);
  const std::vector<int> depths = validated_exit_depths(model->depth(), o.depths);
  ClassifierSpec spec = o.classifier;
  spec.width = model->hidden_size();
  TrainExitsResult result;
  result.classifier = std::make_unique<ExitClassifier>(name, spec, depths, model->depth(), o.training.seed);

  // The specs' sequences one after the other; progress counts over all of them.
  auto features = [&](const std::vector<std::string>& specs) {
    std::vector<std::unique_ptr<Dataset>> datasets;
    size_t total = 0;
    for (const std::string& text : specs) {
      datasets.push_back(open_dataset(parse_dataset_spec(text), *tokenizer, o.limit, &cancel));
      total += datasets.back()->size();
      const auto& skipped = datasets.back()->warnings();
      result.warnings.insert(result.warnings.end(), skipped.begin(), skipped.end());
    }
    ExitFeatures all;
    for (const auto& dataset : datasets) {
      const size_t before = all.sequences.size();
      ExitFeatures one = extract_exit_features(*model, *dataset, depths, o.labels, &cancel, [&](size_t done, size_t) {
        if (progress) progress({"features", before + done, total, std::nullopt});
      }, true, o.classifier.input);
      all.width = one.width;
      all.depths = one.depths;
      std::move(one.sequences.begin(), one.sequences.end(), std::back_inserter(all.sequences));
    }
    return all;
  };
  if (o.train_specs.empty()) throw Error("no training data was given");
  ExitFeatures train = features(o.train_specs), valid;
  if (o.valid_specs.empty())
    split_off_validation(train, valid);
  else
    valid = features(o.valid_specs);
  result.report = train_exit_classifier(*result.classifier, train, valid, o.training, [&](const EpochReport& e) {
    if (progress) progress({"training", size_t(e.epoch), size_t(e.epochs), e});
  }, &cancel);
  for (size_t e = 0; e < depths.size(); ++e) result.train_positive_rate.push_back(train.positive_rate(e));
  result.train_tokens = train.tokens();
  result.valid_tokens = valid.tokens();

  result.classifier->record = {
      {"model", fs::absolute(o.model_dir).string()}, {"architecture", architecture_name(config.arch)},
      {"data", {{"train", o.train_specs},
                {"valid", o.valid_specs.empty() ? nlohmann::json("last fifth of train") : nlohmann::json(o.valid_specs)},
                {"limit", o.limit}, {"train_tokens", result.train_tokens}, {"valid_tokens", result.valid_tokens}}},
      {"labels", {{"top_k", o.labels.top_k}, {"reverse", o.labels.reverse}}}, {"precision", precision_name(precision)},
      {"training", o.training.to_json()}, {"train_positive_rate", result.train_positive_rate},
      {"result", result.report.to_json()}};
  save_classifier(o.out, *result.classifier);
  if (o.db_path) {
    Database db(*o.db_path);
    open_workspace(db);
    RunStore store(db);
    const int64_t model_id = register_model(store, o.model_dir, config);
    result.db_id = store_classifier(db, {name, classifier_kind_name(spec.kind), model_id, depths,
                                         classifier_file_bytes(*result.classifier), result.classifier->record},
                                   o.replace);
  }
  return result;
}

}  // namespace dynamax::app
