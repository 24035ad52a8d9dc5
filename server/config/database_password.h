#pragma once
// --db_password_file: the PostgreSQL password kept out of the command line, the environment and
// the config file (which other users and `ps` may see), in a file only the service reads.
#include <string>

#include "absl/status/statusor.h"
#include "config/flag_sources.h"

namespace homevisit::config {

// The connection URL for `db_url` with the password in `password_file` (trailing whitespace
// and newlines stripped), passed as libpq's `password` parameter: it replaces a password the
// URL may hold. An empty `password_file` returns `db_url` as it is. Errors, which never quote
// the URL or the password: the file cannot be read or holds no password, or `db_url` is not a
// postgresql:// URL ("db_password_file is for PostgreSQL").
absl::StatusOr<std::string> DatabaseUrlWithPassword(const std::string& db_url, const std::string& password_file,
                                                    const FileReader& read_file);

}  // namespace homevisit::config
