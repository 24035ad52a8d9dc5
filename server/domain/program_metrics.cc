#include "domain/program_metrics.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "domain/repositories.h"
#include "domain/text_rules.h"

namespace homevisit::domain {

ProgramMetrics ComputeProgramMetrics(UnitOfWork& work, const MetricsRequest& request, absl::TimeZone zone) {
  Violations v;
  if (request.end_date < request.start_date) v.Add("end_date", "must not be before start_date");
  else if (request.end_date - request.start_date >= kMaxMetricsPeriodDays) {
    v.Add("end_date", absl::StrCat("the period is at most ", kMaxMetricsPeriodDays, " days"));
  }
  if (request.first_visit_window_days < 0 || request.first_visit_window_days > 365) {
    v.Add("first_visit_window_days", "must be 1 to 365 (0: 30)");
  }
  if (request.charge != Charge::kUnspecified && request.charge != Charge::kFree &&
      request.charge != Charge::kCharged) {
    v.Add("charge", "unknown charge");
  }
  if (static_cast<int>(request.grouping) < 0 || static_cast<int>(request.grouping) > 3) {
    v.Add("grouping", "unknown grouping");
  }
  v.ThrowIfAny();

  ProgramMetrics result;
  result.first_visit_window_days =
      request.first_visit_window_days == 0 ? kDefaultFirstVisitWindowDays : request.first_visit_window_days;
  MetricsQuery query;
  // Local midnights: a day of a DST change is 23 or 25 hours long, which the instants capture.
  query.start = zone.At(absl::CivilSecond(request.start_date)).pre;
  query.end = zone.At(absl::CivilSecond(request.end_date + 1)).pre;
  query.charge = request.charge;
  query.first_visit_window = absl::Hours(24) * result.first_visit_window_days;
  query.grouping = request.grouping;
  if (query.grouping == MetricsGrouping::kDay) {
    for (absl::CivilDay day = request.start_date; day <= request.end_date + 1; ++day) {
      query.day_starts.push_back(zone.At(absl::CivilSecond(day)).pre);
    }
  }
  // The totals and the groups come from one pass over the period's orders.
  std::vector<MetricsGroup> figures = work.metrics().Compute(query);
  if (figures.empty()) return result;
  result.total = std::move(figures.front().figures);
  if (query.grouping == MetricsGrouping::kNone) return result;
  for (MetricsGroup& group : absl::MakeSpan(figures).subspan(1)) {
    ProgramMetricsGroup out;
    out.key = group.key;
    out.display_name = group.key;
    if (query.grouping == MetricsGrouping::kDay) {
      int index = 0;
      if (!absl::SimpleAtoi(group.key, &index)) continue;
      out.key = out.display_name = absl::FormatCivilTime(request.start_date + index);
    } else if (query.grouping == MetricsGrouping::kTechnician && !group.key.empty()) {
      std::optional<Technician> technician = work.technicians().Find(group.key);
      if (technician) out.display_name = technician->display_name;
    }
    out.figures = std::move(group.figures);
    result.groups.push_back(std::move(out));
  }
  std::sort(result.groups.begin(), result.groups.end(),
            [](const ProgramMetricsGroup& a, const ProgramMetricsGroup& b) { return a.key < b.key; });
  return result;
}

}  // namespace homevisit::domain
