// The contract figures (issue 19): one statement reads, for each order of the period, what its
// events say (a row of domain::OrderFacts), and domain::MetricsTally makes the totals and every
// group's figures from those rows in the same pass. The statement is the same on SQLite and
// PostgreSQL but for two spellings (an event attribute, an RFC 3339 text as microseconds). Times
// come from the event log: a step's observe_time attribute when its device sent one, else the
// event's time.
//
// Plan (EXPLAIN on both databases): the period's orders come from the (type, event_time) index of
// intake events; each one's events from the (order_id, position) index; they are grouped by order
// id alone (a narrow sort), and the order row is joined afterwards by its primary key. Each CTE is
// MATERIALIZED, computed once: as subqueries SQLite joined them row by row (quadratic in the
// period's orders), and SQLite would rather scan every event of the log in order_id order than
// look up the period's. A JSON attribute is read at most once per event.
#include "absl/strings/str_cat.h"
#include "domain/metrics_tally.h"
#include "storage/sql.h"
#include "storage/stores.h"

namespace homevisit::storage {
namespace {

using domain::EventType;

std::string Type(EventType type) { return std::to_string(static_cast<int>(type)); }

// An event attribute as text (NULL when absent).
std::string Attribute(Dialect dialect, const char* key) {
  if (dialect == Dialect::kPostgres) return absl::StrCat("(CAST(e.attributes AS jsonb) ->> '", key, "')");
  return absl::StrCat("json_extract(e.attributes, '$.", key, "')");
}

// An RFC 3339 UTC text ("2026-12-05T16:00:00Z", fractions allowed) as microseconds, to the second.
std::string Micros(Dialect dialect, const std::string& text) {
  if (dialect == Dialect::kPostgres) {
    return absl::StrCat("(CAST(FLOOR(EXTRACT(EPOCH FROM CAST(", text, " AS TIMESTAMPTZ))) AS BIGINT) * 1000000)");
  }
  return absl::StrCat("(CAST(strftime('%s', ", text, ") AS INTEGER) * 1000000)");
}

// When the step happened.
std::string StepTime(Dialect dialect) {
  return absl::StrCat("COALESCE(", Micros(dialect, Attribute(dialect, "observe_time")), ", e.event_time)");
}

// One row per order whose intake event lies in [q.start, q.end) (of q.charge, unless unspecified).
std::string OrderFactsQuery(Dialect dialect, const domain::MetricsQuery& q, SqlParams& p) {
  std::string cohort = absl::StrCat("SELECT c.order_id, c.event_time AS requested_at FROM events c");
  if (q.charge != domain::Charge::kUnspecified) cohort += " JOIN service_orders o ON o.id = c.order_id";
  absl::StrAppend(&cohort, " WHERE c.type = ", Type(EventType::kOrderCreated), " AND c.event_time >= ", p.Time(q.start),
                  " AND c.event_time < ", p.Time(q.end));
  if (q.charge != domain::Charge::kUnspecified) {
    absl::StrAppend(&cohort, " AND o.charge = ", p.Int(static_cast<int>(q.charge)));
  }
  const std::string result = Attribute(dialect, "result");
  auto when = [](EventType type, const std::string& then) {
    return absl::StrCat("CASE WHEN e.type = ", Type(type), " THEN ", then, " END");
  };
  auto flag = [](EventType type, const std::string& condition) {
    return absl::StrCat("MAX(CASE WHEN e.type = ", Type(type), condition, " THEN 1 ELSE 0 END)");
  };
  return absl::StrCat(
      "WITH cohort AS MATERIALIZED (", cohort, "), ",
      // What each order's events say. An order is booked once (a new window is a reschedule),
      // checked in, given an outcome and completed at most once.
      "steps AS MATERIALIZED (SELECT k.order_id, MAX(k.requested_at) AS requested_at, ",
      flag(EventType::kBooked, ""), " AS booked, ",
      "MAX(", when(EventType::kBooked, Micros(dialect, Attribute(dialect, "window_start"))), ") AS booked_start, ",
      flag(EventType::kCancelled, ""), " AS cancelled, ",
      "MAX(", when(EventType::kCompleted, StepTime(dialect)), ") AS completed_at, ",
      // 0: no confirmation call, 1: made but never reached, 2: reached.
      "MAX(", when(EventType::kCallRecorded,
                   absl::StrCat("CASE WHEN ", Attribute(dialect, "call"), " = 'CONFIRMATION' THEN CASE WHEN ", result,
                                " <> 'NOT_REACHABLE' THEN 2 ELSE 1 END ELSE 0 END")),
      ") AS confirmation, ",
      "MIN(", when(EventType::kCheckedIn, StepTime(dialect)), ") AS checked_in_at, ",
      "MAX(", when(EventType::kCheckedIn, Attribute(dialect, "punctuality")), ") AS punctuality, ",
      "SUM(CASE WHEN e.type = ", Type(EventType::kTechnicianLate), " THEN 1 ELSE 0 END) AS late_alerts, ",
      "MAX(", when(EventType::kOutcomeRecorded, result), ") AS outcome, ",
      "MAX(", when(EventType::kOutcomeRecorded, absl::StrCat("CAST(", Attribute(dialect, "reason_category"), " AS INTEGER)")),
      ") AS reason_category, ",
      flag(EventType::kSigned, ""), " AS signature, ",
      flag(EventType::kSigned, absl::StrCat(" AND ", Attribute(dialect, "refused"), " = 'true'")), " AS refused ",
      "FROM cohort k JOIN events e ON e.order_id = k.order_id GROUP BY k.order_id) ",
      "SELECT COALESCE(o.technician_id, '') AS technician_id, o.delegacion, o.charge, o.requested_start, o.window_end, "
      "o.cancel_reason, s.requested_at, s.booked, s.booked_start, s.cancelled, s.completed_at, s.confirmation, "
      "s.checked_in_at, s.punctuality, s.late_alerts, s.outcome, s.reason_category, s.signature, s.refused, "
      // A resolved visit followed by a new order of the same file within the window.
      "CASE WHEN s.outcome = 'RESOLVED' AND s.completed_at IS NOT NULL AND EXISTS (SELECT 1 FROM service_orders r "
      "WHERE r.file_number = o.file_number AND r.create_time > s.completed_at AND r.create_time <= s.completed_at + ",
      p.Int64(absl::ToInt64Microseconds(q.first_visit_window)), ") THEN 1 ELSE 0 END AS repeat_order "
      "FROM steps s JOIN service_orders o ON o.id = s.order_id");
}

std::optional<absl::Time> OptionalTime(const soci::row& r, const std::string& column) {
  if (IsNull(r, column)) return std::nullopt;
  return GetTime(r, column);
}

}  // namespace

std::vector<domain::MetricsGroup> SociMetricsRepository::Compute(const domain::MetricsQuery& q) {
  domain::MetricsTally tally(q);
  SqlParams p;
  domain::OrderFacts o;
  QueryRows(sql_, OrderFactsQuery(dialect_, q, p), p, [&](const soci::row& r) {
    o.technician_id = GetText(r, "technician_id");
    o.delegacion = GetText(r, "delegacion");
    o.charge = static_cast<domain::Charge>(GetInt(r, "charge"));
    o.requested_start = GetTime(r, "requested_start");
    o.window_end = OptionalTime(r, "window_end");
    o.cancel_reason = GetText(r, "cancel_reason");
    o.requested_at = GetTime(r, "requested_at");
    o.booked = GetInt(r, "booked") == 1;
    o.booked_start = OptionalTime(r, "booked_start");
    o.cancelled = GetInt(r, "cancelled") == 1;
    o.completed_at = OptionalTime(r, "completed_at");
    const int confirmation = GetInt(r, "confirmation");
    o.confirmation_made = confirmation >= 1;
    o.confirmation_reached = confirmation == 2;
    o.checked_in_at = OptionalTime(r, "checked_in_at");
    o.punctuality = GetText(r, "punctuality");
    o.late_alerts = GetInt64(r, "late_alerts");
    o.outcome = GetText(r, "outcome");
    o.reason_category = IsNull(r, "reason_category") ? std::nullopt : std::optional<int>(GetInt(r, "reason_category"));
    o.signature = GetInt(r, "signature") == 1;
    o.signature_refused = GetInt(r, "refused") == 1;
    o.repeat_order = GetInt(r, "repeat_order") == 1;
    tally.Add(o);
  });
  return tally.Finish();
}

}  // namespace homevisit::storage
