#pragma once
// A request whose bytes do not parse (a string field that is not valid UTF-8, a truncated or
// malformed encoding) never reaches our handlers: gRPC's callback API answers it with
// UNIMPLEMENTED and an empty message, which tells the client nothing and wrongly says the method
// does not exist. This interceptor notices the failed parse (the received message is missing)
// and turns that answer into INVALID_ARGUMENT, reason MALFORMED_REQUEST, with a message that
// names the request type.
#include <grpcpp/support/server_interceptor.h>

namespace homevisit::api {

class MalformedRequestInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace homevisit::api
