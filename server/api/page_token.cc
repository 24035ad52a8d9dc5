#include "api/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "domain/errors.h"

namespace homevisit::api {
namespace {

constexpr char kSeparator = '\x1f';  // unit separator: never in ids or fingerprints
constexpr const char* kVersion = "1";

}  // namespace

[[noreturn]] void ThrowBadPageToken() {
  throw domain::DomainError(domain::ErrorKind::kInvalidArgument, "INVALID_FIELDS", "invalid request: page_token",
                            {{"page_token", "is not a token from this list with these filters"}});
}

std::string EncodePageToken(const std::string& filter_fingerprint, const std::vector<std::string>& fields) {
  std::vector<std::string> parts = {kVersion, filter_fingerprint};
  parts.insert(parts.end(), fields.begin(), fields.end());
  return absl::WebSafeBase64Escape(absl::StrJoin(parts, std::string(1, kSeparator)));
}

std::vector<std::string> DecodePageToken(const std::string& token, const std::string& filter_fingerprint,
                                         size_t expected_fields) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) ThrowBadPageToken();
  std::vector<std::string> parts = absl::StrSplit(raw, kSeparator);
  if (parts.size() != expected_fields + 2 || parts[0] != kVersion || parts[1] != filter_fingerprint) ThrowBadPageToken();
  return {parts.begin() + 2, parts.end()};
}

int PageSize(int requested, int default_size, int max) {
  if (requested < 0) {
    throw domain::DomainError(domain::ErrorKind::kInvalidArgument, "INVALID_FIELDS", "invalid request: page_size",
                              {{"page_size", "must not be negative"}});
  }
  if (requested == 0) return default_size;
  return requested > max ? max : requested;
}

}  // namespace homevisit::api

namespace homevisit::api {
std::string Fingerprint(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return absl::StrCat(absl::Hex(hash, absl::kZeroPad16));
}
}  // namespace homevisit::api
