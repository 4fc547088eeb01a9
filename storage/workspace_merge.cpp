#include "storage/workspace_merge.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "core/common/error.h"
#include "storage/workspace_limits.h"
#include "core/tasks/shard.h"
#include "storage/process_identity.h"
#include "storage/schema.h"
#include "storage/sqlite_db.h"

namespace dynamax {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Scratch files beside the destination (same file system, so the disk that holds the result holds the work),
// removed however the merge ends.
class ScratchDir {
 public:
  explicit ScratchDir(const fs::path& beside) {
    std::string pattern = ((beside.empty() ? fs::path(".") : beside) / ".dynamax-merge-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
      throw Error(beside.string() + ": cannot create a scratch folder for the merge (" + std::strerror(errno) + ")");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Copies all of `from` into `to` in one step (SQLite's online backup: one write transaction on `to`).
void copy_database(Database& from, Database& to) {
  sqlite3_backup* backup = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
  if (!backup) to.fail(sqlite3_extended_errcode(to.handle()));
  const int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) to.fail(rc);
}

// A scratch database: its journal in memory and no syncing (a failed merge throws the whole file away).
void make_scratch(Database& db) {
  db.exec("PRAGMA journal_mode = MEMORY");
  db.exec("PRAGMA synchronous = OFF");
}

// Refuses files that are not workspaces (stored_schema_version names foreign and newer ones; an empty database is
// not one either).
void check_workspace(Database& db) {
  if (stored_schema_version(db) == 0) throw Error(db.path().string() + ": not a DYNAMAX workspace (it is empty)");
}

// The workspace in `path` copied into a scratch file and migrated to this build's schema. `path` is only read.
fs::path snapshot_workspace(const fs::path& path, const fs::path& scratch_file) {
  if (!fs::is_regular_file(path)) throw Error(path.string() + ": no such workspace file");
  Database in(path, Database::Mode::ReadOnly);
  check_workspace(in);
  Database copy(scratch_file);
  make_scratch(copy);
  copy_database(in, copy);
  open_workspace(copy);  // an older workspace migrated to this build's schema
  return scratch_file;
}

// Counts commits by other connections: a change between reading the destination and writing it back means another
// process wrote to it meanwhile, and copying the merge over it would lose that write.
int64_t data_version(Database& db) {
  Statement q = db.prepare("PRAGMA data_version");
  q.step();
  return q.int64(0);
}

// A run of the destination still being written by a live process would lose rows to the merge's copy.
void refuse_live_runs(Database& db) {
  Statement q = db.prepare("SELECT id, pid, coalesce(owner, '') FROM runs WHERE status = 'running' AND pid IS NOT NULL");
  while (q.step())
    if (owner_alive(q.int64(1), q.text(2)))
      throw Error(db.path().string() + ": run " + std::to_string(q.int64(0)) +
                  " is being written by a running process (pid " + std::to_string(q.int64(1)) + "); merge when it ends");
}

std::vector<std::string> column_names(Database& db, const std::string& schema, const std::string& table) {
  std::vector<std::string> names;
  Statement q = db.prepare("SELECT name FROM pragma_table_info(?, ?)");
  q.bind(1, table).bind(2, schema);
  while (q.step()) names.push_back(q.text(0));
  return names;
}

std::vector<std::string> table_names(Database& db, const std::string& schema) {
  std::vector<std::string> names;
  Statement q = db.prepare("SELECT name FROM " + schema +
                           ".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  while (q.step()) names.push_back(q.text(0));
  return names;
}

// The column list of `table` and, for the SELECT from src, each column or its replacement expression.
std::pair<std::string, std::string> column_lists(Database& db, const std::string& table,
                                                 const std::map<std::string, std::string>& replacements) {
  std::string columns, values;
  for (const std::string& name : column_names(db, "main", table)) {
    if (!columns.empty()) columns += ", ", values += ", ";
    columns += '"' + name + '"';
    const auto r = replacements.find(name);
    values += r == replacements.end() ? '"' + name + '"' : r->second;
  }
  return {columns, values};
}

int64_t max_id(Database& db, const std::string& table) {
  Statement q = db.prepare("SELECT coalesce(max(id), 0) FROM main." + table);
  q.step();
  return q.int64(0);
}

const std::string kRunOf = "(SELECT new FROM temp.run_map WHERE old = run_id)";

// Copies one attached workspace ("src") into the work database ("main").
class WorkspaceCopier {
 public:
  WorkspaceCopier(Database& work, const std::string& label, const MergeOptions& options, MergeReport& report,
                  std::map<int64_t, std::string>& run_origin)
      : db_(work), label_(label), options_(options), report_(report), run_origin_(run_origin) {}

  void copy() {
    check_tables_known();
    copy_runs();
    const int64_t sample_offset = max_id(db_, "samples"), generation_offset = max_id(db_, "generations"),
                  prefix_offset = max_id(db_, "prefixes");
    const std::string samples = "sample_id + " + std::to_string(sample_offset),
                      prefixes = "prefix_id + " + std::to_string(prefix_offset);
    copy_table("prefixes", {{"id", "id + " + std::to_string(prefix_offset)}, {"run_id", kRunOf}});
    for (const char* table : {"prefix_tokens", "prefix_exits", "prefix_exit_topk", "prefix_classifier_scores"})
      copy_table(table, {{"prefix_id", prefixes}});
    copy_table("samples", {{"id", "id + " + std::to_string(sample_offset)}, {"run_id", kRunOf}, {"prefix_id", prefixes}});
    for (const char* table : {"tokens", "exits", "exit_topk", "classifier_scores"}) copy_table(table, {{"sample_id", samples}});
    copy_table("generations", {{"id", "id + " + std::to_string(generation_offset)}, {"run_id", kRunOf}});
    copy_table("generation_steps", {{"generation_id", "generation_id + " + std::to_string(generation_offset)}});
    copy_classifiers();
  }

 private:
  // A table this build does not know how to remap would be dropped silently: refuse instead.
  void check_tables_known() {
    static const std::set<std::string> known = {"schema_version", "models", "datasets", "runs", "samples",
                                                "tokens", "exits", "exit_topk", "generations", "generation_steps",
                                                "classifiers", "classifier_scores", "prefixes", "prefix_tokens",
                                                "prefix_exits", "prefix_exit_topk", "prefix_classifier_scores"};
    for (const std::string& table : table_names(db_, "src"))
      if (!known.count(table))
        throw Error(label_ + ": table '" + table + "' is not known to this workbench's merge; nothing was merged");
  }

  void copy_table(const std::string& table, const std::map<std::string, std::string>& replacements) {
    const auto [columns, values] = column_lists(db_, table, replacements);
    db_.exec("INSERT INTO main." + table + " (" + columns + ") SELECT " + values + " FROM src." + table);
  }

  // The model a source model is in the work database: the same config.json and the same content fingerprint
  // (recorded with every run since fingerprints exist; older runs fall back to the same path).
  int64_t map_model(int64_t source_id) {
    if (const auto it = models_.find(source_id); it != models_.end()) return it->second;
    Statement m = db_.prepare("SELECT name, path, architecture, depths, hidden_size, vocab_size, config_json FROM src.models WHERE id = ?");
    m.bind(1, source_id);
    if (!m.step()) throw Error(label_ + ": models row " + std::to_string(source_id) + " is missing");
    const std::string path = m.text(1), config = m.text(6);
    const std::set<std::string> prints = fingerprints("src", source_id);
    Statement candidates = db_.prepare("SELECT id, path FROM main.models WHERE config_json = ? AND architecture = ?");
    candidates.bind(1, config).bind(2, m.text(2));
    while (candidates.step()) {
      const std::set<std::string> theirs = fingerprints("main", candidates.int64(0));
      bool shared = false;
      for (const std::string& p : prints) shared = shared || theirs.count(p);
      const bool unknown = prints.empty() || theirs.empty();
      if (shared || (unknown && candidates.text(1) == path)) return models_[source_id] = candidates.int64(0);
    }
    // A different model under a path the work database already uses (another machine's folder, or a changed
    // model): keep both, the newcomer's path marked with where it came from.
    std::string stored_path = path;
    for (int n = 2; path_taken(stored_path); ++n) stored_path = path + " (" + label_ + (n > 2 ? " " + std::to_string(n) : "") + ")";
    db_.prepare("INSERT INTO main.models (name, path, architecture, depths, hidden_size, vocab_size, config_json) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, m.text(0)).bind(2, stored_path).bind(3, m.text(2)).bind(4, m.int64(3)).bind(5, m.int64(4))
        .bind(6, m.int64(5)).bind(7, config).run();
    return models_[source_id] = db_.last_insert_id();
  }

  std::set<std::string> fingerprints(const std::string& schema, int64_t model_id) {
    std::set<std::string> out;
    Statement q = db_.prepare("SELECT DISTINCT json_extract(config_json, '$.model_fingerprint') FROM " + schema +
                              ".runs WHERE model_id = ? AND json_valid(config_json)");
    q.bind(1, model_id);
    while (q.step())
      if (!q.is_null(0)) out.insert(q.text(0));
    return out;
  }

  bool path_taken(const std::string& path) {
    Statement q = db_.prepare("SELECT count(*) FROM main.models WHERE path = ?");
    q.bind(1, path).step();
    return q.int64(0) > 0;
  }

  int64_t map_dataset(int64_t source_id) {
    Statement d = db_.prepare("SELECT kind, path, spec FROM src.datasets WHERE id = ?");
    d.bind(1, source_id);
    if (!d.step()) throw Error(label_ + ": datasets row " + std::to_string(source_id) + " is missing");
    db_.prepare("INSERT INTO main.datasets (kind, path, spec) VALUES (?, ?, ?) ON CONFLICT(spec) DO NOTHING")
        .bind(1, d.text(0)).bind(2, d.text(1)).bind(3, d.text(2)).run();
    Statement q = db_.prepare("SELECT id FROM main.datasets WHERE spec = ?");
    q.bind(1, d.text(2)).step();
    return q.int64(0);
  }

  void copy_runs() {
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS run_map (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)");
    db_.exec("DELETE FROM temp.run_map");
    Statement runs = db_.prepare("SELECT id, kind, model_id, dataset_id, status FROM src.runs ORDER BY id");
    while (runs.step()) {
      const int64_t id = runs.int64(0);
      if (runs.text(4) == "running")
        throw Error(label_ + ": run " + std::to_string(id) +
                    " is still running or was interrupted: let it finish, resume it or delete it before merging");
      const auto [columns, values] = column_lists(db_, "runs", {{"id", "NULL"}, {"model_id", "?1"}, {"dataset_id", "?2"}, {"pid", "NULL"}, {"owner", "NULL"}});
      db_.prepare("INSERT INTO main.runs (" + columns + ") SELECT " + values + " FROM src.runs WHERE id = ?3")
          .bind(1, map_model(runs.int64(2))).bind(2, map_dataset(runs.int64(3))).bind(3, id).run();
      const int64_t new_id = db_.last_insert_id();
      db_.prepare("INSERT INTO temp.run_map (old, new) VALUES (?, ?)").bind(1, id).bind(2, new_id).run();
      run_origin_[new_id] = label_ + " run " + std::to_string(id);
      ++report_.runs_copied;
    }
  }

  // Classifiers by name, every version: a version already there (same name, kind and weights) is kept once;
  // replaced versions sit beside any other; a different current version under a taken name is an error unless
  // renaming is asked for.
  void copy_classifiers() {
    Statement c = db_.prepare("SELECT id, name, model_id, kind, weights, replaced_at IS NOT NULL FROM src.classifiers ORDER BY id");
    while (c.step()) {
      const std::string name = c.text(1);
      Statement same = db_.prepare("SELECT count(*) FROM main.classifiers WHERE name = ?1 AND kind = ?2 AND "
                                   "weights = (SELECT weights FROM src.classifiers WHERE id = ?3)");
      same.bind(1, name).bind(2, c.text(3)).bind(3, c.int64(0)).step();
      if (same.int64(0) > 0) continue;
      std::string stored_name = name;
      if (c.int64(5) == 0 && classifier_taken(name)) {
        if (!options_.rename_classifiers)
          throw Error(label_ + ": a different classifier named '" + name +
                      "' is already in the merged workspace (use --rename to keep both)");
        for (int n = 2; classifier_taken(stored_name); ++n) stored_name = name + "~" + std::to_string(n);
        report_.notes.push_back("classifier '" + name + "' from " + label_ + " renamed to '" + stored_name + "'");
      }
      const auto [columns, values] = column_lists(db_, "classifiers", {{"id", "NULL"}, {"name", "?1"}, {"model_id", "?2"}});
      Statement insert = db_.prepare("INSERT INTO main.classifiers (" + columns + ") SELECT " + values + " FROM src.classifiers WHERE id = ?3");
      insert.bind(1, stored_name);
      if (c.is_null(2)) insert.bind_null(2);
      else insert.bind(2, map_model(c.int64(2)));
      insert.bind(3, c.int64(0)).run();
      ++report_.classifiers_copied;
    }
  }

  // A current version holds the name (replaced versions do not).
  bool classifier_taken(const std::string& name) {
    Statement q = db_.prepare("SELECT count(*) FROM main.classifiers WHERE name = ? AND replaced_at IS NULL");
    q.bind(1, name).step();
    return q.int64(0) > 0;
  }

  Database& db_;
  const std::string label_;
  const MergeOptions& options_;
  MergeReport& report_;
  std::map<int64_t, std::string>& run_origin_;
  std::map<int64_t, int64_t> models_;
};

struct ShardRun {
  int64_t id = 0;
  Shard shard;
  std::string status, origin;
  json config;
  int64_t sample_target = 0;
};

// What must agree between shards of one run: every option but the shard itself, the thread count and the paths
// (which differ between machines; the content fingerprints stand for them). The dataset spec keeps its options.
json comparable_options(json config) {
  for (const char* key : {"shard", "threads", "model", "classifiers", "classifier"}) config.erase(key);
  if (config.contains("dataset") && config["dataset"].is_string()) {
    const std::string spec = config["dataset"];
    const size_t colon = spec.find(':'), hash = spec.find('#');
    config["dataset"] = spec.substr(0, colon) + (hash == std::string::npos ? "" : spec.substr(hash));
  }
  return config;
}

std::string differing_keys(const json& a, const json& b) {
  std::string keys;
  std::set<std::string> all;
  for (const auto& [k, v] : a.items()) all.insert(k);
  for (const auto& [k, v] : b.items()) all.insert(k);
  for (const std::string& k : all)
    if (!a.contains(k) || !b.contains(k) || a[k] != b[k]) keys += (keys.empty() ? "" : ", ") + k;
  return keys;
}

// Every table of the work database with a run_id column, the runs table aside.
std::vector<std::string> tables_with_runs(Database& db) {
  std::vector<std::string> out;
  for (const std::string& table : table_names(db, "main")) {
    if (table == "runs") continue;
    const auto columns = column_names(db, "main", table);
    if (std::find(columns.begin(), columns.end(), "run_id") != columns.end()) out.push_back(table);
  }
  return out;
}

// Shards compute a prompt prefix shared across their slices once each; the joined run keeps one copy of each (the
// same tokens; recorded by the same code, so the same values), as an unsharded run stores it once.
void drop_repeated_prefixes(Database& db, int64_t run_id) {
  std::map<std::string, int64_t> first_of;
  Statement q = db.prepare("SELECT p.id, group_concat(t.token_id || ':' || t.target_id) FROM prefixes p JOIN (SELECT * FROM prefix_tokens ORDER BY "
                           "prefix_id, position) t ON t.prefix_id = p.id WHERE p.run_id = ? GROUP BY p.id ORDER BY p.id");
  q.bind(1, run_id);
  std::vector<std::pair<int64_t, int64_t>> repeats;  // (repeat, first)
  while (q.step()) {
    const auto [it, fresh] = first_of.emplace(q.text(1), q.int64(0));
    if (!fresh) repeats.emplace_back(q.int64(0), it->second);
  }
  for (const auto& [repeat, first] : repeats) {
    db.prepare("UPDATE samples SET prefix_id = ? WHERE prefix_id = ?").bind(1, first).bind(2, repeat).run();
    db.prepare("DELETE FROM prefixes WHERE id = ?").bind(1, repeat).run();
  }
}

// Joins each complete set of shard runs into one run.
void join_shards(Database& db, const std::map<int64_t, std::string>& run_origin, MergeReport& report) {
  std::map<std::string, std::vector<ShardRun>> groups;
  Statement q = db.prepare("SELECT id, kind, status, sample_target, config_json FROM runs WHERE json_valid(config_json) "
                           "AND json_extract(config_json, '$.shard') IS NOT NULL ORDER BY id");
  while (q.step()) {
    ShardRun r;
    r.id = q.int64(0);
    r.status = q.text(2);
    r.sample_target = q.int64(3);
    r.config = parse_stored_json(q.text(4));
    const auto origin = run_origin.find(r.id);
    r.origin = origin == run_origin.end() ? "run " + std::to_string(r.id) : origin->second;
    try {
      r.shard = parse_shard(r.config.at("shard").get<std::string>());
    } catch (const std::exception&) {
      throw Error(r.origin + ": its config's shard is not of the form K/N");
    }
    const std::string key = q.text(1) + "|" + r.config.value("model_fingerprint", "") + "|" +
                            r.config.value("dataset_fingerprint", "") + "|" + std::to_string(r.shard.count);
    groups[key].push_back(std::move(r));
  }
  const std::vector<std::string> run_tables = tables_with_runs(db);
  for (auto& [key, shards] : groups) {
    const ShardRun& first = shards.front();
    const int n = first.shard.count;
    const json options = comparable_options(first.config);
    std::map<int, const ShardRun*> by_index;
    for (const ShardRun& s : shards) {
      if (const std::string keys = differing_keys(options, comparable_options(s.config)); !keys.empty())
        throw Error("shards " + first.shard.text() + " (" + first.origin + ") and " + s.shard.text() + " (" + s.origin +
                    ") of the same model and dataset differ in: " + keys);
      if (!by_index.emplace(s.shard.index, &s).second)
        throw Error("shard " + s.shard.text() + " appears twice (" + by_index[s.shard.index]->origin + " and " + s.origin + ")");
      if (s.status != "done")
        throw Error("shard " + s.shard.text() + " (" + s.origin + ") is " + s.status + ": resume it before merging");
    }
    std::string missing;
    for (int k = 1; k <= n; ++k)
      if (!by_index.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
    if (!missing.empty()) throw Error("incomplete set of shards of " + first.origin + "'s run: missing " + missing);

    json config = first.config;
    config.erase("shard");
    int64_t target = 0;
    std::string ids;
    for (const auto& [k, s] : by_index) {
      target += s->sample_target;
      ids += (ids.empty() ? "" : ",") + std::to_string(s->id);
    }
    db.prepare("INSERT INTO runs (kind, model_id, dataset_id, config_json, status, sample_target, created_at, updated_at, finished_at) "
               "SELECT kind, model_id, dataset_id, ?, 'done', ?, (SELECT min(created_at) FROM runs WHERE id IN (" + ids +
               ")), (SELECT max(updated_at) FROM runs WHERE id IN (" + ids + ")), (SELECT max(finished_at) FROM runs WHERE id IN (" +
               ids + ")) FROM runs WHERE id = ?")
        .bind(1, config.dump()).bind(2, target).bind(3, first.id).run();
    const int64_t joined = db.last_insert_id();
    for (const std::string& table : run_tables)
      db.exec("UPDATE " + table + " SET run_id = " + std::to_string(joined) + " WHERE run_id IN (" + ids + ")");
    db.exec("DELETE FROM runs WHERE id IN (" + ids + ")");
    drop_repeated_prefixes(db, joined);
    report.runs_copied -= n;
    ++report.shard_runs_joined;
    report.shards += n;
    report.notes.push_back("run " + std::to_string(joined) + ": " + std::to_string(n) + " shards joined (" +
                           std::to_string(target) + " samples)");
  }
}

}  // namespace

MergeReport merge_workspaces(const fs::path& into, const std::vector<fs::path>& inputs, const MergeOptions& options) {
  if (inputs.empty()) throw Error("nothing to merge: name at least one workspace");
  std::vector<fs::path> seen;
  for (const fs::path& input : inputs) {
    if (!fs::exists(input)) throw Error(input.string() + ": no such workspace file");
    std::error_code ec;
    if (fs::exists(into) && fs::equivalent(input, into, ec))
      throw Error(input.string() + ": is the destination itself; a workspace cannot be merged into itself");
    for (const fs::path& other : seen)
      if (fs::equivalent(input, other, ec)) throw Error(input.string() + ": named twice");
    seen.push_back(input);
  }
  const fs::path folder = fs::absolute(into).parent_path();
  ScratchDir scratch(folder);
  const fs::path work_file = scratch.path() / "merged.db";
  MergeReport report;
  std::map<int64_t, std::string> run_origin;
  {
    Database work(work_file);
    make_scratch(work);
    std::unique_ptr<Database> out;
    int64_t version_read = 0;
    if (fs::exists(into)) {
      if (!fs::is_regular_file(into)) throw Error(into.string() + ": not a workspace file");
      {
        Database probe(into, Database::Mode::ReadOnly);
        check_workspace(probe);
      }
      out = std::make_unique<Database>(into);
      if (out->read_only()) throw Error(into.string() + ": the workspace is read-only; nothing can be merged into it");
      refuse_live_runs(*out);
      version_read = data_version(*out);
      copy_database(*out, work);
    }
    open_workspace(work);  // created, or an older destination migrated
    make_scratch(work);
    for (size_t i = 0; i < inputs.size(); ++i) {
      const fs::path copy = snapshot_workspace(inputs[i], scratch.path() / ("input-" + std::to_string(i) + ".db"));
      work.prepare("ATTACH DATABASE ? AS src").bind(1, copy.string()).run();
      {
        Transaction t(work);
        WorkspaceCopier(work, inputs[i].filename().string(), options, report, run_origin).copy();
        t.commit();
      }
      work.exec("DETACH DATABASE src");
      fs::remove(copy);
    }
    {
      Transaction t(work);
      join_shards(work, run_origin, report);
      t.commit();
    }
    Statement check = work.prepare("SELECT count(*) FROM pragma_foreign_key_check");
    check.step();
    if (check.int64(0) != 0) throw Error("the merged workspace would have rows that refer to missing rows; nothing was written");
    if (!out) out = std::make_unique<Database>(into);
    else if (data_version(*out) != version_read)
      throw Error(into.string() + ": another process wrote to it during the merge; nothing was written, merge again");
    copy_database(work, *out);
    open_workspace(*out);  // WAL, as every workspace
  }
  return report;
}

}  // namespace dynamax
