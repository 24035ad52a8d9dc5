#pragma once
#include <soci/soci.h>

#include "domain/credential.h"
#include "storage/database.h"

namespace homevisit::storage {

class SociCredentialRepository final : public domain::CredentialRepository {
 public:
  SociCredentialRepository(soci::session& sql, Dialect dialect) : sql_(sql), dialect_(dialect) {}
  void Insert(const domain::Credential& credential) override;
  std::optional<domain::Credential> Find(const std::string& id) override;
  std::optional<domain::Credential> FindActiveByTokenHash(const std::string& token_hash) override;
  std::vector<domain::Credential> List(const std::string& after_id, absl::Time after_time, int limit) override;
  bool Revoke(const std::string& id, absl::Time when) override;
  int RevokeAllOfTechnician(const std::string& technician_id, absl::Time when) override;
  bool AnyActiveAdmin() override;
  std::optional<domain::Credential> FindByTokenHash(const std::string& token_hash) override;
  std::vector<std::string> LockActiveAdmins() override;

 private:
  std::optional<domain::Credential> FindWhere(const std::string& condition, const std::string& value);
  soci::session& sql_;
  Dialect dialect_;
};

}  // namespace homevisit::storage
