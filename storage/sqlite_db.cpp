#include "storage/sqlite_db.h"

#include <sqlite3.h>

#include "core/common/error.h"

namespace dynamax {

// How long a writer waits for another connection's lock before giving up.
static constexpr int kBusyTimeoutMs = 5000;

static std::string reason(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "the database is locked by another process (busy for more than 5 s)";
    case SQLITE_READONLY: return "the workspace is read-only (read-only media, or file or folder permissions)";
    case SQLITE_FULL: return "the disk is full";
    case SQLITE_CANTOPEN: return "cannot open the file (missing folder or no permission)";
    case SQLITE_NOTADB: return "the file is not an SQLite database";
    case SQLITE_CORRUPT: return "the database file is corrupt";
    case SQLITE_IOERR: return "an I/O error occurred (disk full or removed?)";
    case SQLITE_PERM: return "permission denied";
    case SQLITE_ERROR: return "the database does not have the layout this workbench expects";
    case SQLITE_CONSTRAINT: return "a row breaks a rule of the workspace's tables";
    default: return sqlite3_errstr(rc);
  }
}

// "file:" URI of a path, so that options can follow it; '%', '?' and '#' in the path are escaped.
static std::string file_uri(const std::filesystem::path& path, const char* options) {
  std::string uri = "file:";
  for (char c : std::filesystem::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#') {
      static const char* hex = "0123456789ABCDEF";
      uri += '%';
      uri += hex[(unsigned char)c >> 4];
      uri += hex[(unsigned char)c & 15];
    } else {
      uri += c;
    }
  }
  return uri + "?" + options;
}

static sqlite3* open_connection(const std::filesystem::path& path, const std::string& name, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close(db);
    throw Error(path.string() + ": " + reason(rc));
  }
  return db;
}

// The first read of a WAL database needs its -shm index, which SQLite cannot create on read-only media or a full
// disk (while a writer has the database open, the index exists already).
static bool index_unavailable(sqlite3* db) {
  const int rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) & 0xff;
  return rc == SQLITE_CANTOPEN || rc == SQLITE_IOERR || rc == SQLITE_READONLY;
}

Database::Database(const std::filesystem::path& path, Mode mode) : path_(path) {
  if (mode == Mode::ReadOnly) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(path.string() + ": no such file");
    db_ = open_connection(path, file_uri(path, "mode=ro"), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    if (index_unavailable(db_)) {
      // No connection has the database open in WAL mode (it would have made the index), and none can write where
      // the index cannot be made: the file does not change while we read it.
      sqlite3_close(db_);
      db_ = open_connection(path, file_uri(path, "immutable=1"), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    }
  } else {
    db_ = open_connection(path, path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  exec("PRAGMA foreign_keys = ON");
  if (mode == Mode::ReadWrite && !read_only()) {  // (SQLite opens a file it cannot write for reading only)
    exec("PRAGMA synchronous = NORMAL");  // WAL + NORMAL: durable at checkpoints, never corrupt on a crash
    exec("PRAGMA cache_size = -65536");   // 64 MiB of page cache: a sample's rows stay in memory until commit
  }
}

Database::~Database() { sqlite3_close_v2(db_); }

bool Database::read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }

void Database::fail(int rc) const {
  const std::string detail = db_ ? sqlite3_errmsg(db_) : "";
  std::string message = path_.string() + ": " + reason(rc);
  // SQLite's own words add what is missing ("no such table: runs"); its generic texts and constraint texts (which
  // quote our SQL) add nothing a user can act on.
  const int primary = rc & 0xff;
  if (primary == SQLITE_ERROR && !detail.empty() && detail != sqlite3_errstr(rc)) message += " (" + detail + ")";
  throw Error(message);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(rc);
}

Statement Database::prepare(std::string_view sql) { return Statement(*this, sql); }
int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  const int rc = sqlite3_prepare_v2(db.handle(), sql.data(), int(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_blob(int index, const void* data, size_t bytes) {
  sqlite3_bind_blob64(stmt_, index, data, bytes, SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  db_->fail(rc);
}

void Statement::run() {
  while (step()) {
  }
  sqlite3_reset(stmt_);  // keep the bindings: callers rebind every parameter, and clearing costs time per row
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(stmt_, column))) : std::string();
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace dynamax
