#include "storage/run_store.h"

#include <unistd.h>

#include "core/common/error.h"
#include "storage/workspace_limits.h"
#include "storage/process_identity.h"

namespace dynamax {

static const char* kNow = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

int64_t RunStore::upsert_model(const std::string& name, const std::string& path, const ModelConfig& config,
                               const std::string& config_json) {
  db_.prepare(
         "INSERT INTO models (name, path, architecture, depths, hidden_size, vocab_size, config_json) "
         "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET name = excluded.name, "
         "architecture = excluded.architecture, depths = excluded.depths, hidden_size = excluded.hidden_size, "
         "vocab_size = excluded.vocab_size, config_json = excluded.config_json")
      .bind(1, name)
      .bind(2, path)
      .bind(3, std::string(architecture_name(config.arch)))
      .bind(4, config.num_layers)
      .bind(5, config.hidden_size)
      .bind(6, config.vocab_size)
      .bind(7, config_json)
      .run();
  Statement q = db_.prepare("SELECT id FROM models WHERE path = ?");
  q.bind(1, path).step();
  return q.int64(0);
}

int64_t RunStore::upsert_dataset(const std::string& kind, const std::string& path, const std::string& spec) {
  db_.prepare("INSERT INTO datasets (kind, path, spec) VALUES (?, ?, ?) ON CONFLICT(spec) DO NOTHING")
      .bind(1, kind)
      .bind(2, path)
      .bind(3, spec)
      .run();
  Statement q = db_.prepare("SELECT id FROM datasets WHERE spec = ?");
  q.bind(1, spec).step();
  return q.int64(0);
}

int64_t RunStore::create_run(const std::string& kind, int64_t model_id, int64_t dataset_id,
                             const nlohmann::json& config, int64_t sample_target) {
  db_.prepare(
         "INSERT INTO runs (kind, model_id, dataset_id, config_json, status, sample_target, pid, owner) "
         "VALUES (?, ?, ?, ?, 'running', ?, ?, ?)")
      .bind(1, kind)
      .bind(2, model_id)
      .bind(3, dataset_id)
      .bind(4, config.dump())
      .bind(5, sample_target)
      .bind(6, int64_t(getpid()))
      .bind(7, own_process_identity())
      .run();
  return db_.last_insert_id();
}

RunInfo RunStore::claim_run(int64_t run_id, const std::string& kind, bool force) {
  Transaction tx(db_);  // BEGIN IMMEDIATE: of two processes claiming one run, the second sees the first's claim
  RunInfo info = resumable_run(run_id, kind, force);
  db_.prepare(std::string("UPDATE runs SET status = 'running', error = NULL, finished_at = NULL, pid = ?, owner = ?, "
                          "updated_at = ") + kNow + " WHERE id = ?")
      .bind(1, int64_t(getpid()))
      .bind(2, own_process_identity())
      .bind(3, run_id)
      .run();
  tx.commit();
  info.status = "running";
  info.interrupted = false;
  return info;
}

void RunStore::finish_run(int64_t run_id, const std::string& status, const std::string& error) {
  Statement s = db_.prepare(std::string("UPDATE runs SET status = ?, error = ?, pid = NULL, owner = NULL, updated_at = ") + kNow +
                            ", finished_at = " + kNow + " WHERE id = ?");
  s.bind(1, status);
  if (error.empty()) s.bind_null(2);
  else s.bind(2, error);
  s.bind(3, run_id).run();
}

std::set<int64_t> RunStore::finished_sample_indices(int64_t run_id) {
  std::set<int64_t> out;
  Statement q = db_.prepare("SELECT sample_index FROM samples WHERE run_id = ?");
  q.bind(1, run_id);
  while (q.step()) out.insert(q.int64(0));
  return out;
}

static const char* kRunSelect =
    "SELECT r.id, r.kind, r.status, m.name, m.path, m.architecture, m.depths, d.kind, d.spec, r.created_at, "
    "r.updated_at, coalesce(r.finished_at, ''), coalesce(r.error, ''), r.sample_target, r.config_json, r.pid, "
    "(SELECT count(*) FROM samples s WHERE s.run_id = r.id), "
    "(SELECT coalesce(sum(token_count), 0) FROM samples s WHERE s.run_id = r.id), m.config_json, "
    "coalesce(r.owner, '') "
    "FROM runs r JOIN models m ON m.id = r.model_id JOIN datasets d ON d.id = r.dataset_id ";

static RunInfo read_run(Database& db, Statement& q) {
  RunInfo r;
  r.id = q.int64(0);
  r.kind = q.text(1);
  r.status = q.text(2);
  r.model_name = q.text(3);
  r.model_path = q.text(4);
  r.architecture = q.text(5);
  r.depths = q.integer(6);
  r.dataset_kind = q.text(7);
  r.dataset_spec = q.text(8);
  r.created_at = q.text(9);
  r.updated_at = q.text(10);
  r.finished_at = q.text(11);
  r.error = q.text(12);
  r.sample_target = q.int64(13);
  r.config = parse_stored_json(q.text(14));
  if (!r.config.is_object()) {
    r.config_problem = db.path().string() + ": runs row " + std::to_string(r.id) + ": config_json is not a JSON object";
    r.config = nlohmann::json::object();
  }
  r.interrupted = r.status == "running" && !(q.is_null(15) ? false : owner_alive(q.int64(15), q.text(19)));
  r.samples_done = q.int64(16);
  r.tokens = q.int64(17);
  r.model_config_json = q.text(18);
  return r;
}

std::vector<RunInfo> RunStore::list_runs() {
  std::vector<RunInfo> out;
  Statement q = db_.prepare(std::string(kRunSelect) + "ORDER BY r.id");
  while (q.step()) out.push_back(read_run(db_, q));
  return out;
}

RunInfo RunStore::run(int64_t run_id) {
  Statement q = db_.prepare(std::string(kRunSelect) + "WHERE r.id = ?");
  q.bind(1, run_id);
  if (!q.step()) throw Error(db_.path().string() + ": there is no run " + std::to_string(run_id));
  return read_run(db_, q);
}

RunInfo RunStore::resumable_run(int64_t run_id, const std::string& kind, bool force) {
  RunInfo info = run(run_id);
  const std::string name = "run " + std::to_string(run_id);
  if (info.kind != kind) throw Error(name + " is a '" + info.kind + "' run, not a '" + kind + "' run");
  if (info.status == "done") throw Error(name + " is already done");
  if (info.status == "running" && !info.interrupted && !force)
    throw Error(name + " is still running in another process (if that process is gone, add --force)");
  if (!info.config_problem.empty()) throw Error(info.config_problem + "; the run cannot be resumed");
  return info;
}

void RunStore::delete_run(int64_t run_id, bool force) {
  RunInfo info = run(run_id);
  if (info.status == "running" && !info.interrupted && !force)
    throw Error("run " + std::to_string(run_id) +
                " is still being recorded by another process; cancel it first (if that process is gone, add --force)");
  Transaction tx(db_);
  db_.prepare("DELETE FROM runs WHERE id = ?").bind(1, run_id).run();  // cascades to samples, tokens, exits
  tx.commit();
}

}  // namespace dynamax
