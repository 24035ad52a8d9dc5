#pragma once
// One database, SQLite or PostgreSQL, behind one code path: a pool of SOCI sessions and
// transactions that hand the domain a UnitOfWork. Dialect differences live in dialect.cc.
#include <atomic>
#include <cstdint>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <soci/soci.h>

#include "domain/repositories.h"
#include "storage/calendar_changes.h"

namespace homevisit::storage {

enum class Dialect { kSqlite, kPostgres };

class StatementCache;
class GroupCommit;
struct GroupCommitStats;

struct DatabaseOptions {
  // "sqlite:PATH" or a "postgresql://" URL (libpq syntax).
  std::string url = "sqlite:homevisit.db";
  // Sessions in the pool; 0 picks DefaultPoolSize for `worker_threads`.
  size_t pool_size = 0;
  size_t worker_threads = 8;
  // How long a call waits for a free session or for SQLite's write lock.
  int busy_timeout_ms = 5000;
  // SQLite: the most units of work one group commit holds (see group_commit.h).
  size_t max_write_batch = 32;
};

// Sessions for a server with `workers` handler threads on a machine with `cores` cores. SQLite:
// a WAL reader is a file handle and a page cache, so every thread that may run a call (workers,
// plus gRPC's own threads running short reads inline) gets one and never waits for a lease.
// PostgreSQL: each session is a server process, and past about two per core of the machine they
// only queue inside the database, so the pool stays at that even with more workers.
size_t DefaultPoolSize(Dialect dialect, size_t workers, size_t cores);

class Database {
 public:
  // Opens the pool and applies pending migrations. Throws DomainError(kUnavailable) when the
  // database cannot be reached, kInvalidArgument for a malformed URL.
  static std::unique_ptr<Database> Open(const DatabaseOptions& options);
  ~Database();

  Dialect dialect() const { return dialect_; }

  // Runs `work` in one read-write transaction and returns its result. Serialization failures
  // are retried; database errors come out as DomainError with the right kind.
  template <typename Fn>
  auto Write(Fn&& work) {
    return Run(Mode::kWrite, std::forward<Fn>(work));
  }
  // The same for reads only (no write lock taken on SQLite).
  template <typename Fn>
  auto Read(Fn&& work) {
    return Run(Mode::kRead, std::forward<Fn>(work));
  }
  // A write whose unit of work changes the database with ONE statement (reads around it are
  // fine): on PostgreSQL it runs without BEGIN and COMMIT, the statement being its own
  // transaction (one round trip instead of three); on SQLite it is Write (the group commit).
  // Never for a unit that may write twice: those writes would not commit or fail together.
  template <typename Fn>
  auto WriteOneStatement(Fn&& work) {
    return Run(dialect_ == Dialect::kPostgres ? Mode::kNone : Mode::kWrite, std::forward<Fn>(work));
  }
  // Reads with no transaction around them: each statement sees what was committed when it
  // started. Enough for one statement, or for rows that only ever change together (an order's
  // row and its checklist); it saves BEGIN and COMMIT, two round trips on PostgreSQL.
  template <typename Fn>
  auto Lookup(Fn&& work) {
    return Run(Mode::kNone, std::forward<Fn>(work));
  }

  // Keeps one pooled session for everything this thread does on this database while it lives,
  // so a call's authentication and its handler's unit of work share one lease. Acquired lazily
  // (waiting as a unit of work would), or at once with TryAcquireNow.
  class CallSession {
   public:
    explicit CallSession(Database& db);
    ~CallSession();
    CallSession(const CallSession&) = delete;
    CallSession& operator=(const CallSession&) = delete;
    // Leases a session now if one is free, without waiting; false when none is.
    bool TryAcquireNow();

   private:
    friend class Database;
    Database& db_;
    CallSession* previous_;
    std::optional<std::size_t> position_;
    bool busy_ = false;  // a unit of work runs on the session now
  };

  // How many committed units of work of this process changed calendars (claims, holds,
  // technicians), and what each changed: see calendar_changes.h.
  uint64_t calendar_generation() const { return calendar_changes_.generation(); }
  CalendarChangeLog& calendar_changes() { return calendar_changes_; }

  // SQLite: how the write path batched so far (all zero on PostgreSQL).
  GroupCommitStats WriteBatchStats() const;
  // Writes waiting for SQLite's writer thread now (0 without one).
  size_t QueuedWrites() const;

  // SQLite: whether writes go through the group commit's writer thread (SubmitWrite below).
  bool has_writer() const { return group_commit_ != nullptr; }
  // SQLite only (has_writer()): queues `work` as a unit of the writer's next transaction and
  // returns at once; the writer thread calls `done` after that transaction's COMMIT with what
  // `work` threw, or null. False when `max_queued` units wait already (GroupCommit::TrySubmit).
  bool TrySubmitWrite(std::function<void(domain::UnitOfWork&)> work, std::function<void(std::exception_ptr)> done,
                      size_t max_queued);

  // Whether the database answers now: one `SELECT 1` on a pooled session (reconnecting it if its
  // connection broke). kUnknown when no session freed up within `wait` (busy is not down).
  enum class Reachability { kUp, kDown, kUnknown };
  Reachability Ping(std::chrono::milliseconds wait);

  // For tests and tools: raw access to one session inside a transaction.
  void WithSession(const std::function<void(soci::session&)>& fn);

 private:
  enum class Mode { kRead, kWrite, kNone };
  Database(Dialect dialect, size_t pool_size, int busy_timeout_ms);
  template <typename Fn>
  auto Run(Mode mode, Fn&& work) {
    using Result = std::invoke_result_t<Fn&, domain::UnitOfWork&>;
    if constexpr (std::is_void_v<Result>) {
      RunTransaction(mode, [&](domain::UnitOfWork& uow) { work(uow); });
    } else {
      std::optional<Result> result;
      RunTransaction(mode, [&](domain::UnitOfWork& uow) { result.emplace(work(uow)); });
      return std::move(*result);
    }
  }
  void RunTransaction(Mode mode, const std::function<void(domain::UnitOfWork&)>& work);
  // BEGIN or COMMIT on `sql`.
  void RunControl(soci::session& sql, const char* statement);
  // Drops pooled session `position`'s connection (and its prepared statements) and opens a new
  // one; false when the database does not answer.
  bool Reconnect(std::size_t position);
  void OpenSession(soci::session& session, const std::string& target);
  // This thread's CallSession on this database, or null.
  CallSession* PinnedSession();

  Dialect dialect_;
  int busy_timeout_ms_;
  soci::connection_pool pool_;
  std::vector<std::unique_ptr<StatementCache>> caches_;  // one per pooled session, by position
  CalendarChangeLog calendar_changes_;
  // SQLite only: the write connection, owned by the group commit's writer thread.
  std::unique_ptr<soci::session> writer_session_;
  std::unique_ptr<StatementCache> writer_cache_;
  std::unique_ptr<GroupCommit> group_commit_;  // last: its thread stops before the rest goes
};

}  // namespace homevisit::storage
