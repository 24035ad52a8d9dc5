#include "api/authorization.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace homevisit::api {
namespace {

using R = domain::Role;

const std::map<std::string, std::set<R>, std::less<>>& Table() {
  // SPEC §1. DOT requests and follows visits; the dispatcher runs technicians and assignment;
  // technicians act on their own visits; the admin only manages credentials.
  const std::set<R> dot = {R::kDotOperator, R::kDotSupervisor};
  const std::set<R> dot_and_dispatch = {R::kDotOperator, R::kDotSupervisor, R::kDispatcher};
  const std::set<R> readers = {R::kDotOperator, R::kDotSupervisor, R::kDispatcher, R::kTechnician};
  const std::set<R> technician = {R::kTechnician};
  const std::set<R> dispatcher = {R::kDispatcher};
  const std::set<R> admin = {R::kAdmin};
  static const std::map<std::string, std::set<R>, std::less<>> table = {
      // ServiceOrderService
      {"CreateServiceOrder", dot_and_dispatch},
      {"GetServiceOrder", readers},
      {"ListServiceOrders", readers},
      {"UpdateServiceOrder", dot},
      {"CancelServiceOrder", dot},
      // TechnicianService
      {"CreateTechnician", dispatcher},
      {"GetTechnician", dispatcher},
      {"ListTechnicians", dispatcher},
      {"UpdateTechnician", dispatcher},
      {"DeactivateTechnician", dispatcher},
      // SchedulingService
      {"CheckAvailability", dot_and_dispatch},
      {"CreateHold", dot_and_dispatch},
      {"ReleaseHold", dot_and_dispatch},
      {"GetHold", dot_and_dispatch},
      {"ListHolds", dot_and_dispatch},
      {"BookAppointment", dot_and_dispatch},
      {"RescheduleAppointment", dot_and_dispatch},
      {"ReassignAppointment", dispatcher},
      // VisitService
      {"RecordConfirmationCall", dot},
      {"RecordFollowUpCall", dot},
      {"CheckIn", technician},
      {"RecordDiagnosis", technician},
      {"RequestEscalation", technician},
      {"RecordConference", {R::kDotSupervisor}},
      {"RecordHandOver", technician},
      {"RecordOutcome", technician},
      {"CaptureSignature", technician},
      {"CompleteVisit", technician},
      {"RenderScript", readers},
      {"GetChecklistTemplate", readers},
      // VisitReportService
      {"GetVisitReport", readers},
      {"ListVisitReports", readers},
      {"GetVisitReportDocument", readers},
      // EventService
      {"ListEvents", dot_and_dispatch},
      {"WatchEvents", dot_and_dispatch},
      // ReportingService: the contract figures, for DOT's supervisors and the provider's office.
      {"GetProgramMetrics", {R::kDotSupervisor, R::kDispatcher}},
      // CredentialService
      {"CreateCredential", admin},
      {"ListCredentials", admin},
      {"RevokeCredential", admin},
  };
  return table;
}

}  // namespace

const std::set<domain::Role>& AllowedRoles(absl::string_view method) {
  static const std::set<domain::Role> nobody;
  auto it = Table().find(method);
  return it == Table().end() ? nobody : it->second;
}

void Authorize(absl::string_view method, const domain::Actor& actor) {
  if (!AllowedRoles(method).count(actor.role)) {
    throw domain::DomainError(domain::ErrorKind::kPermissionDenied, "ROLE_NOT_ALLOWED",
                              absl::StrCat("this credential's role may not call ", method));
  }
}

std::set<std::string> AuthorizedMethods() {
  std::set<std::string> methods;
  for (const auto& [method, roles] : Table()) methods.insert(method);
  return methods;
}

}  // namespace homevisit::api
