#pragma once
// What the domain needs from storage. server/storage implements these over SOCI; every call of
// one UnitOfWork runs inside one database transaction.
#include <optional>
#include <string>
#include <vector>

#include "domain/credential.h"
#include "domain/event.h"
#include "domain/program_metrics.h"
#include "domain/scheduling_repository.h"
#include "domain/service_order.h"
#include "domain/technician.h"
#include "domain/visit_repository.h"

namespace homevisit::domain {

struct OrderFilter {
  std::string file_number;          // empty: any
  std::vector<OrderState> states;   // empty: any
  std::optional<absl::Time> schedule_start_after;   // inclusive
  std::optional<absl::Time> schedule_start_before;  // exclusive
  std::string technician_id;        // empty: any
  bool operator==(const OrderFilter&) const = default;
};

// Keyset position for "newest first" pages: (create_time, id) of the last order returned.
struct OrderPosition {
  absl::Time create_time;
  std::string id;
};

class OrderRepository {
 public:
  virtual ~OrderRepository() = default;
  // Inserts the order and its creation event (the log's first word on it) unless `request_id` is
  // taken already; returns whether it inserted. On PostgreSQL both rows go in with ONE statement,
  // so an intake needs no transaction around it (Database::WriteOneStatement).
  virtual bool InsertIfNewRequest(const ServiceOrder& order, const std::string& request_id, const Event& created) = 0;
  virtual std::optional<ServiceOrder> FindByRequestId(const std::string& request_id) = 0;
  virtual std::optional<ServiceOrder> Find(const std::string& id) = 0;
  // Only what asking for availability needs: id, file number, state, address, requested window
  // (the rest left empty). One row of one table: CheckAvailability's only read from the calendar
  // index, so it is kept small.
  virtual std::optional<ServiceOrder> FindForAvailability(const std::string& id) = 0;
  // Newest first, strictly after `after` when given.
  virtual std::vector<ServiceOrder> List(const OrderFilter& filter, const std::optional<OrderPosition>& after,
                                         int limit, OrderView view = OrderView::kBasic) = 0;
  // Writes `order` (whose version is already bumped) if the stored version is still
  // `expected_version`; throws ABORTED otherwise.
  virtual void Update(const ServiceOrder& order, int expected_version) = 0;
};

struct EventFilter {
  std::string order_id;
  std::string file_number;
  std::vector<EventType> types;
};

class EventRepository {
 public:
  virtual ~EventRepository() = default;
  // Appends an event. Its position in the log (Event::seq, the public cursor) is given when
  // readers can see it in order: at once where writers commit one at a time (SQLite), else by
  // Publish.
  virtual void Append(const Event& event) = 0;
  // Gives the next positions to the events no transaction can still precede (PostgreSQL; see
  // DESIGN.md, "The event log"); returns how many. Run in a unit of work of its own. With a
  // `wait`, first waits (at most that long) for the transactions running now to end, so every
  // event committed before the call is positioned: a reader sees its own writes.
  virtual int Publish(absl::Duration wait) = 0;
  // Published events, oldest first, with seq > after_seq.
  virtual std::vector<Event> List(const EventFilter& filter, long long after_seq, int limit) = 0;
  // The first `limit` committed events of one order in the order they were appended, published
  // or not (a report's account of its own steps; not a cursor).
  virtual std::vector<Event> OfOrder(const std::string& order_id, int limit) = 0;
  // The newest published event's position, 0 for an empty log.
  virtual long long LastSeq() = 0;
  // The same among events of `types` only (an index lookup per type).
  virtual long long LastSeqOf(const std::vector<EventType>& types) = 0;
  // The distinct orders of published events of `types` with after < position <= upto; at most
  // `limit` + 1 of them (more than `limit` means "too many to list").
  virtual std::vector<std::string> OrdersOf(const std::vector<EventType>& types, long long after, long long upto,
                                            int limit) = 0;
};

class TechnicianRepository {
 public:
  virtual ~TechnicianRepository() = default;
  virtual void Insert(const Technician& technician) = 0;
  // Inserts with its optional `request_id` (empty: none) unless a unique key (request id,
  // employee number) is taken already; returns whether it inserted.
  virtual bool InsertIfNew(const Technician& technician, const std::string& request_id) = 0;
  virtual std::optional<Technician> Find(const std::string& id) = 0;
  virtual std::optional<Technician> FindByRequestId(const std::string& request_id) = 0;
  virtual std::optional<Technician> FindByEmployeeNumber(const std::string& employee_number) = 0;
  // Writes `technician` (whose version is already bumped) with its zones, hours and time off if
  // the stored version is still `expected_version`; throws ABORTED otherwise.
  virtual void Update(const Technician& technician, int expected_version) = 0;
  // By display name then id, after the given (display_name, id) position.
  virtual std::vector<Technician> List(bool include_inactive, const std::string& postal_code,
                                       const std::optional<std::pair<std::string, std::string>>& after,
                                       int limit) = 0;
};

// Flags that something happened once in this database (e.g. demo data loaded).
class MarkerRepository {
 public:
  virtual ~MarkerRepository() = default;
  // Sets the marker; returns false when it was set already.
  virtual bool SetOnce(const std::string& name, absl::Time now) = 0;
};

// Request ids of retried writes (AIP-155): one row per (principal, method, request_id) with a
// fingerprint of the request and the response it got, written in the write's own transaction.
struct ReplayKey {
  std::string principal;
  std::string method;
  std::string request_id;
};

struct StoredReplay {
  std::string fingerprint;
  std::string response;  // the serialized response, base64
};

class ReplayRepository {
 public:
  virtual ~ReplayRepository() = default;
  // Takes `key` for a request with `fingerprint`: true when the key was free, or held by a claim
  // made before `expired_before` (which is forgotten). On PostgreSQL a concurrent claim of the
  // same key waits for the other transaction and then sees its outcome.
  virtual bool Claim(const ReplayKey& key, const std::string& fingerprint, absl::Time now,
                     absl::Time expired_before) = 0;
  virtual std::optional<StoredReplay> Find(const ReplayKey& key) = 0;
  virtual void SaveResponse(const ReplayKey& key, const std::string& response) = 0;
  virtual bool AnyExpired(absl::Time expired_before) = 0;
  // Deletes up to `limit` claims made before `expired_before`; returns how many.
  virtual int DeleteExpired(absl::Time expired_before, int limit) = 0;
};

class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
  virtual OrderRepository& orders() = 0;
  virtual EventRepository& events() = 0;
  virtual TechnicianRepository& technicians() = 0;
  virtual MarkerRepository& markers() = 0;
  virtual SchedulingRepository& scheduling() = 0;
  virtual VisitRepository& visits() = 0;
  virtual CredentialRepository& credentials() = 0;
  virtual ReplayRepository& replays() = 0;
  virtual MetricsRepository& metrics() = 0;
};

}  // namespace homevisit::domain
