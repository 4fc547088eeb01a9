#include "core/tasks/qa_metrics.h"

#include <algorithm>
#include <map>

namespace dynamax {

namespace {

bool is_ascii_punctuation(unsigned char c) { return c < 128 && std::ispunct(c); }

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Python's re \b(a|an|the)\b → ' ' on text whose word characters are letters, digits, '_' and any non-ASCII byte.
std::string remove_articles(const std::string& text) {
  auto word_char = [](unsigned char c) { return std::isalnum(c) || c == '_' || c >= 128; };
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!word_char(static_cast<unsigned char>(text[i]))) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && word_char(static_cast<unsigned char>(text[end]))) ++end;
    const std::string_view word(text.data() + i, end - i);
    if (word == "a" || word == "an" || word == "the")
      out += ' ';
    else
      out += word;
    i = end;
  }
  return out;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(static_cast<unsigned char>(text[i]))) ++i;
    size_t end = i;
    while (end < text.size() && !is_space(static_cast<unsigned char>(text[end]))) ++end;
    if (end > i) words.emplace_back(text.substr(i, end - i));
    i = end;
  }
  return words;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Tokens shared by two bags, counted with multiplicity (Python's Counter & Counter).
int shared_tokens(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::map<std::string, int> counts;
  for (const std::string& t : a) ++counts[t];
  int same = 0;
  for (const std::string& t : b)
    if (auto it = counts.find(t); it != counts.end() && it->second > 0) --it->second, ++same;
  return same;
}

double token_f1(const std::vector<std::string>& gold, const std::vector<std::string>& pred) {
  const int same = shared_tokens(gold, pred);
  if (same == 0) return 0;
  const double precision = double(same) / double(pred.size()), recall = double(same) / double(gold.size());
  return 2 * precision * recall / (precision + recall);
}

}  // namespace

std::string squad_normalize(std::string_view text) {
  std::string kept;
  for (char c : ascii_lower(text))
    if (!is_ascii_punctuation(static_cast<unsigned char>(c))) kept += c;
  return join_words(split_words(remove_articles(kept)));
}

std::string triviaqa_normalize(std::string_view text) {
  std::string spaced = ascii_lower(text);
  for (const char* quote : {"\u2018", "\u2019", "\u00b4"})  // ‘ ’ ´ (UTF-8), spaced like the ASCII punctuation
    for (size_t at = spaced.find(quote); at != std::string::npos; at = spaced.find(quote, at + 1))
      spaced.replace(at, std::string_view(quote).size(), " ");
  for (char& c : spaced)
    if (c == '_' || is_ascii_punctuation(static_cast<unsigned char>(c))) c = ' ';
  return join_words(split_words(remove_articles(spaced)));
}

QaScore triviaqa_score(std::string_view prediction, std::span<const std::string> aliases) {
  const std::string pred = triviaqa_normalize(prediction);
  const std::vector<std::string> pred_tokens = split_words(pred);
  QaScore best;
  for (const std::string& alias : aliases) {
    const std::string gold = triviaqa_normalize(alias);
    best.exact_match = std::max(best.exact_match, gold == pred ? 1.0 : 0.0);
    best.f1 = std::max(best.f1, token_f1(split_words(gold), pred_tokens));
  }
  return best;
}

double coqa_f1(std::string_view gold, std::string_view prediction) {
  const std::vector<std::string> g = split_words(squad_normalize(gold)), p = split_words(squad_normalize(prediction));
  if (g.empty() || p.empty()) return g == p ? 1.0 : 0.0;
  return token_f1(g, p);
}

QaScore coqa_score(std::string_view prediction, std::span<const std::string> gold) {
  const std::string pred = squad_normalize(prediction);
  auto best_over = [&](size_t left_out) {
    QaScore best;
    for (size_t j = 0; j < gold.size(); ++j) {
      if (j == left_out) continue;
      best.exact_match = std::max(best.exact_match, squad_normalize(gold[j]) == pred ? 1.0 : 0.0);
      best.f1 = std::max(best.f1, coqa_f1(gold[j], prediction));
    }
    return best;
  };
  if (gold.size() <= 1) return gold.empty() ? QaScore{} : best_over(gold.size());
  QaScore sum;
  for (size_t i = 0; i < gold.size(); ++i) {
    const QaScore s = best_over(i);
    sum.exact_match += s.exact_match;
    sum.f1 += s.f1;
  }
  return {sum.exact_match / double(gold.size()), sum.f1 / double(gold.size())};
}

}  // namespace dynamax
