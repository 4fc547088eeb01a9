#pragma once
// Where exit classifiers sit: a set of exit depths d (1 ≤ d < L; depth L is the full model and needs no exit).
#include <span>
#include <vector>

namespace dynamax {

// The default: four depths in the second half, L/2, 5L/8, 3L/4 and 7L/8 (rounded down; duplicates of very shallow
// models merged), e.g. 8/10/12/14 of 16, 16/20/24/28 of 32, 32/40/48/56 of 64. Throws dynamax::Error for L < 2.
std::vector<int> default_exit_depths(int depths);

// `requested` checked against L: each within 1..L−1, none repeated; returned ascending. Empty → the default.
std::vector<int> validated_exit_depths(int depths, std::span<const int> requested);

}  // namespace dynamax
