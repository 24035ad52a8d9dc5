#pragma once
// The few places where SQLite and PostgreSQL differ: session set-up, transaction start,
// DDL spelling, and how errors are classified.
#include <string>

#include <soci/soci.h>

#include "domain/errors.h"
#include "storage/database.h"

namespace homevisit::storage {

// What a failed statement means for the caller.
struct ErrorClass {
  domain::ErrorKind kind;
  std::string reason;  // stable UPPER_SNAKE; also what gets logged (no SQL text, no values)
  bool retryable;      // a serialization failure or deadlock: run the transaction again
  bool broken_session; // the connection is gone: reconnect before reuse
};

ErrorClass Classify(Dialect dialect, const soci::soci_error& error);

// The error a caller sees for a failed statement: the class's kind and reason with a public
// message (internal errors are logged by reason only: the statement may hold personal data).
domain::DomainError ToDomainError(const ErrorClass& error);

// "BEGIN IMMEDIATE" takes SQLite's write lock up front so a read that later writes cannot
// fail with BUSY despite the busy timeout.
const char* BeginStatement(Dialect dialect, bool write);

// SOCI's PostgreSQL backend mangles URIs ("postgresql://..."), so URIs are turned into libpq's
// keyword=value form with libpq's own parser. Throws DomainError(kInvalidArgument) if malformed.
std::string PostgresConnectString(const std::string& url);

// Replaces {{...}} tokens of portable DDL with the dialect's spelling.
std::string RenderDdl(Dialect dialect, const std::string& ddl);

}  // namespace homevisit::storage
