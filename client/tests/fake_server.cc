#include "fake_server.h"

#include <chrono>
#include <thread>

namespace homevisit::client::testing {

class FakeServer::Orders final : public v1::ServiceOrderService::Service {
 public:
  explicit Orders(FakeServer* owner) : owner_(owner) {}
  grpc::Status CreateServiceOrder(grpc::ServerContext* c, const v1::CreateServiceOrderRequest* request,
                                  v1::ServiceOrder* response) override {
    return owner_->Answer(c, request->request_id(), response);
  }
  grpc::Status GetServiceOrder(grpc::ServerContext* c, const v1::GetServiceOrderRequest*,
                               v1::ServiceOrder* response) override {
    return owner_->Answer(c, "", response);
  }
  grpc::Status CancelServiceOrder(grpc::ServerContext* c, const v1::CancelServiceOrderRequest* request,
                                  v1::ServiceOrder* response) override {
    return owner_->Answer(c, request->request_id(), response);
  }
  grpc::Status ListServiceOrders(grpc::ServerContext*, const v1::ListServiceOrdersRequest* request,
                                 v1::ListServiceOrdersResponse* response) override {
    return owner_->AnswerPage("ListServiceOrders", request->page_token(), request->page_size(),
                              response->mutable_next_page_token(),
                              [&](const std::string& name) { response->add_service_orders()->set_name(name); });
  }

 private:
  FakeServer* owner_;
};

class FakeServer::Scheduling final : public v1::SchedulingService::Service {
 public:
  explicit Scheduling(FakeServer* owner) : owner_(owner) {}
  grpc::Status BookAppointment(grpc::ServerContext* c, const v1::BookAppointmentRequest* request,
                               v1::ServiceOrder* response) override {
    return owner_->Answer(c, request->request_id(), response);
  }

 private:
  FakeServer* owner_;
};

class FakeServer::Technicians final : public v1::TechnicianService::Service {
 public:
  explicit Technicians(FakeServer* owner) : owner_(owner) {}
  grpc::Status ListTechnicians(grpc::ServerContext*, const v1::ListTechniciansRequest* request,
                               v1::ListTechniciansResponse* response) override {
    return owner_->AnswerPage("ListTechnicians", request->page_token(), request->page_size(),
                              response->mutable_next_page_token(),
                              [&](const std::string& name) { response->add_technicians()->set_name(name); });
  }

 private:
  FakeServer* owner_;
};

class FakeServer::Events final : public v1::EventService::Service {
 public:
  explicit Events(FakeServer* owner) : owner_(owner) {}
  grpc::Status ListEvents(grpc::ServerContext*, const v1::ListEventsRequest* request,
                          v1::ListEventsResponse* response) override {
    return owner_->AnswerPage("ListEvents", request->page_token(), request->page_size(),
                              response->mutable_next_page_token(),
                              [&](const std::string& name) { response->add_events()->set_name(name); });
  }

 private:
  FakeServer* owner_;
};

class FakeServer::Credentials final : public v1::CredentialService::Service {
 public:
  explicit Credentials(FakeServer* owner) : owner_(owner) {}
  grpc::Status ListCredentials(grpc::ServerContext*, const v1::ListCredentialsRequest* request,
                               v1::ListCredentialsResponse* response) override {
    return owner_->AnswerPage("ListCredentials", request->page_token(), request->page_size(),
                              response->mutable_next_page_token(),
                              [&](const std::string& name) { response->add_credentials()->set_name(name); });
  }

 private:
  FakeServer* owner_;
};

class FakeServer::Reports final : public v1::VisitReportService::Service {
 public:
  explicit Reports(FakeServer* owner) : owner_(owner) {}
  grpc::Status ListVisitReports(grpc::ServerContext*, const v1::ListVisitReportsRequest* request,
                                v1::ListVisitReportsResponse* response) override {
    return owner_->AnswerPage("ListVisitReports", request->page_token(), request->page_size(),
                              response->mutable_next_page_token(),
                              [&](const std::string& name) { response->add_visit_reports()->set_name(name); });
  }

 private:
  FakeServer* owner_;
};

FakeServer::FakeServer(std::shared_ptr<grpc::ServerCredentials> credentials)
    : orders_(std::make_unique<Orders>(this)),
      scheduling_(std::make_unique<Scheduling>(this)),
      technicians_(std::make_unique<Technicians>(this)),
      events_(std::make_unique<Events>(this)),
      credentials_(std::make_unique<Credentials>(this)),
      reports_(std::make_unique<Reports>(this)) {
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", std::move(credentials), &port);
  builder.RegisterService(orders_.get());
  builder.RegisterService(scheduling_.get());
  builder.RegisterService(technicians_.get());
  builder.RegisterService(events_.get());
  builder.RegisterService(credentials_.get());
  builder.RegisterService(reports_.get());
  server_ = builder.BuildAndStart();
  address_ = "127.0.0.1:" + std::to_string(port);
}

FakeServer::~FakeServer() { server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1)); }

void FakeServer::set_script(Script script) {
  std::lock_guard lock(mu_);
  script_ = std::move(script);
}

std::vector<std::string> FakeServer::authorization() const {
  std::lock_guard lock(mu_);
  return authorization_;
}

void FakeServer::set_pages(std::vector<std::vector<std::string>> pages, int failing_page, grpc::Status failure) {
  std::lock_guard lock(mu_);
  pages_ = std::move(pages);
  failing_page_ = failing_page;
  failure_ = std::move(failure);
}

std::vector<std::string> FakeServer::page_tokens() const {
  std::lock_guard lock(mu_);
  return page_tokens_;
}

std::vector<std::string> FakeServer::page_methods() const {
  std::lock_guard lock(mu_);
  return page_methods_;
}

std::vector<int> FakeServer::page_sizes() const {
  std::lock_guard lock(mu_);
  return page_sizes_;
}

grpc::Status FakeServer::AnswerPage(const std::string& method, const std::string& page_token, int page_size,
                                    std::string* next_page_token,
                                    const std::function<void(const std::string&)>& add_item) {
  std::lock_guard lock(mu_);
  page_methods_.push_back(method);
  page_tokens_.push_back(page_token);
  page_sizes_.push_back(page_size);
  const int index = page_token.empty() ? 0 : std::stoi(page_token);
  if (index == failing_page_) return failure_;
  if (index < static_cast<int>(pages_.size())) {
    for (const auto& name : pages_[index]) add_item(name);
    if (index + 1 < static_cast<int>(pages_.size())) *next_page_token = std::to_string(index + 1);
  }
  return grpc::Status::OK;
}

std::vector<std::string> FakeServer::request_ids() const {
  std::lock_guard lock(mu_);
  return request_ids_;
}

grpc::Status FakeServer::Answer(grpc::ServerContext* context, const std::string& request_id,
                                v1::ServiceOrder* response) {
  const int n = ++calls_;
  Script script;
  {
    std::lock_guard lock(mu_);
    auto range = context->client_metadata().equal_range("authorization");
    for (auto it = range.first; it != range.second; ++it) authorization_.emplace_back(it->second.data(), it->second.size());
    request_ids_.push_back(request_id);
    script = script_;
  }
  if (script.hang) {
    while (!context->IsCancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return grpc::Status(grpc::StatusCode::CANCELLED, "gone");
  }
  if (n <= script.unavailable_first) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "try later");
  if (script.answer) return *script.answer;
  response->set_name("serviceOrders/fake");
  return grpc::Status::OK;
}

}  // namespace homevisit::client::testing
