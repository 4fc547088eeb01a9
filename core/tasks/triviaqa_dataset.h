#pragma once
// TriviaQA, closed-book, in either layout:
//  - JSONL as llm-foundry packages it: one {"context": "Question: ...\nAnswer:", "answer", "aliases": [...]} a line;
//  - the original TriviaQA JSON: {"Data": [{"Question", "Answer": {"Value", "Aliases", "NormalizedAliases"}}]}.
// Prompt: `shots` worked examples, the first records of the file other than the sample itself, each
// "Question: ...\nAnswer: <answer>\n\n", then the sample's "Question: ...\nAnswer:". Reference answer: " " + answer.
// Gold: the aliases (original layout: Aliases, then NormalizedAliases, then Value, without repeats).
// Key: the record's 0-based position in the file (malformed records keep their number).
#include "core/tasks/dataset.h"

namespace dynamax {

class TriviaqaDataset : public Dataset {
 public:
  TriviaqaDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit);
  std::size_t size() const override { return size_; }
  Sample sample(std::size_t i) const override;
  std::string kind() const override { return "triviaqa"; }
  // "jsonl" or "original".
  const std::string& layout() const { return layout_; }

  struct Record {
    std::size_t index = 0;  // position in the file
    std::string context;    // "Question: ...\nAnswer:"
    std::string answer;
    std::vector<std::string> gold;
  };

 private:
  const Tokenizer& tokenizer_;
  int shots_ = 2;
  std::string layout_;
  std::vector<Record> records_;  // all valid records (shots come from these)
  std::size_t size_ = 0;         // samples: the first `limit` records
};

}  // namespace dynamax
