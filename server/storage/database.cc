#include "storage/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "observability/logging.h"
#include "observability/metrics.h"
#include "storage/calendar_changes.h"
#include "storage/dialect.h"
#include "storage/group_commit.h"
#include "storage/migrations.h"
#include "storage/sql.h"
#include "storage/statement_cache.h"
#include "storage/stores.h"

namespace homevisit::storage {

using domain::DomainError;
using domain::ErrorKind;

namespace {

constexpr int kMaxAttempts = 5;

thread_local Database::CallSession* pinned_session = nullptr;

// SQLite's defaults lock a connection's mutex around every API call (a 45-column row costs ~100
// lock pairs) and count every allocation under one global mutex. A pooled session is used by
// one thread at a time (its lease), which is what multi-thread mode asks; set once, before the
// library initializes (afterwards sqlite3_config refuses, harmlessly).
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SOCI's header includes sqlite3.h inside namespace sqlite_api.
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

std::size_t LeaseOrThrow(soci::connection_pool& pool, int timeout_ms) {
  std::size_t position = 0;
  if (pool.try_lease(position, 0)) return position;
  // Only the leases that had to wait are timed: the metric shows how long, and how often.
  auto start = std::chrono::steady_clock::now();
  bool leased = pool.try_lease(position, timeout_ms);
  observability::ObserveSessionWait(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!leased) throw DomainError(ErrorKind::kUnavailable, "DATABASE_BUSY", "no database session free; try again");
  return position;
}

// Returns a session to the pool when the unit of work ends, however it ends.
class OwnLease {
 public:
  OwnLease(soci::connection_pool& pool, int timeout_ms) : pool_(pool), position_(LeaseOrThrow(pool, timeout_ms)) {}
  ~OwnLease() { pool_.give_back(position_); }
  OwnLease(const OwnLease&) = delete;
  OwnLease& operator=(const OwnLease&) = delete;
  std::size_t position() const { return position_; }

 private:
  soci::connection_pool& pool_;
  std::size_t position_;
};

void RollbackQuietly(soci::session& sql) {
  try {
    sql << "ROLLBACK";
  } catch (...) {
    // A broken connection cannot roll back; the server drops the transaction itself.
  }
}

}  // namespace

size_t DefaultPoolSize(Dialect dialect, size_t workers, size_t cores) {
  cores = std::max<size_t>(1, cores);
  if (dialect == Dialect::kSqlite) return workers + 2 * cores;
  return std::max<size_t>(4, std::min(workers, 2 * cores + 2));
}

Database::Database(Dialect dialect, size_t pool_size, int busy_timeout_ms)
    : dialect_(dialect), busy_timeout_ms_(busy_timeout_ms), pool_(pool_size) {
  caches_.reserve(pool_size);
  for (size_t i = 0; i < pool_size; ++i) caches_.push_back(std::make_unique<StatementCache>(pool_.at(i), dialect));
}

Database::CallSession::CallSession(Database& db) : db_(db), previous_(pinned_session) { pinned_session = this; }

Database::CallSession::~CallSession() {
  if (position_) db_.pool_.give_back(*position_);
  pinned_session = previous_;
}

bool Database::CallSession::TryAcquireNow() {
  if (position_) return true;
  std::size_t position = 0;
  if (!db_.pool_.try_lease(position, 0)) return false;
  position_ = position;
  return true;
}

Database::CallSession* Database::PinnedSession() {
  for (CallSession* s = pinned_session; s; s = s->previous_) {
    if (&s->db_ == this) return s;
  }
  return nullptr;
}

Database::~Database() {
  if (!group_commit_) return;
  GroupCommitStats stats = group_commit_->stats();
  group_commit_.reset();
  if (stats.batches > 0) {
    observability::LogEvent(observability::LogLevel::kInfo, "group_commit_stopped",
                            {{"units", absl::StrCat(stats.units)},
                             {"transactions", absl::StrCat(stats.batches)},
                             {"largest_batch", absl::StrCat(stats.largest_batch)}});
  }
}

size_t Database::QueuedWrites() const { return group_commit_ ? group_commit_->queued() : 0; }

GroupCommitStats Database::WriteBatchStats() const { return group_commit_ ? group_commit_->stats() : GroupCommitStats{}; }

bool Database::TrySubmitWrite(std::function<void(domain::UnitOfWork&)> work,
                              std::function<void(std::exception_ptr)> done, size_t max_queued) {
  if (!group_commit_) throw std::logic_error("TrySubmitWrite needs the SQLite writer");
  return group_commit_->TrySubmit(std::move(work), std::move(done), max_queued);
}

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
  size_t pool_size = options.pool_size ? options.pool_size
                                       : DefaultPoolSize(dialect, options.worker_threads, std::thread::hardware_concurrency());
  std::unique_ptr<Database> db(new Database(dialect, pool_size, options.busy_timeout_ms));
  try {
    for (size_t i = 0; i < pool_size; ++i) db->OpenSession(db->pool_.at(i), target);
    {
      OwnLease lease(db->pool_, options.busy_timeout_ms);
      ApplyMigrations(db->pool_.at(lease.position()), dialect);
    }
    if (dialect == Dialect::kSqlite) {
      db->writer_session_ = std::make_unique<soci::session>();
      db->OpenSession(*db->writer_session_, target);
      db->writer_cache_ = std::make_unique<StatementCache>(*db->writer_session_, dialect);
      Database* raw = db.get();
      db->group_commit_ = std::make_unique<GroupCommit>(*db->writer_session_, *db->writer_cache_, options.max_write_batch,
                                                        [raw](CalendarChange&& change) { raw->calendar_changes_.Record(std::move(change)); });
    }
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
    ConfigureSqliteOnce();
    // SOCI's sqlite3 backend takes the busy timeout in whole seconds.
    int seconds = std::max(1, busy_timeout_ms_ / 1000);
    session.open(*soci::factory_sqlite3(), absl::StrCat("db=\"", target, "\" timeout=", seconds));
    session << "PRAGMA foreign_keys = ON";
    session << "PRAGMA synchronous = FULL";  // durable commits unless an operator chooses otherwise
    // Group commit runs each unit in a SAVEPOINT, so SQLite keeps a statement journal per batch.
    // Past 64 KiB that journal spills into a temporary file that is created, written, unlinked
    // and closed on every COMMIT; in memory it is neither (a batch's is a few hundred KiB at most).
    session << "PRAGMA temp_store = MEMORY";
    std::string mode;
    session << "PRAGMA journal_mode = WAL", soci::into(mode);
  } else {
    session.open(*soci::factory_postgresql(), target);
    // A transaction left open holds back the event log's horizon (DESIGN.md): none may idle.
    session << "SET idle_in_transaction_session_timeout = '30s'";
  }
}

void Database::RunControl(soci::session& sql, const char* statement) {
  if (dialect_ == Dialect::kSqlite) {
    Execute(sql, statement);  // through the session's cache: not prepared per call
  } else {
    sql << statement;  // one simple-protocol round trip, as a prepared one would be
  }
}

void Database::RunTransaction(Mode mode, const std::function<void(domain::UnitOfWork&)>& work) {
  const bool write = mode == Mode::kWrite;
  if (write && group_commit_) {
    group_commit_->Run(work);
    return;
  }
  // A unit of work nested in another on the same thread gets a session of its own, as before.
  CallSession* pinned = PinnedSession();
  if (pinned && pinned->busy_) pinned = nullptr;
  // The marks of a unit this one is nested in are set aside, and given back when this one ends
  // (this one's own were recorded at its COMMIT, or are dropped with its rollback).
  struct SetAside {
    CalendarChange outer = TakeCalendarChange();
    ~SetAside() {
      TakeCalendarChange();
      RestoreCalendarChange(std::move(outer));
    }
  } set_aside;
  for (int attempt = 1;; ++attempt) {
    std::optional<OwnLease> own;
    std::size_t position;
    if (pinned) {
      if (!pinned->position_) pinned->position_ = LeaseOrThrow(pool_, busy_timeout_ms_);
      position = *pinned->position_;
    } else {
      position = own.emplace(pool_, busy_timeout_ms_).position();
    }
    soci::session& sql = pool_.at(position);
    StatementCache& cache = *caches_[position];
    StatementCache::Scope active(cache);
    struct Busy {
      CallSession* s;
      explicit Busy(CallSession* session) : s(session) { if (s) s->busy_ = true; }
      ~Busy() { if (s) s->busy_ = false; }
    } busy(pinned);
    try {
      if (mode != Mode::kNone) RunControl(sql, BeginStatement(dialect_, write));
      TakeCalendarChange();  // a failed attempt's marks are not this one's
      SociUnitOfWork uow(sql, dialect_);
      work(uow);
      if (mode != Mode::kNone) RunControl(sql, "COMMIT");
      calendar_changes_.Record(TakeCalendarChange());
      return;
    } catch (const DomainError&) {
      if (mode != Mode::kNone) RollbackQuietly(sql);
      throw;
    } catch (const soci::soci_error& e) {
      if (mode != Mode::kNone) RollbackQuietly(sql);
      ErrorClass c = Classify(dialect_, e);
      // A session whose reconnect failed during an outage has no connection at all, and SOCI
      // reports that as a plain error: treat it as broken too, or it would never heal.
      if (!c.broken_session && !sql.is_connected()) {
        c = {ErrorKind::kUnavailable, "DATABASE_UNAVAILABLE", false, true};
      }
      if (c.broken_session) Reconnect(position);  // still down: the next lease tries again
      // A write on a broken connection may have committed before the break: only reads are
      // replayed after a reconnect; serialization failures never committed, so both are safe.
      if ((c.retryable || (c.broken_session && !write)) && attempt < kMaxAttempts) {
        observability::CountTransactionRetry(c.reason);
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt * attempt));
        continue;
      }
      throw ToDomainError(c);
    } catch (...) {
      if (mode != Mode::kNone) RollbackQuietly(sql);
      throw;
    }
  }
}

Database::Reachability Database::Ping(std::chrono::milliseconds wait) {
  std::optional<OwnLease> lease;
  try {
    lease.emplace(pool_, static_cast<int>(wait.count()));
  } catch (const DomainError&) {
    return Reachability::kUnknown;  // every session busy
  }
  soci::session& sql = pool_.at(lease->position());
  auto answers = [&] {
    try {
      int one = 0;
      sql << "SELECT 1", soci::into(one);
      return true;
    } catch (const soci::soci_error&) {
      return false;
    }
  };
  // Whatever failed, a fresh connection tells: SELECT 1 has no other way to fail.
  if (answers() || (Reconnect(lease->position()) && answers())) return Reachability::kUp;
  return Reachability::kDown;
}

bool Database::Reconnect(std::size_t position) {
  caches_[position]->Clear();  // the new connection has none of the old one's prepared statements
  try {
    pool_.at(position).reconnect();
    return true;
  } catch (const soci::soci_error&) {
    return false;
  }
}

void Database::WithSession(const std::function<void(soci::session&)>& fn) {
  OwnLease lease(pool_, busy_timeout_ms_);
  fn(pool_.at(lease.position()));
}

}  // namespace homevisit::storage
