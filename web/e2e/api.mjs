// The test's own calls, through the gateway's REST surface (as a DOT tool without gRPC would
// make them), so the browser only ever sees what others did through the API.
const base = process.env.GATEWAY_URL;

export async function rest(method, path, token, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function issue(principal, role, technician) {
  const res = await rest("POST", "/v1/credentials", process.env.ADMIN_TOKEN, {
    credential: { principal, role, ...(technician ? { technician } : {}) },
  });
  return res.token;
}

/** The next Monday-Saturday at least one day ahead, in Mexico City (the demo technicians' days). */
export function workDay() {
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Mexico_City", year: "numeric", month: "2-digit", day: "2-digit" });
  for (let i = 1; ; i++) {
    const day = fmt.format(new Date(Date.now() + i * 86400000));
    if (new Date(`${day}T12:00:00Z`).getUTCDay() !== 0) return day;
  }
}

let serial = 0;
/** Intake of an order in Benito Juárez (03100, two demo technicians) from HH:00 to HH+2:00 local. */
export async function intake(token, day, hour, fileNumber, givenName) {
  serial++;
  const at = (h) => `${day}T${String(h).padStart(2, "0")}:00:00-06:00`;
  return rest("POST", "/v1/serviceOrders", token, {
    request_id: `web-test-${process.pid}-${serial}`,
    service_order: {
      file_number: fileNumber,
      subscriber: { given_name: givenName, family_name: "Prueba", email: "prueba@example.com" },
      address: { street: "Av. Insurgentes Sur", exterior_number: "1602", colonia: "Crédito Constructor",
                 delegacion: "Benito Juárez", postal_code: "03100" },
      requested_window: { start_time: at(hour), end_time: at(hour + 2) },
      receiver: { name: `${givenName} Prueba`, phone: "5512345678" },
      problem_description: "La señal de Wi-Fi no llega a las recámaras.",
      charge: "CHARGE_FREE",
    },
  });
}

/** Books an order on its requested window, or on the first offer whose technician is not `avoid`. */
export async function book(token, order, avoid) {
  const offer = await rest("POST", `/v1/${order.name}:checkAvailability`, token, {});
  const options = [offer.requested, ...(offer.sameDay ?? []), ...(offer.otherDays ?? [])].filter(Boolean);
  const option = options.find((o) => o.technician !== avoid);
  if (!option) throw new Error(`no option for ${order.name}: ${JSON.stringify(offer)}`);
  serial++;
  return rest("POST", `/v1/${order.name}:book`, token, { option, request_id: `web-book-${process.pid}-${serial}` });
}
