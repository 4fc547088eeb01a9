#include "core/tokenize/merge_table.h"

namespace dynamax {

namespace {

uint64_t pair_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

}  // namespace

// Fibonacci hashing: the top bits of key * 2^64/phi spread consecutive ids over the whole table.
std::size_t MergeTable::home(uint64_t key) const {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
}

void MergeTable::insert_or_assign(int32_t left, int32_t right, BpeMerge merge) {
  if (2 * (used_ + 1) > slots_.size()) grow();
  const uint64_t key = pair_key(left, right);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(key);; i = (i + 1) & mask) {
    if (slots_[i].key == key) {
      slots_[i].merge = merge;
      return;
    }
    if (slots_[i].key == kEmpty) {
      slots_[i] = Slot{key, merge};
      ++used_;
      return;
    }
  }
}

const BpeMerge* MergeTable::find(int32_t left, int32_t right) const {
  if (slots_.empty()) return nullptr;
  const uint64_t key = pair_key(left, right);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(key);; i = (i + 1) & mask) {
    if (slots_[i].key == key) return &slots_[i].merge;
    if (slots_[i].key == kEmpty) return nullptr;
  }
}

// Doubles the table (at most half full, so probe runs stay short) and reinserts every entry.
void MergeTable::grow() {
  std::vector<Slot> old = std::move(slots_);
  const std::size_t size = old.empty() ? 64 : old.size() * 2;
  slots_.assign(size, Slot{kEmpty, {}});
  shift_ = 64;
  for (std::size_t s = size; s > 1; s >>= 1) --shift_;
  used_ = 0;
  const std::size_t mask = size - 1;
  for (const Slot& slot : old) {
    if (slot.key == kEmpty) continue;
    std::size_t i = home(slot.key);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
    ++used_;
  }
}

}  // namespace dynamax
