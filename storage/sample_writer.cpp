#include "storage/sample_writer.h"

#include "core/common/error.h"

namespace dynamax {

SampleWriter::SampleWriter(Database& db) : db_(db), sample_row_(db), rows_(db, ExitRowsWriter::Owner::Sample) {}

int64_t SampleWriter::write(int64_t run_id, const SampleText& text, const SampleRecord& r, int64_t prefix_id) {
  if ((prefix_id != 0) != (r.start > 0))
    throw Error("sample writer: a record that starts at position " + std::to_string(r.start) +
                (prefix_id ? " cannot continue a prefix" : " needs the prefix it continues"));
  Transaction tx(db_);
  const int64_t sample_id = sample_row_.write(run_id, text, r.start + r.positions, prefix_id);
  rows_.write(sample_id, r, text.prompt_tokens);
  tx.commit();
  return sample_id;
}

}  // namespace dynamax
