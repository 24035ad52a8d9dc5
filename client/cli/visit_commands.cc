// `homevisit visit STEP ORDER`: the visit procedure [B1-B11] from the command line, one step per
// subcommand, for DOT (calls, conference) and the technician (check-in to completion). Every step
// sends a request id (--request_id, else a fresh one), so a retry after a lost answer is safe;
// --etag guards against concurrent changes and --observe_time records a step that happened
// earlier (a phone that had no signal).
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "commands.h"
#include "common.h"
#include "format.h"

ABSL_DECLARE_FLAG(std::string, etag);
ABSL_DECLARE_FLAG(std::string, problem);

ABSL_FLAG(std::string, observe_time, "",
          "visit steps: when the step happened, RFC 3339, if earlier than now (sent after regaining signal)");
ABSL_FLAG(std::string, note, "", "visit confirm, followup, handover, complete: a note");
ABSL_FLAG(std::string, result, "",
          "visit confirm: confirmed, change_requested or not_reachable; visit outcome: resolved, not_resolved "
          "or escalated");
ABSL_FLAG(bool, present, true, "visit followup: whether the technician was with the subscriber");
ABSL_FLAG(std::string, script, "greeting",
          "visit script: greeting, escalation_announcement, farewell_escalated or farewell_resolved");
ABSL_FLAG(std::string, id_type, "", "visit checkin: the official ID shown (ine, passport, professional_license, ...)");
ABSL_FLAG(bool, greeting, true, "visit checkin: the greeting was given [B3]");
ABSL_FLAG(bool, vest, true, "visit checkin: the vest was worn [B4]");
ABSL_FLAG(bool, reason_explained, true, "visit checkin: the reason of the visit was explained [B5]");
ABSL_FLAG(std::string, summary, "", "visit diagnose: what was found");
ABSL_FLAG(bool, internet, true, "visit diagnose: the problem is internet related (then every checklist item)");
ABSL_FLAG(std::string, answers, "",
          "visit diagnose: ITEM=pass|fail|na[:measured value], comma-separated (ids: homevisit visit checklist)");
ABSL_FLAG(std::string, phone, "technician", "visit escalate: the phone used, subscriber or technician");
ABSL_FLAG(std::string, agent, "", "visit conference: the izzi support agent");
ABSL_FLAG(std::string, diagnosis, "", "visit outcome: the diagnosis");
ABSL_FLAG(std::string, actions, "", "visit outcome: the actions performed");
ABSL_FLAG(std::string, reason_category, "",
          "visit outcome (not_resolved): subscriber_absent, needs_equipment, network_fault, subscriber_declined, "
          "out_of_scope or other");
ABSL_FLAG(std::string, reason_text, "", "visit outcome (not_resolved): why, in words");
ABSL_FLAG(std::string, signer, "", "visit sign: who signs");
ABSL_FLAG(std::string, png, "", "visit sign: the signature image, a PNG file");
ABSL_FLAG(bool, refused, false, "visit sign: the subscriber refused to sign (with --refusal_reason)");
ABSL_FLAG(std::string, refusal_reason, "", "visit sign: why the subscriber did not sign");

namespace homevisit::cli {
namespace {

using StepCall = std::function<grpc::Status(grpc::ClientContext*, v1::ServiceOrder*)>;

// The fields every step request has: the order, a request id, the optional etag and observe time.
template <typename Request>
bool Common(const Context& ctx, Request& request, std::string* error) {
  if (ctx.args.size() != 2) {
    *error = "visit " + (ctx.args.empty() ? std::string("STEP") : ctx.args[0]) + " takes one order name";
    return false;
  }
  request.set_service_order(ResourceName("serviceOrders", ctx.args[1]));
  request.set_request_id(RequestIdOrNew());
  request.set_etag(absl::GetFlag(FLAGS_etag));
  const std::string observed = absl::GetFlag(FLAGS_observe_time);
  if (!observed.empty()) {
    absl::Time t;
    std::string parse_error;
    if (!absl::ParseTime(absl::RFC3339_full, observed, &t, &parse_error)) {
      *error = "--observe_time: " + parse_error;
      return false;
    }
    SetTimestamp(t, request.mutable_observe_time());
  }
  return true;
}

// Sends one step (retried safely: it carries a request id) and prints the updated order.
int Send(Context& ctx, const std::string& what, const StepCall& call) {
  return Answer(ctx, what, ctx.client.Call<v1::ServiceOrder>(true, {}, call),
                [&](const v1::ServiceOrder& order) { Printer(std::cout, ctx.zone).Order(order); });
}

// "cabling=fail:conector flojo,wired_speed_test=pass:95/10 Mbps" into checklist answers.
bool ParseAnswers(const std::string& text, v1::RecordDiagnosisRequest& request, std::string* error) {
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    std::pair<std::string, std::string> result_value = absl::StrSplit(kv.second, absl::MaxSplits(':', 1));
    auto* answer = request.add_checklist();
    answer->set_item_id(std::string(absl::StripAsciiWhitespace(kv.first)));
    const std::string result = absl::AsciiStrToLower(absl::StripAsciiWhitespace(result_value.first));
    if (result == "pass") {
      answer->set_result(v1::ChecklistAnswer::RESULT_PASS);
    } else if (result == "fail") {
      answer->set_result(v1::ChecklistAnswer::RESULT_FAIL);
    } else if (result == "na" || result == "not_applicable") {
      answer->set_result(v1::ChecklistAnswer::RESULT_NOT_APPLICABLE);
    } else {
      *error = "--answers: " + std::string(item) + ": the result is pass, fail or na";
      return false;
    }
    answer->set_measured_value(result_value.second);
  }
  return true;
}

int Checklist(Context& ctx) {
  auto result = ctx.client.Call<v1::ChecklistTemplate>(true, {}, [&](grpc::ClientContext* c, v1::ChecklistTemplate* r) {
    return ctx.client.visits().GetChecklistTemplate(c, v1::GetChecklistTemplateRequest(), r);
  });
  return Answer(ctx, "visit checklist", result, [](const v1::ChecklistTemplate& checklist) {
    for (const auto& item : checklist.items()) {
      std::cout << item.item_id() << (item.service_item() ? "  [service/modem] " : "  ") << item.label() << "\n";
    }
  });
}

int Script(Context& ctx) {
  if (ctx.args.size() != 2) return Usage("visit script takes one order name");
  v1::RenderScriptRequest request;
  request.set_service_order(ResourceName("serviceOrders", ctx.args[1]));
  v1::RenderScriptRequest::Script script;
  if (!ParseEnum(absl::GetFlag(FLAGS_script), "SCRIPT_", &v1::RenderScriptRequest::Script_Parse, &script)) {
    return Usage("--script is greeting, escalation_announcement, farewell_escalated or farewell_resolved");
  }
  request.set_script(script);
  auto result = ctx.client.Call<v1::RenderScriptResponse>(
      true, {}, [&](grpc::ClientContext* c, v1::RenderScriptResponse* r) {
        return ctx.client.visits().RenderScript(c, request, r);
      });
  return Answer(ctx, "visit script", result,
                [](const v1::RenderScriptResponse& script_text) { std::cout << script_text.text() << "\n"; });
}

}  // namespace

int Visit(Context& ctx) {
  if (ctx.args.empty()) return Usage("visit needs a step");
  const std::string step = ctx.args[0];
  auto& stub = ctx.client.visits();
  std::string error;
  if (step == "checklist") return Checklist(ctx);
  if (step == "script") return Script(ctx);
  if (step == "confirm") {
    v1::RecordConfirmationCallRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    v1::ConfirmationCall::Result result;
    if (!ParseEnum(absl::GetFlag(FLAGS_result), "RESULT_", &v1::ConfirmationCall::Result_Parse, &result)) {
      return Usage("--result is confirmed, change_requested or not_reachable");
    }
    r.set_result(result);
    r.set_note(absl::GetFlag(FLAGS_note));
    return Send(ctx, "visit confirm", [&](auto* c, auto* o) { return stub.RecordConfirmationCall(c, r, o); });
  }
  if (step == "followup") {
    v1::RecordFollowUpCallRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    r.set_technician_present(absl::GetFlag(FLAGS_present));
    r.set_note(absl::GetFlag(FLAGS_note));
    return Send(ctx, "visit followup", [&](auto* c, auto* o) { return stub.RecordFollowUpCall(c, r, o); });
  }
  if (step == "checkin") {
    v1::CheckInRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    v1::OfficialIdType id_type;
    if (!ParseEnum(absl::GetFlag(FLAGS_id_type), "OFFICIAL_ID_TYPE_", &v1::OfficialIdType_Parse, &id_type)) {
      return Usage("--id_type is ine, passport, professional_license, driving_license or company_badge");
    }
    r.set_official_id_type(id_type);
    r.set_greeting_given(absl::GetFlag(FLAGS_greeting));
    r.set_vest_worn(absl::GetFlag(FLAGS_vest));
    r.set_reason_explained(absl::GetFlag(FLAGS_reason_explained));
    return Send(ctx, "visit checkin", [&](auto* c, auto* o) { return stub.CheckIn(c, r, o); });
  }
  if (step == "diagnose") {
    v1::RecordDiagnosisRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    r.mutable_diagnosis()->set_internet_related(absl::GetFlag(FLAGS_internet));
    r.mutable_diagnosis()->set_summary(absl::GetFlag(FLAGS_summary));
    if (!ParseAnswers(absl::GetFlag(FLAGS_answers), r, &error)) return Usage(error);
    return Send(ctx, "visit diagnose", [&](auto* c, auto* o) { return stub.RecordDiagnosis(c, r, o); });
  }
  if (step == "escalate") {
    v1::RequestEscalationRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    const std::string phone = absl::AsciiStrToLower(absl::GetFlag(FLAGS_phone));
    if (phone == "subscriber") {
      r.set_phone_used(v1::Escalation::PHONE_USED_SUBSCRIBER_LINE);
    } else if (phone == "technician") {
      r.set_phone_used(v1::Escalation::PHONE_USED_TECHNICIAN_MOBILE);
    } else {
      return Usage("--phone is subscriber or technician");
    }
    return Send(ctx, "visit escalate", [&](auto* c, auto* o) { return stub.RequestEscalation(c, r, o); });
  }
  if (step == "conference") {
    v1::RecordConferenceRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    r.set_support_agent(absl::GetFlag(FLAGS_agent));
    return Send(ctx, "visit conference", [&](auto* c, auto* o) { return stub.RecordConference(c, r, o); });
  }
  if (step == "handover") {
    v1::RecordHandOverRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    r.set_note(absl::GetFlag(FLAGS_note));
    return Send(ctx, "visit handover", [&](auto* c, auto* o) { return stub.RecordHandOver(c, r, o); });
  }
  if (step == "outcome") {
    v1::RecordOutcomeRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    v1::Outcome::Result result;
    if (!ParseEnum(absl::GetFlag(FLAGS_result), "RESULT_", &v1::Outcome::Result_Parse, &result)) {
      return Usage("--result is resolved, not_resolved or escalated");
    }
    auto* o = r.mutable_outcome();
    o->set_result(result);
    o->set_problem(absl::GetFlag(FLAGS_problem));
    o->set_diagnosis(absl::GetFlag(FLAGS_diagnosis));
    o->set_actions_performed(absl::GetFlag(FLAGS_actions));
    const std::string category = absl::GetFlag(FLAGS_reason_category);
    if (!category.empty()) {
      v1::Outcome::ReasonCategory value;
      if (!ParseEnum(category, "REASON_CATEGORY_", &v1::Outcome::ReasonCategory_Parse, &value)) {
        return Usage("unknown --reason_category " + category);
      }
      o->set_reason_category(value);
    }
    o->set_reason_text(absl::GetFlag(FLAGS_reason_text));
    return Send(ctx, "visit outcome", [&](auto* c, auto* out) { return stub.RecordOutcome(c, r, out); });
  }
  if (step == "sign") {
    v1::CaptureSignatureRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    auto* s = r.mutable_signature();
    s->set_signer_name(absl::GetFlag(FLAGS_signer));
    s->set_refused(absl::GetFlag(FLAGS_refused));
    s->set_refusal_reason(absl::GetFlag(FLAGS_refusal_reason));
    const std::string png = absl::GetFlag(FLAGS_png);
    if (!png.empty()) {
      std::ifstream in(png, std::ios::binary);
      if (!in) return Usage("cannot read " + png);
      std::stringstream bytes;
      bytes << in.rdbuf();
      s->set_image_png(bytes.str());
    }
    return Send(ctx, "visit sign", [&](auto* c, auto* o) { return stub.CaptureSignature(c, r, o); });
  }
  if (step == "complete") {
    v1::CompleteVisitRequest r;
    if (!Common(ctx, r, &error)) return Usage(error);
    r.set_note(absl::GetFlag(FLAGS_note));
    return Send(ctx, "visit complete", [&](auto* c, auto* o) { return stub.CompleteVisit(c, r, o); });
  }
  return Usage("unknown visit step '" + step + "'");
}

}  // namespace homevisit::cli
