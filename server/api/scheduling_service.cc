#include "api/scheduling_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "api/page_token.h"
#include "api/principal.h"
#include "api/request_replay.h"
#include "api/unary.h"
#include "domain/errors.h"
#include "domain/order_commands.h"

namespace homevisit::api {
namespace {

using domain::DomainError;
using domain::ErrorKind;

std::string HoldName(const std::string& id) { return absl::StrCat("holds/", id); }

// Stored at microsecond precision, so compared at that precision too.
absl::Time Micros(absl::Time t) {
  return t == absl::InfinitePast() ? t : absl::FromUnixMicros(absl::ToUnixMicros(t));
}

domain::SlotChoice ChoiceFromProto(const v1::SlotOption& option, const std::string& field) {
  domain::SlotChoice choice;
  choice.technician_id = IdFromName(option.technician(), "technicians", field + ".technician");
  choice.start =
      Micros(FromProto(option.window().start_time(), option.window().has_start_time(), field + ".window.start_time"));
  return choice;
}

domain::BookingSource SourceFromProto(bool has_option, const v1::SlotOption& option, const std::string& hold) {
  domain::BookingSource source;
  if (!hold.empty()) {
    source.hold_id = IdFromName(hold, "holds", "hold");
  } else if (has_option) {
    source.choice = ChoiceFromProto(option, "option");
  } else {
    throw DomainError(ErrorKind::kInvalidArgument, "INVALID_FIELDS", "invalid request: option",
                      {{"option", "is required: an option offered by CheckAvailability, or a hold"}});
  }
  return source;
}

void SlotToProto(const domain::SlotOption& o, v1::SlotOption* out) {
  ToProto(o.window.start, out->mutable_window()->mutable_start_time());
  ToProto(o.window.end, out->mutable_window()->mutable_end_time());
  out->set_technician(TechnicianName(o.technician_id));
  out->set_technician_display_name(o.technician_name);
}

void HoldToProto(const domain::Hold& h, absl::Time now, v1::Hold* out) {
  out->set_name(HoldName(h.id));
  out->set_service_order(OrderName(h.order_id));
  SlotToProto(domain::SlotOption{{h.window.start, h.window.end}, h.technician_id, h.technician_name},
          out->mutable_option());
  ToProto(h.expire_time, out->mutable_expire_time());
  out->set_released(!h.LiveAt(now));
  using S = domain::HoldStatus;
  switch (h.status) {
    case S::kLive: out->set_state(h.LiveAt(now) ? v1::Hold::STATE_LIVE : v1::Hold::STATE_EXPIRED); break;
    case S::kReleased: out->set_state(v1::Hold::STATE_RELEASED); break;
    case S::kBooked: out->set_state(v1::Hold::STATE_BOOKED); break;
    case S::kExpired: out->set_state(v1::Hold::STATE_EXPIRED); break;
  }
}

v1::UnavailableReason ReasonToProto(domain::UnavailableReason reason) {
  using R = domain::UnavailableReason;
  switch (reason) {
    case R::kNone: return v1::UNAVAILABLE_REASON_UNSPECIFIED;
    case R::kInThePast: return v1::UNAVAILABLE_REASON_IN_THE_PAST;
    case R::kBeyondHorizon: return v1::UNAVAILABLE_REASON_BEYOND_HORIZON;
    case R::kNoTechnicianCoversZone: return v1::UNAVAILABLE_REASON_NO_COVERAGE;
    case R::kOutsideWorkingHours: return v1::UNAVAILABLE_REASON_OUTSIDE_WORKING_HOURS;
    case R::kAllBooked: return v1::UNAVAILABLE_REASON_ALL_BOOKED;
    case R::kTimeOff: return v1::UNAVAILABLE_REASON_TIME_OFF;
    case R::kInvalidWindow: break;
  }
  throw DomainError(ErrorKind::kInvalidArgument, "INVALID_FIELDS", "invalid request: window",
                    {{"window", "must have a start_time"}});
}

bool IsSlotTaken(const DomainError& e) {
  // UNIQUE_VIOLATION: a claim that lost a race surfaced as the key violation itself.
  return e.reason() == "SLOT_TAKEN" || (e.kind() == ErrorKind::kAlreadyExists && e.reason() == "UNIQUE_VIOLATION");
}

// Where to look for alternatives when a booking loses its race: around the option it asked for,
// or (booking from a hold) around the order's requested window.
std::optional<absl::Time> AlternativesAround(const domain::BookingSource& source) {
  if (!source.hold_id.empty()) return std::nullopt;
  return source.choice.start;
}

}  // namespace

namespace {

// A claim runs on the SQLite writer (ServeWrite) only when a refusal's alternatives come from the
// calendar index: read from the database they could take long, and every write would wait.
template <typename Body>
grpc::ServerUnaryReactor* ServeClaim(bool index, grpc::CallbackServerContext* context, WorkerPool& pool,
                                     const char* method, Body&& body) {
  if (index) return ServeWrite(context, pool, method, std::forward<Body>(body));
  return ServeUnary(context, pool, method, std::forward<Body>(body));
}

}  // namespace

template <typename Fn>
auto SchedulingServiceImpl::ClaimingWrite(const std::string& order_id, std::optional<absl::Time> start, Fn&& write) {
  try {
    return write();
  } catch (const DomainError& e) {
    if (!IsSlotTaken(e)) throw;
    std::string alternatives = "unknown";
    try {
      alternatives = domain::DescribeAlternatives(db_.Read([&](domain::UnitOfWork& uow) {
        return domain::CheckOrderAvailability(uow, order_id, start, settings_, absl::Now(), calendars_);
      }),
                                                  settings_.policy);
    } catch (const DomainError&) {
      // The refusal matters more than the alternatives.
    }
    throw DomainError(ErrorKind::kAborted, "SLOT_TAKEN",
                      absl::StrCat("the option was taken meanwhile; free alternatives now: ", alternatives));
  }
}

grpc::ServerUnaryReactor* SchedulingServiceImpl::CheckAvailability(grpc::CallbackServerContext* context,
                                                                   const v1::CheckAvailabilityRequest* request,
                                                                   v1::CheckAvailabilityResponse* response) {
  // From the calendar index the call is one indexed read of the order plus a few hundred
  // microseconds of computation, so it runs where gRPC delivered it (no hand-off to the pool);
  // without the index, or before its first load, it reads every covering calendar and goes to
  // the pool, so that gRPC's threads never wait on that.
  const Dispatch dispatch = calendars_ != nullptr && calendars_->Loaded() ? Dispatch::kInline : Dispatch::kPool;
  return ServeUnary(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->service_order(), "serviceOrders", "service_order");
    std::optional<absl::Time> start;
    if (request->has_window()) {
      start = Micros(FromProto(request->window().start_time(), request->window().has_start_time(), "window.start_time"));
    }
    // With the calendar index current, the order is the only read: no transaction. Without it,
    // the calendars are read statement by statement; availability is a view either way (a
    // booking claims in the database).
    domain::Availability a = db_.Lookup([&](domain::UnitOfWork& work) {
      return domain::CheckOrderAvailability(work, id, start, settings_, absl::Now(), calendars_);
    });
    response->set_unavailable_reason(ReasonToProto(a.reason));
    response->set_requested_available(a.requested_available);
    if (a.requested) SlotToProto(*a.requested, response->mutable_requested());
    for (const auto& o : a.same_day) SlotToProto(o, response->add_same_day());
    for (const auto& o : a.other_days) SlotToProto(o, response->add_other_days());
  }, dispatch);
}

grpc::ServerUnaryReactor* SchedulingServiceImpl::CreateHold(grpc::CallbackServerContext* context,
                                                            const v1::CreateHoldRequest* request, v1::Hold* response) {
  return ServeClaim(calendars_ != nullptr, context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->service_order(), "serviceOrders", "service_order");
    domain::SlotChoice choice = ChoiceFromProto(request->option(), "option");
    domain::Actor actor = CurrentActor(context);
    ClaimingWrite(id, choice.start, [&] {
      WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
        const absl::Time now = absl::Now();
        const domain::Hold hold = domain::CreateHold(work, id, choice, settings_, actor, now);
        HoldToProto(hold, now, response);
      });
    });
  });
}

grpc::ServerUnaryReactor* SchedulingServiceImpl::ReleaseHold(grpc::CallbackServerContext* context,
                                                             const v1::ReleaseHoldRequest* request, v1::Hold* response) {
  return ServeWrite(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->name(), "holds", "name");
    domain::Actor actor = CurrentActor(context);
    WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
      const absl::Time now = absl::Now();
      const domain::Hold hold = domain::ReleaseHold(work, id, actor, now);
      HoldToProto(hold, now, response);
    });
  });
}

grpc::ServerUnaryReactor* SchedulingServiceImpl::GetHold(grpc::CallbackServerContext* context,
                                                         const v1::GetHoldRequest* request, v1::Hold* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->name(), "holds", "name");
    domain::Actor actor = CurrentActor(context);
    domain::Hold hold = db_.Lookup([&](domain::UnitOfWork& work) {
      std::optional<domain::Hold> found = work.scheduling().FindHold(id);
      if (!found) throw DomainError(ErrorKind::kNotFound, "HOLD_NOT_FOUND", "no such hold");
      domain::GetOrder(work, found->order_id, actor);  // the caller must be able to see the order
      return std::move(*found);
    });
    HoldToProto(hold, absl::Now(), response);
  });
}

namespace {

constexpr int kDefaultHoldPageSize = 100;
constexpr int kMaxHoldPageSize = 500;

domain::HoldFilter HoldFilterFromRequest(const v1::ListHoldsRequest& r, absl::Time now) {
  domain::HoldFilter f;
  if (!r.technician().empty()) f.technician_id = IdFromName(r.technician(), "technicians", "technician");
  if (r.has_window_start_time()) f.window_end_after = FromProto(r.window_start_time(), true, "window_start_time");
  if (r.has_window_end_time()) f.window_start_before = FromProto(r.window_end_time(), true, "window_end_time");
  if (f.window_end_after && f.window_start_before && *f.window_start_before <= *f.window_end_after) {
    throw DomainError(ErrorKind::kInvalidArgument, "INVALID_FIELDS", "invalid request: window_end_time",
                      {{"window_end_time", "must be after window_start_time"}});
  }
  if (r.live_only()) f.live_at = now;
  return f;
}

}  // namespace

grpc::ServerUnaryReactor* SchedulingServiceImpl::ListHolds(grpc::CallbackServerContext* context,
                                                           const v1::ListHoldsRequest* request,
                                                           v1::ListHoldsResponse* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    const absl::Time now = absl::Now();
    const domain::HoldFilter filter = HoldFilterFromRequest(*request, now);
    const int page_size = PageSize(request->page_size(), kDefaultHoldPageSize, kMaxHoldPageSize);
    v1::ListHoldsRequest filters_only = *request;
    filters_only.clear_page_size();
    filters_only.clear_page_token();
    const std::string fingerprint = Fingerprint(filters_only.SerializeAsString());
    std::optional<domain::HoldPosition> after;
    if (!request->page_token().empty()) {
      auto fields = DecodePageToken(request->page_token(), fingerprint, 2);
      long long micros = 0;
      if (!absl::SimpleAtoi(fields[0], &micros)) ThrowBadPageToken();
      after = domain::HoldPosition{absl::FromUnixMicros(micros), fields[1]};
    }
    // One extra row tells whether another page exists; one SELECT, so no transaction.
    std::vector<domain::Hold> holds = db_.Lookup(
        [&](domain::UnitOfWork& work) { return work.scheduling().ListHolds(filter, after, page_size + 1); });
    const bool more = static_cast<int>(holds.size()) > page_size;
    if (more) holds.pop_back();
    for (const domain::Hold& hold : holds) HoldToProto(hold, now, response->add_holds());
    if (more) {
      const domain::Hold& last = holds.back();
      response->set_next_page_token(
          EncodePageToken(fingerprint, {std::to_string(absl::ToUnixMicros(last.window.start)), last.id}));
    }
  });
}

grpc::ServerUnaryReactor* SchedulingServiceImpl::BookAppointment(grpc::CallbackServerContext* context,
                                                                 const v1::BookAppointmentRequest* request,
                                                                 v1::ServiceOrder* response) {
  return ServeClaim(calendars_ != nullptr, context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->service_order(), "serviceOrders", "service_order");
    domain::BookingSource source = SourceFromProto(request->has_option(), request->option(), request->hold());
    domain::Actor actor = CurrentActor(context);
    // The request id is both the order's booking id (a second booking of the order is refused
    // whatever its id) and, like every write's, the key of the stored first answer.
    ClaimingWrite(id, AlternativesAround(source), [&] {
      WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
        const domain::ServiceOrder order =
            domain::BookAppointment(work, id, source, request->request_id(), settings_, actor, absl::Now());
        ToProto(order, response);
      });
    });
  });
}

grpc::ServerUnaryReactor* SchedulingServiceImpl::RescheduleAppointment(
    grpc::CallbackServerContext* context, const v1::RescheduleAppointmentRequest* request,
    v1::ServiceOrder* response) {
  return ServeClaim(calendars_ != nullptr, context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->service_order(), "serviceOrders", "service_order");
    domain::BookingSource source = SourceFromProto(request->has_option(), request->option(), request->hold());
    domain::Actor actor = CurrentActor(context);
    ClaimingWrite(id, AlternativesAround(source), [&] {
      WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
        const domain::ServiceOrder order = domain::RescheduleAppointment(
            work, id, source, request->etag(), request->reason(), settings_, actor, absl::Now());
        ToProto(order, response);
      });
    });
  });
}

grpc::ServerUnaryReactor* SchedulingServiceImpl::ReassignAppointment(grpc::CallbackServerContext* context,
                                                                     const v1::ReassignAppointmentRequest* request,
                                                                     v1::ServiceOrder* response) {
  return ServeWrite(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->service_order(), "serviceOrders", "service_order");
    std::string technician = IdFromName(request->technician(), "technicians", "technician");
    domain::Actor actor = CurrentActor(context);
    WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
      const domain::ServiceOrder order = domain::ReassignAppointment(work, id, technician, request->etag(),
                                                                     request->reason(), settings_, actor, absl::Now());
      ToProto(order, response);
    });
  });
}

}  // namespace homevisit::api
