#include "observability/metrics.h"
#include "storage/group_commit.h"

#include <pthread.h>

#include <exception>
#include <vector>

#include "domain/errors.h"
#include "storage/calendar_changes.h"
#include "storage/dialect.h"
#include "storage/sql.h"  // Execute: control statements too go through the statement cache
#include "storage/statement_cache.h"
#include "storage/stores.h"

namespace homevisit::storage {

struct GroupCommit::Unit {
  explicit Unit(const std::function<void(domain::UnitOfWork&)>& w) : work(w) {}
  // A submitted unit owns its work and is answered by `then` instead of a waiting caller.
  Unit(std::function<void(domain::UnitOfWork&)> w, std::function<void(std::exception_ptr)> t)
      : owned(std::move(w)), work(owned), then(std::move(t)) {}
  std::function<void(domain::UnitOfWork&)> owned;
  const std::function<void(domain::UnitOfWork&)>& work;
  std::function<void(std::exception_ptr)> then;
  std::exception_ptr error;
  bool done = false;           // under GroupCommit::mutex_
  std::condition_variable answered;
};

namespace {

// The GroupCommit whose writer is this thread, if any.
thread_local GroupCommit* writer_of_this_thread = nullptr;

std::exception_ptr AsDomainError(const soci::soci_error& e) {
  return std::make_exception_ptr(ToDomainError(Classify(Dialect::kSqlite, e)));
}

}  // namespace

GroupCommit::GroupCommit(soci::session& session, StatementCache& cache, size_t max_batch,
                         std::function<void(CalendarChange&&)> after_calendar_commit)
    : session_(session),
      cache_(cache),
      max_batch_(std::max<size_t>(1, max_batch)),
      after_calendar_commit_(std::move(after_calendar_commit)),
      writer_([this] { WriterLoop(); }) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

GroupCommitStats GroupCommit::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

size_t GroupCommit::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommit::Run(const std::function<void(domain::UnitOfWork&)>& work) {
  if (writer_of_this_thread == this) {
    RunNested(work);
    return;
  }
  Unit unit(work);
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(&unit);
  }
  wake_.notify_one();
  {
    std::unique_lock lock(mutex_);
    unit.answered.wait(lock, [&] { return unit.done; });
  }
  if (unit.error) std::rethrow_exception(unit.error);
}

bool GroupCommit::TrySubmit(std::function<void(domain::UnitOfWork&)> work,
                            std::function<void(std::exception_ptr)> done, size_t max_queued) {
  auto unit = std::make_unique<Unit>(std::move(work), std::move(done));
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued) {
      if (!stopping_) observability::CountRejectedCall("writer");
      return false;
    }
    queue_.push_back(unit.release());  // deleted once answered (Answer)
  }
  wake_.notify_one();
  return true;
}

void GroupCommit::RunNested(const std::function<void(domain::UnitOfWork&)>& work) {
  auto undo = [&] {
    Execute(session_, "ROLLBACK TO nested_unit");
    Execute(session_, "RELEASE nested_unit");
  };
  Execute(session_, "SAVEPOINT nested_unit");
  try {
    SociUnitOfWork uow(session_, Dialect::kSqlite);
    work(uow);
  } catch (const soci::soci_error& e) {
    undo();
    std::rethrow_exception(AsDomainError(e));
  } catch (...) {
    undo();
    throw;
  }
  Execute(session_, "RELEASE nested_unit");
}

void GroupCommit::WriterLoop() {
  pthread_setname_np(pthread_self(), "hv-writer");  // for top -H and perf
  writer_of_this_thread = this;
  StatementCache::Scope active(cache_);
  std::deque<Unit*> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      // Everything that queued while the previous batch ran, up to the bound.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      ++stats_.batches;
      stats_.units += batch.size();
      stats_.largest_batch = std::max<std::uint64_t>(stats_.largest_batch, batch.size());
    }
    observability::ObserveWriteBatch(batch.size());
    RunBatch(batch);
    batch.clear();
  }
}

void GroupCommit::RunBatch(std::deque<Unit*>& batch) {
  auto fail_all = [&](std::exception_ptr error) {
    for (Unit* unit : batch) {
      if (!unit->error) unit->error = error;
    }
  };
  try {
    Execute(session_, "BEGIN IMMEDIATE");
  } catch (const soci::soci_error& e) {
    // Another process held the write lock past the busy timeout, or the file is unusable.
    fail_all(AsDomainError(e));
    Answer(batch);
    return;
  }
  size_t ran = 0;
  bool lost = false;
  batch_calendar_change_ = {};
  for (; ran < batch.size() && !lost; ++ran) lost = !RunUnit(*batch[ran]);
  if (lost) {
    // SQLite rolled the whole transaction back (disk full, I/O error): nothing of this batch
    // committed, so every unit that ran gets the error; the ones not run yet go first next time.
    std::exception_ptr error = batch[ran - 1]->error;
    try {
      Execute(session_, "ROLLBACK");
    } catch (const soci::soci_error&) {
      // Already rolled back by SQLite.
    }
    {
      std::lock_guard lock(mutex_);
      for (size_t i = batch.size(); i > ran; --i) queue_.push_front(batch[i - 1]);
    }
    batch.resize(ran);
    fail_all(error);
  } else {
    try {
      Execute(session_, "COMMIT");
      if (after_calendar_commit_) after_calendar_commit_(std::exchange(batch_calendar_change_, {}));
    } catch (const soci::soci_error& e) {
      try {
        Execute(session_, "ROLLBACK");
      } catch (const soci::soci_error&) {
      }
      fail_all(AsDomainError(e));
    }
  }
  // Only now, after COMMIT returned: the callers may answer.
  Answer(batch);
}

void GroupCommit::Answer(const std::deque<Unit*>& batch) {
  std::vector<Unit*> submitted;
  {
    // Notified under the lock: a caller cannot see `done`, return and destroy its Unit (and the
    // condition variable in it) before this loop is past it. After the lock, only submitted
    // units (owned here) are touched.
    std::lock_guard lock(mutex_);
    for (Unit* unit : batch) {
      if (unit->then) {
        submitted.push_back(unit);
        continue;
      }
      unit->done = true;
      unit->answered.notify_one();
    }
  }
  for (Unit* unit : submitted) {
    try {
      unit->then(unit->error);
    } catch (...) {
      // An answer that cannot be sent is the caller's loss; the writer goes on.
    }
    delete unit;
  }
}

bool GroupCommit::RunUnit(Unit& unit) {
  try {
    Execute(session_, "SAVEPOINT unit");
  } catch (const soci::soci_error& e) {
    unit.error = AsDomainError(e);
    return false;
  }
  TakeCalendarChange();
  try {
    SociUnitOfWork uow(session_, Dialect::kSqlite);
    unit.work(uow);
    Execute(session_, "RELEASE unit");
    batch_calendar_change_.Merge(TakeCalendarChange());
    return true;
  } catch (const soci::soci_error& e) {
    unit.error = AsDomainError(e);
  } catch (...) {
    unit.error = std::current_exception();
  }
  TakeCalendarChange();  // undone with the unit
  // Undo this unit alone; the batch goes on. If even that fails, the transaction is gone.
  try {
    Execute(session_, "ROLLBACK TO unit");
    Execute(session_, "RELEASE unit");
    return true;
  } catch (const soci::soci_error&) {
    return false;
  }
}

}  // namespace homevisit::storage
