// The console in a real browser (Debian's chromium, headless, driven by playwright-core) against
// a real homevisitd behind the gateway: web/test.sh starts both and sets the environment.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { book, intake, issue, rest, workDay } from "./api.mjs";

const base = process.env.GATEWAY_URL;
const shots = process.env.WEB_SCREENSHOTS;
mkdirSync(shots, { recursive: true });
const LIVE = 2000; // what "live" means here: an API change shows in the page within 2 s

let browser;
const day = workDay();
const tokens = {};
let supervisorPage;
let order; // the order the board follows from intake to escalation

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  tokens.operator = await issue("web-dot-1", "ROLE_DOT_OPERATOR");
  tokens.supervisor = await issue("web-supervisor-1", "ROLE_DOT_SUPERVISOR");
  tokens.dispatcher = await issue("web-dispatch-1", "ROLE_DISPATCHER");
});

after(async () => {
  await browser?.close();
});

async function signIn(token, viewport = { width: 1400, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: "es-MX", timezoneId: "America/Mexico_City" });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(`${base}/`);
  await page.getByLabel("Token de acceso").fill(token);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.locator("#rol").waitFor();
  return page;
}

const card = (page, o) => page.locator(`li.tarjeta[data-orden="${o.name}"]`);
const column = (page, id) => page.locator(`section[data-columna="${id}"]`);

test("a supervisor signs in; the token stays in the tab only", async () => {
  supervisorPage = await signIn(tokens.supervisor);
  const page = supervisorPage;
  assert.equal(await page.locator("#rol").textContent(), "Supervisor DOT");
  assert.ok(await page.getByRole("link", { name: "Escalamientos" }).isVisible());
  assert.equal(await page.getByRole("link", { name: "Día del despachador" }).count(), 0);
  const stored = await page.evaluate(() => ({ session: sessionStorage.getItem("homevisit.token"), local: localStorage.length }));
  assert.equal(stored.session, tokens.supervisor);
  assert.equal(stored.local, 0);
  // A wrong token is refused with a message, and nothing is kept.
  const context = await browser.newContext();
  const other = await context.newPage();
  await other.goto(`${base}/`);
  await other.screenshot({ path: `${shots}/entrar.png` });
  await other.getByLabel("Token de acceso").fill("hv_not-a-token");
  await other.keyboard.press("Enter");
  await other.getByRole("alert").filter({ hasText: "no es válido" }).waitFor();
  assert.equal(await other.evaluate(() => sessionStorage.length), 0);
  await context.close();
});

test("an order created through the API appears on the board within 2 s", async () => {
  const page = supervisorPage;
  await page.goto(`${base}/#/tablero?dia=${day}`);
  await page.locator('#estado-en-vivo[data-estado="en vivo"]').waitFor();
  order = await intake(tokens.operator, day, 10, "EXP-500100", "Lucía");
  await card(page, order).waitFor({ timeout: LIVE });
  assert.equal(await column(page, "solicitadas").locator(`[data-orden="${order.name}"]`).count(), 1);
  await page.locator(".aviso", { hasText: "Orden creada" }).first().waitFor({ timeout: LIVE });
});

test("booking, confirmation and a check-in through the API move the card live", async () => {
  const page = supervisorPage;
  order = await book(tokens.operator, order);
  await column(page, "agendadas").locator(`[data-orden="${order.name}"]`).waitFor({ timeout: LIVE });
  assert.match(await card(page, order).textContent(), new RegExp(order.appointment.technicianDisplayName));

  tokens.technician = await issue("web-phone-1", "ROLE_TECHNICIAN", order.appointment.technician);
  await rest("POST", `/v1/${order.name}:recordConfirmationCall`, tokens.operator, { result: "RESULT_CONFIRMED" });
  await rest("POST", `/v1/${order.name}:checkIn`, tokens.technician, {
    greeting_given: true, vest_worn: true, official_id_type: "OFFICIAL_ID_TYPE_INE", reason_explained: true,
  });
  await column(page, "en-sitio").locator(`[data-orden="${order.name}"]`).waitFor({ timeout: LIVE });
  await page.locator(".aviso", { hasText: "Técnico en sitio" }).first().waitFor({ timeout: LIVE });
});

test("an escalation request stands out and the supervisor records the conference from the queue", async () => {
  const page = supervisorPage;
  const checklist = ["modem_power_lights", "cabling", "modem_signal_levels", "wired_speed_test", "wifi_test_near_modem", "modem_restart", "area_outage"]
    .map((id) => ({ item_id: id, result: id === "cabling" ? "RESULT_FAIL" : id === "area_outage" ? "RESULT_NOT_APPLICABLE" : "RESULT_PASS" }));
  await rest("POST", `/v1/${order.name}:recordDiagnosis`, tokens.technician, {
    diagnosis: { internet_related: true, summary: "Desconexiones cada hora" }, checklist,
  });
  await rest("POST", `/v1/${order.name}:requestEscalation`, tokens.technician, { phone_used: "PHONE_USED_SUBSCRIBER_LINE" });

  // On the board: the card moves to "Escalando", marked, and the notice stands out.
  const escalating = column(page, "escalando").locator(`[data-orden="${order.name}"]`);
  await escalating.waitFor({ timeout: LIVE });
  assert.ok(await escalating.locator(".insignia-escalamiento").isVisible());
  await page.locator(".aviso-escalamiento", { hasText: "Escalamiento solicitado" }).first().waitFor({ timeout: LIVE });
  await page.screenshot({ path: `${shots}/tablero.png`, fullPage: true });

  // The queue, by keyboard: the nav link, then the form.
  await page.getByRole("link", { name: "Escalamientos" }).click();
  const item = page.locator(`#cola-escalamientos li[data-orden="${order.name}"]`);
  await item.waitFor({ timeout: LIVE });
  await page.screenshot({ path: `${shots}/escalamientos.png`, fullPage: true });
  await item.getByLabel("Agente de soporte izzi").fill("Jorge Ruiz");
  await item.getByLabel("Agente de soporte izzi").press("Enter");
  await page.locator("#confirmacion", { hasText: "registrada con Jorge Ruiz" }).waitFor();
  const stored = await rest("GET", `/v1/${order.name}`, tokens.operator);
  assert.equal(stored.visit.escalation.supportAgent, "Jorge Ruiz");
  assert.equal(stored.visit.escalation.conferenceActor, "web-supervisor-1");
  // Recorded: it leaves the queue.
  await page.locator(`#cola-escalamientos li[data-orden="${order.name}"]`).waitFor({ state: "detached", timeout: 5000 });
});

test("the order page shows the intake, the visit and the events", async () => {
  const page = supervisorPage;
  await page.goto(`${base}/#/orden/${order.name.split("/")[1]}`);
  await page.getByRole("heading", { name: "Solicitud" }).waitFor();
  assert.match(await page.locator("#estado-orden").textContent(), /Escalando/);
  const text = await page.locator("main").textContent();
  assert.match(text, /Lucía Prueba/);
  assert.match(text, /Jorge Ruiz/);
  await page.locator("#eventos li", { hasText: "Conferencia establecida" }).waitFor();
  await page.screenshot({ path: `${shots}/orden.png`, fullPage: true });
});

test("a completion stands out on the board; the order page shows the report and its PDF", async () => {
  const page = supervisorPage;
  await page.goto(`${base}/#/tablero?dia=${day}`);
  await page.locator('#estado-en-vivo[data-estado="en vivo"]').waitFor();
  const as = (verb, body) => rest("POST", `/v1/${order.name}:${verb}`, tokens.technician, body);
  await as("recordHandOver", { note: "Se explicó la falla de cableado" });
  await as("recordOutcome", { outcome: { result: "RESULT_ESCALATED", problem: "Desconexiones", diagnosis: "Cableado dañado",
                                         actions_performed: "Pruebas y conferencia con soporte izzi" } });
  await as("captureSignature", { signature: { signer_name: "Lucía Prueba",
    image_png: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=" } });
  await as("complete", { note: "Trabajos concluidos" });
  const done = column(page, "completadas").locator(`[data-orden="${order.name}"]`);
  await done.waitFor({ timeout: LIVE });
  assert.match(await done.getAttribute("class"), /resaltada-completada/);
  await page.locator(".aviso-completada", { hasText: "Visita completada" }).first().waitFor({ timeout: LIVE });

  await done.getByRole("link").click();
  await page.getByRole("heading", { name: "Reporte" }).waitFor();
  assert.match(await page.locator("#estado-orden").textContent(), /Completada/);
  assert.ok((await page.locator(".pasos li").count()) >= 9, "the report lists every step");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Descargar PDF" }).click()]);
  const pdf = await download.createReadStream();
  const chunks = [];
  for await (const c of pdf) chunks.push(c);
  assert.equal(Buffer.concat(chunks).subarray(0, 5).toString(), "%PDF-");
  await page.screenshot({ path: `${shots}/reporte.png`, fullPage: true });
});

test("a late alert stands out on the board as the sweep raises it", async () => {
  // web/test.sh runs homevisitd with --late_tolerance_minutes 0: a technician not checked in by
  // the window start is late. The API takes only windows that start in the future, so the order
  // asks for one starting in 20 s, with a technician of its own (every hour of every day, in a
  // postal code nobody else covers) so that it is free now whatever the time.
  const page = supervisorPage;
  const start = new Date(Date.now() + 20000);
  const startDay = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Mexico_City" }).format(start);
  await page.goto(`${base}/#/tablero?dia=${startDay}`);
  await page.locator('#estado-en-vivo[data-estado="en vivo"]').waitFor();
  const allDay = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    .map((d) => ({ day_of_week: d, start_time: { hours: 0 }, end_time: { hours: 24 } }));
  const technician = await rest("POST", "/v1/technicians", tokens.dispatcher, { technician: {
    display_name: "Ana Retraso", employee_number: `DRW-LATE-${process.pid}`, official_id_type: "OFFICIAL_ID_TYPE_INE",
    mobile_phone: "5587654321", postal_codes: ["01000"], working_hours: allDay } });
  const late = await rest("POST", "/v1/serviceOrders", tokens.operator, {
    request_id: `web-late-${process.pid}`,
    service_order: {
      file_number: "EXP-500500",
      subscriber: { given_name: "Sofía", family_name: "Prueba", email: "prueba@example.com" },
      address: { street: "Av. Revolución", exterior_number: "1500", colonia: "San Ángel", delegacion: "Álvaro Obregón", postal_code: "01000" },
      requested_window: { start_time: start.toISOString(), end_time: new Date(start.getTime() + 7200000).toISOString() },
      receiver: { name: "Sofía Prueba", phone: "5512345678" },
      problem_description: "Sin internet desde la mañana.",
      charge: "CHARGE_FREE",
    },
  });
  const offer = await rest("POST", `/v1/${late.name}:checkAvailability`, tokens.operator, {});
  assert.equal(offer.requested?.technician, technician.name, JSON.stringify(offer));
  await rest("POST", `/v1/${late.name}:book`, tokens.operator, { option: offer.requested, request_id: `web-late-book-${process.pid}` });
  await card(page, late).waitFor({ timeout: LIVE });
  assert.doesNotMatch(await card(page, late).getAttribute("class"), /tarjeta-retraso/);

  // The window starts; within one sweep (5 s) and the watch's poll the card and a notice stand out.
  const wait = start.getTime() - Date.now() + 5000 + LIVE;
  const marked = page.locator(`li.tarjeta.tarjeta-retraso[data-orden="${late.name}"]`);
  await marked.waitFor({ timeout: wait });
  assert.match(await marked.locator(".insignia-retraso").textContent(), /^Retraso desde /);
  await page.locator(".aviso-retraso", { hasText: "Técnico con retraso" }).filter({ hasText: "EXP-500500" }).first().waitFor({ timeout: LIVE });
  await page.screenshot({ path: `${shots}/tablero-retraso.png`, fullPage: true });
});

test("a technician's token sees only their own visits", async () => {
  // Another order at the same time: the first technician is busy, so it goes to the other one.
  const other = await book(tokens.operator, await intake(tokens.operator, day, 10, "EXP-500200", "Tomás"), order.appointment.technician);
  assert.notEqual(other.appointment.technician, order.appointment.technician);
  const page = await signIn(tokens.technician, { width: 820, height: 1180 }); // a tablet
  assert.equal(await page.locator("#rol").textContent(), "Técnico");
  assert.equal(await page.getByRole("link", { name: "Escalamientos" }).count(), 0);
  await page.goto(`${base}/#/tablero?dia=${day}`);
  await card(page, order).waitFor();
  assert.equal(await card(page, other).count(), 0);
  assert.equal(await page.locator("li.tarjeta").count(), 1);
  await page.screenshot({ path: `${shots}/tecnico.png`, fullPage: true });
  await page.context().close();
});

test("a dispatcher sees DOT's hold in the day and books an order from an availability search", async () => {
  // DOT holds a same-day option through the API while it talks to the subscriber.
  const held = await intake(tokens.operator, day, 12, "EXP-500400", "Raúl");
  const offer = await rest("POST", `/v1/${held.name}:checkAvailability`, tokens.operator, {});
  const option = offer.requested ?? offer.sameDay?.[0];
  assert.ok(option, `no same-day option: ${JSON.stringify(offer)}`);
  const hold = await rest("POST", "/v1/holds", tokens.operator, { service_order: held.name, option });
  const waiting = await intake(tokens.operator, day, 15, "EXP-500300", "Elena");
  const page = await signIn(tokens.dispatcher);
  await page.getByRole("link", { name: "Día del despachador" }).click();
  await page.goto(`${base}/#/despacho?dia=${day}`);
  await page.locator("table.dia tbody tr").first().waitFor();
  // The hold shows in its technician's row, apart from appointments and labelled for a screen reader.
  const heldCells = page.locator(`tr[data-tecnico="${option.technician}"] td.celda-apartado[data-apartado="${hold.name}"]`);
  await heldCells.first().waitFor({ timeout: LIVE });
  assert.equal(await heldCells.count(), 2, "a two-hour window covers two hour columns");
  assert.equal(await page.locator(`td.celda-cita[data-apartado]`).count(), 0);
  const label = await heldCells.first().getByRole("link").getAttribute("aria-label");
  assert.match(label, new RegExp(`^Apartado .* para la orden ${held.name.split("/")[1]}, vence a las `));
  await page.screenshot({ path: `${shots}/despacho-apartado.png`, fullPage: true });
  await page.getByLabel("Orden por agendar").selectOption(waiting.name);
  await page.getByRole("button", { name: "Buscar disponibilidad" }).click();
  await page.getByRole("group", { name: "Horarios disponibles" }).waitFor();
  await page.getByRole("button", { name: "Apartar" }).click();
  await page.locator("#estado-agenda", { hasText: "Apartado hasta" }).waitFor();
  await page.getByRole("button", { name: "Agendar" }).click();
  await page.locator("#estado-agenda", { hasText: "Agendada con" }).waitFor();
  const stored = await rest("GET", `/v1/${waiting.name}`, tokens.operator);
  assert.equal(stored.state, "STATE_SCHEDULED");
  await page.locator(`table.dia a`, { hasText: "EXP-500300" }).first().waitFor({ timeout: LIVE });
  await page.screenshot({ path: `${shots}/despacho.png`, fullPage: true });
  await page.context().close();
});
