// Early-exit decoding: a policy that never exits is the full model (every strategy, both tiny models); the
// counted work adds up (blocks = Σ exit depths + strategy work); stops, repetition penalty and teacher-forced
// scoring through the policy. Classifier-driven exits: test_classifier_generation.cpp.
#include <QtTest>

#include <cmath>
#include <limits>

#include "core/analysis/compute_cost.h"
#include "core/common/error.h"
#include "core/exits/early_exit_decoder.h"
#include "core/exits/early_exit_scoring.h"
#include "core/models/greedy.h"
#include "core/tokenize/tokenizer.h"
#include "support/test_support.h"

using namespace dynamax;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::filesystem::path tiny_dir(const QString& name) {
  return testing_support::shared_dir() / "fixtures/models" / name.toStdString();
}

std::vector<int32_t> prompt_of(const Tokenizer& tokenizer, const std::string& text) {
  std::vector<int32_t> ids = {tokenizer.bos_id};
  for (int32_t id : tokenizer.encode(text)) ids.push_back(id);
  return ids;
}

ExitRule rule(const Model& model, const char* measure, double threshold, std::vector<int> depths = {}, int min_depth = 1) {
  return {parse_measure(measure), threshold, make_exit_policy(model.depth(), depths, min_depth)};
}

std::vector<SkipStrategy> strategies_for(const Model& model) {
  if (model.config().is_transformer())
    return {{KvStrategy::Recompute, StateStrategy::Keep}, {KvStrategy::CopyExit, StateStrategy::Keep},
            {KvStrategy::CopyPrev, StateStrategy::Keep}, {KvStrategy::Mask, StateStrategy::Keep}};
  return {{KvStrategy::Recompute, StateStrategy::Keep}, {KvStrategy::Recompute, StateStrategy::Update}};
}

}  // namespace

class TestEarlyExit : public QObject {
  Q_OBJECT
 private slots:
  void never_exiting_is_the_full_model_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("measure");
    for (const char* m : {"tiny-mistral", "tiny-codestral"})
      for (const char* measure : {"max-prob", "entropy", "saturation"}) QTest::addRow("%s %s", m, measure) << m << measure;
  }
  void never_exiting_is_the_full_model() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    QFETCH(QString, measure);
    auto m = load_model(tiny_dir(model));
    auto tokenizer = load_tokenizer(tiny_dir(model));
    const std::vector<int32_t> prompt = prompt_of(*tokenizer, "Once upon a time, there was a little");
    GreedyOptions greedy;
    greedy.max_new_tokens = 12;
    const std::vector<int32_t> expected = greedy_generate(*m, prompt, greedy);
    for (const SkipStrategy& skip : strategies_for(*m)) {
      EarlyExitStepper stepper(*m, rule(*m, measure.toUtf8().constData(), kInf), skip);
      GenerationOptions options;
      options.max_new_tokens = 12;
      const Generation g = generate_early_exit(stepper, prompt, options);
      const QString what = model + " " + QString::fromStdString(skip_strategy_name(skip, m->config()));
      QVERIFY2(g.ids == expected, qPrintable(what));
      QCOMPARE(g.blocks_executed, double(m->depth()) * 12);
      QCOMPARE(g.blocks_full, int64_t(m->depth()) * 12);
      QCOMPARE(g.extra_blocks, 0.0);
      for (int d : g.exit_depths()) QCOMPARE(d, m->depth());
      QCOMPARE(g.stop_reason, std::string("max-new"));
    }
  }

  void blocks_executed_add_up_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("strategy");
    QTest::newRow("mistral recompute") << "tiny-mistral" << 0;
    QTest::newRow("mistral copy-exit") << "tiny-mistral" << 1;
    QTest::newRow("mistral mask") << "tiny-mistral" << 3;
    QTest::newRow("codestral keep") << "tiny-codestral" << 0;
    QTest::newRow("codestral update") << "tiny-codestral" << 1;
  }
  void blocks_executed_add_up() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    QFETCH(int, strategy);
    auto m = load_model(tiny_dir(model));
    auto tokenizer = load_tokenizer(tiny_dir(model));
    const int L = m->depth();
    const SkipStrategy skip = strategies_for(*m)[size_t(strategy)];
    // Exits at several depths: a low max-prob threshold over the second half.
    std::vector<int> depths;
    for (int d = L / 4; d <= L; d += 2) depths.push_back(d);
    EarlyExitStepper stepper(*m, rule(*m, "max-prob", 0.05, depths), skip);
    GenerationOptions options;
    options.max_new_tokens = 16;
    const Generation g = generate_early_exit(stepper, prompt_of(*tokenizer, "The weather today is"), options);
    QCOMPARE(int(g.tokens.size()), 16);
    double depth_sum = 0, extra = 0;
    for (const GeneratedToken& t : g.tokens) {
      depth_sum += t.exit_depth;
      extra += t.extra_blocks;
      QVERIFY(t.exit_depth == L || std::find(depths.begin(), depths.end(), t.exit_depth) != depths.end());
    }
    QCOMPARE(g.blocks_executed, depth_sum + extra);
    QVERIFY2(depth_sum < double(L) * 16, "the policy exits early somewhere");
    // The strategy's work: its per-block FLOPs for each skipped block, over a full block's at that position.
    const int64_t per_block = skipped_block_flops(skip, m->config());
    const int first_position = int(prompt_of(*tokenizer, "The weather today is").size());
    for (size_t i = 1; i < g.tokens.size(); ++i) {
      const int position = first_position + int(i) - 1;
      const double expected = double(per_block) * (L - g.tokens[i].exit_depth) / double(block_flops(m->config(), position));
      QVERIFY(std::abs(g.tokens[i].extra_blocks - expected) <= 1e-12 * std::max(1.0, expected));
    }
    const bool counts_work = skip_strategy_name(skip, m->config()) == "recompute" ||
                             skip_strategy_name(skip, m->config()) == "update";
    QCOMPARE(extra > 0, counts_work);
    QVERIFY(g.flops_executed < g.flops_full);
  }

  void forced_exit_runs_only_the_exit_blocks() {
    REQUIRE_SHARED();
    auto m = load_model(tiny_dir("tiny-mistral"));
    const int L = m->depth(), d = L / 2;
    EarlyExitStepper stepper(*m, rule(*m, "max-prob", -kInf, {d}), {KvStrategy::CopyExit, StateStrategy::Keep});
    GenerationOptions options;
    options.max_new_tokens = 5;
    const Generation g = generate_early_exit(stepper, std::vector<int32_t>{1, 400, 500}, options);
    QCOMPARE(g.exit_depths(), (std::vector<int>{L, d, d, d, d}));
    QCOMPARE(g.blocks_executed, double(L + 4 * d));
  }

  void stops_at_eos_stop_strings_and_the_limit() {
    REQUIRE_SHARED();
    auto m = load_model(tiny_dir("tiny-mistral"));
    auto tokenizer = load_tokenizer(tiny_dir("tiny-mistral"));
    const std::vector<int32_t> prompt = prompt_of(*tokenizer, "One, two, three, four,");
    EarlyExitStepper stepper(*m, rule(*m, "max-prob", kInf), {});
    GenerationOptions options;
    options.max_new_tokens = 10;
    options.decode = [&](std::span<const int32_t> ids) { return tokenizer->decode(ids); };
    const Generation free_run = generate_early_exit(stepper, prompt, options);
    QCOMPARE(int(free_run.ids.size()), 10);
    // EOS: pretend the third token is EOS.
    options.eos_id = free_run.ids[2];
    Generation g = generate_early_exit(stepper, prompt, options);
    QCOMPARE(g.stop_reason, std::string("eos"));
    QCOMPARE(g.ids, std::vector<int32_t>(free_run.ids.begin(), free_run.ids.begin() + 3));
    QCOMPARE(g.text, tokenizer->decode(std::vector<int32_t>(free_run.ids.begin(), free_run.ids.begin() + 2)));
    // A stop string taken from the free run's text: it stops there and the text ends before it.
    options.eos_id = -1;
    const std::string full_text = tokenizer->decode(free_run.ids);
    QVERIFY(full_text.size() > 4);
    const std::string stop = full_text.substr(full_text.size() / 2, 2);
    options.stop_strings = {stop};
    g = generate_early_exit(stepper, prompt, options);
    QCOMPARE(g.stop_reason, std::string("stop-string"));
    QVERIFY(g.ids.size() <= free_run.ids.size());
    QCOMPARE(g.text, full_text.substr(0, full_text.find(stop)));
  }

  void repetition_penalty_follows_hugging_face() {
    std::vector<float> logits = {2.0f, -2.0f, 1.0f, 0.5f};
    const std::vector<int32_t> generated = {0, 1, 0, 3};
    apply_repetition_penalty({2.0f, 0}, generated, logits);
    QCOMPARE(logits, (std::vector<float>{1.0f, -4.0f, 1.0f, 0.25f}));  // each distinct token once
    logits = {2.0f, -2.0f, 1.0f, 0.5f};
    apply_repetition_penalty({2.0f, 2}, generated, logits);  // only the last two: 0 and 3
    QCOMPARE(logits, (std::vector<float>{1.0f, -2.0f, 1.0f, 0.25f}));
    logits = {2.0f, -2.0f};
    apply_repetition_penalty({1.0f, 0}, generated, logits);
    QCOMPARE(logits, (std::vector<float>{2.0f, -2.0f}));
  }

  void repetition_penalty_changes_a_repetitive_generation() {
    REQUIRE_SHARED();
    auto m = load_model(tiny_dir("tiny-mistral"));
    auto tokenizer = load_tokenizer(tiny_dir("tiny-mistral"));
    EarlyExitStepper stepper(*m, rule(*m, "max-prob", kInf), {});
    GenerationOptions options;
    options.max_new_tokens = 24;
    const std::vector<int32_t> prompt = prompt_of(*tokenizer, "the the the the the the");
    const Generation plain = generate_early_exit(stepper, prompt, options);
    options.repetition = {1.8f, 8};
    const Generation penalised = generate_early_exit(stepper, prompt, options);
    QCOMPARE(penalised.ids.front(), plain.ids.front());  // nothing generated yet for the first token
    QVERIFY(penalised.ids != plain.ids);
  }

  void forced_scores_without_exits_are_the_full_models() {
    REQUIRE_SHARED();
    for (const char* name : {"tiny-mistral", "tiny-codestral"}) {
      auto m = load_model(tiny_dir(name));
      const std::vector<int32_t> ids = {1, 415, 5565, 302, 4843, 349, 2000, 77};
      auto state = m->new_state();
      const std::vector<float> logits = forward_logits(*m, ids, *state);
      const int V = m->vocab_size();
      EarlyExitStepper stepper(*m, rule(*m, "max-prob", kInf), {});
      const ForcedScores s = score_continuation(stepper, std::span(ids).first(3), std::span(ids).subspan(3));
      QCOMPARE(int(s.logprobs.size()), 5);
      for (size_t i = 0; i < s.logprobs.size(); ++i) {
        const std::span<const float> row(logits.data() + (2 + i) * size_t(V), size_t(V));
        QVERIFY(std::abs(s.logprobs[i] - log_softmax_at(row, ids[3 + i])) < 1e-4f);
        QCOMPARE(s.top1[i], argmax(row.data(), V));
      }
      QCOMPARE(s.blocks_executed, double(5 * m->depth()));
    }
  }

  void log_softmax_is_normalised() {
    const std::vector<float> z = {1.0f, 2.0f, 3.0f};
    double total = 0;
    for (int i = 0; i < 3; ++i) total += std::exp(double(log_softmax_at(z, i)));
    QVERIFY(std::abs(total - 1.0) < 1e-6);
    QVERIFY(std::abs(log_softmax_at(z, 2) - float(3.0 - std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)))) < 1e-6f);
  }
};

QTEST_APPLESS_MAIN(TestEarlyExit)
#include "test_early_exit.moc"
