#include "domain/text_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace homevisit::domain {

size_t CodePoints(absl::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;  // continuation bytes do not start a code point
  }
  return count;
}

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

bool HasControlCharacters(absl::string_view text, bool allow_newlines) {
  for (unsigned char c : text) {
    if (c == 0x7F) return true;
    if (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) return true;
  }
  return false;
}

void Violations::Add(absl::string_view field, std::string description) {
  list_.push_back({absl::StrCat(prefix_, field), std::move(description)});
}

void Violations::RequireText(absl::string_view field, absl::string_view value, size_t max_chars, bool multiline) {
  if (IsBlank(value)) {
    Add(field, "is required");
    return;
  }
  OptionalText(field, value, max_chars, multiline);
}

void Violations::OptionalText(absl::string_view field, absl::string_view value, size_t max_chars, bool multiline) {
  if (value.empty()) return;
  if (CodePoints(value) > max_chars) {
    Add(field, absl::StrCat("must be at most ", max_chars, " characters"));
  } else if (HasControlCharacters(value, multiline)) {
    Add(field, multiline ? "must not contain control characters" : "must be a single line without control characters");
  }
}

namespace {

bool IsAtext(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != absl::string_view::npos;
}

bool IsDomainLabel(absl::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

}  // namespace

// The dot-atom subset of RFC 5322 that mail systems actually accept; quoted local parts and
// IP-literal domains are refused on purpose (nobody dictates those over the phone).
bool IsValidEmail(absl::string_view email) {
  if (email.size() > 254) return false;
  size_t at = email.rfind('@');
  if (at == absl::string_view::npos || at == 0 || at > 64) return false;
  absl::string_view local = email.substr(0, at);
  absl::string_view domain = email.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != absl::string_view::npos) return false;
  for (char c : local) {
    if (c != '.' && !IsAtext(c)) return false;
  }
  std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (!IsDomainLabel(label)) return false;
  }
  absl::string_view tld = labels.back();
  if (tld.size() < 2) return false;
  for (char c : tld) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsPostalCode(absl::string_view value) {
  if (value.size() != 5) return false;
  for (char c : value) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsMexicanPhone(absl::string_view value) {
  std::string digits;
  absl::string_view rest = value;
  absl::ConsumePrefix(&rest, "+52");  // an optional country code before the ten national digits
  for (char c : rest) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  return digits.size() == 10;
}

}  // namespace homevisit::domain
