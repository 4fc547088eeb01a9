#include "storage/exit_rows_writer.h"

namespace dynamax {

static std::string table_prefix(ExitRowsWriter::Owner owner) {
  return owner == ExitRowsWriter::Owner::Prefix ? "prefix_" : "";
}
static std::string owner_column(ExitRowsWriter::Owner owner) {
  return owner == ExitRowsWriter::Owner::Prefix ? "prefix_id" : "sample_id";
}

ExitRowsWriter::ExitRowsWriter(Database& db, Owner owner)
    : db_(db),
      table_prefix_(table_prefix(owner)),
      owner_column_(owner_column(owner)),
      insert_token_(db.prepare("INSERT INTO " + table_prefix_ + "tokens (" + owner_column_ +
                               ", position, token_id, target_id, predicts_answer, final_top1) VALUES (?, ?, ?, ?, ?, ?)")),
      insert_topk_(db.prepare("INSERT INTO " + table_prefix_ + "exit_topk (" + owner_column_ +
                              ", position, depth, rank, token_id, logprob) VALUES (?, ?, ?, ?, ?, ?)")),
      insert_score_(db.prepare("INSERT INTO " + table_prefix_ + "classifier_scores (" + owner_column_ +
                               ", classifier, position, depth, score) VALUES (?, ?, ?, ?, ?)")) {}

Statement& ExitRowsWriter::insert_exits_for(int depths) {
  if (!insert_exits_ || insert_exits_depths_ != depths) {
    std::string sql = "INSERT INTO " + table_prefix_ + "exits (" + owner_column_ +
                      ", position, depth, top1, prob, margin, entropy, saturation) VALUES ";
    for (int d = 0; d < depths; ++d) sql += d ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)";
    insert_exits_.emplace(db_.prepare(sql));
    insert_exits_depths_ = depths;
  }
  return *insert_exits_;
}

void ExitRowsWriter::write(int64_t owner_id, const SampleRecord& r, int prompt_tokens) {
  Statement& insert_exits = insert_exits_for(r.depths);
  const int end = r.start + r.positions;
  for (int row = 0; row < r.positions; ++row) {
    const int t = r.start + row;
    // The prediction made at position t is of token t + 1: it counts as an answer prediction when that token is
    // part of the reference answer.
    const bool predicts_answer = t + 1 >= prompt_tokens && t + 1 < end;
    insert_token_.bind(1, owner_id)
        .bind(2, t)
        .bind(3, r.token_ids[size_t(row)])
        .bind(4, r.target_ids[size_t(row)])
        .bind(5, predicts_answer ? 1 : 0)
        .bind(6, r.final_top1[size_t(row)])
        .run();
    for (int d = 1; d <= r.depths; ++d) {
      const ExitMeasures& m = r.at(row, d);
      const int p = (d - 1) * 8;
      insert_exits.bind(p + 1, owner_id)
          .bind(p + 2, t)
          .bind(p + 3, d)
          .bind(p + 4, m.top1)
          .bind(p + 5, double(m.prob))
          .bind(p + 6, double(m.margin))
          .bind(p + 7, double(m.entropy))
          .bind(p + 8, double(m.saturation));
      for (int k = 0; k < r.top_k; ++k) {
        const size_t at = (size_t(row) * r.depths + (d - 1)) * r.top_k + k;
        insert_topk_.bind(1, owner_id)
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
    for (int row = 0; row < r.positions; ++row)
      for (size_t e = 0; e < c.depths.size(); ++e)
        insert_score_.bind(1, owner_id)
            .bind(2, c.name)
            .bind(3, r.start + row)
            .bind(4, c.depths[e])
            .bind(5, double(c.scores[size_t(row) * c.depths.size() + e]))
            .run();
}

}  // namespace dynamax
