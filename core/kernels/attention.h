#pragma once
// Causal grouped-query attention of new query rows against a block's cached keys and values, in fp32 with BLAS.
#include <cstdint>
#include <vector>

namespace dynamax {

struct AttentionShape {
  int num_heads = 0;
  int num_kv_heads = 0;  // divides num_heads; query head h reads kv head h / (num_heads / num_kv_heads)
  int head_dim = 0;
  int window = 0;  // sliding window W (a query at position i sees keys j with i − W < j ≤ i); 0 = none
};

// out[T x num_heads·head_dim] = softmax(Q·Kᵀ / √head_dim + mask) · V for every head, for the T query rows of Q
// (row t at position q_pos0 + t) against n cached entries: K and V are [n x num_kv_heads·head_dim], key j at
// position k_pos[j], positions strictly increasing. Query rows that see no key get zeros. `scores` is scratch
// that grows as needed, so a caller that keeps it allocates nothing in steady state.
void attention(const AttentionShape& shape, const float* Q, int T, int q_pos0, const float* K, const float* V,
               const int32_t* k_pos, int n, float* out, std::vector<float>& scores);

}  // namespace dynamax
