#include "test_channels.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/client_interceptor.h>

#include <map>
#include <mutex>

#include "api/authorization.h"
#include "domain/credential_commands.h"
#include "domain/order_commands.h"
#include "storage/database.h"

namespace homevisit::testing {
namespace {

using grpc::experimental::ClientInterceptorFactoryInterface;
using grpc::experimental::ClientRpcInfo;
using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

std::unique_ptr<storage::Database> OpenDatabase(const std::string& db_url) {
  storage::DatabaseOptions options;
  options.url = db_url;
  options.pool_size = 1;
  return storage::Database::Open(options);
}

std::string PrincipalFor(domain::Role role, const std::string& technician_id) {
  switch (role) {
    case domain::Role::kDotOperator: return "test-dot-operator";
    case domain::Role::kDotSupervisor: return "test-dot-supervisor";
    case domain::Role::kDispatcher: return "test-dispatcher";
    case domain::Role::kAdmin: return "test-admin";
    case domain::Role::kTechnician: return "test-technician-" + technician_id;
    default: return "test-nobody";
  }
}

// A technician no order is assigned to: the credential for technician-only calls on orders
// nobody (or somebody else) was assigned, which must then look like orders that do not exist.
constexpr const char* kUnassignedTechnician = "test-unassigned-technician";

void EnsureUnassignedTechnician(domain::UnitOfWork& work) {
  if (work.technicians().Find(kUnassignedTechnician)) return;
  domain::Technician t;
  t.id = kUnassignedTechnician;
  t.display_name = "Técnico sin asignar";
  t.employee_number = "TEST-UNASSIGNED";
  t.official_id_type = 1;
  t.mobile_phone = "5500000000";
  t.create_time = t.update_time = absl::Now();
  work.technicians().Insert(t);
}

std::string Issue(storage::Database& db, domain::Role role, const std::string& technician_id) {
  domain::Credential wanted;
  wanted.principal = PrincipalFor(role, technician_id);
  wanted.role = role;
  wanted.technician_id = technician_id;
  domain::Actor test{"test-fixture", domain::Role::kAdmin, ""};
  return db.Write([&](domain::UnitOfWork& work) {
    if (technician_id == kUnassignedTechnician) EnsureUnassignedTechnician(work);
    return domain::IssueCredential(work, wanted, test, absl::Now()).token;
  });
}

// Chooses and caches tokens for the auto-token channel.
class TokenPicker {
 public:
  explicit TokenPicker(const std::string& db_url) : db_(OpenDatabase(db_url)) {}

  std::string For(const std::string& method, const google::protobuf::Message* request) {
    const auto& allowed = api::AllowedRoles(method);
    for (domain::Role role : {domain::Role::kDotSupervisor, domain::Role::kDotOperator, domain::Role::kDispatcher,
                              domain::Role::kAdmin}) {
      if (allowed.count(role)) return Cached(role, "");
    }
    if (allowed.count(domain::Role::kTechnician)) {
      std::string technician = AssignedTechnician(request);
      return Cached(domain::Role::kTechnician, technician.empty() ? kUnassignedTechnician : technician);
    }
    return Cached(domain::Role::kDotOperator, "");  // nobody may call it: PERMISSION_DENIED
  }

 private:
  std::string Cached(domain::Role role, const std::string& technician_id) {
    std::lock_guard lock(mutex_);
    auto key = std::make_pair(static_cast<int>(role), technician_id);
    auto it = tokens_.find(key);
    if (it != tokens_.end()) return it->second;
    std::string token = Issue(*db_, role, technician_id);
    tokens_[key] = token;
    return token;
  }

  // The technician of the order named by the request's `service_order` (or `name`) field.
  std::string AssignedTechnician(const google::protobuf::Message* request) {
    if (!request) return "";
    const auto* descriptor = request->GetDescriptor();
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName("service_order");
    if (!field || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      field = descriptor->FindFieldByName("name");
    }
    if (!field || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) return "";
    std::string name = request->GetReflection()->GetString(*request, field);
    auto slash = name.find('/');
    if (slash == std::string::npos) return "";
    std::string id = name.substr(slash + 1);
    auto end = id.find('/');
    if (end != std::string::npos) id = id.substr(0, end);
    return db_->Read([&](domain::UnitOfWork& work) -> std::string {
      auto order = work.orders().Find(id);
      return order && order->appointment ? order->appointment->technician_id : "";
    });
  }

  std::unique_ptr<storage::Database> db_;
  std::mutex mutex_;
  std::map<std::pair<int, std::string>, std::string> tokens_;
};

class TokenInterceptor final : public grpc::experimental::Interceptor {
 public:
  TokenInterceptor(std::string method, std::shared_ptr<TokenPicker> picker, std::string fixed)
      : method_(std::move(method)), picker_(std::move(picker)), fixed_(std::move(fixed)) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* metadata = methods->GetSendInitialMetadata();
      if (metadata->count("authorization") == 0) {
        std::string token = fixed_;
        if (picker_) {
          const void* message = methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)
                                    ? methods->GetSendMessage()
                                    : nullptr;
          token = picker_->For(method_, static_cast<const google::protobuf::Message*>(message));
        }
        if (!token.empty()) metadata->insert({"authorization", "Bearer " + token});
      }
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  std::shared_ptr<TokenPicker> picker_;
  std::string fixed_;
};

class TokenInterceptorFactory final : public ClientInterceptorFactoryInterface {
 public:
  TokenInterceptorFactory(std::shared_ptr<TokenPicker> picker, std::string fixed)
      : picker_(std::move(picker)), fixed_(std::move(fixed)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(ClientRpcInfo* info) override {
    std::string method = info->method();  // "/homevisit.v1.Service/Method"
    return new TokenInterceptor(method.substr(method.rfind('/') + 1), picker_, fixed_);
  }

 private:
  std::shared_ptr<TokenPicker> picker_;
  std::string fixed_;
};

std::shared_ptr<grpc::Channel> Channel(const std::string& target, grpc::ChannelArguments args,
                                       std::unique_ptr<ClientInterceptorFactoryInterface> factory) {
  // The servers these channels reach are up, so a call waits for its connection rather than
  // failing on a transient connection error: many fresh channels connecting at once sometimes
  // got "failed to connect to all addresses ... No such file or directory" (seen on CI in three
  // tests). The service-config timeout bounds a call that sets no deadline of its own.
  args.SetServiceConfigJSON(R"({"methodConfig": [{"name": [{}], "waitForReady": true, "timeout": "60s"}]})");
  std::vector<std::unique_ptr<ClientInterceptorFactoryInterface>> factories;
  factories.push_back(std::move(factory));
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, grpc::InsecureChannelCredentials(), args,
                                                                 std::move(factories));
}

}  // namespace

std::shared_ptr<grpc::Channel> AutoTokenChannel(const std::string& target, const std::string& db_url,
                                                grpc::ChannelArguments args) {
  return Channel(target, args,
                 std::make_unique<TokenInterceptorFactory>(std::make_shared<TokenPicker>(db_url), ""));
}

std::shared_ptr<grpc::Channel> TokenChannel(const std::string& target, const std::string& token,
                                            grpc::ChannelArguments args) {
  return Channel(target, args, std::make_unique<TokenInterceptorFactory>(nullptr, token));
}

std::string IssueToken(const std::string& db_url, domain::Role role, const std::string& technician_id) {
  auto db = OpenDatabase(db_url);
  return Issue(*db, role, technician_id);
}

}  // namespace homevisit::testing
