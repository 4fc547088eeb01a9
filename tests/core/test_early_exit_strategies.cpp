// What each skipped-block strategy leaves in the cache or state, inspected after steps that always exit at a fixed
// depth: recompute against a hand-written K/V (norm + k/v projection + RoPE of h_d), copies against their sources,
// mask as absent entries; keep/update on Mamba2, Mamba-1 and FalconMamba against the untouched or partially advanced
// states.
#include <QtTest>

#include <cmath>
#include <limits>

#include "core/exits/early_exit_stepper.h"
#include "core/kernels/convert.h"
#include "core/models/kv_cache.h"
#include "core/models/recurrent_model.h"
#include "core/models/recurrent_state.h"
#include "support/test_support.h"

using namespace dynamax;

namespace {

std::unique_ptr<Model> tiny(const char* name) { return load_model(testing_support::shared_dir() / "fixtures/models" / name); }

// The recurrent models: Mamba2 from ../shared, Mamba-1 and FalconMamba from tests/data; the exit depth d of L.
void add_recurrent_rows() {
  QTest::addColumn<QString>("folder");
  QTest::addColumn<int>("d");
  const QString shared = QString::fromStdString((testing_support::shared_dir() / "fixtures/models").string());
  const QString data = QString::fromStdString((testing_support::test_data_dir() / "models").string());
  QTest::newRow("tiny-codestral") << shared + "/tiny-codestral" << 9;
  QTest::newRow("tiny-mamba") << data + "/tiny-mamba" << 2;
  QTest::newRow("tiny-falcon-mamba") << data + "/tiny-falcon-mamba" << 1;
}

const std::vector<int32_t> kPrompt = {1, 415, 5565, 302, 4843, 349};
const std::vector<int32_t> kSmallVocabPrompt = {1, 415, 565, 302, 843, 349};  // within tiny-mamba's 1024 ids

// A rule that exits at `depth` for every token.
ExitRule always_exit_at(int L, int depth) {
  const std::vector<int> depths = {depth};
  return {parse_measure("max-prob"), -std::numeric_limits<double>::infinity(), make_exit_policy(L, depths)};
}

std::vector<float> tensor_f32(const Model& model, const std::string& name) {
  const TensorView* t = model.weights().find(name);
  if (!t) throw std::runtime_error("missing " + name);
  std::vector<float> out(size_t(t->numel()));
  to_f32(t->dtype, t->data, out.data(), out.size());
  return out;
}

// h_d of `token` at the state's next position: blocks 1..depth on a copy of the state (those blocks are exactly
// what the stepper will run).
std::vector<float> exit_state(Model& model, const ModelState& state, int32_t token, int depth) {
  auto copy = state.clone();
  std::vector<float> h(size_t(model.hidden_size()));
  model.embed(std::span<const int32_t>(&token, 1), h.data());
  for (int d = 1; d <= depth; ++d) model.run_block(d, h.data(), 1, copy->position, *copy);
  return h;
}

// The K (after RoPE) and V that block `depth` computes from the residual row h at `position`, in double.
void reference_kv(const Model& model, int depth, const std::vector<float>& h, int position, std::vector<float>& key,
                  std::vector<float>& value) {
  const ModelConfig& c = model.config();
  const int H = c.hidden_size, hd = c.transformer.head_dim, kv = c.transformer.num_kv_heads * hd;
  const std::string p = "model.layers." + std::to_string(depth - 1) + ".";
  const std::vector<float> norm = tensor_f32(model, p + "input_layernorm.weight");
  const std::vector<float> wk = tensor_f32(model, p + "self_attn.k_proj.weight");
  const std::vector<float> wv = tensor_f32(model, p + "self_attn.v_proj.weight");
  // Qwen2's k/v biases (absent for Mistral): zeros when the model has none.
  const bool biased = model.weights().find(p + "self_attn.k_proj.bias") != nullptr;
  const std::vector<float> bk = biased ? tensor_f32(model, p + "self_attn.k_proj.bias") : std::vector<float>(size_t(kv));
  const std::vector<float> bv = biased ? tensor_f32(model, p + "self_attn.v_proj.bias") : std::vector<float>(size_t(kv));
  double ms = 0;
  for (float v : h) ms += double(v) * v;
  const double inv_rms = 1.0 / std::sqrt(ms / H + c.norm_eps);
  std::vector<double> x(static_cast<size_t>(H)), k(static_cast<size_t>(kv)), v(static_cast<size_t>(kv));
  for (int i = 0; i < H; ++i) x[size_t(i)] = h[size_t(i)] * inv_rms * norm[size_t(i)];
  for (int o = 0; o < kv; ++o) {
    k[size_t(o)] = bk[size_t(o)];
    v[size_t(o)] = bv[size_t(o)];
    for (int i = 0; i < H; ++i) {
      k[size_t(o)] += double(wk[size_t(o) * H + i]) * x[size_t(i)];
      v[size_t(o)] += double(wv[size_t(o) * H + i]) * x[size_t(i)];
    }
  }
  key.assign(size_t(kv), 0);
  value.assign(v.begin(), v.end());
  for (int head = 0; head < c.transformer.num_kv_heads; ++head) {
    const double* kh = k.data() + head * hd;
    for (int i = 0; i < hd / 2; ++i) {  // HF rotate_half: dimension i pairs with i + hd/2
      const double angle = position * std::pow(c.transformer.rope_theta, -2.0 * i / hd);
      key[size_t(head * hd + i)] = float(kh[i] * std::cos(angle) - kh[i + hd / 2] * std::sin(angle));
      key[size_t(head * hd + i + hd / 2)] = float(kh[i + hd / 2] * std::cos(angle) + kh[i] * std::sin(angle));
    }
  }
}

std::vector<float> row(const float* p, int n) { return std::vector<float>(p, p + n); }

double max_rel_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0, scale = 1e-6;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::abs(double(a[i]) - b[i]));
    scale = std::max(scale, std::abs(double(b[i])));
  }
  return diff / scale;
}

}  // namespace

class TestEarlyExitStrategies : public QObject {
  Q_OBJECT
 private slots:
  void recompute_matches_hand_written_kv_data() {
    QTest::addColumn<bool>("qwen2");
    QTest::newRow("tiny-mistral") << false;
    QTest::newRow("tiny-qwen2 (k/v biases)") << true;
  }
  void recompute_matches_hand_written_kv() {
    QFETCH(bool, qwen2);
    if (!qwen2) REQUIRE_SHARED();
    auto model = qwen2 ? load_model(testing_support::test_data_dir() / "models/tiny-qwen2") : tiny("tiny-mistral");
    const int L = model->depth(), d = qwen2 ? 2 : 5;
    EarlyExitStepper stepper(*model, always_exit_at(L, d), {KvStrategy::Recompute, StateStrategy::Keep});
    stepper.prefill(qwen2 ? std::vector<int32_t>{1000, 415, 565, 302, 843, 349} : kPrompt);
    int32_t token = 1000;
    for (int step = 0; step < 4; ++step) {
      const int position = stepper.position();
      const std::vector<float> h = exit_state(*model, stepper.state(), token, d);
      const StepOutcome out = stepper.step(token);
      QCOMPARE(out.exit_depth, d);
      const auto& cache = dynamic_cast<const KvCache&>(stepper.state());
      for (int skipped = d + 1; skipped <= L; ++skipped) {
        const BlockKv& kv = cache.block(skipped);
        const int e = kv.find(position);
        QVERIFY2(e >= 0, "a recomputed block holds the position");
        std::vector<float> key, value;
        reference_kv(*model, skipped, h, position, key, value);
        QVERIFY2(max_rel_diff(row(kv.key_row(e), kv.width()), key) < 1e-4, qPrintable(QString("key, block %1").arg(skipped)));
        QVERIFY2(max_rel_diff(row(kv.value_row(e), kv.width()), value) < 1e-4, qPrintable(QString("value, block %1").arg(skipped)));
      }
      token = int32_t(std::max_element(stepper.logits().begin(), stepper.logits().end()) - stepper.logits().begin());
    }
  }

  void copy_exit_copies_the_exit_blocks_entry() {
    REQUIRE_SHARED();
    auto model = tiny("tiny-mistral");
    const int L = model->depth(), d = 7;
    EarlyExitStepper stepper(*model, always_exit_at(L, d), {KvStrategy::CopyExit, StateStrategy::Keep});
    stepper.prefill(kPrompt);
    for (int32_t token : {1000, 2000, 3000}) {
      const int position = stepper.position();
      stepper.step(token);
      const auto& cache = dynamic_cast<const KvCache&>(stepper.state());
      const BlockKv& exit_kv = cache.block(d);
      const int source = exit_kv.find(position);
      QVERIFY(source >= 0);
      for (int skipped = d + 1; skipped <= L; ++skipped) {
        const BlockKv& kv = cache.block(skipped);
        const int e = kv.find(position);
        QVERIFY(e >= 0);
        QCOMPARE(row(kv.key_row(e), kv.width()), row(exit_kv.key_row(source), kv.width()));
        QCOMPARE(row(kv.value_row(e), kv.width()), row(exit_kv.value_row(source), kv.width()));
      }
    }
  }

  void copy_prev_copies_the_previous_position() {
    REQUIRE_SHARED();
    auto model = tiny("tiny-mistral");
    const int L = model->depth(), d = 4;
    EarlyExitStepper stepper(*model, always_exit_at(L, d), {KvStrategy::CopyPrev, StateStrategy::Keep});
    stepper.prefill(kPrompt);
    for (int32_t token : {1000, 2000, 3000}) {
      const int position = stepper.position();
      const auto before = stepper.state().clone();
      stepper.step(token);
      const auto& cache = dynamic_cast<const KvCache&>(stepper.state());
      const auto& old = dynamic_cast<const KvCache&>(*before);
      for (int skipped = d + 1; skipped <= L; ++skipped) {
        const BlockKv& kv = cache.block(skipped);
        const BlockKv& prev = old.block(skipped);
        const int e = kv.find(position), p = prev.find(position - 1);
        QVERIFY(e >= 0 && p >= 0);
        QCOMPARE(row(kv.key_row(e), kv.width()), row(prev.key_row(p), kv.width()));
        QCOMPARE(row(kv.value_row(e), kv.width()), row(prev.value_row(p), kv.width()));
      }
    }
  }

  void copy_prev_leaves_masked_what_has_no_previous_entry() {
    REQUIRE_SHARED();
    auto model = tiny("tiny-mistral");
    const int L = model->depth(), d = 4;
    EarlyExitStepper stepper(*model, always_exit_at(L, d), {KvStrategy::CopyPrev, StateStrategy::Keep});
    stepper.prefill(kPrompt);
    auto& cache = dynamic_cast<KvCache&>(stepper.state());
    const int position = stepper.position();
    cache.block(L).truncate(position - 1);  // the last block forgets the previous position
    stepper.step(1000);
    QCOMPARE(cache.block(L).find(position), -1);
    QVERIFY(cache.block(L - 1).find(position) >= 0);
  }

  void mask_leaves_no_entry_and_decoding_goes_on() {
    REQUIRE_SHARED();
    auto model = tiny("tiny-mistral");
    const int L = model->depth(), d = 6;
    EarlyExitStepper stepper(*model, always_exit_at(L, d), {KvStrategy::Mask, StateStrategy::Keep});
    stepper.prefill(kPrompt);
    const int first = stepper.position();
    for (int32_t token : {1000, 2000, 3000}) stepper.step(token);
    const auto& cache = dynamic_cast<const KvCache&>(stepper.state());
    for (int depth = 1; depth <= L; ++depth) {
      const BlockKv& kv = cache.block(depth);
      QCOMPARE(kv.size(), depth <= d ? first + 3 : first);
      for (int p = first; p < first + 3; ++p) QCOMPARE(kv.find(p) >= 0, depth <= d);
    }
    for (float z : stepper.logits()) QVERIFY(std::isfinite(z));
  }

  void recurrent_keep_leaves_skipped_states_unchanged_data() { add_recurrent_rows(); }
  void recurrent_keep_leaves_skipped_states_unchanged() {
    REQUIRE_SHARED();
    QFETCH(QString, folder);
    QFETCH(int, d);
    auto model = load_model(folder.toStdString());
    const int L = model->depth();
    EarlyExitStepper stepper(*model, always_exit_at(L, d), {KvStrategy::Recompute, StateStrategy::Keep});
    stepper.prefill(kSmallVocabPrompt);
    const auto before = stepper.state().clone();
    stepper.step(1000);
    const auto& now = dynamic_cast<const RecurrentState&>(stepper.state());
    const auto& old = dynamic_cast<const RecurrentState&>(*before);
    for (int depth = 1; depth <= L; ++depth) {
      const bool same = std::equal(now.ssm(depth).begin(), now.ssm(depth).end(), old.ssm(depth).begin()) &&
                        std::equal(now.conv(depth).begin(), now.conv(depth).end(), old.conv(depth).begin());
      QVERIFY2(same == (depth > d), qPrintable(QString("block %1").arg(depth)));
    }
  }

  void recurrent_update_advances_skipped_states_with_the_exit_state_data() { add_recurrent_rows(); }
  void recurrent_update_advances_skipped_states_with_the_exit_state() {
    REQUIRE_SHARED();
    QFETCH(QString, folder);
    QFETCH(int, d);
    auto model = load_model(folder.toStdString());
    auto& recurrent = dynamic_cast<RecurrentModel&>(*model);
    const int L = model->depth();
    EarlyExitStepper stepper(*model, always_exit_at(L, d), {KvStrategy::Recompute, StateStrategy::Update});
    stepper.prefill(kSmallVocabPrompt);
    const int32_t token = 1000;
    // The expected state: blocks 1..d run as the full model runs them, blocks d+1..L advanced on h_d.
    auto expected = stepper.state().clone();
    const std::vector<float> h = exit_state(*model, *expected, token, d);
    std::vector<float> rows(h.size());
    model->embed(std::span<const int32_t>(&token, 1), rows.data());
    for (int b = 1; b <= d; ++b) model->run_block(b, rows.data(), 1, 0, *expected);
    for (int b = d + 1; b <= L; ++b) recurrent.advance_block_state(b, h.data(), 1, *expected);
    const auto before = stepper.state().clone();
    stepper.step(token);
    const auto& now = dynamic_cast<const RecurrentState&>(stepper.state());
    const auto& want = dynamic_cast<const RecurrentState&>(*expected);
    const auto& old = dynamic_cast<const RecurrentState&>(*before);
    for (int depth = 1; depth <= L; ++depth) {
      QVERIFY(std::equal(now.ssm(depth).begin(), now.ssm(depth).end(), want.ssm(depth).begin()));
      QVERIFY(std::equal(now.conv(depth).begin(), now.conv(depth).end(), want.conv(depth).begin()));
      QVERIFY2(!std::equal(now.ssm(depth).begin(), now.ssm(depth).end(), old.ssm(depth).begin()),
               qPrintable(QString("block %1 advanced").arg(depth)));
    }
  }
};

QTEST_APPLESS_MAIN(TestEarlyExitStrategies)
#include "test_early_exit_strategies.moc"
