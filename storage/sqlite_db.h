#pragma once
// A thin RAII layer over the sqlite3 C API: one connection (one per thread), prepared statements,
// transactions, and errors that name the database file and say why.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace dynamax {

class Statement;

class Database {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  // Opens the file with foreign keys on and a busy timeout. ReadWrite creates a missing file (the journal mode is
  // the workspace's business: storage/schema.h). ReadOnly never creates, writes nor changes the file: a missing
  // file is an error, and a WAL database in a folder where SQLite cannot create its -shm index (read-only media)
  // is opened as immutable.
  explicit Database(const std::filesystem::path& path, Mode mode = Mode::ReadWrite);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  int64_t last_insert_id() const;
  int changes() const;
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  // True when the connection cannot write (opened ReadOnly, or SQLite fell back to reading a file it cannot write).
  bool read_only() const;
  // Throws dynamax::Error with the file name and a plain-words reason for SQLite result `rc` (never SQL text).
  [[noreturn]] void fail(int rc) const;

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, int64_t(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, const void* data, size_t bytes);
  Statement& bind_null(int index);
  // Steps once: true while a row is available.
  bool step();
  // Steps to completion and resets (bindings kept), for statements without results.
  void run();
  void reset();

  int64_t int64(int column) const;
  int integer(int column) const { return int(int64(column)); }
  double real(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE … COMMIT; rolls back when destroyed before commit().
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace dynamax
