#include "core/kernels/bf16_matmul.h"

#include <dnnl.hpp>

#include <map>
#include <tuple>
#include <vector>

#include "core/common/error.h"
#include "core/kernels/convert.h"

extern "C" int openblas_get_num_threads(void);
extern "C" void omp_set_num_threads(int);  // Debian's oneDNN runs on OpenMP (libgomp)

namespace dynamax {

namespace {

using dnnl::memory;
using Dims = memory::dims;

// One shape of product: T rows of activations, `rows` × `in` weights, Y rows `ldy` apart, overwrite or add.
using Shape = std::tuple<int64_t, int64_t, int64_t, int64_t, bool>;

dnnl::matmul::primitive_desc describe(const dnnl::engine& engine, int64_t T, int64_t rows, int64_t in, int64_t ldy,
                                      bool accumulate) {
  const memory::desc src({T, in}, memory::data_type::bf16, memory::format_tag::ab);
  const memory::desc weights({in, rows}, memory::data_type::bf16, memory::format_tag::ba);  // W[rows x in] as is
  const memory::desc dst({T, rows}, memory::data_type::f32, Dims{ldy, 1});
  dnnl::primitive_attr attr;
  if (accumulate) {  // Y += …: the destination's old value is added by a sum post-op, in fp32
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, weights, dst), attr, engine);
}

// A created product and its memory layouts (user pointers are bound at each call).
struct Product {
  dnnl::matmul primitive;
  memory::desc src, weights, dst;
};

// A thread's oneDNN engine, stream, primitives and bf16 activation buffer. Per thread, so that models running on
// several caller threads at once never share a primitive's scratchpad or a buffer.
struct ThreadContext {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::map<Shape, Product> products;
  std::vector<uint16_t> source;

  const Product& product(const Shape& shape) {
    auto it = products.find(shape);
    if (it != products.end()) return it->second;
    const auto [T, rows, in, ldy, accumulate] = shape;
    const auto pd = describe(engine, T, rows, in, ldy, accumulate);
    return products.emplace(shape, Product{dnnl::matmul(pd), pd.src_desc(), pd.weights_desc(), pd.dst_desc()})
        .first->second;
  }
};

ThreadContext& context() {
  thread_local ThreadContext c;
  return c;
}

// The implementation oneDNN picks for a small bf16 product: the CPU's best bf16 kernel, or a reference one.
std::string probe_kernel() {
  try {
    const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return describe(engine, 32, 64, 64, 64, false).impl_info_str();
  } catch (const dnnl::error&) {
    return "";
  }
}

}  // namespace

std::string bf16_matmul_kernel() {
  static const std::string kernel = probe_kernel();
  return kernel;
}

bool bf16_matmul_available() {
  static const bool yes = [] {
    const std::string kernel = bf16_matmul_kernel();
    // Below AVX512-BF16 oneDNN emulates bf16 or runs its reference loops: slower than the fp32 path.
    const auto isa = unsigned(dnnl::get_effective_cpu_isa()), bf16 = unsigned(dnnl::cpu_isa::avx512_core_bf16);
    return !kernel.empty() && kernel.rfind("ref", 0) != 0 && (isa & bf16) == bf16;  // ISAs are bit sets
  }();
  return yes;
}

void bf16_matmul(const uint16_t* W, int64_t rows, int64_t in, const float* X, int T, float* Y, int64_t ldy,
                 bool accumulate) {
  ThreadContext& c = context();
  omp_set_num_threads(openblas_get_num_threads());  // this thread's OpenMP team size: the engine's budget
  const size_t n = size_t(T) * size_t(in);
  if (c.source.size() < n) c.source.resize(n);
  f32_to_bf16(X, c.source.data(), n);
  const Shape shape{T, rows, in, ldy, accumulate};
  try {
    const Product& product = c.product(shape);
    memory src(product.src, c.engine, c.source.data());
    memory weights(product.weights, c.engine, const_cast<uint16_t*>(W));  // only read
    memory dst(product.dst, c.engine, Y);
    product.primitive.execute(c.stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}});
    c.stream.wait();
  } catch (const dnnl::error& e) {
    throw Error("oneDNN bf16 matmul of " + std::to_string(T) + "×" + std::to_string(in) + " by " + std::to_string(in) +
                "×" + std::to_string(rows) + " failed: " + e.what());
  }
}

}  // namespace dynamax
