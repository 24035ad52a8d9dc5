#include "test_server.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <grpcpp/generic/generic_stub.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "storage/dialect.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "health/v1/health.pb.h"

namespace homevisit::testing {

std::string UniqueSuffix() {
  static std::mt19937_64 engine{std::random_device{}()};
  return absl::StrCat(absl::Hex(engine()));
}

TestDatabase::TestDatabase() {
  const char* cluster = std::getenv("HOMEVISIT_TEST_DATABASE_URL");
  if (cluster && *cluster) {
    admin_url_ = cluster;
    name_ = absl::StrCat("hv_", UniqueSuffix());
    soci::session admin(*soci::factory_postgresql(), storage::PostgresConnectString(admin_url_));
    admin << "CREATE DATABASE " + name_;
    url_ = admin_url_.substr(0, admin_url_.rfind('/') + 1) + name_;
  } else {
    name_ = (std::filesystem::temp_directory_path() / absl::StrCat("homevisit-test-", UniqueSuffix())).string();
    std::filesystem::create_directories(name_);
    url_ = absl::StrCat("sqlite:", name_, "/test.db");
  }
}

TestDatabase::~TestDatabase() {
  if (is_postgres()) {
    try {
      soci::session admin(*soci::factory_postgresql(), storage::PostgresConnectString(admin_url_));
      admin << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
    } catch (const std::exception& e) {
      ADD_FAILURE() << "could not drop test database: " << e.what();
    }
  } else {
    std::error_code ignored;
    std::filesystem::remove_all(name_, ignored);
  }
}

void ServiceTest::SetUp() {
  db_ = std::make_unique<TestDatabase>();
  StartServer();
}

void ServiceTest::TearDown() {
  StopServer();
  db_.reset();
}

void ServiceTest::StartServer() {
  api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.database.url = db_->url();
  options.database.pool_size = 4;
  options.time_zone = absl::FixedTimeZone(-6 * 3600);
  options.worker_threads = 4;
  server_ = api::Server::Start(options);
  channel_ = AutoTokenChannel(absl::StrCat("127.0.0.1:", server_->port()), db_->url());
  orders_ = v1::ServiceOrderService::NewStub(channel_);
  events_ = v1::EventService::NewStub(channel_);
}

api::ServerOptions ServiceTest::ReplicaOptions() const {
  api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.database.url = db_->url();
  options.database.pool_size = 2;
  return options;
}

std::shared_ptr<grpc::Channel> ServiceTest::ChannelTo(const api::Server& server) const {
  return AutoTokenChannel(absl::StrCat("127.0.0.1:", server.port()), db_->url());
}

void ServiceTest::StopServer() {
  orders_.reset();
  events_.reset();
  channel_.reset();
  if (server_) server_->Shutdown(absl::Seconds(5));
  server_.reset();
}

grpc::Status ServiceTest::Create(const v1::ServiceOrder& order, const std::string& request_id,
                                 v1::ServiceOrder* out) {
  grpc::ClientContext context;
  v1::CreateServiceOrderRequest request;
  *request.mutable_service_order() = order;
  request.set_request_id(request_id);
  return orders_->CreateServiceOrder(&context, request, out);
}

v1::ServiceOrder ServiceTest::CreateOk(const v1::ServiceOrder& order, const std::string& request_id) {
  v1::ServiceOrder out;
  grpc::Status status = Create(order, request_id, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return out;
}

std::vector<v1::ServiceOrder> ServiceTest::ListAll(const v1::ListServiceOrdersRequest& request) {
  std::vector<v1::ServiceOrder> all;
  v1::ListServiceOrdersRequest page = request;
  for (int guard = 0; guard < 1000; ++guard) {
    grpc::ClientContext context;
    v1::ListServiceOrdersResponse response;
    grpc::Status status = orders_->ListServiceOrders(&context, page, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    for (const auto& order : response.service_orders()) all.push_back(order);
    if (response.next_page_token().empty()) break;
    page.set_page_token(response.next_page_token());
  }
  return all;
}

v1::ServiceOrder ServiceTest::Get(const std::string& name) {
  grpc::ClientContext context;
  v1::GetServiceOrderRequest request;
  request.set_name(name);
  v1::ServiceOrder out;
  EXPECT_TRUE(orders_->GetServiceOrder(&context, request, &out).ok());
  return out;
}

std::vector<v1::Event> ServiceTest::EventsOf(const std::string& order_name) {
  grpc::ClientContext context;
  v1::ListEventsRequest request;
  request.set_service_order(order_name);
  request.set_page_size(1000);
  v1::ListEventsResponse response;
  grpc::Status status = events_->ListEvents(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<v1::Event> events;
  for (const auto& event : response.events()) events.push_back(event);
  return events;
}

domain::Technician FullTimeTechnician(const std::string& id, std::vector<std::string> postal_codes,
                                      std::vector<std::string> delegaciones) {
  domain::Technician t;
  t.id = id;
  t.display_name = "Técnico " + id;
  t.employee_number = "EMP-" + id;
  t.official_id_type = 1;
  t.mobile_phone = "5512345678";
  t.postal_codes = std::move(postal_codes);
  t.delegaciones = std::move(delegaciones);
  for (int weekday = 0; weekday < 7; ++weekday) t.working_hours.push_back({weekday, 8 * 60, 20 * 60});
  t.create_time = t.update_time = absl::Now();
  return t;
}

v1::ServiceOrder ValidOrder(int days_ahead) {
  v1::ServiceOrder o;
  o.set_file_number("EXP-" + UniqueSuffix().substr(0, 8));
  o.mutable_subscriber()->set_given_name("Ana");
  o.mutable_subscriber()->set_family_name("López");
  o.mutable_subscriber()->set_email("ana.lopez@example.com");
  auto* a = o.mutable_address();
  a->set_street("Av. Insurgentes Sur");
  a->set_exterior_number("1602");
  a->set_interior_number("4B");
  a->set_colonia("Crédito Constructor");
  a->set_delegacion("Benito Juárez");
  a->set_postal_code("03100");
  a->set_references("Edificio azul");
  // 10:00-12:00 in the tests' service time zone (UTC-6), inside every test technician's hours
  // whatever the time of day the suite runs at.
  const absl::TimeZone zone = absl::FixedTimeZone(-6 * 3600);
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), zone) + days_ahead;
  absl::Time start = absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 10), zone);
  api::ToProto(start, o.mutable_requested_window()->mutable_start_time());
  api::ToProto(start + absl::Hours(2), o.mutable_requested_window()->mutable_end_time());
  o.mutable_receiver()->set_name("Ana López");
  o.mutable_receiver()->set_phone("55 1234 5678");
  o.set_problem_description("El internet se desconecta cada hora.");
  o.set_charge(v1::ServiceOrder::CHARGE_FREE);
  return o;
}

namespace {
google::rpc::Status RichStatus(const grpc::Status& status) {
  google::rpc::Status rich;
  rich.ParseFromString(status.error_details());
  return rich;
}
}  // namespace

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status rich = RichStatus(status);
  for (const auto& detail : rich.details()) {
    google::rpc::BadRequest bad_request;
    if (detail.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

std::string ErrorReason(const grpc::Status& status) {
  google::rpc::Status rich = RichStatus(status);
  for (const auto& detail : rich.details()) {
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&info)) return info.reason();
  }
  return "";
}

int HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service, grpc::Status* status) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer wire(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &wire, &response,
                 [&](grpc::Status s) { done.set_value(s); });
  *status = done.get_future().get();
  if (!status->ok()) return -1;
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return -1;
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  grpc::health::v1::HealthCheckResponse answer;
  if (!answer.ParseFromString(out)) return -1;
  return answer.status();
}

}  // namespace homevisit::testing
