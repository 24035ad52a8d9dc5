// `homevisit report ORDER --pdf FILE` and `homevisit report verify FILE`: the filed report as the
// document the service issued at completion, and the two checks a holder of the file can make.
#include <openssl/evp.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common.h"
#include "document_commands.h"

namespace homevisit::cli {
namespace {

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), length));
}

bool IsHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

}  // namespace

std::optional<DocumentLabel> ReadDocumentLabel(const std::string& pdf) {
  // The Keywords entry the server writes: "homevisit-report <report name> sha256=<64 hex>".
  const absl::string_view text(pdf);
  constexpr absl::string_view kMarker = "homevisit-report ";
  size_t at = text.find(absl::StrCat(kMarker, "serviceOrders/"));
  if (at == absl::string_view::npos) return std::nullopt;
  at += kMarker.size();
  const size_t space = text.find(' ', at);
  if (space == absl::string_view::npos || space - at > 200) return std::nullopt;
  DocumentLabel label{std::string(text.substr(at, space - at)), ""};
  if (!absl::EndsWith(label.report_name, "/visitReport")) return std::nullopt;
  constexpr absl::string_view kHash = " sha256=";
  if (text.substr(space, kHash.size()) != kHash) return std::nullopt;
  label.report_sha256 = std::string(text.substr(space + kHash.size(), 64));
  if (!IsHex64(label.report_sha256)) return std::nullopt;
  return label;
}

int SaveDocument(Context& ctx, const std::string& report_name, const std::string& file) {
  const std::string name = report_name + "/document";
  auto result = ctx.client.GetVisitReportDocument(name);
  if (!result.ok()) return Failed("report " + report_name, result.error());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << result->pdf();
    if (!out.flush()) {
      std::cerr << "homevisit: cannot write " << file << "\n";
      return 1;
    }
  }
  std::cout << "wrote " << file << " (" << result->pdf().size() << " bytes): " << name << "\n"
            << "  document sha256  " << result->document_sha256() << "\n"
            << "  report sha256    " << result->report_sha256() << "\n";
  return 0;
}

int VerifyDocument(Context& ctx, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Usage("report verify: cannot read " + file);
  std::stringstream content;
  content << in.rdbuf();
  const std::string pdf = content.str();
  std::optional<DocumentLabel> label = ReadDocumentLabel(pdf);
  if (!label) {
    std::cout << file << ": not a homevisit visit report document (no report name and hash in it)\n";
    return kVerificationFailed;
  }
  auto result = ctx.client.GetVisitReportDocument(label->report_name + "/document");
  if (!result.ok()) return Failed("report verify " + label->report_name, result.error());
  const std::string file_sha256 = Sha256Hex(pdf);
  const bool issued = file_sha256 == result->document_sha256();
  const bool matches = label->report_sha256 == result->current_report_sha256() &&
                       result->report_sha256() == result->current_report_sha256();
  std::cout << file << ": " << label->report_name << "\n";
  if (issued) {
    std::cout << "  document  OK: the document the service issued (sha256 " << file_sha256 << ")\n";
  } else {
    std::cout << "  document  NOT the document the service issued: its sha256 is " << file_sha256
              << ", the issued one's " << result->document_sha256() << "\n";
  }
  if (matches) {
    std::cout << "  report    OK: the report it shows matches the record (sha256 " << label->report_sha256 << ")\n";
  } else {
    std::cout << "  report    does NOT match the record: the file shows sha256 " << label->report_sha256
              << ", issued " << result->report_sha256() << ", the record now hashes to "
              << result->current_report_sha256() << "\n";
  }
  return issued && matches ? 0 : kVerificationFailed;
}

}  // namespace homevisit::cli
