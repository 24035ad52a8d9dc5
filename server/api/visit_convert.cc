#include "api/visit_convert.h"

#include "api/convert.h"

namespace homevisit::api {

void ToProto(const domain::Visit& v, v1::Visit* out) {
  if (const auto& c = v.confirmation_call) {
    auto* p = out->mutable_confirmation_call();
    p->set_result(static_cast<v1::ConfirmationCall::Result>(c->result));
    p->set_note(c->note);
    ToProto(c->time, p->mutable_call_time());
    p->set_actor(c->actor);
  }
  if (const auto& f = v.follow_up_call) {
    auto* p = out->mutable_follow_up_call();
    p->set_technician_present(f->technician_present);
    p->set_note(f->note);
    ToProto(f->time, p->mutable_call_time());
    p->set_actor(f->actor);
  }
  if (const auto& k = v.check_in) {
    auto* p = out->mutable_check_in();
    ToProto(k->arrival_time, p->mutable_arrival_time());
    p->set_punctuality(static_cast<v1::CheckIn::Punctuality>(k->punctuality));
    p->set_greeting_given(k->greeting_given);
    p->set_vest_worn(k->vest_worn);
    p->set_official_id_type(static_cast<v1::OfficialIdType>(k->official_id_type));
    p->set_reason_explained(k->reason_explained);
  }
  if (const auto& d = v.diagnosis) {
    out->mutable_diagnosis()->set_internet_related(d->internet_related);
    out->mutable_diagnosis()->set_summary(d->summary);
  }
  for (const auto& a : v.checklist) {
    auto* p = out->add_checklist();
    p->set_item_id(a.item_id);
    p->set_label(a.label);
    p->set_result(static_cast<v1::ChecklistAnswer::Result>(a.result));
    p->set_measured_value(a.measured_value);
    p->set_note(a.note);
    p->set_service_item(a.service_item);
  }
  if (const auto& e = v.escalation) {
    auto* p = out->mutable_escalation();
    p->set_phone_used(static_cast<v1::Escalation::PhoneUsed>(e->phone_used));
    ToProto(e->request_time, p->mutable_request_time());
    p->set_support_agent(e->support_agent);
    if (e->conference_time) ToProto(*e->conference_time, p->mutable_conference_time());
    p->set_conference_actor(e->conference_actor);
    if (e->hand_over_time) ToProto(*e->hand_over_time, p->mutable_hand_over_time());
    p->set_hand_over_note(e->hand_over_note);
  }
  if (const auto& o = v.outcome) {
    auto* p = out->mutable_outcome();
    p->set_result(static_cast<v1::Outcome::Result>(o->result));
    p->set_problem(o->problem);
    p->set_diagnosis(o->diagnosis);
    p->set_actions_performed(o->actions_performed);
    p->set_reason_category(static_cast<v1::Outcome::ReasonCategory>(o->reason_category));
    p->set_reason_text(o->reason_text);
    ToProto(o->record_time, p->mutable_record_time());
  }
  if (const auto& s = v.signature) {
    auto* p = out->mutable_signature();
    p->set_signer_name(s->signer_name);
    p->set_image_png(s->image_png);
    ToProto(s->sign_time, p->mutable_sign_time());
    p->set_refused(s->refused);
    p->set_refusal_reason(s->refusal_reason);
  }
  if (const auto& done = v.completion) {
    ToProto(done->complete_time, out->mutable_completion()->mutable_complete_time());
    out->mutable_completion()->set_note(done->note);
  }
  if (v.late_alert_time) ToProto(*v.late_alert_time, out->mutable_late_alert_time());
}

domain::Diagnosis DiagnosisFromProto(const v1::Diagnosis& d) {
  domain::Diagnosis diagnosis;
  diagnosis.internet_related = d.internet_related();
  diagnosis.summary = d.summary();
  return diagnosis;
}

std::vector<domain::ChecklistAnswer> ChecklistFromProto(
    const google::protobuf::RepeatedPtrField<v1::ChecklistAnswer>& answers) {
  std::vector<domain::ChecklistAnswer> out;
  for (const auto& a : answers) {
    domain::ChecklistAnswer answer;
    answer.item_id = a.item_id();
    answer.label = a.label();
    answer.result = static_cast<domain::CheckResult>(a.result());
    answer.measured_value = a.measured_value();
    answer.note = a.note();
    answer.service_item = a.service_item();
    out.push_back(std::move(answer));
  }
  return out;
}

domain::Outcome OutcomeFromProto(const v1::Outcome& o) {
  domain::Outcome outcome;
  outcome.result = static_cast<domain::OutcomeResult>(o.result());
  outcome.problem = o.problem();
  outcome.diagnosis = o.diagnosis();
  outcome.actions_performed = o.actions_performed();
  outcome.reason_category = static_cast<domain::ReasonCategory>(o.reason_category());
  outcome.reason_text = o.reason_text();
  return outcome;
}

domain::Signature SignatureFromProto(const v1::Signature& s) {
  domain::Signature signature;
  signature.signer_name = s.signer_name();
  signature.image_png = s.image_png();
  signature.refused = s.refused();
  signature.refusal_reason = s.refusal_reason();
  return signature;
}

}  // namespace homevisit::api
