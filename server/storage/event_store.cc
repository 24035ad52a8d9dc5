#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/sql.h"
#include "storage/stores.h"

namespace homevisit::storage {

long long SociEventRepository::Append(const domain::Event& e) {
  nlohmann::json attributes(e.attributes);
  long long seq = 0;
  long long when = absl::ToUnixMicros(e.time);
  int type = static_cast<int>(e.type);
  int role = static_cast<int>(e.actor.role);
  std::string json = attributes.dump();
  if (dialect_ == Dialect::kPostgres) {
    // Watchers resume from "the last seq I saw", which is only safe if seqs become visible in
    // order. PostgreSQL hands out sequence values before commit, so appends are serialized
    // from here to commit (the append is the last write of every unit of work, so the lock
    // is held briefly). SQLite serializes writers already.
    sql_ << "SELECT pg_advisory_xact_lock(7264149)";
  }
  // RETURNING works on SQLite >= 3.35 and PostgreSQL alike.
  sql_ << "INSERT INTO events (order_id, file_number, type, actor, actor_role, event_time, attributes) "
          "VALUES (:o, :f, :ty, :a, :r, :t, :at) RETURNING seq",
      soci::use(e.order_id), soci::use(e.file_number), soci::use(type), soci::use(e.actor.principal),
      soci::use(role), soci::use(when), soci::use(json), soci::into(seq);
  return seq;
}

long long SociEventRepository::LastSeq() {
  long long seq = 0;
  sql_ << "SELECT COALESCE(MAX(seq), 0) FROM events", soci::into(seq);
  return seq;
}

std::vector<domain::Event> SociEventRepository::List(const domain::EventFilter& f, long long after_seq, int limit) {
  SqlParams p;
  std::vector<std::string> where = {absl::StrCat("seq > ", p.Int64(after_seq))};
  if (!f.order_id.empty()) where.push_back(absl::StrCat("order_id = ", p.Text(f.order_id)));
  if (!f.file_number.empty()) where.push_back(absl::StrCat("file_number = ", p.Text(f.file_number)));
  if (!f.types.empty()) {
    std::vector<std::string> types;
    for (domain::EventType t : f.types) types.push_back(p.Int(static_cast<int>(t)));
    where.push_back(absl::StrCat("type IN (", absl::StrJoin(types, ", "), ")"));
  }
  std::string query = absl::StrCat(
      "SELECT seq, order_id, file_number, type, actor, actor_role, event_time, attributes FROM events WHERE ",
      absl::StrJoin(where, " AND "), " ORDER BY seq LIMIT ", p.Int(limit));
  std::vector<domain::Event> events;
  QueryRows(sql_, query, p, [&](const soci::row& r) {
    domain::Event e;
    e.seq = GetInt64(r, "seq");
    e.order_id = GetText(r, "order_id");
    e.file_number = GetText(r, "file_number");
    e.type = static_cast<domain::EventType>(GetInt(r, "type"));
    e.actor = {GetText(r, "actor"), static_cast<domain::Role>(GetInt(r, "actor_role")), ""};
    e.time = GetTime(r, "event_time");
    e.attributes = nlohmann::json::parse(GetText(r, "attributes")).get<std::map<std::string, std::string>>();
    events.push_back(std::move(e));
  });
  return events;
}

}  // namespace homevisit::storage
