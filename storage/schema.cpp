#include "storage/schema.h"

#include <vector>

#include "core/common/error.h"

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
    // 2 → 3: classifiers keep every version: training under a taken name marks the earlier one replaced instead of
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

int current_schema_version() { return int(kMigrations.size()); }

static void ensure_version_table(Database& db) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
}

int stored_schema_version(Database& db) {
  Statement exists = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  exists.step();
  if (exists.int64(0) == 0) return 0;
  Statement q = db.prepare("SELECT max(version) FROM schema_version");
  return q.step() && !q.is_null(0) ? q.integer(0) : 0;
}

void migrate_schema(Database& db) {
  const int stored = stored_schema_version(db);
  if (stored > current_schema_version())
    throw Error(db.path().string() + ": the database has schema version " + std::to_string(stored) +
                ", newer than this workbench supports (" + std::to_string(current_schema_version()) +
                "); open it with a newer dynamax");
  if (stored == current_schema_version()) return;
  Transaction tx(db);
  ensure_version_table(db);
  for (int v = stored; v < current_schema_version(); ++v) db.exec(kMigrations[size_t(v)]);
  db.exec("DELETE FROM schema_version");
  db.prepare("INSERT INTO schema_version (version) VALUES (?)").bind(1, current_schema_version()).run();
  tx.commit();
}

void open_workspace(Database& db) { migrate_schema(db); }

}  // namespace dynamax
