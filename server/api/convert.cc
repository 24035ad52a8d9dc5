#include "api/convert.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "api/visit_convert.h"
#include "domain/errors.h"
#include "domain/technician_commands.h"
#include "domain/text_rules.h"

namespace homevisit::api {

absl::Time FromProto(const google::protobuf::Timestamp& ts, bool present, const std::string& field) {
  if (!present) return absl::InfinitePast();
  // google/protobuf/timestamp.proto: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z.
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  if (ts.nanos() < 0 || ts.nanos() > 999999999 || ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds) {
    domain::Violations v;
    v.Add(field, "must be a valid timestamp: nanos 0..999999999, a year from 1 to 9999");
    v.ThrowIfAny();
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

domain::OrderView ViewFromProto(int view, domain::OrderView unspecified) {
  switch (view) {
    case v1::SERVICE_ORDER_VIEW_UNSPECIFIED: return unspecified;
    case v1::SERVICE_ORDER_VIEW_BASIC: return domain::OrderView::kBasic;
    case v1::SERVICE_ORDER_VIEW_FULL: return domain::OrderView::kFull;
    default: {
      domain::Violations v;
      v.Add("view", "must be SERVICE_ORDER_VIEW_BASIC or SERVICE_ORDER_VIEW_FULL");
      v.ThrowIfAny();
      return unspecified;
    }
  }
}

void ApplyView(domain::OrderView view, domain::ServiceOrder& order) {
  if (view == domain::OrderView::kBasic && order.visit.signature) order.visit.signature->image_png.clear();
}

void ToProto(absl::Time time, google::protobuf::Timestamp* out) {
  int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest * 1000));
}

domain::OrderIntake IntakeFromProto(const v1::ServiceOrder& o) {
  domain::OrderIntake in;
  in.file_number = o.file_number();
  in.given_name = o.subscriber().given_name();
  in.family_name = o.subscriber().family_name();
  in.email = o.subscriber().email();
  in.address.street = o.address().street();
  in.address.exterior_number = o.address().exterior_number();
  in.address.interior_number = o.address().interior_number();
  in.address.colonia = o.address().colonia();
  in.address.delegacion = o.address().delegacion();
  in.address.postal_code = o.address().postal_code();
  in.address.references = o.address().references();
  // Stored at microsecond precision, so compare retries at that precision too.
  auto micros = [](absl::Time t) {
    return t == absl::InfinitePast() ? t : absl::FromUnixMicros(absl::ToUnixMicros(t));
  };
  in.requested_window.start = micros(FromProto(o.requested_window().start_time(), o.requested_window().has_start_time(),
                                               "service_order.requested_window.start_time"));
  in.requested_window.end = micros(FromProto(o.requested_window().end_time(), o.requested_window().has_end_time(),
                                             "service_order.requested_window.end_time"));
  in.receiver_name = o.receiver().name();
  in.receiver_phone = o.receiver().phone();
  in.problem_description = o.problem_description();
  in.charge = static_cast<domain::Charge>(o.charge());
  return in;
}

std::string OrderName(const std::string& id) { return absl::StrCat("serviceOrders/", id); }
std::string TechnicianName(const std::string& id) { return absl::StrCat("technicians/", id); }

std::string IdFromName(const std::string& name, absl::string_view collection, absl::string_view field) {
  absl::string_view rest = name;
  std::string prefix = absl::StrCat(collection, "/");
  if (!absl::ConsumePrefix(&rest, prefix) || rest.empty() || rest.size() > 64 ||
      rest.find('/') != absl::string_view::npos) {
    throw domain::DomainError(domain::ErrorKind::kInvalidArgument, "INVALID_FIELDS",
                              absl::StrCat("invalid request: ", field),
                              {{std::string(field), absl::StrCat("must be a resource name like ", prefix, "{id}")}});
  }
  return std::string(rest);
}

void ToProto(const domain::ServiceOrder& o, v1::ServiceOrder* out) {
  const domain::OrderIntake& in = o.intake;
  out->set_name(OrderName(o.id));
  out->set_file_number(in.file_number);
  auto* s = out->mutable_subscriber();
  s->set_given_name(in.given_name);
  s->set_family_name(in.family_name);
  s->set_email(in.email);
  auto* a = out->mutable_address();
  a->set_street(in.address.street);
  a->set_exterior_number(in.address.exterior_number);
  a->set_interior_number(in.address.interior_number);
  a->set_colonia(in.address.colonia);
  a->set_delegacion(in.address.delegacion);
  a->set_postal_code(in.address.postal_code);
  a->set_references(in.address.references);
  ToProto(in.requested_window.start, out->mutable_requested_window()->mutable_start_time());
  ToProto(in.requested_window.end, out->mutable_requested_window()->mutable_end_time());
  out->mutable_receiver()->set_name(in.receiver_name);
  out->mutable_receiver()->set_phone(in.receiver_phone);
  out->set_problem_description(in.problem_description);
  out->set_charge(static_cast<v1::ServiceOrder::Charge>(in.charge));
  out->set_state(static_cast<v1::ServiceOrder::State>(o.state));
  if (o.appointment) {
    auto* ap = out->mutable_appointment();
    ToProto(o.appointment->window.start, ap->mutable_window()->mutable_start_time());
    ToProto(o.appointment->window.end, ap->mutable_window()->mutable_end_time());
    ap->set_technician(TechnicianName(o.appointment->technician_id));
    ap->set_technician_display_name(o.appointment->technician_name);
    ToProto(o.appointment->book_time, ap->mutable_book_time());
  }
  if (o.cancellation) {
    auto* c = out->mutable_cancellation();
    c->set_reason(o.cancellation->reason);
    ToProto(o.cancellation->time, c->mutable_cancel_time());
    c->set_actor(o.cancellation->actor);
  }
  if (!o.visit.empty()) ToProto(o.visit, out->mutable_visit());
  ToProto(o.create_time, out->mutable_create_time());
  ToProto(o.update_time, out->mutable_update_time());
  out->set_etag(domain::EtagOf(o));
}

namespace {

// google.type.DayOfWeek counts Monday = 1 ... Sunday = 7; the domain counts Sunday = 0.
int WeekdayFromProto(google::type::DayOfWeek day) {
  if (day == google::type::SUNDAY) return 0;
  if (day >= google::type::MONDAY && day <= google::type::SATURDAY) return static_cast<int>(day);
  return -1;
}

// Minutes since midnight; 24:00 is kept (a shift's end), seconds are refused.
int MinuteFromProto(const google::type::TimeOfDay& t, bool present) {
  if (!present || t.hours() < 0 || t.hours() > 24 || t.minutes() < 0 || t.minutes() > 59 || t.seconds() != 0 ||
      t.nanos() != 0 || (t.hours() == 24 && t.minutes() != 0)) {
    return -1;
  }
  return t.hours() * 60 + t.minutes();
}

// Stored at microsecond precision, so retries and read-backs compare at that precision too.
absl::Time MicrosFromProto(const google::protobuf::Timestamp& ts, bool present, const std::string& field) {
  absl::Time t = FromProto(ts, present, field);
  return t == absl::InfinitePast() ? t : absl::FromUnixMicros(absl::ToUnixMicros(t));
}

}  // namespace

domain::Technician TechnicianFromProto(const v1::Technician& p) {
  domain::Technician t;
  t.display_name = p.display_name();
  t.employee_number = p.employee_number();
  t.official_id_type = p.official_id_type();
  t.mobile_phone = p.mobile_phone();
  t.postal_codes.assign(p.postal_codes().begin(), p.postal_codes().end());
  t.delegaciones.assign(p.delegaciones().begin(), p.delegaciones().end());
  for (const auto& w : p.working_hours()) {
    t.working_hours.push_back({WeekdayFromProto(w.day_of_week()), MinuteFromProto(w.start_time(), w.has_start_time()),
                               MinuteFromProto(w.end_time(), w.has_end_time())});
  }
  for (int i = 0; i < p.time_off_size(); ++i) {
    const auto& off = p.time_off(i);
    std::string field = absl::StrCat("technician.time_off[", i, "]");
    t.time_off.push_back({MicrosFromProto(off.start_time(), off.has_start_time(), field + ".start_time"),
                          MicrosFromProto(off.end_time(), off.has_end_time(), field + ".end_time"), off.reason()});
  }
  return t;
}

void ToProto(const domain::Technician& t, v1::Technician* out) {
  out->set_name(TechnicianName(t.id));
  out->set_display_name(t.display_name);
  out->set_employee_number(t.employee_number);
  out->set_official_id_type(static_cast<v1::OfficialIdType>(t.official_id_type));
  out->set_mobile_phone(t.mobile_phone);
  for (const auto& code : t.postal_codes) out->add_postal_codes(code);
  for (const auto& d : t.delegaciones) out->add_delegaciones(d);
  for (const auto& h : t.working_hours) {
    auto* w = out->add_working_hours();
    // google.type.DayOfWeek counts Monday = 1 ... Sunday = 7; the domain counts Sunday = 0.
    w->set_day_of_week(static_cast<google::type::DayOfWeek>(h.weekday == 0 ? 7 : h.weekday));
    w->mutable_start_time()->set_hours(h.start_minute / 60);
    w->mutable_start_time()->set_minutes(h.start_minute % 60);
    w->mutable_end_time()->set_hours(h.end_minute / 60);
    w->mutable_end_time()->set_minutes(h.end_minute % 60);
  }
  for (const auto& off : t.time_off) {
    auto* o = out->add_time_off();
    ToProto(off.start, o->mutable_start_time());
    ToProto(off.end, o->mutable_end_time());
    o->set_reason(off.reason);
  }
  out->set_active(t.active);
  ToProto(t.create_time, out->mutable_create_time());
  ToProto(t.update_time, out->mutable_update_time());
  out->set_etag(domain::EtagOf(t));
}

void ToProto(const domain::Event& e, v1::Event* out) {
  out->set_name(absl::StrCat("events/", e.seq));
  out->set_type(static_cast<v1::Event::Type>(e.type));
  out->set_service_order(OrderName(e.order_id));
  out->set_file_number(e.file_number);
  out->set_actor(e.actor.principal);
  out->set_actor_role(static_cast<v1::Role>(e.actor.role));
  ToProto(e.time, out->mutable_event_time());
  for (const auto& [k, v] : e.attributes) (*out->mutable_attributes())[k] = v;
  out->set_cursor(std::to_string(e.seq));
}

}  // namespace homevisit::api
