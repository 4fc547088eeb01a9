#include "storage/generation_writer.h"

#include <cmath>

namespace dynamax {

GenerationWriter::GenerationWriter(Database& db)
    : db_(db),
      sample_row_(db),
      insert_generation_(db.prepare(
          "INSERT INTO generations (run_id, sample_index, policy, prompt_tokens, output_ids_json, output_text, "
          "blocks_executed, blocks_full, flops_executed, flops_full, seconds, metrics_json) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
      insert_step_(db.prepare(
          "INSERT INTO generation_steps (generation_id, step, token_id, exit_depth, score, extra_blocks, seconds) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)")) {}

void GenerationWriter::write(int64_t run_id, const SampleText& sample, int token_count,
                             const std::vector<PolicyOutcome>& outcomes) {
  Transaction tx(db_);
  for (const PolicyOutcome& o : outcomes) {
    const Generation& g = o.generation;
    insert_generation_.bind(1, run_id)
        .bind(2, sample.index)
        .bind(3, o.policy)
        .bind(4, o.prompt_tokens)
        .bind(5, nlohmann::json(g.ids).dump())
        .bind(6, g.text)
        .bind(7, g.blocks_executed)
        .bind(8, g.blocks_full)
        .bind(9, g.flops_executed)
        .bind(10, g.flops_full)
        .bind(11, g.prefill_seconds + g.decode_seconds)
        .bind(12, o.metrics.dump())
        .run();
    const int64_t generation_id = db_.last_insert_id();
    for (size_t i = 0; i < g.tokens.size(); ++i) {
      const GeneratedToken& t = g.tokens[i];
      insert_step_.bind(1, generation_id).bind(2, int64_t(i)).bind(3, t.id).bind(4, t.exit_depth);
      if (std::isnan(t.score))
        insert_step_.bind_null(5);
      else
        insert_step_.bind(5, double(t.score));
      insert_step_.bind(6, t.extra_blocks).bind(7, t.seconds).run();
    }
  }
  sample_row_.write(run_id, sample, token_count);  // last: a stored sample row marks the sample finished
  tx.commit();
}

}  // namespace dynamax
