#include "support/hand_recorded_run.h"

namespace testing_support {

dynamax::RecordedRun hand_recorded_run(int64_t first, int64_t second) {
  dynamax::RecordedRun r;
  r.depths = 4;
  r.tokens = 5;
  r.sample_index = {first, first, first, second, second};
  r.position = {0, 1, 2, 0, 1};
  r.token_id = {1, 2, 3, 1, 2};
  r.target_id = {10, 7, -1, 13, 9};
  r.final_top1 = {10, 11, 12, 13, 14};
  r.predicts_answer = {0, 1, 0, 1, 1};
  r.top1 = {5, 10, 10, 10, 8, 7, 11, 11, 1, 2, 3, 12, 13, 13, 13, 13, 9, 9, 14, 14};
  r.prob = {.2f, .5f, .9f, .95f, .6f, .4f, .7f, .99f, .1f, .2f, .3f, .4f, .8f, .85f, .9f, .97f, .3f, .3f, .6f, .9f};
  for (float p : r.prob) {
    r.margin.push_back(p / 2);
    r.entropy.push_back(1 - p);
    r.saturation.push_back(p * p);
  }
  return r;
}

}  // namespace testing_support
