#include "domain/credential_commands.h"

#include "absl/strings/ascii.h"
#include "domain/errors.h"
#include "domain/ids.h"
#include "domain/text_rules.h"
#include "domain/tokens.h"

namespace homevisit::domain {
namespace {

bool IsPrincipalLabel(const std::string& label) {
  if (label.empty() || label.size() > 64) return false;
  for (char c : label) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

IssuedCredential IssueCredential(UnitOfWork& work, const Credential& wanted, const Actor& actor, absl::Time now) {
  Violations v("credential.");
  if (!IsPrincipalLabel(wanted.principal)) {
    v.Add("principal", "must be 1-64 letters, digits, dots, dashes or underscores (a label, not a person's name)");
  }
  int role = static_cast<int>(wanted.role);
  if (role < static_cast<int>(Role::kDotOperator) || role > static_cast<int>(Role::kAdmin)) {
    v.Add("role", "must be one of the roles");
  }
  if (wanted.role == Role::kTechnician && wanted.technician_id.empty()) {
    v.Add("technician", "is required for a technician's credential");
  }
  if (wanted.role != Role::kTechnician && !wanted.technician_id.empty()) {
    v.Add("technician", "only technicians' credentials name a technician");
  }
  v.ThrowIfAny();
  if (wanted.role == Role::kTechnician) {
    auto technician = work.technicians().Find(wanted.technician_id);
    if (!technician || !technician->active) {
      throw DomainError(ErrorKind::kFailedPrecondition, "TECHNICIAN_NOT_ACTIVE",
                        "the technician does not exist or is not active");
    }
  }
  IssuedCredential issued;
  issued.token = NewToken();
  issued.credential = wanted;
  issued.credential.id = NewId();
  issued.credential.token_hash = HashToken(issued.token);
  issued.credential.create_time = now;
  issued.credential.revoke_time.reset();
  issued.credential.create_actor = actor.principal;
  work.credentials().Insert(issued.credential);
  return issued;
}

Credential RevokeCredential(UnitOfWork& work, const std::string& id, absl::Time now) {
  if (!work.credentials().Find(id)) {
    throw DomainError(ErrorKind::kNotFound, "CREDENTIAL_NOT_FOUND", "no such credential");
  }
  work.credentials().Revoke(id, now);  // revoking twice keeps the first time
  return *work.credentials().Find(id);
}

void RequireToken(const std::string& token) {
  if (token.empty()) {
    throw DomainError(ErrorKind::kUnauthenticated, "NO_CREDENTIALS",
                      "send 'authorization: Bearer <token>' with every call");
  }
}

Actor Authenticate(UnitOfWork& work, const std::string& token) {
  RequireToken(token);
  return AuthenticateHash(work, HashToken(token));
}

Actor AuthenticateHash(UnitOfWork& work, const std::string& token_hash) {
  auto credential = work.credentials().FindActiveByTokenHash(token_hash);
  if (!credential) {
    throw DomainError(ErrorKind::kUnauthenticated, "INVALID_TOKEN", "the token is unknown or revoked");
  }
  return {credential->principal, credential->role, credential->technician_id};
}

std::string BootstrapAdmin(UnitOfWork& work, const std::string& token, absl::Time now) {
  if (work.credentials().AnyActiveAdmin()) return "";
  Credential admin;
  admin.id = NewId();
  admin.principal = "admin";
  admin.role = Role::kAdmin;
  std::string chosen = token.empty() ? NewToken() : token;
  admin.token_hash = HashToken(chosen);
  admin.create_time = now;
  admin.create_actor = "bootstrap";
  work.credentials().Insert(admin);
  return chosen;
}

}  // namespace homevisit::domain
