#include "domain/credential_commands.h"

#include <set>

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
  auto credential = work.credentials().Find(id);
  if (!credential) {
    throw DomainError(ErrorKind::kNotFound, "CREDENTIAL_NOT_FOUND", "no such credential");
  }
  if (credential->role == Role::kAdmin && !credential->revoke_time) {
    std::vector<std::string> admins = work.credentials().LockActiveAdmins();
    if (admins.size() <= 1) {
      throw DomainError(ErrorKind::kFailedPrecondition, "LAST_ADMIN",
                        "the last active admin credential cannot be revoked: issue another admin credential first");
    }
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
  if (!token.empty() && work.credentials().FindByTokenHash(HashToken(token))) {
    throw DomainError(ErrorKind::kFailedPrecondition, "ADMIN_TOKEN_REVOKED",
                      "the admin token file holds the token of a revoked credential: put a new token in it, or "
                      "run homevisitd --reset_admin_token_file NEW_FILE");
  }
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

void CheckOperatorAdminToken(const std::string& token) {
  constexpr size_t kMinChars = 22;
  constexpr size_t kMinDistinct = 10;
  bool printable = true;
  std::set<char> distinct;
  for (char c : token) {
    if (c <= ' ' || c > '~') printable = false;
    distinct.insert(c);
  }
  if (token.size() < kMinChars || !printable || distinct.size() < kMinDistinct) {
    throw DomainError(ErrorKind::kInvalidArgument, "WEAK_ADMIN_TOKEN",
                      "the admin token file must hold a token of at least 128 bits of entropy: 22 or more "
                      "random printable characters (no spaces), at least 10 of them different. The admin "
                      "may issue every credential, so a guessable token opens the whole service. Delete "
                      "the file to have homevisitd write a new 256-bit token there");
  }
}

void ResetAdmin(UnitOfWork& work, const std::string& token, absl::Time now) {
  for (const std::string& id : work.credentials().LockActiveAdmins()) work.credentials().Revoke(id, now);
  Credential admin;
  admin.id = NewId();
  admin.principal = "admin";
  admin.role = Role::kAdmin;
  admin.token_hash = HashToken(token);
  admin.create_time = now;
  admin.create_actor = "reset";
  work.credentials().Insert(admin);
}

}  // namespace homevisit::domain
