#include "app/cli/commands.h"

namespace dynamax::cli {

std::string usage() {
  return R"(usage: dynamax <command> [options]

  demo [--headless] [--screenshot PNG]    the built-in demo (window with a display, else a headless tour);
                                          --screenshot renders the window into a PNG and exits
  info <model-dir> [--json]               architecture, sizes, parameters, weights and tokenizer of a model folder
  tokenize <model-dir> --text TEXT [--backend sentencepiece|hf|auto] [--json]
                                          token ids and pieces ({"ids": [...], "pieces": [...]})
  lens <model-dir> (--ids 1,2,3 | --prompt TEXT) [--top K] [--json]
                                          the exit head at every depth of one teacher-forced pass
                                          ({"depths", "positions", "top_ids", "top_logprobs"}, [depth-1][position][rank])
  generate <model-dir> (--ids 1,2,3 | --prompt TEXT) --max-new N [--stop-at-eos] [--json]
                                          greedy decoding with the cache ({"ids": [...], "text": "..."})
  record --model DIR --dataset SPEC --db FILE [--limit N] [--threads N] [--top-k K] [--json]
  record --resume RUN --db FILE [--threads N] [--json]
                                          teacher-forced recording of every token at every depth into SQLite;
                                          SPEC is kind:path[#options], kind text|truthfulqa|truthfulqa-mc|triviaqa|coqa
  runs --db FILE [--json] [--delete RUN]  the runs of a workspace with status and counts

With no command, runs `demo`. Errors go to stderr with exit code 1 (bad input) or 2 (bad usage).
)";
}

}  // namespace dynamax::cli
