#include "api/credential_service.h"

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "api/page_token.h"
#include "api/principal.h"
#include "api/request_replay.h"
#include "api/unary.h"
#include "domain/credential_commands.h"

namespace homevisit::api {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

void CredentialToProto(const domain::Credential& c, v1::Credential* out) {
  out->set_name("credentials/" + c.id);
  out->set_principal(c.principal);
  out->set_role(static_cast<v1::Role>(c.role));
  if (!c.technician_id.empty()) out->set_technician(TechnicianName(c.technician_id));
  ToProto(c.create_time, out->mutable_create_time());
  if (c.revoke_time) ToProto(*c.revoke_time, out->mutable_revoke_time());
}

}  // namespace

grpc::ServerUnaryReactor* CredentialServiceImpl::CreateCredential(grpc::CallbackServerContext* context,
                                                                  const v1::CreateCredentialRequest* request,
                                                                  v1::CreateCredentialResponse* response) {
  return ServeUnary(context, pool_, __func__, [=, this] {
    domain::Credential wanted;
    wanted.principal = request->credential().principal();
    wanted.role = static_cast<domain::Role>(request->credential().role());
    if (!request->credential().technician().empty()) {
      wanted.technician_id = IdFromName(request->credential().technician(), "technicians", "credential.technician");
    }
    domain::Actor actor = CurrentActor(context);
    auto issued = db_.Write([&](domain::UnitOfWork& work) {
      return domain::IssueCredential(work, wanted, actor, absl::Now());
    });
    CredentialToProto(issued.credential, response->mutable_credential());
    response->set_token(issued.token);
  });
}

grpc::ServerUnaryReactor* CredentialServiceImpl::ListCredentials(grpc::CallbackServerContext* context,
                                                                 const v1::ListCredentialsRequest* request,
                                                                 v1::ListCredentialsResponse* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    int page_size = PageSize(request->page_size(), kDefaultPageSize, kMaxPageSize);
    const std::string fingerprint = "credentials";
    std::string after_id;
    long long after_micros = 0;
    if (!request->page_token().empty()) {
      auto fields = DecodePageToken(request->page_token(), fingerprint, 2);
      if (!absl::SimpleAtoi(fields[0], &after_micros)) ThrowBadPageToken();
      after_id = fields[1];
    }
    auto list = db_.Read([&](domain::UnitOfWork& work) {
      return work.credentials().List(after_id, absl::FromUnixMicros(after_micros), page_size + 1);
    });
    bool more = static_cast<int>(list.size()) > page_size;
    if (more) list.pop_back();
    for (const auto& c : list) CredentialToProto(c, response->add_credentials());
    if (more) {
      response->set_next_page_token(EncodePageToken(
          fingerprint, {std::to_string(absl::ToUnixMicros(list.back().create_time)), list.back().id}));
    }
  });
}

grpc::ServerUnaryReactor* CredentialServiceImpl::RevokeCredential(grpc::CallbackServerContext* context,
                                                                  const v1::RevokeCredentialRequest* request,
                                                                  v1::Credential* response) {
  return ServeUnary(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->name(), "credentials", "name");
    WriteOnce(db_, CurrentActor(context), request->request_id(), *request, response,
              [&](domain::UnitOfWork& work) {
                const domain::Credential credential = domain::RevokeCredential(work, id, absl::Now());
                CredentialToProto(credential, response);
              });
    cache_.Clear();
  });
}

}  // namespace homevisit::api
