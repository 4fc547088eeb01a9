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
  lens <model-dir> (--ids 1,2,3 | --prompt TEXT) [--top K] [--precision fp32|bf16] [--exit-head direct|last-block] [--json]
                                          the exit head at every depth of one teacher-forced pass
                                          ({"depths", "positions", "top_ids", "top_logprobs"}, [depth-1][position][rank])
  generate <model-dir> (--ids 1,2,3 | --prompt TEXT) --max-new N [--stop-at-eos] [--precision fp32|bf16] [--json]
                                          greedy decoding with the cache ({"ids": [...], "text": "..."})
       [--exit-measure M --threshold T [exit options]] [--stop STR] [--repetition-penalty P [--penalty-window N]]
                                          early-exit decoding: adds "exit_depths", "blocks_executed",
                                          "blocks_full", "extra_blocks" to the JSON
  evaluate --model DIR --dataset SPEC --db FILE [--exit-measure M] [--thresholds 0.5,0.7,0.9] [exit options]
           [--limit N] [--shard K/N] [--max-new N] [--threads N] [--precision fp32|bf16] [--no-shared-prefix]
           [--metrics official|lm-eval] [--json]
  evaluate --resume RUN --db FILE [--force] [--json]
                                          full model vs one early-exit policy per threshold: task metrics,
                                          consistency with the full model, blocks/FLOPs saved, tokens/s
  score --task triviaqa|coqa|truthfulqa --prediction TEXT --gold TEXT [--gold TEXT ...] [--incorrect TEXT ...]
        [--metrics official|lm-eval] [--json]
                                          one answer's task metrics, as evaluate computes them
  exit options: --depths 8,10,12  --min-depth D  --kv-strategy recompute|copy-exit|copy-prev|mask
       --state-strategy keep|update  --classifiers FILE (M: max-prob|margin|entropy|saturation|classifier:NAME;
       with --classifiers, M defaults to that classifier and the depths to its exits)
       --exit-head direct|last-block (last-block: block L runs on the exit state before the head, as the
       DYNAMAX authors' code does; its cost is counted)
  record --model DIR --dataset SPEC --db FILE [--limit N] [--shard K/N] [--threads N] [--top-k K] [--precision fp32|bf16]
         [--exit-head H] [--json]
         [--classifiers FILE|NAME[,...]]  also records exit classifiers' scores (sweep them as classifier:NAME);
                                          a NAME is a classifier stored in the workspace
         [--no-shared-prefix]             run every sample whole (by default samples that share a prompt
                                          prefix, e.g. a QA primer, continue from one pass stored once)
  record --resume RUN --db FILE [--force] [--threads N] [--json]
                                          teacher-forced recording of every token at every depth into SQLite;
                                          SPEC is kind:path[#options], kind text|truthfulqa|truthfulqa-mc|triviaqa|coqa;
                                          --force resumes a run whose recorded owner seems alive but is gone
  --precision: the matmuls' compute precision; bf16 multiplies the weights as stored with activations rounded
       to bf16 (oneDNN, AMX or AVX512-BF16; fp32 with a notice on other CPUs); a resumed run keeps its own
  runs --db FILE [--json] [--delete RUN [--force]]
                                          the runs of a workspace with status, counts and precision (reads only;
                                          a read-only workspace is fine); --delete removes one run
  merge --into OUT.db IN.db... [--rename] [--json]
                                          copies the runs of workspaces into OUT (created when missing); the shards
                                          of a run (--shard K/N) become one run; models matched by content
  train-exits --model DIR --data SPEC (--kind linear|ffn|mamba | --preset workbench|dynamax-code) --out FILE
              [--valid SPEC] [--depths 8,10,12,14] [--input rms|raw]
              [--top-k 5] [--reverse-labels] [--epochs N] [--seed S] [--limit N] [--db FILE] [--name NAME] [--json]
              [--replace]
              [--ffn-width N] [--activation silu|gelu|swiglu] [--inner N] [--heads N] [--state N]
              [--lr X] [--weight-decay X] [--batch N] [--patience N] [--threads N] [--precision fp32|bf16]
                                          exit classifiers trained on the frozen model; prints validation loss,
                                          accuracy and AUROC per exit depth; --db also stores them in the workspace;
                                          --data and --valid may repeat (several datasets, --limit each);
                                          --preset dynamax-code: the DYNAMAX authors' training (docs/FIDELITY.md);
                                          a taken --name or --out is an error unless --replace (runs keep the
                                          version they used)
  classifiers --db FILE [--json] [--export NAME --out FILE] [--delete NAME]
                                          the workspace's exit classifiers; --export writes one as a classifier file
  sweep --db FILE (--run A | --runs A,B) [analysis options] (--csv | --json | --latex [--targets Q,..]) [--out FILE]
        [--calibrated δ,ε [calibration options]]
                                          trade-off curves (threshold, static, oracle, random) or a LaTeX table;
                                          --calibrated adds each run's certified τ (see calibrate) as a row
  calibrate --db FILE (--run A | --runs A,B) --delta δ --epsilon ε [--measure M] [--depths 8,10,12]
            [--min-depth D] [--thresholds N | --tau 0.5,0.9] [calibration options] [--json]
                                          Learn then Test: per run, the most aggressive τ whose risk against the
                                          full model is ≤ δ with probability ≥ 1 − ε, the blocks and FLOPs it saves,
                                          the held-out risk, and each candidate τ with its p-value
  calibration options: --risk token|sequence  --calibration-fraction F (0.5)  --seed S
  plot --db FILE --runs A,B [analysis options] --out FIG.pdf|.svg|.png [--preset single|double|screen]
       [--width-cm W] [--height-cm H] [--dpi D] [--font F] [--font-pt P] [--mark-tau T | --mark-quality Q]
       [--no-baselines] [--csv FILE]      quality vs compute, one curve per run, baselines dashed
  analysis options: --measure max-prob|margin|entropy|saturation|classifier:NAME  --depths 8,10,12
       --min-depth D  --thresholds N  --tau 0.5,0.9  --positions answer|all  --x blocks|flops
       --y consistency|accuracy|agreement

A model folder (<model-dir>, --model DIR) may also be a Hub name, org/name[@revision], found offline in the
Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub).

With no command, runs `demo`. Errors go to stderr with exit code 1 (bad input) or 2 (bad usage).
)";
}

}  // namespace dynamax::cli
