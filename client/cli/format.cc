#include "format.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homevisit::cli {
namespace {

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::string Join(std::initializer_list<std::string> parts, const char* separator) {
  std::vector<std::string> present;
  for (const auto& p : parts) {
    if (!p.empty()) present.push_back(p);
  }
  return absl::StrJoin(present, separator);
}

}  // namespace

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  return json;
}

std::string Printer::Time(const google::protobuf::Timestamp& t) const {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", FromProto(t), zone_);
}

std::string Printer::Window(const v1::TimeWindow& w) const {
  if (!w.has_start_time()) return "-";
  absl::Time start = FromProto(w.start_time()), end = FromProto(w.end_time());
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", start, zone_), "-",
                      absl::FormatTime("%H:%M %Z", end, zone_));
}

void Printer::OrderLine(const v1::ServiceOrder& o) {
  out_ << o.name() << "  " << v1::ServiceOrder::State_Name(o.state()) << "  " << o.file_number() << "  "
       << Window(o.has_appointment() ? o.appointment().window() : o.requested_window()) << "  "
       << o.subscriber().given_name() << " " << o.subscriber().family_name() << "\n";
}

void Printer::Order(const v1::ServiceOrder& o) {
  const auto& a = o.address();
  out_ << o.name() << "\n"
       << "  state        " << v1::ServiceOrder::State_Name(o.state()) << "\n"
       << "  file number  " << o.file_number() << "\n"
       << "  subscriber   " << o.subscriber().given_name() << " " << o.subscriber().family_name() << " <"
       << o.subscriber().email() << ">\n"
       << "  address      "
       << Join({Join({a.street(), a.exterior_number(),
                      a.interior_number().empty() ? "" : "int. " + a.interior_number()},
                     " "),
                a.colonia(), a.delegacion(), a.postal_code().empty() ? "" : "CP " + a.postal_code()},
               ", ")
       << "\n";
  if (!a.references().empty()) out_ << "  references   " << a.references() << "\n";
  out_ << "  requested    " << Window(o.requested_window()) << "\n"
       << "  receiver     " << Join({o.receiver().name(), o.receiver().phone()}, ", ") << "\n"
       << "  charge       " << v1::ServiceOrder::Charge_Name(o.charge()) << "\n"
       << "  problem      " << o.problem_description() << "\n";
  if (o.has_appointment()) {
    out_ << "  appointment  " << Window(o.appointment().window()) << " with "
         << o.appointment().technician_display_name() << " (" << o.appointment().technician() << ")\n";
  }
  if (o.has_cancellation()) {
    out_ << "  cancelled    " << Time(o.cancellation().cancel_time()) << " by " << o.cancellation().actor() << ": "
         << o.cancellation().reason() << "\n";
  }
  out_ << "  created      " << Time(o.create_time()) << "\n"
       << "  updated      " << Time(o.update_time()) << "\n"
       << "  etag         " << o.etag() << "\n";
}

void Printer::Option(const char* label, const v1::SlotOption& option) {
  out_ << "  " << label << Window(option.window()) << "  " << option.technician_display_name() << " ("
       << option.technician() << ")\n";
}

void Printer::Availability(const v1::CheckAvailabilityResponse& r) {
  if (r.requested_available()) {
    out_ << "requested window available\n";
    Option("", r.requested());
  } else {
    out_ << "requested window not available: " << v1::UnavailableReason_Name(r.unavailable_reason()) << "\n";
  }
  if (!r.same_day().empty()) out_ << "same day:\n";
  for (const auto& o : r.same_day()) Option("", o);
  if (!r.other_days().empty()) out_ << "other days:\n";
  for (const auto& o : r.other_days()) Option("", o);
}

void Printer::Hold(const v1::Hold& h) {
  out_ << h.name() << (h.released() ? "  (released)" : "") << "\n"
       << "  order    " << h.service_order() << "\n";
  Option("option   ", h.option());
  out_ << "  expires  " << Time(h.expire_time()) << "\n";
}

void Printer::Report(const v1::VisitReport& r) {
  out_ << r.name() << "  filed " << Time(r.file_time()) << "\n";
  Order(r.service_order());
  // How the visit ended [G1]: the outcome and why not resolved, the signature or refusal, completion.
  const v1::Visit& visit = r.service_order().visit();
  if (visit.has_outcome()) {
    const v1::Outcome& o = visit.outcome();
    out_ << "  outcome      " << v1::Outcome::Result_Name(o.result()) << "  " << Time(o.record_time()) << "\n";
    if (o.result() == v1::Outcome::RESULT_NOT_RESOLVED) {
      out_ << "  reason       " << v1::Outcome::ReasonCategory_Name(o.reason_category()) << ": " << o.reason_text()
           << "\n";
    }
    out_ << "  found        " << o.problem() << "\n"
         << "  diagnosis    " << o.diagnosis() << "\n"
         << "  actions      " << o.actions_performed() << "\n";
  }
  if (visit.has_signature()) {
    const v1::Signature& s = visit.signature();
    if (s.refused()) {
      out_ << "  refused      " << s.refusal_reason() << "  " << Time(s.sign_time()) << "\n";
    } else {
      out_ << "  signed       " << s.signer_name() << "  " << Time(s.sign_time()) << "\n";
    }
  }
  if (visit.has_completion()) {
    out_ << "  completed    " << Time(visit.completion().complete_time())
         << (visit.completion().note().empty() ? "" : "  " + visit.completion().note()) << "\n";
  }
}

void Printer::Event(const v1::Event& e) {
  out_ << Time(e.event_time()) << "  " << v1::Event::Type_Name(e.type()) << "  " << e.service_order() << "  "
       << e.file_number() << "  by " << e.actor();
  for (const auto& [key, value] : e.attributes()) out_ << "  " << key << "=" << value;
  out_ << "\n";
}

void PrintError(std::ostream& err, const std::string& what, const client::Error& error) {
  if (error.unimplemented()) {
    err << "homevisit: " << what << ": the server does not serve this call yet (UNIMPLEMENTED)\n";
    return;
  }
  err << "homevisit: " << what << " failed: " << error.ToString() << "\n";
}

}  // namespace homevisit::cli
