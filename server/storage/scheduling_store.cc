// Calendars, holds and slot claims over SOCI. The no-double-booking guarantee is the primary key
// of slot_claims; see server/domain/scheduling_repository.h.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/calendar_changes.h"
#include "storage/sql.h"
#include "storage/stores.h"

namespace homevisit::storage {

using domain::Hold;
using domain::HoldStatus;
using domain::TechnicianCalendar;

namespace {

constexpr int kZonePostalCode = 1;
constexpr int kZoneDelegacion = 2;

constexpr const char* kSelectHold =
    "SELECT h.id, h.order_id, h.technician_id, t.display_name AS technician_name, h.window_start, "
    "h.window_end, h.expire_time, h.create_time, h.status FROM holds h JOIN technicians t ON t.id = "
    "h.technician_id ";

Hold HoldFromRow(const soci::row& r) {
  Hold h;
  h.id = GetText(r, "id");
  h.order_id = GetText(r, "order_id");
  h.technician_id = GetText(r, "technician_id");
  h.technician_name = GetText(r, "technician_name");
  h.window = {GetTime(r, "window_start"), GetTime(r, "window_end")};
  h.expire_time = GetTime(r, "expire_time");
  h.create_time = GetTime(r, "create_time");
  h.status = static_cast<HoldStatus>(GetInt(r, "status"));
  return h;
}

// "(:p0, :p1, ...)" binding every id.
std::string InList(const std::vector<std::string>& ids, SqlParams& p) {
  std::vector<std::string> names;
  names.reserve(ids.size());
  for (const auto& id : ids) names.push_back(p.Text(id));
  return absl::StrCat("(", absl::StrJoin(names, ", "), ")");
}

}  // namespace

std::vector<std::string> SociSchedulingRepository::TechniciansCovering(const std::string& postal_code,
                                                                        const std::string& delegacion) {
  // Delegaciones are compared normalized (accents, case, spaces), which SQL cannot do portably:
  // every delegación row is read and filtered here; postal codes match exactly in SQL.
  const std::string wanted = domain::NormalizeZoneName(delegacion);
  SqlParams p;
  std::set<std::string> ids;
  QueryRows(sql_,
            absl::StrCat("SELECT z.technician_id, z.kind, z.zone FROM technician_zones z JOIN technicians t ON "
                         "t.id = z.technician_id WHERE t.active = 1 AND ((z.kind = ",
                         p.Int(kZonePostalCode), " AND z.zone = ", p.Text(postal_code), ") OR z.kind = ",
                         p.Int(kZoneDelegacion), ")"),
            p, [&](const soci::row& r) {
              if (GetInt(r, "kind") == kZonePostalCode ||
                  (!wanted.empty() && domain::NormalizeZoneName(GetText(r, "zone")) == wanted)) {
                ids.insert(GetText(r, "technician_id"));
              }
            });
  return {ids.begin(), ids.end()};
}

std::vector<TechnicianCalendar> SociSchedulingRepository::Calendars(const std::vector<std::string>& technician_ids,
                                                                    const domain::Interval& range, absl::Time now,
                                                                    const std::string& except_order_id) {
  std::vector<TechnicianCalendar> calendars;
  if (technician_ids.empty()) return calendars;
  std::map<std::string, size_t> index;
  {
    SqlParams p;
    QueryRows(sql_,
              absl::StrCat("SELECT id, display_name, active FROM technicians WHERE id IN ", InList(technician_ids, p),
                           " ORDER BY id"),
              p, [&](const soci::row& r) {
                TechnicianCalendar c;
                c.technician_id = GetText(r, "id");
                c.display_name = GetText(r, "display_name");
                c.active = GetInt(r, "active") != 0;
                index[c.technician_id] = calendars.size();
                calendars.push_back(std::move(c));
              });
  }
  if (calendars.empty()) return calendars;
  auto calendar_of = [&](const soci::row& r) -> TechnicianCalendar& {
    return calendars[index.at(GetText(r, "technician_id"))];
  };
  {
    SqlParams p;
    QueryRows(sql_,
              absl::StrCat("SELECT technician_id, kind, zone FROM technician_zones WHERE technician_id IN ",
                           InList(technician_ids, p)),
              p, [&](const soci::row& r) {
                TechnicianCalendar& c = calendar_of(r);
                (GetInt(r, "kind") == kZonePostalCode ? c.postal_codes : c.delegaciones).push_back(GetText(r, "zone"));
              });
  }
  {
    SqlParams p;
    QueryRows(sql_,
              absl::StrCat("SELECT technician_id, weekday, start_minute, end_minute FROM technician_hours WHERE "
                           "technician_id IN ",
                           InList(technician_ids, p)),
              p, [&](const soci::row& r) {
                calendar_of(r).weekly_shifts.push_back(
                    {GetInt(r, "weekday"), GetInt(r, "start_minute"), GetInt(r, "end_minute")});
              });
  }
  {
    SqlParams p;
    QueryRows(sql_,
              absl::StrCat("SELECT technician_id, start_time, end_time FROM technician_time_off WHERE technician_id IN ",
                           InList(technician_ids, p), " AND end_time > ", p.Time(range.start),
                           " AND start_time < ", p.Time(range.end)),
              p, [&](const soci::row& r) {
                calendar_of(r).time_off.push_back({GetTime(r, "start_time"), GetTime(r, "end_time")});
              });
  }
  {
    // Busy time is read from the claims themselves, so availability never offers what a claim
    // would refuse. Expired hold claims are ignored here and deleted by the next claim.
    // Runs of consecutive granules come back as one interval ("gaps and islands": within a run,
    // granule - row_number * granule_length is constant), a dozen times fewer rows to fetch.
    SqlParams p;
    const long long granule_micros = absl::ToInt64Microseconds(domain::kClaimGranule);
    QueryRows(sql_,
              absl::StrCat("SELECT technician_id, MIN(granule) AS first_granule, MAX(granule) AS last_granule FROM "
                           "(SELECT technician_id, granule, granule - ",
                           p.Int64(granule_micros),
                           " * ROW_NUMBER() OVER (PARTITION BY technician_id ORDER BY granule) AS island FROM "
                           "slot_claims WHERE technician_id IN ",
                           InList(technician_ids, p), " AND granule >= ", p.Time(range.start - domain::kClaimGranule),
                           " AND granule < ", p.Time(range.end), " AND order_id <> ", p.Text(except_order_id),
                           " AND (expire_time IS NULL OR expire_time > ", p.Time(now),
                           ")) runs GROUP BY technician_id, island"),
              p, [&](const soci::row& r) {
                calendar_of(r).busy.push_back(
                    {GetTime(r, "first_granule"), GetTime(r, "last_granule") + domain::kClaimGranule});
              });
  }
  return calendars;
}

bool SociSchedulingRepository::Claim(const domain::SlotClaim& claim, absl::Time now) {
  MarkClaimsChange(claim.technician_id, claim.order_id);
  if (claim.granules.empty()) return true;
  const absl::Time first = claim.granules.front();
  const absl::Time last = claim.granules.back();
  {
    // Lazy expiry: holds that lapsed give their granules up to whoever claims them next.
    SqlParams p;
    Execute(sql_,
            absl::StrCat("DELETE FROM slot_claims WHERE technician_id = ", p.Text(claim.technician_id),
                         " AND granule >= ", p.Time(first), " AND granule <= ", p.Time(last),
                         " AND hold_id IS NOT NULL AND expire_time <= ", p.Time(now)),
            p);
  }
  // ON CONFLICT DO NOTHING rather than a failing INSERT: a PostgreSQL transaction that hit a
  // unique violation is dead, while here the count tells the outcome and the caller rolls back.
  // A concurrent uncommitted claim of the same key makes this wait for its outcome.
  long long inserted = 0;
  {
    SqlParams p;
    std::vector<std::string> rows;
    rows.reserve(claim.granules.size());
    for (absl::Time granule : claim.granules) {
      rows.push_back(absl::StrCat("(", p.Text(claim.technician_id), ", ", p.Time(granule), ", ",
                                  p.Text(claim.order_id), ", ", p.TextOrNull(claim.hold_id), ", ",
                                  p.TimeOrNull(claim.hold_id.empty() ? nullptr : &claim.expire_time), ")"));
    }
    inserted = Execute(sql_,
                       absl::StrCat("INSERT INTO slot_claims (technician_id, granule, order_id, hold_id, expire_time) "
                                    "VALUES ",
                                    absl::StrJoin(rows, ", "), " ON CONFLICT (technician_id, granule) DO NOTHING"),
                       p);
  }
  if (inserted == static_cast<long long>(claim.granules.size())) return true;
  // Some granules were claimed already: fine only if every one belongs to this same order (a hold
  // overlapping the order's own appointment, e.g. before a reschedule).
  long long own = 0;
  {
    SqlParams p;
    QueryRows(sql_,
              absl::StrCat("SELECT COUNT(*) AS n FROM slot_claims WHERE technician_id = ", p.Text(claim.technician_id),
                           " AND granule >= ", p.Time(first), " AND granule <= ", p.Time(last),
                           " AND order_id = ", p.Text(claim.order_id)),
              p, [&](const soci::row& r) { own = GetInt64(r, "n"); });
  }
  return own == static_cast<long long>(claim.granules.size());
}

void SociSchedulingRepository::ReleaseAppointmentClaims(const std::string& order_id) {
  MarkClaimsChange("", order_id);  // the calendar index knows whose claims the order holds
  SqlParams p;
  Execute(sql_, absl::StrCat("DELETE FROM slot_claims WHERE order_id = ", p.Text(order_id), " AND hold_id IS NULL"),
          p);
}

void SociSchedulingRepository::ReleaseHoldClaims(const domain::Hold& hold) {
  MarkClaimsChange(hold.technician_id, hold.order_id);
  SqlParams p;
  Execute(sql_, absl::StrCat("DELETE FROM slot_claims WHERE hold_id = ", p.Text(hold.id)), p);
}

void SociSchedulingRepository::InsertHold(const Hold& h) {
  SqlParams p;
  Execute(sql_,
          absl::StrCat("INSERT INTO holds (id, order_id, technician_id, window_start, window_end, expire_time, "
                       "create_time, status) VALUES (",
                       absl::StrJoin({p.Text(h.id), p.Text(h.order_id), p.Text(h.technician_id), p.Time(h.window.start),
                                      p.Time(h.window.end), p.Time(h.expire_time), p.Time(h.create_time),
                                      p.Int(static_cast<int>(h.status))},
                                     ", "),
                       ")"),
          p);
}

std::optional<Hold> SociSchedulingRepository::FindHold(const std::string& id) {
  SqlParams p;
  std::optional<Hold> found;
  QueryRows(sql_, absl::StrCat(kSelectHold, "WHERE h.id = ", p.Text(id)), p,
            [&](const soci::row& r) { found = HoldFromRow(r); });
  return found;
}

std::vector<Hold> SociSchedulingRepository::LiveHoldsOf(const std::string& order_id) {
  SqlParams p;
  std::vector<Hold> holds;
  QueryRows(sql_,
            absl::StrCat(kSelectHold, "WHERE h.order_id = ", p.Text(order_id),
                         " AND h.status = ", p.Int(static_cast<int>(HoldStatus::kLive)), " ORDER BY h.create_time, h.id"),
            p, [&](const soci::row& r) { holds.push_back(HoldFromRow(r)); });
  return holds;
}

void SociSchedulingRepository::SetHoldStatus(const std::string& id, HoldStatus status) {
  SqlParams p;
  Execute(sql_,
          absl::StrCat("UPDATE holds SET status = ", p.Int(static_cast<int>(status)), " WHERE id = ", p.Text(id)), p);
}

std::vector<Hold> SociSchedulingRepository::ListHolds(const domain::HoldFilter& filter,
                                                     const std::optional<domain::HoldPosition>& after, int limit) {
  SqlParams p;
  std::vector<std::string> where = {"1 = 1"};
  if (!filter.technician_id.empty()) where.push_back(absl::StrCat("h.technician_id = ", p.Text(filter.technician_id)));
  if (filter.window_end_after) where.push_back(absl::StrCat("h.window_end > ", p.Time(*filter.window_end_after)));
  if (filter.window_start_before) {
    where.push_back(absl::StrCat("h.window_start < ", p.Time(*filter.window_start_before)));
  }
  if (filter.live_at) {
    where.push_back(absl::StrCat("h.status = ", p.Int(static_cast<int>(HoldStatus::kLive)),
                                 " AND h.expire_time > ", p.Time(*filter.live_at)));
  }
  if (after) {
    where.push_back(absl::StrCat("(h.window_start > ", p.Time(after->window_start), " OR (h.window_start = ",
                                 p.Time(after->window_start),
                                 " AND h.id > ", p.Text(after->id), "))"));
  }
  std::vector<Hold> holds;
  QueryRows(sql_,
            absl::StrCat(kSelectHold, "WHERE ", absl::StrJoin(where, " AND "), " ORDER BY h.window_start, h.id LIMIT ",
                         p.Int(limit)),
            p, [&](const soci::row& r) { holds.push_back(HoldFromRow(r)); });
  return holds;
}

std::vector<Hold> SociSchedulingRepository::LapsedHolds(absl::Time now, int limit) {
  SqlParams p;
  std::vector<Hold> holds;
  QueryRows(sql_,
            absl::StrCat(kSelectHold, "WHERE h.status = ", p.Int(static_cast<int>(HoldStatus::kLive)),
                         " AND h.expire_time <= ", p.Time(now), " ORDER BY h.expire_time, h.id LIMIT ", p.Int(limit)),
            p, [&](const soci::row& r) { holds.push_back(HoldFromRow(r)); });
  return holds;
}

bool SociSchedulingRepository::ExpireHold(const std::string& id) {
  // No calendar mark: a lapsed hold's claims read as free already, and ReleaseHoldClaims, which
  // deletes them, marks the change.
  SqlParams p;
  return Execute(sql_,
                 absl::StrCat("UPDATE holds SET status = ", p.Int(static_cast<int>(HoldStatus::kExpired)),
                              " WHERE id = ", p.Text(id), " AND status = ", p.Int(static_cast<int>(HoldStatus::kLive))),
                 p) == 1;
}

}  // namespace homevisit::storage
