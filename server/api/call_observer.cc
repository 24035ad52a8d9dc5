#include "api/call_observer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <chrono>
#include <string>

#include "absl/strings/match.h"
#include "api/call_gate.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "observability/logging.h"
#include "observability/metrics.h"

namespace homevisit::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The value of string field `field` of `message`, or "" when it has none.
std::string StringField(const google::protobuf::Message& message, const char* field) {
  const google::protobuf::FieldDescriptor* descriptor = message.GetDescriptor()->FindFieldByName(field);
  if (!descriptor || descriptor->is_repeated() || descriptor->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return message.GetReflection()->GetString(message, descriptor);
}

// The ErrorInfo reason a failed status carries in its details, or "".
std::string ReasonOf(const grpc::Status& status) {
  if (status.ok() || status.error_details().empty()) return "";
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

class CallObserver : public grpc::experimental::Interceptor {
 public:
  explicit CallObserver(grpc::experimental::ServerRpcInfo* info)
      : info_(info),
        start_(std::chrono::steady_clock::now()),
        // Our services' messages are protobuf messages; gRPC's own services (health) may pass raw
        // ByteBuffers through the same hooks, which must not be read as messages.
        inspect_messages_(absl::StartsWith(info->method(), "/homevisit.v1.")) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!inspect_messages_) {
      // nothing to read in the messages
    } else if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Every method of ours takes and returns protobuf messages.
      if (const auto* request = static_cast<const google::protobuf::Message*>(methods->GetRecvMessage())) {
        resource_ = StringField(*request, "service_order");
        if (resource_.empty()) resource_ = StringField(*request, "name");
        request_id_ = StringField(*request, "request_id");
      }
    }
    if (inspect_messages_ && resource_.empty() &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      // A created resource is known by the name in the response.
      if (const auto* response = static_cast<const google::protobuf::Message*>(methods->GetSendMessage())) {
        resource_ = StringField(*response, "name");
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) Record(methods);
    methods->Proceed();
  }

 private:
  void Record(grpc::experimental::InterceptorBatchMethods* methods) {
    std::string principal;
    if (auto* trailers = methods->GetSendTrailingMetadata()) {
      auto it = trailers->find(CallGate::kCallerMetadataKey);
      if (it != trailers->end()) {
        principal = std::move(it->second);
        trailers->erase(it);
      }
    }
    grpc::Status status = methods->GetSendStatus();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    observability::ObserveCall(info_->method(), static_cast<int>(status.error_code()), seconds);
    // Failed calls log at warning or error even when info is off.
    if (status.ok() && !observability::CallLogEnabled()) return;
    std::string reason = ReasonOf(status);
    std::string peer = info_->server_context() ? info_->server_context()->peer() : std::string();
    observability::LogCall({.method = info_->method(),
                            .code = static_cast<int>(status.error_code()),
                            .reason = reason,
                            .duration_ms = seconds * 1000,
                            .principal = principal,
                            .resource = resource_,
                            .request_id = request_id_,
                            .peer = peer});
  }

  grpc::experimental::ServerRpcInfo* info_;
  std::chrono::steady_clock::time_point start_;
  const bool inspect_messages_;
  std::string resource_;
  std::string request_id_;
};

}  // namespace

grpc::experimental::Interceptor* CallObserverInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallObserver(info);
}

}  // namespace homevisit::api
