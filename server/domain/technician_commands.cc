#include "domain/technician_commands.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "domain/ids.h"
#include "domain/order_validation.h"
#include "domain/technician_validation.h"

namespace homevisit::domain {
namespace {

[[noreturn]] void ThrowEmployeeNumberTaken() {
  throw DomainError(ErrorKind::kAlreadyExists, "EMPLOYEE_NUMBER_TAKEN",
                    "another technician has this employee number");
}

// A retry carries the same employee number; employee numbers are unique, so a different one
// means the request id was reused for another technician. Comparing only this field keeps a
// late retry working after the technician was updated.
CreateTechnicianResult FirstWithSameRequestId(Technician existing, const Technician& input) {
  if (existing.employee_number != input.employee_number) {
    throw DomainError(ErrorKind::kAlreadyExists, "REQUEST_ID_REUSED",
                      "request_id was already used for a different technician");
  }
  return {std::move(existing), false};
}

void Touch(Technician& technician, const Actor& actor, absl::Time now) {
  technician.update_time = now;
  technician.update_actor = actor.principal;
  ++technician.version;
}

}  // namespace

std::string EtagOf(const Technician& technician) { return absl::StrCat("v", technician.version); }

void CheckEtag(const Technician& technician, const std::string& etag) {
  if (!etag.empty() && etag != EtagOf(technician)) {
    throw DomainError(ErrorKind::kAborted, "ETAG_MISMATCH",
                      "the technician changed since it was read (etag mismatch): read it again and retry");
  }
}

CreateTechnicianResult CreateTechnician(UnitOfWork& work, const Technician& input, const std::string& request_id,
                                        const Actor& actor, absl::Time now) {
  Violations violations;
  if (!request_id.empty()) ValidateRequestId("request_id", request_id, violations);
  Violations technician_violations("technician.");
  ValidateNewTechnician(input, technician_violations);
  for (auto& v : technician_violations.list()) violations.list().push_back(std::move(v));
  violations.ThrowIfAny();

  // Which unique key a create collides with. The request id is read again after the employee
  // number matched: a concurrent retry may have committed between the two reads, and a retry
  // of the same request must get the first technician, not EMPLOYEE_NUMBER_TAKEN.
  auto explain_conflict = [&]() -> std::optional<CreateTechnicianResult> {
    auto by_request = [&]() -> std::optional<CreateTechnicianResult> {
      if (request_id.empty()) return std::nullopt;
      auto existing = work.technicians().FindByRequestId(request_id);
      if (!existing) return std::nullopt;
      return FirstWithSameRequestId(std::move(*existing), input);
    };
    if (auto first = by_request()) return first;
    if (!work.technicians().FindByEmployeeNumber(input.employee_number)) return std::nullopt;
    if (auto first = by_request()) return first;
    ThrowEmployeeNumberTaken();
  };
  if (auto first = explain_conflict()) return std::move(*first);

  Technician t = input;
  NormalizeSchedule(t);
  t.id = NewId();
  t.active = true;
  t.create_time = now;
  t.update_time = now;
  t.version = 1;
  t.update_actor = actor.principal;
  if (!work.technicians().InsertIfNew(t, request_id)) {
    // Another replica took the request id or the employee number between our reads and our
    // insert; the unique keys stopped it, now say which.
    if (auto first = explain_conflict()) return std::move(*first);
    throw DomainError(ErrorKind::kAborted, "CONCURRENT_CREATE", "a concurrent request conflicted; retry");
  }
  return {std::move(t), true};
}

Technician GetTechnician(UnitOfWork& work, const std::string& id) {
  auto technician = work.technicians().Find(id);
  if (!technician) throw DomainError(ErrorKind::kNotFound, "TECHNICIAN_NOT_FOUND", "no such technician");
  return std::move(*technician);
}

Technician UpdateTechnician(UnitOfWork& work, const std::string& id, const Technician& changes,
                            const std::set<std::string>& paths, const std::string& etag, const Actor& actor,
                            absl::Time now) {
  Violations v("technician.");
  for (const auto& path : paths) {
    if (!UpdatableTechnicianPaths().count(path)) {
      throw DomainError(ErrorKind::kInvalidArgument, "INVALID_FIELDS", "invalid request: update_mask",
                        {{"update_mask", absl::StrCat("cannot change ", path)}});
    }
  }
  ValidateTechnicianFields(changes, paths, v);
  v.ThrowIfAny();

  Technician t = GetTechnician(work, id);
  CheckEtag(t, etag);
  int expected = t.version;
  if (paths.count("display_name")) t.display_name = changes.display_name;
  if (paths.count("official_id_type")) t.official_id_type = changes.official_id_type;
  if (paths.count("mobile_phone")) t.mobile_phone = changes.mobile_phone;
  if (paths.count("postal_codes")) t.postal_codes = changes.postal_codes;
  if (paths.count("delegaciones")) t.delegaciones = changes.delegaciones;
  if (paths.count("working_hours")) t.working_hours = changes.working_hours;
  if (paths.count("time_off")) t.time_off = changes.time_off;
  NormalizeSchedule(t);
  Touch(t, actor, now);
  work.technicians().Update(t, expected);
  return t;
}

Technician DeactivateTechnician(UnitOfWork& work, const std::string& id, const std::string& etag,
                                const Actor& actor, absl::Time now) {
  Technician t = GetTechnician(work, id);
  CheckEtag(t, etag);
  if (!t.active) return t;
  // A visit under way is finished by the technician who is there (or escalated) first: their
  // credential must keep working until it is.
  OrderFilter in_progress;
  in_progress.technician_id = id;
  in_progress.states = {OrderState::kOnSite, OrderState::kEscalating, OrderState::kOutcomeRecorded,
                        OrderState::kSigned};
  if (!work.orders().List(in_progress, std::nullopt, 1).empty()) {
    throw DomainError(ErrorKind::kFailedPrecondition, "VISIT_IN_PROGRESS",
                      "the technician has a visit under way: deactivate them once it is completed");
  }
  int expected = t.version;
  t.active = false;
  Touch(t, actor, now);
  work.technicians().Update(t, expected);
  // Someone who no longer works for the provider loses access at once, with the same unit of
  // work; their booked visits stay theirs until the dispatcher reassigns them.
  work.credentials().RevokeAllOfTechnician(id, now);
  return t;
}

}  // namespace homevisit::domain
