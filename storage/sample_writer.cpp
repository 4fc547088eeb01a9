#include "storage/sample_writer.h"

namespace dynamax {

SampleWriter::SampleWriter(Database& db)
    : db_(db),
      sample_row_(db),
      insert_token_(db.prepare(
          "INSERT INTO tokens (sample_id, position, token_id, target_id, predicts_answer, final_top1) VALUES (?, ?, ?, ?, ?, ?)")),
      insert_topk_(db.prepare(
          "INSERT INTO exit_topk (sample_id, position, depth, rank, token_id, logprob) VALUES (?, ?, ?, ?, ?, ?)")),
      insert_score_(db.prepare(
          "INSERT INTO classifier_scores (sample_id, classifier, position, depth, score) VALUES (?, ?, ?, ?, ?)")) {}

Statement& SampleWriter::insert_exits_for(int depths) {
  if (!insert_exits_ || insert_exits_depths_ != depths) {
    std::string sql = "INSERT INTO exits (sample_id, position, depth, top1, prob, margin, entropy, saturation) VALUES ";
    for (int d = 0; d < depths; ++d) sql += d ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)";
    insert_exits_.emplace(db_.prepare(sql));
    insert_exits_depths_ = depths;
  }
  return *insert_exits_;
}

int64_t SampleWriter::write(int64_t run_id, const SampleText& text, const SampleRecord& r) {
  Transaction tx(db_);
  Statement& insert_exits = insert_exits_for(r.depths);
  const int64_t sample_id = sample_row_.write(run_id, text, r.positions);
  for (int t = 0; t < r.positions; ++t) {
    // The prediction made at position t is of token t + 1: it counts as an answer prediction when that token is
    // part of the reference answer.
    const bool predicts_answer = t + 1 >= text.prompt_tokens && t + 1 < r.positions;
    insert_token_.bind(1, sample_id)
        .bind(2, t)
        .bind(3, r.token_ids[size_t(t)])
        .bind(4, r.target_ids[size_t(t)])
        .bind(5, predicts_answer ? 1 : 0)
        .bind(6, r.final_top1[size_t(t)])
        .run();
    for (int d = 1; d <= r.depths; ++d) {
      const ExitMeasures& m = r.at(t, d);
      const int p = (d - 1) * 8;
      insert_exits.bind(p + 1, sample_id)
          .bind(p + 2, t)
          .bind(p + 3, d)
          .bind(p + 4, m.top1)
          .bind(p + 5, double(m.prob))
          .bind(p + 6, double(m.margin))
          .bind(p + 7, double(m.entropy))
          .bind(p + 8, double(m.saturation));
      for (int k = 0; k < r.top_k; ++k) {
        const size_t at = (size_t(t) * r.depths + (d - 1)) * r.top_k + k;
        insert_topk_.bind(1, sample_id)
            .bind(2, t)
            .bind(3, d)
            .bind(4, k + 1)
            .bind(5, r.topk_ids[at])
            .bind(6, double(r.topk_logprobs[at]))
            .run();
      }
    }
    insert_exits.run();
  }
  for (const ClassifierScores& c : r.classifier_scores)
    for (int t = 0; t < r.positions; ++t)
      for (size_t e = 0; e < c.depths.size(); ++e)
        insert_score_.bind(1, sample_id)
            .bind(2, c.name)
            .bind(3, t)
            .bind(4, c.depths[e])
            .bind(5, double(c.scores[size_t(t) * c.depths.size() + e]))
            .run();
  tx.commit();
  return sample_id;
}

}  // namespace dynamax
