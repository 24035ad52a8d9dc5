#pragma once
// A scripted stand-in for homevisitd: it records what arrives (authorization headers, request
// ids) and answers UNAVAILABLE a given number of times, never, or with a given status.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"

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
  // ListServiceOrders answers these pages (order names), the token being the next page's index;
  // the page at `failing_page` (if any) answers `failure` instead.
  void set_pages(std::vector<std::vector<std::string>> pages, int failing_page = -1,
                 grpc::Status failure = grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no"));
  std::vector<std::string> page_tokens() const;

 private:
  class Orders;
  class Scheduling;
  grpc::Status Answer(grpc::ServerContext* context, const std::string& request_id, v1::ServiceOrder* response);

  std::unique_ptr<Orders> orders_;
  std::unique_ptr<Scheduling> scheduling_;
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
};

}  // namespace homevisit::client::testing
