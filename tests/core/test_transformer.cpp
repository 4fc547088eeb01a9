// The transformer engine (Mistral / Llama / Qwen2): against a naive loop implementation on small random models of every
// shape variant, prefill against decode, the matmul kernel, the KV cache, and every kind of bad input. Its Hugging
// Face reference (tiny-mistral) is checked in test_reference_models.cpp.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "core/common/error.h"
#include "core/io/safetensors_writer.h"
#include "core/kernels/convert.h"
#include "core/kernels/matmul.h"
#include "core/kernels/rope.h"
#include "core/models/greedy.h"
#include "core/models/kv_cache.h"
#include "core/models/model.h"
#include "support/engine_test_helpers.h"
#include "support/reference_checks.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;
using testing_support::max_abs;
using testing_support::error_of;

namespace {

// ---------------------------------------------------------------------------------------------------------------
// Small random models

struct TinySpec {
  const char* label;
  bool llama = false;
  int hidden = 32, heads = 4, kv_heads = 2, head_dim = 8, intermediate = 48, layers = 2, vocab = 64;
  int window = 0;  // 0: none (Llama, or Mistral with sliding_window null)
  int max_positions = 256;
  bool tied = false;
  double theta = 10000.0;
  int prompt_length = 12;
  bool qwen2 = false;   // Qwen2ForCausalLM: q/k/v biases; with a window, it slides from layer full_layers on
  int full_layers = 0;  // Qwen2's max_window_layers
  bool biases = false;  // Llama's attention_bias and mlp_bias
  const char* rope_type = nullptr;  // "linear" (in transformers-5 rope_parameters) or "llama3" (4.x rope_scaling)
  double rope_factor = 1.0;
  int rope_original = 0;  // llama3's original_max_position_embeddings (low/high frequency factors 1 and 4)
};

bool rope_is(const TinySpec& s, const char* type) { return s.rope_type && std::strcmp(s.rope_type, type) == 0; }

// The window of layer l: Mistral's in every layer, Qwen2's from layer full_layers on.
int layer_window(const TinySpec& s, int l) { return s.qwen2 && l < s.full_layers ? 0 : s.window; }

const std::vector<TinySpec>& tiny_specs() {
  static const std::vector<TinySpec> specs = [] {
    std::vector<TinySpec> s;
    s.push_back({.label = "gqa with one kv head", .kv_heads = 1});
    s.push_back({.label = "multi-head (kv heads = heads)", .kv_heads = 4});
    s.push_back({.label = "head_dim != hidden/heads", .hidden = 24, .heads = 4, .kv_heads = 2, .head_dim = 10});
    s.push_back({.label = "llama, no window", .llama = true, .theta = 500000.0});
    s.push_back({.label = "tied embeddings", .tied = true});
    s.push_back({.label = "window shorter than the prompt", .window = 5, .prompt_length = 20});
    s.push_back({.label = "prompt over several passes", .layers = 1, .window = 100, .max_positions = 1024,
                 .prompt_length = 1100 - 100});
    // head_dim 16, θ 10^4: wavelengths 2π·10^(i/2) = 6.3, 19.9, 62.8, 199, ...; with an original context of 64 the
    // first is kept (< 64/4), the next two interpolated, the rest divided by the factor; the prompt runs past 64.
    s.push_back({.label = "llama3 rope scaling", .llama = true, .heads = 2, .kv_heads = 1, .head_dim = 16,
                 .prompt_length = 80, .rope_type = "llama3", .rope_factor = 8.0, .rope_original = 64});
    s.push_back({.label = "linear rope scaling", .llama = true, .prompt_length = 30, .rope_type = "linear",
                 .rope_factor = 4.0});
    s.push_back({.label = "llama with attention and mlp biases", .llama = true, .biases = true});
    s.push_back({.label = "qwen2: q/k/v biases, window above layer 1", .layers = 3, .window = 5, .prompt_length = 20,
                 .qwen2 = true, .full_layers = 1});
    return s;
  }();
  return specs;
}

// Every weight of a tiny model, as the bf16-exact floats written to its file.
using Weights = std::map<std::string, std::vector<float>>;

struct TinyModel {
  TinySpec spec;
  Weights weights;
  std::map<std::string, std::vector<int64_t>> shapes;
};

TinyModel make_tiny(const TinySpec& spec, uint32_t seed = 7) {
  TinyModel m{spec, {}, {}};
  std::mt19937 rng(seed);
  auto add = [&](const std::string& name, std::vector<int64_t> shape, float center, float spread) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    std::uniform_real_distribution<float> dist(center - spread, center + spread);
    std::vector<float> values(static_cast<size_t>(n));
    for (float& v : values) v = bf16_scalar(f32_to_bf16_round(dist(rng)));
    m.weights[name] = std::move(values);
    m.shapes[name] = std::move(shape);
  };
  const int64_t H = spec.hidden, Q = int64_t(spec.heads) * spec.head_dim, KV = int64_t(spec.kv_heads) * spec.head_dim,
                I = spec.intermediate;
  add("model.embed_tokens.weight", {spec.vocab, H}, 0.0f, 1.0f);
  for (int l = 0; l < spec.layers; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    add(p + "input_layernorm.weight", {H}, 1.0f, 0.2f);
    add(p + "post_attention_layernorm.weight", {H}, 1.0f, 0.2f);
    add(p + "self_attn.q_proj.weight", {Q, H}, 0.0f, 0.6f);  // large enough for peaked attention
    add(p + "self_attn.k_proj.weight", {KV, H}, 0.0f, 0.6f);
    add(p + "self_attn.v_proj.weight", {KV, H}, 0.0f, 0.3f);
    add(p + "self_attn.o_proj.weight", {H, Q}, 0.0f, 0.3f);
    add(p + "mlp.gate_proj.weight", {I, H}, 0.0f, 0.3f);
    add(p + "mlp.up_proj.weight", {I, H}, 0.0f, 0.3f);
    add(p + "mlp.down_proj.weight", {H, I}, 0.0f, 0.3f);
    if (spec.qwen2 || spec.biases) {
      add(p + "self_attn.q_proj.bias", {Q}, 0.0f, 0.5f);
      add(p + "self_attn.k_proj.bias", {KV}, 0.0f, 0.5f);
      add(p + "self_attn.v_proj.bias", {KV}, 0.0f, 0.5f);
    }
    if (spec.biases) {
      add(p + "self_attn.o_proj.bias", {H}, 0.0f, 0.5f);
      add(p + "mlp.gate_proj.bias", {I}, 0.0f, 0.5f);
      add(p + "mlp.up_proj.bias", {I}, 0.0f, 0.5f);
      add(p + "mlp.down_proj.bias", {H}, 0.0f, 0.5f);
    }
  }
  add("model.norm.weight", {H}, 1.0f, 0.2f);
  if (!spec.tied) add("lm_head.weight", {spec.vocab, H}, 0.0f, 0.3f);
  return m;
}

nlohmann::json config_json(const TinySpec& s) {
  const char* arch = s.qwen2 ? "Qwen2ForCausalLM" : s.llama ? "LlamaForCausalLM" : "MistralForCausalLM";
  nlohmann::json j = {{"architectures", {arch}},
                      {"model_type", s.qwen2 ? "qwen2" : s.llama ? "llama" : "mistral"},
                      {"hidden_size", s.hidden},
                      {"num_attention_heads", s.heads},
                      {"num_key_value_heads", s.kv_heads},
                      {"head_dim", s.head_dim},
                      {"intermediate_size", s.intermediate},
                      {"num_hidden_layers", s.layers},
                      {"vocab_size", s.vocab},
                      {"max_position_embeddings", s.max_positions},
                      {"rms_norm_eps", 1e-5},
                      {"rope_theta", s.theta},
                      {"tie_word_embeddings", s.tied}};
  if (!s.llama) j["sliding_window"] = s.window > 0 ? nlohmann::json(s.window) : nlohmann::json(nullptr);
  if (s.qwen2) {
    j["use_sliding_window"] = s.window > 0;
    j["max_window_layers"] = s.full_layers;
  }
  if (s.biases) j["attention_bias"] = j["mlp_bias"] = true;
  if (rope_is(s, "linear"))  // the transformers-5 form
    j["rope_parameters"] = {{"rope_type", "linear"}, {"factor", s.rope_factor}, {"rope_theta", s.theta}};
  if (rope_is(s, "llama3"))  // the transformers-4 form
    j["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", s.rope_factor}, {"low_freq_factor", 1.0},
                         {"high_freq_factor", 4.0}, {"original_max_position_embeddings", s.rope_original}};
  return j;
}

// Writes the model folder; `edit` may change the tensors before they are written (to make a broken model).
void write_tiny(const fs::path& folder, const TinyModel& m,
                const std::function<void(std::map<std::string, TensorData>&)>& edit = {}) {
  std::map<std::string, TensorData> tensors;
  for (const auto& [name, values] : m.weights) tensors[name] = TensorData::bf16(m.shapes.at(name), values);
  if (edit) edit(tensors);
  fs::create_directories(folder);
  testing_support::write_file(folder / "config.json", config_json(m.spec).dump(2));
  write_safetensors(folder / "model.safetensors", tensors);
}

std::vector<int32_t> random_ids(int n, int vocab, uint32_t seed = 3) {
  std::mt19937 rng(seed);
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (int32_t& id : ids) id = int32_t(rng() % uint32_t(vocab));
  return ids;
}

// ---------------------------------------------------------------------------------------------------------------
// The naive reference: the block written out with plain loops in double precision, straight from the HF code.

using Matrix = std::vector<std::vector<double>>;  // [T][width]

std::vector<double> linear(const std::vector<float>& W, int64_t out, int64_t in, const std::vector<double>& x) {
  std::vector<double> y(size_t(out), 0.0);
  for (int64_t o = 0; o < out; ++o)
    for (int64_t i = 0; i < in; ++i) y[size_t(o)] += double(W[size_t(o * in + i)]) * x[size_t(i)];
  return y;
}

std::vector<double> rms_norm(const std::vector<double>& x, const std::vector<float>& w) {
  double ms = 0.0;
  for (double v : x) ms += v * v;
  const double inv = 1.0 / std::sqrt(ms / double(x.size()) + 1e-5);
  std::vector<double> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] * inv * w[i];
  return y;
}

// The rotary frequencies, scaled as the Llama 3.1 paper and HF describe: wavelength λ = 2π / f; λ < original/4:
// kept; λ > original/1: f / factor; between: (1 − s)·f/factor + s·f with s = (original/λ − 1) / (4 − 1).
std::vector<double> naive_inv_freq(const TinySpec& s) {
  std::vector<double> f;
  for (int i = 0; i < s.head_dim / 2; ++i) {
    const double base = std::pow(s.theta, -2.0 * i / s.head_dim);
    if (rope_is(s, "linear")) {
      f.push_back(base / s.rope_factor);
    } else if (rope_is(s, "llama3")) {
      const double wavelength = 2 * M_PI / base, smooth = (s.rope_original / wavelength - 1.0) / 3.0;
      f.push_back(wavelength < s.rope_original / 4.0   ? base
                  : wavelength > s.rope_original / 1.0 ? base / s.rope_factor
                                                       : (1 - smooth) * base / s.rope_factor + smooth * base);
    } else {
      f.push_back(base);
    }
  }
  return f;
}

void rotate(std::vector<double>& x, int heads, int head_dim, int pos, const std::vector<double>& inv_freq) {
  const int half = head_dim / 2;
  for (int h = 0; h < heads; ++h)
    for (int i = 0; i < half; ++i) {
      const double angle = pos * inv_freq[size_t(i)];
      double& a = x[size_t(h * head_dim + i)];
      double& b = x[size_t(h * head_dim + i + half)];
      const double a0 = a, b0 = b;
      a = a0 * std::cos(angle) - b0 * std::sin(angle);
      b = b0 * std::cos(angle) + a0 * std::sin(angle);
    }
}

// Residual stream after every depth: [L][T][hidden].
std::vector<Matrix> naive_hidden(const TinyModel& m, const std::vector<int32_t>& ids) {
  const TinySpec& s = m.spec;
  const int T = int(ids.size()), H = s.hidden, hd = s.head_dim, Q = s.heads * hd, KV = s.kv_heads * hd;
  const int group = s.heads / s.kv_heads;
  const std::vector<float>& embed = m.weights.at("model.embed_tokens.weight");
  Matrix h(static_cast<size_t>(T), std::vector<double>(static_cast<size_t>(H)));
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < H; ++i) h[size_t(t)][size_t(i)] = embed[size_t(ids[size_t(t)]) * H + i];
  const std::vector<double> inv_freq = naive_inv_freq(s);
  std::vector<Matrix> out;
  for (int l = 0; l < s.layers; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    auto W = [&](const char* name) -> const std::vector<float>& { return m.weights.at(p + name); };
    // nn.Linear: x·Wᵀ, plus the bias when the model has one.
    auto project = [&](const char* name, int64_t out_width, int64_t in_width, const std::vector<double>& x) {
      std::vector<double> y = linear(W((std::string(name) + ".weight").c_str()), out_width, in_width, x);
      const auto bias = m.weights.find(p + name + ".bias");
      if (bias != m.weights.end())
        for (size_t i = 0; i < y.size(); ++i) y[i] += bias->second[i];
      return y;
    };
    const int window = layer_window(s, l);
    Matrix q(static_cast<size_t>(T)), k(q), v(q);
    for (int t = 0; t < T; ++t) {
      const auto x = rms_norm(h[size_t(t)], W("input_layernorm.weight"));
      q[size_t(t)] = project("self_attn.q_proj", Q, H, x);
      k[size_t(t)] = project("self_attn.k_proj", KV, H, x);
      v[size_t(t)] = project("self_attn.v_proj", KV, H, x);
      rotate(q[size_t(t)], s.heads, hd, t, inv_freq);
      rotate(k[size_t(t)], s.kv_heads, hd, t, inv_freq);
    }
    for (int t = 0; t < T; ++t) {
      std::vector<double> attn(size_t(Q), 0.0);
      for (int head = 0; head < s.heads; ++head) {
        const int g = head / group;
        const int first = window > 0 ? std::max(0, t - window + 1) : 0;
        std::vector<double> score;
        for (int j = first; j <= t; ++j) {
          double dot = 0.0;
          for (int i = 0; i < hd; ++i) dot += q[size_t(t)][size_t(head * hd + i)] * k[size_t(j)][size_t(g * hd + i)];
          score.push_back(dot / std::sqrt(double(hd)));
        }
        const double mx = *std::max_element(score.begin(), score.end());
        double sum = 0.0;
        for (double& sc : score) sum += (sc = std::exp(sc - mx));
        for (int j = first; j <= t; ++j)
          for (int i = 0; i < hd; ++i)
            attn[size_t(head * hd + i)] += score[size_t(j - first)] / sum * v[size_t(j)][size_t(g * hd + i)];
      }
      const auto o = project("self_attn.o_proj", H, Q, attn);
      for (int i = 0; i < H; ++i) h[size_t(t)][size_t(i)] += o[size_t(i)];
      const auto x = rms_norm(h[size_t(t)], W("post_attention_layernorm.weight"));
      auto gate = project("mlp.gate_proj", s.intermediate, H, x);
      const auto up = project("mlp.up_proj", s.intermediate, H, x);
      for (size_t i = 0; i < gate.size(); ++i) gate[i] = gate[i] / (1.0 + std::exp(-gate[i])) * up[i];
      const auto down = project("mlp.down_proj", H, s.intermediate, gate);
      for (int i = 0; i < H; ++i) h[size_t(t)][size_t(i)] += down[size_t(i)];
    }
    out.push_back(h);
  }
  return out;
}

// How far the naive last row moves when `alter` changes the spec.
double last_row_change(const TinyModel& m, const std::vector<int32_t>& ids, const std::vector<Matrix>& want,
                       const std::function<void(TinySpec&)>& alter) {
  TinyModel other = m;
  alter(other.spec);
  const std::vector<double>& last = want.back().back();
  const std::vector<double> moved = naive_hidden(other, ids).back().back();
  double change = 0.0;
  for (size_t i = 0; i < last.size(); ++i) change = std::max(change, std::fabs(moved[i] - last[i]));
  return change;
}

// Logits of the full model for the last hidden state of every position.
Matrix naive_logits(const TinyModel& m, const Matrix& h_last) {
  const std::vector<float>& head = m.weights.at(m.spec.tied ? "model.embed_tokens.weight" : "lm_head.weight");
  Matrix out;
  for (const auto& row : h_last)
    out.push_back(linear(head, m.spec.vocab, m.spec.hidden, rms_norm(row, m.weights.at("model.norm.weight"))));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Engine helpers

// Residual stream after every depth from the whole-sequence path: [L][T*hidden].
std::vector<std::vector<float>> engine_hidden(Model& model, const std::vector<int32_t>& ids, ModelState& state) {
  std::vector<std::vector<float>> out;
  ForwardHooks hooks;
  hooks.after_block = [&](int, const float* h, int T) {
    out.emplace_back(h, h + size_t(T) * model.hidden_size());
    return true;
  };
  forward(model, ids, state, 0, hooks);
  return out;
}

}  // namespace

class TestTransformer : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  fs::path dir() const { return tmp_.path().toStdString(); }

  // A tiny model written to its own folder and loaded.
  std::unique_ptr<Model> load_tiny(const TinyModel& m, const std::string& folder) {
    write_tiny(dir() / folder, m);
    return load_model(dir() / folder);
  }

  static void add_spec_rows() {
    QTest::addColumn<int>("spec");
    for (size_t i = 0; i < tiny_specs().size(); ++i) QTest::newRow(tiny_specs()[i].label) << int(i);
  }

 private slots:
  // --- Against the naive loops, on every shape variant ---------------------------------------------------------

  void matches_naive_implementation_data() { add_spec_rows(); }
  void matches_naive_implementation() {
    QFETCH(int, spec);
    const TinyModel m = make_tiny(tiny_specs()[size_t(spec)]);
    auto model = load_tiny(m, "naive" + std::to_string(spec));
    const std::vector<int32_t> ids = random_ids(m.spec.prompt_length, m.spec.vocab);
    const std::vector<Matrix> want = naive_hidden(m, ids);
    auto state = model->new_state();
    const auto got = engine_hidden(*model, ids, *state);
    QCOMPARE(got.size(), want.size());
    const int T = int(ids.size()), H = m.spec.hidden;
    for (size_t d = 0; d < got.size(); ++d) {
      const float scale = max_abs(got[d]);
      double err = 0.0;
      for (int t = 0; t < T; ++t)
        for (int i = 0; i < H; ++i)
          err = std::max(err, std::fabs(got[d][size_t(t) * H + i] - want[d][size_t(t)][size_t(i)]));
      QVERIFY2(err <= 1e-5 * scale,
               qPrintable(QString("depth %1: error %2 vs max|h| %3").arg(d + 1).arg(err).arg(scale)));
    }
    std::vector<float> logits(size_t(T) * m.spec.vocab);
    model->exit_head(got.back().data(), T, logits.data());
    const Matrix want_logits = naive_logits(m, want.back());
    double err = 0.0;
    for (int t = 0; t < T; ++t)
      for (int v = 0; v < m.spec.vocab; ++v)
        err = std::max(err, std::fabs(logits[size_t(t) * m.spec.vocab + v] - want_logits[size_t(t)][size_t(v)]));
    QVERIFY2(err <= 1e-4, qPrintable(QString("logits error %1").arg(err)));
    // The window and the RoPE scaling must matter here, else these rows prove nothing.
    if (m.spec.window > 0 && m.spec.window < T) {
      const double change = last_row_change(m, ids, want, [](TinySpec& s) { s.window = 0; });
      QVERIFY2(change > 1e-2, qPrintable(QString("the window changes the last row by only %1").arg(change)));
    }
    if (m.spec.rope_type) {
      const double change = last_row_change(m, ids, want, [](TinySpec& s) { s.rope_type = nullptr; });
      QVERIFY2(change > 1e-2, qPrintable(QString("the RoPE scaling changes the last row by only %1").arg(change)));
    }
  }

  void decode_matches_prefill_data() { add_spec_rows(); }
  void decode_matches_prefill() {
    QFETCH(int, spec);
    const TinyModel m = make_tiny(tiny_specs()[size_t(spec)]);
    auto model = load_tiny(m, "decode" + std::to_string(spec));
    const std::vector<int32_t> ids = random_ids(std::min(m.spec.prompt_length, 40), m.spec.vocab);
    const std::string problem = testing_support::check_decode_matches_prefill(*model, ids, 1e-4f);
    QVERIFY2(problem.empty(), problem.c_str());
  }

  // Prefill in pieces (T > 1 on top of a cache), then one-token steps: the same stream as one whole pass.
  void prefill_in_pieces_matches_whole_sequence() {
    const TinyModel m = make_tiny(tiny_specs()[5]);  // window 5: the pieces straddle it
    auto model = load_tiny(m, "pieces");
    const std::vector<int32_t> ids = random_ids(20, m.spec.vocab);
    auto whole_state = model->new_state();
    const std::vector<float> whole = forward(*model, ids, *whole_state);
    auto state = model->new_state();
    std::vector<float> pieces;
    for (auto [from, to] : {std::pair{0, 7}, {7, 13}, {13, 14}, {14, 15}, {15, 20}}) {
      const auto part = forward(*model, std::span<const int32_t>(ids.data() + from, size_t(to - from)), *state);
      pieces.insert(pieces.end(), part.begin(), part.end());
    }
    QCOMPARE(state->position, 20);
    QVERIFY(testing_support::max_abs_diff(pieces, whole) <= 1e-5f * max_abs(whole));
  }

  // --- The matmul kernel: every dtype, one token and many, ragged shapes, threaded sizes, accumulation ---------

  // Llama-3.1-8B's frequencies (head_dim 128, θ 5·10^5, factor 8, low/high 1/4, original 8192): f_i = θ^(−i/64),
  // wavelength λ_i = 2π/f_i. λ < 8192/4 = 2048 (i ≤ 28) kept; λ > 8192 (i ≥ 35) divided by 8; between, smoothed.
  //   i = 32: f = 1/√θ = 1.41421356e-3, λ = 4442.88, s = (8192/λ − 1)/3 = 0.281283, (1 − s)·f/8 + s·f = 5.2484616e-4
  //   i = 29: f = 2.61609925e-3, λ = 2401.74, s = 0.803645 → 2.16657076e-3;  i = 35: f = 7.6449699e-4 → f/8
  void llama3_frequencies() {
    std::vector<float> f = rope_inv_freq(128, 500000.0);
    rope_scale_llama3(f, 8.0, 1.0, 4.0, 8192);
    const std::pair<int, double> want[] = {{0, 1.0}, {28, 3.211445994752591e-3}, {29, 2.166570763503359e-3},
                                           {32, 5.248461609929547e-4}, {34, 1.785078127679964e-4},
                                           {35, 9.556212353964683e-05}, {63, 3.068925988914511e-07}};
    for (const auto& [i, value] : want)
      QVERIFY2(std::fabs(f[size_t(i)] - value) <= 1e-6 * value, qPrintable(QString("inv_freq[%1] = %2, want %3")
                                                                             .arg(i).arg(double(f[size_t(i)]), 0, 'g', 9)
                                                                             .arg(value, 0, 'g', 9)));
    std::vector<float> linear = rope_inv_freq(128, 500000.0);
    rope_scale_linear(linear, 4.0);
    QCOMPARE(linear[32], rope_inv_freq(128, 500000.0)[32] / 4.0f);
  }

  void matmul_matches_plain_loops_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("T");
    QTest::addColumn<bool>("accumulate");
    for (DType d : {DType::BF16, DType::F16, DType::F32})
      for (int T : {1, 3})
        for (auto [rows, in] : {std::pair{7, 37}, {64, 16}, {523, 4100}}) {  // the last one is split over threads
          const std::string name = std::string(dtype_name(d)) + " " + std::to_string(rows) + "x" + std::to_string(in) +
                                   " T=" + std::to_string(T);
          QTest::newRow(name.c_str()) << int(d) << rows << in << T << false;
          QTest::newRow((name + " accumulate").c_str()) << int(d) << rows << in << T << true;
        }
  }
  void matmul_matches_plain_loops() {
    QFETCH(int, dtype);
    QFETCH(int, rows);
    QFETCH(int, in);
    QFETCH(int, T);
    QFETCH(bool, accumulate);
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    const size_t n = size_t(rows) * in;
    std::vector<float> w(n);  // the exact values the file holds
    std::vector<std::byte> bytes(n * dtype_size(DType(dtype)));
    for (size_t i = 0; i < n; ++i) {
      uint16_t bits = 0;
      switch (DType(dtype)) {
        case DType::BF16: w[i] = bf16_scalar(bits = f32_to_bf16_round(dist(rng))); break;
        case DType::F16: w[i] = f16_scalar(bits = uint16_t((rng() & 0x83ff) | ((12 + rng() % 6) << 10))); break;
        default: w[i] = dist(rng);
      }
      if (DType(dtype) == DType::F32) std::memcpy(bytes.data() + 4 * i, &w[i], 4);
      else std::memcpy(bytes.data() + 2 * i, &bits, 2);
    }
    TensorView W;
    W.name = "w";
    W.dtype = DType(dtype);
    W.shape = {rows, in};
    W.data = bytes.data();
    W.nbytes = bytes.size();
    std::vector<float> X(size_t(T) * in), Y(size_t(T) * rows, 0.5f);
    for (float& x : X) x = dist(rng);
    matmul(W, X.data(), T, Y.data(), accumulate);
    for (int t = 0; t < T; ++t)
      for (int r = 0; r < rows; ++r) {
        double want = accumulate ? 0.5 : 0.0, magnitude = 1.0;
        for (int i = 0; i < in; ++i) {
          want += double(w[size_t(r) * in + i]) * X[size_t(t) * in + i];
          magnitude += std::fabs(double(w[size_t(r) * in + i]) * X[size_t(t) * in + i]);
        }
        const double got = Y[size_t(t) * rows + r];
        if (std::fabs(got - want) > 1e-6 * magnitude)
          QFAIL(qPrintable(QString("row %1 token %2: %3 vs %4").arg(r).arg(t).arg(got).arg(want)));
      }
  }

  // --- The KV cache ---------------------------------------------------------------------------------------------

  void cache_truncate_clone_and_reset() {
    const TinyModel m = make_tiny(tiny_specs()[0]);
    auto model = load_tiny(m, "cache");
    const std::vector<int32_t> ids = random_ids(10, m.spec.vocab);
    auto state = model->new_state();
    const std::vector<float> first = forward(*model, ids, *state);
    auto copy = state->clone();

    state->truncate(6);  // forget positions 6..9, then run them again
    QCOMPARE(state->position, 6);
    const auto& cache = dynamic_cast<KvCache&>(*state);
    for (int d = 1; d <= model->depth(); ++d) QCOMPARE(cache.block(d).size(), 6);
    const std::vector<float> again = forward(*model, std::span<const int32_t>(ids.data() + 6, 4), *state);
    const std::vector<float> tail(first.end() - 4 * m.spec.hidden, first.end());
    QVERIFY(testing_support::max_abs_diff(again, tail) <= 1e-6f * max_abs(tail));

    const auto& kept = dynamic_cast<const KvCache&>(*copy);  // the clone kept all ten entries
    QCOMPARE(kept.position, 10);
    QCOMPARE(kept.block(1).size(), 10);
    QCOMPARE(kept.block(1).last_position(), 9);

    state->reset();
    QCOMPARE(state->position, 0);
    QCOMPARE(cache.block(1).size(), 0);
    QVERIFY(testing_support::max_abs_diff(forward(*model, ids, *state), first) == 0.0f);
  }

  // Early-exit strategies fill a skipped block by hand: copy another block's entry, or leave the position out.
  void cache_blocks_are_written_one_by_one() {
    const TinyModel m = make_tiny(tiny_specs()[0]);
    auto model = load_tiny(m, "blocks");
    const std::vector<int32_t> ids = random_ids(3, m.spec.vocab);
    // Token 1 exits after block 1; block 2 gets a copy of block 1's entry (copied) or nothing (masked).
    auto run = [&](bool copy_entry) {
      auto state = model->new_state();
      auto& cache = dynamic_cast<KvCache&>(*state);
      std::vector<float> h(size_t(m.spec.hidden));
      for (int pos = 0; pos < 3; ++pos) {
        model->embed(std::span<const int32_t>(ids.data() + pos, 1), h.data());
        model->run_block(1, h.data(), 1, pos, *state);
        if (pos != 1) model->run_block(2, h.data(), 1, pos, *state);
        else if (copy_entry) cache.block(2).push(1, cache.block(1).key_row(1), cache.block(1).value_row(1));
      }
      return std::pair{std::move(state), h};
    };
    auto [copied, h_copied] = run(true);
    auto [masked, h_masked] = run(false);
    const BlockKv& c2 = dynamic_cast<KvCache&>(*copied).block(2);
    const BlockKv& c1 = dynamic_cast<KvCache&>(*copied).block(1);
    const BlockKv& m2 = dynamic_cast<KvCache&>(*masked).block(2);
    QCOMPARE(c2.size(), 3);
    QCOMPARE(c2.find(1), 1);
    QCOMPARE(std::vector<float>(c2.key_row(1), c2.key_row(1) + c2.width()),
             std::vector<float>(c1.key_row(1), c1.key_row(1) + c1.width()));
    QCOMPARE(m2.size(), 2);
    QCOMPARE(m2.find(1), -1);
    QCOMPARE(m2.positions()[1], 2);
    for (float x : h_masked) QVERIFY(std::isfinite(x));
    QVERIFY(testing_support::max_abs_diff(h_copied, h_masked) > 0.0f);  // position 1 mattered to token 2
  }

  // --- Bad input ------------------------------------------------------------------------------------------------

  // Llama 3.2 ties the head to the embedding. A tied checkpoint that still holds lm_head.weight is read as
  // transformers reads it: tie_weights() makes the embedding the head, so the stored lm_head is not used.
  void tied_head_is_the_embedding_even_with_lm_head_stored() {
    TinySpec spec{.label = "tied llama", .llama = true, .tied = true};
    const TinyModel m = make_tiny(spec);
    write_tiny(dir() / "tied_with_head", m, [&](auto& t) {
      t["lm_head.weight"] = TensorData::bf16({spec.vocab, spec.hidden}, std::vector<float>(size_t(spec.vocab) * spec.hidden, 0.5f));
    });
    auto model = load_model(dir() / "tied_with_head");
    const std::vector<int32_t> ids = random_ids(6, spec.vocab);
    auto state = model->new_state();
    const std::vector<float> logits = forward_logits(*model, ids, *state);
    const Matrix want = naive_logits(m, naive_hidden(m, ids).back());  // with the embedding as the head
    double err = 0.0;
    for (size_t t = 0; t < ids.size(); ++t)
      for (int v = 0; v < spec.vocab; ++v)
        err = std::max(err, std::fabs(logits[t * size_t(spec.vocab) + size_t(v)] - want[t][size_t(v)]));
    QVERIFY2(err <= 1e-4, qPrintable(QString("logits error %1").arg(err)));
  }

  void missing_tensor_is_named() {
    const TinyModel m = make_tiny(tiny_specs()[0]);
    write_tiny(dir() / "missing", m, [](auto& t) { t.erase("model.layers.1.mlp.up_proj.weight"); });
    const QString err = error_of([&] { load_model(dir() / "missing"); });
    QVERIFY2(err.contains("model.layers.1.mlp.up_proj.weight") && err.contains("missing"), qPrintable(err));
  }

  void misshaped_tensor_names_both_shapes() {
    const TinyModel m = make_tiny(tiny_specs()[0]);  // kv width 1 × 8
    write_tiny(dir() / "misshaped", m, [](auto& t) {
      t["model.layers.0.self_attn.k_proj.weight"] = TensorData::bf16({16, 32}, std::vector<float>(16 * 32, 0.5f));
    });
    const QString err = error_of([&] { load_model(dir() / "misshaped"); });
    QVERIFY2(err.contains("model.layers.0.self_attn.k_proj.weight") && err.contains("[16, 32]") &&
                 err.contains("[8, 32]"),
             qPrintable(err));
  }

  void integer_weights_are_rejected() {
    const TinyModel m = make_tiny(tiny_specs()[0]);
    write_tiny(dir() / "dtype", m, [](auto& t) {
      t["model.layers.0.input_layernorm.weight"] = TensorData::i32({32}, std::vector<int32_t>(32, 1));
    });
    const QString err = error_of([&] { load_model(dir() / "dtype"); });
    QVERIFY2(err.contains("model.layers.0.input_layernorm.weight") && err.contains("I32"), qPrintable(err));
  }

  void token_outside_vocabulary_is_rejected() {
    auto model = load_tiny(make_tiny(tiny_specs()[0]), "vocab");
    auto state = model->new_state();
    for (int32_t id : {64, -1}) {
      const std::vector<int32_t> ids = {1, id};
      const QString err = error_of([&] { forward(*model, ids, *state); });
      QVERIFY2(err.contains(QString::number(id)) && err.contains("vocabulary"), qPrintable(err));
    }
  }

  void empty_prompt_is_rejected() {
    auto model = load_tiny(make_tiny(tiny_specs()[0]), "empty");
    auto state = model->new_state();
    QVERIFY(error_of([&] { forward(*model, std::vector<int32_t>{}, *state); }).contains("empty"));
    QVERIFY(error_of([&] { greedy_generate(*model, {}, GreedyOptions{}); }).contains("empty"));
  }

  void prompt_longer_than_max_positions_is_rejected() {
    TinySpec spec = tiny_specs()[0];
    spec.max_positions = 16;
    auto model = load_tiny(make_tiny(spec), "maxpos");
    auto state = model->new_state();
    const QString err = error_of([&] { forward(*model, random_ids(17, spec.vocab), *state); });
    QVERIFY2(err.contains("max_position_embeddings") && err.contains("16"), qPrintable(err));
    // Exactly max_position_embeddings tokens, then one more step.
    state->reset();
    forward(*model, random_ids(16, spec.vocab), *state);
    QVERIFY(error_of([&] { forward(*model, random_ids(1, spec.vocab), *state); }).contains("max_position_embeddings"));
  }

  void bad_depth_is_rejected() {
    auto model = load_tiny(make_tiny(tiny_specs()[0]), "depth");
    auto state = model->new_state();
    std::vector<float> h(size_t(model->hidden_size()));
    for (int depth : {0, model->depth() + 1}) {
      const QString err = error_of([&] { model->run_block(depth, h.data(), 1, 0, *state); });
      QVERIFY2(err.contains("depth " + QString::number(depth)), qPrintable(err));
    }
  }

  void rerunning_a_cached_position_needs_truncate() {
    auto model = load_tiny(make_tiny(tiny_specs()[0]), "rerun");
    auto state = model->new_state();
    std::vector<float> h(size_t(model->hidden_size()), 0.1f);
    model->run_block(1, h.data(), 1, 0, *state);
    const QString err = error_of([&] { model->run_block(1, h.data(), 1, 0, *state); });
    QVERIFY2(err.contains("truncate"), qPrintable(err));
  }
};

QTEST_APPLESS_MAIN(TestTransformer)
#include "test_transformer.moc"
