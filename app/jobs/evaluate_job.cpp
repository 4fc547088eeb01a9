#include "app/jobs/evaluate_job.h"

#include <chrono>
#include <cmath>
#include <sstream>

#include "app/jobs/job_run.h"
#include "app/jobs/precision_choice.h"
#include "app/jobs/stored_classifier_file.h"
#include "core/common/error.h"
#include "core/exits/classifier_file.h"
#include "core/exits/early_exit_scoring.h"
#include "core/io/hf_cache.h"
#include "core/io/model_config.h"
#include "core/tasks/choice_metrics.h"
#include "core/tasks/consistency_metrics.h"
#include "core/tasks/dataset.h"
#include "core/tasks/answer_metrics.h"
#include "core/tokenize/tokenizer.h"
#include "storage/generation_writer.h"
#include "storage/run_store.h"
#include "storage/schema.h"

extern "C" void openblas_set_num_threads(int);

namespace dynamax::app {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

bool generates(const std::string& kind) { return kind == "triviaqa" || kind == "coqa" || kind == "truthfulqa"; }

json run_config(const EvaluateOptions& o) {
  return {{"model", fs::absolute(o.model_dir).string()}, {"dataset", o.dataset_spec}, {"limit", o.limit},
          {"max_new", o.max_new_tokens}, {"measure", o.measure.name()}, {"thresholds", o.thresholds},
          {"depths", o.depths}, {"min_depth", o.min_depth}, {"kv_strategy", kv_strategy_name(o.skip.kv)},
          {"state_strategy", state_strategy_name(o.skip.state)}, {"exit_head", exit_head_name(o.exit_head)},
          {"stop", o.stop_strings},
          {"repetition_penalty", o.repetition.penalty}, {"penalty_window", o.repetition.window},
          {"precision", precision_name(o.precision)},
          {"classifier", o.classifier_file.empty() ? std::string() : fs::absolute(o.classifier_file).string()},
          {"shared_prefixes", o.shared_prefixes}, {"metrics", metric_conventions_name(o.metrics)}};
}

EvaluateOptions options_of_run(const RunInfo& info, EvaluateOptions o) {
  const json& c = info.config;
  o.model_dir = c.value("model", std::string());
  o.dataset_spec = c.value("dataset", std::string());
  o.limit = c.value("limit", size_t(0));
  o.shard = shard_of_run(c);
  o.max_new_tokens = c.value("max_new", 32);
  o.measure = parse_measure(c.value("measure", std::string("max-prob")));
  o.thresholds = c.value("thresholds", std::vector<double>{});
  o.depths = c.value("depths", std::vector<int>{});
  o.min_depth = c.value("min_depth", 1);
  o.skip = {parse_kv_strategy(c.value("kv_strategy", std::string("recompute"))),
            parse_state_strategy(c.value("state_strategy", std::string("keep")))};
  o.exit_head = parse_exit_head(c.value("exit_head", std::string("direct")));  // runs before the choice: direct
  o.stop_strings = c.value("stop", std::vector<std::string>{});
  o.repetition = {c.value("repetition_penalty", 1.0f), c.value("penalty_window", 0)};
  o.classifier_file = c.value("classifier", std::string());
  o.precision = stored_precision(c);
  o.shared_prefixes = c.value("shared_prefixes", true);  // the answers are the same either way; only the time differs
  o.metrics = parse_metric_conventions(c.value("metrics", std::string("official")));  // runs before --metrics: official
  return o;
}

void add_consistency(json& metrics, const Generation& full, const Generation& early) {
  const AnswerConsistency c = answer_consistency(full.text, early.text, full.ids, early.ids);
  metrics["consistency_em"] = c.exact_match;
  metrics["consistency_f1"] = c.f1;
  metrics["consistency_rouge_l"] = c.rouge_l;
  metrics["first_divergence"] = c.first_divergence;
}

// The counts of a teacher-forced pass, in a Generation so every kind is stored alike.
void add_forced(Generation& g, const ForcedScores& s, double seconds) {
  g.blocks_executed += s.blocks_executed;
  g.blocks_full += s.blocks_full;
  g.decode_seconds += seconds;
}

class Evaluator {
 public:
  // `classifier`: the loaded o.classifier_file, or null.
  Evaluator(Model& model, const Tokenizer& tokenizer, const EvaluateOptions& o, const std::string& kind,
            const ExitClassifier* classifier, const std::atomic<bool>& cancel)
      : model_(model), tokenizer_(tokenizer), o_(o), kind_(kind), cancel_(cancel) {
    const ExitPolicy policy = make_exit_policy(model.depth(), o.depths, o.min_depth);
    const std::vector<int> full_depth = {model.depth()};
    // The full model decides nothing: no measure, no classifier to pay for.
    const ExitRule full{parse_measure("max-prob"), INFINITY, make_exit_policy(model.depth(), full_depth)};
    steppers_.emplace_back("full", std::make_unique<EarlyExitStepper>(model, full, o.skip));
    for (double t : o.thresholds) {
      // Each policy follows the classifier's states through its own tokens.
      streams_.push_back(classifier ? std::make_unique<ClassifierStream>(*classifier) : nullptr);
      steppers_.emplace_back(policy_name(o.measure, t), std::make_unique<EarlyExitStepper>(
                                                            model, ExitRule{o.measure, t, policy, o.exit_head}, o.skip, streams_.back().get()));
    }
    if (o.shared_prefixes)
      for (auto& [name, stepper] : steppers_) stepper->share_prefills(&prefilled_);
  }

  std::vector<PolicyOutcome> evaluate(const Sample& sample) {
    if (generates(kind_)) return generate(sample);
    if (kind_ == "truthfulqa-mc") return choices(sample);
    return text(sample);
  }

 private:
  std::vector<PolicyOutcome> generate(const Sample& sample) {
    GenerationOptions g;
    g.max_new_tokens = o_.max_new_tokens;
    g.eos_id = tokenizer_.eos_id;
    g.stop_strings = o_.stop_strings.empty() ? std::vector<std::string>{"\n"} : o_.stop_strings;
    g.decode = [&](std::span<const int32_t> ids) { return tokenizer_.decode(ids); };
    g.repetition = o_.repetition;
    g.cancel = &cancel_;
    const std::span<const int32_t> prompt(sample.ids.data(), size_t(sample.prompt_tokens));
    std::vector<PolicyOutcome> out;
    for (auto& [name, stepper] : steppers_) {
      PolicyOutcome p{name, sample.prompt_tokens, generate_early_exit(*stepper, prompt, g), {}};
      p.metrics = answer_metrics(kind_, p.generation.text, sample.gold, sample.incorrect, o_.metrics);
      add_consistency(p.metrics, out.empty() ? p.generation : out.front().generation, p.generation);
      out.push_back(std::move(p));
    }
    return out;
  }

  // Log-likelihood of " " + choice after the prompt, tokenized jointly as the datasets do.
  double choice_logprob(EarlyExitStepper& stepper, const Sample& sample, const std::string& choice, Generation& g) {
    Sample joined;
    joined.prompt = sample.prompt;
    joined.answer = " " + choice;
    tokenize_sample(joined, tokenizer_);
    const auto t0 = Clock::now();
    const ForcedScores s = score_continuation(stepper, std::span(joined.ids).first(size_t(joined.prompt_tokens)),
                                              std::span(joined.ids).subspan(size_t(joined.prompt_tokens)));
    add_forced(g, s, std::chrono::duration<double>(Clock::now() - t0).count());
    return s.total_logprob();
  }

  std::vector<PolicyOutcome> choices(const Sample& sample) {
    std::vector<PolicyOutcome> out;
    for (auto& [name, stepper] : steppers_) {
      PolicyOutcome p{name, sample.prompt_tokens, {}, {}};
      auto logprobs = [&](const std::vector<std::pair<std::string, int>>& options) {
        std::vector<double> lp;
        std::vector<int> labels;
        for (const auto& [text, label] : options) {
          if (cancel_.load()) throw Cancelled();
          lp.push_back(choice_logprob(*stepper, sample, text, p.generation));
          labels.push_back(label);
        }
        return std::pair{lp, labels};
      };
      if (!sample.choices.empty()) {
        const auto [lp, labels] = logprobs(sample.choices);
        p.metrics["mc1"] = mc1_score(lp, labels, o_.metrics);
      }
      if (!sample.choices_mc2.empty()) {
        const auto [lp, labels] = logprobs(sample.choices_mc2);
        p.metrics["mc2"] = mc2_score(lp, labels);
      }
      out.push_back(std::move(p));
    }
    return out;
  }

  std::vector<PolicyOutcome> text(const Sample& sample) {
    const size_t prompt = std::max<size_t>(1, size_t(sample.prompt_tokens));
    const std::span<const int32_t> ids(sample.ids);
    std::vector<PolicyOutcome> out;
    std::vector<int32_t> full_top1;
    for (auto& [name, stepper] : steppers_) {
      if (cancel_.load()) throw Cancelled();
      PolicyOutcome p{name, int(prompt), {}, {}};
      const auto t0 = Clock::now();
      const ForcedScores s = score_continuation(*stepper, ids.first(prompt), ids.subspan(prompt));
      add_forced(p.generation, s, std::chrono::duration<double>(Clock::now() - t0).count());
      LanguageModelScore lm;
      for (size_t i = 0; i < s.logprobs.size(); ++i) lm.add(s.logprobs[i], s.top1[i] == ids[prompt + i]);
      if (out.empty()) full_top1 = s.top1;
      size_t agree = 0;
      for (size_t i = 0; i < s.top1.size(); ++i) agree += s.top1[i] == full_top1[i];
      p.metrics = {{"next_token_accuracy", lm.accuracy()}, {"perplexity", lm.perplexity()}, {"nll", lm.nll},
                   {"scored_tokens", lm.tokens},
                   {"consistency_top1", s.top1.empty() ? 1.0 : double(agree) / double(s.top1.size())}};
      out.push_back(std::move(p));
    }
    return out;
  }

  Model& model_;
  const Tokenizer& tokenizer_;
  const EvaluateOptions& o_;
  std::string kind_;
  const std::atomic<bool>& cancel_;
  std::vector<std::unique_ptr<ClassifierStream>> streams_;
  PrefilledPrompt prefilled_;  // the last prompt's prefill, continued by every policy (and every choice)
  std::vector<std::pair<std::string, std::unique_ptr<EarlyExitStepper>>> steppers_;
};

}  // namespace

std::string policy_name(const ConfidenceMeasure& measure, double threshold) {
  std::ostringstream s;
  s << measure.name() << "@" << threshold;
  return s.str();
}

EvaluateResult run_evaluate_job(const EvaluateOptions& options, const std::atomic<bool>& cancel,
                                const std::function<void(const EvaluateProgress&)>& progress) {
  Database db(options.db_path);
  open_workspace(db);
  RunStore store(db);
  EvaluateOptions o = options;
  int64_t run_id = 0;
  if (o.resume_run) {
    const RunInfo info = store.claim_run(*o.resume_run, "evaluate", o.force);
    read_stored_config(db, info, [&] { o = options_of_run(info, o); });
    run_id = info.id;
  }
  o.model_dir = resolve_model_folder(o.model_dir.string());
  if (o.thresholds.empty()) throw Error("evaluate: no thresholds");
  if (o.measure.kind == MeasureKind::Classifier && o.classifier_file.empty())
    o.classifier_file = export_stored_classifier(o.db_path, o.measure.classifier);
  std::unique_ptr<ExitClassifier> classifier;
  if (!o.classifier_file.empty()) {
    if (o.resume_run) o.classifier_file = pinned_classifier_file(o.db_path, o.classifier_file);
    classifier = load_classifier(o.classifier_file);
    if (o.measure.kind == MeasureKind::Classifier && o.depths.empty()) o.depths = classifier->depths();
    // A new run points to a copy kept by content, so that retraining or editing the file later changes nothing.
    if (!o.resume_run) o.classifier_file = pin_classifier(o.db_path, *classifier);
  }
  if (o.threads > 0) openblas_set_num_threads(o.threads);

  const ModelConfig config = load_model_config(o.model_dir);
  auto tokenizer = load_tokenizer(o.model_dir);
  const DatasetSpec spec = parse_dataset_spec(o.dataset_spec);
  auto dataset = open_dataset(spec, *tokenizer, o.limit, &cancel);
  auto model = load_model(o.model_dir);
  o.precision = apply_precision(*model, o.precision);
  // Checks the policy before a run exists.
  Evaluator evaluator(*model, *tokenizer, o, dataset->kind(), classifier.get(), cancel);

  const size_t first = o.shard.begin(dataset->size()), end = o.shard.end(dataset->size());
  json config_json = run_config(o);
  if (run_id == 0) config_json.update(content_identity(o.model_dir, spec, o.shard));
  run_id = create_or_claim_run(store, run_id, "evaluate", o.model_dir, config, spec, o.dataset_spec, config_json,
                               int64_t(end - first));

  EvaluateResult result;
  result.run_id = run_id;
  result.warnings = dataset->warnings();
  result.dataset_kind = dataset->kind();
  result.strategy = skip_strategy_name(o.skip, config);
  result.status = run_to_completion(store, run_id, [&] {
    GenerationWriter writer(db);
    const std::set<int64_t> stored = store.finished_sample_indices(run_id);
    EvaluateProgress p{run_id, stored.size(), end - first};
    for (size_t i = first; i < end; ++i) {
      if (stored.count(int64_t(i))) continue;
      if (cancel.load()) throw Cancelled();
      const Sample sample = dataset->sample(i);
      const auto t0 = Clock::now();
      const std::vector<PolicyOutcome> outcomes = evaluator.evaluate(sample);
      SampleText text{int64_t(i), sample.key, sample.prompt, sample.answer, sample.prompt_tokens, sample.gold,
                      std::chrono::duration<double>(Clock::now() - t0).count()};
      writer.write(run_id, text, int(sample.ids.size()), outcomes);
      ++p.samples_done;
      if (progress) progress(p);
    }
  });
  result.policies = summarize_generations(db, run_id);
  return result;
}

}  // namespace dynamax::app
