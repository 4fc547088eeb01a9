#include "app/ui/sample_excerpt.h"

#include <algorithm>
#include <vector>

namespace dynamax::app {

namespace {

constexpr size_t kTokens = 16;           // decoded, then cut to kCharacters
constexpr size_t kTokensBeforeAnswer = 8;
constexpr int kCharacters = 48;

std::string decoded(const AnalysedRun& run, const std::vector<int32_t>& ids) {
  if (run.tokenizer) {
    try {
      return run.tokenizer->decode(ids);
    } catch (const std::exception&) {
      // an id outside the vocabulary: fall back to the pieces
    }
  }
  std::string text;
  for (int32_t id : ids) text += run.piece(id);
  return text;
}

}  // namespace

QString sample_excerpt(const AnalysedRun& run, size_t begin, size_t end) {
  const RecordedRun& r = run.loaded.run;
  if (begin >= end) return {};
  // Row t predicts token t + 1: the answer starts one token after the first row that predicts it.
  size_t answer = begin + 1;
  for (size_t row = begin; row < end; ++row)
    if (r.predicts_answer[row]) {
      answer = row + 1;
      break;
    }
  const size_t first = std::max(begin + 1, answer >= kTokensBeforeAnswer ? answer - kTokensBeforeAnswer : 0);  // past BOS
  std::vector<int32_t> ids;
  for (size_t row = first; row < end && ids.size() < kTokens; ++row) ids.push_back(r.token_id[row]);
  QString text = QString::fromStdString(decoded(run, ids));
  text = text.replace(QChar(0x2581), ' ').simplified();  // "▁" of raw pieces, newlines, runs of spaces: one space
  if (text.size() > kCharacters) text = text.left(kCharacters).trimmed() + "…";
  return first > begin + 1 ? "…" + text : text;
}

}  // namespace dynamax::app
