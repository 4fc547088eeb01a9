#include "app/cli/commands.h"

namespace dynamax::cli {

std::string usage() {
  return R"(usage: dynamax <command> [options]

  demo [--headless] [--screenshot PNG] [--workspace FILE]
                                          the built-in demo (window with a display, else a headless tour);
                                          --screenshot renders the window into a PNG and exits
  info <model-dir> [--json]               architecture, sizes, parameters, weights and tokenizer of a model folder
  tokenize <model-dir> --text TEXT [--backend sentencepiece|hf|auto] [--json]
                                          token ids and pieces ({"ids": [...], "pieces": [...]})
  lens <model-dir> (--ids 1,2,3 | --prompt TEXT) [--top K] [--json]
                                          the exit head at every depth of one teacher-forced pass
                                          ({"depths", "positions", "top_ids", "top_logprobs"}, [depth-1][position][rank])
  generate <model-dir> (--ids 1,2,3 | --prompt TEXT) --max-new N [--stop-at-eos] [--json]
                                          greedy decoding with the cache ({"ids": [...], "text": "..."})
       [--exit-measure M --threshold T [exit options]] [--stop STR] [--repetition-penalty P [--penalty-window N]]
                                          early-exit decoding: adds "exit_depths", "blocks_executed",
                                          "blocks_full", "extra_blocks" to the JSON
  evaluate --model DIR --dataset SPEC --db FILE [--exit-measure M] [--thresholds 0.5,0.7,0.9] [exit options]
           [--limit N] [--max-new N] [--threads N] [--json]
  evaluate --resume RUN --db FILE [--json]
                                          full model vs one early-exit policy per threshold: task metrics,
                                          consistency with the full model, blocks/FLOPs saved, tokens/s
  exit options: --depths 8,10,12  --min-depth D  --kv-strategy recompute|copy-exit|copy-prev|mask
       --state-strategy keep|update  --classifiers FILE (M: max-prob|margin|entropy|saturation|classifier:NAME;
       with --classifiers, M defaults to that classifier and the depths to its exits)
  record --model DIR --dataset SPEC --db FILE [--limit N] [--threads N] [--top-k K] [--json]
         [--classifiers FILE|NAME[,...]]  also records exit classifiers' scores (sweep them as classifier:NAME);
                                          a NAME is a classifier stored in the workspace
  record --resume RUN --db FILE [--threads N] [--json]
                                          teacher-forced recording of every token at every depth into SQLite;
                                          SPEC is kind:path[#options], kind text|truthfulqa|truthfulqa-mc|triviaqa|coqa
  runs --db FILE [--json] [--delete RUN]  the runs of a workspace with status and counts
  train-exits --model DIR --data SPEC --kind linear|ffn|mamba --out FILE [--valid SPEC] [--depths 8,10,12,14]
              [--top-k 5] [--reverse-labels] [--epochs N] [--seed S] [--limit N] [--db FILE] [--name NAME] [--json] [--replace]
              [--ffn-width N] [--activation silu|gelu|swiglu] [--inner N] [--heads N] [--state N]
              [--lr X] [--weight-decay X] [--batch N] [--patience N] [--threads N]
                                          exit classifiers trained on the frozen model; prints validation loss,
                                          accuracy and AUROC per exit depth; --db also stores them in the workspace;
                                          --data and --valid may repeat (several datasets, --limit each);
                                          a taken --name or --out is an error unless --replace (runs keep the
                                          version they used)
  classifiers --db FILE [--json] [--export NAME --out FILE] [--delete NAME]
                                          the workspace's exit classifiers; --export writes one as a classifier file
  sweep --db FILE (--run A | --runs A,B) [analysis options] (--csv | --json | --latex [--targets Q,..]) [--out FILE]
                                          trade-off curves (threshold, static, oracle, random) or a LaTeX table
  plot --db FILE --runs A,B [analysis options] --out FIG.pdf|.svg|.png [--preset single|double|screen]
       [--width-cm W] [--height-cm H] [--dpi D] [--font F] [--font-pt P] [--mark-tau T | --mark-quality Q]
       [--no-baselines] [--csv FILE]      quality vs compute, one curve per run, baselines dashed
  analysis options: --measure max-prob|margin|entropy|saturation|classifier:NAME  --depths 8,10,12
       --min-depth D  --thresholds N  --tau 0.5,0.9  --positions answer|all  --x blocks|flops
       --y consistency|accuracy|agreement

With no command, runs `demo`. Errors go to stderr with exit code 1 (bad input) or 2 (bad usage).
)";
}

}  // namespace dynamax::cli
