#include "core/models/kv_cache.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "core/common/error.h"

namespace dynamax {

BlockKv::BlockKv(int width) : width_(width) { assert(width > 0); }

int BlockKv::find(int position) const {
  auto it = std::lower_bound(positions_.begin(), positions_.end(), position);
  return it != positions_.end() && *it == position ? int(it - positions_.begin()) : -1;
}

int BlockKv::append(int pos0, int T) {
  if (pos0 <= last_position())
    throw Error("KV cache: position " + std::to_string(pos0) + " is not after the last cached position " +
                std::to_string(last_position()) + " (truncate the state before re-running positions)");
  assert(T > 0);
  const int first = size();
  const size_t rows = size_t(first + T) * width_;
  keys_.resize(rows);  // vector growth is geometric: appending token by token stays amortised O(1)
  values_.resize(rows);
  for (int t = 0; t < T; ++t) positions_.push_back(pos0 + t);
  return first;
}

void BlockKv::push(int position, const float* key, const float* value) {
  const int e = append(position, 1);
  std::copy(key, key + width_, key_row(e));
  std::copy(value, value + width_, value_row(e));
}

void BlockKv::truncate(int n) {
  const int keep = int(std::lower_bound(positions_.begin(), positions_.end(), n) - positions_.begin());
  positions_.resize(size_t(keep));
  keys_.resize(size_t(keep) * width_);
  values_.resize(size_t(keep) * width_);
}

void BlockKv::clear() { truncate(0); }

KvCache::KvCache(int num_blocks, int width) : blocks_(size_t(num_blocks), BlockKv(width)) {}

BlockKv& KvCache::block(int depth) {
  return const_cast<BlockKv&>(static_cast<const KvCache&>(*this).block(depth));
}

const BlockKv& KvCache::block(int depth) const {
  if (depth < 1 || depth > this->depth())
    throw Error("KV cache: depth " + std::to_string(depth) + " is outside 1.." + std::to_string(this->depth()));
  return blocks_[size_t(depth - 1)];
}

std::unique_ptr<ModelState> KvCache::clone() const { return std::make_unique<KvCache>(*this); }

void KvCache::reset() {
  for (BlockKv& b : blocks_) b.clear();
  position = 0;
}

void KvCache::truncate(int n) {
  if (n < 0) throw Error("KV cache: cannot truncate to a negative length (" + std::to_string(n) + ")");
  for (BlockKv& b : blocks_) b.truncate(n);
  position = std::min(position, n);
}

}  // namespace dynamax
