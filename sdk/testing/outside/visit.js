// A whole visit, intake to filed report, through @izzi/homevisit installed from its packed
// tarball into a project outside the repository, using only the package's public entry point.
// Run by scripts/test-sdks.sh:   node visit.js HOST:PORT ADMIN_TOKEN
"use strict";
const h = require("@izzi/homevisit");

async function main() {
  const [address, adminToken] = process.argv.slice(2);
  const clients = [];
  const connect = (token) => {
    const c = new h.HomevisitClient({ address, token });
    clients.push(c);
    return c;
  };
  const admin = connect(adminToken);
  const issue = async (principal, role, technician = "") =>
    (await admin.unary(admin.credentials, "createCredential",
      h.CreateCredentialRequest.fromPartial({ credential: { principal, role, technician } }))).token;
  try {
    const dot = connect(await issue("outside-ts-dot", h.Role.ROLE_DOT_OPERATOR));
    const start = new Date((Math.floor(Date.now() / 86_400_000) + 2) * 86_400_000 + 16 * 3_600_000);
    const order = await dot.createServiceOrder({
      fileNumber: "EXP-OUTSIDE-TS",
      subscriber: { givenName: "Laura", familyName: "Méndez", email: "laura.mendez@example.com" },
      address: { street: "Calle Durango", exteriorNumber: "245", colonia: "Roma Norte", delegacion: "Cuauhtémoc",
                 postalCode: "06700" },
      requestedWindow: { startTime: start, endTime: new Date(start.getTime() + 2 * 3_600_000) },
      receiver: { name: "Laura Méndez", phone: "5512345678" },
      problemDescription: "La señal de Wi-Fi no llega a las recámaras.",
      charge: h.ServiceOrder_Charge.CHARGE_FREE,
    });
    const offered = await dot.checkAvailability({ serviceOrder: order.name });
    const option = offered.requested ?? offered.sameDay[0] ?? offered.otherDays[0];
    const booked = await dot.bookAppointment({ serviceOrder: order.name, option });
    const o = { serviceOrder: order.name };
    await dot.unary(dot.visits, "recordConfirmationCall", h.RecordConfirmationCallRequest.fromPartial(
      { ...o, result: h.ConfirmationCall_Result.RESULT_CONFIRMED }));

    const tech = connect(await issue("outside-ts-phone", h.Role.ROLE_TECHNICIAN, booked.appointment.technician));
    await tech.unary(tech.visits, "checkIn", h.CheckInRequest.fromPartial(
      { ...o, officialIdType: h.OfficialIdType.OFFICIAL_ID_TYPE_INE, greetingGiven: true, vestWorn: true,
        reasonExplained: true }));
    const checklist = await tech.unary(tech.visits, "getChecklistTemplate", h.GetChecklistTemplateRequest.fromPartial({}));
    await tech.unary(tech.visits, "recordDiagnosis", h.RecordDiagnosisRequest.fromPartial({
      ...o, diagnosis: { internetRelated: true, summary: "Módem colgado" },
      checklist: checklist.items.map((item) => ({ itemId: item.itemId, result: h.ChecklistAnswer_Result.RESULT_PASS })),
    }));
    await tech.unary(tech.visits, "recordOutcome", h.RecordOutcomeRequest.fromPartial({
      ...o, outcome: { result: h.Outcome_Result.RESULT_RESOLVED, problem: "Sin internet", diagnosis: "Módem colgado",
                       actionsPerformed: "Se reinició el módem" } }));
    await tech.unary(tech.visits, "captureSignature", h.CaptureSignatureRequest.fromPartial(
      { ...o, signature: { refused: true, refusalReason: "No desea firmar" } }));
    const completed = await tech.unary(tech.visits, "completeVisit", h.CompleteVisitRequest.fromPartial(o));
    if (completed.state !== h.ServiceOrder_State.STATE_COMPLETED) throw new Error(`ended ${completed.state}`);

    const report = await dot.getVisitReport(order.name);
    if (report.steps.length < 6) throw new Error(`the report lists ${report.steps.length} steps`);
    console.log(`outside (typescript): ${order.name} completed, report with ${report.steps.length} steps`);
  } finally {
    for (const c of clients) c.close();
  }
}

main().catch((error) => {
  console.error(`outside (typescript) failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
