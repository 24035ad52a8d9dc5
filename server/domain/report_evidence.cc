#include "domain/report_evidence.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace homevisit::domain {
namespace {

class Canonical {
 public:
  Canonical() { out_ = "homevisit-report/1\n"; }
  void Text(absl::string_view name, absl::string_view value) {
    absl::StrAppend(&out_, name, "=", value.size(), ":", value, "\n");
  }
  void Int(absl::string_view name, long long value) { Text(name, std::to_string(value)); }
  void Bool(absl::string_view name, bool value) { Text(name, value ? "1" : "0"); }
  void Time(absl::string_view name, absl::Time t) { Text(name, std::to_string(absl::ToUnixMicros(t))); }
  void Time(absl::string_view name, const std::optional<absl::Time>& t) {
    if (t) Time(name, *t);
    else Text(name, "");
  }
  void Window(absl::string_view name, const TimeWindow& w) {
    Time(absl::StrCat(name, ".start"), w.start);
    Time(absl::StrCat(name, ".end"), w.end);
  }
  // A part recorded or not: present=1 and its fields, or present=0 alone.
  bool Part(absl::string_view name, bool present) {
    Bool(absl::StrCat(name, ".present"), present);
    return present;
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string CanonicalReport(const ServiceOrder& order) {
  Canonical c;
  const OrderIntake& in = order.intake;
  c.Text("id", order.id);
  c.Text("file_number", in.file_number);
  c.Text("subscriber.given_name", in.given_name);
  c.Text("subscriber.family_name", in.family_name);
  c.Text("subscriber.email", in.email);
  c.Text("address.street", in.address.street);
  c.Text("address.exterior_number", in.address.exterior_number);
  c.Text("address.interior_number", in.address.interior_number);
  c.Text("address.colonia", in.address.colonia);
  c.Text("address.delegacion", in.address.delegacion);
  c.Text("address.postal_code", in.address.postal_code);
  c.Text("address.references", in.address.references);
  c.Window("requested_window", in.requested_window);
  c.Text("receiver.name", in.receiver_name);
  c.Text("receiver.phone", in.receiver_phone);
  c.Text("problem_description", in.problem_description);
  c.Int("charge", static_cast<int>(in.charge));
  c.Int("state", static_cast<int>(order.state));
  c.Time("create_time", order.create_time);
  if (c.Part("appointment", order.appointment.has_value())) {
    c.Text("appointment.technician", order.appointment->technician_id);
    c.Text("appointment.technician_name", order.appointment->technician_name);
    c.Window("appointment.window", order.appointment->window);
    c.Time("appointment.book_time", order.appointment->book_time);
  }
  if (c.Part("cancellation", order.cancellation.has_value())) {
    c.Text("cancellation.reason", order.cancellation->reason);
    c.Time("cancellation.time", order.cancellation->time);
    c.Text("cancellation.actor", order.cancellation->actor);
  }
  const Visit& v = order.visit;
  if (c.Part("confirmation_call", v.confirmation_call.has_value())) {
    c.Int("confirmation_call.result", static_cast<int>(v.confirmation_call->result));
    c.Text("confirmation_call.note", v.confirmation_call->note);
    c.Time("confirmation_call.time", v.confirmation_call->time);
    c.Text("confirmation_call.actor", v.confirmation_call->actor);
  }
  if (c.Part("follow_up_call", v.follow_up_call.has_value())) {
    c.Bool("follow_up_call.technician_present", v.follow_up_call->technician_present);
    c.Text("follow_up_call.note", v.follow_up_call->note);
    c.Time("follow_up_call.time", v.follow_up_call->time);
    c.Text("follow_up_call.actor", v.follow_up_call->actor);
  }
  c.Time("late_alert_time", v.late_alert_time);
  if (c.Part("check_in", v.check_in.has_value())) {
    c.Time("check_in.arrival_time", v.check_in->arrival_time);
    c.Int("check_in.punctuality", static_cast<int>(v.check_in->punctuality));
    c.Bool("check_in.greeting_given", v.check_in->greeting_given);
    c.Bool("check_in.vest_worn", v.check_in->vest_worn);
    c.Int("check_in.official_id_type", v.check_in->official_id_type);
    c.Bool("check_in.reason_explained", v.check_in->reason_explained);
  }
  if (c.Part("diagnosis", v.diagnosis.has_value())) {
    c.Bool("diagnosis.internet_related", v.diagnosis->internet_related);
    c.Text("diagnosis.summary", v.diagnosis->summary);
    c.Time("diagnosis.time", v.diagnosis->time);
  }
  c.Int("checklist.size", static_cast<long long>(v.checklist.size()));
  for (size_t i = 0; i < v.checklist.size(); ++i) {
    const ChecklistAnswer& a = v.checklist[i];
    const std::string p = absl::StrCat("checklist[", i, "]");
    c.Text(p + ".item_id", a.item_id);
    c.Text(p + ".label", a.label);
    c.Int(p + ".result", static_cast<int>(a.result));
    c.Text(p + ".measured_value", a.measured_value);
    c.Text(p + ".note", a.note);
    c.Bool(p + ".service_item", a.service_item);
  }
  if (c.Part("escalation", v.escalation.has_value())) {
    const Escalation& e = *v.escalation;
    c.Int("escalation.phone_used", static_cast<int>(e.phone_used));
    c.Time("escalation.request_time", e.request_time);
    c.Text("escalation.support_agent", e.support_agent);
    c.Time("escalation.conference_time", e.conference_time);
    c.Text("escalation.conference_actor", e.conference_actor);
    c.Time("escalation.hand_over_time", e.hand_over_time);
    c.Text("escalation.hand_over_note", e.hand_over_note);
  }
  if (c.Part("outcome", v.outcome.has_value())) {
    const Outcome& o = *v.outcome;
    c.Int("outcome.result", static_cast<int>(o.result));
    c.Text("outcome.problem", o.problem);
    c.Text("outcome.diagnosis", o.diagnosis);
    c.Text("outcome.actions_performed", o.actions_performed);
    c.Int("outcome.reason_category", static_cast<int>(o.reason_category));
    c.Text("outcome.reason_text", o.reason_text);
    c.Time("outcome.record_time", o.record_time);
  }
  if (c.Part("signature", v.signature.has_value())) {
    const Signature& s = *v.signature;
    c.Text("signature.signer_name", s.signer_name);
    c.Time("signature.sign_time", s.sign_time);
    c.Bool("signature.refused", s.refused);
    c.Text("signature.refusal_reason", s.refusal_reason);
    c.Int("signature.image_bytes", static_cast<long long>(s.image_png.size()));
  }
  if (c.Part("completion", v.completion.has_value())) {
    c.Time("completion.complete_time", v.completion->complete_time);
    c.Text("completion.note", v.completion->note);
  }
  return c.Take();
}

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), length));
}

std::string ReportSha256(const ServiceOrder& order) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const std::string canonical = CanonicalReport(order);
  const std::string& png = order.visit.signature ? order.visit.signature->image_png : std::string();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), canonical.data(), canonical.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), png.data(), png.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), length));
}

}  // namespace homevisit::domain
