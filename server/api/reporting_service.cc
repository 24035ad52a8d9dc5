#include "api/reporting_service.h"

#include "absl/time/civil_time.h"
#include "api/convert.h"
#include "api/unary.h"
#include "domain/program_metrics.h"
#include "domain/text_rules.h"

namespace homevisit::api {
namespace {

// A calendar date as given, or a violation on `field` (no normalisation: 2026-02-30 is refused).
absl::CivilDay DayFromProto(const google::type::Date& date, const char* field, domain::Violations& v) {
  absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 2000 || date.year() > 9999 || day.month() != date.month() || day.day() != date.day()) {
    v.Add(field, "must be a calendar date (year, month and day)");
  }
  return day;
}

void DayToProto(absl::CivilDay day, google::type::Date* out) {
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
}

void DurationToProto(const std::optional<absl::Duration>& d, google::protobuf::Duration* (v1::MetricFigures::*field)(),
                     v1::MetricFigures* out) {
  if (d) (out->*field)()->set_seconds(absl::ToInt64Seconds(*d));
}

void FiguresToProto(const domain::MetricFigures& f, v1::MetricFigures* out) {
  out->set_orders_requested(f.orders_requested);
  out->set_orders_booked(f.orders_booked);
  out->set_orders_cancelled(f.orders_cancelled);
  for (const auto& [reason, count] : f.cancellations_by_reason) {
    v1::MetricFigures::CancellationReason* r = out->add_cancellations_by_reason();
    r->set_reason(reason);
    r->set_count(count);
  }
  out->set_orders_completed(f.orders_completed);
  out->set_requested_window_granted(f.requested_window_granted);
  out->set_alternative_window_taken(f.alternative_window_taken);
  DurationToProto(f.lead_time_p50, &v1::MetricFigures::mutable_lead_time_p50, out);
  DurationToProto(f.lead_time_p90, &v1::MetricFigures::mutable_lead_time_p90, out);
  out->set_confirmation_calls_made(f.confirmation_calls_made);
  out->set_confirmation_calls_reached(f.confirmation_calls_reached);
  out->set_arrivals(f.arrivals);
  out->set_arrivals_on_time(f.arrivals_on_time);
  out->set_arrivals_late(f.arrivals_late);
  DurationToProto(f.AverageLateness(), &v1::MetricFigures::mutable_average_lateness, out);
  out->set_late_alerts(f.late_alerts);
  DurationToProto(f.time_on_site_p50, &v1::MetricFigures::mutable_time_on_site_p50, out);
  DurationToProto(f.time_on_site_p90, &v1::MetricFigures::mutable_time_on_site_p90, out);
  out->set_visits_resolved(f.visits_resolved);
  out->set_visits_not_resolved(f.visits_not_resolved);
  for (const auto& [category, count] : f.not_resolved_by_reason) {
    v1::MetricFigures::NotResolvedReason* r = out->add_not_resolved_by_reason();
    r->set_category(static_cast<v1::Outcome::ReasonCategory>(category));
    r->set_count(count);
  }
  out->set_visits_escalated(f.visits_escalated);
  out->set_first_visit_resolved(f.first_visit_resolved);
  out->set_resolved_with_repeat_order(f.resolved_with_repeat_order);
  out->set_signatures_recorded(f.signatures_recorded);
  out->set_signature_refusals(f.signature_refusals);
  out->set_orders_charged(f.orders_charged);
  out->set_orders_free(f.orders_free);
}

}  // namespace

grpc::ServerUnaryReactor* ReportingServiceImpl::GetProgramMetrics(grpc::CallbackServerContext* context,
                                                                  const v1::GetProgramMetricsRequest* request,
                                                                  v1::ProgramMetrics* response) {
  // A scan of the period's orders and their events: on the pool, never on gRPC's threads.
  return ServeUnary(context, pool_, __func__, [=, this] {
    domain::Violations v;
    domain::MetricsRequest query;
    if (!request->has_start_date()) v.Add("start_date", "is required");
    else query.start_date = DayFromProto(request->start_date(), "start_date", v);
    if (!request->has_end_date()) v.Add("end_date", "is required");
    else query.end_date = DayFromProto(request->end_date(), "end_date", v);
    v.ThrowIfAny();
    query.grouping = static_cast<domain::MetricsGrouping>(request->grouping());
    query.charge = static_cast<domain::Charge>(request->charge());
    query.first_visit_window_days = request->first_visit_window_days();
    const absl::Time now = absl::Now();
    domain::ProgramMetrics metrics = db_.Read(
        [&](domain::UnitOfWork& work) { return domain::ComputeProgramMetrics(work, query, time_zone_); });
    DayToProto(query.start_date, response->mutable_start_date());
    DayToProto(query.end_date, response->mutable_end_date());
    response->set_time_zone(time_zone_.name());
    response->set_grouping(request->grouping());
    response->set_charge(request->charge());
    response->set_first_visit_window_days(metrics.first_visit_window_days);
    ToProto(now, response->mutable_compute_time());
    FiguresToProto(metrics.total, response->mutable_total());
    for (const domain::ProgramMetricsGroup& g : metrics.groups) {
      v1::MetricGroup* group = response->add_groups();
      const bool technician = request->grouping() == v1::METRICS_GROUPING_TECHNICIAN && !g.key.empty();
      group->set_key(technician ? TechnicianName(g.key) : g.key);
      group->set_display_name(g.display_name);
      FiguresToProto(g.figures, group->mutable_figures());
    }
  });
}

}  // namespace homevisit::api
