// The client layer: against a scripted fake (token metadata, deadlines, which calls are retried,
// error decoding) and against the real service started in-process on a throwaway SQLite file.
#include "homevisit/client/client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>
#include <sys/wait.h>
#include <signal.h>

#include "api/server.h"
#include "credentials.h"
#include "fake_server.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace homevisit::client {
namespace {

using testing::FakeServer;
using testing::Script;
using ::testing::ElementsAre;

Script Unavailable(int times) {
  Script script;
  script.unavailable_first = times;
  return script;
}
Script Hang() {
  Script script;
  script.hang = true;
  return script;
}
Script Answer(grpc::Status status) {
  Script script;
  script.answer = std::move(status);
  return script;
}

RetryPolicy Fast() {
  RetryPolicy policy;
  policy.initial_backoff = std::chrono::milliseconds(5);
  policy.max_backoff = std::chrono::milliseconds(20);
  return policy;
}

class FakeServerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Client> NewClient(ClientOptions options = {}) {
    options.target = fake_.address();
    if (options.retry.initial_backoff == RetryPolicy{}.initial_backoff) {
      int attempts = options.retry.max_attempts;
      options.retry = Fast();
      options.retry.max_attempts = attempts;
    }
    auto client = Client::Connect(options);
    EXPECT_TRUE(client.ok()) << client.error().ToString();
    return std::move(client).value();
  }
  FakeServer fake_;
};

TEST_F(FakeServerTest, SendsTheBearerToken) {
  ClientOptions options;
  options.token = "s3cret";
  auto client = NewClient(options);
  ASSERT_TRUE(client->GetServiceOrder("serviceOrders/fake").ok());
  EXPECT_THAT(fake_.authorization(), ElementsAre("Bearer s3cret"));
}

TEST_F(FakeServerTest, AsksTheTokenSourceBeforeEveryAttempt) {
  int n = 0;
  ClientOptions options;
  options.token_source = [&n] { return "t" + std::to_string(++n); };
  auto client = NewClient(options);
  fake_.set_script(Unavailable(1));
  ASSERT_TRUE(client->GetServiceOrder("serviceOrders/fake").ok());
  EXPECT_THAT(fake_.authorization(), ElementsAre("Bearer t1", "Bearer t2"));
}

TEST_F(FakeServerTest, SendsNoAuthorizationWithoutAToken) {
  auto client = NewClient();
  ASSERT_TRUE(client->GetServiceOrder("serviceOrders/fake").ok());
  EXPECT_TRUE(fake_.authorization().empty());
}

TEST_F(FakeServerTest, RetriesAReadOnUnavailable) {
  auto client = NewClient();
  fake_.set_script(Unavailable(2));
  auto order = client->GetServiceOrder("serviceOrders/fake");
  ASSERT_TRUE(order.ok()) << order.error().ToString();
  EXPECT_EQ(order->name(), "serviceOrders/fake");
  EXPECT_EQ(fake_.calls(), 3);
}

TEST_F(FakeServerTest, GivesUpAfterMaxAttempts) {
  ClientOptions options;
  options.retry.max_attempts = 3;
  auto client = NewClient(options);
  fake_.set_script(Unavailable(100));
  auto order = client->GetServiceOrder("serviceOrders/fake");
  EXPECT_EQ(order.error().code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(fake_.calls(), 3);
}

TEST_F(FakeServerTest, RetriesAnIntakeWithTheSameGeneratedRequestId) {
  auto client = NewClient();
  fake_.set_script(Unavailable(2));
  ASSERT_TRUE(client->CreateServiceOrder(v1::ServiceOrder()).ok());
  auto ids = fake_.request_ids();
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(ids[1], ids[2]);
  EXPECT_TRUE(std::regex_match(ids[0], std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << ids[0];
}

TEST_F(FakeServerTest, RetriesACancelUnderOneFreshRequestId) {
  auto client = NewClient();
  fake_.set_script(Unavailable(1));
  EXPECT_TRUE(client->CancelServiceOrder("serviceOrders/fake", "r").ok());
  EXPECT_EQ(fake_.calls(), 2);
  const auto ids = fake_.request_ids();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(ids[0].size(), 36u);
  EXPECT_TRUE(client->CancelServiceOrder("serviceOrders/fake", "r").ok());
  EXPECT_NE(fake_.request_ids().back(), ids[0]) << "a new call is a new request";
}

TEST_F(FakeServerTest, ABookingGetsARequestIdUnlessItHasOne) {
  auto client = NewClient();
  fake_.set_script(Unavailable(1));
  v1::BookAppointmentRequest request;
  request.set_service_order("serviceOrders/fake");
  request.set_hold("holds/h");
  EXPECT_TRUE(client->BookAppointment(request).ok());
  EXPECT_EQ(fake_.calls(), 2);
  EXPECT_TRUE(request.request_id().empty()) << "the caller's request is left alone";
  const std::string generated = fake_.request_ids()[0];
  EXPECT_EQ(generated.size(), 36u);

  request.set_request_id("book-1");
  fake_.set_script(Unavailable(5));  // calls 3 to 5 fail: three retries, the fourth attempt answers
  EXPECT_TRUE(client->BookAppointment(request).ok());
  EXPECT_EQ(fake_.calls(), 6);
  EXPECT_THAT(fake_.request_ids(), ElementsAre(generated, generated, "book-1", "book-1", "book-1", "book-1"));
}

TEST_F(FakeServerTest, DoesNotRetryErrorsARepeatWouldOnlyRepeat) {
  auto client = NewClient();
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::ABORTED);
  google::rpc::ErrorInfo info;
  info.set_reason("ETAG_MISMATCH");
  details.add_details()->PackFrom(info);
  fake_.set_script(Answer(grpc::Status(grpc::StatusCode::ABORTED, "etag mismatch", details.SerializeAsString())));
  EXPECT_EQ(client->GetServiceOrder("serviceOrders/fake").error().code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(fake_.calls(), 1);
  fake_.set_script(Answer(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "wrong state")));
  EXPECT_EQ(client->GetServiceOrder("serviceOrders/fake").error().code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(fake_.calls(), 2);
}

TEST_F(FakeServerTest, TheDefaultDeadlineEndsAHangingCall) {
  ClientOptions options;
  options.default_timeout = std::chrono::milliseconds(200);
  auto client = NewClient(options);
  fake_.set_script(Hang());
  EXPECT_EQ(client->GetServiceOrder("serviceOrders/fake").error().code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  CallOptions longer;
  longer.timeout = std::chrono::milliseconds(300);
  EXPECT_EQ(client->GetServiceOrder("serviceOrders/fake", longer).error().code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(FakeServerTest, DecodesFieldViolationsAndErrorInfo) {
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::ErrorInfo info;
  info.set_reason("INVALID_FIELDS");
  info.set_domain("homevisit.izzi.mx");
  (*info.mutable_metadata())["k"] = "v";
  details.add_details()->PackFrom(info);
  google::rpc::BadRequest bad_request;
  auto* v = bad_request.add_field_violations();
  v->set_field("service_order.address.postal_code");
  v->set_description("must be exactly five digits");
  details.add_details()->PackFrom(bad_request);
  fake_.set_script(Answer(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid request",
                                                 details.SerializeAsString())));
  auto client = NewClient();
  Error error = client->CreateServiceOrder(v1::ServiceOrder()).error();
  EXPECT_EQ(error.code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "invalid request");
  EXPECT_EQ(error.reason(), "INVALID_FIELDS");
  EXPECT_EQ(error.domain(), "homevisit.izzi.mx");
  EXPECT_EQ(error.metadata().at("k"), "v");
  ASSERT_EQ(error.field_violations().size(), 1u);
  EXPECT_EQ(error.field_violations()[0].field, "service_order.address.postal_code");
  EXPECT_EQ(error.ToString(),
            "INVALID_ARGUMENT: invalid request [INVALID_FIELDS]\n"
            "  service_order.address.postal_code: must be exactly five digits");
}

TEST(ResultTest, ReadingTheValueOfAFailureThrowsWithTheError) {
  Result<std::unique_ptr<Client>> failed = Error(grpc::StatusCode::UNAVAILABLE, "no server");
  try {
    (void)std::move(failed).value();
    FAIL() << "a failed result handed back a value";
  } catch (const BadResultAccess& e) {
    EXPECT_EQ(e.error().code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("UNAVAILABLE: no server"));
  }
  Result<v1::ServiceOrder> order = Error(grpc::StatusCode::NOT_FOUND, "nope");
  EXPECT_THROW((void)order->name(), BadResultAccess);
  EXPECT_THROW((void)*order, BadResultAccess);
  Result<v1::ServiceOrder> fine = v1::ServiceOrder();
  EXPECT_NO_THROW((void)fine->name());
}

TEST(ErrorTest, IgnoresDetailsThatDoNotParse) {
  Error error = Error::FromStatus(grpc::Status(grpc::StatusCode::INTERNAL, "boom", "\xff\xff not a proto"));
  EXPECT_EQ(error.code(), grpc::StatusCode::INTERNAL);
  EXPECT_TRUE(error.field_violations().empty());
  EXPECT_EQ(error.ToString(), "INTERNAL: boom");
}

TEST(RetryPolicyTest, BackoffGrowsAndIsCapped) {
  RetryPolicy policy;
  policy.jitter = false;
  EXPECT_EQ(Backoff(policy, 1).count(), 100);
  EXPECT_EQ(Backoff(policy, 2).count(), 200);
  EXPECT_EQ(Backoff(policy, 4).count(), 800);
  EXPECT_EQ(Backoff(policy, 10).count(), 2000);
  policy.jitter = true;  // full jitter: anywhere in [0, cap]
  long long lowest = 200, highest = 0;
  for (int i = 0; i < 200; ++i) {
    auto wait = Backoff(policy, 2).count();
    EXPECT_GE(wait, 0);
    EXPECT_LE(wait, 200);
    lowest = std::min<long long>(lowest, wait);
    highest = std::max<long long>(highest, wait);
  }
  EXPECT_LT(lowest, 50);
  EXPECT_GT(highest, 150);
}

// A status carrying an ErrorInfo reason, as the server sends it.
grpc::Status WithReason(grpc::StatusCode code, const std::string& reason) {
  google::rpc::Status details;
  details.set_code(code);
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  details.add_details()->PackFrom(info);
  return grpc::Status(code, "x", details.SerializeAsString());
}

TEST(RetryPolicyTest, TheSharedPolicyOfEveryCodeAndReason) {
  RetryPolicy policy;
  using C = grpc::StatusCode;
  EXPECT_TRUE(ShouldRetry(policy, true, grpc::Status(C::UNAVAILABLE, "x"), 1));
  EXPECT_TRUE(ShouldRetry(policy, true, grpc::Status(C::UNAVAILABLE, "x"), 3));
  EXPECT_FALSE(ShouldRetry(policy, true, grpc::Status(C::UNAVAILABLE, "x"), 4));  // 4 attempts in all
  EXPECT_FALSE(ShouldRetry(policy, false, grpc::Status(C::UNAVAILABLE, "x"), 1));
  EXPECT_TRUE(ShouldRetry(policy, true, WithReason(C::ABORTED, "CONCURRENT_UPDATE"), 1));
  EXPECT_TRUE(ShouldRetry(policy, true, grpc::Status(C::ABORTED, "x"), 1));
  EXPECT_FALSE(ShouldRetry(policy, true, WithReason(C::ABORTED, "ETAG_MISMATCH"), 1));
  EXPECT_FALSE(ShouldRetry(policy, true, WithReason(C::ABORTED, "SLOT_TAKEN"), 1));
  EXPECT_TRUE(ShouldRetry(policy, true, WithReason(C::RESOURCE_EXHAUSTED, "SERVER_BUSY"), 1));
  EXPECT_FALSE(ShouldRetry(policy, true, grpc::Status(C::RESOURCE_EXHAUSTED, "x"), 1));
  for (C code : {C::DEADLINE_EXCEEDED, C::INTERNAL, C::INVALID_ARGUMENT, C::FAILED_PRECONDITION, C::NOT_FOUND,
                 C::ALREADY_EXISTS, C::UNAUTHENTICATED, C::PERMISSION_DENIED}) {
    EXPECT_FALSE(ShouldRetry(policy, true, grpc::Status(code, "x"), 1)) << CodeName(code);
  }
}

TEST(ConnectTest, RefusesUnreadableTlsFiles) {
  ClientOptions options;
  options.tls.enabled = true;
  options.tls.root_certs_file = "/nonexistent/ca.pem";
  auto client = Client::Connect(options);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(ConnectTest, RequestIdsAreFreshUuids) {
  std::string a = NewRequestId(), b = NewRequestId();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 36u);
}

// --- TLS and mutual TLS, with a throwaway CA made by openssl.

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("homevisit-tls-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    const std::string d = dir_.string();
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    std::string script = "set -e; cd '" + d + "'; " +
        "openssl req -x509 " + key + " -keyout ca.key -out ca.pem -days 1 -subj /CN=homevisit-test-ca; " +
        "for who in server client; do "
        "openssl req " + key + " -keyout $who.key -out $who.csr -subj /CN=homevisit.test; "
        "printf 'subjectAltName=DNS:homevisit.test' > $who.ext; "
        "openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $who.pem -days 1 "
        "-extfile $who.ext; done";
    ASSERT_EQ(std::system(("(" + script + ") >/dev/null 2>&1").c_str()), 0) << "openssl failed";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::shared_ptr<grpc::ServerCredentials> ServerCredentials(bool require_client_cert) {
    grpc::SslServerCredentialsOptions ssl(require_client_cert
                                              ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                              : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    ssl.pem_root_certs = Slurp(dir_ / "ca.pem");
    ssl.pem_key_cert_pairs.push_back({Slurp(dir_ / "server.key"), Slurp(dir_ / "server.pem")});
    return grpc::SslServerCredentials(ssl);
  }

  ClientOptions Options(const FakeServer& server) {
    ClientOptions options;
    options.target = server.address();
    options.tls.enabled = true;
    options.tls.root_certs_file = (dir_ / "ca.pem").string();
    options.tls.server_name_override = "homevisit.test";
    options.retry.max_attempts = 1;
    options.default_timeout = std::chrono::seconds(5);
    return options;
  }

  std::filesystem::path dir_;
};

TEST_F(TlsTest, TrustsTheGivenRootsAndSendsTheToken) {
  FakeServer server(ServerCredentials(false));
  ClientOptions options = Options(server);
  options.token = "over-tls";
  auto client = Client::Connect(options);
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  auto order = (*client)->GetServiceOrder("serviceOrders/fake");
  ASSERT_TRUE(order.ok()) << order.error().ToString();
  EXPECT_THAT(server.authorization(), ElementsAre("Bearer over-tls"));

  // Without our CA the server's certificate is not trusted.
  options.tls.root_certs_file = (dir_ / "client.pem").string();
  auto untrusting = Client::Connect(options);
  ASSERT_TRUE(untrusting.ok());
  EXPECT_EQ((*untrusting)->GetServiceOrder("serviceOrders/fake").error().code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsPresentsTheClientCertificate) {
  FakeServer server(ServerCredentials(true));
  ClientOptions options = Options(server);
  auto anonymous = Client::Connect(options);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_FALSE((*anonymous)->GetServiceOrder("serviceOrders/fake").ok());

  options.tls.cert_chain_file = (dir_ / "client.pem").string();
  options.tls.private_key_file = (dir_ / "client.key").string();
  auto client = Client::Connect(options);
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  auto order = (*client)->GetServiceOrder("serviceOrders/fake");
  EXPECT_TRUE(order.ok()) << order.error().ToString();

  options.tls.private_key_file.clear();
  EXPECT_EQ(Client::Connect(options).error().code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// --- The real service, in-process. It requires a bearer token: the admin's token file is written
// at start; the admin issues the DOT operator credential the client calls with.

class LiveServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("homevisit-client-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    api::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.database.url = "sqlite:" + (dir_ / "test.db").string();
    options.database.pool_size = 2;
    options.time_zone = absl::FixedTimeZone(-6 * 3600);
    options.worker_threads = 2;
    options.demo_data = true;
    options.admin_token_file = (dir_ / "admin.token").string();
    server_ = api::Server::Start(options);
    target_ = "127.0.0.1:" + std::to_string(server_->port());
    std::ifstream admin_token_file(options.admin_token_file);
    std::getline(admin_token_file, admin_token_);
    ASSERT_FALSE(admin_token_.empty()) << "no admin token in " << options.admin_token_file;
    auto token = testing::IssueToken(target_, admin_token_, v1::ROLE_DOT_OPERATOR);
    ASSERT_TRUE(token.ok()) << token.error().ToString();
    client_ = Connect(*token);
  }
  std::unique_ptr<Client> Connect(const std::string& token) const {
    ClientOptions client_options;
    client_options.target = target_;
    client_options.token = token;
    return std::move(Client::Connect(client_options)).value();
  }
  void TearDown() override {
    client_.reset();
    server_->Shutdown(absl::Seconds(5));
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  static v1::ServiceOrder ValidOrder(const std::string& file_number) {
    v1::ServiceOrder o;
    o.set_file_number(file_number);
    o.mutable_subscriber()->set_given_name("Laura");
    o.mutable_subscriber()->set_family_name("Méndez");
    o.mutable_subscriber()->set_email("laura.mendez@example.com");
    auto* a = o.mutable_address();
    a->set_street("Calle Durango");
    a->set_exterior_number("245");
    a->set_colonia("Roma Norte");
    a->set_delegacion("Cuauhtémoc");
    a->set_postal_code("06700");
    const int64_t start = (absl::ToUnixSeconds(absl::Now()) / 3600 + 48) * 3600;
    o.mutable_requested_window()->mutable_start_time()->set_seconds(start);
    o.mutable_requested_window()->mutable_end_time()->set_seconds(start + 7200);
    o.mutable_receiver()->set_name("Laura Méndez");
    o.set_problem_description("La señal de Wi-Fi no llega a las recámaras.");
    o.set_charge(v1::ServiceOrder::CHARGE_FREE);
    return o;
  }

  std::filesystem::path dir_;
  std::unique_ptr<api::Server> server_;
  std::string target_;
  std::string admin_token_;
  std::unique_ptr<Client> client_;  // a DOT operator
};

// sdk/testing/drop_reply_proxy.py in front of the server: each write runs once, then its reply is
// lost (UNAVAILABLE). Killed with the object.
class DropReplyProxy {
 public:
  DropReplyProxy(const std::string& upstream, const std::filesystem::path& dir) {
    const char* python = std::getenv("HOMEVISIT_PYTHON");
    const std::string interpreter = python ? python : HOMEVISIT_SOURCE_DIR "/.deps/venv/bin/python";
    const std::string script = HOMEVISIT_SOURCE_DIR "/sdk/testing/drop_reply_proxy.py";
    const std::string port_file = (dir / "proxy.address").string();
    pid_ = fork();
    if (pid_ == 0) {
      freopen("/dev/null", "w", stdout);
      execl(interpreter.c_str(), interpreter.c_str(), script.c_str(), upstream.c_str(), "--port-file",
            port_file.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && address_.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::ifstream in(port_file);
      std::getline(in, address_);
    }
  }
  ~DropReplyProxy() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  const std::string& address() const { return address_; }  // empty: it did not start

 private:
  pid_t pid_ = -1;
  std::string address_;
};

TEST_F(LiveServerTest, ALostReplyIsRetriedWithTheSameRequestIdAndHasOneEffect) {
  DropReplyProxy proxy(target_, dir_);
  ASSERT_FALSE(proxy.address().empty()) << "the drop-reply proxy did not start (python with grpcio in .deps/venv)";
  auto token = testing::IssueToken(target_, admin_token_, v1::ROLE_DOT_OPERATOR);
  ASSERT_TRUE(token.ok());
  ClientOptions options;
  options.target = proxy.address();
  options.token = *token;
  auto through_proxy = std::move(Client::Connect(options)).value();

  // No request id from the caller: the client makes one and keeps it across the retry.
  auto created = through_proxy->CreateServiceOrder(ValidOrder("EXP-LOST-1"));
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  v1::ListServiceOrdersRequest list;
  list.set_file_number("EXP-LOST-1");
  EXPECT_EQ(client_->ListServiceOrders(list)->service_orders_size(), 1);
  auto cancelled = through_proxy->CancelServiceOrder(created->name(), "ya no hace falta");
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().ToString();
  EXPECT_EQ(cancelled->state(), v1::ServiceOrder::STATE_CANCELLED);
  v1::ListEventsRequest events;
  events.set_service_order(created->name());
  auto listed = client_->ListEvents(events);
  ASSERT_TRUE(listed.ok());
  int cancellations = 0;
  for (const auto& e : listed->events()) cancellations += e.type() == v1::Event::TYPE_CANCELLED ? 1 : 0;
  EXPECT_EQ(cancellations, 1);

  // The control: without retries the lost reply surfaces, so the proxy did lose it above.
  options.retry.max_attempts = 1;
  auto no_retry = std::move(Client::Connect(options)).value();
  EXPECT_EQ(no_retry->CreateServiceOrder(ValidOrder("EXP-LOST-2")).error().code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(LiveServerTest, InvalidIntakeExposesEachFieldViolation) {
  v1::ServiceOrder bad = ValidOrder("EXP-BAD");
  bad.mutable_subscriber()->set_email("laura@");
  bad.mutable_address()->set_postal_code("6700");
  auto result = client_->CreateServiceOrder(bad);
  ASSERT_FALSE(result.ok());
  const Error& error = result.error();
  EXPECT_EQ(error.code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : error.field_violations()) fields.push_back(v.field);
  std::sort(fields.begin(), fields.end());
  EXPECT_THAT(fields, ElementsAre("service_order.address.postal_code", "service_order.subscriber.email"));
  EXPECT_FALSE(error.reason().empty());
}

TEST_F(LiveServerTest, IntakeGetListCancelAndEvents) {
  auto created = client_->CreateServiceOrder(ValidOrder("EXP-CLIENT-1"), "client-test-1");
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->state(), v1::ServiceOrder::STATE_REQUESTED);
  auto again = client_->CreateServiceOrder(ValidOrder("EXP-CLIENT-1"), "client-test-1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->name(), created->name());

  auto got = client_->GetServiceOrder(created->name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->file_number(), "EXP-CLIENT-1");
  EXPECT_EQ(client_->GetServiceOrder("serviceOrders/nope").error().code(), grpc::StatusCode::NOT_FOUND);

  v1::ListServiceOrdersRequest list;
  list.set_file_number("EXP-CLIENT-1");
  auto listed = client_->ListServiceOrders(list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->service_orders_size(), 1);

  auto cancelled = client_->CancelServiceOrder(created->name(), "ya no hace falta", created->etag());
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().ToString();
  EXPECT_EQ(cancelled->state(), v1::ServiceOrder::STATE_CANCELLED);

  v1::WatchEventsRequest watch;
  watch.set_service_order(created->name());
  watch.set_from_beginning(true);
  std::vector<v1::Event::Type> types;
  CallOptions bounded;
  bounded.timeout = std::chrono::seconds(10);
  Error error = client_->WatchEvents(
      watch,
      [&](const v1::Event& e) {
        types.push_back(e.type());
        return types.size() < 2;
      },
      bounded);
  EXPECT_TRUE(error.ok()) << error.ToString();
  EXPECT_THAT(types, ElementsAre(v1::Event::TYPE_ORDER_CREATED, v1::Event::TYPE_CANCELLED));
}

TEST_F(LiveServerTest, AMethodNotServedYetIsUnimplementedOrAnsweredProperly) {
  auto created = client_->CreateServiceOrder(ValidOrder("EXP-CLIENT-2"));
  ASSERT_TRUE(created.ok());
  auto report = client_->GetVisitReport(created->name() + "/visitReport");
  ASSERT_FALSE(report.ok());  // not completed: no report, whether or not reports are served
  const auto code = report.error().code();
  EXPECT_TRUE(code == grpc::StatusCode::UNIMPLEMENTED || code == grpc::StatusCode::NOT_FOUND ||
              code == grpc::StatusCode::FAILED_PRECONDITION)
      << report.error().ToString();
  EXPECT_EQ(report.error().unimplemented(), code == grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(LiveServerTest, ACallWithoutATokenIsUnauthenticated) {
  auto anonymous = Connect("");
  auto listed = anonymous->ListServiceOrders({});
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().code(), grpc::StatusCode::UNAUTHENTICATED) << listed.error().ToString();
  EXPECT_EQ(listed.error().reason(), "NO_CREDENTIALS");
  EXPECT_EQ(listed.error().domain(), "homevisit.izzi.mx");

  auto stranger = Connect("not-a-real-token");
  auto got = stranger->GetServiceOrder("serviceOrders/nope");
  EXPECT_EQ(got.error().code(), grpc::StatusCode::UNAUTHENTICATED) << got.error().ToString();
  EXPECT_EQ(got.error().reason(), "INVALID_TOKEN");
}

TEST_F(LiveServerTest, ADotOperatorMayNotCallADispatcherRpc) {
  // CreateTechnician is the dispatcher's; the role is checked before the request is read.
  v1::CreateTechnicianRequest request;
  request.mutable_technician()->set_display_name("Nadie");
  auto created = client_->Call<v1::Technician>(false, {}, [&](grpc::ClientContext* context, v1::Technician* response) {
    return client_->technicians().CreateTechnician(context, request, response);
  });
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code(), grpc::StatusCode::PERMISSION_DENIED) << created.error().ToString();
  EXPECT_EQ(created.error().reason(), "ROLE_NOT_ALLOWED");

  // The dispatcher may; the admin may only manage credentials.
  auto dispatcher_token = testing::IssueToken(target_, admin_token_, v1::ROLE_DISPATCHER);
  ASSERT_TRUE(dispatcher_token.ok()) << dispatcher_token.error().ToString();
  auto technicians = Connect(*dispatcher_token)->ListTechnicians({});
  ASSERT_TRUE(technicians.ok()) << technicians.error().ToString();
  EXPECT_GE(technicians->technicians_size(), 1);
  EXPECT_EQ(Connect(admin_token_)->ListServiceOrders({}).error().code(), grpc::StatusCode::PERMISSION_DENIED);
}

// Pagers: every item of every page, in order, following next_page_token.
TEST_F(FakeServerTest, PagerWalksEveryPage) {
  auto client = NewClient();
  fake_.set_pages({{"serviceOrders/a", "serviceOrders/b"}, {"serviceOrders/c"}, {"serviceOrders/d"}});
  std::vector<std::string> names;
  const auto error = client->ForEachServiceOrder({}, [&](const v1::ServiceOrder& o) {
    names.push_back(o.name());
    return true;
  });
  ASSERT_TRUE(error.ok()) << error.message();
  EXPECT_THAT(names, ElementsAre("serviceOrders/a", "serviceOrders/b", "serviceOrders/c", "serviceOrders/d"));
  EXPECT_THAT(fake_.page_tokens(), ElementsAre("", "1", "2"));
}

TEST_F(FakeServerTest, PagerOverNothingCallsNothing) {
  auto client = NewClient();
  fake_.set_pages({});
  int items = 0;
  const auto error = client->ForEachServiceOrder({}, [&](const v1::ServiceOrder&) { return ++items, true; });
  EXPECT_TRUE(error.ok());
  EXPECT_EQ(items, 0);
  EXPECT_THAT(fake_.page_tokens(), ElementsAre(""));
}

TEST_F(FakeServerTest, PagerReturnsTheErrorOfPageTwo) {
  auto client = NewClient();
  fake_.set_pages({{"serviceOrders/a"}, {"serviceOrders/b"}}, 1);
  std::vector<std::string> names;
  const auto error = client->ForEachServiceOrder({}, [&](const v1::ServiceOrder& o) {
    names.push_back(o.name());
    return true;
  });
  EXPECT_EQ(error.code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(names, ElementsAre("serviceOrders/a"));
}

TEST_F(FakeServerTest, PagerStopsWhenAskedAndReadsNoFurtherPage) {
  auto client = NewClient();
  fake_.set_pages({{"serviceOrders/a", "serviceOrders/b"}, {"serviceOrders/c"}});
  std::vector<std::string> names;
  const auto error = client->ForEachServiceOrder({}, [&](const v1::ServiceOrder& o) {
    names.push_back(o.name());
    return false;
  });
  EXPECT_TRUE(error.ok());
  EXPECT_THAT(names, ElementsAre("serviceOrders/a"));
  EXPECT_THAT(fake_.page_tokens(), ElementsAre(""));
}

// The same walks over every pager, each against its own List RPC of the fake.
using NameCallback = std::function<bool(const std::string&)>;
struct Pager {
  std::string method;
  std::function<Error(Client&, int page_size, const std::string& page_token, const NameCallback& on_name)> walk;
};

void PrintTo(const Pager& pager, std::ostream* out) { *out << pager.method; }  // test names, not bytes

// A walk through `for_each` (&Client::ForEachEvent, ...) with a request of that page size and token.
template <typename Request, typename Item>
auto WalkWith(Error (Client::*for_each)(Request, const std::function<bool(const Item&)>&, const CallOptions&)) {
  return [for_each](Client& client, int page_size, const std::string& page_token, const NameCallback& on_name) {
    Request request;
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return (client.*for_each)(std::move(request), [&](const Item& item) { return on_name(item.name()); }, {});
  };
}

const Pager kPagers[] = {
    {"ListServiceOrders", WalkWith(&Client::ForEachServiceOrder)},
    {"ListTechnicians", WalkWith(&Client::ForEachTechnician)},
    {"ListEvents", WalkWith(&Client::ForEachEvent)},
    {"ListCredentials", WalkWith(&Client::ForEachCredential)},
    {"ListVisitReports", WalkWith(&Client::ForEachVisitReport)},
};

class EveryPagerTest : public FakeServerTest, public ::testing::WithParamInterface<Pager> {
 protected:
  // Walks with `page_size` from `page_token`, collecting names; stops the walk after `stop_after`.
  Error Walk(Client& client, std::vector<std::string>* names, int page_size = 0, const std::string& page_token = "",
             size_t stop_after = SIZE_MAX) {
    return GetParam().walk(client, page_size, page_token, [&](const std::string& name) {
      names->push_back(name);
      return names->size() < stop_after;
    });
  }
};

TEST_P(EveryPagerTest, WalksEveryPageOfItsListKeepingThePageSize) {
  auto client = NewClient();
  fake_.set_pages({{"a", "b"}, {}, {"c"}, {"d"}});
  std::vector<std::string> names;
  const auto error = Walk(*client, &names, 2);
  ASSERT_TRUE(error.ok()) << error.ToString();
  EXPECT_THAT(names, ElementsAre("a", "b", "c", "d")) << "an empty page in the middle does not end the walk";
  EXPECT_THAT(fake_.page_tokens(), ElementsAre("", "1", "2", "3"));
  EXPECT_THAT(fake_.page_methods(), ::testing::Each(GetParam().method));
  EXPECT_THAT(fake_.page_sizes(), ElementsAre(2, 2, 2, 2));
}

TEST_P(EveryPagerTest, StartsFromTheRequestsPageToken) {
  auto client = NewClient();
  fake_.set_pages({{"a"}, {"b"}, {"c"}});
  std::vector<std::string> names;
  ASSERT_TRUE(Walk(*client, &names, 0, "1").ok());
  EXPECT_THAT(names, ElementsAre("b", "c"));
  EXPECT_THAT(fake_.page_tokens(), ElementsAre("1", "2"));
}

TEST_P(EveryPagerTest, OverNothingCallsOnce) {
  auto client = NewClient();
  std::vector<std::string> names;
  EXPECT_TRUE(Walk(*client, &names).ok());
  EXPECT_TRUE(names.empty());
  EXPECT_THAT(fake_.page_methods(), ElementsAre(GetParam().method));
}

TEST_P(EveryPagerTest, ReturnsTheErrorOfPageTwo) {
  auto client = NewClient();
  fake_.set_pages({{"a"}, {"b"}, {"c"}}, 1);
  std::vector<std::string> names;
  EXPECT_EQ(Walk(*client, &names).code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(names, ElementsAre("a"));
  EXPECT_THAT(fake_.page_tokens(), ElementsAre("", "1"));
}

TEST_P(EveryPagerTest, RetriesEachPageUnderTheClientsPolicy) {
  auto client = NewClient();  // 4 attempts
  fake_.set_pages({{"a"}, {"b"}}, 1, grpc::Status(grpc::StatusCode::UNAVAILABLE, "gone"));
  std::vector<std::string> names;
  EXPECT_EQ(Walk(*client, &names).code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(names, ElementsAre("a"));
  EXPECT_THAT(fake_.page_tokens(), ElementsAre("", "1", "1", "1", "1"));
}

TEST_P(EveryPagerTest, StopsWhenAskedAndReadsNoFurtherPage) {
  auto client = NewClient();
  fake_.set_pages({{"a", "b"}, {"c"}});
  std::vector<std::string> names;
  EXPECT_TRUE(Walk(*client, &names, 0, "", 1).ok());
  EXPECT_THAT(names, ElementsAre("a"));
  EXPECT_THAT(fake_.page_tokens(), ElementsAre(""));
}

INSTANTIATE_TEST_SUITE_P(EveryList, EveryPagerTest, ::testing::ValuesIn(kPagers),
                         [](const ::testing::TestParamInfo<Pager>& pager) { return pager.param.method; });

}  // namespace
}  // namespace homevisit::client
