#pragma once
// Bearer tokens: 256 random bits from OpenSSL's CSPRNG; stored only as their SHA-256.
#include <string>

namespace homevisit::domain {

// "hv_" + 43 base64url characters.
std::string NewToken();
// Lowercase hex SHA-256 of `token`.
std::string HashToken(const std::string& token);

}  // namespace homevisit::domain
