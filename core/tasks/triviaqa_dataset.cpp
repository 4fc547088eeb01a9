#include "core/tasks/triviaqa_dataset.h"

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

const char* const kLayouts =
    "expected TriviaQA: one {\"context\", \"answer\", \"aliases\"} object a line, or the original JSON with a "
    "\"Data\" list";

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// The first line with something on it, trimmed.
std::string_view first_line(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!blank(line)) {
      line.remove_prefix(line.find_first_not_of(" \t\r"));
      line.remove_suffix(line.size() - 1 - line.find_last_not_of(" \t\r"));
      return line;
    }
    start = end + 1;
  }
  return {};
}

using Record = TriviaqaDataset::Record;

void read_jsonl(std::string_view text, RecordErrors& errors, std::vector<Record>& records) {
  size_t start = 0, line = 0, index = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view row = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (blank(row)) continue;
    const size_t record_index = index++;
    if (!errors.too_deep(row).empty()) {
      errors.malformed(line, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      continue;
    }
    Json value;
    try {
      value = Json::parse(row);
    } catch (const Json::parse_error& e) {
      errors.malformed(line, "not valid JSON (" + json_parse_reason(e) + "); " + kLayouts);
      continue;
    } catch (const Json::exception& e) {  // a number beyond a double (1e999)
      errors.malformed(line, "JSON that cannot be read (" + json_exception_reason(e) + "); " + kLayouts);
      continue;
    }
    try {
      Record record;
      record.index = record_index;
      if (!value.is_object()) throw BadRecord{{}, std::string("not a JSON object; ") + kLayouts};
      record.context = json_string(value, {}, "context");
      record.answer = json_string(value, {}, "answer");
      record.gold = json_string_list(value, {}, "aliases");
      add_unique(record.gold, record.answer);
      records.push_back(std::move(record));
    } catch (const BadRecord& bad) {
      errors.malformed(line, bad.why);
    }
  }
}

void read_original(std::string_view text, const Json& document, RecordErrors& errors, std::vector<Record>& records) {
  if (!document.is_object() || !document.contains("Data"))
    throw Error(errors.where(1, std::string("a JSON document without a \"Data\" list; ") + kLayouts));
  const Json& data = document["Data"];
  if (!data.is_array())
    throw Error(errors.where(json_line(text, {"Data"}), std::string("\"Data\" is not a list; ") + kLayouts));
  for (size_t i = 0; i < data.size(); ++i) {
    const JsonPath path{"Data", std::to_string(i)};
    try {
      Record record;
      record.index = i;
      record.context = triviaqa_context(json_string(data[i], path, "Question"));
      const Json& answer = json_member(data[i], path, "Answer");
      record.answer = json_string(answer, path / "Answer", "Value");
      for (const char* list : {"Aliases", "NormalizedAliases"})
        if (answer.contains(list))
          for (const std::string& alias : json_string_list(answer, path / "Answer", list)) add_unique(record.gold, alias);
      add_unique(record.gold, record.answer);
      records.push_back(std::move(record));
    } catch (const BadRecord& bad) {
      errors.malformed(json_line(text, bad.path), bad.why);
    }
  }
}

}  // namespace

TriviaqaDataset::TriviaqaDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit)
    : tokenizer_(tokenizer), shots_(spec.int_option("shots", 2)) {
  const std::string text = read_dataset_file(spec.path);
  RecordErrors errors(spec.path, spec.skip_malformed());
  // A JSON document (the original layout, pretty-printed or not) or JSON lines.
  const std::string_view head = first_line(text);
  bool original = false;
  Json document;
  const std::string deep = errors.too_deep(text);
  if (!deep.empty() && (head == "{" || head == "[")) throw Error(deep);  // a document, not JSON lines
  if (deep.empty() && !head.empty() && (head.front() == '{' || head.front() == '[')) {
    try {
      document = Json::parse(text);
      original = !(document.is_object() && document.contains("context"));  // a one-line JSONL file is JSONL
    } catch (const Json::parse_error& e) {
      // Several objects, one a line, do not parse as one document; a document that opens on a line of its own does
      // not parse because it is broken.
      if (head == "{" || head == "[")
        throw Error(errors.where(line_of_offset(text, e.byte == 0 ? 0 : e.byte - 1),
                                 "not valid JSON: " + json_parse_reason(e)));
    } catch (const Json::exception& e) {  // a number beyond a double (1e999): JSON lines are read line by line
      if (head == "{" || head == "[") throw Error(errors.where(1, "JSON that cannot be read: " + json_exception_reason(e)));
    }
  }
  if (original) {
    layout_ = "original";
    read_original(text, document, errors, records_);
  } else {
    layout_ = "jsonl";
    read_jsonl(text, errors, records_);
  }
  if (records_.empty()) errors.throw_empty("TriviaQA question", kLayouts);
  warnings_ = errors.take_warnings();
  size_ = limit > 0 ? std::min(limit, records_.size()) : records_.size();
}

Sample TriviaqaDataset::sample(std::size_t i) const {
  check_index(i);
  const Record& record = records_[i];
  std::vector<QaPair> shots;
  for (size_t j = 0; j < records_.size() && shots.size() < static_cast<size_t>(shots_); ++j)
    if (j != i) shots.push_back({records_[j].context, records_[j].answer});
  Sample s;
  s.key = std::to_string(record.index);
  s.prompt = triviaqa_prompt(shots, record.context);
  s.answer = " " + record.answer;
  s.gold = record.gold;
  tokenize_sample(s, tokenizer_);
  return s;
}

}  // namespace dynamax
