#pragma once
// The evidence of a filed visit report [B9, B10, G5]: a SHA-256 over a canonical serialization of
// the report plus the signature's bytes. Printed in the document's footer and recorded in the
// completion event, so a report shown on paper can be checked against the record later.
#include <string>

#include "absl/strings/string_view.h"
#include "domain/service_order.h"

namespace homevisit::domain {

// The report as bytes, independent of protobuf and of the database: "homevisit-report/1\n",
// then one `name=<byte length>:<value>\n` per field in a fixed order (times as microseconds since
// the epoch, UTC; enums as their proto numbers; absent parts as empty values). Bookkeeping is left
// out (etag, version, update time, the booking's request id): it changes without the report
// changing. The signature image is not in it; ReportSha256 appends its bytes.
std::string CanonicalReport(const ServiceOrder& order);

// Lowercase hex SHA-256 of CanonicalReport(order) followed by the signature PNG's bytes.
std::string ReportSha256(const ServiceOrder& order);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace homevisit::domain
