#pragma once
// A small but whole workspace written through the storage API, without a model: one finished recording (run 1) of
// a 4-block model, 2 samples × 5 tokens, top-2 per exit and the scores of one classifier ("probe") at depths 2 and 4.
// Tests damage copies of it to check that every reader refuses the damage with a clear message.
#include <filesystem>

namespace testing_support {

void write_fake_workspace(const std::filesystem::path& path);

}  // namespace testing_support
