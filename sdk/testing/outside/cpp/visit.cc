// A whole visit, intake to filed report, through the installed C++ client (find_package(homevisit),
// homevisit::client) from a project outside the repository. Run by scripts/test-sdks.sh:
//   visit HOST:PORT ADMIN_TOKEN
#include <homevisit/client/client.h>

#include <chrono>
#include <iostream>

using namespace homevisit;

namespace {

std::unique_ptr<client::Client> Connect(const std::string& address, const std::string& token) {
  client::ClientOptions options;
  options.target = address;
  options.token = token;
  return std::move(client::Client::Connect(options)).value();  // throws on failure
}

// One visit step through the client's retry loop (the request carries a request id).
template <typename Request>
void Step(client::Client& c, const Request& request,
          grpc::Status (v1::VisitService::Stub::*method)(grpc::ClientContext*, const Request&, v1::ServiceOrder*)) {
  auto result = c.Call<v1::ServiceOrder>(true, {}, [&](grpc::ClientContext* context, v1::ServiceOrder* out) {
    return (c.visits().*method)(context, request, out);
  });
  (void)result.value();  // throws BadResultAccess with the error
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string address = argv[1];
  try {
    auto admin = Connect(address, argv[2]);
    auto issue = [&](const std::string& principal, v1::Role role, const std::string& technician) {
      v1::Credential credential;
      credential.set_principal(principal);
      credential.set_role(role);
      credential.set_technician(technician);
      return admin->CreateCredential(credential).value().token();
    };
    auto dot = Connect(address, issue("outside-cpp-dot", v1::ROLE_DOT_OPERATOR, ""));
    v1::ServiceOrder order;
    order.set_file_number("EXP-OUTSIDE-CPP");
    order.mutable_subscriber()->set_given_name("Laura");
    order.mutable_subscriber()->set_family_name("Méndez");
    order.mutable_subscriber()->set_email("laura.mendez@example.com");
    auto* address_of = order.mutable_address();
    address_of->set_street("Calle Durango");
    address_of->set_exterior_number("245");
    address_of->set_colonia("Roma Norte");
    address_of->set_delegacion("Cuauhtémoc");
    address_of->set_postal_code("06700");
    const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
    const long long start = (now / 86400 + 2) * 86400 + 16 * 3600;
    order.mutable_requested_window()->mutable_start_time()->set_seconds(start);
    order.mutable_requested_window()->mutable_end_time()->set_seconds(start + 7200);
    order.mutable_receiver()->set_name("Laura Méndez");
    order.mutable_receiver()->set_phone("5512345678");
    order.set_problem_description("La señal de Wi-Fi no llega a las recámaras.");
    order.set_charge(v1::ServiceOrder::CHARGE_FREE);
    const v1::ServiceOrder created = dot->CreateServiceOrder(order).value();

    v1::CheckAvailabilityRequest check;
    check.set_service_order(created.name());
    const v1::CheckAvailabilityResponse offered = dot->CheckAvailability(check).value();
    v1::BookAppointmentRequest book;
    book.set_service_order(created.name());
    *book.mutable_option() = offered.requested_available() ? offered.requested()
                             : offered.same_day_size() > 0 ? offered.same_day(0)
                                                           : offered.other_days(0);
    const v1::ServiceOrder booked = dot->BookAppointment(book).value();

    v1::RecordConfirmationCallRequest confirm;
    confirm.set_service_order(created.name());
    confirm.set_result(v1::ConfirmationCall::RESULT_CONFIRMED);
    confirm.set_request_id(client::NewRequestId());
    Step(*dot, confirm, &v1::VisitService::Stub::RecordConfirmationCall);

    auto tech = Connect(address, issue("outside-cpp-phone", v1::ROLE_TECHNICIAN, booked.appointment().technician()));
    v1::CheckInRequest check_in;
    check_in.set_service_order(created.name());
    check_in.set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
    check_in.set_greeting_given(true);
    check_in.set_vest_worn(true);
    check_in.set_reason_explained(true);
    check_in.set_request_id(client::NewRequestId());
    Step(*tech, check_in, &v1::VisitService::Stub::CheckIn);
    auto checklist = tech->Call<v1::ChecklistTemplate>(true, {}, [&](grpc::ClientContext* c, v1::ChecklistTemplate* r) {
                           return tech->visits().GetChecklistTemplate(c, v1::GetChecklistTemplateRequest(), r);
                         }).value();
    v1::RecordDiagnosisRequest diagnosis;
    diagnosis.set_service_order(created.name());
    diagnosis.mutable_diagnosis()->set_internet_related(true);
    diagnosis.mutable_diagnosis()->set_summary("Módem colgado");
    for (const auto& item : checklist.items()) {
      auto* answer = diagnosis.add_checklist();
      answer->set_item_id(item.item_id());
      answer->set_result(v1::ChecklistAnswer::RESULT_PASS);
    }
    diagnosis.set_request_id(client::NewRequestId());
    Step(*tech, diagnosis, &v1::VisitService::Stub::RecordDiagnosis);
    v1::RecordOutcomeRequest outcome;
    outcome.set_service_order(created.name());
    outcome.mutable_outcome()->set_result(v1::Outcome::RESULT_RESOLVED);
    outcome.mutable_outcome()->set_problem("Sin internet");
    outcome.mutable_outcome()->set_diagnosis("Módem colgado");
    outcome.mutable_outcome()->set_actions_performed("Se reinició el módem");
    outcome.set_request_id(client::NewRequestId());
    Step(*tech, outcome, &v1::VisitService::Stub::RecordOutcome);
    v1::CaptureSignatureRequest sign;
    sign.set_service_order(created.name());
    sign.mutable_signature()->set_refused(true);
    sign.mutable_signature()->set_refusal_reason("No desea firmar");
    sign.set_request_id(client::NewRequestId());
    Step(*tech, sign, &v1::VisitService::Stub::CaptureSignature);
    v1::CompleteVisitRequest complete;
    complete.set_service_order(created.name());
    complete.set_request_id(client::NewRequestId());
    Step(*tech, complete, &v1::VisitService::Stub::CompleteVisit);

    const v1::VisitReport report = dot->GetVisitReport(created.name() + "/visitReport").value();
    if (report.service_order().state() != v1::ServiceOrder::STATE_COMPLETED || report.steps_size() < 6) {
      std::cerr << "outside (c++) failed: the report is not complete\n";
      return 1;
    }
    std::cout << "outside (c++): " << created.name() << " completed, report with " << report.steps_size()
              << " steps\n";
  } catch (const std::exception& e) {
    std::cerr << "outside (c++) failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
