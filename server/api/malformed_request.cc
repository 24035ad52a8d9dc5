#include "api/malformed_request.h"

#include <google/protobuf/descriptor.h>

#include <string>
#include <string_view>

#include "api/status_mapping.h"
#include "domain/errors.h"

namespace homevisit::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

// "homevisit.v1.GetServiceOrderRequest" for "/homevisit.v1.ServiceOrderService/GetServiceOrder",
// or "" when the method is not one of ours.
std::string RequestTypeOf(std::string_view path) {
  if (path.size() < 2 || path.front() != '/') return "";
  size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos) return "";
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      std::string(path.substr(1, slash - 1)));
  if (service == nullptr) return "";
  const auto* method = service->FindMethodByName(std::string(path.substr(slash + 1)));
  return method == nullptr ? "" : method->input_type()->full_name();
}

class MalformedRequestInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit MalformedRequestInterceptor(grpc::experimental::ServerRpcInfo* info) : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // For unary and server-streaming methods the request is parsed before this hook point; a
    // null message here means the parse failed and gRPC is about to answer UNIMPLEMENTED.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      malformed_ = true;
    }
    if (malformed_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      std::string type = RequestTypeOf(info_->method());
      std::string what = type.empty() ? "the request" : "the request (" + type + ")";
      methods->ModifySendStatus(ToGrpcStatus(domain::DomainError(
          domain::ErrorKind::kInvalidArgument, "MALFORMED_REQUEST",
          what + " could not be decoded: a string field is not valid UTF-8, or the protobuf encoding "
                 "is malformed")));
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  bool malformed_ = false;
};

}  // namespace

grpc::experimental::Interceptor* MalformedRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  // Client-streaming and bidirectional methods parse their messages in the handler, which
  // answers bad ones itself; we have none, but leave them alone rather than guess.
  using Type = grpc::experimental::ServerRpcInfo::Type;
  if (info->type() != Type::UNARY && info->type() != Type::SERVER_STREAMING) return nullptr;
  return new MalformedRequestInterceptor(info);
}

}  // namespace homevisit::api
