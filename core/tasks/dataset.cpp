#include "core/tasks/dataset.h"

#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/tasks/coqa_dataset.h"
#include "core/tasks/text_dataset.h"
#include "core/tasks/triviaqa_dataset.h"
#include "core/tasks/truthfulqa_dataset.h"

namespace dynamax {

void Dataset::check_index(std::size_t i) const {
  if (i >= size())
    throw Error(kind() + " dataset: sample " + std::to_string(i) + " asked for, it has " + std::to_string(size()));
}

std::string read_dataset_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(path.string() + ": no such file");
  if (std::filesystem::is_directory(path, ec)) throw Error(path.string() + ": is a folder, not a dataset file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string text = bytes.str();
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return text;
}

std::unique_ptr<Dataset> open_dataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit,
                                      const std::atomic<bool>* cancel) {
  validate_dataset_spec(spec);
  if (spec.kind == "text") return std::make_unique<TextDataset>(spec, tokenizer, limit, cancel);
  if (spec.kind == "triviaqa") return std::make_unique<TriviaqaDataset>(spec, tokenizer, limit);
  if (spec.kind == "truthfulqa") return std::make_unique<TruthfulqaDataset>(spec, tokenizer, limit);
  if (spec.kind == "truthfulqa-mc") return std::make_unique<TruthfulqaMcDataset>(spec, tokenizer, limit);
  if (spec.kind == "coqa") return std::make_unique<CoqaDataset>(spec, tokenizer, limit);
  throw Error("unknown dataset kind '" + spec.kind + "'");
}

}  // namespace dynamax
