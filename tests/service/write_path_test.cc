// The write path (issue 12): SQLite's group commit (units batched into one transaction, each in
// its own savepoint) and PostgreSQL's event log without a global lock (events positioned in
// commit-safe order once no running transaction can precede them).
#include <gtest/gtest.h>

#include <soci/postgresql/soci-postgresql.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/errors.h"
#include "storage/dialect.h"
#include "storage/group_commit.h"
#include "storage/stores.h"
#include "test_channels.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

// ServeWrite's admission (SQLite): a write refused for its caller (no valid token, a role the
// method does not allow) is answered where gRPC delivered it, before anything is queued for the
// writer, so refused calls take no place in its queue and no time in its batches.
class WriteAdmissionTest : public ServiceTest {};

TEST_F(WriteAdmissionTest, ARefusedWriteIsAnsweredWithoutReachingTheWriter) {
  if (db_->is_postgres()) GTEST_SKIP() << "the writer is SQLite's";
  CreateOk(ValidOrder(), "admitted-" + UniqueSuffix());
  const storage::GroupCommitStats before = server_->database().WriteBatchStats();
  ASSERT_GE(before.units, 1u) << "an intake goes through the writer";
  const std::string admin = IssueToken(db_->url(), domain::Role::kAdmin);  // admins take no intakes
  const std::pair<std::string, grpc::StatusCode> callers[] = {
      {admin, grpc::StatusCode::PERMISSION_DENIED},
      {"not-a-token", grpc::StatusCode::UNAUTHENTICATED},
  };
  for (const auto& [token, expected] : callers) {
    for (int i = 0; i < 5; ++i) {
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + token);
      v1::CreateServiceOrderRequest request;
      *request.mutable_service_order() = ValidOrder();
      request.set_request_id(absl::StrCat("refused-", UniqueSuffix()));
      v1::ServiceOrder out;
      EXPECT_EQ(orders_->CreateServiceOrder(&context, request, &out).error_code(), expected) << token;
    }
  }
  // The server's own sweeps (late alerts, lapsed holds, old request ids) may write meanwhile;
  // refused calls that reached the writer would add one unit each, ten in all.
  const storage::GroupCommitStats after = server_->database().WriteBatchStats();
  EXPECT_LT(after.units - before.units, 10u);
  // The writer still takes the next admitted call.
  CreateOk(ValidOrder(), "admitted-" + UniqueSuffix());
  EXPECT_GT(server_->database().WriteBatchStats().units, after.units);
}

// --- SQLite: group commit -----------------------------------------------------------------

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>();
    if (db_->is_postgres()) GTEST_SKIP() << "group commit is SQLite's write path";
    storage::DatabaseOptions options;
    options.url = db_->url();
    options.pool_size = 2;
    database_ = storage::Database::Open(options);
  }

  // Sets marker `name` in a unit of work of its own.
  void Mark(const std::string& name) {
    database_->Write([&](domain::UnitOfWork& work) { work.markers().SetOnce(name, absl::Now()); });
  }

  // Whether marker `name` is committed, read through a reader session (not the writer's).
  bool Committed(const std::string& name) {
    int count = 0;
    database_->WithSession([&](soci::session& sql) {
      sql << "SELECT COUNT(*) FROM markers WHERE name = :n", soci::use(name), soci::into(count);
    });
    return count == 1;
  }

  // Occupies the writer with a unit that waits for `release`; returns once that unit runs.
  std::future<void> BlockWriter(std::shared_future<void> release) {
    auto started = std::make_shared<std::promise<void>>();
    std::future<void> running = started->get_future();
    std::future<void> done = std::async(std::launch::async, [this, release, started] {
      database_->Write([&](domain::UnitOfWork&) {
        started->set_value();
        release.wait();
      });
    });
    running.wait();
    return done;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<storage::Database> database_;
};

TEST_F(GroupCommitTest, ConcurrentWritesShareCommitsAndEachIsCommittedWhenItsCallerReturns) {
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> not_yet_visible{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string name = absl::StrCat("m-", t, "-", i);
        Mark(name);
        if (!Committed(name)) ++not_yet_visible;  // a caller must never return before its COMMIT
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(not_yet_visible.load(), 0);
  storage::GroupCommitStats stats = database_->WriteBatchStats();
  EXPECT_GE(stats.units, static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_LE(stats.batches, stats.units);
  int count = 0;
  database_->WithSession([&](soci::session& sql) { sql << "SELECT COUNT(*) FROM markers", soci::into(count); });
  EXPECT_EQ(count, kThreads * kEach);
}

TEST_F(GroupCommitTest, AFailingUnitRollsBackAloneAndTheRestOfItsBatchCommits) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::future<void> blocker = BlockWriter(released);
  // Three units queue behind the blocker, so they run as one batch.
  auto ok_first = std::async(std::launch::async, [&] { Mark("first"); });
  auto failing = std::async(std::launch::async, [&] {
    database_->Write([&](domain::UnitOfWork& work) {
      work.markers().SetOnce("doomed", absl::Now());
      throw domain::DomainError(domain::ErrorKind::kFailedPrecondition, "TEST_REFUSED", "refused on purpose");
    });
  });
  auto ok_last = std::async(std::launch::async, [&] { Mark("last"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all three are queued by now
  const std::uint64_t batches_before = database_->WriteBatchStats().batches;
  release.set_value();
  blocker.get();
  ok_first.get();
  ok_last.get();
  try {
    failing.get();
    ADD_FAILURE() << "the failing unit's caller got no error";
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.reason(), "TEST_REFUSED");
  }
  EXPECT_TRUE(Committed("first"));
  EXPECT_TRUE(Committed("last"));
  EXPECT_FALSE(Committed("doomed"));
  storage::GroupCommitStats stats = database_->WriteBatchStats();
  EXPECT_EQ(stats.batches, batches_before + 1) << "the three queued units should share one transaction";
  EXPECT_GE(stats.largest_batch, 3u);
}

// ServeWrite's path: a submitted unit is answered on the writer after its batch's COMMIT (or
// with its own error), the caller never waits, and a full queue refuses instead of growing.
TEST_F(GroupCommitTest, ASubmittedUnitIsAnsweredAfterItsCommitAndAFullQueueRefuses) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::future<void> blocker = BlockWriter(released);
  struct Answer {
    std::promise<std::string> result;  // "ok", or the error's reason
    bool committed_when_answered = false;
  };
  Answer ok, refused;
  auto answer = [this](Answer& a, const std::string& marker) {
    return [this, &a, marker](std::exception_ptr error) {
      a.committed_when_answered = Committed(marker);
      if (!error) return a.result.set_value("ok");
      try {
        std::rethrow_exception(error);
      } catch (const domain::DomainError& e) {
        a.result.set_value(e.reason());
      }
    };
  };
  ASSERT_TRUE(database_->TrySubmitWrite(
      [](domain::UnitOfWork& work) { work.markers().SetOnce("submitted", absl::Now()); }, answer(ok, "submitted"), 2));
  ASSERT_TRUE(database_->TrySubmitWrite(
      [](domain::UnitOfWork& work) {
        work.markers().SetOnce("submitted-doomed", absl::Now());
        throw domain::DomainError(domain::ErrorKind::kFailedPrecondition, "TEST_REFUSED", "refused on purpose");
      },
      answer(refused, "submitted-doomed"), 2));
  bool third_ran = false;
  EXPECT_FALSE(database_->TrySubmitWrite([&](domain::UnitOfWork&) { third_ran = true; },
                                         [](std::exception_ptr) {}, 2))
      << "two units wait already: the third is refused, not queued";
  std::future<std::string> ok_result = ok.result.get_future(), refused_result = refused.result.get_future();
  EXPECT_EQ(ok_result.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout)
      << "answered before its transaction ran";
  release.set_value();
  blocker.get();
  EXPECT_EQ(ok_result.get(), "ok");
  EXPECT_TRUE(ok.committed_when_answered) << "answered before its COMMIT";
  EXPECT_EQ(refused_result.get(), "TEST_REFUSED");
  EXPECT_FALSE(Committed("submitted-doomed"));
  EXPECT_FALSE(third_ran);
}

// Each unit runs in a savepoint, so SQLite keeps a statement journal of the pages it changes.
// Past 64 KiB that journal used to spill into a temporary file (unlinked at once, so only its
// descriptor shows it), created and closed again on every COMMIT; it stays in memory now.
TEST_F(GroupCommitTest, AUnitsStatementJournalStaysInMemory) {
  // Markers spread over many pages, then one unit that changes most of them.
  database_->Write([&](domain::UnitOfWork& work) {
    for (int i = 0; i < 4000; i += 2) work.markers().SetOnce(absl::StrCat("journal-probe-", 100000 + i), absl::Now());
  });
  auto open_temporary_files = [] {
    int found = 0;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code error;
      const std::string target = std::filesystem::read_symlink(fd.path(), error).string();
      if (!error && target.find("etilqs_") != std::string::npos) ++found;  // SQLite's temporary files
    }
    return found;
  };
  int during = -1;
  database_->Write([&](domain::UnitOfWork& work) {
    for (int i = 1; i < 4000; i += 2) work.markers().SetOnce(absl::StrCat("journal-probe-", 100000 + i), absl::Now());
    during = open_temporary_files();
  });
  EXPECT_EQ(during, 0) << "the statement journal spilled into a temporary file";
  EXPECT_TRUE(Committed("journal-probe-103999"));
}

TEST_F(GroupCommitTest, ADatabaseErrorInOneUnitIsThatUnitsErrorOnly) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::future<void> blocker = BlockWriter(released);
  auto ok = std::async(std::launch::async, [&] { Mark("kept"); });
  // A foreign key violation: an event for an order that does not exist.
  auto violating = std::async(std::launch::async, [&] {
    database_->Write([&](domain::UnitOfWork& work) {
      work.markers().SetOnce("undone", absl::Now());
      domain::Event event;
      event.order_id = "no-such-order";
      event.file_number = "F-1";
      event.type = domain::EventType::kOrderCreated;
      event.time = absl::Now();
      work.events().Append(event);
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  release.set_value();
  blocker.get();
  ok.get();
  try {
    violating.get();
    ADD_FAILURE() << "the violating unit's caller got no error";
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.reason(), "FOREIGN_KEY_VIOLATION");
  }
  EXPECT_TRUE(Committed("kept"));
  EXPECT_FALSE(Committed("undone"));
  Mark("after");  // the writer goes on
  EXPECT_TRUE(Committed("after"));
}

TEST_F(GroupCommitTest, AWriteInsideAUnitJoinsItAndFailsWithIt) {
  Mark("outer-ok");
  database_->Write([&](domain::UnitOfWork& work) {
    work.markers().SetOnce("outer", absl::Now());
    database_->Write([&](domain::UnitOfWork& inner) { inner.markers().SetOnce("inner", absl::Now()); });
  });
  EXPECT_TRUE(Committed("outer"));
  EXPECT_TRUE(Committed("inner"));
  EXPECT_THROW(database_->Write([&](domain::UnitOfWork& work) {
    database_->Write([&](domain::UnitOfWork& inner) { inner.markers().SetOnce("inner-lost", absl::Now()); });
    work.markers().SetOnce("outer-lost", absl::Now());
    throw std::runtime_error("outer fails after the nested write");
  }),
               std::runtime_error);
  EXPECT_FALSE(Committed("inner-lost"));
  EXPECT_FALSE(Committed("outer-lost"));
}

// --- The event log: without a global lock on PostgreSQL; two replicas writing on either database -

class EventLogTest : public ServiceTest {
 protected:
  // Every event after `after` on the server behind `stub`, by cursor.
  static std::vector<v1::Event> EventsAfter(v1::EventService::Stub& stub, const std::string& after) {
    v1::ListEventsRequest request;
    request.set_page_size(1000);
    v1::ListEventsResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub.ListEvents(&context, request, &response).ok());
    std::vector<v1::Event> events;
    long long from = 0;
    EXPECT_TRUE(absl::SimpleAtoi(after, &from));
    for (const auto& e : response.events()) {
      long long cursor = 0;
      EXPECT_TRUE(absl::SimpleAtoi(e.cursor(), &cursor));
      if (cursor > from) events.push_back(e);
    }
    return events;
  }

  static std::vector<std::string> Cursors(const std::vector<v1::Event>& events) {
    std::vector<std::string> cursors;
    for (const auto& e : events) cursors.push_back(absl::StrCat(e.cursor(), " ", e.service_order(), " ", e.type()));
    return cursors;
  }
};

TEST_F(EventLogTest, AnEventASlowTransactionCommitsLateReachesEveryReplicaInOneOrderAndNoneIsSkipped) {
  if (!db_->is_postgres()) GTEST_SKIP() << "SQLite's writers commit one at a time: seq is commit order";
  api::ServerOptions options = ReplicaOptions();
  // Its reads wait only briefly for the slow transaction below: that transaction holds back the
  // log of every database in the cluster (other tests' too) while it is open, so it stays short.
  options.watch.read_your_writes_wait = absl::Milliseconds(200);
  auto other = api::Server::Start(options);
  auto other_events = v1::EventService::NewStub(ChannelTo(*other));

  v1::ServiceOrder first = CreateOk(ValidOrder(), "slow-first");
  std::vector<v1::Event> so_far = EventsOf(first.name());
  ASSERT_EQ(so_far.size(), 1u);
  const std::string start = so_far.back().cursor();

  // A watcher on the other replica resumes from the first event's cursor.
  grpc::ClientContext watch_context;
  watch_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::WatchEventsRequest watch;
  watch.set_after_cursor(start);
  auto reader = other_events->WatchEvents(&watch_context, watch);

  // A slow transaction appends an event (its id is taken now) and stays open...
  soci::session slow(*soci::factory_postgresql(), storage::PostgresConnectString(db_->url()));
  slow << "BEGIN";
  storage::SociEventRepository slow_events(slow, storage::Dialect::kPostgres);
  domain::Event late;
  late.order_id = first.name().substr(std::string("serviceOrders/").size());
  late.file_number = first.file_number();
  late.type = domain::EventType::kOrderUpdated;
  late.actor = {"test-slow-writer", domain::Role::kAdmin, ""};
  late.time = absl::Now();
  slow_events.Append(late);
  // ...while a later intake commits its event.
  v1::ServiceOrder second = CreateOk(ValidOrder(), "slow-second");
  // Neither is readable yet: the later one would otherwise be delivered before the slow one
  // and a watcher resuming from its cursor would skip the slow one for good.
  EXPECT_EQ(EventsAfter(*other_events, start).size(), 0u);

  slow << "COMMIT";
  std::vector<v1::Event> here = EventsAfter(*events_, start);
  std::vector<v1::Event> there = EventsAfter(*other_events, start);
  ASSERT_EQ(here.size(), 2u);
  EXPECT_EQ(here[0].service_order(), first.name());  // the slow transaction began first
  EXPECT_EQ(here[0].type(), v1::Event::TYPE_ORDER_UPDATED);
  EXPECT_EQ(here[1].service_order(), second.name());
  EXPECT_EQ(Cursors(here), Cursors(there));
  long long a = 0, b = 0, s = 0;
  ASSERT_TRUE(absl::SimpleAtoi(start, &s) && absl::SimpleAtoi(here[0].cursor(), &a) &&
              absl::SimpleAtoi(here[1].cursor(), &b));
  EXPECT_EQ(a, s + 1);  // dense: no gap for a resuming watcher to wonder about
  EXPECT_EQ(b, s + 2);

  std::vector<v1::Event> watched;
  v1::WatchEventsResponse response;
  while (watched.size() < 2 && reader->Read(&response)) watched.push_back(response.event());
  EXPECT_EQ(Cursors(watched), Cursors(here));
  watch_context.TryCancel();
  other->Shutdown(absl::Seconds(2));
}

TEST_F(EventLogTest, WritersOnTwoReplicasAtOnceLeaveOneGapFreeLogBothReplicasAgreeOn) {
  api::ServerOptions options = ReplicaOptions();
  options.database.pool_size = 4;
  auto other = api::Server::Start(options);
  auto other_channel = ChannelTo(*other);
  auto other_orders = v1::ServiceOrderService::NewStub(other_channel);
  auto other_events = v1::EventService::NewStub(other_channel);
  constexpr int kEach = 25;
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        v1::CreateServiceOrderRequest request;
        *request.mutable_service_order() = ValidOrder();
        request.set_request_id(absl::StrCat("two-replicas-", w, "-", i));
        v1::ServiceOrder out;
        grpc::ClientContext context;
        auto& stub = w % 2 ? *other_orders : *orders_;
        EXPECT_TRUE(stub.CreateServiceOrder(&context, request, &out).ok());
      }
    });
  }
  for (auto& writer : writers) writer.join();
  std::vector<v1::Event> here = EventsAfter(*events_, "0");
  std::vector<v1::Event> there = EventsAfter(*other_events, "0");
  ASSERT_EQ(here.size(), 4u * kEach);
  EXPECT_EQ(Cursors(here), Cursors(there));
  for (size_t i = 1; i < here.size(); ++i) {
    long long previous = 0, cursor = 0;
    ASSERT_TRUE(absl::SimpleAtoi(here[i - 1].cursor(), &previous) && absl::SimpleAtoi(here[i].cursor(), &cursor));
    EXPECT_EQ(cursor, previous + 1) << "at " << i;
  }
  other->Shutdown(absl::Seconds(2));
}

}  // namespace
}  // namespace homevisit::testing
