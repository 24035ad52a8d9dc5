// A complete, valid intake whose requested window starts `daysAhead` days from now, on the hour.
import { randomUUID } from "node:crypto";
import { type DeepPartial, type ServiceOrder, ServiceOrder_Charge } from "../src";

export function validOrder(daysAhead = 2, fileNumber = `EXP-${randomUUID().slice(0, 8)}`): DeepPartial<ServiceOrder> {
  const start = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + daysAhead * 86_400_000);
  return {
    fileNumber,
    subscriber: { givenName: "Laura", familyName: "Méndez", email: "laura.mendez@example.com" },
    address: {
      street: "Calle Durango",
      exteriorNumber: "245",
      interiorNumber: "3",
      colonia: "Roma Norte",
      delegacion: "Cuauhtémoc",
      postalCode: "06700",
      references: "Portón negro",
    },
    requestedWindow: { startTime: start, endTime: new Date(start.getTime() + 2 * 3_600_000) },
    receiver: { name: "Laura Méndez", phone: "5512345678" },
    problemDescription: "La señal de Wi-Fi no llega a las recámaras.",
    charge: ServiceOrder_Charge.CHARGE_FREE,
  };
}
