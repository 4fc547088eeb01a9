#pragma once
// The parameters of one exit classifier as one flat fp32 array with named, shaped slots: optimisers, gradients
// and files all work on the flat array; the network code reads its slots by offset.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dynamax {

struct ParamSlot {
  std::string name;
  std::vector<int64_t> shape;
  size_t offset = 0, size = 0;
};

class ParamLayout {
 public:
  // Appends a slot and returns its offset in the flat array.
  size_t add(std::string name, std::vector<int64_t> shape);
  const std::vector<ParamSlot>& entries() const { return slots_; }
  size_t total() const { return total_; }

 private:
  std::vector<ParamSlot> slots_;
  size_t total_ = 0;
};

}  // namespace dynamax
