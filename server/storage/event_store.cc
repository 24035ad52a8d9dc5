#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "storage/event_log.h"
#include "storage/sql.h"
#include "storage/stores.h"

namespace homevisit::storage {

namespace {

// The column that holds an event's public position: SQLite's writers commit one at a time, so
// the insert order (seq) is the commit order; PostgreSQL's is given by Publish.
const char* PositionColumn(Dialect dialect) { return dialect == Dialect::kPostgres ? "log_position" : "seq"; }

}  // namespace

EventRowSql EventRow(const domain::Event& e, SqlParams& p) {
  return {"file_number, type, actor, actor_role, event_time, attributes",
          absl::StrCat(p.Text(e.file_number), ", CAST(", p.Int(static_cast<int>(e.type)), " AS INTEGER), ",
                       p.Text(e.actor.principal), ", CAST(", p.Int(static_cast<int>(e.actor.role)), " AS INTEGER), CAST(",
                       p.Time(e.time), " AS BIGINT), ", p.Text(nlohmann::json(e.attributes).dump()))};
}

void SociEventRepository::Append(const domain::Event& e) {
  // No lock and no position here: on PostgreSQL the row records its transaction's id
  // (writer_xid, a column default) and Publish positions it once it is final.
  SqlParams p;
  const std::string order_id = p.Text(e.order_id);
  const EventRowSql row = EventRow(e, p);
  Execute(sql_, absl::StrCat("INSERT INTO events (order_id, ", row.columns, ") VALUES (", order_id, ", ", row.values, ")"),
          p);
}

int SociEventRepository::Publish(absl::Duration wait) {
  if (dialect_ != Dialect::kPostgres) return 0;
  if (wait > absl::ZeroDuration()) {
    // Every transaction that committed before now has an id below this snapshot's xmax; once the
    // horizon (xmin) reaches it, all of them are final. Each statement takes a new snapshot, and
    // this transaction has written nothing yet, so it holds no id that would hold the horizon.
    SqlParams none;
    std::string target;
    QueryRows(sql_, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS target", none,
              [&](const soci::row& r) { target = GetText(r, "target"); });
    const absl::Time deadline = absl::Now() + wait;
    for (absl::Duration pause = absl::Microseconds(200);; pause = std::min(pause * 2, absl::Milliseconds(20))) {
      SqlParams p;
      int passed = 0;
      QueryRows(sql_,
                absl::StrCat("SELECT CASE WHEN pg_snapshot_xmin(pg_current_snapshot()) >= CAST(", p.Text(target),
                             " AS xid8) THEN 1 ELSE 0 END AS passed"),
                p, [&](const soci::row& r) { passed = GetInt(r, "passed"); });
      if (passed || absl::Now() >= deadline) break;
      absl::SleepFor(pause);
    }
  }
  // Publishers of every replica take turns (a lock of their own: writers never wait on it), so
  // each numbers from the positions the previous one committed.
  Execute(sql_, "SELECT pg_advisory_xact_lock(7264150)");
  // An event whose writer_xid is below the snapshot's xmin was written by a transaction that has
  // ended: no transaction still running can commit an event that sorts before it. Those events,
  // in (writer_xid, seq) order, get the next dense positions. Events of aborted transactions are
  // gone; the ones at or above xmin wait for a later round.
  SqlParams p;
  long long changed = Execute(
      sql_,
      absl::StrCat("UPDATE events SET log_position = next.position FROM ("
                   "SELECT seq, (SELECT COALESCE(MAX(log_position), 0) FROM events) + "
                   "ROW_NUMBER() OVER (ORDER BY writer_xid, seq) AS position FROM events "
                   "WHERE log_position IS NULL AND writer_xid < pg_snapshot_xmin(pg_current_snapshot()) "
                   "ORDER BY writer_xid, seq LIMIT ",
                   p.Int(kPublishBatch),
                   ") AS next WHERE events.seq = next.seq AND events.log_position IS NULL"),
      p);
  return static_cast<int>(changed);
}

long long SociEventRepository::LastSeq() {
  SqlParams none;
  long long seq = 0;
  QueryRows(sql_, absl::StrCat("SELECT COALESCE(MAX(", PositionColumn(dialect_), "), 0) AS seq FROM events"), none,
            [&](const soci::row& r) { seq = GetInt64(r, "seq"); });
  return seq;
}

long long SociEventRepository::LastSeqOf(const std::vector<domain::EventType>& types) {
  if (types.empty()) return 0;
  // One MAX per type, each answered from the (type, position) index; MAX over an IN list would
  // read every event of those types instead.
  const char* position = PositionColumn(dialect_);
  SqlParams p;
  std::vector<std::string> per_type;
  for (domain::EventType t : types) {
    per_type.push_back(absl::StrCat("SELECT (SELECT MAX(", position, ") FROM events WHERE type = ",
                                    p.Int(static_cast<int>(t)), ") AS newest"));
  }
  long long seq = 0;
  QueryRows(sql_, absl::StrCat("SELECT COALESCE(MAX(newest), 0) AS seq FROM (", absl::StrJoin(per_type, " UNION ALL "), ") t"),
            p, [&](const soci::row& r) { seq = GetInt64(r, "seq"); });
  return seq;
}

std::vector<std::string> SociEventRepository::OrdersOf(const std::vector<domain::EventType>& types, long long after,
                                                      long long upto, int limit) {
  std::vector<std::string> orders;
  if (types.empty() || upto <= after) return orders;
  const char* position = PositionColumn(dialect_);
  SqlParams p;
  std::vector<std::string> type_values;
  for (domain::EventType t : types) type_values.push_back(p.Int(static_cast<int>(t)));
  // A range of the position index; the types filter the few rows in it.
  QueryRows(sql_,
            absl::StrCat("SELECT DISTINCT order_id FROM events WHERE ", position, " > ", p.Int64(after), " AND ",
                         position, " <= ", p.Int64(upto), " AND type IN (", absl::StrJoin(type_values, ", "),
                         ") LIMIT ", p.Int(limit + 1)),
            p, [&](const soci::row& r) { orders.push_back(GetText(r, "order_id")); });
  return orders;
}

std::vector<domain::Event> SociEventRepository::List(const domain::EventFilter& f, long long after_seq, int limit) {
  SqlParams p;
  const char* position = PositionColumn(dialect_);
  std::vector<std::string> where = {absl::StrCat(position, " > ", p.Int64(after_seq))};
  if (!f.order_id.empty()) where.push_back(absl::StrCat("order_id = ", p.Text(f.order_id)));
  if (!f.file_number.empty()) where.push_back(absl::StrCat("file_number = ", p.Text(f.file_number)));
  if (!f.types.empty()) {
    std::vector<std::string> types;
    for (domain::EventType t : f.types) types.push_back(p.Int(static_cast<int>(t)));
    where.push_back(absl::StrCat("type IN (", absl::StrJoin(types, ", "), ")"));
  }
  std::string query = absl::StrCat(
      "SELECT ", position, " AS seq, order_id, file_number, type, actor, actor_role, event_time, attributes "
      "FROM events WHERE ", absl::StrJoin(where, " AND "), " ORDER BY ", position, " LIMIT ", p.Int(limit));
  return Query(query, p);
}

std::vector<domain::Event> SociEventRepository::OfOrder(const std::string& order_id, int limit) {
  SqlParams p;
  std::string query = absl::StrCat(
      "SELECT seq, order_id, file_number, type, actor, actor_role, event_time, attributes FROM events "
      "WHERE order_id = ", p.Text(order_id), " ORDER BY seq LIMIT ", p.Int(limit));
  return Query(query, p);
}

std::vector<domain::Event> SociEventRepository::Query(const std::string& query, SqlParams& p) {
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

int PublishEvents(Database& db, absl::Duration wait) {
  if (db.dialect() != Dialect::kPostgres) return 0;
  return db.Write([&](domain::UnitOfWork& work) { return work.events().Publish(wait); });
}

}  // namespace homevisit::storage
