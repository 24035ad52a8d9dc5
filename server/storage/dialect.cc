#include "storage/dialect.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <libpq-fe.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

#include "observability/logging.h"

namespace homevisit::storage {

using domain::ErrorKind;

ErrorClass Classify(Dialect dialect, const soci::soci_error& error) {
  if (dialect == Dialect::kPostgres) {
    if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
      std::string state = pg->sqlstate();
      if (state == "23505") return {ErrorKind::kAlreadyExists, "UNIQUE_VIOLATION", false, false};
      if (state == "23503") return {ErrorKind::kFailedPrecondition, "FOREIGN_KEY_VIOLATION", false, false};
      if (state == "23P01") return {ErrorKind::kAborted, "EXCLUSION_VIOLATION", false, false};
      if (state == "40001" || state == "40P01") return {ErrorKind::kAborted, "SERIALIZATION_FAILURE", true, false};
      if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
        return {ErrorKind::kUnavailable, "DATABASE_UNAVAILABLE", false, true};
      }
      if (state == "53300") return {ErrorKind::kUnavailable, "TOO_MANY_CONNECTIONS", false, false};
      return {ErrorKind::kInternal, "DATABASE_ERROR_" + state, false, false};
    }
  } else if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    int code = lite->result() & 0xFF;  // primary result code
    if (code == 19 /*SQLITE_CONSTRAINT*/) {
      if (absl::StrContains(error.get_error_message(), "UNIQUE")) {
        return {ErrorKind::kAlreadyExists, "UNIQUE_VIOLATION", false, false};
      }
      if (absl::StrContains(error.get_error_message(), "FOREIGN KEY")) {
        return {ErrorKind::kFailedPrecondition, "FOREIGN_KEY_VIOLATION", false, false};
      }
      return {ErrorKind::kInternal, "CONSTRAINT_VIOLATION", false, false};
    }
    if (code == 5 /*SQLITE_BUSY*/ || code == 6 /*SQLITE_LOCKED*/) {
      // The busy timeout ran out (usually at BEGIN IMMEDIATE, before anything was written):
      // the whole unit of work is safe to run again.
      return {ErrorKind::kUnavailable, "DATABASE_BUSY", true, false};
    }
    return {ErrorKind::kInternal, "SQLITE_ERROR_" + std::to_string(code), false, false};
  }
  if (error.get_error_category() == soci::soci_error::connection_error) {
    return {ErrorKind::kUnavailable, "DATABASE_UNAVAILABLE", false, true};
  }
  return {ErrorKind::kInternal, "DATABASE_ERROR", false, false};
}

domain::DomainError ToDomainError(const ErrorClass& c) {
  switch (c.kind) {
    case ErrorKind::kAlreadyExists: return domain::DomainError(c.kind, c.reason, "already exists");
    case ErrorKind::kAborted: return domain::DomainError(c.kind, c.reason, "concurrent change: retry");
    case ErrorKind::kUnavailable: return domain::DomainError(c.kind, c.reason, "database unavailable: retry");
    case ErrorKind::kInternal:
      observability::LogEvent(observability::LogLevel::kError, "database_error", {{"reason", c.reason}});
      return domain::DomainError(c.kind, c.reason, "internal database error");
    default: return domain::DomainError(c.kind, c.reason, "the database refused the change");
  }
}

std::string PostgresConnectString(const std::string& url) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(url.c_str(), &error),
                                                                        &PQconninfoFree);
  if (!options) {
    if (error) PQfreemem(error);  // its text may quote the password: not passed on
    throw domain::DomainError(ErrorKind::kInvalidArgument, "BAD_DATABASE_URL", "malformed PostgreSQL URL");
  }
  std::string result;
  for (PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string value;
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\\' || *c == '\'') value.push_back('\\');
      value.push_back(*c);
    }
    absl::StrAppend(&result, result.empty() ? "" : " ", o->keyword, "='", value, "'");
  }
  return result;
}

const char* BeginStatement(Dialect dialect, bool write) {
  if (dialect == Dialect::kSqlite) return write ? "BEGIN IMMEDIATE" : "BEGIN";
  return write ? "BEGIN" : "BEGIN READ ONLY";
}

std::string RenderDdl(Dialect dialect, const std::string& ddl) {
  if (dialect == Dialect::kSqlite) {
    return absl::StrReplaceAll(ddl, {{"{{SERIAL_PK}}", "INTEGER PRIMARY KEY AUTOINCREMENT"}});
  }
  return absl::StrReplaceAll(ddl, {{"{{SERIAL_PK}}", "BIGSERIAL PRIMARY KEY"}});
}

}  // namespace homevisit::storage
