// Exit classifiers driving generation: a classifier fed a sequence in pieces (a prompt, then one token per step)
// scores as on the whole sequence, for every kind; through the stepper, a classifier that never fires gives the
// full model's tokens with its own rows counted in the FLOPs, a Mamba classifier's state follows every token at
// every exit depth, one that fires exits where it fires; and what does not fit is refused with a clear message.
#include <QtTest>

#include <cmath>
#include <random>

#include "core/analysis/compute_cost.h"
#include "core/common/error.h"
#include "core/exits/classifier_stream.h"
#include "core/exits/early_exit_decoder.h"
#include "core/exits/exit_placement.h"
#include "core/models/greedy.h"
#include "support/test_support.h"

using namespace dynamax;

namespace {

ExitClassifier classifier_of(const QString& kind, int width, int L, const std::string& name = "probe") {
  ClassifierSpec spec;
  spec.kind = parse_classifier_kind(kind.toStdString());
  spec.width = width;
  spec.ffn_width = 16;
  spec.mamba_inner = 16, spec.mamba_heads = 2, spec.mamba_state = 8;
  return ExitClassifier(name, spec, default_exit_depths(L), L, 11);
}

// Every exit's output bias pushed to `logit`, so that p(exit) sits near σ(logit) whatever the input.
void bias_outputs(ExitClassifier& c, const std::vector<float>& logit) {
  for (size_t e = 0; e < c.depths().size(); ++e) c.weights()[e][c.net().output_bias()] = logit[e];
}

std::unique_ptr<Model> tiny(const QString& name) {
  return load_model(testing_support::shared_dir() / "fixtures/models" / name.toStdString());
}

const std::vector<int32_t> kPrompt = {1, 415, 2936, 906, 285, 1142, 2870, 754};

ExitRule classifier_rule(const Model& m, const ExitClassifier& c, double threshold) {
  return {parse_measure("classifier:" + c.name()), threshold, make_exit_policy(m.depth(), c.depths())};
}

}  // namespace

class TestClassifierGeneration : public QObject {
  Q_OBJECT
 private slots:
  void pieces_score_as_the_whole_data() {
    QTest::addColumn<QString>("kind");
    for (const char* kind : {"linear", "ffn", "mamba"}) QTest::newRow(kind) << kind;
  }
  void pieces_score_as_the_whole() {
    QFETCH(QString, kind);
    const int width = 24, T = 12, L = 16;
    const ExitClassifier c = classifier_of(kind, width, L);
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 2.0f);
    std::vector<float> h(size_t(T) * width);
    for (float& v : h) v = normal(rng);
    for (int depth : c.depths()) {
      std::vector<float> whole(T), pieces(T);
      c.score(depth, h.data(), T, whole.data());
      ClassifierStream stream(c);
      stream.advance(depth, h.data(), 5, pieces.data());
      for (int t = 5; t < T; ++t) pieces[size_t(t)] = stream.advance_one(depth, h.data() + size_t(t) * width);
      for (int t = 0; t < T; ++t) QVERIFY(std::fabs(whole[size_t(t)] - pieces[size_t(t)]) < 1e-6f);
      // A recurrent classifier's score depends on the tokens before; a stateless one's does not.
      stream.reset();
      const float alone = stream.advance_one(depth, h.data() + size_t(T - 1) * width);
      QCOMPARE(std::fabs(alone - whole[size_t(T - 1)]) > 1e-6f, kind == "mamba");
      QCOMPARE(stream.carries_state(), kind == "mamba");
    }
  }

  void never_firing_is_the_full_model_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("kind");
    for (const char* model : {"tiny-mistral", "tiny-codestral"})
      for (const char* kind : {"linear", "mamba"}) QTest::addRow("%s %s", model, kind) << model << kind;
  }
  void never_firing_is_the_full_model() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    QFETCH(QString, kind);
    auto m = tiny(model);
    const int L = m->depth(), N = 10;
    const ExitClassifier c = classifier_of(kind, m->hidden_size(), L);
    ClassifierStream stream(c);
    EarlyExitStepper stepper(*m, classifier_rule(*m, c, 2.0), {}, &stream);  // p(exit) ≤ 1 < τ
    GenerationOptions options;
    options.max_new_tokens = N;
    const Generation g = generate_early_exit(stepper, kPrompt, options);
    GreedyOptions greedy;
    greedy.max_new_tokens = N;
    QCOMPARE(g.ids, greedy_generate(*m, kPrompt, greedy));
    // Each step after the first ran every exit's classifier once and one head: the classifier's rows are paid.
    const int64_t classifier_rows = int64_t(N - 1) * int64_t(c.depths().size());
    QCOMPARE(int64_t(g.flops_executed - g.flops_full), classifier_rows * c.flops_per_token());

    // The stepper's classifier states are those of the whole sequence it was fed (the prompt, then each new
    // token but the last): the same probe row scores alike in both.
    std::vector<int32_t> fed = kPrompt;
    fed.insert(fed.end(), g.ids.begin(), g.ids.end() - 1);
    ClassifierStream whole(c);
    ForwardHooks hooks;
    hooks.after_block = [&](int depth, const float* h, int rows) {
      if (whole.has_exit(depth)) whole.advance(depth, h, rows, nullptr);
      return true;
    };
    auto state = m->new_state();
    forward(*m, fed, *state, 0, hooks);
    std::vector<float> probe(size_t(m->hidden_size()), 0.5f);
    for (int d : c.depths())
      QVERIFY(std::fabs(stream.advance_one(d, probe.data()) - whole.advance_one(d, probe.data())) < 1e-4f);
  }

  void exits_where_the_classifier_fires_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("kind");
    for (const char* model : {"tiny-mistral", "tiny-codestral"})
      for (const char* kind : {"ffn", "mamba"}) QTest::addRow("%s %s", model, kind) << model << kind;
  }
  void exits_where_the_classifier_fires() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    QFETCH(QString, kind);
    auto m = tiny(model);
    const int L = m->depth(), N = 8;
    ExitClassifier c = classifier_of(kind, m->hidden_size(), L);
    bias_outputs(c, {-30.0f, 30.0f, 30.0f, -30.0f});  // fires at the second exit depth
    const int fires = c.depths()[1];
    ClassifierStream stream(c);
    EarlyExitStepper stepper(*m, classifier_rule(*m, c, 0.5), {}, &stream);
    GenerationOptions options;
    options.max_new_tokens = N;
    const Generation g = generate_early_exit(stepper, kPrompt, options);
    for (size_t i = 1; i < g.tokens.size(); ++i) {
      QCOMPARE(g.tokens[i].exit_depth, fires);
      QVERIFY(g.tokens[i].score > 0.5f);
      // Blocks to the exit, one head, the classifier at the two depths passed and, when it carries a state, at the
      // two it skipped (fed the exit's h_d), plus the skip strategy's work.
      const int64_t position = int64_t(kPrompt.size()) + int64_t(i) - 1;
      const int rows = kind == "mamba" ? 4 : 2;
      const int64_t block_part = fires * block_flops(m->config(), position) + exit_head_flops(m->config());
      const double skip_part = double(g.tokens[i].flops - block_part - rows * c.flops_per_token());
      const double skip_expected = g.tokens[i].extra_blocks * double(block_flops(m->config(), position));
      QVERIFY2(std::fabs(skip_part - skip_expected) <= 1e-9 * double(block_part),
               qPrintable(QString("skip work %1, expected %2").arg(skip_part).arg(skip_expected)));
    }
    QVERIFY(g.blocks_executed < double(g.blocks_full));
  }

  void what_does_not_fit_is_refused_data() {
    QTest::addColumn<QString>("case_");
    QTest::addColumn<QString>("message");
    QTest::newRow("no classifier") << "none" << "no exit classifier was loaded";
    QTest::newRow("another name") << "name" << "the loaded classifier is named 'probe'";
    QTest::newRow("a depth without an exit") << "depth" << "has no exit";
    QTest::newRow("another model") << "model" << "was trained for a model";
  }
  void what_does_not_fit_is_refused() {
    REQUIRE_SHARED();
    QFETCH(QString, case_);
    QFETCH(QString, message);
    auto m = tiny("tiny-mistral");
    const int L = m->depth();
    const ExitClassifier c = classifier_of("linear", m->hidden_size(), case_ == "model" ? L + 8 : L);
    ClassifierStream stream(c);
    ExitRule rule{parse_measure("classifier:probe"), 0.5, make_exit_policy(L, std::vector<int>{L / 2})};
    if (case_ == "name") rule.measure = parse_measure("classifier:other");
    if (case_ == "depth") rule.policy = make_exit_policy(L, std::vector<int>{L / 2 + 1});
    try {
      EarlyExitStepper stepper(*m, rule, {}, case_ == "none" ? nullptr : &stream);
      QFAIL("accepted");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains(message), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestClassifierGeneration)
#include "test_classifier_generation.moc"
