#pragma once
// For the programs that drive a running homevisitd from outside (crash_writer, race,
// bench_prep): every call needs a bearer token. They start from the admin token homevisitd writes
// at first start (--admin_token_file) and issue themselves the credentials they need through
// CredentialService, as an operator would.
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "absl/strings/ascii.h"
#include "homevisit/v1/credential.grpc.pb.h"

namespace homevisit::tools {

// The token in `path` (homevisitd's admin token file), trimmed.
inline std::string ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty()) throw std::runtime_error("no token in " + path);
  return token;
}

inline void Authorize(grpc::ClientContext* context, const std::string& token) {
  context->AddMetadata("authorization", "Bearer " + token);
}

// Issues a credential of `role` for `principal` with the admin's token; returns its token.
inline std::string IssueToken(const std::shared_ptr<grpc::Channel>& channel, const std::string& admin_token,
                              v1::Role role, const std::string& principal) {
  auto stub = v1::CredentialService::NewStub(channel);
  v1::CreateCredentialRequest request;
  request.mutable_credential()->set_principal(principal);
  request.mutable_credential()->set_role(role);
  v1::CreateCredentialResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  context.set_wait_for_ready(true);
  Authorize(&context, admin_token);
  grpc::Status status = stub->CreateCredential(&context, request, &response);
  if (!status.ok()) throw std::runtime_error("CreateCredential: " + status.error_message());
  return response.token();
}

}  // namespace homevisit::tools
