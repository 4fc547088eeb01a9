#pragma once
// A deferred read transaction: every query inside it sees the database as it was at its first read, even while a
// recording commits samples through another connection (WAL). Works on read-only connections, never blocks writers.
#include "storage/sqlite_db.h"

namespace dynamax::app {

class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database& db) : db_(db) { db_.exec("BEGIN"); }
  ~ReadSnapshot() {
    try {
      db_.exec("COMMIT");
    } catch (...) {
      // Ending a read can only fail if the connection is gone; nothing was written either way.
    }
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Database& db_;
};

}  // namespace dynamax::app
