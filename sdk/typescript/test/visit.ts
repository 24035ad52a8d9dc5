// One visit walked from intake to completion, as a DOT operator and the booked technician, so
// that the order's file gets a visit report.
import {
  ChecklistAnswer_Result,
  CheckInRequest,
  CaptureSignatureRequest,
  CompleteVisitRequest,
  ConfirmationCall_Result,
  GetChecklistTemplateRequest,
  HomevisitClient,
  OfficialIdType,
  Outcome_Result,
  RecordConfirmationCallRequest,
  RecordDiagnosisRequest,
  RecordOutcomeRequest,
  Role,
  ServiceOrder_State,
} from "../src";
import type { LiveServer } from "./live_server";
import { validOrder } from "./orders";

/** Walks a visit of `fileNumber` with the DOT operator `dot`; returns the order's name. */
export async function completeVisit(server: LiveServer, dot: HomevisitClient, fileNumber: string): Promise<string> {
  const order = await dot.createServiceOrder(validOrder(2, fileNumber));
  const offered = await dot.checkAvailability({ serviceOrder: order.name });
  const option = (offered.requestedAvailable ? offered.requested : undefined) ?? offered.sameDay[0] ?? offered.otherDays[0];
  if (!option) throw new Error(`no availability for ${order.name}`);
  const booked = await dot.bookAppointment({ serviceOrder: order.name, option });
  const o = { serviceOrder: order.name };
  await dot.unary(dot.visits, "recordConfirmationCall",
    RecordConfirmationCallRequest.fromPartial({ ...o, result: ConfirmationCall_Result.RESULT_CONFIRMED }));
  const tech = new HomevisitClient({
    address: server.address,
    token: await server.issueToken(Role.ROLE_TECHNICIAN, booked.appointment!.technician),
    timeoutMs: 5000,
  });
  try {
    await tech.unary(tech.visits, "checkIn", CheckInRequest.fromPartial({
      ...o, officialIdType: OfficialIdType.OFFICIAL_ID_TYPE_INE, greetingGiven: true, vestWorn: true, reasonExplained: true,
    }));
    const checklist = await tech.unary(tech.visits, "getChecklistTemplate", GetChecklistTemplateRequest.fromPartial({}));
    await tech.unary(tech.visits, "recordDiagnosis", RecordDiagnosisRequest.fromPartial({
      ...o,
      diagnosis: { internetRelated: true, summary: "Módem colgado" },
      checklist: checklist.items.map((item) => ({ itemId: item.itemId, result: ChecklistAnswer_Result.RESULT_PASS })),
    }));
    await tech.unary(tech.visits, "recordOutcome", RecordOutcomeRequest.fromPartial({
      ...o,
      outcome: { result: Outcome_Result.RESULT_RESOLVED, problem: "Sin internet", diagnosis: "Módem colgado",
        actionsPerformed: "Se reinició el módem" },
    }));
    await tech.unary(tech.visits, "captureSignature", CaptureSignatureRequest.fromPartial({
      ...o, signature: { refused: true, refusalReason: "No desea firmar" },
    }));
    const completed = await tech.unary(tech.visits, "completeVisit", CompleteVisitRequest.fromPartial(o));
    if (completed.state !== ServiceOrder_State.STATE_COMPLETED) throw new Error(`${order.name} ended ${completed.state}`);
  } finally {
    tech.close();
  }
  return order.name;
}
