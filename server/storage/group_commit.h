#pragma once
// SQLite's write path: one writer thread owns the write connection and commits the units of work
// that queue for it in batches, one durable COMMIT (one fsync) per batch instead of one per call.
//
// Each unit runs inside its own SAVEPOINT, so a unit that fails rolls back alone and its caller
// gets its own error while the rest of the batch commits. No caller returns before the COMMIT
// that holds its work has returned; the batch order is the commit order (and the order of the
// events' seqs). Writers of one process never meet SQLITE_BUSY; another process writing the same
// file still waits in the busy handler at BEGIN IMMEDIATE, as before. See DESIGN.md.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include <soci/soci.h>

#include "domain/repositories.h"
#include "storage/calendar_changes.h"
#include "storage/database.h"

namespace homevisit::storage {

class StatementCache;

struct GroupCommitStats {
  std::uint64_t batches = 0;
  std::uint64_t units = 0;
  std::uint64_t largest_batch = 0;
};

class GroupCommit {
 public:
  // `session` and `cache` belong to this object's thread from now on. `max_batch` bounds the
  // units per transaction (a batch's latency is the sum of its units' work plus one fsync).
  // `after_calendar_commit` gets, after each COMMIT, what the batch's committed units changed in
  // calendars (calendar_changes.h).
  GroupCommit(soci::session& session, StatementCache& cache, size_t max_batch,
              std::function<void(CalendarChange&&)> after_calendar_commit);
  // Runs what is queued, then stops the thread.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `work` in the writer's next transaction and returns once that transaction committed;
  // rethrows what `work` threw (a database error as a DomainError). Called from the writer
  // thread itself (a unit of work that writes again), it runs at once inside the running unit.
  void Run(const std::function<void(domain::UnitOfWork&)>& work);

  // Queues `work` for the writer and returns at once; once the transaction that holds it has
  // committed (or `work` failed and was rolled back alone, or the transaction was lost), the
  // writer thread calls `done` with what `work` threw, or null. `done` runs on the writer: it
  // must be short and must not block (send a reply, not wait for one). False, and nothing
  // queued, when `max_queued` units wait already or the writer is stopping.
  bool TrySubmit(std::function<void(domain::UnitOfWork&)> work, std::function<void(std::exception_ptr)> done,
                 size_t max_queued);

  GroupCommitStats stats() const;
  // Units waiting for the writer now.
  size_t queued() const;

 private:
  struct Unit;
  void WriterLoop();
  void RunBatch(std::deque<Unit*>& batch);
  // Marks the units answered and wakes their callers.
  void Answer(const std::deque<Unit*>& batch);
  // Runs one unit inside a savepoint; false when the transaction itself is lost.
  bool RunUnit(Unit& unit);
  void RunNested(const std::function<void(domain::UnitOfWork&)>& work);

  soci::session& session_;
  StatementCache& cache_;
  const size_t max_batch_;
  const std::function<void(CalendarChange&&)> after_calendar_commit_;
  CalendarChange batch_calendar_change_;  // writer thread only
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Unit*> queue_;
  bool stopping_ = false;
  GroupCommitStats stats_;
  std::thread writer_;  // last: starts once everything above exists
};

}  // namespace homevisit::storage
