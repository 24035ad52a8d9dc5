#include "storage/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "storage/dialect.h"
#include "storage/migrations.h"
#include "storage/stores.h"

namespace homevisit::storage {

using domain::DomainError;
using domain::ErrorKind;

namespace {

constexpr int kMaxAttempts = 5;

// Returns a session to the pool when the unit of work ends, however it ends.
class Lease {
 public:
  Lease(soci::connection_pool& pool, int timeout_ms) : pool_(pool) {
    if (!pool_.try_lease(position_, timeout_ms)) {
      throw DomainError(ErrorKind::kUnavailable, "DATABASE_BUSY", "no database session free; try again");
    }
  }
  ~Lease() { pool_.give_back(position_); }
  soci::session& session() { return pool_.at(position_); }

 private:
  soci::connection_pool& pool_;
  std::size_t position_ = 0;
};

void RollbackQuietly(soci::session& sql) {
  try {
    sql << "ROLLBACK";
  } catch (...) {
    // A broken connection cannot roll back; the server drops the transaction itself.
  }
}

const char* PublicMessage(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kAlreadyExists: return "already exists";
    case ErrorKind::kAborted: return "concurrent change: retry";
    case ErrorKind::kUnavailable: return "database unavailable: retry";
    default: return "the database refused the change";
  }
}

}  // namespace

Database::Database(Dialect dialect, size_t pool_size, int busy_timeout_ms)
    : dialect_(dialect), busy_timeout_ms_(busy_timeout_ms), pool_(pool_size) {}

Database::~Database() = default;

std::unique_ptr<Database> Database::Open(const DatabaseOptions& options) {
  Dialect dialect;
  std::string target;
  if (absl::StartsWith(options.url, "sqlite:")) {
    dialect = Dialect::kSqlite;
    target = options.url.substr(7);
  } else if (absl::StartsWith(options.url, "postgresql://") || absl::StartsWith(options.url, "postgres://")) {
    dialect = Dialect::kPostgres;
    target = PostgresConnectString(options.url);
  } else {
    throw DomainError(ErrorKind::kInvalidArgument, "BAD_DATABASE_URL",
                      "--db must be sqlite:PATH or a postgresql:// URL");
  }
  if (target.empty()) {
    throw DomainError(ErrorKind::kInvalidArgument, "BAD_DATABASE_URL", "sqlite: needs a file path");
  }
  size_t pool_size = options.pool_size ? options.pool_size : (dialect == Dialect::kSqlite ? 4 : 8);
  std::unique_ptr<Database> db(new Database(dialect, pool_size, options.busy_timeout_ms));
  try {
    for (size_t i = 0; i < pool_size; ++i) db->OpenSession(db->pool_.at(i), target);
    Lease lease(db->pool_, options.busy_timeout_ms);
    ApplyMigrations(lease.session(), dialect);
  } catch (const soci::soci_error& e) {
    ErrorClass c = Classify(dialect, e);
    // The driver's message may name the host and user; it does not hold subscriber data.
    throw DomainError(c.kind == ErrorKind::kInternal ? ErrorKind::kUnavailable : c.kind, c.reason,
                      absl::StrCat("cannot open the database: ", e.get_error_message()));
  }
  return db;
}

void Database::OpenSession(soci::session& session, const std::string& target) {
  if (dialect_ == Dialect::kSqlite) {
    // SOCI's sqlite3 backend takes the busy timeout in whole seconds.
    int seconds = std::max(1, busy_timeout_ms_ / 1000);
    session.open(*soci::factory_sqlite3(), absl::StrCat("db=\"", target, "\" timeout=", seconds));
    session << "PRAGMA foreign_keys = ON";
    session << "PRAGMA synchronous = FULL";  // durable commits unless an operator chooses otherwise
    std::string mode;
    session << "PRAGMA journal_mode = WAL", soci::into(mode);
  } else {
    session.open(*soci::factory_postgresql(), target);
  }
}

void Database::RunTransaction(bool write, const std::function<void(domain::UnitOfWork&)>& work) {
  for (int attempt = 1;; ++attempt) {
    Lease lease(pool_, busy_timeout_ms_);
    soci::session& sql = lease.session();
    try {
      sql << BeginStatement(dialect_, write);
      SociUnitOfWork uow(sql, dialect_);
      work(uow);
      sql << "COMMIT";
      return;
    } catch (const DomainError&) {
      RollbackQuietly(sql);
      throw;
    } catch (const soci::soci_error& e) {
      RollbackQuietly(sql);
      ErrorClass c = Classify(dialect_, e);
      if (c.broken_session) {
        try {
          sql.reconnect();
        } catch (const soci::soci_error&) {
          // Still down: the next lease tries again.
        }
      }
      // A write on a broken connection may have committed before the break: only reads are
      // replayed after a reconnect; serialization failures never committed, so both are safe.
      if ((c.retryable || (c.broken_session && !write)) && attempt < kMaxAttempts) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt * attempt));
        continue;
      }
      if (c.kind == ErrorKind::kInternal) {
        // Logged without the statement or its values: they may hold personal data.
        std::cerr << "homevisitd: database error " << c.reason << "\n";
        throw DomainError(ErrorKind::kInternal, c.reason, "internal database error");
      }
      throw DomainError(c.kind, c.reason, PublicMessage(c.kind));
    } catch (...) {
      RollbackQuietly(sql);
      throw;
    }
  }
}

void Database::WithSession(const std::function<void(soci::session&)>& fn) {
  Lease lease(pool_, busy_timeout_ms_);
  fn(lease.session());
}

}  // namespace homevisit::storage
