#include "domain/metrics_tally.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace homevisit::domain {
namespace {

// Nearest rank: the p-th percentile is the value at rank ceil(p * n / 100), rounded down to the
// second as the proto promises.
std::optional<absl::Duration> Percentile(std::vector<absl::Duration>& values, int p) {
  if (values.empty()) return std::nullopt;
  const size_t n = values.size();
  const size_t rank = (static_cast<size_t>(p) * n + 99) / 100;
  auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return absl::Seconds(absl::ToInt64Seconds(*nth));
}

}  // namespace

MetricsTally::MetricsTally(const MetricsQuery& query) : grouping_(query.grouping), day_starts_(query.day_starts) {}

void MetricsTally::Add(const OrderFacts& order) {
  Count(total_, order);
  if (Partial* group = GroupOf(order)) Count(*group, order);
}

MetricsTally::Partial* MetricsTally::GroupOf(const OrderFacts& order) {
  switch (grouping_) {
    case MetricsGrouping::kNone: return nullptr;
    case MetricsGrouping::kTechnician: return &groups_[order.technician_id];
    case MetricsGrouping::kDelegacion: return &groups_[order.delegacion];
    case MetricsGrouping::kDay: {
      // day_starts_ ends with the end of the last day: day i is [day_starts_[i], day_starts_[i + 1]).
      auto next = std::upper_bound(day_starts_.begin(), day_starts_.end(), order.requested_at);
      if (next == day_starts_.begin() || next == day_starts_.end()) return nullptr;
      return &groups_[absl::StrCat(next - day_starts_.begin() - 1)];
    }
  }
  return nullptr;
}

void MetricsTally::Count(Partial& p, const OrderFacts& o) {
  MetricFigures& f = p.figures;
  const bool completed = o.completed_at.has_value();
  const bool arrived = o.checked_in_at.has_value();
  const bool late = o.punctuality == "LATE";
  ++f.orders_requested;
  if (o.booked) {
    ++f.orders_booked;
    if (o.booked_start == o.requested_start) {
      ++f.requested_window_granted;
    } else {
      ++f.alternative_window_taken;
    }
  }
  if (o.cancelled) {
    ++f.orders_cancelled;
    ++p.cancellations[o.cancel_reason];
  }
  if (completed) ++f.orders_completed;
  if (o.confirmation_made) ++f.confirmation_calls_made;
  if (o.confirmation_reached) ++f.confirmation_calls_reached;
  if (arrived) {
    ++f.arrivals;
    if (late) ++f.arrivals_late;
    else if (!o.punctuality.empty()) ++f.arrivals_on_time;
    p.lead_times.push_back(*o.checked_in_at - o.requested_at);
    if (completed) p.times_on_site.push_back(*o.completed_at - *o.checked_in_at);
    if (late && o.window_end) f.total_lateness += *o.checked_in_at - *o.window_end;
  }
  f.late_alerts += o.late_alerts;
  if (completed) {
    if (o.outcome == "RESOLVED") {
      ++f.visits_resolved;
      if (!o.repeat_order) ++f.first_visit_resolved;
    } else if (o.outcome == "NOT_RESOLVED") {
      ++f.visits_not_resolved;
      ++f.not_resolved_by_reason[o.reason_category.value_or(0)];
    } else if (o.outcome == "ESCALATED") {
      ++f.visits_escalated;
    }
  }
  if (o.repeat_order) ++f.resolved_with_repeat_order;
  if (o.signature) ++f.signatures_recorded;
  if (o.signature_refused) ++f.signature_refusals;
  if (o.charge == Charge::kCharged) ++f.orders_charged;
  if (o.charge == Charge::kFree) ++f.orders_free;
}

MetricFigures MetricsTally::Complete(Partial& p) {
  MetricFigures f = std::move(p.figures);
  f.lead_time_p50 = Percentile(p.lead_times, 50);
  f.lead_time_p90 = Percentile(p.lead_times, 90);
  f.time_on_site_p50 = Percentile(p.times_on_site, 50);
  f.time_on_site_p90 = Percentile(p.times_on_site, 90);
  f.cancellations_by_reason.assign(p.cancellations.begin(), p.cancellations.end());
  // Most frequent first; the map gave ties in the order of their reasons, which stable_sort keeps.
  std::stable_sort(f.cancellations_by_reason.begin(), f.cancellations_by_reason.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return f;
}

std::vector<MetricsGroup> MetricsTally::Finish() {
  std::vector<MetricsGroup> out;
  out.reserve(groups_.size() + 1);
  out.push_back({"", Complete(total_)});
  for (auto& [key, partial] : groups_) out.push_back({key, Complete(partial)});
  groups_.clear();
  return out;
}

}  // namespace homevisit::domain
