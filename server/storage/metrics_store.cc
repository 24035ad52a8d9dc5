// The contract figures (issue 19) in SQL, the same statements on SQLite and PostgreSQL but for
// two spellings (an event attribute, an RFC 3339 text as microseconds). Times come from the event
// log: a step's observe_time attribute when its device sent one, else the event's time.
//
// The statements share one CTE, `facts`: a row per order of the period (found through the
// (type, event_time) index of intake events) with what its events say, aggregated from the
// order's events (the (order_id, position) index). Each CTE is MATERIALIZED, computed once: as
// subqueries SQLite joined them row by row (quadratic in the period's orders). Counts are sums over `facts`; percentiles are
// nearest-rank values picked with window functions, since SQLite has no percentile function.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

std::string FactsCte(Dialect dialect, const domain::MetricsQuery& q, SqlParams& p) {
  std::string days;
  std::string day_join;
  std::string key = "''";
  switch (q.grouping) {
    case domain::MetricsGrouping::kNone: break;
    case domain::MetricsGrouping::kTechnician: key = "COALESCE(o.technician_id, '')"; break;
    case domain::MetricsGrouping::kDelegacion: key = "o.delegacion"; break;
    case domain::MetricsGrouping::kDay: {
      std::vector<std::string> rows;
      for (size_t i = 0; i + 1 < q.day_starts.size(); ++i) {
        rows.push_back(absl::StrCat("(CAST(", p.Int(static_cast<int>(i)), " AS INTEGER), CAST(", p.Time(q.day_starts[i]),
                                    " AS BIGINT), CAST(", p.Time(q.day_starts[i + 1]), " AS BIGINT))"));
      }
      days = absl::StrCat("days (day_index, day_start, day_end) AS (VALUES ", absl::StrJoin(rows, ", "), "), ");
      day_join = " JOIN days d ON c.event_time >= d.day_start AND c.event_time < d.day_end";
      key = "CAST(d.day_index AS TEXT)";
      break;
    }
  }
  std::string charge;
  if (q.charge != domain::Charge::kUnspecified) {
    charge = absl::StrCat(" AND o.charge = ", p.Int(static_cast<int>(q.charge)));
  }
  const std::string at = StepTime(dialect);
  const std::string result = Attribute(dialect, "result");
  auto when = [](EventType type, const std::string& then) {
    return absl::StrCat("CASE WHEN e.type = ", Type(type), " THEN ", then, " END");
  };
  auto flag = [](EventType type, const std::string& condition) {
    return absl::StrCat("MAX(CASE WHEN e.type = ", Type(type), condition, " THEN 1 ELSE 0 END)");
  };
  const std::string confirmation = absl::StrCat(" AND ", Attribute(dialect, "call"), " = 'CONFIRMATION'");
  return absl::StrCat(
      "WITH ", days,
      // The period's orders: their intake event lies in it.
      "cohort AS MATERIALIZED (SELECT ", key, " AS group_key, o.id, o.file_number, o.charge, o.requested_start, o.window_end, "
      "o.cancel_reason, c.event_time AS requested_at FROM events c JOIN service_orders o ON o.id = c.order_id", day_join,
      " WHERE c.type = ", Type(EventType::kOrderCreated), " AND c.event_time >= ", p.Time(q.start),
      " AND c.event_time < ", p.Time(q.end), charge, "), ",
      // What each order's events say. An order is booked once (a new window is a reschedule),
      // checked in, given an outcome and completed at most once.
      "steps AS MATERIALIZED (SELECT k.group_key, k.id, k.file_number, k.charge, k.requested_start, k.window_end, k.cancel_reason, k.requested_at, ",
      flag(EventType::kBooked, ""), " AS booked, ",
      "MAX(", when(EventType::kBooked, Micros(dialect, Attribute(dialect, "window_start"))), ") AS booked_start, ",
      flag(EventType::kCancelled, ""), " AS cancelled, ",
      "MAX(", when(EventType::kCompleted, at), ") AS completed_at, ",
      flag(EventType::kCallRecorded, confirmation), " AS confirmation_made, ",
      flag(EventType::kCallRecorded, absl::StrCat(confirmation, " AND ", result, " <> 'NOT_REACHABLE'")),
      " AS confirmation_reached, ",
      "MIN(", when(EventType::kCheckedIn, at), ") AS checked_in_at, ",
      "MAX(", when(EventType::kCheckedIn, Attribute(dialect, "punctuality")), ") AS punctuality, ",
      "SUM(CASE WHEN e.type = ", Type(EventType::kTechnicianLate), " THEN 1 ELSE 0 END) AS late_alerts, ",
      "MAX(", when(EventType::kOutcomeRecorded, result), ") AS outcome, ",
      "MAX(", when(EventType::kOutcomeRecorded, absl::StrCat("CAST(", Attribute(dialect, "reason_category"), " AS INTEGER)")),
      ") AS reason_category, ",
      flag(EventType::kSigned, ""), " AS signed, ",
      flag(EventType::kSigned, absl::StrCat(" AND ", Attribute(dialect, "refused"), " = 'true'")), " AS refused ",
      "FROM cohort k JOIN events e ON e.order_id = k.id GROUP BY k.group_key, k.id, k.file_number, k.charge, k.requested_start, k.window_end, k.cancel_reason, k.requested_at), ",
      "facts AS MATERIALIZED (SELECT s.group_key, s.charge, s.cancel_reason, s.requested_start, s.window_end, "
      "s.requested_at, "
      "s.booked, s.booked_start, s.cancelled, s.completed_at, s.confirmation_made, s.confirmation_reached, "
      "s.checked_in_at, s.punctuality, s.late_alerts, s.outcome, s.reason_category, s.signed, s.refused, "
      // A resolved visit followed by a new order of the same file within the window.
      "CASE WHEN s.outcome = 'RESOLVED' AND s.completed_at IS NOT NULL AND EXISTS (SELECT 1 FROM service_orders r "
      "WHERE r.file_number = s.file_number AND r.create_time > s.completed_at AND r.create_time <= s.completed_at + ",
      p.Int64(absl::ToInt64Microseconds(q.first_visit_window)), ") THEN 1 ELSE 0 END AS repeated "
      "FROM steps s) ");
}

std::string Sum(const std::string& condition) {
  return absl::StrCat("CAST(COALESCE(SUM(CASE WHEN ", condition, " THEN 1 ELSE 0 END), 0) AS BIGINT)");
}

domain::MetricFigures& Figures(std::vector<domain::MetricsGroup>& groups, const std::string& key) {
  auto it = std::find_if(groups.begin(), groups.end(), [&](const domain::MetricsGroup& g) { return g.key == key; });
  if (it != groups.end()) return it->figures;
  groups.push_back({key, {}});
  return groups.back().figures;
}

}  // namespace

std::vector<domain::MetricsGroup> SociMetricsRepository::Compute(const domain::MetricsQuery& q) {
  std::vector<domain::MetricsGroup> groups;
  {
    SqlParams p;
    const std::string query = absl::StrCat(
        FactsCte(dialect_, q, p), "SELECT group_key, CAST(COUNT(*) AS BIGINT) AS requested, ",
        Sum("booked = 1"), " AS booked, ", Sum("cancelled = 1"), " AS cancelled, ",
        Sum("completed_at IS NOT NULL"), " AS completed, ",
        Sum("booked = 1 AND booked_start = requested_start"), " AS granted, ",
        Sum("booked = 1 AND (booked_start IS NULL OR booked_start <> requested_start)"), " AS alternative, ",
        Sum("confirmation_made = 1"), " AS confirmation_made, ", Sum("confirmation_reached = 1"),
        " AS confirmation_reached, ", Sum("checked_in_at IS NOT NULL"), " AS arrivals, ",
        Sum("checked_in_at IS NOT NULL AND punctuality <> 'LATE'"), " AS on_time, ",
        Sum("checked_in_at IS NOT NULL AND punctuality = 'LATE'"), " AS late, ",
        "CAST(COALESCE(SUM(CASE WHEN punctuality = 'LATE' THEN checked_in_at - window_end END), 0) AS BIGINT) "
        "AS lateness, CAST(COALESCE(SUM(late_alerts), 0) AS BIGINT) AS late_alerts, ",
        Sum("completed_at IS NOT NULL AND outcome = 'RESOLVED'"), " AS resolved, ",
        Sum("completed_at IS NOT NULL AND outcome = 'NOT_RESOLVED'"), " AS not_resolved, ",
        Sum("completed_at IS NOT NULL AND outcome = 'ESCALATED'"), " AS escalated, ",
        Sum("completed_at IS NOT NULL AND outcome = 'RESOLVED' AND repeated = 0"), " AS first_visit, ",
        Sum("repeated = 1"), " AS repeated, ", Sum("signed = 1"), " AS signed, ", Sum("refused = 1"),
        " AS refused, ", Sum("charge = 2"), " AS charged, ", Sum("charge = 1"),
        " AS free FROM facts GROUP BY group_key ORDER BY group_key");
    QueryRows(sql_, query, p, [&](const soci::row& r) {
      domain::MetricsGroup g;
      g.key = GetText(r, "group_key");
      domain::MetricFigures& f = g.figures;
      f.orders_requested = GetInt64(r, "requested");
      f.orders_booked = GetInt64(r, "booked");
      f.orders_cancelled = GetInt64(r, "cancelled");
      f.orders_completed = GetInt64(r, "completed");
      f.requested_window_granted = GetInt64(r, "granted");
      f.alternative_window_taken = GetInt64(r, "alternative");
      f.confirmation_calls_made = GetInt64(r, "confirmation_made");
      f.confirmation_calls_reached = GetInt64(r, "confirmation_reached");
      f.arrivals = GetInt64(r, "arrivals");
      f.arrivals_on_time = GetInt64(r, "on_time");
      f.arrivals_late = GetInt64(r, "late");
      f.total_lateness = absl::Microseconds(GetInt64(r, "lateness"));
      f.late_alerts = GetInt64(r, "late_alerts");
      f.visits_resolved = GetInt64(r, "resolved");
      f.visits_not_resolved = GetInt64(r, "not_resolved");
      f.visits_escalated = GetInt64(r, "escalated");
      f.first_visit_resolved = GetInt64(r, "first_visit");
      f.resolved_with_repeat_order = GetInt64(r, "repeated");
      f.signatures_recorded = GetInt64(r, "signed");
      f.signature_refusals = GetInt64(r, "refused");
      f.orders_charged = GetInt64(r, "charged");
      f.orders_free = GetInt64(r, "free");
      groups.push_back(std::move(g));
    });
  }
  {
    // Nearest rank: the p-th percentile is the value at rank ceil(p * n), the smallest rank r
    // with 100 * r >= p * n.
    SqlParams p;
    const std::string query = absl::StrCat(
        FactsCte(dialect_, q, p),
        ", durations AS (SELECT group_key, 'lead' AS measure, checked_in_at - requested_at AS v FROM facts "
        "WHERE checked_in_at IS NOT NULL UNION ALL SELECT group_key, 'site' AS measure, completed_at - checked_in_at "
        "AS v FROM facts WHERE completed_at IS NOT NULL AND checked_in_at IS NOT NULL), "
        "ranked AS (SELECT group_key, measure, v, ROW_NUMBER() OVER (PARTITION BY group_key, measure ORDER BY v) AS rn, "
        "COUNT(*) OVER (PARTITION BY group_key, measure) AS n FROM durations) "
        "SELECT group_key, measure, CAST(MIN(CASE WHEN 100 * rn >= 50 * n THEN v END) AS BIGINT) AS p50, "
        "CAST(MIN(CASE WHEN 100 * rn >= 90 * n THEN v END) AS BIGINT) AS p90 FROM ranked GROUP BY group_key, measure");
    QueryRows(sql_, query, p, [&](const soci::row& r) {
      domain::MetricFigures& f = Figures(groups, GetText(r, "group_key"));
      // Rounded down to the second, as the proto promises.
      auto seconds = [](long long micros) { return absl::Seconds(micros / 1000000); };
      if (GetText(r, "measure") == "lead") {
        f.lead_time_p50 = seconds(GetInt64(r, "p50"));
        f.lead_time_p90 = seconds(GetInt64(r, "p90"));
      } else {
        f.time_on_site_p50 = seconds(GetInt64(r, "p50"));
        f.time_on_site_p90 = seconds(GetInt64(r, "p90"));
      }
    });
  }
  {
    SqlParams p;
    const std::string query = absl::StrCat(
        FactsCte(dialect_, q, p),
        "SELECT group_key, 'cancel' AS kind, cancel_reason AS reason, 0 AS category, CAST(COUNT(*) AS BIGINT) AS n "
        "FROM facts WHERE cancelled = 1 GROUP BY group_key, cancel_reason UNION ALL "
        "SELECT group_key, 'outcome' AS kind, '' AS reason, COALESCE(reason_category, 0) AS category, "
        "CAST(COUNT(*) AS BIGINT) AS n FROM facts WHERE completed_at IS NOT NULL AND outcome = 'NOT_RESOLVED' "
        "GROUP BY group_key, reason_category");
    QueryRows(sql_, query, p, [&](const soci::row& r) {
      domain::MetricFigures& f = Figures(groups, GetText(r, "group_key"));
      if (GetText(r, "kind") == "cancel") {
        f.cancellations_by_reason.emplace_back(GetText(r, "reason"), GetInt64(r, "n"));
      } else {
        f.not_resolved_by_reason[GetInt(r, "category")] += GetInt64(r, "n");
      }
    });
    for (domain::MetricsGroup& g : groups) {
      auto& reasons = g.figures.cancellations_by_reason;
      std::sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
    }
  }
  std::sort(groups.begin(), groups.end(),
            [](const domain::MetricsGroup& a, const domain::MetricsGroup& b) { return a.key < b.key; });
  return groups;
}

}  // namespace homevisit::storage
