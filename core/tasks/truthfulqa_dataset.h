#pragma once
// TruthfulQA (Lin, Hilton, Evans 2021), both tasks, with the paper's QA primer (`shots` of its 6 pairs, default 6)
// and then "\n\nQ: <question>\nA:".
//  - truthfulqa: generation, TruthfulQA.csv (Type, Category, Question, Best Answer, Correct Answers,
//    Incorrect Answers, Source; answer lists separated by ';'). Reference answer: " " + Best Answer.
//    Gold: the correct answers, and the best answer when it is not among them; incorrect: the incorrect answers.
//    Answers are kept as written (the official BLEU/ROUGE scorer adds a closing '.' and "I have no comment."
//    to the true references: that belongs to the metric).
//  - truthfulqa-mc: mc_task.json, a list of {question, mc1_targets: {text: 0|1}, mc2_targets: {text: 0|1}}.
//    Reference answer: " " + the first MC1 choice labelled 1. Choices keep their file order.
//    Gold / incorrect: the MC2 choices labelled 1 / 0.
// Key: the question's 0-based position in the file.
#include "core/tasks/dataset.h"

namespace dynamax {

class RecordErrors;

struct TruthfulqaQuestion {
  std::size_t index = 0;
  std::string question;
  std::string best;                       // truthfulqa: Best Answer; truthfulqa-mc: the first MC1 choice labelled 1
  std::vector<std::string> correct, incorrect;
  std::vector<std::pair<std::string, int>> mc1, mc2;  // truthfulqa-mc only
};

// Shared by both kinds: the questions, the primer length, and how a question becomes a sample.
class TruthfulqaBase : public Dataset {
 public:
  std::size_t size() const override { return size_; }
  Sample sample(std::size_t i) const override;

 protected:
  TruthfulqaBase(const DatasetSpec& spec, const Tokenizer& tokenizer)
      : tokenizer_(tokenizer), shots_(spec.int_option("shots", 6)) {}
  void finish(RecordErrors& errors, std::size_t limit);

  const Tokenizer& tokenizer_;
  int shots_ = 6;
  std::vector<TruthfulqaQuestion> questions_;
  std::size_t size_ = 0;
};

class TruthfulqaDataset : public TruthfulqaBase {
 public:
  TruthfulqaDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit);
  std::string kind() const override { return "truthfulqa"; }
};

class TruthfulqaMcDataset : public TruthfulqaBase {
 public:
  TruthfulqaMcDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit);
  std::string kind() const override { return "truthfulqa-mc"; }
};

// "a; b ;c" → {"a", "b", "c"}: TruthfulQA's answer lists, trimmed, empty parts dropped.
std::vector<std::string> split_answers(std::string_view list);

}  // namespace dynamax
