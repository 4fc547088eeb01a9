#pragma once
// A recorded run small enough to work every analysis out by hand (L = 4, five tokens in two samples), shared by
// the analysis and comparison tests. Per token: max-prob and top-1 at depths 1..4, the full model's top-1, the
// target and whether it predicts an answer token; margin, entropy and saturation are simple functions of max-prob.
//   row  sample   pos  prob 1..4              top1 1..4      final target answer
//   t0   first    0    .2  .5  .9  .95        5 10 10 10     10    10     no
//   t1   first    1    .6  .4  .7  .99        8  7 11 11     11     7     yes
//   t2   first    2    .1  .2  .3  .4         1  2  3 12     12    −1     no
//   t3   second   0    .8  .85 .9  .97        13 13 13 13    13    13     yes
//   t4   second   1    .3  .3  .6  .9         9  9 14 14     14     9     yes
#include <cstdint>

#include "core/analysis/recorded_run.h"

namespace testing_support {

// The samples' dataset indices are `first` and `second` (a gap says a sample was not recorded).
dynamax::RecordedRun hand_recorded_run(int64_t first = 0, int64_t second = 1);

}  // namespace testing_support
