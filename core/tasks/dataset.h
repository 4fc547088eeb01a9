#pragma once
// A dataset: a numbered list of samples, each a prompt and a reference answer ready for one teacher-forced pass.
// open_dataset() reads a DatasetSpec's file in its native format (see dataset_spec.h for the kinds).
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/tasks/dataset_spec.h"
#include "core/tasks/sample.h"

namespace dynamax {

class Tokenizer;

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual std::size_t size() const = 0;
  // The i-th sample, 0 <= i < size() (else Error). Tokenized on demand, so a dataset costs little to open.
  virtual Sample sample(std::size_t i) const = 0;
  // The spec kind: "text", "truthfulqa", "truthfulqa-mc", "triviaqa" or "coqa".
  virtual std::string kind() const = 0;
  // Malformed records skipped under on_error=skip, each "file:line: why".
  const std::vector<std::string>& warnings() const { return warnings_; }

 protected:
  void check_index(std::size_t i) const;
  std::vector<std::string> warnings_;
};

// Reads the dataset. The tokenizer must outlive the dataset (samples are tokenized when asked for).
// limit > 0 keeps the first `limit` samples (text: windows; CoQA: turns); 0 keeps all.
// Throws Error for a missing or unreadable file, a file of another kind, an empty dataset, and (unless
// on_error=skip) the first malformed record, as "file:line: why". `cancel` (may be null) is polled while a
// long text is tokenized; when set, throws Cancelled.
std::unique_ptr<Dataset> open_dataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit = 0,
                                      const std::atomic<bool>* cancel = nullptr);

// The whole file as bytes, without a UTF-8 byte-order mark; Error "file: cannot read" when missing.
std::string read_dataset_file(const std::filesystem::path& path);

}  // namespace dynamax
