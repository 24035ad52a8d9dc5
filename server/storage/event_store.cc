#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/sql.h"
#include "storage/stores.h"

namespace homevisit::storage {

long long SociEventRepository::Append(const domain::Event& e) {
  if (dialect_ == Dialect::kPostgres) {
    // Watchers resume from "the last seq I saw", which is only safe if seqs become visible in
    // order. PostgreSQL hands out sequence values before commit, so appends are serialized
    // from here to commit (the append is the last write of every unit of work, so the lock
    // is held briefly). SQLite serializes writers already.
    sql_ << "SELECT pg_advisory_xact_lock(7264149)";
  }
  SqlParams p;
  // RETURNING works on SQLite >= 3.35 and PostgreSQL alike.
  std::string statement = absl::StrCat(
      "INSERT INTO events (order_id, file_number, type, actor, actor_role, event_time, attributes) VALUES (",
      p.Text(e.order_id), ", ", p.Text(e.file_number), ", ", p.Int(static_cast<int>(e.type)), ", ",
      p.Text(e.actor.principal), ", ", p.Int(static_cast<int>(e.actor.role)), ", ", p.Time(e.time), ", ",
      p.Text(nlohmann::json(e.attributes).dump()), ") RETURNING seq");
  long long seq = 0;
  QueryRows(sql_, statement, p, [&](const soci::row& r) { seq = GetInt64(r, "seq"); });
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
