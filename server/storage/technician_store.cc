#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/errors.h"
#include "storage/calendar_changes.h"
#include "storage/sql.h"
#include "storage/stores.h"

namespace homevisit::storage {

using domain::Technician;

namespace {
constexpr int kZonePostalCode = 1;
constexpr int kZoneDelegacion = 2;

Technician TechnicianFromRow(const soci::row& r) {
  Technician t;
  t.id = GetText(r, "id");
  t.display_name = GetText(r, "display_name");
  t.employee_number = GetText(r, "employee_number");
  t.official_id_type = GetInt(r, "official_id_type");
  t.mobile_phone = GetText(r, "mobile_phone");
  t.active = GetInt(r, "active") != 0;
  t.create_time = GetTime(r, "create_time");
  t.update_time = GetTime(r, "update_time");
  t.version = GetInt(r, "version");
  t.update_actor = GetText(r, "update_actor");
  return t;
}
}  // namespace

void SociTechnicianRepository::Insert(const Technician& t) {
  InsertRow(t, "", /*if_new=*/false);
  InsertSchedule(t);
}

bool SociTechnicianRepository::InsertIfNew(const Technician& t, const std::string& request_id) {
  if (!InsertRow(t, request_id, /*if_new=*/true)) return false;
  InsertSchedule(t);
  return true;
}

bool SociTechnicianRepository::InsertRow(const Technician& t, const std::string& request_id, bool if_new) {
  MarkCalendarChange();
  SqlParams p;
  std::string values = absl::StrJoin(
      {p.Text(t.id), p.TextOrNull(request_id), p.Text(t.display_name), p.Text(t.employee_number),
       p.Int(t.official_id_type), p.Text(t.mobile_phone), p.Int(t.active ? 1 : 0), p.Time(t.create_time),
       p.Time(t.update_time), p.Int(t.version), p.TextOrNull(t.update_actor)},
      ", ");
  // ON CONFLICT DO NOTHING (SQLite >= 3.24 and PostgreSQL) without a target covers every unique
  // key: a concurrent create with the same request id or employee number inserts nothing, and
  // the caller finds out which key was taken.
  return Execute(sql_,
                 absl::StrCat("INSERT INTO technicians (id, request_id, display_name, employee_number, "
                              "official_id_type, mobile_phone, active, create_time, update_time, version, "
                              "update_actor) VALUES (",
                              values, ")", if_new ? " ON CONFLICT DO NOTHING" : ""),
                 p) == 1;
}

void SociTechnicianRepository::InsertSchedule(const Technician& t) {
  // One prepared statement per child table, executed once per row.
  {
    int kind = 0;
    std::string zone;
    soci::statement st = (sql_.prepare << "INSERT INTO technician_zones (technician_id, kind, zone) VALUES (:t, :k, :z)",
                          soci::use(t.id), soci::use(kind), soci::use(zone));
    for (const auto& code : t.postal_codes) {
      kind = kZonePostalCode;
      zone = code;
      st.execute(true);
    }
    for (const auto& delegacion : t.delegaciones) {
      kind = kZoneDelegacion;
      zone = delegacion;
      st.execute(true);
    }
  }
  {
    domain::WorkingHours h;
    soci::statement st =
        (sql_.prepare << "INSERT INTO technician_hours (technician_id, weekday, start_minute, end_minute) "
                         "VALUES (:t, :w, :s, :e)",
         soci::use(t.id), soci::use(h.weekday), soci::use(h.start_minute), soci::use(h.end_minute));
    for (const auto& hours : t.working_hours) {
      h = hours;
      st.execute(true);
    }
  }
  {
    long long start = 0, end = 0;
    std::string reason;
    soci::statement st = (sql_.prepare << "INSERT INTO technician_time_off (technician_id, start_time, end_time, "
                                          "reason) VALUES (:t, :s, :e, :r)",
                          soci::use(t.id), soci::use(start), soci::use(end), soci::use(reason));
    for (const auto& off : t.time_off) {
      start = absl::ToUnixMicros(off.start);
      end = absl::ToUnixMicros(off.end);
      reason = off.reason;
      st.execute(true);
    }
  }
}

void SociTechnicianRepository::Update(const Technician& t, int expected_version) {
  MarkCalendarChange();
  SqlParams p;
  std::string query = absl::StrCat(
      "UPDATE technicians SET display_name = ", p.Text(t.display_name), ", employee_number = ",
      p.Text(t.employee_number), ", official_id_type = ", p.Int(t.official_id_type), ", mobile_phone = ",
      p.Text(t.mobile_phone), ", active = ", p.Int(t.active ? 1 : 0), ", update_time = ", p.Time(t.update_time),
      ", version = ", p.Int(t.version), ", update_actor = ", p.TextOrNull(t.update_actor), " WHERE id = ",
      p.Text(t.id), " AND version = ", p.Int(expected_version));
  if (Execute(sql_, query, p) != 1) {
    throw domain::DomainError(domain::ErrorKind::kAborted, "CONCURRENT_UPDATE",
                              "the technician was changed concurrently: read it again and retry");
  }
  // The version check above serializes writers of this technician, so replacing the child rows
  // wholesale cannot interleave with another update.
  for (const char* table : {"technician_zones", "technician_hours", "technician_time_off"}) {
    SqlParams d;
    Execute(sql_, absl::StrCat("DELETE FROM ", table, " WHERE technician_id = ", d.Text(t.id)), d);
  }
  InsertSchedule(t);
}

std::optional<Technician> SociTechnicianRepository::FindWhere(const std::string& column, const std::string& value) {
  SqlParams p;
  std::vector<Technician> found;
  QueryRows(sql_, absl::StrCat("SELECT * FROM technicians WHERE ", column, " = ", p.Text(value)), p,
            [&](const soci::row& r) { found.push_back(TechnicianFromRow(r)); });
  if (found.empty()) return std::nullopt;
  LoadSchedules(found);
  return std::move(found.front());
}

std::optional<Technician> SociTechnicianRepository::Find(const std::string& id) { return FindWhere("id", id); }

std::optional<Technician> SociTechnicianRepository::FindByRequestId(const std::string& request_id) {
  return FindWhere("request_id", request_id);
}

std::optional<Technician> SociTechnicianRepository::FindByEmployeeNumber(const std::string& employee_number) {
  return FindWhere("employee_number", employee_number);
}

std::vector<Technician> SociTechnicianRepository::List(bool include_inactive, const std::string& postal_code,
                                                       const std::optional<std::pair<std::string, std::string>>& after,
                                                       int limit) {
  SqlParams p;
  std::vector<std::string> where;
  if (!include_inactive) where.push_back("t.active = 1");
  if (!postal_code.empty()) {
    where.push_back(absl::StrCat("EXISTS (SELECT 1 FROM technician_zones z WHERE z.technician_id = t.id AND z.kind = ",
                                 p.Int(kZonePostalCode), " AND z.zone = ", p.Text(postal_code), ")"));
  }
  if (after) {
    std::string name = p.Text(after->first);
    std::string name2 = p.Text(after->first);
    where.push_back(absl::StrCat("(t.display_name > ", name, " OR (t.display_name = ", name2, " AND t.id > ",
                                 p.Text(after->second), "))"));
  }
  std::string query = "SELECT t.* FROM technicians t ";
  if (!where.empty()) absl::StrAppend(&query, "WHERE ", absl::StrJoin(where, " AND "), " ");
  absl::StrAppend(&query, "ORDER BY t.display_name, t.id LIMIT ", p.Int(limit));
  std::vector<Technician> list;
  QueryRows(sql_, query, p, [&](const soci::row& r) {
    list.push_back(TechnicianFromRow(r));
  });
  LoadSchedules(list);
  return list;
}

// Three queries for the whole page rather than three per technician.
void SociTechnicianRepository::LoadSchedules(std::vector<Technician>& technicians) {
  if (technicians.empty()) return;
  std::map<std::string, Technician*> by_id;
  for (auto& t : technicians) by_id[t.id] = &t;
  auto in_list = [&](SqlParams& p) {
    std::vector<std::string> names;
    for (const auto& t : technicians) names.push_back(p.Text(t.id));
    return absl::StrCat("(", absl::StrJoin(names, ", "), ")");
  };
  {
    SqlParams p;
    QueryRows(sql_,
              absl::StrCat("SELECT technician_id, kind, zone FROM technician_zones WHERE technician_id IN ", in_list(p),
                           " ORDER BY technician_id, kind, zone"),
              p, [&](const soci::row& r) {
                Technician* t = by_id.at(GetText(r, "technician_id"));
                (GetInt(r, "kind") == kZonePostalCode ? t->postal_codes : t->delegaciones).push_back(GetText(r, "zone"));
              });
  }
  // Byte order, as the domain normalizes them: ORDER BY on text follows the database's collation,
  // which differs between SQLite and PostgreSQL for accented or mixed-case names.
  for (auto& t : technicians) {
    std::sort(t.postal_codes.begin(), t.postal_codes.end());
    std::sort(t.delegaciones.begin(), t.delegaciones.end());
  }
  {
    SqlParams p;
    QueryRows(sql_,
              absl::StrCat("SELECT technician_id, weekday, start_minute, end_minute FROM technician_hours WHERE "
                           "technician_id IN ",
                           in_list(p), " ORDER BY technician_id, weekday, start_minute"),
              p, [&](const soci::row& r) {
                by_id.at(GetText(r, "technician_id"))
                    ->working_hours.push_back(
                        {GetInt(r, "weekday"), GetInt(r, "start_minute"), GetInt(r, "end_minute")});
              });
  }
  {
    SqlParams p;
    QueryRows(sql_,
              absl::StrCat("SELECT technician_id, start_time, end_time, reason FROM technician_time_off WHERE "
                           "technician_id IN ",
                           in_list(p), " ORDER BY technician_id, start_time"),
              p, [&](const soci::row& r) {
                by_id.at(GetText(r, "technician_id"))
                    ->time_off.push_back({GetTime(r, "start_time"), GetTime(r, "end_time"), GetText(r, "reason")});
              });
  }
}

bool SociMarkerRepository::SetOnce(const std::string& name, absl::Time now) {
  SqlParams p;
  return Execute(sql_,
                 absl::StrCat("INSERT INTO markers (name, set_time) VALUES (", p.Text(name), ", ", p.Time(now),
                              ") ON CONFLICT (name) DO NOTHING"),
                 p) == 1;
}

}  // namespace homevisit::storage
