#include "api/status_mapping.h"


#include "google/rpc/code.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

#include "observability/logging.h"

namespace homevisit::api {
namespace {

constexpr const char* kDomain = "homevisit.izzi.mx";

grpc::StatusCode CodeOf(domain::ErrorKind kind) {
  using K = domain::ErrorKind;
  switch (kind) {
    case K::kInvalidArgument: return grpc::StatusCode::INVALID_ARGUMENT;
    case K::kNotFound: return grpc::StatusCode::NOT_FOUND;
    case K::kFailedPrecondition: return grpc::StatusCode::FAILED_PRECONDITION;
    case K::kAborted: return grpc::StatusCode::ABORTED;
    case K::kAlreadyExists: return grpc::StatusCode::ALREADY_EXISTS;
    case K::kUnavailable: return grpc::StatusCode::UNAVAILABLE;
    case K::kResourceExhausted: return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case K::kUnauthenticated: return grpc::StatusCode::UNAUTHENTICATED;
    case K::kPermissionDenied: return grpc::StatusCode::PERMISSION_DENIED;
    case K::kInternal: return grpc::StatusCode::INTERNAL;
  }
  return grpc::StatusCode::INTERNAL;
}

}  // namespace

grpc::Status ToGrpcStatus(const domain::DomainError& error) {
  grpc::StatusCode code = CodeOf(error.kind());
  google::rpc::Status status;
  status.set_code(code);
  status.set_message(error.what());
  google::rpc::ErrorInfo info;
  info.set_reason(error.reason());
  info.set_domain(kDomain);
  status.add_details()->PackFrom(info);
  if (!error.violations().empty()) {
    google::rpc::BadRequest bad_request;
    for (const auto& v : error.violations()) {
      auto* violation = bad_request.add_field_violations();
      violation->set_field(v.field);
      violation->set_description(v.description);
    }
    status.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(code, error.what(), status.SerializeAsString());
}

grpc::Status CurrentExceptionToStatus() {
  try {
    throw;
  } catch (const domain::DomainError& e) {
    return ToGrpcStatus(e);
  } catch (const std::exception& e) {
    // The message may quote data; log only that it happened, and its type.
    observability::LogEvent(observability::LogLevel::kError, "unexpected_exception", {{"type", typeid(e).name()}});
    return ToGrpcStatus(domain::DomainError(domain::ErrorKind::kInternal, "INTERNAL", "internal error"));
  } catch (...) {
    observability::LogEvent(observability::LogLevel::kError, "unexpected_exception", {{"type", "non-standard"}});
    return ToGrpcStatus(domain::DomainError(domain::ErrorKind::kInternal, "INTERNAL", "internal error"));
  }
}

}  // namespace homevisit::api
