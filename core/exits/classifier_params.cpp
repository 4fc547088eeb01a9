#include "core/exits/classifier_params.h"

namespace dynamax {

size_t ParamLayout::add(std::string name, std::vector<int64_t> shape) {
  size_t size = 1;
  for (int64_t n : shape) size *= size_t(n);
  slots_.push_back({std::move(name), std::move(shape), total_, size});
  total_ += size;
  return total_ - size;
}

}  // namespace dynamax
