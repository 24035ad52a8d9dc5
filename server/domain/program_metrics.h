#pragma once
// The contract figures of the program (issue 19): what DOT and the provider measure the service
// by, computed from the event log and the orders by the repository (in SQL, on either database).
// The definitions, as a contract manager reads them, are in proto/homevisit/v1/reporting_service.proto.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/service_order.h"

namespace homevisit::domain {

enum class MetricsGrouping { kNone = 0, kTechnician = 1, kDelegacion = 2, kDay = 3 };

// What the repository computes: the orders whose intake event lies in [start, end).
struct MetricsQuery {
  absl::Time start;
  absl::Time end;
  // For kDay: the instants at which each local day of the period starts, then `end`; group keys
  // are the day's index in this list.
  std::vector<absl::Time> day_starts;
  MetricsGrouping grouping = MetricsGrouping::kNone;
  Charge charge = Charge::kUnspecified;  // kUnspecified: both
  absl::Duration first_visit_window = absl::Hours(24 * 30);
};

struct MetricFigures {
  long long orders_requested = 0;
  long long orders_booked = 0;
  long long orders_cancelled = 0;
  std::vector<std::pair<std::string, long long>> cancellations_by_reason;  // most frequent first
  long long orders_completed = 0;
  long long requested_window_granted = 0;
  long long alternative_window_taken = 0;
  std::optional<absl::Duration> lead_time_p50, lead_time_p90;
  long long confirmation_calls_made = 0;
  long long confirmation_calls_reached = 0;
  long long arrivals = 0;
  long long arrivals_on_time = 0;
  long long arrivals_late = 0;
  absl::Duration total_lateness;  // over the late arrivals
  long long late_alerts = 0;
  std::optional<absl::Duration> time_on_site_p50, time_on_site_p90;
  long long visits_resolved = 0;
  long long visits_not_resolved = 0;
  std::map<int, long long> not_resolved_by_reason;  // ReasonCategory number -> count
  long long visits_escalated = 0;
  long long first_visit_resolved = 0;
  long long resolved_with_repeat_order = 0;
  long long signatures_recorded = 0;
  long long signature_refusals = 0;
  long long orders_charged = 0;
  long long orders_free = 0;

  std::optional<absl::Duration> AverageLateness() const {
    if (arrivals_late == 0) return std::nullopt;
    return absl::Seconds(absl::ToInt64Seconds(total_lateness / arrivals_late));
  }
};

// One group's figures; `key` is the technician id ("" when never booked), the delegación, or the
// day's index in MetricsQuery::day_starts (as text), or "" for the totals.
struct MetricsGroup {
  std::string key;
  MetricFigures figures;
};

class MetricsRepository {
 public:
  virtual ~MetricsRepository() = default;
  // In one pass over the period's orders: the totals first (key ""), then the figures per group
  // of `query.grouping` that has orders, sorted by key (none for kNone). See MetricsTally.
  virtual std::vector<MetricsGroup> Compute(const MetricsQuery& query) = 0;
};

// What a caller asks for.
struct MetricsRequest {
  absl::CivilDay start_date;
  absl::CivilDay end_date;  // inclusive
  MetricsGrouping grouping = MetricsGrouping::kNone;
  Charge charge = Charge::kUnspecified;
  int first_visit_window_days = 0;  // 0: 30
};

struct ProgramMetricsGroup {
  std::string key;           // technician id, delegación, or YYYY-MM-DD
  std::string display_name;  // the technician's name; else the key
  MetricFigures figures;
};

struct ProgramMetrics {
  int first_visit_window_days = 0;
  MetricFigures total;
  std::vector<ProgramMetricsGroup> groups;
};

inline constexpr int kDefaultFirstVisitWindowDays = 30;
inline constexpr int kMaxMetricsPeriodDays = 366;

class UnitOfWork;
// Validates the request (INVALID_ARGUMENT naming start_date, end_date, first_visit_window_days,
// charge, grouping) and computes the figures of the local dates in `zone`.
ProgramMetrics ComputeProgramMetrics(UnitOfWork& work, const MetricsRequest& request, absl::TimeZone zone);

}  // namespace homevisit::domain
