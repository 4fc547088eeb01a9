#include "storage/schema.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "storage/workspace_access.h"

namespace dynamax {

// Each entry migrates from version i to i + 1. Never edit a shipped entry: append a new one.
static const std::vector<const char*> kMigrations = {
    // 0 → 1: models, datasets, runs, samples, tokens and one row per (token, depth).
    R"sql(
CREATE TABLE models (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  path          TEXT NOT NULL UNIQUE,
  architecture  TEXT NOT NULL,
  depths        INTEGER NOT NULL,
  hidden_size   INTEGER NOT NULL,
  vocab_size    INTEGER NOT NULL,
  config_json   TEXT NOT NULL
);
CREATE TABLE datasets (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  path          TEXT NOT NULL,
  spec          TEXT NOT NULL UNIQUE
);
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  model_id      INTEGER NOT NULL REFERENCES models(id),
  dataset_id    INTEGER NOT NULL REFERENCES datasets(id),
  config_json   TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
  sample_target INTEGER NOT NULL,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  finished_at   TEXT,
  error         TEXT,
  pid           INTEGER
);
CREATE TABLE samples (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  sample_index  INTEGER NOT NULL,
  key           TEXT NOT NULL,
  prompt        TEXT NOT NULL,
  answer        TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  token_count   INTEGER NOT NULL,
  gold_json     TEXT NOT NULL DEFAULT '[]',
  seconds       REAL NOT NULL,
  UNIQUE (run_id, sample_index)
);
CREATE TABLE tokens (
  sample_id     INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  token_id      INTEGER NOT NULL,
  target_id     INTEGER NOT NULL,
  predicts_answer INTEGER NOT NULL,
  final_top1    INTEGER NOT NULL,
  PRIMARY KEY (sample_id, position)
) WITHOUT ROWID;
CREATE TABLE exits (
  sample_id     INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  depth         INTEGER NOT NULL,
  top1          INTEGER NOT NULL,
  prob          REAL NOT NULL,
  margin        REAL NOT NULL,
  entropy       REAL NOT NULL,
  saturation    REAL NOT NULL,
  PRIMARY KEY (sample_id, position, depth)
) WITHOUT ROWID;
CREATE TABLE exit_topk (
  sample_id     INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  depth         INTEGER NOT NULL,
  rank          INTEGER NOT NULL,
  token_id      INTEGER NOT NULL,
  logprob       REAL NOT NULL,
  PRIMARY KEY (sample_id, position, depth, rank)
) WITHOUT ROWID;
CREATE INDEX samples_by_run ON samples(run_id);
)sql",
    // 1 → 2: early-exit generations with their per-token steps; exit classifiers and their recorded scores.
    R"sql(
CREATE TABLE generations (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  sample_index    INTEGER NOT NULL,
  policy          TEXT NOT NULL,
  prompt_tokens   INTEGER NOT NULL,
  output_ids_json TEXT NOT NULL,
  output_text     TEXT NOT NULL,
  blocks_executed INTEGER NOT NULL,
  blocks_full     INTEGER NOT NULL,
  flops_executed  REAL NOT NULL,
  flops_full      REAL NOT NULL,
  seconds         REAL NOT NULL,
  metrics_json    TEXT NOT NULL DEFAULT '{}',
  UNIQUE (run_id, sample_index, policy)
);
CREATE TABLE generation_steps (
  generation_id   INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  step            INTEGER NOT NULL,
  token_id        INTEGER NOT NULL,
  exit_depth      INTEGER NOT NULL,
  score           REAL,
  extra_blocks    REAL NOT NULL DEFAULT 0,
  seconds         REAL NOT NULL,
  PRIMARY KEY (generation_id, step)
) WITHOUT ROWID;
CREATE TABLE classifiers (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL,
  model_id        INTEGER REFERENCES models(id),
  depths_json     TEXT NOT NULL,
  weights         BLOB NOT NULL,
  record_json     TEXT NOT NULL,
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE classifier_scores (
  sample_id       INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  classifier      TEXT NOT NULL,
  position        INTEGER NOT NULL,
  depth           INTEGER NOT NULL,
  score           REAL NOT NULL,
  PRIMARY KEY (sample_id, classifier, position, depth)
) WITHOUT ROWID;
CREATE INDEX generations_by_run ON generations(run_id);
)sql",
    // 2 → 3: shared prompt prefixes. Samples of a run that begin with the same prompt tokens continue from one
    // computed prefix; its rows are stored once (prefix_* tables, same columns as tokens, exits, exit_topk and
    // classifier_scores) and the sample's own rows start at the prefix's token_count. The sample_* views give
    // every sample's full rows, prefix included.
    R"sql(
CREATE TABLE prefixes (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  token_count     INTEGER NOT NULL,
  seconds         REAL NOT NULL
);
CREATE TABLE prefix_tokens (
  prefix_id       INTEGER NOT NULL REFERENCES prefixes(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  token_id        INTEGER NOT NULL,
  target_id       INTEGER NOT NULL,
  predicts_answer INTEGER NOT NULL,
  final_top1      INTEGER NOT NULL,
  PRIMARY KEY (prefix_id, position)
) WITHOUT ROWID;
CREATE TABLE prefix_exits (
  prefix_id       INTEGER NOT NULL REFERENCES prefixes(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  depth           INTEGER NOT NULL,
  top1            INTEGER NOT NULL,
  prob            REAL NOT NULL,
  margin          REAL NOT NULL,
  entropy         REAL NOT NULL,
  saturation      REAL NOT NULL,
  PRIMARY KEY (prefix_id, position, depth)
) WITHOUT ROWID;
CREATE TABLE prefix_exit_topk (
  prefix_id       INTEGER NOT NULL REFERENCES prefixes(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  depth           INTEGER NOT NULL,
  rank            INTEGER NOT NULL,
  token_id        INTEGER NOT NULL,
  logprob         REAL NOT NULL,
  PRIMARY KEY (prefix_id, position, depth, rank)
) WITHOUT ROWID;
CREATE TABLE prefix_classifier_scores (
  prefix_id       INTEGER NOT NULL REFERENCES prefixes(id) ON DELETE CASCADE,
  classifier      TEXT NOT NULL,
  position        INTEGER NOT NULL,
  depth           INTEGER NOT NULL,
  score           REAL NOT NULL,
  PRIMARY KEY (prefix_id, classifier, position, depth)
) WITHOUT ROWID;
ALTER TABLE samples ADD COLUMN prefix_id INTEGER REFERENCES prefixes(id);
CREATE INDEX prefixes_by_run ON prefixes(run_id);
CREATE INDEX samples_by_prefix ON samples(prefix_id);
CREATE VIEW sample_tokens AS
  SELECT s.id AS sample_id, p.position, p.token_id, p.target_id, p.predicts_answer, p.final_top1
    FROM samples s JOIN prefix_tokens p ON p.prefix_id = s.prefix_id
  UNION ALL SELECT sample_id, position, token_id, target_id, predicts_answer, final_top1 FROM tokens;
CREATE VIEW sample_exits AS
  SELECT s.id AS sample_id, p.position, p.depth, p.top1, p.prob, p.margin, p.entropy, p.saturation
    FROM samples s JOIN prefix_exits p ON p.prefix_id = s.prefix_id
  UNION ALL SELECT sample_id, position, depth, top1, prob, margin, entropy, saturation FROM exits;
CREATE VIEW sample_exit_topk AS
  SELECT s.id AS sample_id, p.position, p.depth, p.rank, p.token_id, p.logprob
    FROM samples s JOIN prefix_exit_topk p ON p.prefix_id = s.prefix_id
  UNION ALL SELECT sample_id, position, depth, rank, token_id, logprob FROM exit_topk;
CREATE VIEW sample_classifier_scores AS
  SELECT s.id AS sample_id, p.classifier, p.position, p.depth, p.score
    FROM samples s JOIN prefix_classifier_scores p ON p.prefix_id = s.prefix_id
  UNION ALL SELECT sample_id, classifier, position, depth, score FROM classifier_scores;
)sql",
    // 3 → 4: a running run's owner named by boot, pid and start time (storage/process_identity.h), so that a pid the
    // system gave to another process no longer keeps an interrupted run 'running'.
    R"sql(
ALTER TABLE runs ADD COLUMN owner TEXT;
)sql",
    // 4 → 5: classifiers keep every version: training under a taken name marks the earlier one replaced instead of
    // overwriting it, so what earlier runs used stays in the workspace. At most one current version per name.
    R"sql(
CREATE TABLE classifiers_versioned (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  name            TEXT NOT NULL,
  kind            TEXT NOT NULL,
  model_id        INTEGER REFERENCES models(id),
  depths_json     TEXT NOT NULL,
  weights         BLOB NOT NULL,
  record_json     TEXT NOT NULL,
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  replaced_at     TEXT
);
INSERT INTO classifiers_versioned (id, name, kind, model_id, depths_json, weights, record_json, created_at)
  SELECT id, name, kind, model_id, depths_json, weights, record_json, created_at FROM classifiers;
DROP TABLE classifiers;
ALTER TABLE classifiers_versioned RENAME TO classifiers;
CREATE UNIQUE INDEX classifiers_current_name ON classifiers(name) WHERE replaced_at IS NULL;
)sql",
};

// The tables each version adds (entry i: version i + 1), to tell a damaged workspace from a whole one.
static const std::vector<std::vector<const char*>> kTablesAdded = {
    {"models", "datasets", "runs", "samples", "tokens", "exits", "exit_topk"},
    {"generations", "generation_steps", "classifiers", "classifier_scores"},
    {"prefixes", "prefix_tokens", "prefix_exits", "prefix_exit_topk", "prefix_classifier_scores"},
    {},
    {},
};

int current_schema_version() { return int(kMigrations.size()); }

static std::vector<std::string> table_names(Database& db) {
  std::vector<std::string> out;
  Statement q = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

// "a, b, c and 4 more", each name cut short: a hostile file's names must not flood the message.
static std::string name_list(const std::vector<std::string>& names) {
  constexpr size_t kShown = 6, kLength = 40;
  std::string out;
  for (size_t i = 0; i < names.size() && i < kShown; ++i)
    out += (i ? ", " : "") + (names[i].size() > kLength ? names[i].substr(0, kLength) + "…" : names[i]);
  if (names.size() > kShown) out += " and " + std::to_string(names.size() - kShown) + " more";
  return out;
}

int stored_schema_version(Database& db) {
  const std::vector<std::string> tables = table_names(db);
  const std::string file = db.path().string();
  if (tables.empty()) return 0;
  if (std::find(tables.begin(), tables.end(), "schema_version") == tables.end())
    throw Error(file + " is not a DYNAMAX workspace (it has the tables " + name_list(tables) + ")");
  Statement q = db.prepare("SELECT count(*), typeof(max(version)), max(version) FROM schema_version");
  q.step();
  if (q.int64(0) == 0)
    throw Error(file + " is not a usable DYNAMAX workspace: its schema_version table is empty");
  if (q.text(1) != "integer" || q.int64(2) < 1)
    throw Error(file + " is not a usable DYNAMAX workspace: its schema_version table holds no version number");
  if (q.int64(2) > current_schema_version())
    throw Error(file + ": the database has schema version " + std::to_string(q.int64(2)) +
                ", newer than this workbench supports (" + std::to_string(current_schema_version()) +
                "); open it with a newer dynamax");
  const int version = int(q.int64(2));
  for (int v = 0; v < version && v < int(kTablesAdded.size()); ++v)
    for (const char* table : kTablesAdded[size_t(v)])
      if (std::find(tables.begin(), tables.end(), table) == tables.end())
        throw Error(file + " is a damaged DYNAMAX workspace: its table " + table + " is missing");
  return version;
}

static void migrate(Database& db, int stored) {
  if (stored == current_schema_version()) return;
  Transaction tx(db);
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  for (int v = stored; v < current_schema_version(); ++v) db.exec(kMigrations[size_t(v)]);
  db.exec("DELETE FROM schema_version");
  db.prepare("INSERT INTO schema_version (version) VALUES (?)").bind(1, current_schema_version()).run();
  tx.commit();
}

void open_workspace(Database& db) {
  const std::string why = read_only_reason(db.path());
  if (db.read_only() || !why.empty()) {
    Database reader(db.path(), Database::Mode::ReadOnly);  // reads where the writer cannot (read-only media)
    stored_schema_version(reader);                         // a foreign or newer file is named as such first
    throw Error(db.path().string() + " is read-only (" + (why.empty() ? "no write permission" : why) +
                "): it can be viewed (runs, sweep, plot, the window) but not written");
  }
  const int stored = stored_schema_version(db);  // refuses foreign and newer files before anything is written
  db.exec("PRAGMA journal_mode = WAL");
  migrate(db, stored);
}

void check_readable_workspace(Database& db) {
  std::error_code ec;
  if (std::filesystem::file_size(db.path(), ec) == 0 && !ec)
    throw Error(db.path().string() + " is an empty file, not a DYNAMAX workspace");
  const int stored = stored_schema_version(db);
  if (stored == 0) throw Error(db.path().string() + " is not a DYNAMAX workspace (it has no tables)");
  if (stored < current_schema_version())
    throw Error(db.path().string() + " was written by an older workbench (schema version " + std::to_string(stored) +
                "); record into it or open it in the window once to upgrade it");
}

}  // namespace dynamax
