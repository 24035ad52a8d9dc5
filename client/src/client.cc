#include "homevisit/client/client.h"

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace homevisit::client {
namespace {

using Clock = std::chrono::system_clock;

bool ReadFile(const std::string& path, std::string* contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *contents = buffer.str();
  return true;
}

}  // namespace

std::string NewRequestId() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  unsigned long long hi = engine(), lo = engine();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", hi >> 32, (hi >> 16) & 0xffff,
                hi & 0xffff, lo >> 48, lo & 0xffffffffffffULL);
  return text;
}

Result<std::unique_ptr<Client>> Client::Connect(ClientOptions options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls.enabled) {
    grpc::SslCredentialsOptions ssl;
    const struct {
      const std::string& path;
      std::string* into;
    } files[] = {{options.tls.root_certs_file, &ssl.pem_root_certs},
                 {options.tls.cert_chain_file, &ssl.pem_cert_chain},
                 {options.tls.private_key_file, &ssl.pem_private_key}};
    for (const auto& file : files) {
      if (!file.path.empty() && !ReadFile(file.path, file.into)) {
        return Error(grpc::StatusCode::INVALID_ARGUMENT, "cannot read TLS file " + file.path);
      }
    }
    if (ssl.pem_cert_chain.empty() != ssl.pem_private_key.empty()) {
      return Error(grpc::StatusCode::INVALID_ARGUMENT, "mutual TLS needs both a certificate and a key file");
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments arguments;
  if (options.tls.enabled && !options.tls.server_name_override.empty()) {
    arguments.SetSslTargetNameOverride(options.tls.server_name_override);
  }
  auto channel = grpc::CreateCustomChannel(options.target, credentials, arguments);
  return std::make_unique<Client>(std::move(channel), std::move(options));
}

Client::Client(std::shared_ptr<grpc::Channel> channel, ClientOptions options)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      orders_(v1::ServiceOrderService::NewStub(channel_)),
      scheduling_(v1::SchedulingService::NewStub(channel_)),
      events_(v1::EventService::NewStub(channel_)),
      technicians_(v1::TechnicianService::NewStub(channel_)),
      reports_(v1::VisitReportService::NewStub(channel_)),
      credentials_(v1::CredentialService::NewStub(channel_)),
      visits_(v1::VisitService::NewStub(channel_)),
      reporting_(v1::ReportingService::NewStub(channel_)) {}

Clock::time_point Client::DeadlineOf(const CallOptions& call) const {
  return Clock::now() + call.timeout.value_or(options_.default_timeout);
}

void Client::Prepare(grpc::ClientContext* context, const CallOptions& call,
                     std::optional<Clock::time_point> deadline) const {
  if (deadline) context->set_deadline(*deadline);
  // Per-call metadata rather than call credentials: gRPC drops call credentials on plaintext
  // channels, and loopback tests and TLS deployments must send the same header.
  std::string token = options_.token_source ? options_.token_source() : options_.token;
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  for (const auto& [key, value] : call.metadata) context->AddMetadata(key, value);
}

std::unique_ptr<grpc::ClientContext> Client::NewContext(const CallOptions& call) const {
  auto context = std::make_unique<grpc::ClientContext>();
  Prepare(context.get(), call, DeadlineOf(call));
  return context;
}

grpc::Status Client::RunWithRetry(bool idempotent, const CallOptions& call,
                                  const std::function<grpc::Status(grpc::ClientContext*)>& attempt) const {
  const Clock::time_point deadline = DeadlineOf(call);
  for (int n = 1;; ++n) {
    grpc::ClientContext context;
    Prepare(&context, call, deadline);
    grpc::Status status = attempt(&context);
    if (!ShouldRetry(options_.retry, idempotent, status, n)) return status;
    auto wait = Backoff(options_.retry, n);
    if (Clock::now() + wait >= deadline) return status;  // no time left for another attempt
    std::this_thread::sleep_for(wait);
  }
}

Result<v1::ServiceOrder> Client::CreateServiceOrder(const v1::ServiceOrder& order, std::string request_id,
                                                    const CallOptions& call) {
  v1::CreateServiceOrderRequest request;
  *request.mutable_service_order() = order;
  request.set_request_id(request_id.empty() ? NewRequestId() : std::move(request_id));
  return Call<v1::ServiceOrder>(true, call, [&](grpc::ClientContext* c, v1::ServiceOrder* r) {
    return orders_->CreateServiceOrder(c, request, r);
  });
}

Result<v1::ServiceOrder> Client::GetServiceOrder(const std::string& name, const CallOptions& call) {
  v1::GetServiceOrderRequest request;
  request.set_name(name);
  return Call<v1::ServiceOrder>(true, call, [&](grpc::ClientContext* c, v1::ServiceOrder* r) {
    return orders_->GetServiceOrder(c, request, r);
  });
}

Result<v1::ListServiceOrdersResponse> Client::ListServiceOrders(const v1::ListServiceOrdersRequest& request,
                                                                const CallOptions& call) {
  return Call<v1::ListServiceOrdersResponse>(true, call, [&](grpc::ClientContext* c, v1::ListServiceOrdersResponse* r) {
    return orders_->ListServiceOrders(c, request, r);
  });
}

Result<v1::ServiceOrder> Client::CancelServiceOrder(const std::string& name, const std::string& reason,
                                                    const std::string& etag, const CallOptions& call) {
  v1::CancelServiceOrderRequest request;
  request.set_name(name);
  request.set_reason(reason);
  request.set_etag(etag);
  request.set_request_id(NewRequestId());
  return Call<v1::ServiceOrder>(true, call, [&](grpc::ClientContext* c, v1::ServiceOrder* r) {
    return orders_->CancelServiceOrder(c, request, r);
  });
}

Result<v1::CheckAvailabilityResponse> Client::CheckAvailability(const v1::CheckAvailabilityRequest& request,
                                                                const CallOptions& call) {
  return Call<v1::CheckAvailabilityResponse>(true, call, [&](grpc::ClientContext* c, v1::CheckAvailabilityResponse* r) {
    return scheduling_->CheckAvailability(c, request, r);
  });
}

Result<v1::Hold> Client::CreateHold(v1::CreateHoldRequest request, const CallOptions& call) {
  if (request.request_id().empty()) request.set_request_id(NewRequestId());
  return Call<v1::Hold>(true, call, [&](grpc::ClientContext* c, v1::Hold* r) {
    return scheduling_->CreateHold(c, request, r);
  });
}

Result<v1::Hold> Client::ReleaseHold(const std::string& name, const CallOptions& call) {
  v1::ReleaseHoldRequest request;
  request.set_name(name);
  request.set_request_id(NewRequestId());
  return Call<v1::Hold>(true, call, [&](grpc::ClientContext* c, v1::Hold* r) {
    return scheduling_->ReleaseHold(c, request, r);
  });
}

Result<v1::ServiceOrder> Client::BookAppointment(v1::BookAppointmentRequest request, const CallOptions& call) {
  if (request.request_id().empty()) request.set_request_id(NewRequestId());
  return Call<v1::ServiceOrder>(true, call, [&](grpc::ClientContext* c, v1::ServiceOrder* r) {
    return scheduling_->BookAppointment(c, request, r);
  });
}

Result<v1::VisitReport> Client::GetVisitReport(const std::string& name, const CallOptions& call) {
  v1::GetVisitReportRequest request;
  request.set_name(name);
  return Call<v1::VisitReport>(true, call, [&](grpc::ClientContext* c, v1::VisitReport* r) {
    return reports_->GetVisitReport(c, request, r);
  });
}

Result<v1::VisitReportDocument> Client::GetVisitReportDocument(const std::string& name, const CallOptions& call) {
  v1::GetVisitReportDocumentRequest request;
  request.set_name(name);
  return Call<v1::VisitReportDocument>(true, call, [&](grpc::ClientContext* c, v1::VisitReportDocument* r) {
    return reports_->GetVisitReportDocument(c, request, r);
  });
}

Result<v1::ListVisitReportsResponse> Client::ListVisitReports(const v1::ListVisitReportsRequest& request,
                                                              const CallOptions& call) {
  return Call<v1::ListVisitReportsResponse>(true, call, [&](grpc::ClientContext* c, v1::ListVisitReportsResponse* r) {
    return reports_->ListVisitReports(c, request, r);
  });
}

Result<v1::ProgramMetrics> Client::GetProgramMetrics(const v1::GetProgramMetricsRequest& request,
                                                     const CallOptions& call) {
  return Call<v1::ProgramMetrics>(true, call, [&](grpc::ClientContext* c, v1::ProgramMetrics* r) {
    return reporting_->GetProgramMetrics(c, request, r);
  });
}

Result<v1::Technician> Client::GetTechnician(const std::string& name, const CallOptions& call) {
  v1::GetTechnicianRequest request;
  request.set_name(name);
  return Call<v1::Technician>(true, call, [&](grpc::ClientContext* c, v1::Technician* r) {
    return technicians_->GetTechnician(c, request, r);
  });
}

Result<v1::ListTechniciansResponse> Client::ListTechnicians(const v1::ListTechniciansRequest& request,
                                                            const CallOptions& call) {
  return Call<v1::ListTechniciansResponse>(true, call, [&](grpc::ClientContext* c, v1::ListTechniciansResponse* r) {
    return technicians_->ListTechnicians(c, request, r);
  });
}

Result<v1::CreateCredentialResponse> Client::CreateCredential(const v1::Credential& credential,
                                                              const CallOptions& call) {
  v1::CreateCredentialRequest request;
  *request.mutable_credential() = credential;
  // Not retried: a retry after a lost answer would issue a second token.
  return Call<v1::CreateCredentialResponse>(false, call, [&](grpc::ClientContext* c, v1::CreateCredentialResponse* r) {
    return credentials_->CreateCredential(c, request, r);
  });
}

Result<v1::ListCredentialsResponse> Client::ListCredentials(const v1::ListCredentialsRequest& request,
                                                            const CallOptions& call) {
  return Call<v1::ListCredentialsResponse>(true, call, [&](grpc::ClientContext* c, v1::ListCredentialsResponse* r) {
    return credentials_->ListCredentials(c, request, r);
  });
}

Result<v1::Credential> Client::RevokeCredential(const std::string& name, const CallOptions& call) {
  v1::RevokeCredentialRequest request;
  request.set_name(name);
  request.set_request_id(NewRequestId());  // a retry answers what the first revocation did
  return Call<v1::Credential>(true, call, [&](grpc::ClientContext* c, v1::Credential* r) {
    return credentials_->RevokeCredential(c, request, r);
  });
}

Result<v1::ListEventsResponse> Client::ListEvents(const v1::ListEventsRequest& request, const CallOptions& call) {
  return Call<v1::ListEventsResponse>(true, call, [&](grpc::ClientContext* c, v1::ListEventsResponse* r) {
    return events_->ListEvents(c, request, r);
  });
}

namespace {
// One walk for every pager: `list` reads a page, `items` picks its repeated field.
template <typename Request, typename List, typename Items, typename OnItem>
Error ForEachPage(Request request, List list, Items items, const OnItem& on_item) {
  do {
    auto page = list(request);
    if (!page.ok()) return page.error();
    for (const auto& item : items(*page)) {
      if (!on_item(item)) return Error();
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return Error();
}
}  // namespace

Error Client::ForEachServiceOrder(v1::ListServiceOrdersRequest request,
                                  const std::function<bool(const v1::ServiceOrder&)>& on_item, const CallOptions& call) {
  return ForEachPage(
      std::move(request), [&](const auto& r) { return ListServiceOrders(r, call); },
      [](const auto& page) -> const auto& { return page.service_orders(); }, on_item);
}

Error Client::ForEachTechnician(v1::ListTechniciansRequest request,
                                const std::function<bool(const v1::Technician&)>& on_item, const CallOptions& call) {
  return ForEachPage(
      std::move(request), [&](const auto& r) { return ListTechnicians(r, call); },
      [](const auto& page) -> const auto& { return page.technicians(); }, on_item);
}

Error Client::ForEachEvent(v1::ListEventsRequest request, const std::function<bool(const v1::Event&)>& on_item,
                           const CallOptions& call) {
  return ForEachPage(
      std::move(request), [&](const auto& r) { return ListEvents(r, call); },
      [](const auto& page) -> const auto& { return page.events(); }, on_item);
}

Error Client::ForEachCredential(v1::ListCredentialsRequest request,
                                const std::function<bool(const v1::Credential&)>& on_item, const CallOptions& call) {
  return ForEachPage(
      std::move(request), [&](const auto& r) { return ListCredentials(r, call); },
      [](const auto& page) -> const auto& { return page.credentials(); }, on_item);
}

Error Client::ForEachVisitReport(v1::ListVisitReportsRequest request,
                                 const std::function<bool(const v1::VisitReport&)>& on_item, const CallOptions& call) {
  return ForEachPage(
      std::move(request), [&](const auto& r) { return ListVisitReports(r, call); },
      [](const auto& page) -> const auto& { return page.visit_reports(); }, on_item);
}

Error Client::WatchEvents(const v1::WatchEventsRequest& request,
                          const std::function<bool(const v1::Event&)>& on_event, const CallOptions& call) {
  grpc::ClientContext context;
  Prepare(&context, call, call.timeout ? std::optional(DeadlineOf(call)) : std::nullopt);
  auto reader = events_->WatchEvents(&context, request);
  v1::WatchEventsResponse message;
  bool stopped = false;
  while (reader->Read(&message)) {
    if (!on_event(message.event())) {
      stopped = true;
      context.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  if (stopped) return Error();
  return Error::FromStatus(status);
}

}  // namespace homevisit::client
