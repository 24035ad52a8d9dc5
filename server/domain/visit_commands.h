#pragma once
// The visit procedure [B1-B11] as use cases. Each runs inside the caller's unit of work (one
// transaction): it reads the order, checks the optional etag, checks the state and the guards
// (FAILED_PRECONDITION naming the current state), writes the order with its version check and
// the visit, and appends its event as the last write.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/repositories.h"
#include "domain/text_rules.h"
#include "domain/visit.h"

namespace homevisit::domain {

inline constexpr size_t kMaxNoteChars = 2000;
inline constexpr size_t kMaxVisitTextChars = 4000;
inline constexpr size_t kMaxMeasuredValueChars = 200;

// When a step happened. `now` is the server's clock as it records the step (the event's time,
// the order's update time); `observed` is when the device saw the action (the request's
// observe_time: a phone without signal sends its steps later), else `now`. The visit's own
// times (arrival, diagnosis, outcome, ...) and punctuality are the observed ones.
struct StepTime {
  absl::Time now;
  absl::Time observed;
  static StepTime At(absl::Time t) { return {t, t}; }
};

// How far an observed time may run ahead of the server's clock (device clocks drift).
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(2);

// [B1] CONFIRMED confirms the appointment (SCHEDULED -> CONFIRMED); CHANGE_REQUESTED puts a
// confirmed order back to SCHEDULED (a reschedule or cancel follows); NOT_REACHABLE changes no
// state. Allowed while SCHEDULED or CONFIRMED.
ServiceOrder RecordConfirmationCall(UnitOfWork& work, const std::string& id, CallResult result,
                                    const std::string& note, const std::string& etag, const Actor& actor,
                                    const StepTime& at);

// [B2] Allowed from SCHEDULED to ESCALATING. A technician reported absent past the window start
// plus the tolerance raises the late alert at once (if not raised already).
ServiceOrder RecordFollowUpCall(UnitOfWork& work, const std::string& id, bool technician_present,
                                const std::string& note, const VisitPolicy& policy, const std::string& etag,
                                const Actor& actor, const StepTime& at);

struct CheckInInput {
  bool greeting_given = false;
  bool vest_worn = false;
  int official_id_type = 0;
  bool reason_explained = false;
};

// [B3-B5] CONFIRMED (or SCHEDULED when DOT's confirmation call could not reach the subscriber)
// -> ON_SITE; the arrival time is the observed one, and so is punctuality.
ServiceOrder RecordCheckIn(UnitOfWork& work, const std::string& id, const CheckInInput& input, const std::string& etag,
                           const Actor& actor, const StepTime& at);

// [B6] While ON_SITE; may be repeated (the last one counts). When internet related, every item
// of the policy's checklist is answered exactly once.
ServiceOrder RecordDiagnosis(UnitOfWork& work, const std::string& id, const Diagnosis& diagnosis,
                             const std::vector<ChecklistAnswer>& answers, const VisitPolicy& policy,
                             const std::string& etag, const Actor& actor, const StepTime& at);

// [B6.b] ON_SITE with a diagnosis -> ESCALATING.
ServiceOrder RequestEscalation(UnitOfWork& work, const std::string& id, PhoneUsed phone_used,
                               const std::string& etag, const Actor& actor, const StepTime& at);
// [B6.c] By the DOT supervisor, once, while ESCALATING.
ServiceOrder RecordConference(UnitOfWork& work, const std::string& id, const std::string& support_agent,
                              const std::string& etag, const Actor& actor, const StepTime& at);
// [B6.d-e] By the technician, once, after the conference.
ServiceOrder RecordHandOver(UnitOfWork& work, const std::string& id, const std::string& note,
                            const std::string& etag, const Actor& actor, const StepTime& at);

// [B7, B8, G1] ON_SITE or ESCALATING -> OUTCOME_RECORDED. record_time is the observed time.
ServiceOrder RecordOutcome(UnitOfWork& work, const std::string& id, const Outcome& outcome,
                           const VisitPolicy& policy, const std::string& etag, const Actor& actor, const StepTime& at);

// [B9] OUTCOME_RECORDED -> SIGNED. sign_time is the observed time.
ServiceOrder CaptureSignature(UnitOfWork& work, const std::string& id, const Signature& signature,
                              const VisitPolicy& policy, const std::string& etag, const Actor& actor,
                              const StepTime& at);

// Renders a filed report as its document (the PDF's bytes), given the report's evidence hash.
using DocumentRenderer = std::function<std::string(const ServiceOrder& report, const std::string& report_sha256)>;

// [B10, G5] SIGNED -> COMPLETED: the report is filed at the observed time, its report_sha256
// recorded in the completion event, and its document issued in the same transaction: rendered by
// `render`, stored, and its document_sha256 recorded too. The service always passes a renderer;
// callers without one (tests and tools driving the domain) file the report without a document.
ServiceOrder CompleteVisit(UnitOfWork& work, const std::string& id, const std::string& note,
                           const std::string& etag, const Actor& actor, const StepTime& at,
                           const DocumentRenderer& render = nullptr);

// [B2] Raises the late alert of every order whose technician is overdue; returns how many it
// raised. Safe to run on every replica at once: each alert is raised exactly once.
int RaiseLateAlerts(UnitOfWork& work, const VisitPolicy& policy, const Actor& actor, absl::Time now,
                    int batch = 100);

// A filed report: the order once COMPLETED; NOT_FOUND before.
ServiceOrder GetReport(UnitOfWork& work, const std::string& id, const Actor& actor);

// A filed report's document as issued, and the report's hash as the record stands now.
struct ReportDocument {
  IssuedDocument issued;
  std::string current_report_sha256;
};
// As GetReport; a report filed before documents were issued is NOT_FOUND DOCUMENT_NOT_ISSUED.
ReportDocument GetReportDocument(UnitOfWork& work, const std::string& id, const Actor& actor);

// Pure rules, exposed for unit tests.
Punctuality PunctualityOf(absl::Time arrival, const TimeWindow& window);
// Validates `answers` against the template (paths "checklist[i].item_id" etc.) and returns them
// with label and service_item copied from the template, in template order.
std::vector<ChecklistAnswer> CheckChecklist(const std::vector<ChecklistAnswer>& answers,
                                            const std::vector<ChecklistItem>& checklist, bool complete,
                                            Violations& violations);
// Failed service/modem items of a checklist.
std::vector<std::string> FailedServiceItems(const std::vector<ChecklistAnswer>& answers);

}  // namespace homevisit::domain
