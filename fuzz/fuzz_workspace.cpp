// The workspace readers on an arbitrary file opened as the workspace database (read-only, as the listing and
// analysis commands open it): the schema version, the runs listing, every run's recorded rows, top-k, generations
// and prompts, and the classifier store. A damaged database may be refused with an Error naming it, never crash.
#include <algorithm>
#include <string>

#include "fuzz/fuzz_support.h"
#include "storage/classifier_store.h"
#include "storage/exit_topk_reader.h"
#include "storage/generation_reader.h"
#include "storage/run_reader.h"
#include "storage/run_store.h"
#include "storage/schema.h"

using dynamax::fuzz::refusal_is_fine;

// Everything the inspector and the analyses read of one run.
static void read_run(dynamax::Database& db, dynamax::RunStore& store, int64_t run_id) {
  refusal_is_fine([&] { (void)store.run(run_id); });
  refusal_is_fine([&] {
    const dynamax::RecordedRun run = dynamax::load_recorded_run(db, run_id);
    // The top-k of the first sample, shaped as the inspector shapes it: its positions × the run's depths.
    if (run.tokens == 0) return;
    const int64_t sample = run.sample_index[0];
    const int positions = int(std::count(run.sample_index.begin(), run.sample_index.end(), sample));
    (void)dynamax::load_sample_topk(db, run_id, sample, positions, run.depths);
  });
  refusal_is_fine([&] {
    for (int64_t sample : dynamax::generation_sample_indices(db, run_id)) {
      (void)dynamax::load_sample_generations(db, run_id, sample);
      (void)dynamax::sample_prompt(db, run_id, sample);
    }
  });
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > dynamax::fuzz::kMaxInputBytes) return -1;
  const auto path = dynamax::fuzz::write_input("workspace.db", data, size);
  for (const char* side : {"-wal", "-shm", "-journal"}) std::filesystem::remove(path.string() + side);
  refusal_is_fine([&] {
    dynamax::Database db(path, dynamax::Database::Mode::ReadOnly);
    refusal_is_fine([&] { (void)dynamax::stored_schema_version(db); });
    dynamax::RunStore store(db);
    refusal_is_fine([&] {
      for (const dynamax::RunInfo& run : store.list_runs()) read_run(db, store, run.id);
    });
    refusal_is_fine([&] {
      for (const dynamax::ClassifierListing& listing : dynamax::list_classifiers(db)) {
        (void)listing.mean_validation_auroc();
        (void)dynamax::stored_classifier(db, listing.name);
      }
    });
  });
  return 0;
}
