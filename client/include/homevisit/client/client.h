#pragma once
// A thin, ergonomic C++ client of homevisit: one channel with credentials and TLS, a default
// deadline on every call, retries of idempotent calls on UNAVAILABLE, and errors that expose
// the server's field violations. The generated stubs stay reachable for everything else.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "homevisit/client/error.h"
#include "homevisit/client/retry.h"
#include "homevisit/v1/credential.grpc.pb.h"
#include "homevisit/v1/event.grpc.pb.h"
#include "homevisit/v1/reporting_service.grpc.pb.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "homevisit/v1/visit_report.grpc.pb.h"
#include "homevisit/v1/visit_service.grpc.pb.h"

namespace homevisit::client {

struct TlsOptions {
  bool enabled = false;
  std::string root_certs_file;     // PEM; empty: the system roots
  std::string cert_chain_file;     // PEM client certificate, for mutual TLS
  std::string private_key_file;    // PEM client key, for mutual TLS
  std::string server_name_override;  // the name to check in the server certificate (tests)
};

struct ClientOptions {
  std::string target = "127.0.0.1:50051";  // HOST:PORT or any gRPC target URI
  // Sent as `authorization: Bearer <token>` on every call when not empty.
  std::string token;
  // When set, called before every call for a fresh token (it wins over `token`).
  std::function<std::string()> token_source;
  TlsOptions tls;
  // Deadline of a call when CallOptions gives none; it covers all attempts of a retried call.
  std::chrono::milliseconds default_timeout{10000};
  RetryPolicy retry;
  // Streams (WatchEvents) run without a deadline unless CallOptions gives one.
};

struct CallOptions {
  std::optional<std::chrono::milliseconds> timeout;  // overrides ClientOptions::default_timeout
  std::vector<std::pair<std::string, std::string>> metadata;  // extra request headers
};

class Client {
 public:
  // Reads the TLS files and opens the channel (lazily: nothing is dialled until the first call).
  static Result<std::unique_ptr<Client>> Connect(ClientOptions options);
  // Over an existing channel (tests, custom channel arguments).
  Client(std::shared_ptr<grpc::Channel> channel, ClientOptions options);

  // Intake [S1]. An empty request_id is replaced by a random UUID, which makes the call safe to
  // retry: a retry returns the first order and creates nothing.
  Result<v1::ServiceOrder> CreateServiceOrder(const v1::ServiceOrder& order, std::string request_id = "",
                                              const CallOptions& call = {});
  Result<v1::ServiceOrder> GetServiceOrder(const std::string& name, const CallOptions& call = {});
  Result<v1::ListServiceOrdersResponse> ListServiceOrders(const v1::ListServiceOrdersRequest& request,
                                                          const CallOptions& call = {});
  Result<v1::ServiceOrder> CancelServiceOrder(const std::string& name, const std::string& reason,
                                              const std::string& etag = "", const CallOptions& call = {});

  Result<v1::CheckAvailabilityResponse> CheckAvailability(const v1::CheckAvailabilityRequest& request,
                                                          const CallOptions& call = {});
  // Holds, bookings and every write below carry a request id (a fresh one when the request has
  // none), so they are retried safely (sdk/README.md).
  Result<v1::Hold> CreateHold(v1::CreateHoldRequest request, const CallOptions& call = {});
  Result<v1::Hold> ReleaseHold(const std::string& name, const CallOptions& call = {});
  // Retried only when request.request_id() is set.
  Result<v1::ServiceOrder> BookAppointment(v1::BookAppointmentRequest request, const CallOptions& call = {});

  Result<v1::VisitReport> GetVisitReport(const std::string& name, const CallOptions& call = {});
  // The report's document as issued at completion (the PDF and its evidence hashes);
  // `name` is serviceOrders/{id}/visitReport/document.
  Result<v1::VisitReportDocument> GetVisitReportDocument(const std::string& name, const CallOptions& call = {});
  Result<v1::ListVisitReportsResponse> ListVisitReports(const v1::ListVisitReportsRequest& request,
                                                        const CallOptions& call = {});

  // The contract figures of a period (DOT supervisors, dispatchers).
  Result<v1::ProgramMetrics> GetProgramMetrics(const v1::GetProgramMetricsRequest& request,
                                               const CallOptions& call = {});

  Result<v1::Technician> GetTechnician(const std::string& name, const CallOptions& call = {});
  Result<v1::ListTechniciansResponse> ListTechnicians(const v1::ListTechniciansRequest& request,
                                                      const CallOptions& call = {});

  // Credentials (admin only). The token is in the response of CreateCredential and nowhere else.
  Result<v1::CreateCredentialResponse> CreateCredential(const v1::Credential& credential,
                                                        const CallOptions& call = {});
  Result<v1::ListCredentialsResponse> ListCredentials(const v1::ListCredentialsRequest& request,
                                                      const CallOptions& call = {});
  Result<v1::Credential> RevokeCredential(const std::string& name, const CallOptions& call = {});

  Result<v1::ListEventsResponse> ListEvents(const v1::ListEventsRequest& request, const CallOptions& call = {});
  // Pagers: call `on_item` for every item of every page, following next_page_token from
  // request.page_token(), until it returns false or the last page. Each page is one List call
  // with the client's deadline and retry policy; the first failed page ends the walk and its
  // error is returned (items of earlier pages were already delivered). OK when done or stopped.
  Error ForEachServiceOrder(v1::ListServiceOrdersRequest request,
                            const std::function<bool(const v1::ServiceOrder&)>& on_item, const CallOptions& call = {});
  Error ForEachTechnician(v1::ListTechniciansRequest request,
                          const std::function<bool(const v1::Technician&)>& on_item, const CallOptions& call = {});
  Error ForEachEvent(v1::ListEventsRequest request, const std::function<bool(const v1::Event&)>& on_item,
                     const CallOptions& call = {});
  Error ForEachCredential(v1::ListCredentialsRequest request,
                          const std::function<bool(const v1::Credential&)>& on_item, const CallOptions& call = {});
  Error ForEachVisitReport(v1::ListVisitReportsRequest request,
                           const std::function<bool(const v1::VisitReport&)>& on_item, const CallOptions& call = {});
  // Streams events to `on_event` until it returns false, the stream ends, or the deadline (none
  // by default) passes. Returns OK when `on_event` stopped the stream. Not retried.
  Error WatchEvents(const v1::WatchEventsRequest& request, const std::function<bool(const v1::Event&)>& on_event,
                    const CallOptions& call = {});

  // The generated stubs, for the methods this layer does not wrap. Use NewContext() for them.
  v1::ServiceOrderService::Stub& orders() { return *orders_; }
  v1::SchedulingService::Stub& scheduling() { return *scheduling_; }
  v1::EventService::Stub& events() { return *events_; }
  v1::TechnicianService::Stub& technicians() { return *technicians_; }
  v1::VisitReportService::Stub& reports() { return *reports_; }
  // The visit steps (technicians; DOT's calls and conference): call them through Call() for the
  // token, the deadline and the retry policy.
  v1::VisitService::Stub& visits() { return *visits_; }
  v1::CredentialService::Stub& credentials() { return *credentials_; }
  v1::ReportingService::Stub& reporting() { return *reporting_; }
  // A context carrying the token, the deadline and the extra metadata.
  std::unique_ptr<grpc::ClientContext> NewContext(const CallOptions& call = {}) const;
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // Runs `rpc(context, response)` with the deadline and the token, retrying per sdk/README.md
  // when `idempotent`. Public so that callers can wrap generated methods the same way.
  template <typename Response>
  Result<Response> Call(bool idempotent, const CallOptions& call,
                        const std::function<grpc::Status(grpc::ClientContext*, Response*)>& rpc) const {
    Response response;
    grpc::Status status = RunWithRetry(idempotent, call, [&](grpc::ClientContext* context) {
      response.Clear();
      return rpc(context, &response);
    });
    if (!status.ok()) return Error::FromStatus(status);
    return response;
  }

 private:
  grpc::Status RunWithRetry(bool idempotent, const CallOptions& call,
                            const std::function<grpc::Status(grpc::ClientContext*)>& attempt) const;
  void Prepare(grpc::ClientContext* context, const CallOptions& call,
               std::optional<std::chrono::system_clock::time_point> deadline) const;
  std::chrono::system_clock::time_point DeadlineOf(const CallOptions& call) const;

  ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ServiceOrderService::Stub> orders_;
  std::unique_ptr<v1::SchedulingService::Stub> scheduling_;
  std::unique_ptr<v1::EventService::Stub> events_;
  std::unique_ptr<v1::TechnicianService::Stub> technicians_;
  std::unique_ptr<v1::VisitReportService::Stub> reports_;
  std::unique_ptr<v1::CredentialService::Stub> credentials_;
  std::unique_ptr<v1::VisitService::Stub> visits_;
  std::unique_ptr<v1::ReportingService::Stub> reporting_;
};

// A random version-4 UUID, for request ids.
std::string NewRequestId();

}  // namespace homevisit::client
