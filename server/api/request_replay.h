#pragma once
// Writes that are safe to retry (AIP-155). A write carrying a request id runs at most once per
// (caller, method, request id): its response is stored in the write's own transaction, a retry
// with the same request gets that response back (even after later writes changed the resource),
// and the same id with a different request is ALREADY_EXISTS (REQUEST_ID_REUSED). Concurrent
// duplicates resolve to one execution through the key's uniqueness in the database, so this
// holds across replicas. Ids are remembered for kRequestIdRetention.
#include <google/protobuf/message.h>

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "domain/repositories.h"
#include "domain/service_order.h"
#include "storage/database.h"

namespace homevisit::api {

inline constexpr absl::Duration kRequestIdRetention = absl::Hours(24 * 7);

// Runs `body` in one write unit of work; `body` fills `response` (cleared before each run). With an empty `request_id` it
// simply runs. `request_id` is checked (field "request_id") before anything is written. The
// method an id is scoped to is named by the request's type (every RPC has its own request
// message: CheckInRequest -> "CheckIn"), so a caller cannot pass the wrong one.
void WriteOnce(storage::Database& db, const domain::Actor& actor, const std::string& request_id,
               const google::protobuf::Message& request, google::protobuf::Message* response,
               const std::function<void(domain::UnitOfWork&)>& body);

// "CheckIn" for a homevisit.v1.CheckInRequest.
std::string MethodOf(const google::protobuf::Message& request);

// SHA-256 (hex) of the request's deterministic serialization.
std::string RequestFingerprint(const google::protobuf::Message& request);

// Deletes claims older than the retention, a batch at a time; returns how many.
int SweepExpiredRequestIds(storage::Database& db, absl::Time now);

}  // namespace homevisit::api
