#pragma once
// Opaque page tokens: a keyset position plus a fingerprint of the request's filters, so a
// token used with other filters is refused instead of returning a confusing page.
#include <string>
#include <vector>

namespace homevisit::api {

// Encodes `fields` (the position) bound to `filter_fingerprint`.
std::string EncodePageToken(const std::string& filter_fingerprint, const std::vector<std::string>& fields);
// Decodes a token made by EncodePageToken with the same fingerprint; throws INVALID_ARGUMENT
// on `page_token` otherwise.
std::vector<std::string> DecodePageToken(const std::string& token, const std::string& filter_fingerprint,
                                         size_t expected_fields);

// Refuses `page_token` with INVALID_ARGUMENT.
[[noreturn]] void ThrowBadPageToken();

// Page size: default when 0, refused when negative, capped at `max`.
int PageSize(int requested, int default_size, int max);

}  // namespace homevisit::api

namespace homevisit::api {
// A stable 64-bit FNV-1a fingerprint (hex) of `bytes`: the same on every replica and build.
std::string Fingerprint(const std::string& bytes);
}  // namespace homevisit::api
