#include "core/models/greedy.h"

#include "core/common/error.h"

namespace dynamax {

int32_t argmax(const float* values, int n) {
  int32_t best = 0;
  for (int i = 1; i < n; ++i)
    if (values[i] > values[best]) best = i;
  return best;
}

// Logits of the last position of `ids`, continuing `state`.
static int32_t next_token(Model& model, std::span<const int32_t> ids, ModelState& state) {
  std::vector<float> h = forward(model, ids, state);
  const int V = model.vocab_size(), H = model.hidden_size();
  std::vector<float> logits(static_cast<size_t>(V));
  model.exit_head(h.data() + (ids.size() - 1) * size_t(H), 1, logits.data());
  return argmax(logits.data(), V);
}

std::vector<int32_t> greedy_generate(Model& model, const std::vector<int32_t>& prompt, const GreedyOptions& options) {
  if (prompt.empty()) throw Error("generate: the prompt is empty (at least one token, e.g. BOS, is needed)");
  std::vector<int32_t> sequence = prompt, out;
  std::unique_ptr<ModelState> state = model.new_state();
  for (int step = 0; step < options.max_new_tokens; ++step) {
    if (options.cancel && options.cancel->load()) throw Cancelled();
    int32_t id;
    if (!options.use_cache) {
      state->reset();
      id = next_token(model, sequence, *state);
    } else if (step == 0) {
      id = next_token(model, sequence, *state);
    } else {
      id = next_token(model, std::span<const int32_t>(&sequence.back(), 1), *state);
    }
    sequence.push_back(id);
    out.push_back(id);
    if (options.on_token) options.on_token(id);
    if (id == options.eos_id) break;
  }
  return out;
}

}  // namespace dynamax
