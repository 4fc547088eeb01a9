#pragma once
// Question-answering metrics as the official scripts define them.
//  - SQuAD v1.1 (evaluate-v1.1.py) and CoQA (evaluate-v1.0.py) share one normalisation: lower-case, delete ASCII
//    punctuation, remove the articles a/an/the as words, collapse whitespace.
//  - TriviaQA (triviaqa_evaluation.py) replaces underscores, ASCII punctuation and ‘ ’ ´ ` by spaces instead of
//    deleting them, then removes articles and collapses whitespace.
// All of it with Python's Unicode semantics (core/tasks/python_text.h): str.lower(), str.split() and re's \b are
// Unicode-aware, string.punctuation is ASCII. Malformed UTF-8 in a prediction or gold answer throws Error with the
// byte offset.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dynamax {

std::string squad_normalize(std::string_view text);
std::string triviaqa_normalize(std::string_view text);

struct QaScore {
  double exact_match = 0;  // 0 or 1 for one gold answer; CoQA averages
  double f1 = 0;
};

// TriviaQA: EM and token F1 of the normalised prediction, each the maximum over the gold aliases (0 with none).
// F1 is 0 when nothing is shared (the official script also for two empty strings).
QaScore triviaqa_score(std::string_view prediction, std::span<const std::string> aliases);

// SQuAD-style token F1 of two normalised texts (squad_normalize), with CoQA's rule for empty answers:
// 1 when both are empty, 0 when one is.
double coqa_f1(std::string_view gold, std::string_view prediction);
// CoQA's turn score: with n > 1 gold answers, the average over the n leave-one-out sets of the best EM/F1 against
// the remaining n − 1 answers; with one, the score against it.
QaScore coqa_score(std::string_view prediction, std::span<const std::string> gold);

}  // namespace dynamax
