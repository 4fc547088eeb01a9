// The Mamba-1 / FalconMamba engine: a plain loop-by-loop restatement of Hugging Face's slow_forward on small random
// models (both classes, with and without biases), the decode path against the sequence path, slabs, the recurrent
// state, the published configs and their parameter counts, and every kind of bad input. The reference checks
// against tiny-mamba / tiny-falcon-mamba are in test_reference_models.cpp.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "core/common/error.h"
#include "core/io/model_config.h"
#include "core/io/model_summary.h"
#include "core/io/safetensors_writer.h"
#include "core/kernels/activations.h"
#include "core/kernels/convert.h"
#include "core/kernels/selective_scan.h"
#include "core/models/mamba.h"
#include "support/engine_test_helpers.h"
#include "support/reference_checks.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;
using testing_support::random_values;
using testing_support::max_abs;
using testing_support::error_of;
using nlohmann::json;
using testing_support::max_abs_diff;

namespace {

// A small random Mamba-1 model: hidden 24 with "auto" rank (ceil(24/16) = 2), expand 2, N = 5 (not a multiple of
// any vector width), conv 3.
struct SmallMamba {
  bool falcon = false, bias = false, tied = false;
  int hidden = 24, layers = 2, inner = 48, state = 5, conv = 3, vocab = 16, rank = 2;
  double mixer_eps = 1e-6;
  std::map<std::string, std::vector<float>> values;  // exactly what is written (bf16-representable)
  std::map<std::string, std::vector<int64_t>> shapes;

  int xdim() const { return rank + 2 * state; }

  SmallMamba(bool falcon_, bool bias_, bool tied_, unsigned seed = 11) : falcon(falcon_), bias(bias_), tied(tied_) {
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
    if (!tied) add("lm_head.weight", {vocab, hidden}, -0.5f, 0.5f);
    for (int i = 0; i < layers; ++i) {
      const std::string p = "backbone.layers." + std::to_string(i) + ".";
      add(p + "norm.weight", {hidden}, 0.8f, 1.2f);
      add(p + "mixer.in_proj.weight", {2 * inner, hidden}, -0.4f, 0.4f);
      if (bias) add(p + "mixer.in_proj.bias", {2 * inner}, -0.2f, 0.2f);
      add(p + "mixer.conv1d.weight", {inner, 1, conv}, -0.6f, 0.6f);
      add(p + "mixer.conv1d.bias", {inner}, -0.2f, 0.2f);
      add(p + "mixer.x_proj.weight", {xdim(), inner}, -0.3f, 0.3f);
      add(p + "mixer.dt_proj.weight", {inner, rank}, -0.5f, 0.5f);
      add(p + "mixer.dt_proj.bias", {inner}, -3.0f, -1.0f);
      add(p + "mixer.A_log", {inner, state}, 0.0f, 2.0f);
      add(p + "mixer.D", {inner}, 0.5f, 1.5f);
      add(p + "mixer.out_proj.weight", {hidden, inner}, -0.3f, 0.3f);
      if (bias) add(p + "mixer.out_proj.bias", {hidden}, -0.1f, 0.1f);
    }
  }

  json config() const {
    json c = {{"architectures", {falcon ? "FalconMambaForCausalLM" : "MambaForCausalLM"}},
              {"model_type", falcon ? "falcon_mamba" : "mamba"},
              {"hidden_size", hidden},
              {"num_hidden_layers", layers},
              {"vocab_size", vocab},
              {"state_size", state},
              {"conv_kernel", conv},
              {"expand", 2},
              {"intermediate_size", inner},
              {"time_step_rank", "auto"},
              {"use_bias", bias},
              {"use_conv_bias", true},
              {"hidden_act", "silu"},
              {"layer_norm_epsilon", 1e-5},
              {"residual_in_fp32", true},
              {"tie_word_embeddings", tied}};
    if (falcon) c["mixer_rms_eps"] = mixer_eps;
    return c;
  }

  // Writes the folder; matrices in bf16, vectors in f32 (both dtypes load). `edit` may change the tensors first.
  void write(const fs::path& dir, const std::function<void(std::map<std::string, TensorData>&)>& edit = {},
             const json& config_override = {}) const {
    std::map<std::string, TensorData> tensors;
    for (auto& [name, v] : values)
      tensors[name] =
          shapes.at(name).size() >= 2 ? TensorData::bf16(shapes.at(name), v) : TensorData::f32(shapes.at(name), v);
    if (edit) edit(tensors);
    fs::create_directories(dir);
    write_safetensors(dir / "model.safetensors", tensors);
    testing_support::write_file(dir / "config.json", (config_override.is_null() ? config() : config_override).dump());
  }

  // The residual stream after every block, restated loop by loop from Hugging Face's MambaMixer.slow_forward
  // (FalconMambaMixer's adds rms_forward on dt, B and C right after x_proj), in double.
  std::vector<std::vector<float>> oracle_hidden(const std::vector<int32_t>& ids) const {
    const int T = int(ids.size()), H = hidden, N = state;
    auto v = [&](const std::string& name) -> const std::vector<float>& { return values.at(name); };
    auto rms = [](double* x, int n, double eps, const float* w) {
      double ss = 0;
      for (int i = 0; i < n; ++i) ss += x[i] * x[i];
      const double inv = 1.0 / std::sqrt(ss / n + eps);
      for (int i = 0; i < n; ++i) x[i] *= inv * (w ? w[i] : 1.0);
    };
    std::vector<double> h(size_t(T) * H);
    for (int t = 0; t < T; ++t)
      for (int j = 0; j < H; ++j)
        h[size_t(t) * H + j] = v("backbone.embeddings.weight")[size_t(ids[size_t(t)]) * H + j];
    std::vector<std::vector<float>> out;
    for (int layer = 0; layer < layers; ++layer) {
      const std::string p = "backbone.layers." + std::to_string(layer) + ".mixer.";
      const float* norm_w = v("backbone.layers." + std::to_string(layer) + ".norm.weight").data();
      std::vector<double> xs(size_t(T) * inner), gate(size_t(T) * inner), xc(size_t(T) * inner);
      for (int t = 0; t < T; ++t) {
        std::vector<double> n(h.begin() + t * H, h.begin() + (t + 1) * H);
        rms(n.data(), H, 1e-5, norm_w);
        for (int o = 0; o < 2 * inner; ++o) {
          double acc = bias ? v(p + "in_proj.bias")[size_t(o)] : 0.0;
          for (int j = 0; j < H; ++j) acc += double(v(p + "in_proj.weight")[size_t(o) * H + j]) * n[size_t(j)];
          (o < inner ? xs[size_t(t) * inner + o] : gate[size_t(t) * inner + o - inner]) = acc;
        }
      }
      for (int t = 0; t < T; ++t)
        for (int c = 0; c < inner; ++c) {
          double acc = v(p + "conv1d.bias")[size_t(c)];
          for (int k = 0; k < conv; ++k)
            if (const int src = t - (conv - 1) + k; src >= 0)
              acc += double(v(p + "conv1d.weight")[size_t(c) * conv + k]) * xs[size_t(src) * inner + c];
          xc[size_t(t) * inner + c] = acc / (1.0 + std::exp(-acc));
        }
      std::vector<double> S(size_t(inner) * N, 0.0);
      for (int t = 0; t < T; ++t) {
        std::vector<double> dbl(static_cast<size_t>(xdim()));
        for (int o = 0; o < xdim(); ++o) {
          double acc = 0;
          for (int c = 0; c < inner; ++c)
            acc += double(v(p + "x_proj.weight")[size_t(o) * inner + c]) * xc[size_t(t) * inner + c];
          dbl[size_t(o)] = acc;
        }
        if (falcon) {
          rms(dbl.data(), rank, mixer_eps, nullptr);
          rms(dbl.data() + rank, N, mixer_eps, nullptr);
          rms(dbl.data() + rank + N, N, mixer_eps, nullptr);
        }
        const double* B = dbl.data() + rank;
        const double* C = dbl.data() + rank + N;
        std::vector<double> y(static_cast<size_t>(inner));
        for (int c = 0; c < inner; ++c) {
          double dt = v(p + "dt_proj.bias")[size_t(c)];
          for (int r = 0; r < rank; ++r) dt += double(v(p + "dt_proj.weight")[size_t(c) * rank + r]) * dbl[size_t(r)];
          dt = dt > 20 ? dt : std::log1p(std::exp(dt));
          const double x = xc[size_t(t) * inner + c];
          double acc = 0;
          for (int n = 0; n < N; ++n) {
            const double A = -std::exp(double(v(p + "A_log")[size_t(c) * N + n]));
            double& s = S[size_t(c) * N + n];
            s = std::exp(A * dt) * s + dt * B[n] * x;
            acc += s * C[n];
          }
          const double g = gate[size_t(t) * inner + c];
          y[size_t(c)] = (acc + v(p + "D")[size_t(c)] * x) * (g / (1.0 + std::exp(-g)));
        }
        for (int j = 0; j < H; ++j) {
          double acc = bias ? v(p + "out_proj.bias")[size_t(j)] : 0.0;
          for (int c = 0; c < inner; ++c) acc += double(v(p + "out_proj.weight")[size_t(j) * inner + c]) * y[size_t(c)];
          h[size_t(t) * H + j] += acc;
        }
      }
      out.emplace_back(h.begin(), h.end());
    }
    return out;
  }
};

// A published config (values of the Hugging Face repository's config.json) with only the keys the engine reads.
json published(const std::string& arch, int hidden, int layers, int inner, int rank, int vocab, bool tied) {
  json c = {{"architectures", {arch}}, {"hidden_size", hidden}, {"num_hidden_layers", layers},
            {"intermediate_size", inner}, {"state_size", 16}, {"conv_kernel", 4}, {"expand", 2},
            {"time_step_rank", rank}, {"vocab_size", vocab}, {"use_bias", false}, {"use_conv_bias", true},
            {"layer_norm_epsilon", 1e-5}, {"hidden_act", "silu"}, {"tie_word_embeddings", tied}};
  return c;
}

}  // namespace

class TestMamba : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path dir() const { return tmp_.path().toStdString(); }

 private slots:
  // --------------------------------------------------------------------------- against Hugging Face's math
  void smallModelMatchesLoopOracle_data() {
    QTest::addColumn<bool>("falcon");
    QTest::addColumn<bool>("bias");
    QTest::addColumn<bool>("tied");
    QTest::newRow("mamba, tied") << false << false << true;
    QTest::newRow("mamba, biases, untied") << false << true << false;
    QTest::newRow("falcon-mamba, untied") << true << false << false;
    QTest::newRow("falcon-mamba, biases, tied") << true << true << true;
  }
  void smallModelMatchesLoopOracle() {
    QFETCH(bool, falcon);
    QFETCH(bool, bias);
    QFETCH(bool, tied);
    const SmallMamba spec(falcon, bias, tied);
    const fs::path folder = dir() / QTest::currentDataTag();
    spec.write(folder);
    auto model = load_model(folder);
    QCOMPARE(model->config().arch, falcon ? Architecture::FalconMamba : Architecture::Mamba);
    QCOMPARE(model->config().mamba1.time_step_rank, 2);  // "auto" = ceil(24 / 16)
    const std::vector<int32_t> ids = {1, 5, 9, 3, 15, 0, 7, 7, 2, 11, 4, 8, 13};
    const auto want = spec.oracle_hidden(ids), got = testing_support::all_hidden(*model, ids);
    for (int d = 0; d < spec.layers; ++d) {
      const float err = max_abs_diff(got[size_t(d)], want[size_t(d)]) / max_abs(want[size_t(d)]);
      QVERIFY2(err < 1e-5f, qPrintable(QString("depth %1: relative error %2").arg(d + 1).arg(err)));
    }
    // The decode path (T = 1 through the state) gives the sequence path's logits at every depth.
    const std::string msg = testing_support::check_decode_matches_prefill(*model, ids, 1e-5f);
    QVERIFY2(msg.empty(), msg.c_str());
  }

  // FalconMamba's norms change the numbers: the same weights read as Mamba-1 miss the Falcon oracle by far.
  void falconNormsMatter() {
    const SmallMamba falcon(true, false, false), plain(false, false, false);
    plain.write(dir() / "plain");
    auto model = load_model(dir() / "plain");
    const std::vector<int32_t> ids = {3, 1, 4, 1, 5, 9, 2, 6};
    const auto want = falcon.oracle_hidden(ids), got = testing_support::all_hidden(*model, ids);
    QVERIFY(max_abs_diff(got.back(), want.back()) / max_abs(want.back()) > 1e-2f);
  }

  // A sequence longer than the mixer's slab (512 rows), whole and in uneven pieces, gives the same stream.
  void sequenceInPiecesMatchesWhole() {
    const SmallMamba spec(true, true, false);
    spec.write(dir() / "long");
    auto model = load_model(dir() / "long");
    std::vector<int32_t> ids(600);
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = int32_t((i * 7 + i / 13) % 16);
    auto whole_state = model->new_state();
    const std::vector<float> whole = forward(*model, ids, *whole_state);
    auto state = model->new_state();
    std::vector<float> pieces;
    for (auto [from, to] : {std::pair{0, 37}, {37, 38}, {38, 300}, {300, 600}}) {
      const std::vector<float> part = forward(*model, std::span(ids).subspan(size_t(from), size_t(to - from)), *state);
      pieces.insert(pieces.end(), part.begin(), part.end());
    }
    QCOMPARE(state->position, 600);
    const float err = max_abs_diff(whole, pieces) / max_abs(whole);
    QVERIFY2(err < 1e-5f, qPrintable(QString("pieces vs whole: relative error %1").arg(err)));
  }

  // --------------------------------------------------------------------------- the scan kernel
  // One channel by hand: N = 2, A = (−1, −2), two tokens from a zero state.
  //   t0: dt 0.5, x 2, B (1, 0), C (1, 1): S = (0.5·2·1, 0) = (1, 0); y = 1 + D·x = 1 + 0.5·2 = 2
  //   t1: dt 1, x −1, B (0, 2), C (2, 1): S = (e^−1·1, e^−2·0 + 1·(−1)·2) = (0.3679, −2); y = 0.7358 − 2 − 0.5
  void scanByHand() {
    const std::vector<float> x = {2, -1}, dt = {0.5f, 1}, bc = {1, 0, 1, 1, 0, 2, 2, 1}, A = {-1, -2}, D = {0.5f};
    std::vector<float> state(2, 0.0f), y(2, 0.0f);
    SelectiveScanArgs a;
    a.T = 2, a.channels = 1, a.state_size = 2;
    a.x = x.data(), a.ld_x = 1, a.dt = dt.data();
    a.B = bc.data(), a.C = bc.data() + 2, a.ld_bc = 4;
    a.A = A.data(), a.D = D.data(), a.state = state.data(), a.y = y.data(), a.ld_y = 1;
    selective_scan(a);
    QVERIFY(std::fabs(y[0] - 2.0f) < 1e-6f);
    QVERIFY(std::fabs(y[1] - float(2 * std::exp(-1.0) - 2 - 0.5)) < 1e-6f);
    QVERIFY(std::fabs(state[0] - float(std::exp(-1.0))) < 1e-6f);
    QCOMPARE(state[1], -2.0f);
    // Without outputs only the state advances, to the same values.
    std::vector<float> quiet(2, 0.0f);
    a.state = quiet.data(), a.y = nullptr;
    selective_scan(a);
    QCOMPARE(quiet, state);
  }

  // The vector path (16 channels a block, polynomial exp) against the channel-by-channel one with std::exp.
  void vectorScanMatchesScalar_data() {
    QTest::addColumn<int>("T");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("state_size");
    QTest::newRow("decode, mamba-like") << 1 << 64 << 16;
    QTest::newRow("prefill, mamba-like") << 97 << 128 << 16;
    QTest::newRow("odd state, remainder channels") << 20 << 40 << 5;
    QTest::newRow("large state") << 9 << 32 << 64;
    QTest::newRow("state past registers (scalar)") << 5 << 32 << 65;
    QTest::newRow("fewer than 16 channels (scalar)") << 7 << 15 << 16;
  }
  void vectorScanMatchesScalar() {
    QFETCH(int, T);
    QFETCH(int, channels);
    QFETCH(int, state_size);
    std::mt19937 rng(17);
    const int ld_bc = 3 + 2 * state_size;  // B and C inside a wider row, as x_proj lays them out
    const std::vector<float> x = random_values(size_t(T) * channels, -2, 2, rng);
    const std::vector<float> dt = random_values(size_t(T) * channels, 0.0005f, 2.0f, rng);
    const std::vector<float> bc = random_values(size_t(T) * ld_bc, -1.5f, 1.5f, rng);
    std::vector<float> A = random_values(size_t(channels) * state_size, -60.0f, -0.01f, rng);
    A[0] = -200.0f;  // dt·A below the exp's −87 floor: the state decays to nothing
    const std::vector<float> D = random_values(size_t(channels), 0.5f, 1.5f, rng);
    const std::vector<float> start = random_values(size_t(channels) * state_size, -1, 1, rng);
    auto run = [&](bool vector, std::vector<float>& state, std::vector<float>& y) {
      state = start;
      y.assign(size_t(T) * channels, 0.0f);
      SelectiveScanArgs a;
      a.T = T, a.channels = channels, a.state_size = state_size;
      a.x = x.data(), a.ld_x = channels, a.dt = dt.data();
      a.B = bc.data() + 3, a.C = bc.data() + 3 + state_size, a.ld_bc = ld_bc;
      a.A = A.data(), a.D = D.data(), a.state = state.data(), a.y = y.data(), a.ld_y = channels;
      if (vector) qInfo("path: %s", selective_scan_kernel_name(a));
      vector ? selective_scan(a) : selective_scan_scalar(a);
    };
    std::vector<float> s_vec, y_vec, s_ref, y_ref;
    run(true, s_vec, y_vec);
    run(false, s_ref, y_ref);
    const float y_err = max_abs_diff(y_vec, y_ref) / max_abs(y_ref);
    const float s_err = max_abs_diff(s_vec, s_ref) / max_abs(s_ref);
    QVERIFY2(y_err < 1e-6f, qPrintable(QString("outputs differ: %1").arg(y_err)));
    QVERIFY2(s_err < 1e-6f, qPrintable(QString("states differ: %1").arg(s_err)));
  }

  // --------------------------------------------------------------------------- states
  void advanceBlockStateMatchesRunBlock() {
    const SmallMamba spec(false, false, true);
    spec.write(dir() / "small");
    auto loaded = load_model(dir() / "small");
    auto& model = dynamic_cast<RecurrentModel&>(*loaded);
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
    const SmallMamba spec(true, false, false);
    spec.write(dir() / "small");
    auto model = load_model(dir() / "small");
    const std::vector<int32_t> prompt = {1, 3, 5, 7}, next = {9, 2};
    auto state = model->new_state();
    forward(*model, prompt, *state);
    auto copy = state->clone();
    QCOMPARE(copy->position, 4);
    const std::vector<float> a = forward(*model, next, *state), b = forward(*model, next, *copy);
    QCOMPARE(a, b);
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
    QCOMPARE(int(s.conv(1).size()), (spec.conv - 1) * spec.inner);
    QCOMPARE(int(s.ssm(2).size()), spec.inner * spec.state);
    QVERIFY(!error_of([&] { s.ssm(3); }).isEmpty());
  }

  // --------------------------------------------------------------------------- published configs
  // Values of state-spaces/mamba-130m-hf, mamba-2.8b-hf and tiiuae/falcon-mamba-7b config.json; parameters against
  // the published sizes (129 M, 2.77 B, 7.27 B). falcon-mamba-7b stores expand 16 next to its real width
  // intermediate_size 8192, which wins as in Hugging Face.
  void publishedConfigs_data() {
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<qlonglong>("parameters");
    QTest::addColumn<int>("d_inner");
    // 130m: 50280·768 + 24·(768·3072 + 1536·5 + 1536·80 + 48·1536 + 1536 + 1536·16 + 1536 + 1536·768 + 768) + 768
    auto bytes = [](const json& j) { return QByteArray::fromStdString(j.dump()); };
    QTest::newRow("mamba-130m-hf") << bytes(published("MambaForCausalLM", 768, 24, 1536, 48, 50280, true))
                                   << qlonglong(129135360) << 1536;
    QTest::newRow("mamba-2.8b-hf") << bytes(published("MambaForCausalLM", 2560, 64, 5120, 160, 50280, true))
                                   << qlonglong(2768345600) << 5120;
    json falcon = published("FalconMambaForCausalLM", 4096, 64, 8192, 256, 65024, false);
    falcon["expand"] = 16;
    falcon["model_type"] = "falcon_mamba";
    QTest::newRow("falcon-mamba-7b") << bytes(falcon) << qlonglong(7272665088) << 8192;
  }
  void publishedConfigs() {
    QFETCH(QByteArray, config);
    QFETCH(qlonglong, parameters);
    QFETCH(int, d_inner);
    const ModelConfig c = parse_model_config(json::parse(config.toStdString()), "config.json");
    QCOMPARE(c.mamba1.d_inner, d_inner);
    QCOMPARE(qlonglong(c.parameter_count()), parameters);
  }

  void modelTypeAloneIsEnough() {
    json c = published("MambaForCausalLM", 64, 2, 128, 4, 100, true);
    c.erase("architectures");
    c["model_type"] = "falcon_mamba";
    c.erase("intermediate_size");
    c["time_step_rank"] = "auto";
    const ModelConfig m = parse_model_config(c, "config.json");
    QCOMPARE(m.arch, Architecture::FalconMamba);
    QCOMPARE(m.mamba1.d_inner, 128);  // expand · hidden
    QCOMPARE(m.mamba1.time_step_rank, 4);
    QCOMPARE(m.mamba1.mixer_rms_eps, 1e-6);
    QVERIFY(m.tie_word_embeddings);  // Mamba's default
  }

  void infoDescribesTheMixer() {
    const SmallMamba spec(true, false, false);
    spec.write(dir() / "info");
    const ModelSummary s = summarize_model_folder(dir() / "info");
    const std::string text = summary_to_text(s);
    QVERIFY2(text.find("FalconMambaForCausalLM") != std::string::npos, text.c_str());
    QVERIFY2(text.find("d_inner 48, state 5, conv 3, dt rank 2, RMS norms on dt/B/C") != std::string::npos,
             text.c_str());
    const json j = summary_to_json(s);
    QCOMPARE(j["time_step_rank"].get<int>(), 2);
    QCOMPARE(j["d_inner"].get<int>(), 48);
    // The tensors on disk add up to the config's count.
    QCOMPARE(s.parameters, s.config.parameter_count());
  }

  // --------------------------------------------------------------------------- bad input
  void missingTensorIsNamed() {
    const SmallMamba spec(false, false, true);
    spec.write(dir() / "missing", [](auto& t) { t.erase("backbone.layers.1.mixer.dt_proj.bias"); });
    const QString err = error_of([&] { load_model(dir() / "missing"); });
    QVERIFY2(err.contains("backbone.layers.1.mixer.dt_proj.bias"), qPrintable(err));
    spec.write(dir() / "untied", {}, [&] { json c = spec.config(); c["tie_word_embeddings"] = false; return c; }());
    const QString head = error_of([&] { load_model(dir() / "untied"); });
    QVERIFY2(head.contains("lm_head.weight"), qPrintable(head));
  }

  void misshapedTensorNamesBothShapes() {
    const SmallMamba spec(false, false, true);
    spec.write(dir() / "misshaped", [&](auto& t) {
      t["backbone.layers.0.mixer.A_log"] = TensorData::f32({spec.inner}, std::vector<float>(size_t(spec.inner), 0.1f));
    });
    const QString err = error_of([&] { load_model(dir() / "misshaped"); });
    QVERIFY2(err.contains("backbone.layers.0.mixer.A_log") && err.contains("[48, 5]") && err.contains("[48]"),
             qPrintable(err));
  }

  void wrongDtypeIsNamed() {
    const SmallMamba spec(false, false, true);
    spec.write(dir() / "dtype", [&](auto& t) {
      t["backbone.layers.1.mixer.x_proj.weight"] =
          TensorData::i32({spec.xdim(), spec.inner}, std::vector<int32_t>(size_t(spec.xdim() * spec.inner), 1));
    });
    const QString err = error_of([&] { load_model(dir() / "dtype"); });
    QVERIFY2(err.contains("backbone.layers.1.mixer.x_proj.weight") && err.contains("I32"), qPrintable(err));
  }

  void unsupportedConfigIsNamed_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("activation") << "hidden_act" << QByteArray("\"gelu\"") << "only silu";
    QTest::newRow("rank text") << "time_step_rank" << QByteArray("\"half\"") << "\"auto\"";
    QTest::newRow("rank zero") << "time_step_rank" << QByteArray("0") << "must be positive";
    QTest::newRow("mixer eps") << "mixer_rms_eps" << QByteArray("-1") << "must be positive";
    QTest::newRow("architecture") << "architectures" << QByteArray("[\"JambaForCausalLM\"]")
                                  << "FalconMambaForCausalLM";
  }
  void unsupportedConfigIsNamed() {
    QFETCH(QString, key);
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    json c = SmallMamba(true, false, false).config();
    c[key.toStdString()] = json::parse(value.toStdString());
    const QString err = error_of([&] { parse_model_config(c, "config.json"); });
    QVERIFY2(err.contains(key) && err.contains(expected), qPrintable(err));
  }

  void foreignStateIsRejected() {
    const SmallMamba spec(false, false, true);
    spec.write(dir() / "small");
    auto model = load_model(dir() / "small");
    std::vector<float> h(size_t(spec.hidden), 0.5f);
    // A state of another shape (a Mamba2-like one) and a depth outside 1..L.
    RecurrentState other(spec.layers, spec.conv - 1, spec.inner + 2 * spec.state, size_t(spec.inner) * spec.state);
    QVERIFY(error_of([&] { model->run_block(1, h.data(), 1, 0, other); }).contains("new_state"));
    auto state = model->new_state();
    QVERIFY(error_of([&] { model->run_block(3, h.data(), 1, 0, *state); }).contains("outside 1..2"));
  }
};

QTEST_APPLESS_MAIN(TestMamba)
#include "test_mamba.moc"
