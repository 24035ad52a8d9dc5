#pragma once
// The one place where domain errors become gRPC statuses with the rich error model
// (google.rpc.Status carrying ErrorInfo and, for bad input, BadRequest field violations).
#include <grpcpp/grpcpp.h>

#include "domain/errors.h"

namespace homevisit::api {

grpc::Status ToGrpcStatus(const domain::DomainError& error);

// Maps whatever the current exception is; call only inside a catch block.
grpc::Status CurrentExceptionToStatus();

}  // namespace homevisit::api
