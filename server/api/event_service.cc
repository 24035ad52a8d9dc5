#include "api/event_service.h"

#include "absl/strings/numbers.h"
#include "api/convert.h"
#include "api/call_gate.h"
#include "api/enum_filter.h"
#include "api/page_token.h"
#include "api/principal.h"
#include "api/unary.h"
#include "domain/text_rules.h"
#include "storage/event_log.h"

namespace homevisit::api {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

}  // namespace

grpc::ServerUnaryReactor* EventServiceImpl::ListEvents(grpc::CallbackServerContext* context,
                                                       const v1::ListEventsRequest* request,
                                                       v1::ListEventsResponse* response) {
  // On the pool, not inline: on PostgreSQL it may wait for running transactions (PublishEvents).
  return ServeUnary(context, pool_, __func__, [=, this] {
    domain::EventFilter filter;
    if (!request->service_order().empty()) {
      filter.order_id = IdFromName(request->service_order(), "serviceOrders", "service_order");
    }
    filter.file_number = request->file_number();
    filter.types = DistinctEnumFilter<domain::EventType>(request->types(), "types", domain::kMaxEventType, "Event.Type");
    int page_size = PageSize(request->page_size(), kDefaultPageSize, kMaxPageSize);
    v1::ListEventsRequest filters_only = *request;
    filters_only.clear_page_size();
    filters_only.clear_page_token();
    std::string fingerprint = Fingerprint(filters_only.SerializeAsString());
    long long after = 0;
    if (!request->page_token().empty()) {
      auto fields = DecodePageToken(request->page_token(), fingerprint, 1);
      if (!absl::SimpleAtoi(fields[0], &after)) ThrowBadPageToken();
    }
    // A caller that just wrote expects its own event: position what is final first.
    storage::PublishEvents(db_, read_wait_);
    auto events = db_.Lookup([&](domain::UnitOfWork& work) { return work.events().List(filter, after, page_size + 1); });
    bool more = static_cast<int>(events.size()) > page_size;
    if (more) events.pop_back();
    for (const auto& event : events) ToProto(event, response->add_events());
    if (more) response->set_next_page_token(EncodePageToken(fingerprint, {std::to_string(events.back().seq)}));
  });
}

grpc::ServerWriteReactor<v1::WatchEventsResponse>* EventServiceImpl::WatchEvents(
    grpc::CallbackServerContext* context, const v1::WatchEventsRequest* request) {
  // The same admission as unary calls, here on gRPC's thread: a watch starts once, and its
  // token lookup is one indexed read.
  domain::Actor actor;
  try {
    if (!pool_.call_gate()) throw domain::DomainError(domain::ErrorKind::kInternal, "NO_CALL_GATE", "misconfigured");
    actor = pool_.call_gate()->Admit(context, __func__);
  } catch (...) {
    return watches_.Refuse(CurrentExceptionToStatus());
  }
  return watches_.Open(actor.principal, CallGate::TokenHashOf(context), *request);
}

}  // namespace homevisit::api
