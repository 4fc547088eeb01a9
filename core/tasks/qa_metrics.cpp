#include "core/tasks/qa_metrics.h"

#include <algorithm>
#include <map>

#include "core/tasks/python_text.h"

namespace dynamax {

namespace {

using Words = std::vector<std::u32string>;

// re.sub(r'\b(a|an|the)\b', ' ', text): whole words (runs of \w characters) equal to an article become a space.
std::u32string remove_articles(const std::u32string& text) {
  std::u32string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!pytext::is_word(text[i])) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && pytext::is_word(text[end])) ++end;
    const std::u32string_view word(text.data() + i, end - i);
    if (word == U"a" || word == U"an" || word == U"the")
      out += U' ';
    else
      out += word;
    i = end;
  }
  return out;
}

// Tokens shared by two bags, counted with multiplicity (Python's Counter & Counter).
int shared_tokens(const Words& a, const Words& b) {
  std::map<std::u32string, int> counts;
  for (const auto& t : a) ++counts[t];
  int same = 0;
  for (const auto& t : b)
    if (auto it = counts.find(t); it != counts.end() && it->second > 0) --it->second, ++same;
  return same;
}

double token_f1(const Words& gold, const Words& pred) {
  const int same = shared_tokens(gold, pred);
  if (same == 0) return 0;
  const double precision = double(same) / double(pred.size()), recall = double(same) / double(gold.size());
  return 2 * precision * recall / (precision + recall);
}

std::u32string squad_normalized(std::string_view text, std::string_view what) {
  std::u32string kept;
  for (char32_t c : pytext::lower(pytext::decode(text, what)))
    if (!pytext::is_ascii_punctuation(c)) kept += c;
  return pytext::join(pytext::split(remove_articles(kept)));
}

std::u32string triviaqa_normalized(std::string_view text, std::string_view what) {
  std::u32string spaced = pytext::decode(text, what);
  std::replace(spaced.begin(), spaced.end(), U'_', U' ');
  spaced = pytext::lower(spaced);
  for (char32_t& c : spaced)  // string.punctuation and ‘ ’ ´ ` become spaces
    if (pytext::is_ascii_punctuation(c) || c == U'\u2018' || c == U'\u2019' || c == U'\u00b4') c = U' ';
  return pytext::join(pytext::split(remove_articles(spaced)));
}

}  // namespace

std::string squad_normalize(std::string_view text) { return pytext::encode(squad_normalized(text, "text")); }
std::string triviaqa_normalize(std::string_view text) { return pytext::encode(triviaqa_normalized(text, "text")); }

QaScore triviaqa_score(std::string_view prediction, std::span<const std::string> aliases) {
  const std::u32string pred = triviaqa_normalized(prediction, "prediction");
  const Words pred_tokens = pytext::split(pred);
  QaScore best;
  for (size_t i = 0; i < aliases.size(); ++i) {
    const std::u32string gold = triviaqa_normalized(aliases[i], "gold answer " + std::to_string(i + 1));
    best.exact_match = std::max(best.exact_match, gold == pred ? 1.0 : 0.0);
    best.f1 = std::max(best.f1, token_f1(pytext::split(gold), pred_tokens));
  }
  return best;
}

namespace {

double coqa_token_f1(const std::u32string& gold, const std::u32string& prediction) {
  const Words g = pytext::split(gold), p = pytext::split(prediction);
  if (g.empty() || p.empty()) return g == p ? 1.0 : 0.0;
  return token_f1(g, p);
}

}  // namespace

double coqa_f1(std::string_view gold, std::string_view prediction) {
  return coqa_token_f1(squad_normalized(gold, "gold answer"), squad_normalized(prediction, "prediction"));
}

QaScore coqa_score(std::string_view prediction, std::span<const std::string> gold) {
  const std::u32string pred = squad_normalized(prediction, "prediction");
  std::vector<std::u32string> golds;
  for (size_t i = 0; i < gold.size(); ++i) golds.push_back(squad_normalized(gold[i], "gold answer " + std::to_string(i + 1)));
  auto best_over = [&](size_t left_out) {
    QaScore best;
    for (size_t j = 0; j < golds.size(); ++j) {
      if (j == left_out) continue;
      best.exact_match = std::max(best.exact_match, golds[j] == pred ? 1.0 : 0.0);
      best.f1 = std::max(best.f1, coqa_token_f1(golds[j], pred));
    }
    return best;
  };
  if (golds.size() <= 1) return golds.empty() ? QaScore{} : best_over(golds.size());
  QaScore sum;
  for (size_t i = 0; i < golds.size(); ++i) {
    const QaScore s = best_over(i);
    sum.exact_match += s.exact_match;
    sum.f1 += s.f1;
  }
  return {sum.exact_match / double(golds.size()), sum.f1 / double(golds.size())};
}

}  // namespace dynamax
