#pragma once
// Fixed-sequence testing (the multiple-testing step of Learn then Test): hypotheses are tested one after another
// in an order fixed before the data is seen, each at the full level ε, and testing stops at the first p-value
// above ε. Whatever the order, the chance of rejecting any true null hypothesis is at most ε; the order only
// decides how much gets rejected, so it goes from the most likely to be rejected (safe thresholds) onwards.
#include <cstddef>
#include <span>

namespace dynamax {

// How many hypotheses, from the first, are rejected: the index of the first p-value above ε (or all of them).
// A NaN p-value is never below ε and stops the sequence.
size_t fixed_sequence_rejections(std::span<const double> p_values, double epsilon);

}  // namespace dynamax
