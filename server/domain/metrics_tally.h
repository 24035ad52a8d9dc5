#pragma once
// The contract figures (issue 19) from one row per order: the repository reads what each order's
// events say once (OrderFacts), and a MetricsTally turns the rows into the figures of the whole
// period and of each group in the same pass, percentiles included. The definitions are those of
// proto/homevisit/v1/reporting_service.proto.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/program_metrics.h"

namespace homevisit::domain {

// What the event log and the order row say about one order of the period. Step times are the
// device's observe_time when it sent one, else the event's time. Texts are "" when absent.
struct OrderFacts {
  std::string technician_id;  // "" when never booked
  std::string delegacion;
  Charge charge = Charge::kUnspecified;
  absl::Time requested_at;  // its intake event
  absl::Time requested_start;
  std::optional<absl::Time> window_end;  // of its appointment
  std::string cancel_reason;
  bool booked = false;
  std::optional<absl::Time> booked_start;  // the window its booking event gave
  bool cancelled = false;
  std::optional<absl::Time> completed_at;
  bool confirmation_made = false;
  bool confirmation_reached = false;  // a confirmation call whose result was not NOT_REACHABLE
  std::optional<absl::Time> checked_in_at;
  std::string punctuality;  // the check-in's: "ON_TIME", "LATE"
  long long late_alerts = 0;
  std::string outcome;  // "RESOLVED", "NOT_RESOLVED", "ESCALATED"
  std::optional<int> reason_category;
  bool signature = false;
  bool signature_refused = false;
  // Resolved, and a new order of the same file came within the first-visit window after.
  bool repeat_order = false;
};

class MetricsTally {
 public:
  // `query` says the grouping (and for kDay the days); the period and the charge filter are the
  // repository's business.
  explicit MetricsTally(const MetricsQuery& query);

  void Add(const OrderFacts& order);

  // The totals (key "") first, then one group per key of the query's grouping that has orders,
  // sorted by key.
  std::vector<MetricsGroup> Finish();

 private:
  struct Partial {
    MetricFigures figures;
    std::vector<absl::Duration> lead_times;
    std::vector<absl::Duration> times_on_site;
    std::map<std::string, long long> cancellations;
  };
  static void Count(Partial& p, const OrderFacts& order);
  static MetricFigures Complete(Partial& p);
  // The group `order` belongs to; nullptr when none (a time outside the days).
  Partial* GroupOf(const OrderFacts& order);

  MetricsGrouping grouping_;
  std::vector<absl::Time> day_starts_;
  Partial total_;
  std::map<std::string, Partial> groups_;
};

}  // namespace homevisit::domain
