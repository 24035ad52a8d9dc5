#include "homevisit/client/error.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace homevisit::client {

Error Error::FromStatus(const grpc::Status& status) {
  Error error(status.error_code(), status.error_message());
  if (status.ok() || status.error_details().empty()) return error;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return error;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::BadRequest>()) {
      google::rpc::BadRequest bad_request;
      if (!any.UnpackTo(&bad_request)) continue;
      for (const auto& v : bad_request.field_violations()) {
        error.field_violations_.push_back(FieldViolation{v.field(), v.description()});
      }
    } else if (any.Is<google::rpc::ErrorInfo>()) {
      google::rpc::ErrorInfo info;
      if (!any.UnpackTo(&info)) continue;
      error.reason_ = info.reason();
      error.domain_ = info.domain();
      error.metadata_.insert(info.metadata().begin(), info.metadata().end());
    }
  }
  return error;
}

std::string Error::ToString() const {
  std::string text = CodeName(code_);
  if (!message_.empty()) text += ": " + message_;
  if (!reason_.empty()) text += " [" + reason_ + "]";
  for (const auto& v : field_violations_) text += "\n  " + v.field + ": " + v.description;
  return text;
}

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

}  // namespace homevisit::client
