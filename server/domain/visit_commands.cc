#include "domain/visit_commands.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/errors.h"
#include "domain/order_commands.h"
#include "domain/order_validation.h"
#include "domain/png_image.h"
#include "domain/report_evidence.h"
#include "domain/technician_validation.h"

namespace homevisit::domain {
namespace {

// A broken guard of the procedure: the message says what is missing and the current state.
[[noreturn]] void ThrowGuard(const ServiceOrder& order, const std::string& reason, absl::string_view what) {
  throw DomainError(ErrorKind::kFailedPrecondition, reason,
                    absl::StrCat(what, " (state ", StateName(order.state), ")"));
}

bool InState(const ServiceOrder& order, std::initializer_list<OrderState> states) {
  for (OrderState s : states) {
    if (order.state == s) return true;
  }
  return false;
}

ServiceOrder Load(UnitOfWork& work, const std::string& id, const std::string& etag, const Actor& actor) {
  ServiceOrder order = GetOrder(work, id, actor);
  CheckEtag(order, etag);
  return order;
}

// Writes the order (version checked against `expected`) and its visit.
void Store(UnitOfWork& work, ServiceOrder& order, int expected, absl::Time now) {
  order.update_time = now;
  ++order.version;
  work.orders().Update(order, expected);
  work.visits().Save(order.id, order.visit);
}

// The observed time of a step must be plausible: not ahead of the server's clock by more than
// the skew allowance, not before the order existed, and not before `earlier` (the steps this one
// follows, as the same device or the procedure recorded them). Times the server takes itself
// are not checked.
void CheckObserved(const ServiceOrder& order, const StepTime& at, std::initializer_list<std::optional<absl::Time>> earlier) {
  if (at.observed == at.now) return;
  Violations v;
  if (at.observed > at.now + kMaxClockSkew) {
    v.Add("observe_time", absl::StrCat("is ", absl::FormatDuration(at.observed - at.now),
                                       " after the server's clock (at most 2m allowed): check the device's clock"));
  } else if (at.observed < order.create_time) {
    v.Add("observe_time", "is before the order was created");
  } else {
    for (const auto& before : earlier) {
      if (before && at.observed < *before) {
        v.Add("observe_time", absl::StrCat("is before the previous step of the visit (",
                                           absl::FormatTime(absl::RFC3339_sec, *before, absl::UTCTimeZone()),
                                           "): steps are recorded in the order they happened"));
        break;
      }
    }
  }
  v.ThrowIfAny();
}

// The step's event, at the server's time, naming the observed time when it differs.
Event StepEvent(const ServiceOrder& order, EventType type, const Actor& actor, const StepTime& at) {
  Event event = MakeEvent(order, type, actor, at.now);
  if (at.observed != at.now) {
    event.attributes["observe_time"] = absl::FormatTime(absl::RFC3339_full, at.observed, absl::UTCTimeZone());
  }
  return event;
}

std::optional<absl::Time> HandOverTime(const Visit& visit) {
  return visit.escalation ? visit.escalation->hand_over_time : std::nullopt;
}
std::optional<absl::Time> EscalationTime(const Visit& visit) {
  return visit.escalation ? std::optional<absl::Time>(visit.escalation->request_time) : std::nullopt;
}
template <typename T, typename F>
std::optional<absl::Time> TimeOf(const std::optional<T>& step, F field) {
  return step ? std::optional<absl::Time>(field(*step)) : std::nullopt;
}

const char* CallResultName(CallResult r) {
  switch (r) {
    case CallResult::kConfirmed: return "CONFIRMED";
    case CallResult::kChangeRequested: return "CHANGE_REQUESTED";
    case CallResult::kNotReachable: return "NOT_REACHABLE";
    case CallResult::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

const char* PunctualityName(Punctuality p) {
  switch (p) {
    case Punctuality::kEarly: return "EARLY";
    case Punctuality::kOnTime: return "ON_TIME";
    case Punctuality::kLate: return "LATE";
    case Punctuality::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

const char* OutcomeName(OutcomeResult r) {
  switch (r) {
    case OutcomeResult::kResolved: return "RESOLVED";
    case OutcomeResult::kNotResolved: return "NOT_RESOLVED";
    case OutcomeResult::kEscalated: return "ESCALATED";
    case OutcomeResult::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

bool AwaitingTechnician(const ServiceOrder& order) {
  return InState(order, {OrderState::kScheduled, OrderState::kConfirmed});
}

bool LateAlertDue(const ServiceOrder& order, const VisitPolicy& policy, absl::Time now) {
  return AwaitingTechnician(order) && order.appointment && !order.visit.late_alert_time &&
         now >= order.appointment->window.start + policy.late_tolerance;
}

Event LateEvent(const ServiceOrder& order, const VisitPolicy& policy, const Actor& actor, absl::Time now) {
  Event event = MakeEvent(order, EventType::kTechnicianLate, actor, now);
  event.attributes["technician"] = order.appointment ? order.appointment->technician_id : "";
  event.attributes["tolerance_minutes"] = absl::StrCat(absl::ToInt64Minutes(policy.late_tolerance));
  return event;
}

}  // namespace

std::vector<ChecklistItem> DefaultChecklist() {
  return {
      {"modem_power_lights", "Encendido y luces del módem", true},
      {"cabling", "Cableado", true},
      {"modem_signal_levels", "Niveles de señal del módem", true},
      {"wired_speed_test", "Prueba de velocidad cableada (bajada/subida/latencia)", true},
      {"wifi_test_near_modem", "Prueba de Wi-Fi cerca del módem", false},
      {"modem_restart", "Reinicio del módem", true},
      {"area_outage", "Falla masiva en la zona", true},
  };
}

Punctuality PunctualityOf(absl::Time arrival, const TimeWindow& window) {
  if (arrival < window.start) return Punctuality::kEarly;
  if (arrival <= window.end) return Punctuality::kOnTime;
  return Punctuality::kLate;
}

std::vector<std::string> FailedServiceItems(const std::vector<ChecklistAnswer>& answers) {
  std::vector<std::string> failed;
  for (const auto& a : answers) {
    if (a.service_item && a.result == CheckResult::kFail) failed.push_back(a.item_id);
  }
  return failed;
}

std::vector<ChecklistAnswer> CheckChecklist(const std::vector<ChecklistAnswer>& answers,
                                            const std::vector<ChecklistItem>& checklist, bool complete,
                                            Violations& v) {
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < checklist.size(); ++i) position[checklist[i].item_id] = i;
  std::vector<std::optional<ChecklistAnswer>> slots(checklist.size());
  for (size_t i = 0; i < answers.size(); ++i) {
    const ChecklistAnswer& a = answers[i];
    std::string path = absl::StrCat("checklist[", i, "]");
    auto it = position.find(a.item_id);
    if (it == position.end()) {
      v.Add(absl::StrCat(path, ".item_id"),
            a.item_id.empty() ? "is required" : "is not an item of the checklist template");
      continue;
    }
    if (slots[it->second]) {
      v.Add(absl::StrCat(path, ".item_id"), "answers an item that was already answered");
      continue;
    }
    int result = static_cast<int>(a.result);
    if (result < 1 || result > 3) v.Add(absl::StrCat(path, ".result"), "must be PASS, FAIL or NOT_APPLICABLE");
    v.OptionalText(absl::StrCat(path, ".measured_value"), a.measured_value, kMaxMeasuredValueChars);
    v.OptionalText(absl::StrCat(path, ".note"), a.note, kMaxNoteChars, true);
    ChecklistAnswer answer = a;
    answer.label = checklist[it->second].label;
    answer.service_item = checklist[it->second].service_item;
    slots[it->second] = std::move(answer);
  }
  std::vector<ChecklistAnswer> ordered;
  std::vector<std::string> missing;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i]) {
      ordered.push_back(std::move(*slots[i]));
    } else {
      missing.push_back(checklist[i].item_id);
    }
  }
  if (complete && !missing.empty()) {
    v.Add("checklist",
          absl::StrCat("must answer every item of the checklist; missing: ", absl::StrJoin(missing, ", ")));
  }
  return ordered;
}

ServiceOrder RecordConfirmationCall(UnitOfWork& work, const std::string& id, CallResult result,
                                    const std::string& note, const std::string& etag, const Actor& actor,
                                    const StepTime& at) {
  const absl::Time now = at.now;
  Violations v;
  int r = static_cast<int>(result);
  if (r < 1 || r > 3) v.Add("result", "must be CONFIRMED, CHANGE_REQUESTED or NOT_REACHABLE");
  v.OptionalText("note", note, kMaxNoteChars, true);
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (!AwaitingTechnician(order)) ThrowWrongState(order, "record a confirmation call for");
  CheckObserved(order, at, {});
  int expected = order.version;
  order.visit.confirmation_call = ConfirmationCall{result, note, at.observed, actor.principal};
  if (result == CallResult::kConfirmed) order.state = OrderState::kConfirmed;
  if (result == CallResult::kChangeRequested) order.state = OrderState::kScheduled;
  Store(work, order, expected, now);
  Event event = StepEvent(order, EventType::kCallRecorded, actor, at);
  event.attributes["call"] = "CONFIRMATION";
  event.attributes["result"] = CallResultName(result);
  work.events().Append(event);
  return order;
}

ServiceOrder RecordFollowUpCall(UnitOfWork& work, const std::string& id, bool technician_present,
                                const std::string& note, const VisitPolicy& policy, const std::string& etag,
                                const Actor& actor, const StepTime& at) {
  const absl::Time now = at.now;
  Violations v;
  v.OptionalText("note", note, kMaxNoteChars, true);
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (!InState(order, {OrderState::kScheduled, OrderState::kConfirmed, OrderState::kOnSite, OrderState::kEscalating})) {
    ThrowWrongState(order, "record a follow-up call for");
  }
  CheckObserved(order, at, {TimeOf(order.visit.confirmation_call, [](const auto& c) { return c.time; })});
  int expected = order.version;
  order.visit.follow_up_call = FollowUpCall{technician_present, note, at.observed, actor.principal};
  Store(work, order, expected, now);
  // Late as of when the call was made; the alert itself is raised now.
  bool late =
      !technician_present && LateAlertDue(order, policy, at.observed) && work.visits().MarkLate(order.id, now);
  if (late) {  // MarkLate bumped the version once more
    order.visit.late_alert_time = now;
    ++order.version;
  }
  Event event = StepEvent(order, EventType::kCallRecorded, actor, at);
  event.attributes["call"] = "FOLLOW_UP";
  event.attributes["technician_present"] = technician_present ? "true" : "false";
  work.events().Append(event);
  if (late) work.events().Append(LateEvent(order, policy, actor, now));
  return order;
}

ServiceOrder RecordCheckIn(UnitOfWork& work, const std::string& id, const CheckInInput& input, const std::string& etag,
                           const Actor& actor, const StepTime& at) {
  const absl::Time now = at.now;
  Violations v;
  if (input.official_id_type < 1 || input.official_id_type > kMaxOfficialIdType) {
    v.Add("official_id_type", "is required: the type of the official ID shown to the subscriber");
  }
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (!AwaitingTechnician(order) || !order.appointment) ThrowWrongState(order, "check in at");
  const auto& call = order.visit.confirmation_call;
  if (order.state == OrderState::kScheduled && !(call && call->result == CallResult::kNotReachable)) {
    // Unconfirmed is fine only when DOT tried and could not reach the subscriber [B1].
    ThrowGuard(order, "NOT_CONFIRMED",
               call ? "the subscriber asked DOT for a change of the appointment"
                    : "DOT has not confirmed the appointment (nor recorded that the subscriber was unreachable)");
  }
  CheckObserved(order, at, {});
  int expected = order.version;
  CheckIn check_in;
  check_in.arrival_time = at.observed;
  check_in.punctuality = PunctualityOf(at.observed, order.appointment->window);
  check_in.greeting_given = input.greeting_given;
  check_in.vest_worn = input.vest_worn;
  check_in.official_id_type = input.official_id_type;
  check_in.reason_explained = input.reason_explained;
  order.visit.check_in = check_in;
  order.state = OrderState::kOnSite;
  Store(work, order, expected, now);
  Event event = StepEvent(order, EventType::kCheckedIn, actor, at);
  event.attributes["punctuality"] = PunctualityName(check_in.punctuality);
  event.attributes["vest_worn"] = check_in.vest_worn ? "true" : "false";
  work.events().Append(event);
  return order;
}

ServiceOrder RecordDiagnosis(UnitOfWork& work, const std::string& id, const Diagnosis& diagnosis,
                             const std::vector<ChecklistAnswer>& answers, const VisitPolicy& policy,
                             const std::string& etag, const Actor& actor, const StepTime& at) {
  const absl::Time now = at.now;
  Violations v;
  v.RequireText("diagnosis.summary", diagnosis.summary, kMaxVisitTextChars, true);
  std::vector<ChecklistAnswer> checklist = CheckChecklist(answers, policy.checklist, diagnosis.internet_related, v);
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (order.state != OrderState::kOnSite) ThrowWrongState(order, "record a diagnosis for");
  CheckObserved(order, at,
                {TimeOf(order.visit.check_in, [](const auto& c) { return c.arrival_time; }),
                 TimeOf(order.visit.diagnosis, [](const auto& d) { return d.time; })});
  int expected = order.version;
  order.visit.diagnosis = Diagnosis{diagnosis.internet_related, diagnosis.summary, at.observed};
  order.visit.checklist = checklist;
  Store(work, order, expected, now);
  work.visits().SaveChecklist(order.id, order.visit.checklist);
  Event event = StepEvent(order, EventType::kDiagnosisRecorded, actor, at);
  event.attributes["internet_related"] = diagnosis.internet_related ? "true" : "false";
  event.attributes["failed_service_items"] = absl::StrJoin(FailedServiceItems(checklist), ",");
  work.events().Append(event);
  return order;
}

ServiceOrder RequestEscalation(UnitOfWork& work, const std::string& id, PhoneUsed phone_used,
                               const std::string& etag, const Actor& actor, const StepTime& at) {
  const absl::Time now = at.now;
  Violations v;
  if (phone_used != PhoneUsed::kSubscriberLine && phone_used != PhoneUsed::kTechnicianMobile) {
    v.Add("phone_used", "must be SUBSCRIBER_LINE or TECHNICIAN_MOBILE");
  }
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (order.state != OrderState::kOnSite) ThrowWrongState(order, "request an escalation for");
  if (!order.visit.diagnosis) ThrowGuard(order, "DIAGNOSIS_MISSING", "record the diagnosis before escalating");
  CheckObserved(order, at, {order.visit.diagnosis->time});
  int expected = order.version;
  Escalation escalation;
  escalation.phone_used = phone_used;
  escalation.request_time = at.observed;
  order.visit.escalation = escalation;
  order.state = OrderState::kEscalating;
  Store(work, order, expected, now);
  Event event = StepEvent(order, EventType::kEscalationRequested, actor, at);
  event.attributes["phone_used"] =
      phone_used == PhoneUsed::kSubscriberLine ? "SUBSCRIBER_LINE" : "TECHNICIAN_MOBILE";
  work.events().Append(event);
  return order;
}

ServiceOrder RecordConference(UnitOfWork& work, const std::string& id, const std::string& support_agent,
                              const std::string& etag, const Actor& actor, const StepTime& at) {
  const absl::Time now = at.now;
  Violations v;
  v.RequireText("support_agent", support_agent, kMaxNameChars);
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (order.state != OrderState::kEscalating) ThrowWrongState(order, "record a conference for");
  Escalation& escalation = *order.visit.escalation;
  if (escalation.conference_time) ThrowGuard(order, "CONFERENCE_ALREADY_SET_UP", "the conference is already set up");
  CheckObserved(order, at, {escalation.request_time});
  int expected = order.version;
  escalation.support_agent = support_agent;
  escalation.conference_time = at.observed;
  escalation.conference_actor = actor.principal;
  Store(work, order, expected, now);
  work.events().Append(StepEvent(order, EventType::kConferenceSetUp, actor, at));
  return order;
}

ServiceOrder RecordHandOver(UnitOfWork& work, const std::string& id, const std::string& note,
                            const std::string& etag, const Actor& actor, const StepTime& at) {
  const absl::Time now = at.now;
  Violations v;
  v.OptionalText("note", note, kMaxNoteChars, true);
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (order.state != OrderState::kEscalating) ThrowWrongState(order, "record a hand-over for");
  Escalation& escalation = *order.visit.escalation;
  if (!escalation.conference_time) {
    ThrowGuard(order, "CONFERENCE_MISSING", "the DOT supervisor has not set up the conference with izzi support yet");
  }
  if (escalation.hand_over_time) ThrowGuard(order, "ALREADY_HANDED_OVER", "the subscriber was handed over already");
  CheckObserved(order, at, {escalation.request_time});
  int expected = order.version;
  escalation.hand_over_time = at.observed;
  escalation.hand_over_note = note;
  Store(work, order, expected, now);
  work.events().Append(StepEvent(order, EventType::kHandedOver, actor, at));
  return order;
}

ServiceOrder RecordOutcome(UnitOfWork& work, const std::string& id, const Outcome& outcome,
                           const VisitPolicy& policy, const std::string& etag, const Actor& actor, const StepTime& at) {
  const absl::Time now = at.now;
  Violations v("outcome.");
  int r = static_cast<int>(outcome.result);
  if (r < 1 || r > 3) v.Add("result", "must be RESOLVED, NOT_RESOLVED or ESCALATED");
  v.RequireText("problem", outcome.problem, kMaxVisitTextChars, true);
  v.RequireText("diagnosis", outcome.diagnosis, kMaxVisitTextChars, true);
  v.RequireText("actions_performed", outcome.actions_performed, kMaxVisitTextChars, true);
  bool not_resolved = outcome.result == OutcomeResult::kNotResolved;
  if (not_resolved) {
    int c = static_cast<int>(outcome.reason_category);
    if (c < 1 || c > kMaxReasonCategory) v.Add("reason_category", "is required when the problem was not resolved");
    v.RequireText("reason_text", outcome.reason_text, kMaxVisitTextChars, true);
  }
  v.ThrowIfAny();

  ServiceOrder order = Load(work, id, etag, actor);
  const Visit& visit = order.visit;
  if (outcome.result == OutcomeResult::kEscalated) {
    if (order.state != OrderState::kEscalating) {
      ThrowWrongState(order, "record an ESCALATED outcome (request the escalation first) for");
    }
    if (!visit.escalation->conference_time) {
      ThrowGuard(order, "CONFERENCE_MISSING",
                 "an escalation ends only after the conference with izzi support is set up [B6.c.i]");
    }
    if (!visit.escalation->hand_over_time) {
      ThrowGuard(order, "HAND_OVER_MISSING", "an escalation ends only after the subscriber is handed over [B6.e]");
    }
  } else {
    if (order.state == OrderState::kEscalating) {
      ThrowGuard(order, "ESCALATION_IN_PROGRESS", "an escalation in progress ends with an ESCALATED outcome");
    }
    if (order.state != OrderState::kOnSite) ThrowWrongState(order, "record an outcome for");
    bool subscriber_absent = not_resolved && outcome.reason_category == ReasonCategory::kSubscriberAbsent;
    if (!subscriber_absent) {
      if (!visit.diagnosis) ThrowGuard(order, "DIAGNOSIS_MISSING", "record the diagnosis before the outcome");
      if (visit.diagnosis->internet_related) {
        Violations checklist_check;
        CheckChecklist(visit.checklist, policy.checklist, true, checklist_check);
        if (!checklist_check.empty()) {
          ThrowGuard(order, "CHECKLIST_INCOMPLETE", "answer the whole checklist before the outcome");
        }
      }
      std::vector<std::string> failed = FailedServiceItems(visit.checklist);
      bool declined = not_resolved && outcome.reason_category == ReasonCategory::kSubscriberDeclined;
      if (!failed.empty() && !declined) {
        ThrowGuard(order, "ESCALATION_REQUIRED",
                   absl::StrCat("failed service/modem checks (", absl::StrJoin(failed, ", "),
                                ") require escalation to izzi support [B6.a]"));
      }
    }
  }
  CheckObserved(order, at,
                {TimeOf(visit.check_in, [](const auto& c) { return c.arrival_time; }),
                 TimeOf(visit.diagnosis, [](const auto& d) { return d.time; }), EscalationTime(visit),
                 HandOverTime(visit)});
  int expected = order.version;
  Outcome recorded = outcome;
  recorded.record_time = at.observed;
  if (!not_resolved) {
    recorded.reason_category = ReasonCategory::kUnspecified;
    recorded.reason_text.clear();
  }
  order.visit.outcome = recorded;
  order.state = OrderState::kOutcomeRecorded;
  Store(work, order, expected, now);
  Event event = StepEvent(order, EventType::kOutcomeRecorded, actor, at);
  event.attributes["result"] = OutcomeName(recorded.result);
  if (not_resolved) event.attributes["reason_category"] = absl::StrCat(static_cast<int>(recorded.reason_category));
  work.events().Append(event);
  return order;
}

ServiceOrder CaptureSignature(UnitOfWork& work, const std::string& id, const Signature& signature,
                              const VisitPolicy& policy, const std::string& etag, const Actor& actor,
                              const StepTime& at) {
  const absl::Time now = at.now;
  Violations v("signature.");
  Signature recorded = signature;
  if (signature.refused) {
    v.RequireText("refusal_reason", signature.refusal_reason, kMaxReasonChars, true);
    v.OptionalText("signer_name", signature.signer_name, kMaxNameChars);
    recorded.image_png.clear();
  } else {
    v.RequireText("signer_name", signature.signer_name, kMaxNameChars);
    if (signature.image_png.empty()) {
      v.Add("image_png", "is required unless the signature is refused");
    } else if (signature.image_png.size() > policy.max_signature_bytes) {
      v.Add("image_png", absl::StrCat("must be at most ", policy.max_signature_bytes, " bytes"));
    } else if (std::string problem = PngProblem(signature.image_png); !problem.empty()) {
      v.Add("image_png", problem);
    }
    recorded.refusal_reason.clear();
  }
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (order.state != OrderState::kOutcomeRecorded) ThrowWrongState(order, "capture a signature for");
  CheckObserved(order, at, {order.visit.outcome->record_time});
  int expected = order.version;
  recorded.sign_time = at.observed;
  order.visit.signature = recorded;
  order.state = OrderState::kSigned;
  Store(work, order, expected, now);
  Event event = StepEvent(order, EventType::kSigned, actor, at);
  event.attributes["refused"] = recorded.refused ? "true" : "false";
  work.events().Append(event);
  return order;
}

ServiceOrder CompleteVisit(UnitOfWork& work, const std::string& id, const std::string& note,
                           const std::string& etag, const Actor& actor, const StepTime& at,
                           const DocumentRenderer& render) {
  const absl::Time now = at.now;
  Violations v;
  v.OptionalText("note", note, kMaxNoteChars, true);
  v.ThrowIfAny();
  ServiceOrder order = Load(work, id, etag, actor);
  if (order.state == OrderState::kOutcomeRecorded) {
    ThrowGuard(order, "SIGNATURE_MISSING", "capture the signature or its refusal before completing");
  }
  if (order.state != OrderState::kSigned) ThrowWrongState(order, "complete");
  CheckObserved(order, at, {order.visit.signature->sign_time});
  int expected = order.version;
  order.visit.completion = Completion{at.observed, note};
  order.state = OrderState::kCompleted;
  Store(work, order, expected, now);
  Event event = StepEvent(order, EventType::kCompleted, actor, at);
  event.attributes["outcome"] = OutcomeName(order.visit.outcome->result);
  event.attributes["report_sha256"] = ReportSha256(order);
  if (render) {
    IssuedDocument document;
    document.report_sha256 = event.attributes["report_sha256"];
    document.pdf = render(order, document.report_sha256);
    document.document_sha256 = Sha256Hex(document.pdf);
    document.issue_time = order.visit.completion->complete_time;
    work.visits().SaveDocument(order.id, document);
    event.attributes["document_sha256"] = document.document_sha256;
  }
  work.events().Append(event);
  return order;
}

int RaiseLateAlerts(UnitOfWork& work, const VisitPolicy& policy, const Actor& actor, absl::Time now, int batch) {
  std::vector<ServiceOrder> raised;
  for (const std::string& id : work.visits().LateCandidates(now - policy.late_tolerance, batch)) {
    if (!work.visits().MarkLate(id, now)) continue;  // another replica raised it first
    if (auto order = work.orders().Find(id)) raised.push_back(std::move(*order));
  }
  // Events last: the PostgreSQL append holds the feed's lock until commit.
  for (const ServiceOrder& order : raised) work.events().Append(LateEvent(order, policy, actor, now));
  return static_cast<int>(raised.size());
}

ServiceOrder GetReport(UnitOfWork& work, const std::string& id, const Actor& actor) {
  ServiceOrder order = GetOrder(work, id, actor);
  if (order.state != OrderState::kCompleted) {
    throw DomainError(ErrorKind::kNotFound, "REPORT_NOT_FILED",
                      absl::StrCat("no visit report is filed for this order yet (state ", StateName(order.state), ")"));
  }
  return order;
}

ReportDocument GetReportDocument(UnitOfWork& work, const std::string& id, const Actor& actor) {
  const ServiceOrder report = GetReport(work, id, actor);
  std::optional<IssuedDocument> issued = work.visits().FindDocument(id);
  if (!issued) {
    throw DomainError(ErrorKind::kNotFound, "DOCUMENT_NOT_ISSUED",
                      "this report was filed before the service issued documents");
  }
  return {std::move(*issued), ReportSha256(report)};
}

}  // namespace homevisit::domain
