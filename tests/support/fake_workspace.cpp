#include "support/fake_workspace.h"

#include "core/io/lenient_json.h"
#include "core/io/model_config.h"
#include "storage/run_store.h"
#include "storage/sample_writer.h"
#include "storage/schema.h"

namespace testing_support {

using namespace dynamax;

static const char* kConfig = R"({"architectures": ["MistralForCausalLM"], "hidden_size": 8, "num_hidden_layers": 4,
  "vocab_size": 2000, "num_attention_heads": 2, "intermediate_size": 16})";

static SampleRecord record(int sample) {
  constexpr int T = 5, L = 4, K = 2;
  SampleRecord r;
  r.positions = T;
  r.depths = L;
  r.top_k = K;
  ClassifierScores probe{"probe", {2, 4}, {}};
  for (int t = 0; t < T; ++t) {
    r.token_ids.push_back(100 + t);
    r.target_ids.push_back(t + 1 < T ? 101 + t : -1);
    r.final_top1.push_back(500 + t);
    for (int d = 1; d <= L; ++d) {
      ExitMeasures m;
      m.top1 = d == L || (d + t + sample) % 3 == 0 ? 500 + t : 600 + d;
      m.prob = float(d) / L - 0.05f * float(t % 2);
      m.margin = 0.5f * m.prob;
      m.entropy = float(L - d);
      m.saturation = 0.9f;
      r.exits.push_back(m);
      for (int k = 0; k < K; ++k) {
        r.topk_ids.push_back(m.top1 + k);
        r.topk_logprobs.push_back(-float(k));
      }
    }
    probe.scores.push_back(0.3f + 0.1f * float(t));
    probe.scores.push_back(0.9f);
  }
  r.classifier_scores.push_back(probe);
  return r;
}

void write_fake_workspace(const std::filesystem::path& path) {
  Database db(path);
  open_workspace(db);
  RunStore store(db);
  const int64_t model = store.upsert_model("tiny", "/models/tiny", parse_model_config(parse_lenient_json(kConfig, "cfg"), "cfg"), kConfig);
  const int64_t dataset = store.upsert_dataset("text", "/data/a.txt", "text:/data/a.txt");
  const int64_t run = store.create_run("record", model, dataset, {{"limit", 2}, {"classifier_flops", {{"probe", 64}}}}, 2);
  SampleWriter writer(db);
  for (int i = 0; i < 2; ++i)
    writer.write(run, SampleText{i, std::to_string(i), "prompt", "answer", 2, {"gold"}, 0.01}, record(i));
  store.finish_run(run, "done");
}

}  // namespace testing_support
