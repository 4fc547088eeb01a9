#!/usr/bin/env bash
# Seed corpora for the fuzzers, cut from ../shared's fixtures and data into OUT/<target>/ (default
# build-asan/fuzz/seeds): configs, tokenizer.json files with their vocabularies cut down, safetensors headers
# (as they are, and rebuilt with tiny tensors so that they are valid), the first records of every dataset, and a
# small workspace recorded and evaluated by DYNAMAX (default build/dynamax; skipped with a note when absent).
# Nothing here is committed: the shared files are test inputs only.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build-asan/fuzz/seeds}
SHARED=${DYNAMAX_SHARED:-../shared}
DYNAMAX=${DYNAMAX:-build/dynamax}
PY=/usr/bin/python3  # Debian's: the stdlib is all this needs
F=$SHARED/fixtures D=$SHARED/data
[ -d "$F" ] || { echo "make_seeds.sh: no fixtures in $SHARED (set DYNAMAX_SHARED)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"/{safetensors,model_config,tokenizer_json,dataset_text,dataset_truthfulqa,dataset_truthfulqa_mc} \
  "$OUT"/{dataset_coqa,dataset_triviaqa_jsonl,dataset_triviaqa_original,workspace,cli_args}

i=0
for f in "$F"/configs/*/*.json "$F"/models/*/*.json tests/data/models/*/config.json; do
  case $f in *tokenizer*) continue ;; esac
  cp "$f" "$OUT/model_config/$((i++))-$(basename "$f")"
done

"$PY" - "$F" "$D" "$OUT" <<'PY'
import csv, io, json, pathlib, struct, sys
fixtures, data, out = map(pathlib.Path, sys.argv[1:])

# Tokenizers: the first 600 pieces (bytes and special tokens come first) and the merges among them.
for n, path in enumerate(sorted(fixtures.glob("**/tokenizer.json"))):
    tok = json.loads(path.read_text(encoding="utf-8"))
    vocab = dict(list(tok["model"]["vocab"].items())[:600])
    merges = [m for m in tok["model"]["merges"]
              if all(p in vocab for p in (m.split(" ") if isinstance(m, str) else m))
              and "".join(m.split(" ") if isinstance(m, str) else m) in vocab]
    tok["model"]["vocab"], tok["model"]["merges"] = vocab, merges
    (out / "tokenizer_json" / f"{n}-{path.parent.name}.json").write_text(json.dumps(tok, ensure_ascii=False))
# The byte-level families of tests/data (small already: 1000 ids), as they are.
for path in sorted(pathlib.Path("tests/data/tokenizers").glob("*/tokenizer.json")):
    (out / "tokenizer_json" / f"byte-level-{path.parent.name}.json").write_bytes(path.read_bytes())

# Safetensors: the header as it is (the data cut off), and the same names and dtypes with 2-element tensors.
sizes = {"BF16": 2, "F16": 2, "F32": 4, "I32": 4, "I64": 8}
for n, path in enumerate(sorted(fixtures.glob("**/*.safetensors"))):
    raw = path.read_bytes()
    length = struct.unpack("<Q", raw[:8])[0]
    (out / "safetensors" / f"{n}-header-{path.name}").write_bytes(raw[:8 + length])
    header = json.loads(raw[8:8 + length])
    small, offset = {}, 0
    for name, info in list(header.items())[:24]:
        if name == "__metadata__":
            small[name] = info
            continue
        end = offset + 2 * sizes[info["dtype"]]
        small[name] = {"dtype": info["dtype"], "shape": [2], "data_offsets": [offset, end]}
        offset = end
    body = json.dumps(small).encode()
    (out / "safetensors" / f"{n}-small-{path.name}").write_bytes(struct.pack("<Q", len(body)) + body + bytes(offset))

# Datasets: the first records of each file.
for n, path in enumerate(sorted((data / "text").glob("*.txt"))):
    text = path.read_text(encoding="utf-8", errors="replace")[:3000]
    (out / "dataset_text" / f"{n}-{path.name}").write_text(text[:text.rfind("\n") + 1] or text)
rows = list(csv.reader(io.StringIO((data / "truthfulqa/TruthfulQA.csv").read_text(encoding="utf-8-sig"))))
for n in range(3):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([rows[0]] + rows[1 + 3 * n:4 + 3 * n])
    (out / "dataset_truthfulqa" / f"{n}-TruthfulQA.csv").write_text(buf.getvalue())
mc = json.loads((data / "truthfulqa/mc_task.json").read_text())
for n in range(3):
    (out / "dataset_truthfulqa_mc" / f"{n}-mc_task.json").write_text(json.dumps(mc[2 * n:2 * n + 2], indent=1))
for path in sorted((data / "coqa").glob("*.json")):
    doc = json.loads(path.read_text())
    for n, story in enumerate(doc["data"][:2]):
        keep = {t["turn_id"] for t in story["questions"][:3]}
        story = dict(story, questions=story["questions"][:3], answers=[a for a in story["answers"] if a["turn_id"] in keep])
        if "additional_answers" in story:
            story["additional_answers"] = {k: [a for a in v if a["turn_id"] in keep] for k, v in story["additional_answers"].items()}
        story["story"] = story["story"][:600]
        (out / "dataset_coqa" / f"{n}-{path.name}").write_text(json.dumps(dict(doc, data=[story]), indent=1))
lines = (data / "triviaqa/triviaqa_sm_sub.jsonl").read_text().splitlines()
for n in range(3):
    (out / "dataset_triviaqa_jsonl" / f"{n}-triviaqa.jsonl").write_text("\n".join(lines[3 * n:3 * n + 3]) + "\n")
for path in sorted((data / "triviaqa/original_format").glob("*.json")):
    (out / "dataset_triviaqa_original" / path.name).write_bytes(path.read_bytes())

# Argument lists: "valued options\0flags\0argv..." (see fuzz_cli_args.cpp), shaped like the README's commands.
lists = [
    ["model,dataset,db,limit,threads,top-k,resume,classifiers", "json", "--model", "m", "--dataset",
     "text:a.txt#window=16,on_error=skip", "--db", "w.db", "--limit", "8", "--top-k=5"],
    ["db,run,runs,measure,depths,min-depth,thresholds,tau,positions,x,y,out,targets", "csv,json,latex", "--db", "w.db",
     "--runs", "1,2", "--measure", "classifier:lin", "--depths", "8,10,12", "--tau", "0.5,inf,-inf", "--latex"],
    ["exit-measure,threshold,thresholds,depths,min-depth,kv-strategy,state-strategy,stop,repetition-penalty,"
     "penalty-window,max-new,ids,prompt", "json,stop-at-eos", "dir", "--prompt", "Hi\\n", "--max-new", "4",
     "--exit-measure", "entropy", "--threshold", "0.9", "--kv-strategy", "copy-prev", "--state-strategy", "update",
     "--stop", "\\n\\t", "--repetition-penalty", "1.2", "--penalty-window", "16", "--min-depth", "2"],
    ["text,backend", "json", "dir", "--text", "hello", "--backend", "hf", "--json"],
]
for n, args in enumerate(lists):
    (out / "cli_args" / f"{n}-args").write_bytes("\0".join(args).encode())
PY

# A workspace with every table filled: a stored exit classifier, two recorded text windows with top-k and the
# classifier's scores, and an evaluate run's generations.
# Small pages and no WAL, so that the file is small and opens read-only.
if [ -x "$DYNAMAX" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  head -c 2000 "$D/text/wikitext2_test.txt" > "$tmp/text.txt"
  head -n 3 "$D/triviaqa/triviaqa_sm_sub.jsonl" > "$tmp/qa.jsonl"
  model=$F/models/tiny-mistral
  "$DYNAMAX" train-exits --model "$model" --kind linear --data "text:$tmp/text.txt#window=12" --limit 4 --epochs 1 \
    --depths 8,12 --name lin --out "$tmp/lin.safetensors" --db "$tmp/ws.db" >/dev/null 2>&1
  "$DYNAMAX" record --model "$model" --dataset "text:$tmp/text.txt#window=12" --limit 2 --top-k 2 --classifiers lin \
    --db "$tmp/ws.db" >/dev/null 2>&1
  "$DYNAMAX" evaluate --model "$model" --dataset "triviaqa:$tmp/qa.jsonl#shots=0" --limit 1 --max-new 3 \
    --thresholds 0.5 --db "$tmp/ws.db" >/dev/null 2>&1
  sqlite3 "$tmp/ws.db" "PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM;" >/dev/null
  cp "$tmp/ws.db" "$OUT/workspace/recorded.db"
else
  echo "make_seeds.sh: $DYNAMAX not built: the workspace fuzzer starts from its regression files only" >&2
fi
echo "seeds in $OUT: $(find "$OUT" -type f | wc -l) files"
