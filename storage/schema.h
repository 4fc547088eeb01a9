#pragma once
// The workspace database schema: versioned, created and migrated forward by writers; checked, never changed, by
// readers. Files that are not workspaces (another application's database, a damaged schema_version) are refused
// with a message that says what the file holds, before anything is written.
#include "storage/sqlite_db.h"

namespace dynamax {

// The schema version this build writes.
int current_schema_version();
// The version stored in the file: 0 for an empty database. Throws dynamax::Error for a file that is not a workspace
// (foreign tables, an empty or damaged schema_version, missing tables) or one of a newer workbench.
int stored_schema_version(Database& db);
// For writers: creates the schema in an empty database or migrates an older one (one transaction) and switches it
// to WAL. Refuses, without changing it, a foreign, newer or read-only file.
void open_workspace(Database& db);
// For readers: the file must hold a workspace of exactly this version (an older one needs a writer to upgrade it).
// Throws dynamax::Error otherwise (empty file, foreign, older, newer); never writes.
void check_readable_workspace(Database& db);

}  // namespace dynamax
