// The last-block exit head (core/exits/exit_head.h): block L on the exit state before the head, in the lens and
// the recording (against the model's own blocks run by hand), in generation (the token read after block L, block
// L's cache written, its cost counted), and in the compute accounting of sweeps and baselines.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/analysis/baselines.h"
#include "core/analysis/compute_cost.h"
#include "core/analysis/exit_outcomes.h"
#include "core/analysis/threshold_sweep.h"
#include "core/exits/early_exit_stepper.h"
#include "core/exits/exit_head.h"
#include "core/exits/exit_record.h"
#include "core/exits/logit_lens.h"
#include "core/common/error.h"
#include "core/io/lenient_json.h"
#include "support/hand_recorded_run.h"
#include "support/test_support.h"

using namespace dynamax;

namespace {

std::unique_ptr<Model> demo_model(const char* name) { return load_model(testing_support::resources_dir() / "models" / name); }

// The last-block logits of depth d for `ids`, by hand: blocks 1..d on one state, block L on another, the head.
std::vector<float> last_block_by_hand(Model& model, std::span<const int32_t> ids, int d) {
  auto state = model.new_state();
  std::vector<float> h = forward(model, ids, *state, d);
  auto other = model.new_state();
  model.run_block(model.depth(), h.data(), int(ids.size()), 0, *other);
  std::vector<float> logits(ids.size() * size_t(model.vocab_size()));
  model.exit_head(h.data(), int(ids.size()), logits.data());
  return logits;
}

ModelConfig mamba_config() {
  return parse_model_config(parse_lenient_json(R"({"architectures": ["Mamba2ForCausalLM"], "hidden_size": 8,
      "num_hidden_layers": 4, "vocab_size": 32, "num_heads": 4, "head_dim": 4, "n_groups": 1, "state_size": 2,
      "expand": 2, "conv_kernel": 2})", "test"), "test");
}

}  // namespace

class TestExitHead : public QObject {
  Q_OBJECT
 private slots:
  void names() {
    QCOMPARE(parse_exit_head("last-block"), ExitHead::LastBlock);
    QCOMPARE(exit_head_name(ExitHead::Direct), std::string("direct"));
    QVERIFY_THROWS_EXCEPTION(Error, parse_exit_head("block"));
  }

  void lens_and_record_read_after_block_l_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("tiny-mistral") << "tiny-mistral";
    QTest::newRow("tiny-codestral") << "tiny-codestral";
  }
  void lens_and_record_read_after_block_l() {
    QFETCH(QString, model);
    auto m = demo_model(model.toUtf8().constData());
    const std::vector<int32_t> ids = {1, 300, 12, 900, 44, 7, 2048, 5};
    const int L = m->depth(), V = m->vocab_size(), T = int(ids.size());
    const LensResult direct = logit_lens(*m, ids, 3), last = logit_lens(*m, ids, 3, {}, ExitHead::LastBlock);
    const SampleRecord record = record_sample(*m, ids, 2, {}, {}, ExitHead::LastBlock);
    const SampleRecord plain = record_sample(*m, ids, 2);
    int differing = 0;
    for (int d : {1, L / 2, L - 1}) {
      const std::vector<float> by_hand = last_block_by_hand(*m, ids, d);
      for (int t = 0; t < T; ++t) {
        const float* row = by_hand.data() + size_t(t) * V;
        const int32_t top = int32_t(std::max_element(row, row + V) - row);
        QCOMPARE(last.id(d, t, 0), top);
        QCOMPARE(record.at(t, d).top1, top);
        QCOMPARE(record.topk_ids[(size_t(t) * L + size_t(d - 1)) * 2], top);
        // The measures still come from the direct head.
        QCOMPARE(record.at(t, d).prob, plain.at(t, d).prob);
        differing += last.id(d, t, 0) != direct.id(d, t, 0);
      }
    }
    QVERIFY2(differing > 0, "the last block changed no prediction: the comparison would not see a mistake");
    for (int t = 0; t < T; ++t) QCOMPARE(last.id(L, t, 0), direct.id(L, t, 0));  // depth L: the model's output
  }

  void generation_runs_block_l_after_the_exit_data() { lens_and_record_read_after_block_l_data(); }
  void generation_runs_block_l_after_the_exit() {
    QFETCH(QString, model);
    auto m = demo_model(model.toUtf8().constData());
    const int L = m->depth(), d = L / 2, V = m->vocab_size();
    const std::vector<int32_t> prompt = {1, 300, 12, 900};
    // Every token leaves at d (τ = −∞); skipped blocks keep/copy nothing new, so the state is easy to rebuild.
    const SkipStrategy skip{KvStrategy::Mask, StateStrategy::Keep};
    const ExitRule rule{parse_measure("max-prob"), -std::numeric_limits<double>::infinity(),
                        make_exit_policy(L, std::vector<int>{d}), ExitHead::LastBlock};
    EarlyExitStepper stepper(*m, rule, skip);
    stepper.prefill(prompt);
    auto state = m->new_state();
    forward(*m, prompt, *state);
    std::vector<float> h(static_cast<size_t>(m->hidden_size())), logits(static_cast<size_t>(V));
    for (int32_t token : {44, 7, 2048}) {
      const int position = state->position;
      const StepOutcome out = stepper.step(token);
      QCOMPARE(out.exit_depth, d);
      QVERIFY(out.skipped.blocks >= 1.0);                              // block L, counted
      QCOMPARE(out.skipped.flops, block_flops(m->config(), position));  // masks and keep cost nothing
      QCOMPARE(out.head_evaluations, 2);                                // the decision at d, the read after L
      m->embed(std::span<const int32_t>(&token, 1), h.data());
      for (int b = 1; b <= d; ++b) m->run_block(b, h.data(), 1, position, *state);
      m->run_block(L, h.data(), 1, position, *state);
      m->exit_head(h.data(), 1, logits.data());
      state->position = position + 1;
      for (int i = 0; i < V; ++i) QCOMPARE(stepper.logits()[size_t(i)], logits[size_t(i)]);
    }
  }

  void compute_counts_block_l() {
    const RecordedRun run = testing_support::hand_recorded_run();
    RecordedRun last = run;
    last.last_block = true;
    const ModelConfig config = mamba_config();
    const int64_t B = mamba2_block_flops(config), H = exit_head_flops(config);
    const ExitPolicy policy = make_exit_policy(4, std::vector<int>{2, 3});
    // Static exits at 2: every token also runs block 4: 3 blocks and one head each.
    const TradeoffCurve plain = static_exits(ExitOutcomes(run), policy, config), with = static_exits(ExitOutcomes(last), policy, config);
    QCOMPARE(plain.points[0].executed_flops, 5 * (2 * B + H));
    QCOMPARE(with.points[0].executed_flops, 5 * (3 * B + H));
    QCOMPARE(with.points[0].block_fraction, 3.0 / 4.0);
    QCOMPARE(with.points[0].mean_depth, 2.0);  // the exit depth itself is unchanged
    QCOMPARE(with.points.back().executed_flops, plain.points.back().executed_flops);  // depth L: nothing extra
    // A softmax measure at τ = −∞: all leave at 2 after one decision head, block 4 and the reading head.
    const ExitCost cost(config, policy, {HeadEvaluations::EveryAllowedDepthToExit, 0, true});
    QCOMPARE(cost.executed_blocks(2), 3);
    QCOMPARE(cost.executed_blocks(4), 4);
    QCOMPARE(cost.token_flops(0, 2), 3 * B + 2 * H);
    QCOMPARE(cost.token_flops(0, 4), 4 * B + 3 * H);  // heads at 2 and 3 decided, the model's own head
    const ThresholdSweep sweep(ExitOutcomes(last), last.prob, policy, cost, "max-prob");
    const TradeoffPoint p = sweep.at(-std::numeric_limits<double>::infinity());
    QCOMPARE(p.executed_flops, 5 * (3 * B + 2 * H));
    QCOMPARE(p.block_fraction, 3.0 / 4.0);
    QCOMPARE(sweep.curve(std::vector<double>{-std::numeric_limits<double>::infinity()}).points[0].executed_flops, p.executed_flops);
  }
};

QTEST_APPLESS_MAIN(TestExitHead)
#include "test_exit_head.moc"
