// The read path (issue 11): statements prepared once per pooled session, a short read served
// inline or handed to the pool when no session is free, the credential cache's revocation bound
// on this replica and on another, and repeated filters that cannot grow a query.
#include <gmock/gmock.h>

#include <atomic>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "api/credential_cache.h"
#include "homevisit/v1/credential.grpc.pb.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "storage/sql.h"
#include "storage/statement_cache.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using storage::SqlParams;
using storage::StatementCache;

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>();
    storage::DatabaseOptions options;
    options.url = db_->url();
    options.pool_size = 1;
    database_ = storage::Database::Open(options);
    database_->WithSession([](soci::session& sql) {
      sql << "CREATE TABLE cache_probe (id INTEGER PRIMARY KEY, label TEXT NOT NULL)";
      sql << "INSERT INTO cache_probe (id, label) VALUES (1, 'uno')";
      sql << "INSERT INTO cache_probe (id, label) VALUES (2, 'dos')";
    });
  }

  // The label of row `id` through `cache`, or "" when there is none.
  static std::string LabelOf(soci::session& sql, int id) {
    SqlParams p;
    std::string label;
    storage::QueryRows(sql, absl::StrCat("SELECT label FROM cache_probe WHERE id = ", p.Int(id)), p,
                       [&](const soci::row& r) { label = storage::GetText(r, "label"); });
    return label;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<storage::Database> database_;
};

TEST_F(StatementCacheTest, RunsOneStatementAgainWithNewValues) {
  database_->WithSession([&](soci::session& sql) {
    StatementCache cache(sql, database_->dialect());
    StatementCache::Scope active(cache);
    EXPECT_EQ(LabelOf(sql, 1), "uno");
    EXPECT_EQ(LabelOf(sql, 2), "dos");
    EXPECT_EQ(LabelOf(sql, 3), "");
    EXPECT_EQ(LabelOf(sql, 1), "uno");
    EXPECT_EQ(cache.size(), 1u) << "one SELECT text: prepared once";
    SqlParams p;
    std::string statement = absl::StrCat("UPDATE cache_probe SET label = ", p.Text("tres"), " WHERE id = ", p.Int(2));
    EXPECT_EQ(storage::Execute(sql, statement, p), 1);
    SqlParams q;
    statement = absl::StrCat("UPDATE cache_probe SET label = ", q.Text("x"), " WHERE id = ", q.Int(9));
    EXPECT_EQ(storage::Execute(sql, statement, q), 0);
    EXPECT_EQ(LabelOf(sql, 2), "tres");
    EXPECT_EQ(cache.size(), 2u);
    if (database_->dialect() == storage::Dialect::kPostgres) {
      // Prepared on the server once each, and kept (not deallocated after each run).
      long long prepared = 0;
      sql << "SELECT COUNT(*) FROM pg_prepared_statements", soci::into(prepared);
      EXPECT_EQ(prepared, 2);
    }
  });
}

TEST_F(StatementCacheTest, AFailedRunLeavesTheCacheUsable) {
  database_->WithSession([&](soci::session& sql) {
    StatementCache cache(sql, database_->dialect());
    StatementCache::Scope active(cache);
    auto insert = [&](int id) {
      SqlParams p;
      return storage::Execute(
          sql, absl::StrCat("INSERT INTO cache_probe (id, label) VALUES (", p.Int(id), ", ", p.Text("n"), ")"), p);
    };
    EXPECT_EQ(insert(10), 1);
    EXPECT_THROW(insert(10), soci::soci_error);  // primary key taken
    EXPECT_EQ(insert(11), 1);
    EXPECT_EQ(LabelOf(sql, 11), "n");
  });
}

TEST_F(StatementCacheTest, AStatementRunningFurtherUpTheStackRunsUncachedAgain) {
  database_->WithSession([&](soci::session& sql) {
    StatementCache cache(sql, database_->dialect());
    StatementCache::Scope active(cache);
    SqlParams p;
    std::vector<std::string> outer, inner;
    // On PostgreSQL the first result is held client-side; on SQLite the outer statement is
    // mid-step while the same text runs again for each of its rows.
    storage::QueryRows(sql, absl::StrCat("SELECT label FROM cache_probe WHERE id <= ", p.Int(2), " ORDER BY id"), p,
                       [&](const soci::row& r) {
                         outer.push_back(storage::GetText(r, "label"));
                         SqlParams q;
                         storage::QueryRows(
                             sql, absl::StrCat("SELECT label FROM cache_probe WHERE id <= ", q.Int(1), " ORDER BY id"),
                             q, [&](const soci::row& s) { inner.push_back(storage::GetText(s, "label")); });
                       });
    EXPECT_THAT(outer, ::testing::ElementsAre("uno", "dos"));
    EXPECT_THAT(inner, ::testing::ElementsAre("uno", "uno"));
    EXPECT_EQ(cache.size(), 1u);
  });
}

TEST_F(StatementCacheTest, AFullCacheRunsNewShapesUncached) {
  database_->WithSession([&](soci::session& sql) {
    StatementCache cache(sql, database_->dialect(), 2);
    StatementCache::Scope active(cache);
    for (int n = 1; n <= 5; ++n) {
      SqlParams p;
      std::vector<std::string> ids;
      for (int i = 0; i < n; ++i) ids.push_back(p.Int(1));
      int rows = 0;
      storage::QueryRows(sql, absl::StrCat("SELECT id FROM cache_probe WHERE id IN (", absl::StrJoin(ids, ", "), ")"),
                         p, [&](const soci::row&) { ++rows; });
      EXPECT_EQ(rows, 1);
    }
    EXPECT_EQ(cache.size(), 2u);
  });
}

// The accessors find columns in the names each statement read once: a row callback that runs a
// query of another shape (cached or not) still reads its own row right afterwards, in any order.
TEST_F(StatementCacheTest, ColumnsAreFoundByNameInTheirOwnRowAcrossNestedQueries) {
  database_->WithSession([&](soci::session& sql) {
    for (bool cached : {true, false}) {
      SCOPED_TRACE(cached ? "cached" : "uncached");
      StatementCache cache(sql, database_->dialect(), cached ? 8 : 0);
      StatementCache::Scope active(cache);
      std::vector<std::string> seen;
      for (int round = 0; round < 2; ++round) {  // the second round reuses the cached names
        SqlParams p;
        storage::QueryRows(
            sql, absl::StrCat("SELECT id, label, id + 10 AS shifted FROM cache_probe WHERE id <= ", p.Int(2),
                              " ORDER BY id"),
            p, [&](const soci::row& r) {
              SqlParams q;
              std::string inner;
              storage::QueryRows(sql, absl::StrCat("SELECT label AS other, id FROM cache_probe WHERE id = ", q.Int(1)),
                                 q, [&](const soci::row& s) {
                                   inner = absl::StrCat(storage::GetText(s, "other"), storage::GetInt(s, "id"));
                                   EXPECT_THROW(storage::GetText(s, "label"), soci::soci_error) << "not its column";
                                 });
              seen.push_back(absl::StrCat(storage::GetInt(r, "shifted"), storage::GetText(r, "label"),
                                          storage::GetInt(r, "id"), "/", inner));
            });
      }
      EXPECT_THAT(seen, ::testing::ElementsAre("11uno1/uno1", "12dos2/uno1", "11uno1/uno1", "12dos2/uno1"));
    }
  });
}

TEST(CredentialCacheTest, ForgetsAfterItsTtlAndOnClear) {
  api::CredentialCache cache(absl::Seconds(1));
  domain::Actor actor{"dot-1", domain::Role::kDotOperator, ""};
  absl::Time t0 = absl::FromUnixSeconds(1000);
  cache.Put("h", actor, t0, cache.generation());
  EXPECT_TRUE(cache.Find("h", t0 + absl::Milliseconds(999)).has_value());
  EXPECT_FALSE(cache.Find("h", t0 + absl::Seconds(1)).has_value());
  EXPECT_FALSE(cache.Find("other", t0).has_value());
  cache.Put("h", actor, t0, cache.generation());
  cache.Clear();
  EXPECT_FALSE(cache.Find("h", t0).has_value());
  // A read that began before a revocation cleared the cache is not stored.
  uint64_t before = cache.generation();
  cache.Clear();
  cache.Put("h", actor, t0, before);
  EXPECT_FALSE(cache.Find("h", t0).has_value());
}

class ReadPathTest : public ServiceTest {};

TEST_F(ReadPathTest, AShortReadWaitsInThePoolWhenNoSessionIsFree) {
  StopServer();
  api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.database.url = db_->url();
  options.database.pool_size = 1;  // held below: the read cannot run inline
  options.time_zone = absl::FixedTimeZone(-6 * 3600);
  options.worker_threads = 2;
  server_ = api::Server::Start(options);
  channel_ = AutoTokenChannel(absl::StrCat("127.0.0.1:", server_->port()), db_->url());
  orders_ = v1::ServiceOrderService::NewStub(channel_);
  v1::ServiceOrder created = CreateOk(ValidOrder(), "inline-" + UniqueSuffix());
  {
    // Once with the session free: served (inline).
    grpc::ClientContext c;
    v1::GetServiceOrderRequest r;
    r.set_name(created.name());
    v1::ServiceOrder got;
    ASSERT_TRUE(orders_->GetServiceOrder(&c, r, &got).ok());
  }
  std::promise<void> release;
  std::promise<void> holding;
  std::thread holder([&] {
    server_->database().WithSession([&](soci::session&) {
      holding.set_value();
      release.get_future().wait();
    });
  });
  holding.get_future().wait();
  auto pending = std::async(std::launch::async, [&] {
    grpc::ClientContext c;
    c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(4));
    v1::GetServiceOrderRequest r;
    r.set_name(created.name());
    v1::ServiceOrder got;
    grpc::Status status = orders_->GetServiceOrder(&c, r, &got);
    return std::make_pair(status, got);
  });
  EXPECT_EQ(pending.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "answered without a database session";
  release.set_value();
  holder.join();
  auto [status, got] = pending.get();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.name(), created.name());
}

TEST_F(ReadPathTest, ARevocationHoldsAtOnceHereAndWithinTheCacheBoundOnAnotherReplica) {
  api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.database.url = db_->url();
  options.database.pool_size = 2;
  options.time_zone = absl::FixedTimeZone(-6 * 3600);
  options.worker_threads = 2;
  auto other = api::Server::Start(options);  // a second replica on the same database

  std::string admin_token = IssueToken(db_->url(), domain::Role::kAdmin);
  std::string token = IssueToken(db_->url(), domain::Role::kDispatcher);
  auto here = v1::TechnicianService::NewStub(TokenChannel(absl::StrCat("127.0.0.1:", server_->port()), token));
  auto there = v1::TechnicianService::NewStub(TokenChannel(absl::StrCat("127.0.0.1:", other->port()), token));
  auto list = [](v1::TechnicianService::Stub& stub) {
    grpc::ClientContext c;
    v1::ListTechniciansResponse out;
    return stub.ListTechnicians(&c, {}, &out).error_code();
  };
  ASSERT_EQ(list(*here), grpc::StatusCode::OK);
  ASSERT_EQ(list(*there), grpc::StatusCode::OK);  // now cached on both replicas

  auto admin = v1::CredentialService::NewStub(
      TokenChannel(absl::StrCat("127.0.0.1:", server_->port()), admin_token));
  std::string name;
  {
    grpc::ClientContext c;
    v1::ListCredentialsResponse all;
    ASSERT_TRUE(admin->ListCredentials(&c, {}, &all).ok());
    for (const auto& credential : all.credentials()) {
      if (credential.role() == v1::ROLE_DISPATCHER) name = credential.name();
    }
  }
  ASSERT_FALSE(name.empty());
  {
    grpc::ClientContext c;
    v1::RevokeCredentialRequest r;
    r.set_name(name);
    v1::Credential revoked;
    ASSERT_TRUE(admin->RevokeCredential(&c, r, &revoked).ok());
  }
  absl::Time revoked_at = absl::Now();
  EXPECT_EQ(list(*here), grpc::StatusCode::UNAUTHENTICATED) << "the revoking replica must refuse at once";
  // The other replica refuses within the cache's bound (one second after the commit).
  grpc::StatusCode code = grpc::StatusCode::OK;
  while (absl::Now() - revoked_at < api::CredentialCache::kDefaultTtl + absl::Milliseconds(500)) {
    code = list(*there);
    if (code != grpc::StatusCode::OK) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(code, grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_LE(absl::Now() - revoked_at, api::CredentialCache::kDefaultTtl + absl::Milliseconds(500));
  other->Shutdown(absl::Seconds(2));
}

TEST_F(ReadPathTest, RepeatedFiltersAreCappedAndDeduplicated) {
  CreateOk(ValidOrder(), "filters-" + UniqueSuffix());
  {
    grpc::ClientContext c;
    v1::ListServiceOrdersRequest r;
    for (int i = 0; i < 60000; ++i) r.add_states(v1::ServiceOrder::STATE_REQUESTED);
    v1::ListServiceOrdersResponse out;
    grpc::Status status = orders_->ListServiceOrders(&c, r, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("states"));
  }
  {
    grpc::ClientContext c;
    v1::ListServiceOrdersRequest r;
    for (int i = 0; i < 64; ++i) r.add_states(i % 2 ? v1::ServiceOrder::STATE_REQUESTED : v1::ServiceOrder::STATE_SCHEDULED);
    v1::ListServiceOrdersResponse out;
    ASSERT_TRUE(orders_->ListServiceOrders(&c, r, &out).ok());
    EXPECT_EQ(out.service_orders_size(), 1);
  }
  {
    grpc::ClientContext c;
    v1::ListEventsRequest r;
    for (int i = 0; i < 60000; ++i) r.add_types(v1::Event::TYPE_ORDER_CREATED);
    v1::ListEventsResponse out;
    grpc::Status status = events_->ListEvents(&c, r, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("types"));
  }
  {
    grpc::ClientContext c;
    v1::WatchEventsRequest r;
    for (int i = 0; i < 60000; ++i) r.add_types(v1::Event::TYPE_ORDER_CREATED);
    auto reader = events_->WatchEvents(&c, r);
    v1::WatchEventsResponse out;
    while (reader->Read(&out)) {
    }
    grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("types"));
  }
}

TEST_F(ReadPathTest, AFloodOfHugeFiltersFromATechnicianDoesNotSlowADotRead) {
  v1::ServiceOrder order = CreateOk(ValidOrder(), "flood-" + UniqueSuffix());
  server_->database().Write([&](domain::UnitOfWork& work) {
    domain::Technician t;
    t.id = "flood-tech";
    t.display_name = "Técnico de prueba";
    t.employee_number = "EMP-flood";
    t.official_id_type = 1;
    t.mobile_phone = "5512345678";
    t.postal_codes = {"03100"};
    t.create_time = t.update_time = absl::Now();
    work.technicians().Insert(t);
  });
  std::string technician = IssueToken(db_->url(), domain::Role::kTechnician, "flood-tech");
  auto flooder = v1::ServiceOrderService::NewStub(
      TokenChannel(absl::StrCat("127.0.0.1:", server_->port()), technician));
  v1::ListServiceOrdersRequest huge;
  for (int i = 0; i < 60000; ++i) huge.add_states(v1::ServiceOrder::STATE_REQUESTED);
  std::atomic<bool> stop{false};
  std::atomic<int> flood_calls{0};
  std::vector<std::thread> flood;
  for (int t = 0; t < 8; ++t) {
    flood.emplace_back([&] {
      while (!stop) {
        grpc::ClientContext c;
        v1::ListServiceOrdersResponse out;
        flooder->ListServiceOrders(&c, huge, &out);
        ++flood_calls;
      }
    });
  }
  absl::Duration slowest;
  for (int i = 0; i < 20; ++i) {
    grpc::ClientContext c;
    c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::GetServiceOrderRequest r;
    r.set_name(order.name());
    v1::ServiceOrder got;
    absl::Time start = absl::Now();
    grpc::Status status = orders_->GetServiceOrder(&c, r, &got);
    slowest = std::max(slowest, absl::Now() - start);
    EXPECT_TRUE(status.ok()) << status.error_message();
    absl::SleepFor(absl::Milliseconds(50));
  }
  stop = true;
  for (auto& t : flood) t.join();
  EXPECT_GT(flood_calls.load(), 8);
  // Generous: an unloaded read takes well under a millisecond; the flood used to hold it for seconds.
  EXPECT_LT(slowest, absl::Milliseconds(750)) << "a DOT read waited behind the flood";
}

}  // namespace
}  // namespace homevisit::testing
