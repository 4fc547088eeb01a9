#include "core/io/model_summary.h"

#include <set>
#include <sstream>

#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "core/tokenize/tokenizer.h"

namespace dynamax {

namespace fs = std::filesystem;

namespace {

nlohmann::json rope_scaling_json(const RopeScaling& r) {
  if (r.type == RopeType::Default) return nullptr;
  nlohmann::json j = {{"type", rope_type_name(r.type)}, {"factor", r.factor}};
  if (r.type == RopeType::Llama3) {
    j["low_freq_factor"] = r.low_freq_factor;
    j["high_freq_factor"] = r.high_freq_factor;
    j["original_max_position_embeddings"] = r.original_max_position_embeddings;
  }
  return j;
}

std::string rope_scaling_text(const RopeScaling& r) {
  std::ostringstream o;
  o << rope_type_name(r.type);
  if (r.type != RopeType::Default) o << " ×" << r.factor;
  if (r.type == RopeType::Llama3)
    o << " (low/high freq factors " << r.low_freq_factor << "/" << r.high_freq_factor << ", original context "
      << r.original_max_position_embeddings << ")";
  return o.str();
}

// "none", "4096 in every layer", or runs such as "32 in layers 3-7 (full in 0-2)".
std::string window_layout_text(const ModelConfig& c) {
  const TransformerConfig& t = c.transformer;
  if (!t.sliding_window) return "none";
  std::string sliding, full;
  for (int l = 0; l < c.num_layers;) {
    int end = l;
    while (end + 1 < c.num_layers && (t.window(end + 1) > 0) == (t.window(l) > 0)) ++end;
    std::string& runs = t.window(l) > 0 ? sliding : full;
    runs += (runs.empty() ? "" : ", ") + std::to_string(l) + (end > l ? "-" + std::to_string(end) : "");
    l = end + 1;
  }
  const std::string window = std::to_string(*t.sliding_window);
  return full.empty() ? window + " in every layer" : window + " in layers " + sliding + " (full in " + full + ")";
}

std::string biases_text(const TransformerConfig& t) {
  std::string b = t.qkv_bias ? (t.o_bias ? "q/k/v/o" : "q/k/v") : "";
  if (t.mlp_bias) b += b.empty() ? "mlp" : ", mlp";
  return b.empty() ? "none" : b;
}

}  // namespace

ModelSummary summarize_model_folder(const fs::path& folder) {
  if (!fs::is_directory(folder)) throw Error(folder.string() + ": not a folder");
  ModelSummary s;
  s.folder = folder;
  s.config = load_model_config(folder);
  s.parameters = s.config.parameter_count();
  s.weight_dtype = s.config.torch_dtype;
  if (SafetensorsSet::folder_has_weights(folder)) {
    SafetensorsSet weights = SafetensorsSet::open_folder(folder);
    s.weights_present = true;
    s.weight_files = int(weights.files().size());
    s.weight_bytes = weights.bytes_on_disk();
    s.tensor_count = weights.tensor_count();
    std::set<std::string> dtypes;
    s.parameters = 0;
    for (const std::string& name : weights.names()) {
      const TensorView* t = weights.find(name);
      s.parameters += t->numel();
      dtypes.insert(dtype_name(t->dtype));
    }
    s.weight_dtype = dtypes.size() == 1 ? *dtypes.begin() : "mixed";
  }
  if (fs::exists(folder / "tokenizer.model") || fs::exists(folder / "tokenizer.json")) {
    try {
      auto tokenizer = load_tokenizer(folder);
      s.tokenizer_backend = tokenizer->backend_name();
      s.tokenizer_vocab = tokenizer->vocab_size();
    } catch (const Error& e) {
      s.tokenizer_error = e.what();
    }
  }
  return s;
}

nlohmann::json summary_to_json(const ModelSummary& s) {
  const ModelConfig& c = s.config;
  nlohmann::json j = {
      {"folder", s.folder.string()},
      {"architecture", architecture_name(c.arch)},
      {"model_type", c.model_type},
      {"depths", c.num_layers},
      {"hidden_size", c.hidden_size},
      {"vocab_size", c.vocab_size},
      {"parameters", s.parameters},
      {"dtype", s.weight_dtype},
      {"weights", {{"present", s.weights_present}, {"files", s.weight_files}, {"bytes", s.weight_bytes},
                   {"tensors", s.tensor_count}}},
      {"tokenizer", s.tokenizer_backend.empty() ? nlohmann::json(nullptr)
                                                : nlohmann::json{{"backend", s.tokenizer_backend},
                                                                 {"vocab_size", s.tokenizer_vocab}}},
  };
  if (!s.tokenizer_error.empty()) j["tokenizer_error"] = s.tokenizer_error;
  if (c.is_transformer()) {
    const TransformerConfig& t = c.transformer;
    j["heads"] = t.num_heads;
    j["kv_heads"] = t.num_kv_heads;
    j["head_dim"] = t.head_dim;
    j["intermediate_size"] = t.intermediate_size;
    j["rope_theta"] = t.rope_theta;
    j["rope_scaling"] = rope_scaling_json(t.rope_scaling);
    j["sliding_window"] = t.sliding_window ? nlohmann::json(*t.sliding_window) : nlohmann::json(nullptr);
    j["layer_windows"] = t.layer_windows;  // per layer, 0 = full attention; empty = none slides
    j["biases"] = {{"qkv", t.qkv_bias}, {"o", t.o_bias}, {"mlp", t.mlp_bias}};
    j["max_position_embeddings"] = t.max_position_embeddings;
  } else if (c.arch != Architecture::Mamba2) {
    const Mamba1Config& m = c.mamba1;
    j["d_inner"] = m.d_inner;
    j["state_size"] = m.state_size;
    j["conv_kernel"] = m.conv_kernel;
    j["time_step_rank"] = m.time_step_rank;
    if (m.mixer_norms) j["mixer_rms_eps"] = m.mixer_rms_eps;
  } else {
    const Mamba2Config& m = c.mamba2;
    j["heads"] = m.num_heads;
    j["head_dim"] = m.head_dim;
    j["groups"] = m.n_groups;
    j["state_size"] = m.state_size;
    j["conv_kernel"] = m.conv_kernel;
    j["chunk_size"] = m.chunk_size;
    j["d_inner"] = m.d_inner;
  }
  j["tie_word_embeddings"] = c.tie_word_embeddings;
  return j;
}

static std::string human_bytes(size_t bytes) {
  std::ostringstream s;
  s.precision(3);
  if (bytes >= (size_t(1) << 30)) s << double(bytes) / double(size_t(1) << 30) << " GiB";
  else s << double(bytes) / double(1 << 20) << " MiB";
  return s.str();
}

std::string summary_to_text(const ModelSummary& s) {
  const ModelConfig& c = s.config;
  std::ostringstream o;
  o << s.folder.string() << "\n";
  o << "  architecture  " << architecture_name(c.arch) << ", " << c.num_layers << " blocks (depths 1.." << c.num_layers
    << "), hidden " << c.hidden_size << ", vocab " << c.vocab_size << "\n";
  if (c.is_transformer()) {
    const TransformerConfig& t = c.transformer;
    o << "  attention     " << t.num_heads << " heads, " << t.num_kv_heads << " KV heads, head_dim " << t.head_dim
      << ", biases " << biases_text(t) << "\n";
    o << "  rope          theta " << t.rope_theta << ", scaling " << rope_scaling_text(t.rope_scaling) << "\n";
    o << "  window        " << window_layout_text(c) << "\n";
    o << "  mlp           SwiGLU, " << t.intermediate_size << "\n";
  } else if (c.arch != Architecture::Mamba2) {
    const Mamba1Config& m = c.mamba1;
    o << "  mamba         d_inner " << m.d_inner << ", state " << m.state_size << ", conv " << m.conv_kernel
      << ", dt rank " << m.time_step_rank;
    if (m.mixer_norms) o << ", RMS norms on dt/B/C (eps " << m.mixer_rms_eps << ")";
    o << "\n";
  } else {
    const Mamba2Config& m = c.mamba2;
    o << "  mamba2        " << m.num_heads << " heads of " << m.head_dim << ", " << m.n_groups << " groups, state "
      << m.state_size << ", conv " << m.conv_kernel << ", chunk " << m.chunk_size << "\n";
  }
  o << "  parameters    " << s.parameters << " (" << (s.weight_dtype.empty() ? "?" : s.weight_dtype) << ")\n";
  if (s.weights_present)
    o << "  weights       " << s.weight_files << " file(s), " << s.tensor_count << " tensors, " << human_bytes(s.weight_bytes)
      << " on disk\n";
  else
    o << "  weights       absent (config only)\n";
  if (!s.tokenizer_backend.empty())
    o << "  tokenizer     " << s.tokenizer_backend << ", " << s.tokenizer_vocab << " pieces\n";
  else if (!s.tokenizer_error.empty())
    o << "  tokenizer     unusable: " << s.tokenizer_error << "\n";
  else
    o << "  tokenizer     absent\n";
  return o.str();
}

}  // namespace dynamax
