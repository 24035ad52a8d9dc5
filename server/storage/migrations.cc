#include "storage/migrations.h"

#include <set>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "storage/dialect.h"

namespace homevisit::storage {

// Instants are BIGINT microseconds since the Unix epoch, UTC. Enums are stored as their proto
// numbers. Every list filter has an index that ends in the sort key (create_time, id).
const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "orders, technicians, events", R"SQL(
CREATE TABLE technicians (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  employee_number TEXT NOT NULL UNIQUE,
  official_id_type INTEGER NOT NULL,
  mobile_phone TEXT NOT NULL,
  active INTEGER NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX technicians_by_name ON technicians (display_name, id);
CREATE TABLE technician_zones (
  technician_id TEXT NOT NULL REFERENCES technicians (id) ON DELETE CASCADE,
  kind INTEGER NOT NULL,
  zone TEXT NOT NULL,
  PRIMARY KEY (technician_id, kind, zone)
);
CREATE INDEX technician_zones_by_zone ON technician_zones (kind, zone, technician_id);
CREATE TABLE technician_hours (
  technician_id TEXT NOT NULL REFERENCES technicians (id) ON DELETE CASCADE,
  weekday INTEGER NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  PRIMARY KEY (technician_id, weekday, start_minute)
);
CREATE TABLE technician_time_off (
  technician_id TEXT NOT NULL REFERENCES technicians (id) ON DELETE CASCADE,
  start_time BIGINT NOT NULL,
  end_time BIGINT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (technician_id, start_time)
);
CREATE TABLE service_orders (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  file_number TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  email TEXT NOT NULL,
  street TEXT NOT NULL,
  exterior_number TEXT NOT NULL,
  interior_number TEXT NOT NULL,
  colonia TEXT NOT NULL,
  delegacion TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  address_references TEXT NOT NULL,
  requested_start BIGINT NOT NULL,
  requested_end BIGINT NOT NULL,
  receiver_name TEXT NOT NULL,
  receiver_phone TEXT NOT NULL,
  problem_description TEXT NOT NULL,
  charge INTEGER NOT NULL,
  state INTEGER NOT NULL,
  technician_id TEXT REFERENCES technicians (id),
  window_start BIGINT,
  window_end BIGINT,
  book_time BIGINT,
  cancel_reason TEXT,
  cancel_time BIGINT,
  cancel_actor TEXT,
  schedule_start BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX service_orders_newest ON service_orders (create_time, id);
CREATE INDEX service_orders_by_file ON service_orders (file_number, create_time, id);
CREATE INDEX service_orders_by_state ON service_orders (state, create_time, id);
CREATE INDEX service_orders_by_technician ON service_orders (technician_id, create_time, id);
CREATE INDEX service_orders_by_schedule ON service_orders (schedule_start);
CREATE TABLE events (
  seq {{SERIAL_PK}},
  order_id TEXT NOT NULL REFERENCES service_orders (id),
  file_number TEXT NOT NULL,
  type INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_role INTEGER NOT NULL,
  event_time BIGINT NOT NULL,
  attributes TEXT NOT NULL
);
CREATE INDEX events_by_order ON events (order_id, seq);
CREATE INDEX events_by_file ON events (file_number, seq);
CREATE INDEX events_by_type ON events (type, seq);
CREATE TABLE markers (
  name TEXT PRIMARY KEY,
  set_time BIGINT NOT NULL
);
)SQL"},
      // No double booking: see server/domain/scheduling_repository.h. A slot_claims row is one
      // granule (its start) of one technician, owned by an order's appointment (hold_id NULL) or
      // by a hold (hold_id and expire_time set); the primary key is the guarantee.
      {2, "holds, slot claims", R"SQL(
CREATE TABLE holds (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES service_orders (id),
  technician_id TEXT NOT NULL REFERENCES technicians (id),
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  expire_time BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  status INTEGER NOT NULL
);
CREATE INDEX holds_by_order ON holds (order_id, status);
CREATE TABLE slot_claims (
  technician_id TEXT NOT NULL REFERENCES technicians (id),
  granule BIGINT NOT NULL,
  order_id TEXT NOT NULL REFERENCES service_orders (id),
  hold_id TEXT REFERENCES holds (id),
  expire_time BIGINT,
  PRIMARY KEY (technician_id, granule)
);
CREATE INDEX slot_claims_by_order ON slot_claims (order_id);
CREATE INDEX slot_claims_by_hold ON slot_claims (hold_id);
)SQL"},
      // CreateTechnician's optional request id (NULL when not given; NULLs never collide in a
      // unique index) and the principal of a technician's last change.
      {3, "technician request ids", R"SQL(
ALTER TABLE technicians ADD COLUMN request_id TEXT;
ALTER TABLE technicians ADD COLUMN update_actor TEXT;
CREATE UNIQUE INDEX technicians_by_request_id ON technicians (request_id);
)SQL"},
      // The visit [B1-B11]: one visits row per order, a column per recorded field, NULL until its
      // step is recorded (a step is present iff its time column is set); the signature PNG is
      // base64 in TEXT (see visit_store.cc). The late alert sits on the order row so the sweep's
      // conditional UPDATE raises it exactly once across replicas.
      {4, "visits, checklist answers, late alerts", R"SQL(
ALTER TABLE service_orders ADD COLUMN late_alert_time BIGINT;
CREATE INDEX service_orders_awaiting ON service_orders (state, window_start);
CREATE TABLE visits (
  order_id TEXT PRIMARY KEY REFERENCES service_orders (id),
  confirmation_result INTEGER NOT NULL,
  confirmation_note TEXT NOT NULL,
  confirmation_time BIGINT,
  confirmation_actor TEXT NOT NULL,
  follow_up_present INTEGER NOT NULL,
  follow_up_note TEXT NOT NULL,
  follow_up_time BIGINT,
  follow_up_actor TEXT NOT NULL,
  arrival_time BIGINT,
  punctuality INTEGER NOT NULL,
  greeting_given INTEGER NOT NULL,
  vest_worn INTEGER NOT NULL,
  official_id_type INTEGER NOT NULL,
  reason_explained INTEGER NOT NULL,
  diagnosis_time BIGINT,
  internet_related INTEGER NOT NULL,
  diagnosis_summary TEXT NOT NULL,
  escalation_request_time BIGINT,
  phone_used INTEGER NOT NULL,
  support_agent TEXT NOT NULL,
  conference_time BIGINT,
  conference_actor TEXT NOT NULL,
  hand_over_time BIGINT,
  hand_over_note TEXT NOT NULL,
  outcome_time BIGINT,
  outcome_result INTEGER NOT NULL,
  outcome_problem TEXT NOT NULL,
  outcome_diagnosis TEXT NOT NULL,
  outcome_actions TEXT NOT NULL,
  reason_category INTEGER NOT NULL,
  reason_text TEXT NOT NULL,
  sign_time BIGINT,
  signer_name TEXT NOT NULL,
  signature_png_base64 TEXT NOT NULL,
  signature_refused INTEGER NOT NULL,
  refusal_reason TEXT NOT NULL,
  complete_time BIGINT,
  completion_note TEXT NOT NULL
);
CREATE TABLE checklist_answers (
  order_id TEXT NOT NULL REFERENCES service_orders (id),
  position INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  label TEXT NOT NULL,
  result INTEGER NOT NULL,
  measured_value TEXT NOT NULL,
  note TEXT NOT NULL,
  service_item INTEGER NOT NULL,
  PRIMARY KEY (order_id, position)
);
)SQL"},
      {5, "credentials", R"SQL(
CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  principal TEXT NOT NULL,
  role INTEGER NOT NULL,
  technician_id TEXT REFERENCES technicians (id),
  token_hash TEXT NOT NULL UNIQUE,
  create_time BIGINT NOT NULL,
  revoke_time BIGINT,
  create_actor TEXT NOT NULL
);
CREATE INDEX credentials_by_creation ON credentials (create_time, id);
CREATE INDEX credentials_active_by_role ON credentials (role, revoke_time);
)SQL"},
      // Deactivating a technician revokes their credentials in the same unit of work.
      {6, "credentials by technician", R"SQL(
CREATE INDEX credentials_by_technician ON credentials (technician_id);
)SQL"},
      // The sweep that turns lapsed holds into TYPE_HOLD_RELEASED events looks them up by expiry.
      {7, "holds by expiry", R"SQL(
CREATE INDEX holds_lapsing ON holds (status, expire_time);
)SQL"},
      // A booking's request id, so a retry is told from a second booking.
      {8, "booking request ids", R"SQL(
ALTER TABLE service_orders ADD COLUMN book_request_id TEXT;
)SQL"},
      // PostgreSQL: events are appended without a lock and take their public position (the
      // watch cursor) once they are final, in commit order (see DESIGN.md, "The event log").
      // Positions of existing events stay what they were (their seq), so cursors held by
      // clients remain valid. Indexes no query uses for new orders leave out their NULL rows.
      {9, "event positions, partial indexes", R"SQL(
DROP INDEX service_orders_by_technician;
CREATE INDEX service_orders_by_technician ON service_orders (technician_id, create_time, id) WHERE technician_id IS NOT NULL;
DROP INDEX service_orders_by_schedule;
CREATE INDEX service_orders_by_schedule ON service_orders (schedule_start) WHERE schedule_start IS NOT NULL;
DROP INDEX service_orders_awaiting;
CREATE INDEX service_orders_awaiting ON service_orders (state, window_start) WHERE window_start IS NOT NULL;
)SQL",
       R"SQL(
ALTER TABLE events ADD COLUMN writer_xid xid8;
ALTER TABLE events ALTER COLUMN writer_xid SET DEFAULT pg_current_xact_id();
ALTER TABLE events ADD COLUMN log_position BIGINT;
UPDATE events SET log_position = seq;
CREATE UNIQUE INDEX events_by_position ON events (log_position);
CREATE INDEX events_unpublished ON events (writer_xid, seq) WHERE log_position IS NULL;
DROP INDEX events_by_order;
CREATE INDEX events_by_order ON events (order_id, log_position);
DROP INDEX events_by_file;
CREATE INDEX events_by_file ON events (file_number, log_position);
DROP INDEX events_by_type;
CREATE INDEX events_by_type ON events (type, log_position);
)SQL"},
      // Request ids of retried writes with the response they got (AIP-155); swept by age.
      {10, "request replays", R"SQL(
CREATE TABLE request_replays (
  principal TEXT NOT NULL,
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  response TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  PRIMARY KEY (principal, method, request_id)
);
CREATE INDEX request_replays_by_age ON request_replays (create_time);
)SQL"},
      // The document of each filed report as issued at completion, with its evidence hashes (issue
      // 18). The PDF is base64 in TEXT like the signature: one code path through SOCI's rows.
      {11, "visit documents", R"SQL(
CREATE TABLE visit_documents (
  order_id TEXT PRIMARY KEY REFERENCES service_orders (id),
  report_sha256 TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  pdf_base64 TEXT NOT NULL,
  issue_time BIGINT NOT NULL
);
)SQL"},
      // GetProgramMetrics (issue 19) finds a period's orders by the time of their intake event.
      {12, "events by type and time", R"SQL(
CREATE INDEX events_by_type_time ON events (type, event_time);
)SQL"},
      // ListHolds (issue 20): the dispatcher's day asks for a technician's holds, or everyone's,
      // over a range of hours, in window order.
      {13, "holds by window", R"SQL(
CREATE INDEX holds_by_technician_window ON holds (technician_id, window_start);
CREATE INDEX holds_by_window ON holds (window_start);
)SQL"},
  };
  return migrations;
}

std::vector<int> ApplyMigrations(soci::session& sql, Dialect dialect) {
  sql << BeginStatement(dialect, /*write=*/true);
  try {
    if (dialect == Dialect::kPostgres) {
      // Replicas starting at once wait here instead of racing on CREATE TABLE.
      sql << "SELECT pg_advisory_xact_lock(7264148)";
    }
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
           "applied_time BIGINT NOT NULL)";
    std::set<int> applied;
    {
      int version = 0;
      soci::statement st = (sql.prepare << "SELECT version FROM schema_migrations", soci::into(version));
      st.execute();
      while (st.fetch()) applied.insert(version);
    }
    std::vector<int> now_applied;
    for (const Migration& m : AllMigrations()) {
      if (applied.count(m.version)) continue;
      std::string ddl = RenderDdl(dialect, m.ddl);
      if (dialect == Dialect::kPostgres) ddl += m.postgres_ddl;
      for (absl::string_view statement : absl::StrSplit(ddl, ";\n")) {
        statement = absl::StripAsciiWhitespace(statement);
        if (!statement.empty()) sql << std::string(statement);
      }
      long long when = absl::ToUnixMicros(absl::Now());
      sql << "INSERT INTO schema_migrations (version, name, applied_time) VALUES (:v, :n, :t)", soci::use(m.version),
          soci::use(m.name), soci::use(when);
      now_applied.push_back(m.version);
    }
    sql << "COMMIT";
    return now_applied;
  } catch (...) {
    try {
      sql << "ROLLBACK";
    } catch (...) {
      // the original error is the one worth reporting
    }
    throw;
  }
}

}  // namespace homevisit::storage
