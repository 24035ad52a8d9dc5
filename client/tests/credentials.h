#pragma once
// Credentials for the tests against a real homevisitd, which requires a bearer token on every
// call: the admin (whose token the server reads from, or writes to, its admin token file at the
// first start) issues one credential per role the test needs.
#include <string>

#include "homevisit/client/client.h"
#include "homevisit/v1/credential.grpc.pb.h"

namespace homevisit::client::testing {

// The token of a new credential of `role` (for ROLE_TECHNICIAN: of `technician`,
// `technicians/{id}`), issued by the admin of the server at `target`.
inline Result<std::string> IssueToken(const std::string& target, const std::string& admin_token, v1::Role role,
                                      const std::string& technician = "") {
  ClientOptions options;
  options.target = target;
  options.token = admin_token;
  auto admin = Client::Connect(options);
  if (!admin.ok()) return admin.error();
  auto stub = v1::CredentialService::NewStub((*admin)->channel());
  v1::CreateCredentialRequest request;
  request.mutable_credential()->set_principal("cpp-client-test-" + v1::Role_Name(role));
  request.mutable_credential()->set_role(role);
  request.mutable_credential()->set_technician(technician);
  auto issued = (*admin)->Call<v1::CreateCredentialResponse>(
      false, {}, [&](grpc::ClientContext* context, v1::CreateCredentialResponse* response) {
        return stub->CreateCredential(context, request, response);
      });
  if (!issued.ok()) return issued.error();
  return issued->token();
}

}  // namespace homevisit::client::testing
