// `homevisit metrics`: the contract figures of a period (ReportingService.GetProgramMetrics) as a
// table, CSV (every count, durations in seconds) or JSON.
#include <google/protobuf/descriptor.h>

#include <iomanip>
#include <sstream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common.h"

ABSL_DECLARE_FLAG(std::string, charge);

ABSL_FLAG(std::string, from, "", "metrics: the first day of the period, YYYY-MM-DD (the service's local dates)");
ABSL_FLAG(std::string, to, "", "metrics: the last day of the period, YYYY-MM-DD (inclusive)");
ABSL_FLAG(std::string, by, "", "metrics: group by technician, delegacion or day (default: totals only)");
ABSL_FLAG(bool, csv, false, "metrics: print CSV, one row per group and a TOTAL row, every figure");
ABSL_FLAG(int32_t, first_visit_days, 0, "metrics: the first-visit-resolution window in days (default 30)");

namespace homevisit::cli {
namespace {

bool ParseDay(const std::string& text, google::type::Date* out) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return false;
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
  return true;
}

std::string Span(const google::protobuf::Duration& d, bool present) {
  if (!present) return "-";
  const int64_t minutes = d.seconds() / 60;
  if (minutes < 60) return absl::StrCat(minutes, "m");
  return absl::StrFormat("%dh%02dm", minutes / 60, minutes % 60);
}

std::string Share(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  return absl::StrFormat("%d%%", static_cast<int>(100.0 * static_cast<double>(part) / static_cast<double>(whole) + 0.5));
}

// One table row: a group's name and its figures.
std::vector<std::string> Row(const std::string& name, const v1::MetricFigures& f) {
  return {name,
          absl::StrCat(f.orders_requested()),
          absl::StrCat(f.orders_booked()),
          absl::StrCat(f.orders_cancelled()),
          absl::StrCat(f.orders_completed()),
          Share(f.requested_window_granted(), f.orders_booked()),
          Span(f.lead_time_p50(), f.has_lead_time_p50()),
          Span(f.lead_time_p90(), f.has_lead_time_p90()),
          Share(f.confirmation_calls_reached(), f.confirmation_calls_made()),
          Share(f.arrivals_on_time(), f.arrivals()),
          Span(f.average_lateness(), f.has_average_lateness()),
          absl::StrCat(f.late_alerts()),
          Span(f.time_on_site_p50(), f.has_time_on_site_p50()),
          Span(f.time_on_site_p90(), f.has_time_on_site_p90()),
          absl::StrCat(f.visits_resolved()),
          absl::StrCat(f.visits_not_resolved()),
          absl::StrCat(f.visits_escalated()),
          Share(f.first_visit_resolved(), f.visits_resolved()),
          absl::StrCat(f.signature_refusals()),
          absl::StrCat(f.orders_charged()),
          absl::StrCat(f.orders_free())};
}

void PrintTable(const v1::ProgramMetrics& m) {
  std::vector<std::vector<std::string>> rows = {
      {"GROUP", "REQUESTED", "BOOKED", "CANCELLED", "COMPLETED", "1ST ASK", "LEAD P50", "LEAD P90", "REACHED",
       "ON TIME", "AVG LATE", "ALERTS", "SITE P50", "SITE P90", "RESOLVED", "NOT RES", "ESCALATED", "1ST VISIT",
       "REFUSED", "CHARGED", "FREE"}};
  for (const v1::MetricGroup& g : m.groups()) {
    rows.push_back(Row(g.display_name().empty() ? "(unassigned)" : g.display_name(), g.figures()));
  }
  rows.push_back(Row("TOTAL", m.total()));
  std::vector<size_t> width(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      // Names left-aligned (UTF-8 names count bytes, hence the padding by code points), figures right.
      size_t shown = 0;
      for (unsigned char c : row[i]) shown += (c & 0xC0) != 0x80;
      const std::string pad(width[i] - row[i].size() + (row[i].size() - shown), ' ');
      absl::StrAppend(&line, i == 0 ? "" : "  ", i == 0 ? row[i] + pad : pad + row[i]);
    }
    std::cout << line << "\n";
  }
  std::cout << "\n"
            << absl::StrFormat("%04d-%02d-%02d to %04d-%02d-%02d", m.start_date().year(), m.start_date().month(),
                               m.start_date().day(), m.end_date().year(), m.end_date().month(), m.end_date().day())
            << " (" << m.time_zone() << "): the orders requested on those days.\n"
            << "1ST ASK: booked in the requested window; REACHED: confirmation calls that reached the subscriber;\n"
            << "ON TIME: of the arrivals; 1ST VISIT: of the resolved, no new order on the file within "
            << m.first_visit_window_days() << " days.\nDefinitions: proto/homevisit/v1/reporting_service.proto\n";
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Every scalar figure by its proto name, durations as <name>_seconds, then the reasons.
void PrintCsv(const v1::ProgramMetrics& m) {
  const auto* descriptor = v1::MetricFigures::descriptor();
  const auto* reflection = v1::MetricFigures::GetReflection();
  std::vector<std::string> header = {"group", "display_name"};
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->is_repeated()) continue;
    header.push_back(field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64
                         ? field->name()
                         : field->name() + "_seconds");
  }
  header.push_back("cancellations_by_reason");
  header.push_back("not_resolved_by_reason");
  std::cout << absl::StrJoin(header, ",") << "\n";
  auto row = [&](const std::string& key, const std::string& name, const v1::MetricFigures& f) {
    std::vector<std::string> cells = {CsvField(key), CsvField(name)};
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const auto* field = descriptor->field(i);
      if (field->is_repeated()) continue;
      if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
        cells.push_back(absl::StrCat(reflection->GetInt64(f, field)));
      } else if (reflection->HasField(f, field)) {
        const auto& d = static_cast<const google::protobuf::Duration&>(reflection->GetMessage(f, field));
        cells.push_back(absl::StrCat(d.seconds()));
      } else {
        cells.push_back("");
      }
    }
    std::vector<std::string> reasons, categories;
    for (const auto& r : f.cancellations_by_reason()) reasons.push_back(absl::StrCat(r.reason(), "=", r.count()));
    for (const auto& r : f.not_resolved_by_reason()) {
      categories.push_back(absl::StrCat(v1::Outcome::ReasonCategory_Name(r.category()), "=", r.count()));
    }
    cells.push_back(CsvField(absl::StrJoin(reasons, "; ")));
    cells.push_back(CsvField(absl::StrJoin(categories, "; ")));
    std::cout << absl::StrJoin(cells, ",") << "\n";
  };
  for (const v1::MetricGroup& g : m.groups()) row(g.key(), g.display_name(), g.figures());
  row("TOTAL", "", m.total());
}

}  // namespace

int Metrics(Context& ctx) {
  if (!ctx.args.empty()) return Usage("metrics takes no arguments: --from DAY --to DAY [--by ...]");
  v1::GetProgramMetricsRequest request;
  if (!ParseDay(absl::GetFlag(FLAGS_from), request.mutable_start_date())) return Usage("--from is a date, YYYY-MM-DD");
  if (!ParseDay(absl::GetFlag(FLAGS_to), request.mutable_end_date())) return Usage("--to is a date, YYYY-MM-DD");
  if (const std::string by = absl::GetFlag(FLAGS_by); !by.empty()) {
    v1::MetricsGrouping grouping;
    const std::string name = by == "delegación" ? "delegacion" : by;
    if (!ParseEnum(name, "METRICS_GROUPING_", &v1::MetricsGrouping_Parse, &grouping)) {
      return Usage("--by is technician, delegacion or day");
    }
    request.set_grouping(grouping);
  }
  if (const std::string charge = absl::GetFlag(FLAGS_charge); !charge.empty()) {
    v1::ServiceOrder::Charge value;
    if (!ParseEnum(charge, "CHARGE_", &v1::ServiceOrder::Charge_Parse, &value)) {
      return Usage("--charge is free or charged");
    }
    request.set_charge(value);
  }
  request.set_first_visit_window_days(absl::GetFlag(FLAGS_first_visit_days));
  const bool csv = absl::GetFlag(FLAGS_csv);
  if (csv && ctx.json) return Usage("--csv and --json: choose one");
  return Answer(ctx, "metrics", ctx.client.GetProgramMetrics(request), [&](const v1::ProgramMetrics& m) {
    if (csv) PrintCsv(m);
    else PrintTable(m);
  });
}

}  // namespace homevisit::cli
