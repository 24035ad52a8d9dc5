// intake_fuzzer: arbitrary bytes as requests to the order and event RPCs, through validation and
// the real handlers of an in-process server (real gRPC client, real SQLite database in a temp
// folder), plus page-token decoding.
//
// Input layout: byte 0 picks the call (low 3 bits, see Call) and the encoding of the rest
// (bit 3 set: protobuf text format, else binary); byte 1 picks a known order for any order name
// written "serviceOrders/~" (the fuzzer cannot guess the random ids); the rest is the request.
// A requested window that starts before 1973 is read as an offset from the current hour, so the
// seeds stay valid as time passes.
//
// Oracle, beyond the sanitizers: no call may end INTERNAL, UNKNOWN, UNAVAILABLE or past its
// deadline (bad input must be refused with a specific code); a created order reads back equal
// and a retry of its request id returns it; every page token the server hands out is accepted
// with the same filters and pages never repeat an order.
//
//   bash scripts/fuzz.sh                                 # build-fuzz/, 60 s, corpus fuzz/corpus/intake
//   HOMEVISIT_WRITE_SEEDS=fuzz/corpus/intake build-fuzz/fuzz/intake_fuzzer   # rewrite the seeds
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/text_format.h>
#include <unistd.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/page_token.h"
#include "api/server.h"
#include "domain/credential_commands.h"
#include "domain/errors.h"
#include "homevisit/v1/event.grpc.pb.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"

namespace homevisit::fuzz {
namespace {

namespace pb = google::protobuf;

enum Call : uint8_t {
  kCreate = 0,
  kGet = 1,
  kList = 2,        // and then every following page (up to a few)
  kUpdate = 3,
  kCancel = 4,
  kListEvents = 5,
  kDecodeToken = 6,  // the rest is a page token, decoded directly against a list's fingerprint
  kForgedToken = 7,  // the rest, split at '\n', becomes the fields of a well-formed token
};
constexpr int kCalls = 8;
constexpr uint8_t kTextFormatBit = 0x08;
constexpr const char* kKnownOrder = "serviceOrders/~";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "intake_fuzzer: %s\n", what.c_str());
  std::abort();
}

struct Env {
  std::filesystem::path folder;
  std::unique_ptr<api::Server> server;
  std::unique_ptr<v1::ServiceOrderService::Stub> orders;
  std::unique_ptr<v1::EventService::Stub> events;
  std::vector<std::string> known;  // names of orders that exist, newest last (bounded)
  std::string token;               // a DOT supervisor's: may call every RPC fuzzed here
};

Env* env = nullptr;

void Remember(const std::string& name) {
  if (env->known.size() >= 64) env->known.erase(env->known.begin());
  env->known.push_back(name);
}

// Every code a bad request may legitimately get; anything else is a bug in the service.
void CheckStatus(const grpc::Status& status, const char* call) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return;
    default:
      Fail(absl::StrCat(call, " ended ", static_cast<int>(status.error_code()), ": ", status.error_message()));
  }
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  context->AddMetadata("authorization", "Bearer " + env->token);
  return context;
}

void ResolveName(std::string* name, uint8_t pick) {
  if (*name == kKnownOrder && !env->known.empty()) *name = env->known[pick % env->known.size()];
}

void ShiftWindow(v1::ServiceOrder* order) {
  if (!order->has_requested_window()) return;
  constexpr int64_t k1973 = 100'000'000;
  int64_t hour = absl::ToUnixSeconds(absl::Now()) / 3600 * 3600;
  for (auto* ts : {order->mutable_requested_window()->mutable_start_time(),
                   order->mutable_requested_window()->mutable_end_time()}) {
    if (ts->seconds() >= 0 && ts->seconds() < k1973) ts->set_seconds(ts->seconds() + hour);
  }
}

v1::ServiceOrder Get(const std::string& name, grpc::Status* status) {
  v1::GetServiceOrderRequest request;
  request.set_name(name);
  v1::ServiceOrder out;
  *status = env->orders->GetServiceOrder(Context().get(), request, &out);
  return out;
}

void CheckReadsBack(const v1::ServiceOrder& written, const char* call) {
  grpc::Status status;
  v1::ServiceOrder read = Get(written.name(), &status);
  if (!status.ok()) Fail(absl::StrCat(call, ": ", written.name(), " does not read back: ", status.error_message()));
  std::string diff;
  pb::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  if (!differencer.Compare(written, read)) Fail(absl::StrCat(call, ": read back differs: ", diff));
}

void Create(const v1::CreateServiceOrderRequest& in) {
  v1::CreateServiceOrderRequest request = in;
  ShiftWindow(request.mutable_service_order());
  v1::ServiceOrder created;
  grpc::Status status = env->orders->CreateServiceOrder(Context().get(), request, &created);
  CheckStatus(status, "CreateServiceOrder");
  if (!status.ok()) return;
  Remember(created.name());
  CheckReadsBack(created, "CreateServiceOrder");
  v1::ServiceOrder again;
  status = env->orders->CreateServiceOrder(Context().get(), request, &again);
  if (!status.ok() || again.name() != created.name()) {
    Fail(absl::StrCat("a retry of request id '", request.request_id(), "' answered ", static_cast<int>(status.error_code()),
                      " ", status.error_message(), " ", again.name(), " instead of ", created.name()));
  }
}

void List(const v1::ListServiceOrdersRequest& in) {
  v1::ListServiceOrdersRequest request = in;
  std::set<std::string> seen;
  for (int page = 0; page < 4; ++page) {
    v1::ListServiceOrdersResponse response;
    grpc::Status status = env->orders->ListServiceOrders(Context().get(), request, &response);
    CheckStatus(status, "ListServiceOrders");
    if (!status.ok()) {
      if (page > 0) Fail(absl::StrCat("ListServiceOrders refused its own page token: ", status.error_message()));
      return;
    }
    for (const auto& order : response.service_orders()) {
      if (!seen.insert(order.name()).second) Fail(absl::StrCat("ListServiceOrders repeated ", order.name()));
    }
    if (response.next_page_token().empty()) return;
    request.set_page_token(response.next_page_token());
  }
}

void ListEvents(const v1::ListEventsRequest& in) {
  v1::ListEventsRequest request = in;
  for (int page = 0; page < 3; ++page) {
    v1::ListEventsResponse response;
    grpc::Status status = env->events->ListEvents(Context().get(), request, &response);
    CheckStatus(status, "ListEvents");
    if (!status.ok()) {
      if (page > 0) Fail(absl::StrCat("ListEvents refused its own page token: ", status.error_message()));
      return;
    }
    if (response.next_page_token().empty()) return;
    request.set_page_token(response.next_page_token());
  }
}

void DecodeToken(const std::string& token) {
  const std::string fingerprint = api::Fingerprint(v1::ListServiceOrdersRequest().SerializeAsString());
  try {
    auto fields = api::DecodePageToken(token, fingerprint, 2);
    if (fields.size() != 2) Fail("DecodePageToken returned the wrong number of fields");
    // Whatever decodes must survive a round trip.
    if (api::DecodePageToken(api::EncodePageToken(fingerprint, fields), fingerprint, 2) != fields) {
      Fail("page token round trip changed the fields");
    }
  } catch (const domain::DomainError& e) {
    if (e.kind() != domain::ErrorKind::kInvalidArgument) Fail(absl::StrCat("DecodePageToken threw ", e.what()));
  }
}

void ForgedToken(const std::string& rest) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t at; (at = rest.find('\n', start)) != std::string::npos; start = at + 1) {
    fields.push_back(rest.substr(start, at - start));
  }
  fields.push_back(rest.substr(start));
  v1::ListServiceOrdersRequest request;
  request.set_page_size(2);
  v1::ListServiceOrdersRequest filters_only;
  request.set_page_token(api::EncodePageToken(api::Fingerprint(filters_only.SerializeAsString()), fields));
  v1::ListServiceOrdersResponse response;
  CheckStatus(env->orders->ListServiceOrders(Context().get(), request, &response), "ListServiceOrders (forged)");
}

template <typename Message>
bool Parse(const std::string& bytes, bool text, Message* out) {
  if (!text) return out->ParseFromString(bytes);
  class Silent : public pb::io::ErrorCollector {
   public:
    void AddError(int, int, const std::string&) override {}
    void AddWarning(int, int, const std::string&) override {}
  } silent;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&silent);
  if (!parser.ParseFromString(bytes, out)) return false;
  // Text format takes escapes that make invalid UTF-8 in string fields, which no client can
  // send (the server's parser refuses them before our code runs): keep only what goes on the wire.
  Message wire;
  return wire.ParseFromString(out->SerializeAsString());
}

void RunOne(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const auto call = static_cast<Call>(data[0] % kCalls);
  const bool text = (data[0] & kTextFormatBit) != 0;
  const uint8_t pick = data[1];
  const std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
  switch (call) {
    case kCreate: {
      v1::CreateServiceOrderRequest request;
      if (Parse(rest, text, &request)) Create(request);
      break;
    }
    case kGet: {
      v1::GetServiceOrderRequest request;
      if (!Parse(rest, text, &request)) break;
      ResolveName(request.mutable_name(), pick);
      grpc::Status status;
      Get(request.name(), &status);
      CheckStatus(status, "GetServiceOrder");
      break;
    }
    case kList: {
      v1::ListServiceOrdersRequest request;
      if (Parse(rest, text, &request)) List(request);
      break;
    }
    case kUpdate: {
      v1::UpdateServiceOrderRequest request;
      if (!Parse(rest, text, &request)) break;
      ResolveName(request.mutable_service_order()->mutable_name(), pick);
      ShiftWindow(request.mutable_service_order());
      v1::ServiceOrder updated;
      grpc::Status status = env->orders->UpdateServiceOrder(Context().get(), request, &updated);
      CheckStatus(status, "UpdateServiceOrder");
      if (status.ok()) CheckReadsBack(updated, "UpdateServiceOrder");
      break;
    }
    case kCancel: {
      v1::CancelServiceOrderRequest request;
      if (!Parse(rest, text, &request)) break;
      ResolveName(request.mutable_name(), pick);
      v1::ServiceOrder cancelled;
      grpc::Status status = env->orders->CancelServiceOrder(Context().get(), request, &cancelled);
      CheckStatus(status, "CancelServiceOrder");
      if (status.ok()) CheckReadsBack(cancelled, "CancelServiceOrder");
      break;
    }
    case kListEvents: {
      v1::ListEventsRequest request;
      if (!Parse(rest, text, &request)) break;
      ResolveName(request.mutable_service_order(), pick);
      ListEvents(request);
      break;
    }
    case kDecodeToken:
      DecodeToken(rest);
      break;
    case kForgedToken:
      ForgedToken(rest);
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Seeds: a few valid and invalid requests of each call, written by HOMEVISIT_WRITE_SEEDS=DIR.

v1::ServiceOrder ValidOrder() {
  v1::ServiceOrder o;
  o.set_file_number("EXP-400100");
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
  // Offsets from the current hour (see ShiftWindow): two days ahead, two hours long.
  o.mutable_requested_window()->mutable_start_time()->set_seconds(48 * 3600);
  o.mutable_requested_window()->mutable_end_time()->set_seconds(50 * 3600);
  o.mutable_receiver()->set_name("Ana López");
  o.mutable_receiver()->set_phone("55 1234 5678");
  o.set_problem_description("El internet se desconecta cada hora.");
  o.set_charge(v1::ServiceOrder::CHARGE_FREE);
  return o;
}

void WriteSeed(const std::filesystem::path& dir, const std::string& name, Call call, bool text,
               const pb::Message& message, uint8_t pick = 0) {
  std::string body;
  if (text) {
    pb::TextFormat::PrintToString(message, &body);
  } else {
    message.SerializeToString(&body);
  }
  std::string bytes;
  bytes.push_back(static_cast<char>(call | (text ? kTextFormatBit : 0)));
  bytes.push_back(static_cast<char>(pick));
  bytes += body;
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

void WriteRawSeed(const std::filesystem::path& dir, const std::string& name, Call call, const std::string& rest) {
  std::ofstream(dir / name, std::ios::binary) << static_cast<char>(call) << '\0' << rest;
}

void WriteSeeds(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  v1::CreateServiceOrderRequest create;
  create.set_request_id("seed-1");
  *create.mutable_service_order() = ValidOrder();
  WriteSeed(dir, "create-valid.bin", kCreate, false, create);
  create.set_request_id("seed-2");
  WriteSeed(dir, "create-valid.txt", kCreate, true, create);
  create.mutable_service_order()->mutable_subscriber()->set_email("laura@");
  create.mutable_service_order()->mutable_address()->set_postal_code("6700");
  create.mutable_service_order()->mutable_requested_window()->mutable_end_time()->set_seconds(47 * 3600);
  WriteSeed(dir, "create-invalid.bin", kCreate, false, create);
  WriteSeed(dir, "create-empty.bin", kCreate, false, v1::CreateServiceOrderRequest());

  v1::GetServiceOrderRequest get;
  get.set_name(kKnownOrder);
  WriteSeed(dir, "get-known.bin", kGet, false, get, 1);
  get.set_name("serviceOrders/does-not-exist");
  WriteSeed(dir, "get-unknown.txt", kGet, true, get);
  get.set_name("technicians/x/serviceOrders/");
  WriteSeed(dir, "get-malformed.bin", kGet, false, get);

  v1::ListServiceOrdersRequest list;
  list.set_page_size(1);
  WriteSeed(dir, "list-pages.bin", kList, false, list);
  list.set_file_number("EXP-400100");
  list.add_states(v1::ServiceOrder::STATE_REQUESTED);
  list.mutable_window_start_after()->set_seconds(1'700'000'000);
  WriteSeed(dir, "list-filtered.txt", kList, true, list);
  list.set_page_token("not-a-token");
  list.add_states(static_cast<v1::ServiceOrder::State>(99));
  list.set_technician("technicians/demo-tech-1");
  WriteSeed(dir, "list-invalid.bin", kList, false, list);

  v1::UpdateServiceOrderRequest update;
  update.mutable_service_order()->set_name(kKnownOrder);
  update.mutable_service_order()->mutable_receiver()->set_phone("55 8765 4321");
  update.mutable_service_order()->mutable_receiver()->set_name("Pedro López");
  update.mutable_update_mask()->add_paths("receiver");
  WriteSeed(dir, "update-receiver.bin", kUpdate, false, update, 2);
  update.mutable_service_order()->set_etag("v1");
  update.mutable_update_mask()->add_paths("file_number");
  WriteSeed(dir, "update-invalid.txt", kUpdate, true, update, 2);

  v1::CancelServiceOrderRequest cancel;
  cancel.set_name(kKnownOrder);
  cancel.set_reason("El suscriptor resolvió el problema");
  WriteSeed(dir, "cancel-known.bin", kCancel, false, cancel, 3);
  cancel.set_reason("");
  cancel.set_etag("v9");
  WriteSeed(dir, "cancel-invalid.bin", kCancel, false, cancel, 3);

  v1::ListEventsRequest events;
  events.set_service_order(kKnownOrder);
  events.set_page_size(1);
  WriteSeed(dir, "events-known.bin", kListEvents, false, events, 4);
  events.set_service_order("");
  events.set_file_number("EXP-400100");
  events.add_types(v1::Event::TYPE_ORDER_CREATED);
  WriteSeed(dir, "events-file.txt", kListEvents, true, events);

  WriteRawSeed(dir, "token-garbage", kDecodeToken, "MXgxZjAwMDA%%");
  WriteRawSeed(dir, "token-forged", kForgedToken, "9223372036854775807\nzzzz");
  WriteRawSeed(dir, "token-forged-negative", kForgedToken, "-9223372036854775808\n");
}

}  // namespace
}  // namespace homevisit::fuzz

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  using namespace homevisit;
  if (const char* dir = std::getenv("HOMEVISIT_WRITE_SEEDS")) {
    fuzz::WriteSeeds(dir);
    std::printf("intake_fuzzer: seeds written to %s\n", dir);
    std::exit(0);
  }
  google::protobuf::SetLogHandler(nullptr);  // protobuf's complaints about invalid UTF-8 are expected here
  // Never freed: the server must outlive every input, and LeakSanitizer sees it as reachable.
  fuzz::env = new fuzz::Env;
  const char* shm = "/dev/shm";
  std::filesystem::path base = std::filesystem::exists(shm) ? shm : std::filesystem::temp_directory_path();
  fuzz::env->folder = base / absl::StrCat("homevisit-fuzz-", getpid());
  std::filesystem::create_directories(fuzz::env->folder);
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(fuzz::env->folder, ignored);
  });
  api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.database.url = absl::StrCat("sqlite:", (fuzz::env->folder / "fuzz.db").string());
  options.database.pool_size = 2;
  options.time_zone = absl::FixedTimeZone(-6 * 3600);
  options.worker_threads = 2;
  options.demo_data = true;
  options.late_sweep_interval = absl::ZeroDuration();
  fuzz::env->server = api::Server::Start(options);
  fuzz::env->token = fuzz::env->server->database().Write([](domain::UnitOfWork& work) {
    domain::Credential wanted;
    wanted.principal = "intake-fuzzer";
    wanted.role = domain::Role::kDotSupervisor;
    return domain::IssueCredential(work, wanted, {"intake-fuzzer", domain::Role::kAdmin, ""}, absl::Now()).token;
  });
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", fuzz::env->server->port()),
                                     grpc::InsecureChannelCredentials());
  fuzz::env->orders = v1::ServiceOrderService::NewStub(channel);
  fuzz::env->events = v1::EventService::NewStub(channel);
  v1::ListServiceOrdersResponse demo;
  if (!fuzz::env->orders->ListServiceOrders(fuzz::Context().get(), v1::ListServiceOrdersRequest(), &demo).ok()) {
    fuzz::Fail("cannot list the demo orders");
  }
  for (const auto& order : demo.service_orders()) fuzz::Remember(order.name());
  // libFuzzer ends with exit(): stop the server (its threads poll the database) before the
  // statics it uses are destroyed and before the folder above is removed. Registered last, so it
  // runs first.
  std::atexit([] {
    fuzz::env->orders.reset();
    fuzz::env->events.reset();
    fuzz::env->server.reset();
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  homevisit::fuzz::RunOne(data, size);
  return 0;
}
