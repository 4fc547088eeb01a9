// The CLI's option parsing on arbitrary argument lists: Args (positionals, --name value, --name=value, flags,
// repeats) and the value parsers the commands share (integers, integer and threshold lists, dataset specs,
// exit measures, depth lists, skip strategies, the early-exit options, escapes).
// Input: NUL-separated strings. The first names the options that take a value (comma-separated), the second the
// flags; the rest is the argument list. The commands' own option tables are written inline in each command, so
// the harness lets the input choose the tables and exercises every table the parser could be given.
#include <string>
#include <vector>

#include "app/cli/cli_args.h"
#include "app/cli/early_exit_options.h"
#include "core/analysis/confidence_measure.h"
#include "core/analysis/exit_policy.h"
#include "core/exits/skip_strategies.h"
#include "core/tasks/dataset_spec.h"
#include "core/tokenize/tokenizer.h"
#include "fuzz/fuzz_support.h"

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string::npos; start = end + 1)
    parts.push_back(text.substr(start, end - start));
  parts.push_back(text.substr(start));
  return parts;
}

// A usage mistake or a refused value is an accepted answer; anything else escapes.
template <class Parse>
void refusal_is_fine(Parse&& parse) {
  try {
    parse();
  } catch (const dynamax::cli::UsageError& e) {
    dynamax::fuzz::note_refusal(e);
  } catch (const dynamax::Error& e) {
    dynamax::fuzz::note_refusal(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return -1;  // a command line, not a file
  std::vector<std::string> argv = split(std::string(reinterpret_cast<const char*>(data), size), '\0');
  if (argv.size() < 2) return 0;
  const std::vector<std::string> valued_list = split(argv[0], ','), flag_list = split(argv[1], ',');
  const std::set<std::string> valued(valued_list.begin(), valued_list.end()), flags(flag_list.begin(), flag_list.end());
  argv.erase(argv.begin(), argv.begin() + 2);
  refusal_is_fine([&] {
    const dynamax::cli::Args args("fuzz", argv, valued, flags);
    for (const std::string& name : valued) {
      refusal_is_fine([&] { (void)args.int_value(name, 0, -1000, 1 << 30); });
      refusal_is_fine([&] { (void)args.int_list(name); });
      for (const std::string& value : args.values(name)) {
        refusal_is_fine([&] { (void)dynamax::cli::parse_thresholds(value, name); });
        refusal_is_fine([&] { (void)dynamax::parse_dataset_spec(value).text(); });
        refusal_is_fine([&] { (void)dynamax::parse_measure(value); });
        refusal_is_fine([&] { (void)dynamax::parse_depth_list(value); });
        refusal_is_fine([&] { (void)dynamax::parse_kv_strategy(value); });
        refusal_is_fine([&] { (void)dynamax::parse_state_strategy(value); });
        refusal_is_fine([&] { (void)dynamax::parse_tokenizer_backend(value); });
        (void)dynamax::cli::unescape(value);
      }
    }
    for (const std::string& name : flags) (void)args.flag(name);
    refusal_is_fine([&] { (void)args.positional(0, "an argument"); });
    // --classifiers reads a file: the classifier reader is the safetensors fuzzer's business, not this one's.
    if (!args.value("classifiers")) (void)dynamax::cli::parse_early_exit_options(args);
  });
  return 0;
}
