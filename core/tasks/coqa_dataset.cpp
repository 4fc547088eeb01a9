#include "core/tasks/coqa_dataset.h"

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/io/json_limits.h"
#include "core/tasks/json_fields.h"
#include "core/tasks/json_locator.h"
#include "core/tasks/prompt_formats.h"
#include "core/tasks/record_errors.h"

namespace dynamax {

using Json = nlohmann::ordered_json;

namespace {

const char* const kExpected = "expected the official CoQA JSON: {\"version\", \"data\": [stories]}";

int turn_id(const Json& item, const JsonPath& path) {
  const Json& id = json_member(item, path, "turn_id");
  if (!id.is_number_integer()) throw BadRecord{path / "turn_id", "field 'turn_id' is not an integer"};
  return id.get<int>();
}

// A list of {turn_id, input_text} (questions or answers), checked against the expected turn ids when given.
std::vector<std::pair<int, std::string>> turn_texts(const Json& story, const JsonPath& path, const std::string& name) {
  const Json& list = json_member(story, path, name);
  if (!list.is_array()) throw BadRecord{path / name, "field '" + name + "' is not a list"};
  std::vector<std::pair<int, std::string>> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const JsonPath at = path / name / i;
    out.emplace_back(turn_id(list[i], at), json_string(list[i], at, "input_text"));
  }
  return out;
}

CoqaDataset::Story read_story(const Json& item, const JsonPath& path) {
  CoqaDataset::Story story;
  story.id = json_string(item, path, "id");
  story.text = json_string(item, path, "story");
  const auto questions = turn_texts(item, path, "questions");
  const auto answers = turn_texts(item, path, "answers");
  if (questions.empty()) throw BadRecord{path / "questions", "story has no questions"};
  if (answers.size() != questions.size())
    throw BadRecord{path / "answers", std::to_string(questions.size()) + " questions but " +
                                          std::to_string(answers.size()) + " answers"};
  for (size_t t = 0; t < questions.size(); ++t) {
    if (answers[t].first != questions[t].first)
      throw BadRecord{path / "answers" / t, "answer " + std::to_string(t) + " has turn_id " +
                                                std::to_string(answers[t].first) + ", its question " +
                                                std::to_string(questions[t].first)};
    story.turns.push_back({questions[t].first, questions[t].second, answers[t].second, {answers[t].second}});
  }
  if (item.contains("additional_answers")) {
    const Json& additional = item["additional_answers"];
    const JsonPath at = path / "additional_answers";
    if (!additional.is_object()) throw BadRecord{at, "field 'additional_answers' is not an object"};
    for (const auto& [set, list] : additional.items()) {
      if (!list.is_array()) throw BadRecord{at / set, "additional answer set \"" + set + "\" is not a list"};
      for (size_t i = 0; i < list.size(); ++i) {
        const int id = turn_id(list[i], at / set / i);
        const std::string text = json_string(list[i], at / set / i, "input_text");
        bool found = false;
        for (auto& turn : story.turns)
          if (turn.turn_id == id) {
            turn.gold.push_back(text);
            found = true;
          }
        if (!found)
          throw BadRecord{at / set / i / "turn_id", "additional answer for turn " + std::to_string(id) +
                                                        ", which has no question"};
      }
    }
  }
  return story;
}

}  // namespace

CoqaDataset::CoqaDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit)
    : tokenizer_(tokenizer) {
  const std::string text = read_dataset_file(spec.path);
  RecordErrors errors(spec.path, spec.skip_malformed());
  Json document;
  try {
    if (const std::string deep = errors.too_deep(text); !deep.empty()) throw Error(deep);
    document = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw Error(errors.where(line_of_offset(text, e.byte == 0 ? 0 : e.byte - 1),
                             "not valid JSON: " + json_parse_reason(e) + "; " + kExpected));
  } catch (const Json::exception& e) {  // a number beyond a double (1e999)
    throw Error(errors.where(1, "JSON that cannot be read: " + json_exception_reason(e) + "; " + kExpected));
  }
  if (!document.is_object() || !document.contains("data"))
    throw Error(errors.where(1, std::string("no \"data\" list; ") + kExpected));
  const Json& data = document["data"];
  if (!data.is_array()) throw Error(errors.where(json_line(text, {"data"}), std::string("\"data\" is not a list; ") + kExpected));
  for (size_t i = 0; i < data.size(); ++i) {
    try {
      stories_.push_back(read_story(data[i], {"data", std::to_string(i)}));
    } catch (const BadRecord& bad) {
      errors.malformed(json_line(text, bad.path), bad.why);
    }
  }
  if (stories_.empty()) errors.throw_empty("CoQA story");
  warnings_ = errors.take_warnings();
  for (size_t s = 0; s < stories_.size(); ++s)
    for (size_t t = 0; t < stories_[s].turns.size(); ++t)
      if (limit == 0 || turns_.size() < limit) turns_.emplace_back(s, t);
}

Sample CoqaDataset::sample(std::size_t i) const {
  check_index(i);
  const Story& story = stories_[turns_[i].first];
  const size_t t = turns_[i].second;
  std::vector<QaPair> history;
  for (size_t k = 0; k < t; ++k) history.push_back({story.turns[k].question, story.turns[k].answer});
  const Turn& turn = story.turns[t];
  Sample s;
  s.key = story.id + "#turn" + std::to_string(turn.turn_id);
  s.prompt = coqa_prompt(story.text, history, turn.question);
  s.answer = " " + turn.answer;
  s.gold = turn.gold;
  tokenize_sample(s, tokenizer_);
  return s;
}

}  // namespace dynamax
