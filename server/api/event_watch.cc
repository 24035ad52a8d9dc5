#include "api/event_watch.h"

#include <deque>
#include <optional>

#include "absl/strings/numbers.h"
#include "api/call_gate.h"
#include "api/convert.h"
#include "api/enum_filter.h"
#include "api/status_mapping.h"
#include "domain/errors.h"
#include "storage/event_log.h"

namespace homevisit::api {

// One WatchEvents call. All state is guarded by mutex_; `busy_` means a database read or a
// write is in flight, so the ticker leaves it alone and OnDone defers deletion to that work.
class Watch final : public grpc::ServerWriteReactor<v1::WatchEventsResponse> {
 public:
  // `cursor` empty: the watch starts "now", decided by its first poll (on the pool: on
  // PostgreSQL it may wait for the transactions running at that moment, see PublishEvents).
  Watch(WatchHub& hub, std::string principal, std::string token_hash, domain::EventFilter filter,
        std::optional<long long> cursor)
      : hub_(hub),
        principal_(std::move(principal)),
        token_hash_(std::move(token_hash)),
        filter_(std::move(filter)),
        cursor_(cursor.value_or(0)),
        start_now_(!cursor) {}

  // A watch that only reports an error.
  static Watch* Refused(WatchHub& hub, const grpc::Status& status) {
    auto* watch = new Watch(hub, "", "", {}, 0LL);
    watch->registered_ = false;
    watch->finished_ = true;
    watch->Finish(status);
    return watch;
  }

  // Catch up at once rather than waiting for the first tick.
  void Begin() {
    std::lock_guard lock(mutex_);
    busy_ = true;
    SubmitPollLocked();
  }

  // From the ticker: read more if behind and idle.
  void WakeIfBehind(long long head) {
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || busy_ || finished_ || cursor_ >= head) return;
    busy_ = true;
    SubmitPollLocked();
  }

  void Stop() {
    std::lock_guard lock(mutex_);
    FinishLocked(grpc::Status::OK);
  }

  // The credential that opened the watch was revoked: end it, dropping anything not yet sent.
  void EndRevoked() {
    std::lock_guard lock(mutex_);
    batch_.erase(batch_.begin() + (writing_ && !batch_.empty() ? 1 : 0), batch_.end());
    FinishLocked(Revoked());
  }

  static grpc::Status Revoked() {
    return ToGrpcStatus(domain::DomainError(domain::ErrorKind::kUnauthenticated, "INVALID_TOKEN",
                                            "the token is unknown or revoked"));
  }

  const std::string& principal() const { return principal_; }
  const std::string& token_hash() const { return token_hash_; }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mutex_);
    writing_ = false;
    if (!ok || finished_) {
      // The client went away (OnCancel follows) or we are ending: drop the rest.
      batch_.clear();
      if (finish_pending_) FinishNowLocked();
      busy_ = false;
      return;
    }
    batch_.pop_front();
    if (!batch_.empty()) {
      WriteFrontLocked();
    } else {
      SubmitPollLocked();  // there may be more after this batch: keep catching up
    }
  }

  void OnCancel() override {
    std::lock_guard lock(mutex_);
    FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    if (registered_) hub_.Remove(this);
    bool destroy;
    {
      std::lock_guard lock(mutex_);
      done_ = true;
      destroy = !busy_;
    }
    if (destroy) delete this;
  }

 private:
  void SubmitPollLocked() {
    if (!hub_.pool_.TrySubmit([this] { Poll(); })) {
      busy_ = false;  // the pool is saturated: the next tick tries again
    }
  }

  void Poll() {
    std::vector<domain::Event> events;
    grpc::Status failure;
    if (start_now_) {  // only polls read or write it, and they never overlap (busy_)
      try {
        storage::PublishEvents(hub_.db_, hub_.options_.read_your_writes_wait);
        long long head = hub_.db_.Read([](domain::UnitOfWork& work) { return work.events().LastSeq(); });
        std::lock_guard lock(mutex_);
        cursor_ = head;
        start_now_ = false;
      } catch (...) {
        failure = CurrentExceptionToStatus();
      }
    }
    long long after;
    {
      std::lock_guard lock(mutex_);
      after = cursor_;
    }
    if (failure.ok() && !finished_flag_.load()) {
      try {
        // Nothing is delivered on a revoked credential, even between two ticks.
        if (!hub_.CredentialActive(token_hash_)) {
          failure = Revoked();
        } else {
          events = hub_.db_.Read([&](domain::UnitOfWork& work) {
            return work.events().List(filter_, after, hub_.options_.batch_size);
          });
        }
      } catch (...) {
        failure = CurrentExceptionToStatus();
      }
    }
    bool destroy = false;
    {
      std::lock_guard lock(mutex_);
      if (!failure.ok()) FinishLocked(failure);
      if (finished_ || events.empty()) {
        busy_ = false;
        destroy = done_;
      } else {
        cursor_ = events.back().seq;
        for (const auto& event : events) {
          v1::WatchEventsResponse response;
          ToProto(event, response.mutable_event());
          batch_.push_back(std::move(response));
        }
        WriteFrontLocked();
      }
    }
    if (destroy) delete this;
  }

  void WriteFrontLocked() {
    writing_ = true;
    StartWrite(&batch_.front());
  }

  // gRPC forbids Finish while a write is outstanding: defer it to OnWriteDone.
  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    finished_flag_ = true;
    final_status_ = status;
    if (writing_) {
      finish_pending_ = true;
    } else {
      FinishNowLocked();
    }
  }
  void FinishNowLocked() {
    finish_pending_ = false;
    Finish(final_status_);
  }

  WatchHub& hub_;
  std::string principal_;
  std::string token_hash_;
  domain::EventFilter filter_;
  std::mutex mutex_;
  long long cursor_;
  bool start_now_;
  std::deque<v1::WatchEventsResponse> batch_;
  bool registered_ = true;
  bool busy_ = false;
  bool writing_ = false;
  bool finished_ = false;
  std::atomic<bool> finished_flag_{false};  // read by Poll without the lock, to skip a useless read
  bool finish_pending_ = false;
  bool done_ = false;
  grpc::Status final_status_;
};

WatchHub::WatchHub(storage::Database& db, WorkerPool& pool, WatchOptions options)
    : db_(db), pool_(pool), options_(options), ticker_([this] { TickLoop(); }) {}

WatchHub::~WatchHub() { StopAll(); }

namespace {

grpc::Status Invalid(const std::string& field, const std::string& description) {
  return ToGrpcStatus(domain::DomainError(domain::ErrorKind::kInvalidArgument, "INVALID_FIELDS",
                                          "invalid request: " + field, {{field, description}}));
}

}  // namespace

grpc::ServerWriteReactor<v1::WatchEventsResponse>* WatchHub::Open(const std::string& principal,
                                                                   const std::string& token_hash,
                                                                   const v1::WatchEventsRequest& request) {
  domain::EventFilter filter;
  try {
    if (!request.service_order().empty()) {
      filter.order_id = IdFromName(request.service_order(), "serviceOrders", "service_order");
    }
    filter.types = DistinctEnumFilter<domain::EventType>(request.types(), "types", domain::kMaxEventType, "Event.Type");
  } catch (const domain::DomainError& e) {
    return Watch::Refused(*this, ToGrpcStatus(e));
  }
  filter.file_number = request.file_number();
  std::optional<long long> cursor = 0;  // from_beginning
  if (request.start_case() == v1::WatchEventsRequest::kAfterCursor) {
    long long after = 0;
    if (!absl::SimpleAtoi(request.after_cursor(), &after) || after < 0) {
      return Watch::Refused(*this, Invalid("after_cursor", "is not a cursor from an event"));
    }
    cursor = after;
  } else if (request.start_case() == v1::WatchEventsRequest::START_NOT_SET) {
    cursor.reset();  // "now": the first poll decides it, off gRPC's thread
  }
  Watch* watch;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return Watch::Refused(*this, grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
    }
    if (per_principal_[principal] >= options_.max_watches_per_principal) {
      return Watch::Refused(*this, ToGrpcStatus(domain::DomainError(
                                       domain::ErrorKind::kResourceExhausted, "TOO_MANY_WATCHES",
                                       "too many concurrent watches for this principal")));
    }
    ++per_principal_[principal];
    watch = new Watch(*this, principal, token_hash, std::move(filter), cursor);
    watches_.insert(watch);
  }
  watch->Begin();
  return watch;
}

grpc::ServerWriteReactor<v1::WatchEventsResponse>* WatchHub::Refuse(const grpc::Status& status) {
  return Watch::Refused(*this, status);
}

void WatchHub::Remove(Watch* watch) {
  std::lock_guard lock(mutex_);
  if (watches_.erase(watch) && --per_principal_[watch->principal()] == 0) per_principal_.erase(watch->principal());
}

size_t WatchHub::open() const {
  std::lock_guard lock(mutex_);
  return watches_.size();
}

void WatchHub::StopAll() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (Watch* watch : watches_) watch->Stop();
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void WatchHub::TickLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll_interval), [this] { return stopping_; });
    if (stopping_) continue;
    const bool watching = !watches_.empty();
    lock.unlock();
    long long head = 0;
    try {
      // Every tick, watched or not, so the log is never far behind for any reader of any replica.
      storage::PublishEvents(db_);
      // One cheap query per tick for the whole server, however many watches there are.
      if (watching) head = db_.Read([](domain::UnitOfWork& work) { return work.events().LastSeq(); });
    } catch (...) {
      head = 0;  // database unavailable: try again next tick
    }
    if (watching) EndRevokedWatches();
    lock.lock();
    for (Watch* watch : watches_) watch->WakeIfBehind(head);
  }
}

bool WatchHub::CredentialActive(const std::string& token_hash) {
  const CallGate* gate = pool_.call_gate();
  if (!gate) return true;
  try {
    return gate->StillActive(token_hash);
  } catch (...) {
    return true;  // the database is unreachable: ask again next time
  }
}

void WatchHub::EndRevokedWatches() {
  // Mostly cache hits: a credential costs one indexed read per cache period however many
  // watches it holds open.
  std::set<std::string> hashes;
  {
    std::lock_guard lock(mutex_);
    for (Watch* watch : watches_) hashes.insert(watch->token_hash());
  }
  std::set<std::string> revoked;
  for (const std::string& hash : hashes) {
    if (!CredentialActive(hash)) revoked.insert(hash);
  }
  if (revoked.empty()) return;
  std::lock_guard lock(mutex_);
  for (Watch* watch : watches_) {
    if (revoked.count(watch->token_hash())) watch->EndRevoked();
  }
}

}  // namespace homevisit::api
