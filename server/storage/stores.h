#pragma once
// SOCI implementations of the domain's repositories. Each lives for one transaction and uses the
// session that transaction leased.
#include <soci/soci.h>

#include "domain/repositories.h"
#include "storage/credential_store.h"
#include "storage/database.h"
#include "storage/sql.h"

namespace homevisit::storage {

class SociOrderRepository final : public domain::OrderRepository {
 public:
  SociOrderRepository(soci::session& sql, Dialect dialect) : sql_(sql), dialect_(dialect) {}
  bool InsertIfNewRequest(const domain::ServiceOrder& order, const std::string& request_id,
                          const domain::Event& created) override;
  std::optional<domain::ServiceOrder> FindByRequestId(const std::string& request_id) override;
  std::optional<domain::ServiceOrder> Find(const std::string& id) override;
  std::optional<domain::ServiceOrder> FindForAvailability(const std::string& id) override;
  std::vector<domain::ServiceOrder> List(const domain::OrderFilter& filter,
                                         const std::optional<domain::OrderPosition>& after, int limit,
                                         domain::OrderView view) override;
  void Update(const domain::ServiceOrder& order, int expected_version) override;

 private:
  std::optional<domain::ServiceOrder> FindWhere(const std::string& column, const std::string& value);
  soci::session& sql_;
  Dialect dialect_;
};

// An events row but its order id, for INSERT statements: the column names and, in the same order,
// the values, cast so that PostgreSQL can type them in a SELECT list too.
struct EventRowSql {
  std::string columns;
  std::string values;
};
EventRowSql EventRow(const domain::Event& event, SqlParams& params);

class SociEventRepository final : public domain::EventRepository {
 public:
  SociEventRepository(soci::session& sql, Dialect dialect) : sql_(sql), dialect_(dialect) {}
  void Append(const domain::Event& event) override;
  int Publish(absl::Duration wait) override;
  std::vector<domain::Event> List(const domain::EventFilter& filter, long long after_seq, int limit) override;
  std::vector<domain::Event> OfOrder(const std::string& order_id, int limit) override;
  long long LastSeq() override;
  long long LastSeqOf(const std::vector<domain::EventType>& types) override;
  std::vector<std::string> OrdersOf(const std::vector<domain::EventType>& types, long long after, long long upto,
                                    int limit) override;

  // The most events one Publish positions (the rest wait for the next round).
  static constexpr int kPublishBatch = 10000;

 private:
  // Runs `query` (selecting the columns ReadEvent reads) and returns its events.
  std::vector<domain::Event> Query(const std::string& query, SqlParams& params);
  soci::session& sql_;
  Dialect dialect_;
};

class SociTechnicianRepository final : public domain::TechnicianRepository {
 public:
  explicit SociTechnicianRepository(soci::session& sql) : sql_(sql) {}
  void Insert(const domain::Technician& technician) override;
  bool InsertIfNew(const domain::Technician& technician, const std::string& request_id) override;
  std::optional<domain::Technician> Find(const std::string& id) override;
  std::optional<domain::Technician> FindByRequestId(const std::string& request_id) override;
  std::optional<domain::Technician> FindByEmployeeNumber(const std::string& employee_number) override;
  void Update(const domain::Technician& technician, int expected_version) override;
  std::vector<domain::Technician> List(bool include_inactive, const std::string& postal_code,
                                       const std::optional<std::pair<std::string, std::string>>& after,
                                       int limit) override;

 private:
  // Inserts the technicians row; returns whether it inserted (false only with `if_new`).
  bool InsertRow(const domain::Technician& technician, const std::string& request_id, bool if_new);
  // Inserts the zones, hours and time off of `technician`.
  void InsertSchedule(const domain::Technician& technician);
  std::optional<domain::Technician> FindWhere(const std::string& column, const std::string& value);
  void LoadSchedules(std::vector<domain::Technician>& technicians);
  soci::session& sql_;
};

class SociMarkerRepository final : public domain::MarkerRepository {
 public:
  explicit SociMarkerRepository(soci::session& sql) : sql_(sql) {}
  bool SetOnce(const std::string& name, absl::Time now) override;

 private:
  soci::session& sql_;
};

class SociSchedulingRepository final : public domain::SchedulingRepository {
 public:
  explicit SociSchedulingRepository(soci::session& sql) : sql_(sql) {}
  std::vector<std::string> TechniciansCovering(const std::string& postal_code,
                                               const std::string& delegacion) override;
  std::vector<domain::TechnicianCalendar> Calendars(const std::vector<std::string>& technician_ids,
                                                    const domain::Interval& range, absl::Time now,
                                                    const std::string& except_order_id) override;
  bool Claim(const domain::SlotClaim& claim, absl::Time now) override;
  void ReleaseAppointmentClaims(const std::string& order_id) override;
  void ReleaseHoldClaims(const domain::Hold& hold) override;
  void InsertHold(const domain::Hold& hold) override;
  std::optional<domain::Hold> FindHold(const std::string& id) override;
  std::vector<domain::Hold> LiveHoldsOf(const std::string& order_id) override;
  void SetHoldStatus(const std::string& id, domain::HoldStatus status) override;
  std::vector<domain::Hold> ListHolds(const domain::HoldFilter& filter, const std::optional<domain::HoldPosition>& after,
                                      int limit) override;
  std::vector<domain::Hold> LapsedHolds(absl::Time now, int limit) override;
  bool ExpireHold(const std::string& id) override;

 private:
  soci::session& sql_;
};

class SociVisitRepository final : public domain::VisitRepository {
 public:
  explicit SociVisitRepository(soci::session& sql) : sql_(sql) {}
  void Save(const std::string& order_id, const domain::Visit& visit) override;
  void SaveChecklist(const std::string& order_id, const std::vector<domain::ChecklistAnswer>& answers) override;
  std::vector<std::string> LateCandidates(absl::Time window_start_before, int limit) override;
  bool MarkLate(const std::string& order_id, absl::Time now) override;
  std::vector<domain::ServiceOrder> ListReports(const std::string& file_number, const std::string& technician_id,
                                                const std::optional<domain::ReportPosition>& after, int limit,
                                                domain::OrderView view) override;
  void SaveDocument(const std::string& order_id, const domain::IssuedDocument& document) override;
  std::optional<domain::IssuedDocument> FindDocument(const std::string& order_id) override;

 private:
  soci::session& sql_;
};

class SociReplayRepository final : public domain::ReplayRepository {
 public:
  explicit SociReplayRepository(soci::session& sql) : sql_(sql) {}
  bool Claim(const domain::ReplayKey& key, const std::string& fingerprint, absl::Time now,
             absl::Time expired_before) override;
  std::optional<domain::StoredReplay> Find(const domain::ReplayKey& key) override;
  void SaveResponse(const domain::ReplayKey& key, const std::string& response) override;
  bool AnyExpired(absl::Time expired_before) override;
  int DeleteExpired(absl::Time expired_before, int limit) override;

 private:
  soci::session& sql_;
};

// The contract figures (issue 19), in SQL on either database; see metrics_store.cc.
class SociMetricsRepository final : public domain::MetricsRepository {
 public:
  SociMetricsRepository(soci::session& sql, Dialect dialect) : sql_(sql), dialect_(dialect) {}
  std::vector<domain::MetricsGroup> Compute(const domain::MetricsQuery& query) override;

 private:
  soci::session& sql_;
  Dialect dialect_;
};

class SociUnitOfWork final : public domain::UnitOfWork {
 public:
  SociUnitOfWork(soci::session& sql, Dialect dialect)
      : orders_(sql, dialect), events_(sql, dialect), technicians_(sql), markers_(sql), scheduling_(sql), visits_(sql),
        credentials_(sql, dialect), replays_(sql), metrics_(sql, dialect) {}
  domain::OrderRepository& orders() override { return orders_; }
  domain::EventRepository& events() override { return events_; }
  domain::TechnicianRepository& technicians() override { return technicians_; }
  domain::MarkerRepository& markers() override { return markers_; }
  domain::SchedulingRepository& scheduling() override { return scheduling_; }
  domain::VisitRepository& visits() override { return visits_; }
  domain::CredentialRepository& credentials() override { return credentials_; }
  domain::ReplayRepository& replays() override { return replays_; }
  domain::MetricsRepository& metrics() override { return metrics_; }

 private:
  SociOrderRepository orders_;
  SociEventRepository events_;
  SociTechnicianRepository technicians_;
  SociMarkerRepository markers_;
  SociSchedulingRepository scheduling_;
  SociVisitRepository visits_;
  SociCredentialRepository credentials_;
  SociReplayRepository replays_;
  SociMetricsRepository metrics_;
};

}  // namespace homevisit::storage
