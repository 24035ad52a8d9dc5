#pragma once
// Issuing, revoking and checking credentials. Only hashes reach the database.
#include <string>

#include "domain/credential.h"
#include "domain/repositories.h"

namespace homevisit::domain {

struct IssuedCredential {
  Credential credential;
  std::string token;  // shown once, never stored
};

IssuedCredential IssueCredential(UnitOfWork& work, const Credential& wanted, const Actor& actor, absl::Time now);
Credential RevokeCredential(UnitOfWork& work, const std::string& id, absl::Time now);

// The principal holding `token`, or UNAUTHENTICATED (missing, unknown or revoked token).
Actor Authenticate(UnitOfWork& work, const std::string& token);

// At first start: when no admin credential is active, creates one for `token` (an operator's
// own, or a fresh one when empty) and returns the token; returns "" when an admin exists.
std::string BootstrapAdmin(UnitOfWork& work, const std::string& token, absl::Time now);

}  // namespace homevisit::domain
