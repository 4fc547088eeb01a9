#include "core/tasks/truthfulqa_dataset.h"

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/io/json_limits.h"
#include "core/tasks/csv_reader.h"
#include "core/tasks/json_fields.h"
#include "core/tasks/json_locator.h"
#include "core/tasks/prompt_formats.h"
#include "core/tasks/record_errors.h"

namespace dynamax {

using Json = nlohmann::ordered_json;

namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

// {text: 0|1, ...} in file order.
std::vector<std::pair<std::string, int>> targets(const Json& entry, const JsonPath& path, const std::string& name) {
  const Json& field = json_member(entry, path, name);
  if (!field.is_object() || field.empty())
    throw BadRecord{path / name, "field '" + name + "' is not a non-empty {choice: 0 or 1} object"};
  std::vector<std::pair<std::string, int>> out;
  for (const auto& [text, label] : field.items()) {
    if (!label.is_number_integer() || (label.get<int>() != 0 && label.get<int>() != 1))
      throw BadRecord{path / name / text, "field '" + name + "': the label of \"" + text_excerpt(text) + "\" is " + json_excerpt(label) +
                                              ", not 0 or 1"};
    out.emplace_back(text, label.get<int>());
  }
  return out;
}

}  // namespace

std::vector<std::string> split_answers(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(';', start);
    if (end == std::string_view::npos) end = list.size();
    std::string item = trim(list.substr(start, end - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

void TruthfulqaBase::finish(RecordErrors& errors, std::size_t limit) {
  if (questions_.empty()) errors.throw_empty("TruthfulQA question");
  warnings_ = errors.take_warnings();
  size_ = limit > 0 ? std::min(limit, questions_.size()) : questions_.size();
}

Sample TruthfulqaBase::sample(std::size_t i) const {
  check_index(i);
  const TruthfulqaQuestion& q = questions_[i];
  Sample s;
  s.key = std::to_string(q.index);
  s.prompt = truthfulqa_prompt(q.question, shots_);
  s.answer = " " + q.best;
  s.gold = q.correct;
  s.incorrect = q.incorrect;
  s.choices = q.mc1;
  s.choices_mc2 = q.mc2;
  tokenize_sample(s, tokenizer_);
  return s;
}

TruthfulqaDataset::TruthfulqaDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit)
    : TruthfulqaBase(spec, tokenizer) {
  const std::string text = read_dataset_file(spec.path);
  RecordErrors errors(spec.path, spec.skip_malformed());
  const std::vector<CsvRecord> rows = read_csv(text);
  if (rows.empty()) throw Error(spec.path.string() + ": empty file, expected TruthfulQA.csv");
  const CsvRecord& header = rows.front();
  auto column = [&](const std::string& name) {
    for (size_t c = 0; c < header.fields.size(); ++c)
      if (trim(header.fields[c]) == name) return c;
    throw Error(errors.where(header.line, "no '" + name +
                                              "' column: not TruthfulQA.csv (expected the columns Type, Category, "
                                              "Question, Best Answer, Correct Answers, Incorrect Answers, Source)"));
  };
  if (!header.error.empty()) throw Error(errors.where(header.line, "header: " + header.error));
  const size_t question = column("Question"), best = column("Best Answer"), correct = column("Correct Answers"),
               incorrect = column("Incorrect Answers");
  for (size_t r = 1; r < rows.size(); ++r) {
    const CsvRecord& row = rows[r];
    if (!row.error.empty()) {
      errors.malformed(row.line, row.error);
      continue;
    }
    if (row.fields.size() != header.fields.size()) {
      errors.malformed(row.line, std::to_string(row.fields.size()) + " fields, the header has " +
                                     std::to_string(header.fields.size()));
      continue;
    }
    TruthfulqaQuestion q;
    q.index = r - 1;
    q.question = trim(row.fields[question]);
    q.best = trim(row.fields[best]);
    if (q.question.empty() || q.best.empty()) {
      errors.malformed(row.line, q.question.empty() ? "empty Question" : "empty Best Answer");
      continue;
    }
    q.correct = split_answers(row.fields[correct]);
    add_unique(q.correct, q.best);
    q.incorrect = split_answers(row.fields[incorrect]);
    questions_.push_back(std::move(q));
  }
  finish(errors, limit);
}

TruthfulqaMcDataset::TruthfulqaMcDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit)
    : TruthfulqaBase(spec, tokenizer) {
  const std::string text = read_dataset_file(spec.path);
  RecordErrors errors(spec.path, spec.skip_malformed());
  const char* expected = "expected mc_task.json: a list of {question, mc1_targets, mc2_targets}";
  Json document;
  try {
    if (const std::string deep = errors.too_deep(text); !deep.empty()) throw Error(deep);
    document = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw Error(errors.where(line_of_offset(text, e.byte == 0 ? 0 : e.byte - 1),
                             "not valid JSON: " + json_parse_reason(e) + "; " + expected));
  } catch (const Json::exception& e) {  // a number beyond a double (1e999)
    throw Error(errors.where(1, "JSON that cannot be read: " + json_exception_reason(e) + "; " + expected));
  }
  if (!document.is_array()) throw Error(errors.where(1, std::string("not a JSON list; ") + expected));
  for (size_t i = 0; i < document.size(); ++i) {
    const JsonPath path{std::to_string(i)};
    try {
      TruthfulqaQuestion q;
      q.index = i;
      q.question = json_string(document[i], path, "question");
      q.mc1 = targets(document[i], path, "mc1_targets");
      q.mc2 = targets(document[i], path, "mc2_targets");
      for (const auto& [choice, label] : q.mc1)
        if (label == 1 && q.best.empty()) q.best = choice;
      if (q.best.empty()) throw BadRecord{path / "mc1_targets", "no MC1 choice is labelled 1"};
      for (const auto& [choice, label] : q.mc2) (label == 1 ? q.correct : q.incorrect).push_back(choice);
      questions_.push_back(std::move(q));
    } catch (const BadRecord& bad) {
      errors.malformed(json_line(text, bad.path), bad.why);
    }
  }
  finish(errors, limit);
}

}  // namespace dynamax
