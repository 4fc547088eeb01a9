#include "support/reference_checks.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "core/models/greedy.h"

namespace testing_support {

using namespace dynamax;

Reference::Reference(const std::filesystem::path& file) : set_(SafetensorsSet::open_file(file)) {}

bool Reference::has(const std::string& name) const { return set_.find(name) != nullptr; }

int Reference::prompt_count() const {
  int n = 0;
  while (has("p" + std::to_string(n) + ".input_ids")) ++n;
  return n;
}

int Reference::generation_count() const {
  int n = 0;
  while (has("g" + std::to_string(n) + ".greedy_ids")) ++n;
  return n;
}

std::vector<int64_t> Reference::shape(const std::string& name) const { return set_.require(name).shape; }

std::vector<int32_t> Reference::ints(const std::string& name) const {
  const TensorView& t = set_.require(name);
  std::vector<int32_t> out(size_t(t.numel()));
  std::memcpy(out.data(), t.data, t.nbytes);
  return out;
}

std::vector<float> Reference::floats(const std::string& name) const {
  const TensorView& t = set_.require(name);
  std::vector<float> out(size_t(t.numel()));
  std::memcpy(out.data(), t.data, t.nbytes);
  return out;
}

float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = a.size() == b.size() ? 0.0f : INFINITY;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

static std::string prefix(int prompt) { return "p" + std::to_string(prompt) + "."; }

std::vector<std::vector<float>> all_hidden(Model& model, const std::vector<int32_t>& ids) {
  std::vector<std::vector<float>> out;
  auto state = model.new_state();
  ForwardHooks hooks;
  hooks.after_block = [&](int, const float* h, int T) {
    out.emplace_back(h, h + size_t(T) * model.hidden_size());
    return true;
  };
  forward(model, ids, *state, 0, hooks);
  return out;
}

std::string check_hidden_states(Model& model, const Reference& ref, int prompt, float rel_tol) {
  const std::vector<int32_t> ids = ref.ints(prefix(prompt) + "input_ids");
  const std::vector<float> want = ref.floats(prefix(prompt) + "hidden_states");
  const auto shape = ref.shape(prefix(prompt) + "hidden_states");  // [L, P, hidden]
  const int L = int(shape[0]), P = int(shape[1]), H = int(shape[2]);
  if (L != model.depth() || H != model.hidden_size()) return "reference shape does not fit the model";
  auto got = all_hidden(model, ids);
  float scale = 0.0f;
  for (float v : want) scale = std::max(scale, std::fabs(v));
  std::ostringstream msg;
  for (int d = 0; d < L; ++d) {
    float err = 0.0f;
    for (size_t i = 0; i < size_t(P) * H; ++i)
      err = std::max(err, std::fabs(got[d][i] - want[size_t(d) * P * H + i]));
    if (err > rel_tol * scale)
      msg << "prompt " << prompt << " depth " << d + 1 << ": hidden error " << err << " > " << rel_tol << " × " << scale
          << "\n";
  }
  return msg.str();
}

std::string check_final_logits(Model& model, const Reference& ref, int prompt, float tol) {
  const std::vector<int32_t> ids = ref.ints(prefix(prompt) + "input_ids");
  const std::vector<float> want = ref.floats(prefix(prompt) + "final_logits");
  const int P = int(ref.shape(prefix(prompt) + "final_logits")[0]), V = model.vocab_size();
  auto state = model.new_state();
  std::vector<float> logits = forward_logits(model, ids, *state);
  logits.resize(size_t(P) * V);
  const float err = max_abs_diff(logits, want);
  std::ostringstream msg;
  if (err > tol) msg << "prompt " << prompt << ": final logits error " << err << " > " << tol;
  return msg.str();
}

// log_softmax of one row into `out`; returns the entropy.
static double log_softmax(const float* logits, int V, std::vector<double>& out) {
  out.resize(size_t(V));
  double mx = *std::max_element(logits, logits + V), sum = 0.0;
  for (int i = 0; i < V; ++i) sum += std::exp(double(logits[i]) - mx);
  const double lse = mx + std::log(sum);
  double entropy = 0.0;
  for (int i = 0; i < V; ++i) {
    out[size_t(i)] = logits[i] - lse;
    entropy -= std::exp(out[size_t(i)]) * out[size_t(i)];
  }
  return entropy;
}

std::string check_lens(Model& model, const Reference& ref, int prompt, float gap_tol, float lp_tol) {
  const std::string p = prefix(prompt);
  const std::vector<int32_t> ids = ref.ints(p + "input_ids");
  const std::vector<int32_t> top_ids = ref.ints(p + "layer_top5_ids");
  const std::vector<float> top_lp = ref.floats(p + "layer_top5_logprobs");
  const std::vector<float> entropy = ref.floats(p + "layer_entropy");
  const int T = int(ids.size()), V = model.vocab_size(), L = model.depth();
  auto hidden = all_hidden(model, ids);
  std::ostringstream msg;
  int failures = 0;
  std::vector<float> logits(size_t(T) * V);
  std::vector<double> lp;
  for (int d = 0; d < L; ++d) {
    model.exit_head(hidden[d].data(), T, logits.data());
    for (int t = 0; t < T; ++t) {
      const double H = log_softmax(logits.data() + size_t(t) * V, V, lp);
      const size_t base = (size_t(d) * T + t) * 5;
      std::vector<int> order(static_cast<size_t>(V));
      for (int i = 0; i < V; ++i) order[size_t(i)] = i;
      std::partial_sort(order.begin(), order.begin() + 5, order.end(),
                        [&](int a, int b) { return lp[size_t(a)] > lp[size_t(b)]; });
      const float gap = top_lp[base] - top_lp[base + 1];
      std::ostringstream problem;
      if (gap > gap_tol && order[0] != top_ids[base]) problem << "top-1 " << order[0] << " != " << top_ids[base];
      for (int k = 0; k < 5 && problem.str().empty(); ++k)
        if (std::fabs(lp[size_t(order[size_t(k)])] - top_lp[base + k]) > lp_tol)
          problem << "top-" << k + 1 << " log-prob " << lp[size_t(order[size_t(k)])] << " vs " << top_lp[base + k];
      const float want_h = entropy[size_t(d) * T + t];
      if (problem.str().empty() && std::fabs(H - want_h) > lp_tol * std::max(1.0f, std::fabs(want_h)))
        problem << "entropy " << H << " vs " << want_h;
      if (!problem.str().empty() && failures++ < 10)
        msg << "prompt " << prompt << " depth " << d + 1 << " position " << t << ": " << problem.str() << "\n";
    }
  }
  if (failures > 10) msg << "... " << failures << " failures in all\n";
  return msg.str();
}

std::string check_generation(Model& model, const Reference& ref, int gen, bool use_cache) {
  const std::string g = "g" + std::to_string(gen) + ".";
  const std::vector<int32_t> prompt = ref.ints(g + "prompt_ids"), want = ref.ints(g + "greedy_ids");
  GreedyOptions options;
  options.max_new_tokens = int(want.size());
  options.use_cache = use_cache;
  const std::vector<int32_t> got = greedy_generate(model, prompt, options);
  std::ostringstream msg;
  for (size_t i = 0; i < want.size() && msg.str().empty(); ++i)
    if (i >= got.size() || got[i] != want[i])
      msg << "generation " << gen << (use_cache ? " (cached)" : " (uncached)") << ": token " << i << " is "
          << (i < got.size() ? std::to_string(got[i]) : std::string("missing")) << ", reference " << want[i];
  return msg.str();
}

std::string check_decode_matches_prefill(Model& model, const std::vector<int32_t>& ids, float tol) {
  const int T = int(ids.size()), V = model.vocab_size(), H = model.hidden_size(), L = model.depth();
  auto whole = all_hidden(model, ids);
  auto state = model.new_state();
  std::vector<float> a(static_cast<size_t>(V)), b(static_cast<size_t>(V));
  std::ostringstream msg;
  for (int t = 0; t < T; ++t) {
    std::vector<std::vector<float>> steps;
    ForwardHooks hooks;
    hooks.after_block = [&](int, const float* h, int) {
      steps.emplace_back(h, h + H);
      return true;
    };
    forward(model, std::span<const int32_t>(&ids[size_t(t)], 1), *state, 0, hooks);
    for (int d = 0; d < L; ++d) {
      model.exit_head(steps[size_t(d)].data(), 1, a.data());
      model.exit_head(whole[size_t(d)].data() + size_t(t) * H, 1, b.data());
      const float err = max_abs_diff(a, b);
      if (err > tol) {
        msg << "position " << t << " depth " << d + 1 << ": decode vs prefill logits differ by " << err << "\n";
        return msg.str();
      }
    }
  }
  return {};
}

}  // namespace testing_support
