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
// UNAUTHENTICATED (NO_CREDENTIALS) for an empty token.
void RequireToken(const std::string& token);
// The principal of the active credential whose token hashes to `token_hash`; UNAUTHENTICATED
// (INVALID_TOKEN) when there is none.
Actor AuthenticateHash(UnitOfWork& work, const std::string& token_hash);

// At first start: when no admin credential is active, creates one for `token` (an operator's
// own, or a fresh one when empty) and returns the token; returns "" when an admin exists.
std::string BootstrapAdmin(UnitOfWork& work, const std::string& token, absl::Time now);

}  // namespace homevisit::domain
