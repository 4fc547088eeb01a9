#pragma once
// CoQA (Reddy, Chen, Manning 2019), the official JSON: {"data": [{"id", "story", "questions": [{turn_id,
// input_text}], "answers": [{turn_id, input_text}], "additional_answers": {"0": [...], ...} (dev only)}]}.
// One sample per turn, 0-shot: the story, "\n\n", the earlier turns with their gold answers
// ("Q: ...\nA: ...\n\n"), then "Q: <question>\nA:". Reference answer: " " + the turn's answer.
// Gold: the turn's answer, then the additional answers for that turn (in the file's order, repeats kept, as the
// official scorer takes them). Key: "<story id>#turn<turn_id>".
// A malformed story (any field of it) is one malformed record: on_error=skip drops the whole story.
#include "core/tasks/dataset.h"

namespace dynamax {

class CoqaDataset : public Dataset {
 public:
  CoqaDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit);
  std::size_t size() const override { return turns_.size(); }
  Sample sample(std::size_t i) const override;
  std::string kind() const override { return "coqa"; }
  std::size_t story_count() const { return stories_.size(); }

  struct Turn {
    int turn_id = 0;
    std::string question, answer;
    std::vector<std::string> gold;
  };
  struct Story {
    std::string id, text;
    std::vector<Turn> turns;
  };

 private:
  const Tokenizer& tokenizer_;
  std::vector<Story> stories_;
  std::vector<std::pair<std::size_t, std::size_t>> turns_;  // (story, turn) of each sample
};

}  // namespace dynamax
