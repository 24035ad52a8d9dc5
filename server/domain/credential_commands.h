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
// FAILED_PRECONDITION (ADMIN_TOKEN_REVOKED) when `token` is one a revoked credential held.
std::string BootstrapAdmin(UnitOfWork& work, const std::string& token, absl::Time now);

// INVALID_ARGUMENT (WEAK_ADMIN_TOKEN) unless an operator's own admin token can carry 128 bits of
// entropy: at least 22 printable, non-space ASCII characters (22 random base64url characters
// are 132 bits; homevisitd's own tokens have 256) with at least 10 different ones. A shorter
// token can be guessed, and the admin may issue every other credential.
void CheckOperatorAdminToken(const std::string& token);

// The recovery path when no admin token is at hand: revokes every active admin credential and
// creates one for `token`, all in one unit of work.
void ResetAdmin(UnitOfWork& work, const std::string& token, absl::Time now);

}  // namespace homevisit::domain
