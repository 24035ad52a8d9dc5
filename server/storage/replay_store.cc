// Request ids of retried writes (domain::ReplayRepository).
#include "absl/strings/str_cat.h"
#include "storage/sql.h"
#include "storage/stores.h"

namespace homevisit::storage {
namespace {

// " WHERE principal = :p.. AND method = :p.. AND request_id = :p.."
std::string WhereKey(SqlParams& p, const domain::ReplayKey& key) {
  return absl::StrCat(" WHERE principal = ", p.Text(key.principal), " AND method = ", p.Text(key.method),
                      " AND request_id = ", p.Text(key.request_id));
}

}  // namespace

bool SociReplayRepository::Claim(const domain::ReplayKey& key, const std::string& fingerprint, absl::Time now,
                                 absl::Time expired_before) {
  {
    SqlParams p;
    const std::string values = absl::StrCat(p.Text(key.principal), ", ", p.Text(key.method), ", ",
                                            p.Text(key.request_id), ", ", p.Text(fingerprint), ", '', ", p.Time(now));
    if (Execute(sql_,
                absl::StrCat("INSERT INTO request_replays (principal, method, request_id, fingerprint, response, "
                             "create_time) VALUES (",
                             values, ") ON CONFLICT (principal, method, request_id) DO NOTHING"),
                p) == 1) {
      return true;
    }
  }
  // Taken: by an expired claim, which this one replaces, or by a live one.
  SqlParams p;
  const std::string set = absl::StrCat("UPDATE request_replays SET fingerprint = ", p.Text(fingerprint),
                                       ", response = '', create_time = ", p.Time(now));
  const std::string where = WhereKey(p, key);
  return Execute(sql_, absl::StrCat(set, where, " AND create_time < ", p.Time(expired_before)), p) == 1;
}

std::optional<domain::StoredReplay> SociReplayRepository::Find(const domain::ReplayKey& key) {
  SqlParams p;
  std::optional<domain::StoredReplay> found;
  QueryRows(sql_, "SELECT fingerprint, response FROM request_replays" + WhereKey(p, key), p,
            [&](const soci::row& row) { found = domain::StoredReplay{GetText(row, "fingerprint"), GetText(row, "response")}; });
  return found;
}

void SociReplayRepository::SaveResponse(const domain::ReplayKey& key, const std::string& response) {
  SqlParams p;
  const std::string set = "UPDATE request_replays SET response = " + p.Text(response);
  Execute(sql_, set + WhereKey(p, key), p);
}

bool SociReplayRepository::AnyExpired(absl::Time expired_before) {
  SqlParams p;
  bool any = false;
  QueryRows(sql_, "SELECT 1 AS one FROM request_replays WHERE create_time < " + p.Time(expired_before) + " LIMIT 1", p,
            [&](const soci::row&) { any = true; });
  return any;
}

int SociReplayRepository::DeleteExpired(absl::Time expired_before, int limit) {
  // The oldest first, by the age index, a bounded batch per transaction.
  SqlParams p;
  return static_cast<int>(Execute(
      sql_,
      absl::StrCat("DELETE FROM request_replays WHERE (principal, method, request_id) IN (SELECT principal, method, "
                   "request_id FROM request_replays WHERE create_time < ",
                   p.Time(expired_before), " ORDER BY create_time LIMIT ", p.Int(limit), ")"),
      p));
}

}  // namespace homevisit::storage
