#pragma once
#include <soci/soci.h>

#include "domain/credential.h"

namespace homevisit::storage {

class SociCredentialRepository final : public domain::CredentialRepository {
 public:
  explicit SociCredentialRepository(soci::session& sql) : sql_(sql) {}
  void Insert(const domain::Credential& credential) override;
  std::optional<domain::Credential> Find(const std::string& id) override;
  std::optional<domain::Credential> FindActiveByTokenHash(const std::string& token_hash) override;
  std::vector<domain::Credential> List(const std::string& after_id, absl::Time after_time, int limit) override;
  bool Revoke(const std::string& id, absl::Time when) override;
  int RevokeAllOfTechnician(const std::string& technician_id, absl::Time when) override;
  bool AnyActiveAdmin() override;

 private:
  std::optional<domain::Credential> FindWhere(const std::string& condition, const std::string& value);
  soci::session& sql_;
};

}  // namespace homevisit::storage
