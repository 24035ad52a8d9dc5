#pragma once
#include "api/credential_cache.h"
#include "api/worker_pool.h"
#include "homevisit/v1/credential.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// Bearer credentials, for the admin: issue (token shown once), list (never tokens), revoke.
class CredentialServiceImpl final : public v1::CredentialService::CallbackService {
 public:
  CredentialServiceImpl(storage::Database& db, WorkerPool& pool, CredentialCache& cache)
      : db_(db), pool_(pool), cache_(cache) {}

  grpc::ServerUnaryReactor* CreateCredential(grpc::CallbackServerContext* context,
                                             const v1::CreateCredentialRequest* request,
                                             v1::CreateCredentialResponse* response) override;
  grpc::ServerUnaryReactor* ListCredentials(grpc::CallbackServerContext* context,
                                            const v1::ListCredentialsRequest* request,
                                            v1::ListCredentialsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeCredential(grpc::CallbackServerContext* context,
                                             const v1::RevokeCredentialRequest* request,
                                             v1::Credential* response) override;

 private:
  storage::Database& db_;
  WorkerPool& pool_;
  CredentialCache& cache_;  // cleared by a revocation, which then holds at once on this replica
};

}  // namespace homevisit::api
