"""A whole visit, intake to filed report, through the homevisit wheel installed into a fresh
virtual environment outside the repository, using only the package's public modules.
Run by scripts/test-sdks.sh:   python visit.py HOST:PORT ADMIN_TOKEN
"""

import sys
import time

import homevisit
from homevisit.v1 import common_pb2, credential_pb2, service_order_pb2, service_order_service_pb2 as sos
from homevisit.v1 import scheduling_service_pb2 as sched, visit_pb2, visit_report_pb2, visit_service_pb2 as vs
from google.protobuf import timestamp_pb2


def main() -> None:
    address, admin_token = sys.argv[1], sys.argv[2]
    with homevisit.Client(address, insecure=True, token=admin_token) as admin:

        def issue(principal: str, role: int, technician: str = "") -> str:
            credential = credential_pb2.Credential(principal=principal, role=role, technician=technician)
            return admin.credentials.CreateCredential(credential_pb2.CreateCredentialRequest(credential=credential)).token

        with homevisit.Client(address, insecure=True, token=issue("outside-py-dot", common_pb2.ROLE_DOT_OPERATOR)) as dot:
            start = (int(time.time()) // 86400 + 2) * 86400 + 16 * 3600
            order = dot.service_orders.CreateServiceOrder(sos.CreateServiceOrderRequest(service_order=service_order_pb2.ServiceOrder(
                file_number="EXP-OUTSIDE-PY",
                subscriber=service_order_pb2.Subscriber(given_name="Laura", family_name="Méndez", email="laura.mendez@example.com"),
                address=service_order_pb2.Address(street="Calle Durango", exterior_number="245", colonia="Roma Norte",
                                           delegacion="Cuauhtémoc", postal_code="06700"),
                requested_window=common_pb2.TimeWindow(start_time=timestamp_pb2.Timestamp(seconds=start),
                                                       end_time=timestamp_pb2.Timestamp(seconds=start + 7200)),
                receiver=service_order_pb2.Receiver(name="Laura Méndez", phone="5512345678"),
                problem_description="La señal de Wi-Fi no llega a las recámaras.",
                charge=service_order_pb2.ServiceOrder.CHARGE_FREE)))
            offered = dot.scheduling.CheckAvailability(sched.CheckAvailabilityRequest(service_order=order.name))
            option = offered.requested if offered.requested_available else (list(offered.same_day) + list(offered.other_days))[0]
            booked = dot.scheduling.BookAppointment(sched.BookAppointmentRequest(service_order=order.name, option=option))
            dot.visits.RecordConfirmationCall(vs.RecordConfirmationCallRequest(
                service_order=order.name, result=visit_pb2.ConfirmationCall.RESULT_CONFIRMED))

            phone = issue("outside-py-phone", common_pb2.ROLE_TECHNICIAN, booked.appointment.technician)
            with homevisit.Client(address, insecure=True, token=phone) as tech:
                tech.visits.CheckIn(vs.CheckInRequest(service_order=order.name, official_id_type=common_pb2.OFFICIAL_ID_TYPE_INE,
                                                      greeting_given=True, vest_worn=True, reason_explained=True))
                checklist = tech.visits.GetChecklistTemplate(vs.GetChecklistTemplateRequest())
                tech.visits.RecordDiagnosis(vs.RecordDiagnosisRequest(
                    service_order=order.name,
                    diagnosis=visit_pb2.Diagnosis(internet_related=True, summary="Módem colgado"),
                    checklist=[visit_pb2.ChecklistAnswer(item_id=i.item_id, result=visit_pb2.ChecklistAnswer.RESULT_PASS)
                               for i in checklist.items]))
                tech.visits.RecordOutcome(vs.RecordOutcomeRequest(service_order=order.name, outcome=visit_pb2.Outcome(
                    result=visit_pb2.Outcome.RESULT_RESOLVED, problem="Sin internet", diagnosis="Módem colgado",
                    actions_performed="Se reinició el módem")))
                tech.visits.CaptureSignature(vs.CaptureSignatureRequest(
                    service_order=order.name, signature=visit_pb2.Signature(refused=True, refusal_reason="No desea firmar")))
                completed = tech.visits.CompleteVisit(vs.CompleteVisitRequest(service_order=order.name))
                assert completed.state == service_order_pb2.ServiceOrder.STATE_COMPLETED, completed.state

            report = dot.visit_reports.GetVisitReport(visit_report_pb2.GetVisitReportRequest(name=order.name + "/visitReport"))
            assert len(report.steps) >= 6, len(report.steps)
            print(f"outside (python): {order.name} completed, report with {len(report.steps)} steps")


if __name__ == "__main__":
    main()
