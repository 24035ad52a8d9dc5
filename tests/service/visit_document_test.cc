// The filed report as a document [B9, B10, G5]: issued at completion for every ending, read back
// with poppler-utils, its hashes recorded in the completion event, and both checks a holder of
// the file can make (is it the document issued? does the record still match it?).
#include <gmock/gmock.h>

#include "../document/pdf_tools.h"
#include "domain/report_evidence.h"
#include "visit_fixture.h"

namespace homevisit::testing {
namespace {

using ::testing::HasSubstr;

class VisitDocumentTest : public VisitTest {
 protected:
  grpc::Status Document(const std::string& order_name, v1::VisitReportDocument* out,
                        const std::string& suffix = "/visitReport/document") {
    grpc::ClientContext context;
    v1::GetVisitReportDocumentRequest request;
    request.set_name(order_name + suffix);
    return Reports().GetVisitReportDocument(&context, request, out);
  }

  // The document of a completed order, checked for what every document must show; its text with
  // whitespace squeezed.
  std::string IssuedText(const std::string& name, v1::VisitReportDocument* document) {
    EXPECT_TRUE(Document(name, document).ok());
    EXPECT_EQ(document->name(), name + "/visitReport/document");
    EXPECT_EQ(domain::Sha256Hex(document->pdf()), document->document_sha256());
    EXPECT_EQ(document->current_report_sha256(), document->report_sha256());
    EXPECT_EQ(document->report_sha256().size(), 64u);
    // Both hashes are recorded in the completion event.
    const v1::Event completed = EventsOf(name).back();
    EXPECT_EQ(completed.type(), v1::Event::TYPE_COMPLETED);
    EXPECT_EQ(completed.attributes().at("report_sha256"), document->report_sha256());
    EXPECT_EQ(completed.attributes().at("document_sha256"), document->document_sha256());
    // The same document every time it is asked for.
    v1::VisitReportDocument again;
    EXPECT_TRUE(Document(name, &again).ok());
    EXPECT_EQ(again.pdf(), document->pdf());

    const std::string file = scratch_.File(absl::StrCat(name.substr(name.find('/') + 1), ".pdf"), document->pdf());
    const int pages = PdfPages(file);
    EXPECT_GE(pages, 1);
    ScratchDir images;
    EXPECT_EQ(RenderedPages(file, images.path()), pages);  // pdftoppm renders every page
    const std::string text = Squeezed(PdfText(file));
    for (const std::string& expected :
         {std::string("Reporte de visita a domicilio"), name, std::string("Ana López"),
          std::string("ana.lopez@example.com"), std::string("Av. Insurgentes Sur 1602 int. 4B"),
          std::string("Crédito Constructor"), std::string("C.P. 03100"), std::string("Rosa Aguilar (technicians/tech-rosa)"),
          std::string("Llamada de confirmación"), std::string("registró test-dot-supervisor"),
          std::string("credencial para votar (INE)"), std::string("El internet se desconecta cada hora."),
          std::string("Conclusión reportada a DOT"), std::string("Trabajos concluidos"),
          absl::StrCat("Evidencia SHA-256 del reporte: ", document->report_sha256()),
          absl::StrCat("Página 1 de ", pages)}) {
      EXPECT_THAT(text, HasSubstr(expected));
    }
    // The order's file number, as DOT knows it.
    EXPECT_THAT(text, HasSubstr(Get(name).file_number()));
    return text;
  }

  ScratchDir scratch_;
};

TEST_F(VisitDocumentTest, AResolvedVisitIsIssuedWithItsChecklistAndSignature) {
  std::string name = Booked();
  v1::ServiceOrder out;
  ArriveAt(name);
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, true), &out).ok());
  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out).ok());
  // Before completion there is no document.
  v1::VisitReportDocument document;
  grpc::Status early = Document(name, &document);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(early), "REPORT_NOT_FILED");
  ASSERT_TRUE(Sign(name, Signed(), &out).ok());
  ASSERT_TRUE(Complete(name, &out).ok());

  const std::string text = IssuedText(name, &document);
  for (const char* expected : {"RESUELTO", "Encendido y luces del módem", "Prueba de velocidad cableada",
                               "95/10 Mbps, 12 ms", "Correcto", "Se reemplazó el conector y se probó la conexión.",
                               "Firmó: Ana López", "Puntualidad: antes de la ventana"}) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  EXPECT_THAT(text, ::testing::Not(HasSubstr("NO RESUELTO")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("Escalamiento")));
}

TEST_F(VisitDocumentTest, ANotResolvedVisitShowsTheReasonAndTheRefusedSignature) {
  std::string name = Booked();
  v1::ServiceOrder out;
  ArriveAt(name);
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, false), &out).ok());
  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_NOT_RESOLVED, v1::Outcome::REASON_CATEGORY_NEEDS_EQUIPMENT,
                                     "El módem requiere reemplazo; se solicitará un equipo nuevo."),
                      &out)
                  .ok());
  ASSERT_TRUE(Sign(name, Refused("No está de acuerdo con el resultado"), &out).ok());
  ASSERT_TRUE(Complete(name, &out).ok());

  v1::VisitReportDocument document;
  const std::string text = IssuedText(name, &document);
  for (const char* expected :
       {"Resultado: NO RESUELTO", "Motivo por el que no se resolvió: se requiere equipo o refacciones",
        "El módem requiere reemplazo; se solicitará un equipo nuevo.", "EL SUSCRIPTOR SE NEGÓ A FIRMAR",
        "Motivo de la negativa: No está de acuerdo con el resultado",
        "Relacionado con el servicio de internet o su velocidad: No"}) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
}

TEST_F(VisitDocumentTest, AnEscalatedVisitShowsTheConferenceAndTheHandOver) {
  std::string name = Booked();
  v1::ServiceOrder out;
  ArriveAt(name);
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, true, "modem_signal_levels"), &out).ok());
  ASSERT_TRUE(Escalate(name, &out).ok());
  ASSERT_TRUE(Conference(name, &out).ok());
  ASSERT_TRUE(HandOver(name, &out).ok());
  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_ESCALATED), &out).ok());
  ASSERT_TRUE(Sign(name, Refused("Prefiere esperar a soporte izzi"), &out).ok());
  ASSERT_TRUE(Complete(name, &out).ok());

  v1::VisitReportDocument document;
  const std::string text = IssuedText(name, &document);
  for (const char* expected :
       {"Resultado: ESCALADO A SOPORTE TÉCNICO IZZI", "Escalamiento a soporte técnico izzi",
        "Teléfono usado: celular del técnico", "Agente de soporte técnico izzi: Jorge Ruiz (soporte izzi)",
        "(supervisor DOT test-dot-supervisor)", "Niveles de señal fuera de rango; módem reiniciado sin mejora.",
        "Niveles de señal del módem", "Falla", "EL SUSCRIPTOR SE NEGÓ A FIRMAR", "Prefiere esperar a soporte izzi"}) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
}

TEST_F(VisitDocumentTest, AChangedByteOrAChangedRecordFailsVerification) {
  std::string name = Booked();
  v1::ServiceOrder out;
  ArriveAt(name);
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, false), &out).ok());
  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out).ok());
  ASSERT_TRUE(Sign(name, Signed(), &out).ok());
  ASSERT_TRUE(Complete(name, &out).ok());
  v1::VisitReportDocument issued;
  ASSERT_TRUE(Document(name, &issued).ok());
  ASSERT_EQ(domain::Sha256Hex(issued.pdf()), issued.document_sha256());

  // One byte changed anywhere is another file: not the document issued.
  for (size_t at : {size_t{0}, issued.pdf().size() / 2, issued.pdf().size() - 1}) {
    std::string changed = issued.pdf();
    changed[at] = static_cast<char>(changed[at] ^ 0x01);
    EXPECT_NE(domain::Sha256Hex(changed), issued.document_sha256()) << "byte " << at;
  }

  // The record changed behind the service's back (a direct database edit): the document is still
  // the one issued, but the report it shows no longer matches the record.
  const std::string id = name.substr(name.find('/') + 1);
  server_->database().Write([&](domain::UnitOfWork& work) {
    domain::ServiceOrder order = domain::GetOrder(work, id, domain::SystemActor());
    const int expected = order.version;
    order.intake.problem_description = "Otro problema";
    ++order.version;
    work.orders().Update(order, expected);
  });
  v1::VisitReportDocument later;
  ASSERT_TRUE(Document(name, &later).ok());
  EXPECT_EQ(later.pdf(), issued.pdf());
  EXPECT_EQ(later.report_sha256(), issued.report_sha256());
  EXPECT_NE(later.current_report_sha256(), later.report_sha256());
}

TEST_F(VisitDocumentTest, TheNameMustBeTheReportsDocument) {
  std::string name = Booked();
  v1::VisitReportDocument document;
  EXPECT_THAT(ViolatedFields(Document(name, &document, "/visitReport")), ::testing::ElementsAre("name"));
  grpc::Status unknown = Document("serviceOrders/no-such-order", &document);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(unknown), "ORDER_NOT_FOUND");
}

}  // namespace
}  // namespace homevisit::testing
