// `homevisit technician list|show|create|update|deactivate`: the dispatcher's technician management.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "commands.h"
#include "common.h"
#include "format.h"
#include "homevisit/v1/technician.grpc.pb.h"

ABSL_DECLARE_FLAG(std::string, etag);
ABSL_DECLARE_FLAG(std::string, from_json);
ABSL_DECLARE_FLAG(std::string, id_type);
ABSL_DECLARE_FLAG(int32_t, page_size);
ABSL_DECLARE_FLAG(bool, all);

ABSL_FLAG(std::string, display_name, "", "technician create, update: the name DOT tells the subscriber");
ABSL_FLAG(std::string, employee_number, "", "technician create: the provider's employee number");
ABSL_FLAG(std::string, mobile_phone, "", "technician create, update: 10 digits");
ABSL_FLAG(std::string, postal_codes, "",
          "technician create, update: covered postal codes, comma-separated; list: filter by one");
ABSL_FLAG(std::string, delegaciones, "", "technician create, update: covered delegaciones, comma-separated");
ABSL_FLAG(std::string, hours, "",
          "technician create, update: weekly shifts in local time, e.g. \"MON-FRI 09:00-18:00,SAT 09:00-13:00\"");
ABSL_FLAG(bool, show_inactive, false, "technician list: include deactivated technicians");

namespace homevisit::cli {
namespace {

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(item));
  }
  return out;
}

bool ParseClock(absl::string_view text, google::type::TimeOfDay* out) {
  std::pair<absl::string_view, absl::string_view> hm = absl::StrSplit(text, absl::MaxSplits(':', 1));
  int hours = 0, minutes = 0;
  if (!absl::SimpleAtoi(hm.first, &hours) || !absl::SimpleAtoi(hm.second, &minutes)) return false;
  out->set_hours(hours);
  out->set_minutes(minutes);
  return true;
}

// "MON-FRI 09:00-18:00,SAT 09:00-13:00" into working hours (days MON..SUN; a range runs forward).
bool ParseHours(const std::string& text, v1::Technician& technician, std::string* error) {
  static const std::vector<std::string> kDays = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};
  auto day_index = [&](absl::string_view day) {
    for (size_t i = 0; i < kDays.size(); ++i) {
      if (absl::EqualsIgnoreCase(day, kDays[i])) return static_cast<int>(i);
    }
    return -1;
  };
  for (const std::string& item : CommaList(text)) {
    std::pair<std::string, std::string> parts = absl::StrSplit(item, absl::MaxSplits(' ', 1));
    std::pair<std::string, std::string> days = absl::StrSplit(parts.first, absl::MaxSplits('-', 1));
    std::pair<std::string, std::string> times = absl::StrSplit(parts.second, absl::MaxSplits('-', 1));
    const int first = day_index(days.first), last = days.second.empty() ? first : day_index(days.second);
    google::type::TimeOfDay start, end;
    if (first < 0 || last < first || !ParseClock(times.first, &start) || !ParseClock(times.second, &end)) {
      *error = "--hours: \"" + item + "\" is not DAY[-DAY] HH:MM-HH:MM (days MON..SUN)";
      return false;
    }
    for (int d = first; d <= last; ++d) {
      auto* shift = technician.add_working_hours();
      shift->set_day_of_week(static_cast<google::type::DayOfWeek>(d + 1));  // MONDAY = 1
      *shift->mutable_start_time() = start;
      *shift->mutable_end_time() = end;
    }
  }
  return true;
}

void PrintTechnician(std::ostream& out, const v1::Technician& t) {
  out << t.name() << "  " << t.display_name() << (t.active() ? "" : "  (inactive)") << "\n"
      << "  employee   " << t.employee_number() << "\n"
      << "  covers     " << absl::StrJoin(t.postal_codes(), ", ")
      << (t.delegaciones().empty() ? "" : "; " + absl::StrJoin(t.delegaciones(), ", ")) << "\n";
  for (const auto& h : t.working_hours()) {
    out << "  works      " << google::type::DayOfWeek_Name(h.day_of_week()) << " " << h.start_time().hours() << ":"
        << (h.start_time().minutes() < 10 ? "0" : "") << h.start_time().minutes() << "-" << h.end_time().hours() << ":"
        << (h.end_time().minutes() < 10 ? "0" : "") << h.end_time().minutes() << "\n";
  }
  out << "  etag       " << t.etag() << "\n";
}

// --from_json into `technician`, if given; `fields` (when not null) gets the names of the
// fields the file names, set or empty (an update's mask). False with `error` when unreadable.
bool ReadTechnicianJson(v1::Technician* technician, std::set<std::string>* fields, std::string* error) {
  const std::string path = absl::GetFlag(FLAGS_from_json);
  if (path.empty()) return true;
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto status = google::protobuf::util::JsonStringToMessage(text.str(), technician);
  if (!status.ok()) {
    *error = path + ": not a Technician JSON: " + std::string(status.message());
    return false;
  }
  google::protobuf::Struct keys;
  if (fields && google::protobuf::util::JsonStringToMessage(text.str(), &keys).ok()) {
    for (const auto& [key, value] : keys.fields()) {
      const google::protobuf::FieldDescriptor* field = technician->GetDescriptor()->FindFieldByCamelcaseName(key);
      if (!field) field = technician->GetDescriptor()->FindFieldByName(key);
      if (field && field->name() != "name" && field->name() != "etag") fields->insert(field->name());
    }
  }
  return true;
}

int Create(Context& ctx) {
  v1::CreateTechnicianRequest request;
  std::string error;
  if (!ReadTechnicianJson(request.mutable_technician(), nullptr, &error)) return Usage(error);
  v1::Technician& t = *request.mutable_technician();
  if (!absl::GetFlag(FLAGS_display_name).empty()) t.set_display_name(absl::GetFlag(FLAGS_display_name));
  if (!absl::GetFlag(FLAGS_employee_number).empty()) t.set_employee_number(absl::GetFlag(FLAGS_employee_number));
  if (!absl::GetFlag(FLAGS_mobile_phone).empty()) t.set_mobile_phone(absl::GetFlag(FLAGS_mobile_phone));
  if (const std::string id_type = absl::GetFlag(FLAGS_id_type); !id_type.empty()) {
    v1::OfficialIdType value;
    if (!ParseEnum(id_type, "OFFICIAL_ID_TYPE_", &v1::OfficialIdType_Parse, &value)) {
      return Usage("unknown --id_type " + id_type);
    }
    t.set_official_id_type(value);
  }
  for (const auto& code : CommaList(absl::GetFlag(FLAGS_postal_codes))) t.add_postal_codes(code);
  for (const auto& name : CommaList(absl::GetFlag(FLAGS_delegaciones))) t.add_delegaciones(name);
  if (!ParseHours(absl::GetFlag(FLAGS_hours), t, &error)) return Usage(error);
  request.set_request_id(RequestIdOrNew());
  auto result = ctx.client.Call<v1::Technician>(true, {}, [&](grpc::ClientContext* c, v1::Technician* r) {
    return ctx.client.technicians().CreateTechnician(c, request, r);
  });
  return Answer(ctx, "technician create", result,
                                [](const v1::Technician& created) { PrintTechnician(std::cout, created); });
}

// `technician update ID`: changes only what is given — the flags, and the fields present in
// --from_json (time off is set there) — with the update mask naming exactly those.
int Update(Context& ctx, const std::string& id) {
  // Given even when empty: `--delegaciones=` clears them.
  auto Given = [&](const char* flag) { return ctx.given.count(flag) > 0; };
  v1::UpdateTechnicianRequest request;
  v1::Technician& t = *request.mutable_technician();
  std::set<std::string> paths;
  std::string error;
  if (!ReadTechnicianJson(&t, &paths, &error)) return Usage(error);
  if (Given("display_name")) {
    t.set_display_name(absl::GetFlag(FLAGS_display_name));
    paths.insert("display_name");
  }
  if (Given("mobile_phone")) {
    t.set_mobile_phone(absl::GetFlag(FLAGS_mobile_phone));
    paths.insert("mobile_phone");
  }
  if (Given("id_type")) {
    v1::OfficialIdType value;
    if (!ParseEnum(absl::GetFlag(FLAGS_id_type), "OFFICIAL_ID_TYPE_", &v1::OfficialIdType_Parse, &value)) {
      return Usage("unknown --id_type " + absl::GetFlag(FLAGS_id_type));
    }
    t.set_official_id_type(value);
    paths.insert("official_id_type");
  }
  if (Given("postal_codes")) {
    t.clear_postal_codes();
    for (const auto& code : CommaList(absl::GetFlag(FLAGS_postal_codes))) t.add_postal_codes(code);
    paths.insert("postal_codes");
  }
  if (Given("delegaciones")) {
    t.clear_delegaciones();
    for (const auto& name : CommaList(absl::GetFlag(FLAGS_delegaciones))) t.add_delegaciones(name);
    paths.insert("delegaciones");
  }
  if (Given("hours")) {
    t.clear_working_hours();
    if (!ParseHours(absl::GetFlag(FLAGS_hours), t, &error)) return Usage(error);
    paths.insert("working_hours");
  }
  if (paths.empty()) {
    return Usage("technician update needs what to change: --display_name, --mobile_phone, --id_type, "
                 "--postal_codes, --delegaciones, --hours, or --from_json technician.json (time_off)");
  }
  t.set_name(ResourceName("technicians", id));
  t.set_etag(absl::GetFlag(FLAGS_etag));
  for (const std::string& p : paths) request.mutable_update_mask()->add_paths(p);
  request.set_request_id(RequestIdOrNew());
  auto result = ctx.client.Call<v1::Technician>(true, {}, [&](grpc::ClientContext* c, v1::Technician* r) {
    return ctx.client.technicians().UpdateTechnician(c, request, r);
  });
  return Answer(ctx, "technician update", result, [](const v1::Technician& updated) { PrintTechnician(std::cout, updated); });
}

}  // namespace

int TechnicianCommand(Context& ctx) {
  if (ctx.args.empty()) return Usage("technician needs list, show, create, update or deactivate");
  const std::string what = ctx.args[0];
  if (what == "list") {
    if (ctx.args.size() != 1) return Usage("technician list takes no other arguments");
    v1::ListTechniciansRequest request;
    const auto codes = CommaList(absl::GetFlag(FLAGS_postal_codes));
    if (codes.size() > 1) return Usage("technician list filters by one --postal_codes value");
    if (!codes.empty()) request.set_postal_code(codes[0]);
    request.set_show_inactive(absl::GetFlag(FLAGS_show_inactive));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    v1::ListTechniciansResponse all;
    if (absl::GetFlag(FLAGS_all)) {
      const auto error = ctx.client.ForEachTechnician(request, [&](const v1::Technician& t) {
        *all.add_technicians() = t;
        return true;
      });
      if (!error.ok()) return Failed("technician list", error);
    } else {
      auto page = ctx.client.ListTechnicians(request);
      if (!page.ok()) return Failed("technician list", page.error());
      all = *std::move(page);
    }
    if (ctx.json) {
      std::cout << ToJson(all) << "\n";
    } else {
      for (const auto& t : all.technicians()) {
        std::cout << t.name() << "  " << t.display_name() << (t.active() ? "" : "  (inactive)") << "  "
                  << absl::StrJoin(t.postal_codes(), ",") << "\n";
      }
    }
    return 0;
  }
  if (what == "show") {
    if (ctx.args.size() != 2) return Usage("technician show takes one technician");
    return Answer(ctx, "technician show", ctx.client.GetTechnician(ResourceName("technicians", ctx.args[1])),
                                  [](const v1::Technician& t) { PrintTechnician(std::cout, t); });
  }
  if (what == "create") {
    if (ctx.args.size() != 1) return Usage("technician create takes flags only");
    return Create(ctx);
  }
  if (what == "update") {
    if (ctx.args.size() != 2) return Usage("technician update takes one technician");
    return Update(ctx, ctx.args[1]);
  }
  if (what == "deactivate") {
    if (ctx.args.size() != 2) return Usage("technician deactivate takes one technician");
    v1::DeactivateTechnicianRequest request;
    request.set_name(ResourceName("technicians", ctx.args[1]));
    request.set_etag(absl::GetFlag(FLAGS_etag));
    request.set_request_id(RequestIdOrNew());
    auto result = ctx.client.Call<v1::Technician>(true, {}, [&](grpc::ClientContext* c, v1::Technician* r) {
      return ctx.client.technicians().DeactivateTechnician(c, request, r);
    });
    return Answer(ctx, "technician deactivate", result,
                                  [](const v1::Technician& t) { PrintTechnician(std::cout, t); });
  }
  return Usage("unknown technician command '" + what + "'");
}

}  // namespace homevisit::cli
