#include "storage/credential_store.h"

#include "absl/strings/str_cat.h"
#include "storage/sql.h"

namespace homevisit::storage {
namespace {

constexpr const char* kColumns =
    "SELECT id, principal, role, technician_id, token_hash, create_time, revoke_time, create_actor FROM credentials ";

domain::Credential CredentialFromRow(const soci::row& r) {
  domain::Credential c;
  c.id = GetText(r, "id");
  c.principal = GetText(r, "principal");
  c.role = static_cast<domain::Role>(GetInt(r, "role"));
  c.technician_id = GetText(r, "technician_id");
  c.token_hash = GetText(r, "token_hash");
  c.create_time = GetTime(r, "create_time");
  if (!IsNull(r, "revoke_time")) c.revoke_time = GetTime(r, "revoke_time");
  c.create_actor = GetText(r, "create_actor");
  return c;
}

}  // namespace

void SociCredentialRepository::Insert(const domain::Credential& c) {
  SqlParams p;
  std::string sql = absl::StrCat(
      "INSERT INTO credentials (id, principal, role, technician_id, token_hash, create_time, revoke_time, "
      "create_actor) VALUES (",
      p.Text(c.id), ", ", p.Text(c.principal), ", ", p.Int(static_cast<int>(c.role)), ", ",
      p.TextOrNull(c.technician_id), ", ", p.Text(c.token_hash), ", ", p.Time(c.create_time), ", ",
      p.TimeOrNull(c.revoke_time ? &*c.revoke_time : nullptr), ", ", p.Text(c.create_actor), ")");
  Execute(sql_, sql, p);
}

std::optional<domain::Credential> SociCredentialRepository::FindWhere(const std::string& condition,
                                                                      const std::string& value) {
  SqlParams p;
  std::optional<domain::Credential> found;
  QueryRows(sql_, absl::StrCat(kColumns, "WHERE ", condition, p.Text(value)), p,
            [&](const soci::row& r) { found = CredentialFromRow(r); });
  return found;
}

std::optional<domain::Credential> SociCredentialRepository::Find(const std::string& id) {
  return FindWhere("id = ", id);
}

std::optional<domain::Credential> SociCredentialRepository::FindActiveByTokenHash(const std::string& token_hash) {
  return FindWhere("revoke_time IS NULL AND token_hash = ", token_hash);
}

std::vector<domain::Credential> SociCredentialRepository::List(const std::string& after_id, absl::Time after_time,
                                                               int limit) {
  SqlParams p;
  std::string query = kColumns;
  if (!after_id.empty()) {
    std::string t1 = p.Time(after_time);
    std::string t2 = p.Time(after_time);
    absl::StrAppend(&query, "WHERE create_time > ", t1, " OR (create_time = ", t2, " AND id > ", p.Text(after_id),
                    ") ");
  }
  absl::StrAppend(&query, "ORDER BY create_time, id LIMIT ", p.Int(limit));
  std::vector<domain::Credential> list;
  QueryRows(sql_, query, p, [&](const soci::row& r) { list.push_back(CredentialFromRow(r)); });
  return list;
}

bool SociCredentialRepository::Revoke(const std::string& id, absl::Time when) {
  SqlParams p;
  return Execute(sql_,
                 absl::StrCat("UPDATE credentials SET revoke_time = ", p.Time(when), " WHERE id = ", p.Text(id),
                              " AND revoke_time IS NULL"),
                 p) == 1;
}

int SociCredentialRepository::RevokeAllOfTechnician(const std::string& technician_id, absl::Time when) {
  SqlParams p;
  return static_cast<int>(Execute(sql_,
                                  absl::StrCat("UPDATE credentials SET revoke_time = ", p.Time(when),
                                               " WHERE technician_id = ", p.Text(technician_id),
                                               " AND revoke_time IS NULL"),
                                  p));
}

bool SociCredentialRepository::AnyActiveAdmin() {
  int count = 0;
  int admin = static_cast<int>(domain::Role::kAdmin);
  sql_ << "SELECT COUNT(*) FROM credentials WHERE role = :r AND revoke_time IS NULL", soci::use(admin),
      soci::into(count);
  return count > 0;
}

std::optional<domain::Credential> SociCredentialRepository::FindByTokenHash(const std::string& token_hash) {
  return FindWhere("token_hash = ", token_hash);
}

std::vector<std::string> SociCredentialRepository::LockActiveAdmins() {
  SqlParams p;
  std::string query = absl::StrCat("SELECT id FROM credentials WHERE role = ", p.Int(static_cast<int>(domain::Role::kAdmin)),
                                   " AND revoke_time IS NULL ORDER BY id");
  // SQLite has one writer at a time already; PostgreSQL takes the rows' locks (in id order, so
  // two revokers cannot deadlock) and re-checks them after waiting.
  if (dialect_ == Dialect::kPostgres) query += " FOR UPDATE";
  std::vector<std::string> ids;
  QueryRows(sql_, query, p, [&](const soci::row& r) { ids.push_back(GetText(r, "id")); });
  return ids;
}

}  // namespace homevisit::storage
