#pragma once
// The filed visit report as a document DOT can print, send and keep [B9, B10, G5]: a PDF in
// Spanish laid out with pango on cairo's PDF surface, DejaVu fonts. No rules here: it shows what
// the report holds.
#include <string>

#include "absl/time/time.h"
#include "domain/service_order.h"

namespace homevisit::document {

struct DocumentContext {
  // Every time is printed in it (the service's time zone).
  absl::TimeZone time_zone;
  // Its name as printed ("America/Mexico_City").
  std::string time_zone_name;
  // domain::ReportSha256 of the order: printed in every page's footer and in the metadata.
  std::string report_sha256;
};

// A4 pages numbered "Página N de M". Deterministic: the same order and context give the same
// bytes (the PDF's dates are the completion time; cairo's font subset tags are derived from the
// glyphs used), as long as cairo, pango and the fonts are the same. The PDF's Keywords metadata
// is "homevisit-report <report name> sha256=<report_sha256>" (see ParseDocumentLabel).
// Thread-safe (renders one at a time). Throws std::runtime_error when cairo fails.
std::string RenderVisitReportPdf(const domain::ServiceOrder& order, const DocumentContext& context);

}  // namespace homevisit::document
