#include "document/visit_report_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace homevisit::document {
namespace {

using domain::ServiceOrder;

// A4 in points, and the frame every page keeps free of body text.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 50;
constexpr double kBodyTop = 72;             // below the running header
constexpr double kBodyBottom = kPageHeight - 64;  // above the footer
constexpr double kBodyWidth = kPageWidth - 2 * kMargin;
// The signature is drawn at most this big (points), from an image of at most twice as many pixels:
// whatever the PNG's size, the document stays small.
constexpr double kSignatureBoxWidth = 240;
constexpr double kSignatureBoxHeight = 100;

constexpr const char* kFont = "DejaVu Sans";

// ---- Spanish words for the report's values -------------------------------------------------

std::string Yes(bool b) { return b ? "Sí" : "No"; }

const char* CallResultText(domain::CallResult r) {
  switch (r) {
    case domain::CallResult::kConfirmed: return "confirmada por el suscriptor";
    case domain::CallResult::kChangeRequested: return "el suscriptor pidió un cambio";
    case domain::CallResult::kNotReachable: return "no se localizó al suscriptor";
    default: return "sin resultado";
  }
}

const char* PunctualityText(domain::Punctuality p) {
  switch (p) {
    case domain::Punctuality::kEarly: return "antes de la ventana";
    case domain::Punctuality::kOnTime: return "puntual (dentro de la ventana)";
    case domain::Punctuality::kLate: return "tarde (después de la ventana)";
    default: return "sin calcular";
  }
}

const char* OfficialIdText(int type) {
  switch (type) {
    case 1: return "credencial para votar (INE)";
    case 2: return "pasaporte";
    case 3: return "cédula profesional";
    case 4: return "licencia de conducir";
    case 5: return "gafete del proveedor";
    default: return "no indicada";
  }
}

const char* CheckResultText(domain::CheckResult r) {
  switch (r) {
    case domain::CheckResult::kPass: return "Correcto";
    case domain::CheckResult::kFail: return "Falla";
    case domain::CheckResult::kNotApplicable: return "No aplica";
    default: return "Sin respuesta";
  }
}

const char* PhoneUsedText(domain::PhoneUsed p) {
  switch (p) {
    case domain::PhoneUsed::kSubscriberLine: return "línea del suscriptor";
    case domain::PhoneUsed::kTechnicianMobile: return "celular del técnico";
    default: return "no indicado";
  }
}

const char* OutcomeText(domain::OutcomeResult r) {
  switch (r) {
    case domain::OutcomeResult::kResolved: return "RESUELTO";
    case domain::OutcomeResult::kNotResolved: return "NO RESUELTO";
    case domain::OutcomeResult::kEscalated: return "ESCALADO A SOPORTE TÉCNICO IZZI";
    default: return "sin resultado";
  }
}

const char* ReasonText(domain::ReasonCategory c) {
  switch (c) {
    case domain::ReasonCategory::kSubscriberAbsent: return "suscriptor ausente";
    case domain::ReasonCategory::kNeedsEquipment: return "se requiere equipo o refacciones";
    case domain::ReasonCategory::kNetworkFault: return "falla en la red de izzi";
    case domain::ReasonCategory::kSubscriberDeclined: return "el suscriptor no aceptó el trabajo";
    case domain::ReasonCategory::kOutOfScope: return "fuera del alcance del servicio";
    case domain::ReasonCategory::kOther: return "otro";
    default: return "no indicado";
  }
}

const char* ChargeText(domain::Charge c) {
  switch (c) {
    case domain::Charge::kFree: return "sin costo";
    case domain::Charge::kCharged: return "con costo";
    default: return "no indicado";
  }
}

// ---- cairo / pango plumbing ------------------------------------------------------------------

struct CairoDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectDeleter {
  void operator()(void* o) const { g_object_unref(o); }
};
struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using Surface = std::unique_ptr<cairo_surface_t, CairoDeleter>;
using Context = std::unique_ptr<cairo_t, CairoDeleter>;
using Layout = std::unique_ptr<PangoLayout, GObjectDeleter>;
using FontDescription = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;

cairo_status_t AppendBytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct PngSource {
  absl::string_view bytes;
  size_t offset = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length) {
  auto* source = static_cast<PngSource*>(closure);
  if (source->bytes.size() - source->offset < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, source->bytes.data() + source->offset, length);
  source->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

// The signature scaled into at most 2x the box's points in pixels, aspect kept; null when the PNG
// cannot be decoded (the domain validated it at capture, so that is not expected).
Surface SignatureImage(const std::string& png, double& width_pt, double& height_pt) {
  PngSource source{png};
  Surface original(cairo_image_surface_create_from_png_stream(ReadPng, &source));
  if (cairo_surface_status(original.get()) != CAIRO_STATUS_SUCCESS) return nullptr;
  const int w = cairo_image_surface_get_width(original.get());
  const int h = cairo_image_surface_get_height(original.get());
  if (w <= 0 || h <= 0) return nullptr;
  const double scale = std::min({kSignatureBoxWidth / w, kSignatureBoxHeight / h, 1.0});
  width_pt = w * scale;
  height_pt = h * scale;
  const int pw = std::max(1, static_cast<int>(width_pt * 2));
  const int ph = std::max(1, static_cast<int>(height_pt * 2));
  Surface scaled(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph));
  Context cr(cairo_create(scaled.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);  // a transparent signature reads as ink on paper
  cairo_paint(cr.get());
  cairo_scale(cr.get(), static_cast<double>(pw) / w, static_cast<double>(ph) / h);
  cairo_set_source_surface(cr.get(), original.get(), 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr.get()), CAIRO_FILTER_GOOD);
  cairo_paint(cr.get());
  cairo_surface_flush(scaled.get());
  return scaled;
}

// One font map for the process (renders are serialized by RenderVisitReportPdf's mutex), instead
// of pango's default map per thread: the fonts are loaded once, whichever thread renders.
PangoFontMap* SharedFontMap() {
  static PangoFontMap* const map = pango_cairo_font_map_new();
  return map;
}

// Lays the report out top to bottom, breaking pages between lines of text and between table rows.
// Run twice: once without drawing to count the pages, then for real.
class Pages {
 public:
  Pages(cairo_t* cr, bool draw, int total_pages, std::string order_name, std::string footer)
      : cr_(cr), draw_(draw), total_(total_pages), order_name_(std::move(order_name)), footer_(std::move(footer)) {
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    context_.reset(pango_font_map_create_context(SharedFontMap()));
    pango_cairo_update_context(cr_, context_.get());
    pango_cairo_context_set_font_options(context_.get(), options);
    cairo_font_options_destroy(options);
    StartPage();
  }

  int page() const { return page_; }

  void Title(const std::string& text) { Paragraph(text, 15, true, 4); }
  void Subtitle(const std::string& text) { Paragraph(text, 10, false, 10); }

  void Heading(const std::string& text) {
    // Keep a heading with at least a few lines of what follows.
    if (y_ + 60 > kBodyBottom) NewPage();
    y_ += 6;
    Paragraph(text, 11, true, 2);
    if (draw_) {
      cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
      cairo_set_line_width(cr_, 0.5);
      cairo_move_to(cr_, kMargin, y_);
      cairo_line_to(cr_, kMargin + kBodyWidth, y_);
      cairo_stroke(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
    }
    y_ += 4;
  }

  // "label: value", the label in bold, wrapped over the body's width.
  void Field(const std::string& label, const std::string& value) {
    const std::string head = absl::StrCat(label, ": ");
    Layout layout = MakeLayout(absl::StrCat(head, value), 9, false, kBodyWidth);
    PangoAttrList* attrs = pango_attr_list_new();
    PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    bold->start_index = 0;
    bold->end_index = static_cast<guint>(head.size());
    pango_attr_list_insert(attrs, bold);
    pango_layout_set_attributes(layout.get(), attrs);
    pango_attr_list_unref(attrs);
    Lines(layout.get(), kMargin);
    y_ += 2;
  }

  void Paragraph(const std::string& text, double size = 9, bool bold = false, double after = 4) {
    Layout layout = MakeLayout(text, size, bold, kBodyWidth);
    Lines(layout.get(), kMargin);
    y_ += after;
  }

  // One table row; a row is never split across pages. `widths` are fractions of the body width.
  void Row(const std::vector<std::string>& cells, const std::vector<double>& widths, bool header) {
    std::vector<Layout> layouts;
    double height = 0;
    for (size_t i = 0; i < cells.size(); ++i) {
      layouts.push_back(MakeLayout(cells[i], 8.5, header, widths[i] * kBodyWidth - 6));
      int w = 0, h = 0;
      pango_layout_get_size(layouts.back().get(), &w, &h);
      height = std::max(height, static_cast<double>(h) / PANGO_SCALE);
    }
    height += 6;
    if (y_ + height > kBodyBottom) {
      NewPage();
      // A table that continues on the next page repeats its header there.
      if (!header && !table_header_.empty()) Row(table_header_, widths, true);
    }
    if (draw_) {
      if (header) {
        cairo_set_source_rgb(cr_, 0.9, 0.9, 0.9);
        cairo_rectangle(cr_, kMargin, y_, kBodyWidth, height);
        cairo_fill(cr_);
      }
      cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
      cairo_set_line_width(cr_, 0.4);
      cairo_rectangle(cr_, kMargin, y_, kBodyWidth, height);
      cairo_stroke(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
      double x = kMargin;
      for (size_t i = 0; i < layouts.size(); ++i) {
        cairo_move_to(cr_, x + 3, y_ + 3);
        pango_cairo_show_layout(cr_, layouts[i].get());
        x += widths[i] * kBodyWidth;
      }
    }
    y_ += height;
  }

  // Starts a table: its header row now and on every page the table continues on.
  void TableHeader(const std::vector<std::string>& cells, const std::vector<double>& widths) {
    table_header_ = cells;
    Row(cells, widths, true);
  }
  void EndTable() { table_header_.clear(); }

  void Space(double points) { y_ += points; }

  // The image at the left margin, on a new page if it does not fit.
  void Image(cairo_surface_t* image, double width, double height) {
    if (y_ + height + 4 > kBodyBottom) NewPage();
    if (draw_) {
      cairo_save(cr_);
      cairo_translate(cr_, kMargin, y_);
      cairo_scale(cr_, width / cairo_image_surface_get_width(image), height / cairo_image_surface_get_height(image));
      cairo_set_source_surface(cr_, image, 0, 0);
      cairo_paint(cr_);
      cairo_restore(cr_);
      cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
      cairo_set_line_width(cr_, 0.4);
      cairo_rectangle(cr_, kMargin, y_, width, height);
      cairo_stroke(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
    }
    y_ += height + 6;
  }

  void Finish() { EndPage(); }

 private:
  Layout MakeLayout(const std::string& text, double size, bool bold, double width) {
    Layout layout(pango_layout_new(context_.get()));
    FontDescription font(pango_font_description_new());
    pango_font_description_set_family(font.get(), kFont);
    pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
    pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    // Long words (URLs, hashes, e-mail addresses) break inside the word rather than overflow.
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    return layout;
  }

  // Places a layout line by line, so a long text continues on the next page instead of being cut.
  void Lines(PangoLayout* layout, double x) {
    PangoLayoutIter* iter = pango_layout_get_iter(layout);
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double height = static_cast<double>(logical.height) / PANGO_SCALE;
      const double baseline = static_cast<double>(pango_layout_iter_get_baseline(iter) - logical.y) / PANGO_SCALE;
      if (y_ + height > kBodyBottom) NewPage();
      if (draw_) {
        cairo_move_to(cr_, x + static_cast<double>(logical.x) / PANGO_SCALE, y_ + baseline);
        pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(iter));
      }
      y_ += height;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
  }

  void StartPage() {
    ++page_;
    y_ = kBodyTop;
    if (!draw_) return;
    Layout header = MakeLayout(
        absl::StrCat("izzi Dr. Wifi · Asistencia a Domicilio — Reporte de visita ", order_name_), 7.5, false, kBodyWidth);
    cairo_set_source_rgb(cr_, 0.35, 0.35, 0.35);
    cairo_move_to(cr_, kMargin, 36);
    pango_cairo_show_layout(cr_, header.get());
    cairo_set_source_rgb(cr_, 0, 0, 0);
  }

  void EndPage() {
    if (draw_) {
      cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
      cairo_set_line_width(cr_, 0.5);
      cairo_move_to(cr_, kMargin, kBodyBottom + 10);
      cairo_line_to(cr_, kMargin + kBodyWidth, kBodyBottom + 10);
      cairo_stroke(cr_);
      cairo_set_source_rgb(cr_, 0.2, 0.2, 0.2);
      Layout evidence = MakeLayout(footer_, 6.5, false, kBodyWidth - 80);
      cairo_move_to(cr_, kMargin, kBodyBottom + 16);
      pango_cairo_show_layout(cr_, evidence.get());
      Layout number = MakeLayout(absl::StrCat("Página ", page_, " de ", total_), 7.5, false, 80);
      pango_layout_set_alignment(number.get(), PANGO_ALIGN_RIGHT);
      cairo_move_to(cr_, kMargin + kBodyWidth - 80, kBodyBottom + 16);
      pango_cairo_show_layout(cr_, number.get());
      cairo_set_source_rgb(cr_, 0, 0, 0);
    }
    cairo_show_page(cr_);
  }

  void NewPage() {
    EndPage();
    StartPage();
  }

  cairo_t* cr_;
  bool draw_;
  int total_;
  std::string order_name_;
  std::string footer_;
  std::unique_ptr<PangoContext, GObjectDeleter> context_;
  std::vector<std::string> table_header_;  // of the table being laid out, if any
  int page_ = 0;
  double y_ = kBodyTop;
};

class ReportWriter {
 public:
  ReportWriter(const ServiceOrder& order, const DocumentContext& context) : order_(order), context_(context) {}

  std::string Time(absl::Time t) const { return absl::FormatTime("%d/%m/%Y %H:%M:%S", t, context_.time_zone); }
  std::string Window(const domain::TimeWindow& w) const {
    return absl::StrCat(absl::FormatTime("%d/%m/%Y %H:%M", w.start, context_.time_zone), " a ",
                        absl::FormatTime("%H:%M", w.end, context_.time_zone));
  }

  void Write(Pages& p) const {
    const ServiceOrder& o = order_;
    const domain::OrderIntake& in = o.intake;
    const domain::Visit& v = o.visit;
    p.Title("Reporte de visita a domicilio");
    p.Subtitle("izzi Dr. Wifi — Asistencia a Domicilio. Orden de servicio documentada y archivada en el expediente "
               "del suscriptor.");

    p.Heading("Identificación");
    p.Field("Orden de servicio (proveedor)", absl::StrCat("serviceOrders/", o.id));
    p.Field("Número de expediente (DOT)", in.file_number);
    if (o.appointment) {
      p.Field("Técnico del proveedor",
              absl::StrCat(o.appointment->technician_name, " (technicians/", o.appointment->technician_id, ")"));
    }
    p.Field("Solicitud registrada por DOT", Time(o.create_time));
    p.Field("Cobro de la visita", ChargeText(in.charge));
    p.Field("Zona horaria de todas las horas", context_.time_zone_name);

    p.Heading("Suscriptor y domicilio");
    p.Field("Suscriptor", absl::StrCat(in.given_name, " ", in.family_name));
    p.Field("Correo electrónico", in.email);
    std::string street = absl::StrCat(in.address.street, " ", in.address.exterior_number);
    if (!in.address.interior_number.empty()) absl::StrAppend(&street, " int. ", in.address.interior_number);
    p.Field("Domicilio", absl::StrCat(street, ", col. ", in.address.colonia, ", ", in.address.delegacion, ", C.P. ",
                                      in.address.postal_code));
    if (!in.address.references.empty()) p.Field("Referencias", in.address.references);
    p.Field("Recibe al técnico", in.receiver_phone.empty() ? in.receiver_name
                                                           : absl::StrCat(in.receiver_name, ", tel. ", in.receiver_phone));

    p.Heading("Cita");
    p.Field("Horario solicitado", Window(in.requested_window));
    if (o.appointment) {
      p.Field("Ventana de llegada agendada", Window(o.appointment->window));
      p.Field("Agendada", Time(o.appointment->book_time));
    }

    p.Heading("Llamadas de DOT");
    if (v.confirmation_call) {
      const auto& c = *v.confirmation_call;
      p.Field("Llamada de confirmación",
              absl::StrCat(Time(c.time), ": ", CallResultText(c.result), " (registró ", c.actor, ")"));
      if (!c.note.empty()) p.Field("Nota de la confirmación", c.note);
    } else {
      p.Field("Llamada de confirmación", "no registrada");
    }
    if (v.follow_up_call) {
      const auto& c = *v.follow_up_call;
      p.Field("Llamada de seguimiento",
              absl::StrCat(Time(c.time), ": el técnico ", c.technician_present ? "ya estaba" : "no estaba",
                           " con el suscriptor (registró ", c.actor, ")"));
      if (!c.note.empty()) p.Field("Nota del seguimiento", c.note);
    } else {
      p.Field("Llamada de seguimiento", "no registrada");
    }
    if (v.late_alert_time) p.Field("Alerta de retraso del técnico", Time(*v.late_alert_time));

    p.Heading("Llegada e identificación");
    if (v.check_in) {
      const auto& c = *v.check_in;
      p.Field("Llegada", Time(c.arrival_time));
      p.Field("Puntualidad", PunctualityText(c.punctuality));
      p.Field("Saludo del guion", Yes(c.greeting_given));
      p.Field("Chaleco de izzi Dr. Wifi", Yes(c.vest_worn));
      p.Field("Identificación oficial mostrada", OfficialIdText(c.official_id_type));
      p.Field("Motivo de la visita explicado", Yes(c.reason_explained));
    } else {
      p.Field("Llegada", "no registrada");
    }

    p.Heading("Problema reportado");
    p.Paragraph(in.problem_description);

    p.Heading("Diagnóstico");
    if (v.diagnosis) {
      p.Field("Relacionado con el servicio de internet o su velocidad", Yes(v.diagnosis->internet_related));
      p.Field("Registrado", Time(v.diagnosis->time));
      if (!v.diagnosis->summary.empty()) p.Field("Hallazgos", v.diagnosis->summary);
    } else {
      p.Paragraph("Sin diagnóstico registrado.");
    }
    if (!v.checklist.empty()) {
      p.Space(4);
      p.Paragraph("Checklist", 9.5, true, 3);
      const std::vector<double> widths = {0.42, 0.16, 0.42};
      p.TableHeader({"Validación", "Resultado", "Valor medido"}, widths);
      for (const auto& a : v.checklist) {
        std::string label = a.label.empty() ? a.item_id : a.label;
        if (a.service_item) absl::StrAppend(&label, " *");
        p.Row({label, CheckResultText(a.result), a.measured_value.empty() ? "—" : a.measured_value}, widths, false);
      }
      p.EndTable();
      p.Space(2);
      p.Paragraph("* validación de servicio o módem: una falla requiere soporte técnico izzi.", 7.5, false, 2);
      for (const auto& a : v.checklist) {
        if (!a.note.empty()) p.Field(absl::StrCat("Nota — ", a.label.empty() ? a.item_id : a.label), a.note);
      }
    }

    if (v.escalation) {
      const auto& e = *v.escalation;
      p.Heading("Escalamiento a soporte técnico izzi");
      p.Field("Conferencia solicitada a DOT", Time(e.request_time));
      p.Field("Teléfono usado", PhoneUsedText(e.phone_used));
      p.Field("Agente de soporte técnico izzi", e.support_agent.empty() ? "no registrado" : e.support_agent);
      p.Field("Conferencia establecida",
              e.conference_time ? absl::StrCat(Time(*e.conference_time), " (supervisor DOT ", e.conference_actor, ")")
                                : "no registrada");
      p.Field("Entrega del suscriptor a soporte", e.hand_over_time ? Time(*e.hand_over_time) : "no registrada");
      if (!e.hand_over_note.empty()) p.Field("Nota de la entrega", e.hand_over_note);
    }

    p.Heading("Resultado");
    if (v.outcome) {
      const auto& r = *v.outcome;
      p.Field("Resultado", OutcomeText(r.result));
      p.Field("Registrado", Time(r.record_time));
      if (r.result == domain::OutcomeResult::kNotResolved || !r.reason_text.empty()) {
        p.Field("Motivo por el que no se resolvió", ReasonText(r.reason_category));
        p.Field("Explicación", r.reason_text);
      }
      p.Field("Problema encontrado", r.problem.empty() ? "—" : r.problem);
      p.Field("Diagnóstico", r.diagnosis.empty() ? "—" : r.diagnosis);
      p.Field("Acciones realizadas", r.actions_performed.empty() ? "—" : r.actions_performed);
    } else {
      p.Paragraph("Sin resultado registrado.");
    }

    p.Heading("Firma del suscriptor (acuse de recibo)");
    if (v.signature && v.signature->refused) {
      p.Field("Firma", "EL SUSCRIPTOR SE NEGÓ A FIRMAR");
      p.Field("Motivo de la negativa", v.signature->refusal_reason);
      p.Field("Registrado", Time(v.signature->sign_time));
    } else if (v.signature) {
      p.Field("Firmó", v.signature->signer_name);
      p.Field("Fecha de la firma", Time(v.signature->sign_time));
      double w = 0, h = 0;
      if (Surface image = SignatureImage(v.signature->image_png, w, h)) {
        p.Image(image.get(), w, h);
      } else {
        p.Paragraph("(la imagen de la firma no se pudo leer)");
      }
    } else {
      p.Paragraph("Sin firma registrada.");
    }

    p.Heading("Conclusión");
    if (v.completion) {
      p.Field("Conclusión reportada a DOT", Time(v.completion->complete_time));
      if (!v.completion->note.empty()) p.Field("Nota para DOT", v.completion->note);
    }
    p.Space(6);
    p.Paragraph(absl::StrCat("Evidencia: SHA-256 de la serialización canónica del reporte más los bytes de la firma: ",
                             context_.report_sha256, ". Se registró al concluir la visita; compruebe el documento con "
                             "«homevisit report verify ARCHIVO»."),
                7.5, false, 0);
    p.Finish();
  }

 private:
  const ServiceOrder& order_;
  const DocumentContext& context_;
};

std::string PdfDate(absl::Time t) { return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone()); }

// One pass over the report on a fresh PDF surface; returns the page count.
int Render(const ServiceOrder& order, const DocumentContext& context, bool draw, int total, std::string* out) {
  std::string discard;
  Surface surface(cairo_pdf_surface_create_for_stream(AppendBytes, draw ? out : &discard, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cairo: no PDF surface");
  const std::string name = absl::StrCat("serviceOrders/", order.id, "/visitReport");
  // Fixed dates: cairo would write the current time, and the same report must give the same bytes.
  const absl::Time issued = order.visit.completion ? order.visit.completion->complete_time : order.update_time;
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, PdfDate(issued).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, PdfDate(issued).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 absl::StrCat("Reporte de visita ", order.id).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, "homevisit");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_KEYWORDS,
                                 absl::StrCat("homevisit-report ", name, " sha256=", context.report_sha256).c_str());
  Context cr(cairo_create(surface.get()));
  Pages pages(cr.get(), draw, total, name,
              absl::StrCat("Evidencia SHA-256 del reporte: ", context.report_sha256));
  ReportWriter(order, context).Write(pages);
  const int count = pages.page();
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(absl::StrCat("cairo: ", cairo_status_to_string(cairo_surface_status(surface.get()))));
  }
  return count;
}

}  // namespace

std::string RenderVisitReportPdf(const ServiceOrder& order, const DocumentContext& context) {
  // Pango's default font map and fontconfig are shared by the process; documents are rare.
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::string pdf;
  const int total = Render(order, context, /*draw=*/false, 0, nullptr);
  Render(order, context, /*draw=*/true, total, &pdf);
  return pdf;
}

}  // namespace homevisit::document
