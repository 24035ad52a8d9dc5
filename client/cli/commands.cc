#include "commands.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common.h"
#include "document_commands.h"
#include "format.h"

// intake
ABSL_FLAG(std::string, from_json, "",
          "intake: read the order from this JSON file (a ServiceOrder, or a CreateServiceOrderRequest); "
          "flags given as well override its fields. Without a request_id (in the file or --request_id) the "
          "request id comes from the content, so taking the same file in twice makes one order");
ABSL_FLAG(std::string, request_id, "", "intake, book, visit steps: makes retries safe (default: a random UUID)");
ABSL_FLAG(std::string, file_number, "", "intake, list, report: the subscriber's file number (# de Expediente)");
ABSL_FLAG(std::string, given_name, "", "intake: subscriber's given name(s)");
ABSL_FLAG(std::string, family_name, "", "intake: subscriber's family name(s)");
ABSL_FLAG(std::string, email, "", "intake: subscriber's email");
ABSL_FLAG(std::string, street, "", "intake: street");
ABSL_FLAG(std::string, exterior_number, "", "intake: exterior number");
ABSL_FLAG(std::string, interior_number, "", "intake: interior number");
ABSL_FLAG(std::string, colonia, "", "intake: colonia");
ABSL_FLAG(std::string, delegacion, "", "intake: delegación or municipio");
ABSL_FLAG(std::string, postal_code, "", "intake: código postal (5 digits)");
ABSL_FLAG(std::string, references, "", "intake: references to find the place");
ABSL_FLAG(std::string, receiver_name, "", "intake: who receives the technician");
ABSL_FLAG(std::string, receiver_phone, "", "intake: their phone (10 digits)");
ABSL_FLAG(std::string, problem, "", "intake: the problem description; visit outcome: the problem found");
ABSL_FLAG(std::string, charge, "", "intake, metrics: free or charged");
ABSL_FLAG(std::string, window_start, "",
          "intake, availability, hold, book: window start, RFC 3339 (2026-12-03T10:00:00-06:00) or a local time "
          "as printed (\"2026-12-03 10:00\", or a whole printed window \"2026-12-03 10:00-12:00 CST\")");
ABSL_FLAG(std::string, window_end, "", "intake, hold, book: window end (default: start + 2h)");
// scheduling
ABSL_FLAG(std::string, technician, "", "hold, book, list, credentials create: the technician, ID or technicians/ID");
ABSL_FLAG(std::string, hold, "",
          "book, reschedule: holds/{id} to book from (else --technician and --window_start)");
// list / cancel / watch
ABSL_FLAG(std::string, state, "", "list: comma-separated states (REQUESTED,SCHEDULED,...)");
ABSL_FLAG(int32_t, page_size, 0, "list: orders per page (server default 50)");
ABSL_FLAG(std::string, page_token, "", "list: the page to read (from a previous --json list)");
ABSL_FLAG(bool, all, false, "list: follow next_page_token to the last page");
ABSL_FLAG(std::string, reason, "", "cancel, reschedule, reassign: why");
ABSL_FLAG(std::string, etag, "", "cancel, visit steps: the etag you read (guards against concurrent changes)");
ABSL_FLAG(bool, from_beginning, false, "watch: start from the first event in the log");
ABSL_FLAG(std::string, after_cursor, "", "watch: resume after this event cursor");
ABSL_FLAG(int32_t, limit, 0, "watch: stop after this many events (0: until interrupted)");
ABSL_FLAG(std::string, pdf, "", "report: with ORDER, save the report's document (the PDF issued at completion) to this file");
// credentials (admin)
ABSL_FLAG(std::string, principal, "", "credentials create: a label for the holder, e.g. dot-cabin-3 (no names)");
ABSL_FLAG(std::string, role, "",
          "credentials create: DOT_OPERATOR, DOT_SUPERVISOR, DISPATCHER, TECHNICIAN (with --technician) or ADMIN");

namespace homevisit::cli {
namespace {

using google::protobuf::Timestamp;

template <typename T>
void Print(Context& ctx, const T& message, void (Printer::*human)(const T&)) {
  if (ctx.json) {
    std::cout << ToJson(message) << "\n";
  } else {
    Printer printer(std::cout, ctx.zone);
    (printer.*human)(message);
  }
}

// RFC 3339 ("2026-12-03T10:00:00-06:00"), or a local time as the CLI prints it in --time_zone:
// "2026-12-03 10:00", also pasted with the rest of a printed window ("2026-12-03 10:00-12:00 CST"),
// whose end then goes to `end` when given.
bool ParseTime(const std::string& text, absl::TimeZone zone, Timestamp* out, std::string* error,
               Timestamp* end = nullptr) {
  absl::Time t;
  std::string rfc_error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &rfc_error)) {
    SetTimestamp(t, out);
    return true;
  }
  const std::string stripped(absl::StripAsciiWhitespace(text));
  absl::CivilMinute start;
  if (stripped.size() < 16 || !absl::ParseCivilTime(stripped.substr(0, 10) + "T" + stripped.substr(11, 5), &start)) {
    *error = "not a time: give RFC 3339 (2026-12-03T10:00:00-06:00) or a local time as printed (2026-12-03 10:00)";
    return false;
  }
  SetTimestamp(absl::FromCivil(start, zone), out);
  absl::CivilMinute until;
  if (end != nullptr && stripped.size() >= 22 && stripped[16] == '-' &&
      absl::ParseCivilTime(stripped.substr(0, 10) + "T" + stripped.substr(17, 5), &until)) {
    if (until <= start) until += 24 * 60;  // a window past midnight
    SetTimestamp(absl::FromCivil(until, zone), end);
  }
  return true;
}

// --window_start/--window_end into `window`; the end defaults to the end of a pasted window,
// else start + 2h. False on bad input.
bool WindowFromFlags(const Context& ctx, v1::TimeWindow* window, std::string* error) {
  std::string start = absl::GetFlag(FLAGS_window_start), end = absl::GetFlag(FLAGS_window_end);
  if (start.empty()) return true;
  if (!ParseTime(start, ctx.zone, window->mutable_start_time(), error, window->mutable_end_time())) {
    *error = "--window_start: " + *error;
    return false;
  }
  if (end.empty() && window->end_time().seconds() > window->start_time().seconds()) return true;
  if (end.empty()) {
    window->mutable_end_time()->set_seconds(window->start_time().seconds() + 2 * 3600);
    window->mutable_end_time()->set_nanos(window->start_time().nanos());
  } else if (!ParseTime(end, ctx.zone, window->mutable_end_time(), error)) {
    *error = "--window_end: " + *error;
    return false;
  }
  return true;
}

// The single positional argument naming a resource, with the collection prefix added if missing.
bool OrderName(Context& ctx, std::string* name) {
  if (ctx.args.size() != 1) return false;
  *name = ResourceName("serviceOrders", ctx.args[0]);
  return true;
}

// --technician as a resource name: "demo-tech-2" or "technicians/demo-tech-2".
std::string TechnicianFlag() { return ResourceName("technicians", absl::GetFlag(FLAGS_technician)); }

// The booking source of book and reschedule: --hold, or --technician with --window_start.
// Returns "" when set, else what is wrong.
template <typename Request>
std::string SourceFromFlags(const Context& ctx, Request& request, const std::string& command) {
  if (!absl::GetFlag(FLAGS_hold).empty()) {
    request.set_hold(absl::GetFlag(FLAGS_hold));
    return "";
  }
  if (absl::GetFlag(FLAGS_technician).empty() || absl::GetFlag(FLAGS_window_start).empty()) {
    return command + " needs --hold, or --technician and --window_start";
  }
  request.mutable_option()->set_technician(TechnicianFlag());
  std::string error;
  WindowFromFlags(ctx, request.mutable_option()->mutable_window(), &error);
  return error;
}

void SetIf(const absl::Flag<std::string>& flag, const std::function<void(const std::string&)>& set) {
  std::string value = absl::GetFlag(flag);
  if (!value.empty()) set(value);
}

}  // namespace

int Intake(Context& ctx) {
  v1::CreateServiceOrderRequest request;
  std::string path = absl::GetFlag(FLAGS_from_json);
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in) return Usage("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    // A bare ServiceOrder, else a whole request (with its request_id).
    if (!google::protobuf::util::JsonStringToMessage(text.str(), request.mutable_service_order()).ok()) {
      request.Clear();
      auto status = google::protobuf::util::JsonStringToMessage(text.str(), &request);
      if (!status.ok()) return Usage(path + ": not a ServiceOrder JSON: " + std::string(status.message()));
    }
  }
  v1::ServiceOrder& o = *request.mutable_service_order();
  SetIf(FLAGS_file_number, [&](const std::string& v) { o.set_file_number(v); });
  SetIf(FLAGS_given_name, [&](const std::string& v) { o.mutable_subscriber()->set_given_name(v); });
  SetIf(FLAGS_family_name, [&](const std::string& v) { o.mutable_subscriber()->set_family_name(v); });
  SetIf(FLAGS_email, [&](const std::string& v) { o.mutable_subscriber()->set_email(v); });
  SetIf(FLAGS_street, [&](const std::string& v) { o.mutable_address()->set_street(v); });
  SetIf(FLAGS_exterior_number, [&](const std::string& v) { o.mutable_address()->set_exterior_number(v); });
  SetIf(FLAGS_interior_number, [&](const std::string& v) { o.mutable_address()->set_interior_number(v); });
  SetIf(FLAGS_colonia, [&](const std::string& v) { o.mutable_address()->set_colonia(v); });
  SetIf(FLAGS_delegacion, [&](const std::string& v) { o.mutable_address()->set_delegacion(v); });
  SetIf(FLAGS_postal_code, [&](const std::string& v) { o.mutable_address()->set_postal_code(v); });
  SetIf(FLAGS_references, [&](const std::string& v) { o.mutable_address()->set_references(v); });
  SetIf(FLAGS_receiver_name, [&](const std::string& v) { o.mutable_receiver()->set_name(v); });
  SetIf(FLAGS_receiver_phone, [&](const std::string& v) { o.mutable_receiver()->set_phone(v); });
  SetIf(FLAGS_problem, [&](const std::string& v) { o.set_problem_description(v); });
  if (const std::string charge = absl::GetFlag(FLAGS_charge); !charge.empty()) {
    v1::ServiceOrder::Charge value;
    if (!ParseEnum(charge, "CHARGE_", &v1::ServiceOrder::Charge_Parse, &value)) {
      return Usage("--charge is free or charged");
    }
    o.set_charge(value);
  }
  std::string error;
  if (!WindowFromFlags(ctx, o.mutable_requested_window(), &error)) return Usage(error);
  std::string request_id = absl::GetFlag(FLAGS_request_id);
  if (request_id.empty()) request_id = request.request_id();
  if (request_id.empty() && !path.empty()) {
    // The same file taken in twice is one order: its request id comes from its content.
    uint64_t hash = 14695981039346656037ULL;  // FNV-1a: stable across runs and builds
    for (unsigned char c : request.SerializeAsString()) hash = (hash ^ c) * 1099511628211ULL;
    request_id = absl::StrCat("json-", absl::Hex(hash, absl::kZeroPad16));
  }

  auto result = ctx.client.CreateServiceOrder(o, request_id);
  if (!result.ok()) return Failed("intake", result.error());
  Print(ctx, *result, &Printer::Order);
  return 0;
}

int Show(Context& ctx) {
  std::string name;
  if (!OrderName(ctx, &name)) return Usage("show takes one order name");
  auto result = ctx.client.GetServiceOrder(name);
  if (!result.ok()) return Failed("show " + name, result.error());
  Print(ctx, *result, &Printer::Order);
  return 0;
}

int List(Context& ctx) {
  if (!ctx.args.empty()) return Usage("list takes no positional arguments");
  v1::ListServiceOrdersRequest request;
  request.set_file_number(absl::GetFlag(FLAGS_file_number));
  request.set_technician(TechnicianFlag());
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  for (absl::string_view s : absl::StrSplit(absl::GetFlag(FLAGS_state), ',', absl::SkipWhitespace())) {
    v1::ServiceOrder::State value;
    if (!ParseEnum(std::string(absl::StripAsciiWhitespace(s)), "STATE_", &v1::ServiceOrder::State_Parse, &value)) {
      return Usage("unknown state " + std::string(s));
    }
    request.add_states(value);
  }
  v1::ListServiceOrdersResponse all;
  if (absl::GetFlag(FLAGS_all)) {
    const auto error = ctx.client.ForEachServiceOrder(request, [&](const v1::ServiceOrder& order) {
      *all.add_service_orders() = order;
      return true;
    });
    if (!error.ok()) return Failed("list", error);
  } else {
    auto page = ctx.client.ListServiceOrders(request);
    if (!page.ok()) return Failed("list", page.error());
    all = *std::move(page);
  }

  if (ctx.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Printer printer(std::cout, ctx.zone);
  for (const auto& order : all.service_orders()) printer.OrderLine(order);
  if (!all.next_page_token().empty()) std::cout << "more: --page_token=" << all.next_page_token() << "\n";
  return 0;
}

int Cancel(Context& ctx) {
  std::string name;
  if (!OrderName(ctx, &name)) return Usage("cancel takes one order name");
  if (absl::GetFlag(FLAGS_reason).empty()) return Usage("cancel needs --reason");
  auto result = ctx.client.CancelServiceOrder(name, absl::GetFlag(FLAGS_reason), absl::GetFlag(FLAGS_etag));
  if (!result.ok()) return Failed("cancel " + name, result.error());
  Print(ctx, *result, &Printer::Order);
  return 0;
}

int Availability(Context& ctx) {
  v1::CheckAvailabilityRequest request;
  std::string name, error;
  if (!OrderName(ctx, &name)) return Usage("availability takes one order name");
  request.set_service_order(name);
  if (!absl::GetFlag(FLAGS_window_start).empty() && !WindowFromFlags(ctx, request.mutable_window(), &error)) {
    return Usage(error);
  }
  auto result = ctx.client.CheckAvailability(request);
  if (!result.ok()) return Failed("availability", result.error());
  Print(ctx, *result, &Printer::Availability);
  return 0;
}

int HoldCommand(Context& ctx) {
  v1::CreateHoldRequest request;
  std::string name, error;
  if (!OrderName(ctx, &name)) return Usage("hold takes one order name");
  if (absl::GetFlag(FLAGS_technician).empty() || absl::GetFlag(FLAGS_window_start).empty()) {
    return Usage("hold needs --technician and --window_start (an option from `availability`)");
  }
  request.set_service_order(name);
  request.mutable_option()->set_technician(TechnicianFlag());
  if (!WindowFromFlags(ctx, request.mutable_option()->mutable_window(), &error)) return Usage(error);
  auto result = ctx.client.CreateHold(request);
  if (!result.ok()) return Failed("hold", result.error());
  Print(ctx, *result, &Printer::Hold);
  return 0;
}

int Book(Context& ctx) {
  v1::BookAppointmentRequest request;
  std::string name, error;
  if (!OrderName(ctx, &name)) return Usage("book takes one order name");
  request.set_service_order(name);
  request.set_request_id(absl::GetFlag(FLAGS_request_id));  // the client fills an empty one
  if (error = SourceFromFlags(ctx, request, "book"); !error.empty()) return Usage(error);
  auto result = ctx.client.BookAppointment(request);
  if (!result.ok()) return Failed("book", result.error());
  Print(ctx, *result, &Printer::Order);
  return 0;
}

// A hold name from the single positional argument: holds/ID or ID.
bool HoldName(Context& ctx, std::string* name) {
  if (ctx.args.size() != 1) return false;
  *name = ResourceName("holds", ctx.args[0]);
  return true;
}

int Release(Context& ctx) {
  v1::ReleaseHoldRequest request;
  std::string name;
  if (!HoldName(ctx, &name)) return Usage("release takes one hold name");
  request.set_name(name);
  request.set_request_id(RequestIdOrNew());
  auto result = ctx.client.Call<v1::Hold>(true, {}, [&](grpc::ClientContext* c, v1::Hold* r) {
    return ctx.client.scheduling().ReleaseHold(c, request, r);
  });
  if (!result.ok()) return Failed("release " + name, result.error());
  Print(ctx, *result, &Printer::Hold);
  return 0;
}

int Reschedule(Context& ctx) {
  v1::RescheduleAppointmentRequest request;
  std::string name, error;
  if (!OrderName(ctx, &name)) return Usage("reschedule takes one order name");
  request.set_service_order(name);
  if (error = SourceFromFlags(ctx, request, "reschedule"); !error.empty()) return Usage(error);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_etag(absl::GetFlag(FLAGS_etag));
  request.set_request_id(RequestIdOrNew());
  auto result = ctx.client.Call<v1::ServiceOrder>(true, {}, [&](grpc::ClientContext* c, v1::ServiceOrder* r) {
    return ctx.client.scheduling().RescheduleAppointment(c, request, r);
  });
  if (!result.ok()) return Failed("reschedule " + name, result.error());
  Print(ctx, *result, &Printer::Order);
  return 0;
}

int Reassign(Context& ctx) {
  v1::ReassignAppointmentRequest request;
  std::string name;
  if (!OrderName(ctx, &name)) return Usage("reassign takes one order name");
  if (absl::GetFlag(FLAGS_technician).empty()) return Usage("reassign needs --technician");
  request.set_service_order(name);
  request.set_technician(TechnicianFlag());
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_etag(absl::GetFlag(FLAGS_etag));
  request.set_request_id(RequestIdOrNew());
  auto result = ctx.client.Call<v1::ServiceOrder>(true, {}, [&](grpc::ClientContext* c, v1::ServiceOrder* r) {
    return ctx.client.scheduling().ReassignAppointment(c, request, r);
  });
  if (!result.ok()) return Failed("reassign " + name, result.error());
  Print(ctx, *result, &Printer::Order);
  return 0;
}

int Events(Context& ctx) {
  v1::ListEventsRequest request;
  if (ctx.args.size() > 1) return Usage("events takes at most one order name");
  if (ctx.args.size() == 1) {
    std::string name;
    OrderName(ctx, &name);
    request.set_service_order(name);
  }
  request.set_file_number(absl::GetFlag(FLAGS_file_number));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  auto result = ctx.client.ListEvents(request);
  if (!result.ok()) return Failed("events", result.error());
  if (ctx.json) {
    std::cout << ToJson(*result) << "\n";
  } else {
    Printer printer(std::cout, ctx.zone);
    for (const auto& e : result->events()) printer.Event(e);
  }
  return 0;
}

int ReportCommand(Context& ctx) {
  if (!ctx.args.empty() && ctx.args[0] == "verify") {
    if (ctx.args.size() != 2) return Usage("report verify takes one file: homevisit report verify FILE");
    return VerifyDocument(ctx, ctx.args[1]);
  }
  if (ctx.args.size() == 1) {
    std::string name;
    OrderName(ctx, &name);
    if (!absl::EndsWith(name, "/visitReport")) name += "/visitReport";
    if (!absl::GetFlag(FLAGS_pdf).empty()) return SaveDocument(ctx, name, absl::GetFlag(FLAGS_pdf));
    auto result = ctx.client.GetVisitReport(name);
    if (!result.ok()) return Failed("report " + name, result.error());
    Print(ctx, *result, &Printer::Report);
    return 0;
  }
  if (!ctx.args.empty() || absl::GetFlag(FLAGS_file_number).empty()) {
    return Usage("report takes one order name, or --file_number for the file's reports");
  }
  v1::ListVisitReportsRequest request;
  request.set_file_number(absl::GetFlag(FLAGS_file_number));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  auto result = ctx.client.ListVisitReports(request);
  if (!result.ok()) return Failed("report", result.error());
  if (ctx.json) {
    std::cout << ToJson(*result) << "\n";
  } else {
    Printer printer(std::cout, ctx.zone);
    for (const auto& report : result->visit_reports()) printer.Report(report);
  }
  return 0;
}

int Watch(Context& ctx) {
  v1::WatchEventsRequest request;
  if (ctx.args.size() > 1) return Usage("watch takes at most one order name");
  if (ctx.args.size() == 1) {
    std::string name;
    OrderName(ctx, &name);
    request.set_service_order(name);
  }
  request.set_file_number(absl::GetFlag(FLAGS_file_number));
  if (!absl::GetFlag(FLAGS_after_cursor).empty()) {
    request.set_after_cursor(absl::GetFlag(FLAGS_after_cursor));
  } else if (absl::GetFlag(FLAGS_from_beginning)) {
    request.set_from_beginning(true);
  }
  const int limit = absl::GetFlag(FLAGS_limit);
  int count = 0;
  Printer printer(std::cout, ctx.zone);
  client::Error error = ctx.client.WatchEvents(request, [&](const v1::Event& event) {
    if (ctx.json) {
      // One compact object per line, so the stream can be piped.
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = true;
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(event, &json, options);
      std::cout << json << std::endl;
    } else {
      printer.Event(event);
      std::cout.flush();
    }
    return limit <= 0 || ++count < limit;
  });
  if (!error.ok()) return Failed("watch", error);
  return 0;
}

int Credentials(Context& ctx) {
  const std::string action = ctx.args.empty() ? "" : ctx.args[0];
  if (action == "create" && ctx.args.size() == 1) {
    v1::Credential wanted;
    wanted.set_principal(absl::GetFlag(FLAGS_principal));
    v1::Role role = v1::ROLE_UNSPECIFIED;
    std::string role_name = absl::AsciiStrToUpper(absl::GetFlag(FLAGS_role));
    if (!v1::Role_Parse(absl::StartsWith(role_name, "ROLE_") ? role_name : "ROLE_" + role_name, &role)) {
      return Usage("credentials create needs --role DOT_OPERATOR|DOT_SUPERVISOR|DISPATCHER|TECHNICIAN|ADMIN");
    }
    wanted.set_role(role);
    wanted.set_technician(TechnicianFlag());
    auto result = ctx.client.CreateCredential(wanted);
    if (!result.ok()) return Failed("credentials create", result.error());
    if (ctx.json) {
      std::cout << ToJson(*result) << "\n";
    } else {
      std::cout << result->credential().name() << "  " << v1::Role_Name(result->credential().role()) << "  "
                << result->credential().principal() << "\n"
                << "token (shown only now): " << result->token() << "\n";
    }
    return 0;
  }
  if (action == "list" && ctx.args.size() == 1) {
    v1::ListCredentialsRequest request;
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token));
    auto result = ctx.client.ListCredentials(request);
    if (!result.ok()) return Failed("credentials list", result.error());
    if (ctx.json) {
      std::cout << ToJson(*result) << "\n";
      return 0;
    }
    for (const auto& c : result->credentials()) {
      std::cout << c.name() << "  " << v1::Role_Name(c.role()) << "  " << c.principal()
                << (c.technician().empty() ? "" : "  " + c.technician())
                << (c.has_revoke_time() ? "  REVOKED" : "") << "\n";
    }
    if (!result->next_page_token().empty()) std::cout << "next page: --page_token " << result->next_page_token() << "\n";
    return 0;
  }
  if (action == "revoke" && ctx.args.size() == 2) {
    std::string name = ctx.args[1];
    if (!absl::StartsWith(name, "credentials/")) name = "credentials/" + name;
    auto result = ctx.client.RevokeCredential(name);
    if (!result.ok()) return Failed("credentials revoke", result.error());
    if (ctx.json) {
      std::cout << ToJson(*result) << "\n";
    } else {
      std::cout << result->name() << " revoked\n";
    }
    return 0;
  }
  return Usage("credentials create --principal LABEL --role ROLE [--technician technicians/ID] | list | revoke ID");
}

}  // namespace homevisit::cli
