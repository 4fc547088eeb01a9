#pragma once
// The workspace database schema: versioned, created and migrated forward on open.
#include "storage/sqlite_db.h"

namespace dynamax {

// The schema version this build writes.
int current_schema_version();
// Creates or migrates the schema to the current version inside one transaction. A database written by a newer
// workbench (higher version) is refused with a clear error, never modified.
void migrate_schema(Database& db);
// Opens a workspace database read-write and migrates it.
void open_workspace(Database& db);
// The version stored in the file (0 for an empty database).
int stored_schema_version(Database& db);

}  // namespace dynamax
