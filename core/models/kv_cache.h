#pragma once
// The transformer's per-sequence state: for every block, the keys (after RoPE) and values of the tokens it has
// seen, each entry with its position. Blocks are independent, so early-exit strategies can fill a skipped block
// by hand (copy another block's entry, recompute one from an exit state) or leave a position out (masked).
#include <cstdint>
#include <memory>
#include <vector>

#include "core/models/model.h"

namespace dynamax {

// One block's cache: entries in strictly increasing position; a position without an entry is not attended to.
class BlockKv {
 public:
  explicit BlockKv(int width);  // width = num_kv_heads · head_dim floats per key (and per value)

  int width() const { return width_; }
  int size() const { return int(positions_.size()); }
  bool empty() const { return positions_.empty(); }
  int last_position() const { return empty() ? -1 : positions_.back(); }  // -1 when empty

  const float* keys() const { return keys_.data(); }      // [size x width]
  const float* values() const { return values_.data(); }  // [size x width]
  const int32_t* positions() const { return positions_.data(); }
  float* key_row(int entry) { return keys_.data() + int64_t(entry) * width_; }
  float* value_row(int entry) { return values_.data() + int64_t(entry) * width_; }
  const float* key_row(int entry) const { return keys_.data() + int64_t(entry) * width_; }
  const float* value_row(int entry) const { return values_.data() + int64_t(entry) * width_; }
  // The entry holding `position`, or -1.
  int find(int position) const;

  // Adds T entries for positions pos0 .. pos0+T-1 (after last_position(), else dynamax::Error) and returns the
  // index of the first; the caller fills their key and value rows.
  int append(int pos0, int T);
  // Adds one entry with a copy of `key` and `value` (width floats each).
  void push(int position, const float* key, const float* value);
  // Drops every entry at position >= n.
  void truncate(int n);
  void clear();

 private:
  int width_;
  std::vector<float> keys_, values_;
  std::vector<int32_t> positions_;
};

class KvCache final : public ModelState {
 public:
  KvCache(int num_blocks, int width);

  int depth() const { return int(blocks_.size()); }
  // Block `depth` (1..L); dynamax::Error otherwise.
  BlockKv& block(int depth);
  const BlockKv& block(int depth) const;

  std::unique_ptr<ModelState> clone() const override;
  void reset() override;             // empties every block, position = 0
  void truncate(int n) override;     // every block forgets positions >= n; position = min(position, n)

 private:
  std::vector<BlockKv> blocks_;
};

}  // namespace dynamax
