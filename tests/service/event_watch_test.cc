// The live feed: order, resumption by cursor, delivery across servers sharing a database,
// many watchers, the per-principal cap and shutdown.
#include <gmock/gmock.h>

#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "daemon.h"
#include "domain/tokens.h"
#include "homevisit/v1/credential.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using v1::Event;

class EventWatchTest : public ServiceTest {
 protected:
  struct Stream {
    std::unique_ptr<grpc::ClientContext> context = std::make_unique<grpc::ClientContext>();
    std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader;
  };

  static Stream Open(v1::EventService::Stub& stub, const v1::WatchEventsRequest& request,
                     absl::Duration deadline = absl::Seconds(20)) {
    Stream s;
    s.context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    s.reader = stub.WatchEvents(s.context.get(), request);
    return s;
  }

  // Reads exactly `n` events (fails the test if the stream ends first).
  static std::vector<Event> Take(Stream& s, size_t n) {
    std::vector<Event> events;
    v1::WatchEventsResponse response;
    while (events.size() < n && s.reader->Read(&response)) events.push_back(response.event());
    EXPECT_EQ(events.size(), n);
    return events;
  }

  void Cancel(const std::string& name) {
    grpc::ClientContext context;
    v1::CancelServiceOrderRequest request;
    request.set_name(name);
    request.set_reason("ya no se necesita");
    v1::ServiceOrder out;
    ASSERT_TRUE(orders_->CancelServiceOrder(&context, request, &out).ok());
  }

  void UpdateCharge(const std::string& name, v1::ServiceOrder::Charge charge) {
    grpc::ClientContext context;
    v1::UpdateServiceOrderRequest request;
    request.mutable_service_order()->set_name(name);
    request.mutable_service_order()->set_charge(charge);
    request.mutable_update_mask()->add_paths("charge");
    v1::ServiceOrder out;
    ASSERT_TRUE(orders_->UpdateServiceOrder(&context, request, &out).ok());
  }

  static std::vector<Event::Type> Types(const std::vector<Event>& events) {
    std::vector<Event::Type> types;
    for (const auto& e : events) types.push_back(e.type());
    return types;
  }
};

TEST_F(EventWatchTest, AWatcherSeesAnOrdersEventsInOrderWhileTheyHappen) {
  v1::ServiceOrder order = CreateOk(ValidOrder(), "watch-1");
  v1::WatchEventsRequest request;
  request.set_service_order(order.name());
  request.set_from_beginning(true);
  Stream stream = Open(*events_, request);
  auto first = Take(stream, 1);
  UpdateCharge(order.name(), v1::ServiceOrder::CHARGE_CHARGED);
  CreateOk(ValidOrder(), "watch-other");  // another order: filtered out
  Cancel(order.name());
  auto rest = Take(stream, 2);
  std::vector<Event> all = first;
  all.insert(all.end(), rest.begin(), rest.end());
  EXPECT_THAT(Types(all), ::testing::ElementsAre(Event::TYPE_ORDER_CREATED, Event::TYPE_ORDER_UPDATED,
                                                 Event::TYPE_CANCELLED));
  for (const auto& e : all) {
    EXPECT_EQ(e.service_order(), order.name());
    EXPECT_FALSE(e.actor().empty());
    EXPECT_TRUE(e.has_event_time());
  }
  EXPECT_LT(std::stoll(all[0].cursor()), std::stoll(all[1].cursor()));
  EXPECT_LT(std::stoll(all[1].cursor()), std::stoll(all[2].cursor()));
}

TEST_F(EventWatchTest, ReconnectingWithTheCursorLosesNothingAndRepeatsNothing) {
  v1::ServiceOrder order = CreateOk(ValidOrder(), "watch-resume");
  v1::WatchEventsRequest request;
  request.set_file_number(order.file_number());
  request.set_from_beginning(true);
  std::string cursor;
  {
    Stream stream = Open(*events_, request);
    UpdateCharge(order.name(), v1::ServiceOrder::CHARGE_CHARGED);
    auto seen = Take(stream, 2);
    cursor = seen.back().cursor();
    stream.context->TryCancel();  // the client drops mid-visit
  }
  // Changes while the watcher is away.
  UpdateCharge(order.name(), v1::ServiceOrder::CHARGE_FREE);
  UpdateCharge(order.name(), v1::ServiceOrder::CHARGE_CHARGED);
  Cancel(order.name());
  v1::WatchEventsRequest resume = request;
  resume.set_after_cursor(cursor);
  Stream stream = Open(*events_, resume, absl::Seconds(3));
  auto missed = Take(stream, 3);
  EXPECT_THAT(Types(missed), ::testing::ElementsAre(Event::TYPE_ORDER_UPDATED, Event::TYPE_ORDER_UPDATED,
                                                    Event::TYPE_CANCELLED));
  // Nothing more arrives: the stream ends at its deadline without another event.
  v1::WatchEventsResponse extra;
  EXPECT_FALSE(stream.reader->Read(&extra));
}

TEST_F(EventWatchTest, WithoutAStartOnlyNewEventsArrive) {
  CreateOk(ValidOrder(), "watch-old");
  Stream stream = Open(*events_, {});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the watch take its starting point
  v1::ServiceOrder fresh = CreateOk(ValidOrder(), "watch-new");
  auto events = Take(stream, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].service_order(), fresh.name());
}

TEST_F(EventWatchTest, AnEventWrittenThroughOneServerReachesAWatcherOnAnother) {
  auto other = api::Server::Start(ReplicaOptions());
  auto other_events = v1::EventService::NewStub(ChannelTo(*other));
  v1::WatchEventsRequest request;
  request.add_types(Event::TYPE_ORDER_CREATED);
  request.set_from_beginning(true);
  Stream stream = Open(*other_events, request);
  absl::Time written = absl::Now();
  v1::ServiceOrder order = CreateOk(ValidOrder(), "watch-replica");  // through the first server
  auto events = Take(stream, 1);
  absl::Duration latency = absl::Now() - written;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].service_order(), order.name());
  EXPECT_LT(latency, absl::Seconds(1));
  stream.context->TryCancel();
  other->Shutdown(absl::Seconds(2));
}

TEST_F(EventWatchTest, AnEventWrittenThroughAnotherProcessReachesThisServersWatcher) {
  Daemon writer_process({"--listen", "127.0.0.1:0", "--db", db_->url()});
  int port = writer_process.WaitForPort();
  ASSERT_GT(port, 0);
  auto writer = v1::ServiceOrderService::NewStub(AutoTokenChannel(absl::StrCat("127.0.0.1:", port), db_->url()));
  v1::WatchEventsRequest request;
  request.add_types(Event::TYPE_ORDER_CREATED);
  Stream stream = Open(*events_, request);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the watch takes "now" as its start
  v1::CreateServiceOrderRequest create;
  *create.mutable_service_order() = ValidOrder();
  create.set_request_id("watch-process");
  v1::ServiceOrder order;
  grpc::ClientContext context;
  absl::Time written = absl::Now();
  ASSERT_TRUE(writer->CreateServiceOrder(&context, create, &order).ok());
  auto events = Take(stream, 1);
  absl::Duration latency = absl::Now() - written;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].service_order(), order.name());
  EXPECT_LT(latency, absl::Seconds(1));
  stream.context->TryCancel();
  EXPECT_EQ(writer_process.Stop(), 0);
}

long ResidentKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

TEST_F(EventWatchTest, TwoHundredWatchersAllReceiveEverythingWhileWritesGoOn) {
  constexpr int kWatchers = 200;
  constexpr int kOrders = 30;
  std::vector<Stream> streams;
  v1::WatchEventsRequest request;
  request.set_from_beginning(true);
  for (int i = 0; i < kWatchers; ++i) streams.push_back(Open(*events_, request, absl::Seconds(60)));
  long rss_before = ResidentKiB();
  std::thread writer([&] {
    for (int i = 0; i < kOrders; ++i) CreateOk(ValidOrder(), absl::StrCat("watch-load-", i));
  });
  std::vector<std::thread> readers;
  std::vector<size_t> received(kWatchers, 0);
  std::vector<bool> in_order(kWatchers, true);
  for (int w = 0; w < kWatchers; ++w) {
    readers.emplace_back([&, w] {
      long long last = 0;
      v1::WatchEventsResponse response;
      while (received[w] < kOrders && streams[w].reader->Read(&response)) {
        long long seq = std::stoll(response.event().cursor());
        if (seq <= last) in_order[w] = false;
        last = seq;
        ++received[w];
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  long rss_after = ResidentKiB();
  for (int w = 0; w < kWatchers; ++w) {
    EXPECT_EQ(received[w], static_cast<size_t>(kOrders)) << "watcher " << w;
    EXPECT_TRUE(in_order[w]) << "watcher " << w;
  }
  // Client and server share this process: the figure bounds both.
  std::cout << "[ memory ] RSS with " << kWatchers << " watchers: " << rss_before << " KiB before writes, "
            << rss_after << " KiB after " << kOrders * kWatchers << " deliveries\n";
  EXPECT_LT(rss_after - rss_before, 64 * 1024) << "memory grew by more than 64 MiB";
  for (auto& s : streams) s.context->TryCancel();
}

TEST_F(EventWatchTest, WatchesPerPrincipalAreCapped) {
  StopServer();
  api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.database.url = db_->url();
  options.watch.max_watches_per_principal = 2;
  server_ = api::Server::Start(options);
  channel_ = AutoTokenChannel(absl::StrCat("127.0.0.1:", server_->port()), db_->url());
  events_ = v1::EventService::NewStub(channel_);
  orders_ = v1::ServiceOrderService::NewStub(channel_);
  Stream a = Open(*events_, {});
  Stream b = Open(*events_, {});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Stream c = Open(*events_, {});
  v1::WatchEventsResponse response;
  EXPECT_FALSE(c.reader->Read(&response));
  EXPECT_EQ(c.reader->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  a.context->TryCancel();
  b.context->TryCancel();
}

TEST_F(EventWatchTest, ShutdownEndsWatchersCleanlyAndPromptly) {
  Stream stream = Open(*events_, {});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  absl::Time start = absl::Now();
  std::thread stopper([&] { server_->Shutdown(absl::Seconds(10)); });
  v1::WatchEventsResponse response;
  EXPECT_FALSE(stream.reader->Read(&response));
  grpc::Status status = stream.reader->Finish();
  stopper.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

// Revokes the credential whose token is `token` through the admin API of the server at `port`.
void RevokeThrough(storage::Database& db, int port, const std::string& admin_token, const std::string& token) {
  std::string id = db.Read([&](domain::UnitOfWork& work) {
    for (const auto& c : work.credentials().List("", absl::InfinitePast(), 1000)) {
      if (c.token_hash == domain::HashToken(token)) return c.id;
    }
    return std::string();
  });
  ASSERT_FALSE(id.empty());
  auto admin = v1::CredentialService::NewStub(TokenChannel(absl::StrCat("127.0.0.1:", port), admin_token));
  grpc::ClientContext context;
  v1::RevokeCredentialRequest request;
  request.set_name("credentials/" + id);
  v1::Credential revoked;
  ASSERT_TRUE(admin->RevokeCredential(&context, request, &revoked).ok());
}

TEST_F(EventWatchTest, ARevokedCredentialEndsItsWatchBeforeAnotherEventIsDelivered) {
  v1::ServiceOrder order = CreateOk(ValidOrder(), "watch-revoked");
  std::string admin_token = IssueToken(db_->url(), domain::Role::kAdmin);
  std::string token = IssueToken(db_->url(), domain::Role::kDotSupervisor);
  auto watcher = v1::EventService::NewStub(TokenChannel(absl::StrCat("127.0.0.1:", server_->port()), token));
  v1::WatchEventsRequest request;
  request.set_service_order(order.name());
  request.set_from_beginning(true);
  Stream stream = Open(*watcher, request, absl::Seconds(10));
  ASSERT_EQ(Take(stream, 1).size(), 1u);  // the creation: the watch is live
  RevokeThrough(server_->database(), server_->port(), admin_token, token);
  UpdateCharge(order.name(), v1::ServiceOrder::CHARGE_CHARGED);  // an event the revoked watcher must not get
  v1::WatchEventsResponse response;
  std::vector<Event> delivered;
  while (stream.reader->Read(&response)) delivered.push_back(response.event());
  grpc::Status status = stream.reader->Finish();
  EXPECT_TRUE(delivered.empty()) << "delivered after the revocation: " << delivered.front().DebugString();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_EQ(ErrorReason(status), "INVALID_TOKEN");
}

TEST_F(EventWatchTest, AnIdleWatchOnAnotherReplicaEndsWithinTheCacheBoundOfARevocation) {
  auto other = api::Server::Start(ReplicaOptions());
  std::string admin_token = IssueToken(db_->url(), domain::Role::kAdmin);
  std::string token = IssueToken(db_->url(), domain::Role::kDotSupervisor);
  auto watcher = v1::EventService::NewStub(TokenChannel(absl::StrCat("127.0.0.1:", other->port()), token));
  Stream stream = Open(*watcher, v1::WatchEventsRequest(), absl::Seconds(10));
  absl::SleepFor(absl::Milliseconds(300));  // open and idle (nothing new to deliver)
  RevokeThrough(server_->database(), server_->port(), admin_token, token);
  absl::Time revoked = absl::Now();
  v1::WatchEventsResponse response;
  while (stream.reader->Read(&response)) {
  }
  grpc::Status status = stream.reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  // One second of cache, plus a watch poll interval, plus slack for a loaded machine.
  EXPECT_LT(absl::Now() - revoked, absl::Seconds(1) + absl::Milliseconds(200) + absl::Milliseconds(800));
  other->Shutdown(absl::Seconds(2));
}

TEST_F(EventWatchTest, BadCursorIsRefused) {
  v1::WatchEventsRequest request;
  request.set_after_cursor("not-a-cursor");
  Stream stream = Open(*events_, request);
  v1::WatchEventsResponse response;
  EXPECT_FALSE(stream.reader->Read(&response));
  grpc::Status status = stream.reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("after_cursor"));
}

}  // namespace
}  // namespace homevisit::testing
