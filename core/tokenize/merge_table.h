#pragma once
// The merges of a BPE model keyed by the pair of ids they join. BPE encoding spends most of its time looking
// pairs up, so this is a flat open-addressing table (one probe sequence in one array) rather than a node map.
#include <cstdint>
#include <vector>

namespace dynamax {

struct BpeMerge {
  int32_t rank;       // position in the merges list: lower merges first
  int32_t merged_id;  // the piece the pair becomes
};

class MergeTable {
 public:
  // Ids must be non-negative.
  void insert_or_assign(int32_t left, int32_t right, BpeMerge merge);
  const BpeMerge* find(int32_t left, int32_t right) const;

 private:
  struct Slot {
    uint64_t key;
    BpeMerge merge;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};  // never a key: ids are non-negative

  std::size_t home(uint64_t key) const;
  void grow();

  std::vector<Slot> slots_;
  std::size_t used_ = 0;
  int shift_ = 64;  // 64 - log2(slot count)
};

}  // namespace dynamax
