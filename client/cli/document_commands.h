#pragma once
// The filed report's document: saving it (report ORDER --pdf FILE) and verifying a file
// (report verify FILE).
#include <optional>
#include <string>

#include "commands.h"

namespace homevisit::cli {

// Exit code of `report verify` when the file is not the document issued, or the report it shows
// no longer matches the record.
inline constexpr int kVerificationFailed = 4;

// What a document says about itself (its PDF Keywords, written by the server).
struct DocumentLabel {
  std::string report_name;    // serviceOrders/{id}/visitReport
  std::string report_sha256;  // the evidence hash it shows
};
std::optional<DocumentLabel> ReadDocumentLabel(const std::string& pdf);

// Writes the document of `report_name` (serviceOrders/{id}/visitReport) to `file`.
int SaveDocument(Context& ctx, const std::string& report_name, const std::string& file);
// Says whether `file` is the document the service issued (its SHA-256 is the one recorded at
// completion) and whether the report it shows still matches the record; 0 when both hold, else
// kVerificationFailed.
int VerifyDocument(Context& ctx, const std::string& file);

}  // namespace homevisit::cli
