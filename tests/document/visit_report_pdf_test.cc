// The visit report's PDF without a server: deterministic bytes, every page rendered, and a
// report as long as the limits allow laid out inside its pages (pdftotext -bbox).
#include "document/visit_report_pdf.h"

#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "document/pdf_tools.h"
#include "domain/png_image.h"
#include "domain/report_evidence.h"
#include "domain/visit_commands.h"

namespace homevisit::document {
namespace {

using homevisit::testing::PdfPages;
using homevisit::testing::PdfText;
using homevisit::testing::PdfWords;
using homevisit::testing::RenderedPages;
using homevisit::testing::ScratchDir;
using homevisit::testing::Squeezed;

absl::Time At(int hour, int minute) { return absl::FromCivil(absl::CivilMinute(2026, 3, 9, hour, minute), absl::UTCTimeZone()); }

// A completed escalated visit with every part recorded; `long_texts` fills each text to its limit.
domain::ServiceOrder Report(bool long_texts) {
  domain::ServiceOrder o;
  o.id = "01JQ2Z8K4M7XH3V5N9RYB6TC0D";
  auto& in = o.intake;
  in.file_number = "EXP-2026-0042";
  in.given_name = "María José";
  in.family_name = "Pérez Núñez";
  in.email = "maria.perez@example.com";
  in.address = {"Avenida Insurgentes Sur", "1602", "4B", "Crédito Constructor", "Benito Juárez", "03940",
                "Edificio gris, frente al parque"};
  in.requested_window = {At(16, 0), At(18, 0)};
  in.receiver_name = "Juan Pérez";
  in.receiver_phone = "5512345678";
  in.problem_description = "El internet se corta varias veces al día y la velocidad es menor a la contratada.";
  in.charge = domain::Charge::kFree;
  o.state = domain::OrderState::kCompleted;
  o.create_time = At(14, 0);
  o.update_time = At(19, 30);
  o.appointment = domain::Appointment{"tech-7", "Luis Hernández", {At(16, 0), At(18, 0)}, At(14, 5)};
  auto& v = o.visit;
  v.confirmation_call = domain::ConfirmationCall{domain::CallResult::kConfirmed, "Confirmó por teléfono", At(15, 0), "dot-ana"};
  v.follow_up_call = domain::FollowUpCall{true, "", At(16, 20), "dot-ana"};
  v.check_in = domain::CheckIn{At(16, 10), domain::Punctuality::kOnTime, true, true, 1, true};
  v.diagnosis = domain::Diagnosis{true, "Niveles de señal fuera de rango", At(16, 30)};
  for (const auto& item : domain::DefaultChecklist()) {
    domain::ChecklistAnswer a{item.item_id, item.label, domain::CheckResult::kPass, "95 Mbps / 10 Mbps / 12 ms", "",
                              item.service_item};
    if (item.item_id == "modem_signal_levels") a.result = domain::CheckResult::kFail;
    v.checklist.push_back(a);
  }
  v.escalation = domain::Escalation{domain::PhoneUsed::kSubscriberLine, At(16, 40), "Agente Soporte 117", At(16, 50),
                                    "dot-supervisora", At(17, 0), "Expliqué los niveles de señal"};
  v.outcome = domain::Outcome{domain::OutcomeResult::kEscalated, "Cortes de internet", "Señal baja del módem",
                              "Revisé cableado y reinicié el módem", domain::ReasonCategory::kUnspecified, "", At(17, 5)};
  v.signature = domain::Signature{"María José Pérez Núñez", domain::MakeGrayPng(320, 120), At(17, 10), false, ""};
  v.completion = domain::Completion{At(17, 15), "Sin pendientes"};
  if (long_texts) {
    std::string problem;
    for (int i = 0; problem.size() < domain::kMaxVisitTextChars - 40; ++i) {
      absl::StrAppend(&problem, "Descripción ", i, " del problema con palabras largas como supercalifragilístico. ");
    }
    in.problem_description = absl::StrCat(problem, "FINDELPROBLEMA");
    in.address.references = std::string(480, 'r') + " FINREFERENCIAS";
    for (auto& a : v.checklist) {
      a.measured_value = absl::StrCat(std::string(180, 'm'), " FINVALOR", a.item_id.size());
      a.note = absl::StrCat(std::string(1900, 'n'), " FINNOTA", a.item_id);
    }
    v.outcome->actions_performed = absl::StrCat(std::string(3900, 'a'), " FINACCIONES");
    v.escalation->hand_over_note = absl::StrCat(std::string(1900, 'h'), " FINENTREGA");
    v.completion->note = absl::StrCat(std::string(1900, 'c'), " FINNOTADOT");
  }
  return o;
}

DocumentContext ContextFor(const domain::ServiceOrder& order) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("America/Mexico_City", &tz));
  return {tz, "America/Mexico_City", domain::ReportSha256(order)};
}

TEST(VisitReportPdfTest, TheSameReportRendersToTheSameBytes) {
  const domain::ServiceOrder order = Report(false);
  const std::string first = RenderVisitReportPdf(order, ContextFor(order));
  const std::string second = RenderVisitReportPdf(order, ContextFor(order));
  ASSERT_GT(first.size(), 1000u);
  EXPECT_EQ(first.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(first, second);
  // The fixed dates are the completion's, not the clock's (cairo 1.16 writes them without "D:").
  EXPECT_NE(first.find("/CreationDate (20260309171500Z)"), std::string::npos);

  domain::ServiceOrder changed = order;
  changed.visit.completion->note = "Otra nota";
  EXPECT_NE(RenderVisitReportPdf(changed, ContextFor(changed)), first);
}

TEST(VisitReportPdfTest, ShowsTheFieldsTimesInTheServiceZoneAndTheEvidenceOnEveryPage) {
  const domain::ServiceOrder order = Report(false);
  const DocumentContext context = ContextFor(order);
  ScratchDir dir;
  const std::string file = dir.File("report.pdf", RenderVisitReportPdf(order, context));
  const std::string text = Squeezed(PdfText(file));
  for (const char* expected :
       {"Reporte de visita a domicilio", "serviceOrders/01JQ2Z8K4M7XH3V5N9RYB6TC0D", "EXP-2026-0042",
        "María José Pérez Núñez", "Avenida Insurgentes Sur 1602 int. 4B, col. Crédito Constructor, Benito Juárez, C.P. 03940",
        "Luis Hernández (technicians/tech-7)", "09/03/2026 10:00 a 12:00",  // 16:00 UTC is 10:00 in Mexico City
        "confirmada por el suscriptor", "registró dot-ana", "puntual (dentro de la ventana)",
        "credencial para votar (INE)", "Niveles de señal del módem", "Falla", "95 Mbps / 10 Mbps / 12 ms",
        "ESCALADO A SOPORTE TÉCNICO IZZI", "Agente Soporte 117", "supervisor DOT dot-supervisora",
        "línea del suscriptor", "Revisé cableado y reinicié el módem", "Firmó: María José Pérez Núñez",
        "09/03/2026 11:15:00", "America/Mexico_City"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected;
  }
  const int pages = PdfPages(file);
  ASSERT_GE(pages, 1);
  for (int page = 1; page <= pages; ++page) {
    std::string page_text =
        homevisit::testing::RunCommand(absl::StrCat("pdftotext -f ", page, " -l ", page, " '", file, "' -")).output;
    EXPECT_NE(page_text.find(context.report_sha256), std::string::npos) << "page " << page;
    EXPECT_NE(page_text.find(absl::StrCat("Página ", page, " de ", pages)), std::string::npos) << "page " << page;
  }
  EXPECT_EQ(RenderedPages(file, dir.path()), pages);
}

TEST(VisitReportPdfTest, ALongReportWithEveryChecklistItemStaysInsideItsPages) {
  const domain::ServiceOrder order = Report(true);
  ScratchDir dir;
  const std::string file = dir.File("long.pdf", RenderVisitReportPdf(order, ContextFor(order)));
  const int pages = PdfPages(file);
  ASSERT_GT(pages, 2);
  EXPECT_EQ(RenderedPages(file, dir.path()), pages);

  const auto words = PdfWords(file);
  ASSERT_FALSE(words.empty());
  for (const auto& w : words) {
    // Inside the page, and inside the side margins (50 pt) with a point of tolerance.
    EXPECT_GE(w.x_min, 49) << w.text << " page " << w.page;
    EXPECT_LE(w.x_max, w.page_width - 49) << w.text << " page " << w.page;
    EXPECT_GE(w.y_min, 0) << w.text << " page " << w.page;
    EXPECT_LE(w.y_max, w.page_height) << w.text << " page " << w.page;
  }
  // Nothing was cut: the last word of every long text is there, and every checklist item.
  const std::string text = Squeezed(PdfText(file));
  for (const char* end : {"FINDELPROBLEMA", "FINREFERENCIAS", "FINACCIONES", "FINENTREGA", "FINNOTADOT"}) {
    EXPECT_NE(text.find(end), std::string::npos) << end;
  }
  for (const auto& item : domain::DefaultChecklist()) {
    EXPECT_NE(text.find(item.label), std::string::npos) << item.label;
    EXPECT_NE(text.find(absl::StrCat("FINNOTA", item.item_id)), std::string::npos) << item.item_id;
  }
  // A page the checklist continues on repeats the table's header.
  std::set<int> row_pages, header_pages;
  for (const auto& w : words) {
    if (w.text.rfind("FINVALOR", 0) == 0) row_pages.insert(w.page);
    if (w.text == "medido") header_pages.insert(w.page);
  }
  EXPECT_GT(row_pages.size(), 1u);  // the table does continue on another page
  for (int page : row_pages) EXPECT_TRUE(header_pages.count(page)) << "no table header on page " << page;
  // Body text never runs into the footer band (it starts 10 pt above the footer rule).
  for (const auto& w : words) {
    if (w.text.find("FIN") == 0) {
      EXPECT_LE(w.y_max, w.page_height - 64 + 1) << w.text;
    }
  }
}

}  // namespace
}  // namespace homevisit::document
