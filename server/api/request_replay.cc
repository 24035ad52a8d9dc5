#include "api/request_replay.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "domain/errors.h"
#include "domain/order_validation.h"
#include "domain/text_rules.h"
#include "domain/tokens.h"

namespace homevisit::api {

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);  // map fields in key order: equal requests, equal bytes
    request.SerializeToCodedStream(&coded);
  }
  return domain::HashToken(bytes);
}

std::string MethodOf(const google::protobuf::Message& request) {
  std::string name = request.GetDescriptor()->name();
  constexpr std::string_view kSuffix = "Request";
  if (name.size() > kSuffix.size() && name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    name.resize(name.size() - kSuffix.size());
  }
  return name;
}

void WriteOnce(storage::Database& db, const domain::Actor& actor, const std::string& request_id,
               const google::protobuf::Message& request, google::protobuf::Message* response,
               const std::function<void(domain::UnitOfWork&)>& body) {
  // A unit of work may run more than once (a retried transaction): `body` always starts from an
  // empty response.
  const auto run = [&](domain::UnitOfWork& work) {
    response->Clear();
    body(work);
  };
  if (request_id.empty()) {
    db.Write(run);
    return;
  }
  domain::Violations violations;
  domain::ValidateRequestId("request_id", request_id, violations);
  violations.ThrowIfAny();
  const std::string fingerprint = RequestFingerprint(request);
  const std::string method = MethodOf(request);
  const domain::ReplayKey key{actor.principal, method, request_id};
  db.Write([&](domain::UnitOfWork& work) {
    const absl::Time now = absl::Now();
    if (work.replays().Claim(key, fingerprint, now, now - kRequestIdRetention)) {
      run(work);
      work.replays().SaveResponse(key, absl::Base64Escape(response->SerializeAsString()));
      return;
    }
    std::optional<domain::StoredReplay> stored = work.replays().Find(key);
    if (!stored) {  // claimed and gone again in between: a sweep; the caller may simply retry
      throw domain::DomainError(domain::ErrorKind::kAborted, "REQUEST_ID_RACE", "request_id changed hands: retry");
    }
    if (stored->fingerprint != fingerprint) {
      throw domain::DomainError(domain::ErrorKind::kAlreadyExists, "REQUEST_ID_REUSED",
                                "request_id " + request_id + " was already used for a different " + method +
                                    " request: use a new id for a new request");
    }
    std::string bytes;
    if (!absl::Base64Unescape(stored->response, &bytes) || !response->ParseFromString(bytes)) {
      throw domain::DomainError(domain::ErrorKind::kInternal, "REPLAY_UNREADABLE", "stored response unreadable");
    }
  });
}

int SweepExpiredRequestIds(storage::Database& db, absl::Time now) {
  constexpr int kBatch = 1000;
  const absl::Time before = now - kRequestIdRetention;
  // Look first without the write lock: most sweeps find nothing.
  if (!db.Lookup([&](domain::UnitOfWork& work) { return work.replays().AnyExpired(before); })) return 0;
  return db.Write([&](domain::UnitOfWork& work) { return work.replays().DeleteExpired(before, kBatch); });
}

}  // namespace homevisit::api
