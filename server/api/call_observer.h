#pragma once
// Watches every call from arrival to status and records it twice: one access-log line
// (observability/logging.h) and the Prometheus call metrics (observability/metrics.h).
//
// What the line holds comes from the call itself, never from request bodies beyond three id
// fields: the method, the status code and its ErrorInfo reason, the duration, the principal
// (which CallGate::Admit notes in a trailer this observer removes), the resource the call is
// about (the request's `service_order` or `name`, else the `name` of what it created), the request's
// `request_id`, and the peer address.
#include <grpcpp/support/server_interceptor.h>

namespace homevisit::api {

class CallObserverInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace homevisit::api
