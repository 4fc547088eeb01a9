#pragma once
// Checks of an engine against the Hugging Face reference files in shared/fixtures/references.
// Every check returns an empty string when it passes, else a message saying where and by how much it failed.
#include <filesystem>
#include <string>
#include <vector>

#include "core/io/safetensors.h"
#include "core/models/model.h"

namespace testing_support {

class Reference {
 public:
  explicit Reference(const std::filesystem::path& file);
  int prompt_count() const;      // pN.input_ids present
  int generation_count() const;  // gN.greedy_ids present
  std::vector<int32_t> ints(const std::string& name) const;
  std::vector<float> floats(const std::string& name) const;
  std::vector<int64_t> shape(const std::string& name) const;
  bool has(const std::string& name) const;

 private:
  dynamax::SafetensorsSet set_;
};

// The residual stream after every depth of one whole-sequence pass over `ids`: [L][T × hidden].
std::vector<std::vector<float>> all_hidden(dynamax::Model& model, const std::vector<int32_t>& ids);

// Largest |a − b| over two equal-length arrays.
float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b);

// Residual stream after every depth for the first positions of prompt p: max error ≤ rel_tol × max|h|.
std::string check_hidden_states(dynamax::Model& model, const Reference& ref, int prompt, float rel_tol);
// Final logits of prompt p for the stored positions: max abs error ≤ tol.
std::string check_final_logits(dynamax::Model& model, const Reference& ref, int prompt, float tol);
// The exit head at every depth of prompt p: top-1 equal where the reference's top1−top2 gap > gap_tol and
// top-5 log-probs within lp_tol; entropies within lp_tol (relative to max(1, |H|)).
std::string check_lens(dynamax::Model& model, const Reference& ref, int prompt, float gap_tol, float lp_tol);
// Greedy generation g: the stored ids, with the cache or without it.
std::string check_generation(dynamax::Model& model, const Reference& ref, int gen, bool use_cache);
// Decoding `ids` one token at a time through the state gives the exit-head logits of the whole-sequence pass at
// every depth (max abs error ≤ tol).
std::string check_decode_matches_prefill(dynamax::Model& model, const std::vector<int32_t>& ids, float tol);

}  // namespace testing_support
