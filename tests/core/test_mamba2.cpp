// The Mamba2 engine: tiny-codestral whole and in pieces, the per-group gated norm its Hugging Face reference needs,
// a plain loop-by-loop oracle on a small random model with every option on, its kernels against each other, its
// states, and every kind of bad input. The reference checks themselves are in test_reference_models.cpp.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "core/common/error.h"
#include "core/io/safetensors_writer.h"
#include "core/kernels/activations.h"
#include "core/kernels/causal_conv.h"
#include "core/kernels/convert.h"
#include "core/kernels/gated_group_norm.h"
#include "core/kernels/ssm_scan.h"
#include "core/models/mamba2.h"
#include "support/engine_test_helpers.h"
#include "support/reference_checks.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;
using testing_support::random_values;
using testing_support::max_abs;
using testing_support::error_of;
using testing_support::max_abs_diff;
using testing_support::Reference;

namespace {

// ----------------------------------------------------------------------------- a small random model

// Small enough for a loop-by-loop oracle, with every option the tiny fixture lacks: biases on both projections,
// a conv of 3, a state size that is not a multiple of 16 (the scalar scan), dt clamped to a finite limit.
struct SmallModel {
  int hidden = 8, layers = 2, heads = 4, head_dim = 4, groups = 2, state = 4, conv = 3, vocab = 16;
  double dt_min = 0.05, dt_max = 0.6;
  std::map<std::string, std::vector<float>> values;  // exactly what is written (bf16-representable)
  std::map<std::string, std::vector<int64_t>> shapes;

  int d_inner() const { return heads * head_dim; }
  int conv_dim() const { return d_inner() + 2 * groups * state; }
  int in_dim() const { return 2 * d_inner() + 2 * groups * state + heads; }

  explicit SmallModel(unsigned seed = 7) {
    std::mt19937 rng(seed);
    auto add = [&](const std::string& name, std::vector<int64_t> shape, float lo, float hi) {
      int64_t n = 1;
      for (int64_t d : shape) n *= d;
      std::vector<float> v = random_values(size_t(n), lo, hi, rng);
      for (float& x : v) x = bf16_scalar(f32_to_bf16_round(x));
      values[name] = v;
      shapes[name] = shape;
    };
    add("backbone.embeddings.weight", {vocab, hidden}, -1, 1);
    add("backbone.norm_f.weight", {hidden}, 0.8f, 1.2f);
    add("lm_head.weight", {vocab, hidden}, -0.5f, 0.5f);
    for (int i = 0; i < layers; ++i) {
      const std::string p = "backbone.layers." + std::to_string(i) + ".";
      add(p + "norm.weight", {hidden}, 0.8f, 1.2f);
      add(p + "mixer.in_proj.weight", {in_dim(), hidden}, -0.6f, 0.6f);
      add(p + "mixer.in_proj.bias", {in_dim()}, -0.2f, 0.2f);
      add(p + "mixer.conv1d.weight", {conv_dim(), 1, conv}, -0.6f, 0.6f);
      add(p + "mixer.conv1d.bias", {conv_dim()}, -0.2f, 0.2f);
      add(p + "mixer.dt_bias", {heads}, -2.5f, 0.5f);
      add(p + "mixer.A_log", {heads}, 0.0f, 1.5f);
      add(p + "mixer.D", {heads}, 0.5f, 1.5f);
      add(p + "mixer.norm.weight", {d_inner()}, 0.8f, 1.2f);
      add(p + "mixer.out_proj.weight", {hidden, d_inner()}, -0.4f, 0.4f);
      add(p + "mixer.out_proj.bias", {hidden}, -0.1f, 0.1f);
    }
  }

  std::string config_json(int heads_override = 0, int groups_override = 0) const {
    const nlohmann::json config = {{"architectures", {"Mamba2ForCausalLM"}},
                                   {"model_type", "mamba2"},
                                   {"hidden_size", hidden},
                                   {"num_hidden_layers", layers},
                                   {"vocab_size", vocab},
                                   {"num_heads", heads_override ? heads_override : heads},
                                   {"head_dim", head_dim},
                                   {"n_groups", groups_override ? groups_override : groups},
                                   {"state_size", state},
                                   {"conv_kernel", conv},
                                   {"chunk_size", 8},
                                   {"expand", 2},
                                   {"use_bias", true},
                                   {"use_conv_bias", true},
                                   {"layer_norm_epsilon", 1e-5},
                                   {"time_step_limit", {dt_min, dt_max}},
                                   {"tie_word_embeddings", false},
                                   {"rms_norm", true}};
    return config.dump();
  }

  // Writes the folder; matrices in bf16, vectors in f32 (both dtypes load). `edit` may change the tensors first.
  void write(const fs::path& dir, const std::function<void(std::map<std::string, TensorData>&)>& edit = {},
             const std::string& config = {}) const {
    std::map<std::string, TensorData> tensors;
    for (auto& [name, v] : values)
      tensors[name] =
          shapes.at(name).size() >= 2 ? TensorData::bf16(shapes.at(name), v) : TensorData::f32(shapes.at(name), v);
    if (edit) edit(tensors);
    fs::create_directories(dir);
    write_safetensors(dir / "model.safetensors", tensors);
    testing_support::write_file(dir / "config.json", config.empty() ? config_json() : config);
  }

  // The residual stream after every block, computed loop by loop from the README's description of the mixer.
  std::vector<std::vector<float>> oracle_hidden(const std::vector<int32_t>& ids) const {
    const int T = int(ids.size()), H = hidden, di = d_inner(), cd = conv_dim(), ind = in_dim();
    const float eps = 1e-5f;
    auto v = [&](const std::string& name) -> const std::vector<float>& { return values.at(name); };
    std::vector<float> h(size_t(T) * H);
    for (int t = 0; t < T; ++t)
      for (int j = 0; j < H; ++j)
        h[size_t(t) * H + j] = v("backbone.embeddings.weight")[size_t(ids[size_t(t)]) * H + j];
    std::vector<std::vector<float>> out;
    for (int layer = 0; layer < layers; ++layer) {
      const std::string p = "backbone.layers." + std::to_string(layer) + ".mixer.";
      const std::string np = "backbone.layers." + std::to_string(layer) + ".norm.weight";
      std::vector<float> proj(size_t(T) * ind), xbc(size_t(T) * cd), y(size_t(T) * di);
      for (int t = 0; t < T; ++t) {
        double ss = 0;
        for (int j = 0; j < H; ++j) ss += double(h[size_t(t) * H + j]) * h[size_t(t) * H + j];
        const float inv = 1.0f / std::sqrt(float(ss / H) + eps);
        for (int o = 0; o < ind; ++o) {
          double acc = v(p + "in_proj.bias")[size_t(o)];
          for (int j = 0; j < H; ++j)
            acc += double(v(p + "in_proj.weight")[size_t(o) * H + j]) * (h[size_t(t) * H + j] * inv * v(np)[size_t(j)]);
          proj[size_t(t) * ind + o] = float(acc);
        }
      }
      for (int t = 0; t < T; ++t)
        for (int c = 0; c < cd; ++c) {
          double acc = v(p + "conv1d.bias")[size_t(c)];
          for (int k = 0; k < conv; ++k) {
            const int src = t - (conv - 1) + k;
            if (src >= 0)
              acc += double(v(p + "conv1d.weight")[size_t(c) * conv + k]) * proj[size_t(src) * ind + di + c];
          }
          xbc[size_t(t) * cd + c] = silu(float(acc));
        }
      std::vector<double> S(size_t(heads) * head_dim * state, 0.0);
      for (int t = 0; t < T; ++t)
        for (int hd = 0; hd < heads; ++hd) {
          const int g = hd / (heads / groups);
          float dt = softplus(proj[size_t(t) * ind + di + cd + hd] + v(p + "dt_bias")[size_t(hd)]);
          dt = std::clamp(dt, float(dt_min), float(dt_max));
          const double a = std::exp(double(dt) * -std::exp(double(v(p + "A_log")[size_t(hd)])));
          const float* x = &xbc[size_t(t) * cd + size_t(hd) * head_dim];
          const float* B = &xbc[size_t(t) * cd + di + size_t(g) * state];
          const float* C = &xbc[size_t(t) * cd + di + size_t(groups) * state + size_t(g) * state];
          for (int q = 0; q < head_dim; ++q) {
            double acc = 0;
            for (int n = 0; n < state; ++n) {
              double& s = S[(size_t(hd) * head_dim + q) * state + n];
              s = a * s + double(dt) * x[q] * B[n];
              acc += s * C[n];
            }
            y[size_t(t) * di + size_t(hd) * head_dim + q] = float(acc + v(p + "D")[size_t(hd)] * x[q]);
          }
        }
      const int width = di / groups;
      for (int t = 0; t < T; ++t) {
        std::vector<float> g(static_cast<size_t>(di));
        for (int c = 0; c < di; ++c) g[size_t(c)] = y[size_t(t) * di + c] * silu(proj[size_t(t) * ind + c]);
        for (int gr = 0; gr < groups; ++gr) {
          double ss = 0;
          for (int c = gr * width; c < (gr + 1) * width; ++c) ss += double(g[size_t(c)]) * g[size_t(c)];
          const float inv = 1.0f / std::sqrt(float(ss / width) + eps);
          for (int c = gr * width; c < (gr + 1) * width; ++c) g[size_t(c)] *= inv * v(p + "norm.weight")[size_t(c)];
        }
        for (int j = 0; j < H; ++j) {
          double acc = v(p + "out_proj.bias")[size_t(j)];
          for (int c = 0; c < di; ++c) acc += double(v(p + "out_proj.weight")[size_t(j) * di + c]) * g[size_t(c)];
          h[size_t(t) * H + j] += float(acc);
        }
      }
      out.push_back(h);
    }
    return out;
  }
};

// Largest error of the first P positions at any depth, relative to the largest reference value.
float hidden_relative_error(const std::vector<std::vector<float>>& got, const std::vector<float>& want, int P, int H) {
  float err = 0.0f;
  for (size_t d = 0; d < got.size(); ++d)
    for (size_t i = 0; i < size_t(P) * H; ++i) err = std::max(err, std::fabs(got[d][i] - want[d * P * H + i]));
  return err / max_abs(want);
}

// Random scan inputs laid out as the engine lays them out: x | B | C in one row.
struct ScanCase {
  SsmScanArgs args;
  std::vector<float> xbc, dt, A, D, state, y;
  ScanCase(int T, int heads, int head_dim, int groups, int state_size, unsigned seed) {
    std::mt19937 rng(seed);
    const int64_t width = int64_t(heads) * head_dim + 2 * int64_t(groups) * state_size;
    xbc = random_values(size_t(T * width), -1, 1, rng);
    dt = random_values(size_t(T) * heads, 0.001f, 0.5f, rng);
    A = random_values(size_t(heads), -8.0f, -0.5f, rng);
    D = random_values(size_t(heads), 0.5f, 1.5f, rng);
    state = random_values(size_t(heads) * head_dim * state_size, -1, 1, rng);  // a sequence already under way
    y.assign(size_t(T) * heads * head_dim, 0.0f);
    args.T = T, args.heads = heads, args.head_dim = head_dim, args.groups = groups, args.state_size = state_size;
    args.x = xbc.data();
    args.B = xbc.data() + heads * head_dim;
    args.C = xbc.data() + heads * head_dim + groups * state_size;
    args.ld_in = width;
    args.dt = dt.data(), args.A = A.data(), args.D = D.data();
    args.state = state.data(), args.y = y.data(), args.ld_y = int64_t(heads) * head_dim;
  }
};

}  // namespace

class TestMamba2 : public QObject {
  Q_OBJECT

  std::unique_ptr<Model> tiny_;
  std::unique_ptr<Reference> ref_;
  QTemporaryDir tmp_;
  fs::path dir() const { return tmp_.path().toStdString(); }

  Model& tiny() {
    if (!tiny_) tiny_ = load_model(testing_support::shared_dir() / "fixtures/models/tiny-codestral");
    return *tiny_;
  }
  const Reference& ref() {
    if (!ref_)
      ref_ = std::make_unique<Reference>(testing_support::shared_dir() /
                                         "fixtures/references/tiny-codestral.reference.safetensors");
    return *ref_;
  }

 private slots:
  // --------------------------------------------------------------------------- tiny-codestral
  // A sequence longer than the mixer's slab (512 rows), whole and in uneven pieces, gives the same stream.
  void sequenceInPiecesMatchesWhole() {
    REQUIRE_SHARED();
    std::vector<int32_t> ids;
    for (int p = 0; p < 5; ++p) {
      const std::vector<int32_t> more = ref().ints("p" + std::to_string(p) + ".input_ids");
      ids.insert(ids.end(), more.begin(), more.end());
    }
    QVERIFY(ids.size() > 600);
    ids.resize(600);
    auto whole_state = tiny().new_state();
    const std::vector<float> whole = forward(tiny(), ids, *whole_state);
    auto state = tiny().new_state();
    std::vector<float> pieces;
    for (auto [from, to] : {std::pair{0, 37}, {37, 38}, {38, 300}, {300, 600}}) {
      const std::vector<float> part = forward(tiny(), std::span(ids).subspan(size_t(from), size_t(to - from)), *state);
      pieces.insert(pieces.end(), part.begin(), part.end());
    }
    QCOMPARE(state->position, 600);
    const float err = max_abs_diff(whole, pieces) / max_abs(whole);
    QVERIFY2(err < 1e-4f, qPrintable(QString("pieces vs whole: relative error %1").arg(err)));
  }

  // --------------------------------------------------------------------------- the per-group gated norm
  void gateNormPerGroupDiffersFromWholeWidth() {
    std::mt19937 rng(3);
    const int T = 3, n = 384, groups = 4;
    const std::vector<float> y = random_values(size_t(T) * n, -2, 2, rng), z = random_values(size_t(T) * n, -2, 2, rng);
    std::vector<float> w = random_values(size_t(n), 0.5f, 1.5f, rng), grouped(y.size()), whole(y.size());
    // Scale one group up: a per-group norm undoes it, a whole-width one does not.
    std::vector<float> y_scaled = y;
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < n / groups; ++i) y_scaled[size_t(t) * n + i] *= 10.0f;
    gated_group_norm(y_scaled.data(), z.data(), n, T, n, groups, w.data(), 1e-5f, grouped.data());
    gated_group_norm(y_scaled.data(), z.data(), n, T, n, 1, w.data(), 1e-5f, whole.data());
    QVERIFY(max_abs_diff(grouped, whole) > 0.1f);
    // Each group of the grouped result has unit RMS before the weight: check it on the scaled group.
    double ss = 0;
    for (int i = 0; i < n / groups; ++i) ss += std::pow(grouped[size_t(i)] / w[size_t(i)], 2.0);
    QVERIFY(std::fabs(ss / (n / groups) - 1.0) < 1e-3);
  }

  // tiny-codestral has 4 groups: its reference is matched with the per-group norm and missed by far without it.
  void referenceNeedsPerGroupNorm() {
    REQUIRE_SHARED();
    auto& model = dynamic_cast<Mamba2Model&>(tiny());
    QCOMPARE(model.gate_norm_groups(), 4);
    const std::vector<int32_t> ids = ref().ints("p0.input_ids");
    const auto shape = ref().shape("p0.hidden_states");
    const std::vector<float> want = ref().floats("p0.hidden_states");
    const float grouped = hidden_relative_error(testing_support::all_hidden(model, ids), want, int(shape[1]), int(shape[2]));
    model.set_gate_norm_groups(1);
    const float whole = hidden_relative_error(testing_support::all_hidden(model, ids), want, int(shape[1]), int(shape[2]));
    model.set_gate_norm_groups(4);
    qInfo("hidden-state error: per-group norm %.3g, whole-width norm %.3g (× max|h|)", grouped, whole);
    QVERIFY(grouped <= 1e-3f);
    QVERIFY(whole > 1e-2f);
  }

  // --------------------------------------------------------------------------- kernels
  void chunkedScanMatchesSequential_data() {
    QTest::addColumn<int>("T");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("head_dim");
    QTest::addColumn<int>("groups");
    QTest::addColumn<int>("state_size");
    QTest::addColumn<int>("chunk");
    // Sequential paths: state rows (T < 32, state % 16 = 0), transposed state (T >= 32, head_dim % 16 = 0), scalar.
    QTest::newRow("one token") << 1 << 12 << 32 << 4 << 32 << 64;
    QTest::newRow("rows, 31 tokens") << 31 << 12 << 32 << 4 << 32 << 8;
    QTest::newRow("chunk - 1") << 63 << 12 << 32 << 4 << 32 << 64;
    QTest::newRow("one chunk") << 64 << 12 << 32 << 4 << 32 << 64;
    QTest::newRow("chunk + 1") << 65 << 12 << 32 << 4 << 32 << 64;
    QTest::newRow("3.4 chunks") << 217 << 12 << 32 << 4 << 32 << 64;
    QTest::newRow("codestral-like") << 300 << 16 << 64 << 2 << 128 << 256;
    QTest::newRow("transposed, odd state") << 40 << 6 << 48 << 3 << 24 << 16;
    QTest::newRow("scalar, short") << 5 << 6 << 48 << 3 << 24 << 4;
    QTest::newRow("scalar state") << 70 << 6 << 8 << 3 << 24 << 16;
    QTest::newRow("one group") << 50 << 4 << 16 << 1 << 16 << 32;
  }
  void chunkedScanMatchesSequential() {
    QFETCH(int, T);
    QFETCH(int, heads);
    QFETCH(int, head_dim);
    QFETCH(int, groups);
    QFETCH(int, state_size);
    QFETCH(int, chunk);
    ScanCase seq(T, heads, head_dim, groups, state_size, 11), chk(T, heads, head_dim, groups, state_size, 11);
    ssm_scan_sequential(seq.args);
    ssm_scan_chunked(chk.args, chunk);
    qInfo("sequential path: %s", ssm_scan_kernel_name(seq.args));
    const float y_err = max_abs_diff(seq.y, chk.y) / max_abs(seq.y);
    const float s_err = max_abs_diff(seq.state, chk.state) / max_abs(seq.state);
    QVERIFY2(y_err < 1e-5f, qPrintable(QString("outputs differ: %1").arg(y_err)));
    QVERIFY2(s_err < 1e-5f, qPrintable(QString("states differ: %1").arg(s_err)));
    // Without outputs only the state advances, to the same values.
    for (bool chunked : {false, true}) {
      ScanCase quiet(T, heads, head_dim, groups, state_size, 11);
      quiet.args.y = nullptr;
      chunked ? ssm_scan_chunked(quiet.args, chunk) : ssm_scan_sequential(quiet.args);
      QVERIFY(max_abs_diff(quiet.state, seq.state) / max_abs(seq.state) < 1e-5f);
      QVERIFY(max_abs(quiet.y) == 0.0f);
    }
  }

  void causalConvContinuesAcrossCalls_data() {
    QTest::addColumn<int>("K");
    QTest::newRow("K=1") << 1;
    QTest::newRow("K=2") << 2;
    QTest::newRow("K=4") << 4;
    QTest::newRow("K=5") << 5;
  }
  void causalConvContinuesAcrossCalls() {
    QFETCH(int, K);
    std::mt19937 rng(5);
    const int T = 9, C = 7, ld = 10;
    const std::vector<float> in = random_values(size_t(T) * ld, -1, 1, rng),
                             w = random_values(size_t(K) * C, -1, 1, rng), bias = random_values(size_t(C), -1, 1, rng);
    // Plain definition, zeros before the start.
    std::vector<float> want(size_t(T) * C);
    for (int t = 0; t < T; ++t)
      for (int c = 0; c < C; ++c) {
        float acc = bias[size_t(c)];
        for (int k = 0; k < K; ++k)
          if (t - (K - 1) + k >= 0) acc += w[size_t(k) * C + c] * in[size_t(t - (K - 1) + k) * ld + c];
        want[size_t(t) * C + c] = silu(acc);
      }
    for (int split : {T, 1, 2, 5}) {  // whole, token by token, pieces shorter and longer than K − 1
      std::vector<float> history(size_t(std::max(K - 1, 1)) * C, 0.0f), got(size_t(T) * C);
      for (int t0 = 0; t0 < T; t0 += split) {
        const int n = std::min(split, T - t0);
        causal_conv_silu(in.data() + size_t(t0) * ld, ld, n, C, K, w.data(), bias.data(), history.data(),
                         got.data() + size_t(t0) * C);
      }
      QVERIFY2(max_abs_diff(got, want) < 1e-6f, qPrintable(QString("split %1").arg(split)));
      for (int r = 0; r < K - 1; ++r)  // the history holds the last K − 1 inputs
        for (int c = 0; c < C; ++c) QCOMPARE(history[size_t(r) * C + c], in[size_t(T - (K - 1) + r) * ld + c]);
    }
  }

  // --------------------------------------------------------------------------- a small model with every option
  void smallModelMatchesLoopOracle() {
    const SmallModel spec;
    spec.write(dir() / "small");
    auto model = load_model(dir() / "small");
    const std::vector<int32_t> ids = {1, 5, 9, 3, 15, 0, 7, 7, 2, 11, 4, 8, 13};
    const auto want = spec.oracle_hidden(ids), got = testing_support::all_hidden(*model, ids);
    for (int d = 0; d < spec.layers; ++d) {
      const float err = max_abs_diff(got[size_t(d)], want[size_t(d)]) / max_abs(want[size_t(d)]);
      QVERIFY2(err < 1e-5f, qPrintable(QString("depth %1: relative error %2").arg(d + 1).arg(err)));
    }
    const std::string msg = testing_support::check_decode_matches_prefill(*model, ids, 1e-5f);
    QVERIFY2(msg.empty(), msg.c_str());
  }

  // --------------------------------------------------------------------------- states
  void advanceBlockStateMatchesRunBlock() {
    const SmallModel spec;
    spec.write(dir() / "small");
    auto loaded = load_model(dir() / "small");
    auto& model = dynamic_cast<Mamba2Model&>(*loaded);
    const std::vector<int32_t> ids = {1, 4, 2, 8, 5, 7};
    std::vector<float> h(ids.size() * size_t(model.hidden_size()));
    model.embed(ids, h.data());
    auto full = model.new_state(), partial = model.new_state();
    std::vector<float> h_run = h;
    model.run_block(1, h_run.data(), int(ids.size()), 0, *full);
    model.advance_block_state(1, h.data(), int(ids.size()), *partial);
    auto& a = dynamic_cast<RecurrentState&>(*full);
    auto& b = dynamic_cast<RecurrentState&>(*partial);
    for (int d = 1; d <= 2; ++d) {
      QVERIFY(std::ranges::equal(a.conv(d), b.conv(d)));
      QVERIFY(std::ranges::equal(a.ssm(d), b.ssm(d)));
    }
    QVERIFY(max_abs(std::vector<float>(b.ssm(1).begin(), b.ssm(1).end())) > 0.0f);
    QVERIFY(max_abs(std::vector<float>(b.ssm(2).begin(), b.ssm(2).end())) == 0.0f);  // other blocks untouched
  }

  void stateCloneResetTruncate() {
    const SmallModel spec;
    spec.write(dir() / "small");
    auto model = load_model(dir() / "small");
    const std::vector<int32_t> prompt = {1, 3, 5, 7}, next = {9, 2};
    auto state = model->new_state();
    forward(*model, prompt, *state);
    auto copy = state->clone();
    QCOMPARE(copy->position, 4);
    const std::vector<float> a = forward(*model, next, *state), b = forward(*model, next, *copy);
    QCOMPARE(a, b);
    // A fresh state, a reset state and the whole sequence at once agree.
    state->reset();
    QCOMPARE(state->position, 0);
    std::vector<int32_t> all = prompt;
    all.insert(all.end(), next.begin(), next.end());
    const std::vector<float> whole = forward(*model, all, *state);
    QVERIFY(max_abs_diff(std::vector<float>(whole.end() - long(a.size()), whole.end()), a) < 1e-5f);
    state->truncate(6);  // nothing to forget
    const QString err = error_of([&] { state->truncate(4); });
    QVERIFY2(err.contains("clone"), qPrintable(err));
    auto& s = dynamic_cast<RecurrentState&>(*state);
    QCOMPARE(int(s.conv(1).size()), (spec.conv - 1) * spec.conv_dim());
    QCOMPARE(int(s.ssm(2).size()), spec.heads * spec.head_dim * spec.state);
    QVERIFY(!error_of([&] { s.ssm(3); }).isEmpty());
  }

  // --------------------------------------------------------------------------- bad input
  void missingTensorIsNamed() {
    const SmallModel spec;
    spec.write(dir() / "missing", [](auto& t) { t.erase("backbone.layers.1.mixer.D"); });
    const QString err = error_of([&] { load_model(dir() / "missing"); });
    QVERIFY2(err.contains("backbone.layers.1.mixer.D"), qPrintable(err));
  }

  void misshapedTensorNamesBothShapes() {
    const SmallModel spec;
    spec.write(dir() / "misshaped", [&](auto& t) {
      t["backbone.layers.0.mixer.conv1d.weight"] =
          TensorData::bf16({spec.conv_dim(), 1, 4}, std::vector<float>(size_t(spec.conv_dim()) * 4, 0.1f));
    });
    const QString err = error_of([&] { load_model(dir() / "misshaped"); });
    QVERIFY2(err.contains("backbone.layers.0.mixer.conv1d.weight") && err.contains("[32, 1, 4]") &&
                 err.contains("[32, 1, 3]"),
             qPrintable(err));
  }

  void wrongDtypeIsNamed() {
    const SmallModel spec;
    spec.write(dir() / "dtype", [&](auto& t) {
      t["backbone.layers.0.mixer.A_log"] = TensorData::i32({spec.heads}, {1, 2, 3, 4});
    });
    const QString err = error_of([&] { load_model(dir() / "dtype"); });
    QVERIFY2(err.contains("backbone.layers.0.mixer.A_log") && err.contains("I32"), qPrintable(err));
  }

  void inconsistentConfigIsRejected() {
    const SmallModel spec;
    spec.write(dir() / "width", {}, spec.config_json(/*heads=*/3));  // 3 × 4 ≠ 2 × 8
    const QString width = error_of([&] { load_model(dir() / "width"); });
    QVERIFY2(width.contains("num_heads") && width.contains("expand"), qPrintable(width));
    spec.write(dir() / "groups", {}, spec.config_json(0, /*groups=*/3));  // 3 does not divide 4 heads
    const QString groups = error_of([&] { load_model(dir() / "groups"); });
    QVERIFY2(groups.contains("n_groups"), qPrintable(groups));
  }

  void tokenOutsideVocabularyThrows() {
    const SmallModel spec;
    spec.write(dir() / "small");
    auto model = load_model(dir() / "small");
    auto state = model->new_state();
    for (int32_t bad : {16, -1, 1 << 30}) {
      const std::vector<int32_t> ids = {1, bad};
      const QString err = error_of([&] { forward(*model, ids, *state); });
      QVERIFY2(err.contains("outside the vocabulary"), qPrintable(err));
    }
  }

  void foreignStateIsRejected() {
    const SmallModel spec;
    spec.write(dir() / "small");
    auto model = load_model(dir() / "small");
    struct OtherState : ModelState {
      std::unique_ptr<ModelState> clone() const override { return nullptr; }
      void reset() override {}
      void truncate(int) override {}
    } other;
    std::vector<float> h(size_t(spec.hidden), 0.5f);
    QVERIFY(!error_of([&] { model->run_block(1, h.data(), 1, 0, other); }).isEmpty());
    auto state = model->new_state();
    QVERIFY(!error_of([&] { model->run_block(3, h.data(), 1, 0, *state); }).isEmpty());
  }
};

QTEST_APPLESS_MAIN(TestMamba2)
#include "test_mamba2.moc"
