#pragma once
// Small checks shared by every validator: required text, length caps, formats.
#include "absl/strings/string_view.h"
#include <string>
#include <string_view>
#include <vector>

#include "domain/errors.h"

namespace homevisit::domain {

// Number of Unicode code points in valid UTF-8 text (protobuf already refuses invalid UTF-8).
size_t CodePoints(absl::string_view text);
bool IsBlank(absl::string_view text);
bool HasControlCharacters(absl::string_view text, bool allow_newlines);

// Collects violations so a request is answered with every bad field at once.
class Violations {
 public:
  explicit Violations(std::string prefix = "") : prefix_(std::move(prefix)) {}
  void Add(absl::string_view field, std::string description);
  // Required single-line text of at most `max_chars` characters.
  void RequireText(absl::string_view field, absl::string_view value, size_t max_chars, bool multiline = false);
  // Optional text: checked only when not empty.
  void OptionalText(absl::string_view field, absl::string_view value, size_t max_chars, bool multiline = false);
  bool empty() const { return list_.empty(); }
  std::vector<FieldViolation>& list() { return list_; }
  void ThrowIfAny() { ThrowIfInvalid(std::move(list_)); }

 private:
  std::string prefix_;
  std::vector<FieldViolation> list_;
};

bool IsValidEmail(absl::string_view email);
bool IsPostalCode(absl::string_view value);       // exactly five ASCII digits
bool IsMexicanPhone(absl::string_view value);     // ten digits, optionally "+52", spaces and dashes allowed

}  // namespace homevisit::domain
