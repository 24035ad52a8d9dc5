#pragma once
// Versioned schema migrations, kept in the source and applied at start, each recorded in
// schema_migrations. Replicas starting together serialize on a lock, so each runs once.
#include <string>
#include <vector>

#include <soci/soci.h>

#include "storage/database.h"

namespace homevisit::storage {

struct Migration {
  int version;
  std::string name;
  std::string ddl;  // portable DDL; {{TOKENS}} rendered per dialect; statements end with ";\n"
  std::string postgres_ddl = "";  // then run on PostgreSQL only (what SQLite has no use for)
};

const std::vector<Migration>& AllMigrations();

// Applies what is missing inside one transaction; returns the versions applied now.
std::vector<int> ApplyMigrations(soci::session& sql, Dialect dialect);

}  // namespace homevisit::storage
