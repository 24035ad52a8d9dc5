#pragma once
// Bearer credentials (SPEC §1, §7): one per principal, only a hash of the token is stored.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/service_order.h"

namespace homevisit::domain {

struct Credential {
  std::string id;
  std::string principal;      // a label such as "dot-cabin-3"; no personal data
  Role role = Role::kUnspecified;
  std::string technician_id;  // set for technicians only
  std::string token_hash;     // SHA-256 of the token, hex
  absl::Time create_time;
  std::optional<absl::Time> revoke_time;
  std::string create_actor;
};

class CredentialRepository {
 public:
  virtual ~CredentialRepository() = default;
  virtual void Insert(const Credential& credential) = 0;
  virtual std::optional<Credential> Find(const std::string& id) = 0;
  // Only credentials that are not revoked.
  virtual std::optional<Credential> FindActiveByTokenHash(const std::string& token_hash) = 0;
  // By creation, oldest first, after the credential `after_id` (empty: from the start).
  virtual std::vector<Credential> List(const std::string& after_id, absl::Time after_time, int limit) = 0;
  // Sets revoke_time unless already revoked; returns whether it changed.
  virtual bool Revoke(const std::string& id, absl::Time when) = 0;
  // Revokes every active credential of the technician; returns how many.
  virtual int RevokeAllOfTechnician(const std::string& technician_id, absl::Time when) = 0;
  virtual bool AnyActiveAdmin() = 0;
  // Any credential (active or revoked) whose token hashes to `token_hash`.
  virtual std::optional<Credential> FindByTokenHash(const std::string& token_hash) = 0;
  // The ids of the active admin credentials, locked until the transaction ends where the
  // database can (PostgreSQL), so two concurrent revocations cannot remove the last two admins.
  virtual std::vector<std::string> LockActiveAdmins() = 0;
};

}  // namespace homevisit::domain
