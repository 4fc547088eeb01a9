#include "app/jobs/record_job.h"

#include <chrono>
#include <set>

#include "app/jobs/job_run.h"
#include "app/jobs/precision_choice.h"
#include "app/jobs/sample_recorder.h"
#include "app/jobs/stored_classifier_file.h"
#include "core/common/error.h"
#include "core/exits/classifier_file.h"
#include "core/exits/exit_record.h"
#include "core/io/hf_cache.h"
#include "core/io/model_config.h"
#include "core/models/model.h"
#include "core/tasks/dataset.h"
#include "core/tasks/dataset_spec.h"
#include "core/tokenize/tokenizer.h"
#include "storage/run_store.h"
#include "storage/schema.h"

extern "C" void openblas_set_num_threads(int);

namespace dynamax::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The options a run is defined by, kept with it so a resume needs nothing else.
// The classifiers' cost per evaluation goes with them: the analysis charges it to their measure's compute.
static nlohmann::json run_config(const RecordOptions& o, const fs::path& model_dir,
                                 const std::vector<std::unique_ptr<ExitClassifier>>& classifiers) {
  nlohmann::json classifier_paths = nlohmann::json::array(), classifier_flops = nlohmann::json::object();
  for (const fs::path& file : o.classifiers) classifier_paths.push_back(fs::absolute(file).string());
  for (const auto& c : classifiers) classifier_flops[c->name()] = c->flops_per_token();
  return {{"model", fs::absolute(model_dir).string()}, {"dataset", o.dataset_spec}, {"limit", o.limit},
          {"top_k", o.top_k}, {"exit_head", exit_head_name(o.exit_head)}, {"threads", o.threads},
          {"shared_prefixes", o.shared_prefixes}, {"precision", precision_name(o.precision)},
          {"classifiers", classifier_paths},
          {"classifier_flops", classifier_flops}};
}

// The classifiers' files, checked against the model; their names become the score columns' names.
static std::vector<std::unique_ptr<ExitClassifier>> load_classifiers(const std::vector<fs::path>& files, const Model& model,
                                                                     const fs::path& model_dir) {
  std::vector<std::unique_ptr<ExitClassifier>> classifiers;
  std::set<std::string> names;
  for (const fs::path& file : files) {
    classifiers.push_back(load_classifier(file));
    check_classifier_fits(*classifiers.back(), model.hidden_size(), model.depth(), model_dir.string());
    if (!names.insert(classifiers.back()->name()).second)
      throw Error("two classifiers are named '" + classifiers.back()->name() + "'");
  }
  return classifiers;
}

std::string fewer_samples_note(size_t limit, size_t dataset_samples) {
  if (limit <= dataset_samples) return {};
  return "the dataset has " + std::to_string(dataset_samples) + " samples, fewer than the " + std::to_string(limit) +
         " asked for: all " + std::to_string(dataset_samples) + " are recorded";
}

RecordResult run_record_job(const RecordOptions& options, const std::atomic<bool>& cancel,
                            const std::function<void(const RecordProgress&)>& progress) {
  Database db(options.db_path);
  open_workspace(db);
  RunStore store(db);
  RecordOptions o = options;
  int64_t run_id = 0;
  if (o.resume_run) {
    const RunInfo info = store.claim_run(*o.resume_run, "record", o.force);
    read_stored_config(db, info, [&] {
      o.model_dir = info.config.value("model", std::string());
      o.dataset_spec = info.config.value("dataset", std::string());
      o.limit = info.config.value("limit", size_t(0));
      o.top_k = info.config.value("top_k", 0);
      o.exit_head = parse_exit_head(info.config.value("exit_head", std::string("direct")));
      o.shard = shard_of_run(info.config);
      o.shared_prefixes = info.config.value("shared_prefixes", false);  // runs before schema 3 shared none
      o.precision = stored_precision(info.config);
      for (const std::string& file : info.config.value("classifiers", std::vector<std::string>()))
        o.classifiers.push_back(pinned_classifier_file(o.db_path, file));
    });
    run_id = info.id;
  }
  o.model_dir = resolve_model_folder(o.model_dir.string());
  if (o.top_k < 0) throw Error("top-k must not be negative");
  for (const std::string& name : o.stored_classifiers) o.classifiers.push_back(export_stored_classifier(o.db_path, name));
  if (o.threads > 0) openblas_set_num_threads(o.threads);

  const ModelConfig config = load_model_config(o.model_dir);
  auto tokenizer = load_tokenizer(o.model_dir);
  const DatasetSpec spec = parse_dataset_spec(o.dataset_spec);
  auto dataset = open_dataset(spec, *tokenizer, o.limit, &cancel);
  auto model = load_model(o.model_dir);
  o.precision = apply_precision(*model, o.precision);
  const auto classifiers = load_classifiers(o.classifiers, *model, o.model_dir);
  std::vector<const ExitScorer*> scorers;
  for (const auto& c : classifiers) scorers.push_back(c.get());
  // A new run points to copies kept by content, so that retraining or editing the files later changes nothing.
  if (!o.resume_run) {
    o.classifiers.clear();
    for (const auto& c : classifiers) o.classifiers.push_back(pin_classifier(o.db_path, *c));
  }

  // The last-block head runs block L over a whole sequence's exit states, so it records every sample whole.
  if (o.exit_head == ExitHead::LastBlock) o.shared_prefixes = false;
  const size_t first = o.shard.begin(dataset->size()), end = o.shard.end(dataset->size());
  nlohmann::json config_json = run_config(o, o.model_dir, classifiers);
  if (run_id == 0) config_json.update(content_identity(o.model_dir, spec, o.shard));
  run_id = create_or_claim_run(store, run_id, "record", o.model_dir, config, spec, o.dataset_spec, config_json,
                               int64_t(end - first));

  RecordResult result;
  result.run_id = run_id;
  result.warnings = dataset->warnings();
  result.status = run_to_completion(store, run_id, [&] {
    SampleRecorder recorder(db, run_id, *model, o.top_k, scorers, o.exit_head, cancel);
    const std::set<int64_t> stored = store.finished_sample_indices(run_id);
    RecordProgress p;
    p.run_id = run_id;
    p.samples_total = end - first;
    p.samples_done = stored.size();
    const auto start = Clock::now();
    recorder.on_sample = [&](int tokens) {
      ++p.samples_done;
      p.tokens_done += tokens;
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      p.tokens_per_second = elapsed > 0 ? p.tokens_done / elapsed : 0;
      const size_t remaining = p.samples_total - p.samples_done;
      const double per_sample = elapsed / double(p.samples_done - stored.size());
      p.eta_seconds = per_sample * double(remaining);
      if (progress) progress(p);
    };
    recorder.record_all(*dataset, first, end, stored, o.shared_prefixes);
  });
  const RunInfo info = store.run(run_id);
  result.samples = size_t(info.samples_done);
  result.tokens = info.tokens;
  return result;
}

}  // namespace dynamax::app
