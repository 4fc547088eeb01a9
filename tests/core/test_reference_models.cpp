// Every engine against its Hugging Face reference (shared/fixtures/references, and tests/data/references for the
// models kept in the repository): the residual stream and the final
// logits, the exit head at every depth, greedy generation with and without the cache, and one-token decoding
// against the whole-sequence pass. One row per model and prompt (or generation); what differs between models is in
// the table below. Architecture-specific checks stay in test_transformer.cpp, test_mamba2.cpp and test_mamba.cpp.
#include <QtTest>

#include <iterator>
#include <memory>

#include "core/models/model.h"
#include "support/reference_checks.h"
#include "support/test_support.h"

using namespace dynamax;
using testing_support::Reference;
namespace fs = std::filesystem;

namespace {

// One row per model with a reference file. Both architectures' suites used the same tolerances; they differed only
// in how much of p0 they decode.
// Where a model and its reference live: ../shared/fixtures or the repository's tests/data.
enum class Root { SharedFixtures, TestData };

struct ReferenceModel {
  const char* name;   // <root>/models/<name> and <root>/references/<name>.reference.safetensors
  int decode_tokens;  // the first tokens of p0 decoded one at a time
  float hidden_rel_tol = 1e-3f;  // × the largest |h| of the reference
  float logits_tol = 1e-3f;
  float lens_gap_tol = 1e-3f;  // top-1 must agree only where the reference's top1 − top2 gap is larger
  float lens_logprob_tol = 2e-3f;
  float decode_tol = 1e-3f;
  Root root = Root::SharedFixtures;
};

constexpr ReferenceModel kModels[] = {
    // All 300 tokens of p0: decoding crosses the sliding window (128).
    {.name = "tiny-mistral", .decode_tokens = 300},
    // 100 tokens: the whole-sequence pass scans with the transposed state, decoding with the state rows.
    {.name = "tiny-codestral", .decode_tokens = 100},
    // All of p0: decoding runs past original_max_position_embeddings (64), where llama3 scaling matters.
    {.name = "tiny-llama3", .decode_tokens = 200, .root = Root::TestData},
    // 100 tokens: past the window (32) of the sliding layers 2..4, with layers 0..1 attending to everything.
    {.name = "tiny-qwen2", .decode_tokens = 100, .root = Root::TestData},
    // Mamba-1 (tied, conv bias, explicit dt rank) and FalconMamba (norms on dt, B, C; untied): all 200 tokens of p0.
    {.name = "tiny-mamba", .decode_tokens = 200, .root = Root::TestData},
    {.name = "tiny-falcon-mamba", .decode_tokens = 200, .root = Root::TestData},
};
constexpr int kModelCount = int(std::size(kModels));

// What every reference file holds: hidden states and final logits for the first prompts, the lens for all.
constexpr int kPromptsWithHiddenStates = 2;
constexpr int kPrompts = 5;
constexpr int kGenerations = 3;

fs::path root_dir(const ReferenceModel& m) {
  return m.root == Root::TestData ? testing_support::test_data_dir() : testing_support::shared_dir() / "fixtures";
}

// Skips a row whose folder is absent (../shared on a machine without it).
#define REQUIRE_ROOT(m)                                                                           \
  do {                                                                                          \
    if (kModels[m].root == Root::SharedFixtures) REQUIRE_SHARED();                              \
    if (kModels[m].root == Root::TestData && testing_support::test_data_dir().empty())          \
      QSKIP("tests/data not found: set DYNAMAX_TEST_DATA to run this row");                     \
  } while (0)

// Rows "<model> p<i>" for the first `count` prompts of every model.
void add_prompt_rows(int count) {
  QTest::addColumn<int>("model");
  QTest::addColumn<int>("prompt");
  for (int m = 0; m < kModelCount; ++m)
    for (int p = 0; p < count; ++p) QTest::addRow("%s p%d", kModels[m].name, p) << m << p;
}

}  // namespace

class TestReferenceModels : public QObject {
  Q_OBJECT

  // Loaded on first use and kept: every model serves many rows.
  std::unique_ptr<Model> models_[kModelCount];
  std::unique_ptr<Reference> references_[kModelCount];

  Model& engine(int m) {
    if (!models_[m]) models_[m] = load_model(root_dir(kModels[m]) / "models" / kModels[m].name);
    return *models_[m];
  }
  const Reference& reference(int m) {
    if (!references_[m])
      references_[m] = std::make_unique<Reference>(root_dir(kModels[m]) / "references" /
                                                   (std::string(kModels[m].name) + ".reference.safetensors"));
    return *references_[m];
  }

 private slots:
  void hidden_states_data() { add_prompt_rows(kPromptsWithHiddenStates); }
  void hidden_states() {
    QFETCH(int, model);
    REQUIRE_ROOT(model);
    QFETCH(int, prompt);
    const std::string problem =
        testing_support::check_hidden_states(engine(model), reference(model), prompt, kModels[model].hidden_rel_tol);
    QVERIFY2(problem.empty(), problem.c_str());
  }

  void final_logits_data() { add_prompt_rows(kPromptsWithHiddenStates); }
  void final_logits() {
    QFETCH(int, model);
    REQUIRE_ROOT(model);
    QFETCH(int, prompt);
    const std::string problem =
        testing_support::check_final_logits(engine(model), reference(model), prompt, kModels[model].logits_tol);
    QVERIFY2(problem.empty(), problem.c_str());
  }

  void lens_at_every_depth_data() { add_prompt_rows(kPrompts); }
  void lens_at_every_depth() {
    QFETCH(int, model);
    REQUIRE_ROOT(model);
    QFETCH(int, prompt);
    QVERIFY(prompt < reference(model).prompt_count());
    const ReferenceModel& m = kModels[model];
    const std::string problem =
        testing_support::check_lens(engine(model), reference(model), prompt, m.lens_gap_tol, m.lens_logprob_tol);
    QVERIFY2(problem.empty(), problem.c_str());
  }

  void greedy_generations_data() {
    QTest::addColumn<int>("model");
    QTest::addColumn<int>("generation");
    QTest::addColumn<bool>("cached");
    for (int m = 0; m < kModelCount; ++m)
      for (int g = 0; g < kGenerations; ++g)
        for (bool cached : {true, false})
          QTest::addRow("%s g%d %s", kModels[m].name, g, cached ? "cached" : "uncached") << m << g << cached;
  }
  void greedy_generations() {
    QFETCH(int, model);
    REQUIRE_ROOT(model);
    QFETCH(int, generation);
    QFETCH(bool, cached);
    QVERIFY(generation < reference(model).generation_count());
    const std::string problem = testing_support::check_generation(engine(model), reference(model), generation, cached);
    QVERIFY2(problem.empty(), problem.c_str());
  }

  void decode_matches_prefill_at_every_depth_data() {
    QTest::addColumn<int>("model");
    for (int m = 0; m < kModelCount; ++m) QTest::newRow(kModels[m].name) << m;
  }
  void decode_matches_prefill_at_every_depth() {
    QFETCH(int, model);
    REQUIRE_ROOT(model);
    const ReferenceModel& m = kModels[model];
    std::vector<int32_t> ids = reference(model).ints("p0.input_ids");
    QVERIFY(ids.size() >= size_t(m.decode_tokens));
    ids.resize(size_t(m.decode_tokens));
    const std::string problem = testing_support::check_decode_matches_prefill(engine(model), ids, m.decode_tol);
    QVERIFY2(problem.empty(), problem.c_str());
  }
};

QTEST_APPLESS_MAIN(TestReferenceModels)
#include "test_reference_models.moc"
