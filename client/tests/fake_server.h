#pragma once
// A scripted stand-in for homevisitd: it records what arrives (authorization headers, request
// ids) and answers UNAVAILABLE a given number of times, never, or with a given status.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "homevisit/v1/credential.grpc.pb.h"
#include "homevisit/v1/event.grpc.pb.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "homevisit/v1/visit_report.grpc.pb.h"

namespace homevisit::client::testing {

struct Script {
  int unavailable_first = 0;            // this many UNAVAILABLE answers before the real one
  bool hang = false;                    // never answer: only the deadline ends the call
  std::optional<grpc::Status> answer;   // else a ServiceOrder named serviceOrders/fake
};

class FakeServer {
 public:
  explicit FakeServer(std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials());
  ~FakeServer();
  std::string address() const { return address_; }
  void set_script(Script script);
  int calls() const { return calls_; }
  std::vector<std::string> authorization() const;
  std::vector<std::string> request_ids() const;
  // Every List RPC (ListServiceOrders, ListTechnicians, ListEvents, ListCredentials,
  // ListVisitReports) answers these pages of item names, the token being the next page's index;
  // the page at `failing_page` (if any) answers `failure` instead.
  void set_pages(std::vector<std::vector<std::string>> pages, int failing_page = -1,
                 grpc::Status failure = grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no"));
  std::vector<std::string> page_tokens() const;   // the page_token of each List call, in order
  std::vector<std::string> page_methods() const;  // the method of each List call ("ListEvents")
  std::vector<int> page_sizes() const;            // the page_size of each List call

 private:
  class Orders;
  class Scheduling;
  class Technicians;
  class Events;
  class Credentials;
  class Reports;
  grpc::Status Answer(grpc::ServerContext* context, const std::string& request_id, v1::ServiceOrder* response);
  // One page of `method`: records the call, and calls `add_item` for each name of the page.
  grpc::Status AnswerPage(const std::string& method, const std::string& page_token, int page_size,
                          std::string* next_page_token, const std::function<void(const std::string&)>& add_item);

  std::unique_ptr<Orders> orders_;
  std::unique_ptr<Scheduling> scheduling_;
  std::unique_ptr<Technicians> technicians_;
  std::unique_ptr<Events> events_;
  std::unique_ptr<Credentials> credentials_;
  std::unique_ptr<Reports> reports_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  mutable std::mutex mu_;
  Script script_;
  std::atomic<int> calls_{0};
  std::vector<std::string> authorization_;
  std::vector<std::string> request_ids_;
  std::vector<std::vector<std::string>> pages_;
  int failing_page_ = -1;
  grpc::Status failure_;
  std::vector<std::string> page_tokens_;
  std::vector<std::string> page_methods_;
  std::vector<int> page_sizes_;
};

}  // namespace homevisit::client::testing
