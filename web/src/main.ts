// The console's shell: sign-in, navigation by role, and hash routes (#/tablero, #/escalamientos,
// #/despacho, #/orden/<id>), so the gateway serves one static page.
import { ConnectError } from "@connectrpc/connect";
import { errorText, probeRole, session, type Role } from "./api.js";
import { h, replace } from "./dom.js";
import { renderBoard } from "./board.js";
import { renderEscalations } from "./escalations.js";
import { renderOrder } from "./order.js";
import { renderDispatch } from "./dispatch.js";

const ROLE_LABELS: Record<Role, string> = {
  supervisor: "Supervisor DOT",
  operador: "Operador DOT",
  despachador: "Despachador",
  tecnico: "Técnico",
  admin: "Administrador",
};

interface Page {
  path: string;
  label: string;
  roles: Role[];
}
const PAGES: Page[] = [
  { path: "tablero", label: "Tablero del día", roles: ["supervisor", "operador", "despachador", "tecnico"] },
  { path: "escalamientos", label: "Escalamientos", roles: ["supervisor", "operador"] },
  { path: "despacho", label: "Día del despachador", roles: ["despachador"] },
];

const main = document.getElementById("contenido") as HTMLElement;
const nav = document.getElementById("navegacion") as HTMLElement;
let pageAbort = new AbortController();

function signIn(): void {
  replace(nav);
  const error = h("p", { class: "error", role: "alert", id: "error-entrada" });
  const input = h("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true, "aria-describedby": "ayuda-token" });
  const form = h(
    "form",
    { class: "entrada", "aria-labelledby": "titulo-entrada" },
    h("h1", { id: "titulo-entrada" }, "Entrar a la consola"),
    h("label", { for: "token" }, "Token de acceso"),
    input,
    h("p", { id: "ayuda-token", class: "ayuda" }, "El token que te entregó el administrador. Se guarda sólo en esta pestaña."),
    h("button", { type: "submit" }, "Entrar"),
    error,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    const token = input.value.trim();
    try {
      const role = await probeRole(token);
      if (role === "admin") {
        error.textContent = "La consola es para DOT, despachadores y técnicos; el administrador usa la línea de comandos.";
        return;
      }
      session.save(token, role);
      location.hash = "#/tablero";
      route();
    } catch (e) {
      error.textContent = errorText(ConnectError.from(e));
    }
  });
  replace(main, form);
  input.focus();
}

function renderNav(role: Role, current: string): void {
  replace(
    nav,
    h("span", { class: "marca" }, "Dr. Wifi · Visitas a domicilio"),
    h(
      "ul",
      {},
      ...PAGES.filter((p) => p.roles.includes(role)).map((p) =>
        h("li", {}, h("a", { href: `#/${p.path}`, "aria-current": p.path === current ? "page" : undefined }, p.label)),
      ),
    ),
    h("span", { class: "rol", id: "rol" }, ROLE_LABELS[role]),
    h(
      "button",
      {
        type: "button",
        onclick: () => {
          session.clear();
          location.hash = "#/entrar";
          route();
        },
      },
      "Salir",
    ),
  );
}

function route(): void {
  pageAbort.abort();
  pageAbort = new AbortController();
  const role = session.role();
  if (!session.token() || !role) {
    signIn();
    return;
  }
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const params = new URLSearchParams(query ?? "");
  const [page, arg] = path.split("/");
  renderNav(role, page);
  const signal = pageAbort.signal;
  switch (page) {
    case "orden":
      renderOrder(main, `serviceOrders/${arg}`, role, signal);
      break;
    case "escalamientos":
      renderEscalations(main, role, signal);
      break;
    case "despacho":
      renderDispatch(main, params, signal);
      break;
    default:
      renderBoard(main, role, params, signal);
  }
  main.focus();
}

window.addEventListener("hashchange", route);
route();
