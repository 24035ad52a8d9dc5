#include "config/database_password.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace homevisit::config {
namespace {

// RFC 3986 percent-encoding of everything but the unreserved characters; libpq decodes it.
std::string PercentEncode(absl::string_view text) {
  std::string encoded;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&encoded, "%%%02X", c);
    }
  }
  return encoded;
}

}  // namespace

absl::StatusOr<std::string> DatabaseUrlWithPassword(const std::string& db_url, const std::string& password_file,
                                                    const FileReader& read_file) {
  if (password_file.empty()) return db_url;
  if (!absl::StartsWith(db_url, "postgresql://") && !absl::StartsWith(db_url, "postgres://")) {
    return absl::InvalidArgumentError("db_password_file is for PostgreSQL (--db is not a postgresql:// URL)");
  }
  absl::StatusOr<std::string> contents = read_file(password_file);
  if (!contents.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read db_password_file ", password_file, ": ", contents.status().message()));
  }
  absl::string_view password = absl::StripTrailingAsciiWhitespace(*contents);
  if (password.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("db_password_file ", password_file, " is empty"));
  }
  // libpq lets a query parameter replace what the URL's user-info part set, the last one winning.
  return absl::StrCat(db_url, absl::StrContains(db_url, '?') ? "&" : "?", "password=", PercentEncode(password));
}

}  // namespace homevisit::config
