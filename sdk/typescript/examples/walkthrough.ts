// DOT's call in code: intake -> availability -> hold -> book -> report, with @izzi/homevisit.
// Steps the server does not serve yet answer UNIMPLEMENTED; the walk says so and goes on.
//
//   node dist/examples/walkthrough.js [HOST:PORT]   (default 127.0.0.1:50051; token: $HOMEVISIT_TOKEN)
import { randomUUID } from "node:crypto";
import { Code, HomevisitClient, HomevisitError, ServiceOrder_Charge, ServiceOrder_State, type SlotOption } from "../src";

/** Returns undefined when the step is not served yet; rethrows anything else. */
async function step<T>(name: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HomevisitError && error.unimplemented) {
      console.log(`${name}: not served by this server yet (UNIMPLEMENTED), skipping`);
      return undefined;
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const client = new HomevisitClient({
    address: process.argv[2] ?? "127.0.0.1:50051",
    token: process.env.HOMEVISIT_TOKEN,
  });
  try {
    // 1. Intake [S1]. The request id makes the call safe to retry.
    const start = new Date((Math.floor(Date.now() / 86_400_000) + 3) * 86_400_000 + 16 * 3_600_000);
    const order = await client.createServiceOrder(
      {
        fileNumber: "EXP-200511",
        subscriber: { givenName: "Laura", familyName: "Méndez", email: "laura.mendez@example.com" },
        address: { street: "Calle Durango", exteriorNumber: "245", colonia: "Roma Norte", delegacion: "Cuauhtémoc", postalCode: "06700" },
        requestedWindow: { startTime: start, endTime: new Date(start.getTime() + 2 * 3_600_000) },
        receiver: { name: "Laura Méndez", phone: "5512345678" },
        problemDescription: "La señal de Wi-Fi no llega a las recámaras.",
        charge: ServiceOrder_Charge.CHARGE_FREE,
      },
      randomUUID(),
    );
    console.log(`intake: ${order.name} ${ServiceOrder_State[order.state]}`);

    // 2. Availability [S2]: the requested window, or the first alternative.
    const availability = await step("availability", () => client.checkAvailability({ serviceOrder: order.name }));
    let option: SlotOption | undefined;
    if (availability) {
      option = availability.requestedAvailable ? availability.requested : (availability.sameDay[0] ?? availability.otherDays[0]);
      console.log(`availability: requested window ${availability.requestedAvailable ? "free" : "taken"}, ` +
        (option ? `offering ${option.technicianDisplayName}` : "nothing to offer"));
    }

    // 3. Hold the option while the subscriber decides [S2.b], then book it [S3, S4].
    if (option) {
      const hold = await step("hold", () => client.createHold({ serviceOrder: order.name, option }));
      if (hold) console.log(`hold: ${hold.name}`);
      const booked = await step("book", () =>
        client.bookAppointment({ serviceOrder: order.name, requestId: randomUUID(), ...(hold ? { hold: hold.name } : { option }) }),
      );
      if (booked) console.log(`book: ${ServiceOrder_State[booked.state]} with ${booked.appointment?.technicianDisplayName}`);
    }

    // 4. The visit report [G5] exists once the technician completes the visit: until then
    //    NOT_FOUND or FAILED_PRECONDITION, the expected answer here.
    try {
      const report = await step("report", () => client.getVisitReport(order.name));
      if (report) console.log(`report: filed ${report.name}`);
    } catch (error) {
      if (!(error instanceof HomevisitError) || ![Code.NOT_FOUND, Code.FAILED_PRECONDITION].includes(error.code)) throw error;
      console.log(`report: none yet (${error.codeName}): the visit is not completed`);
    }
    console.log("walkthrough: done");
  } finally {
    client.close();
  }
}

main().catch((error) => {
  console.error(`walkthrough failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
