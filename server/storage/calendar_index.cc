#include "storage/calendar_index.h"

#include <pthread.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "domain/scheduling_repository.h"
#include "storage/sql.h"

#include "observability/logging.h"

namespace homevisit::storage {

using domain::Interval;
using domain::TechnicianCalendar;

namespace {

constexpr int kZonePostalCode = 1;

// The events whose transactions change slot claims: booking, rescheduling, reassignment,
// cancellation, holds placed, released or lapsed. Other events (intake, calls, visit steps) leave
// calendars alone and must not make every replica reload. Technicians' changes append no event;
// the stamp watches their table instead.
const std::vector<domain::EventType>& CalendarEventTypes() {
  using T = domain::EventType;
  static const std::vector<T> types = {T::kSlotHeld,     T::kHoldReleased, T::kBooked,
                                       T::kTechnicianAssigned, T::kRescheduled, T::kCancelled};
  return types;
}

size_t TextBytes(const std::string& s) { return sizeof(std::string) + (s.size() > 15 ? s.capacity() : 0); }

}  // namespace

CalendarIndex::CalendarIndex(Database& db, CalendarIndexOptions options)
    : db_(db), options_(options), loader_([this] { Loop(); }) {}

CalendarIndex::~CalendarIndex() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  loader_.join();
  Stats s = stats();
  if (s.loaded) {
    // Counts only: no names.
    observability::LogEvent(observability::LogLevel::kInfo, "calendar_index_stopped",
                            {{"technicians", absl::StrCat(s.technicians)},
                             {"busy_intervals", absl::StrCat(s.busy_intervals)},
                             {"kib", absl::StrCat(s.bytes / 1024)},
                             {"full_loads", absl::StrCat(s.loads)},
                             {"partial_loads", absl::StrCat(s.partial_loads)},
                             {"last_load_ms", absl::StrCat(absl::ToDoubleMilliseconds(s.last_load_time))}});
  }
}

std::shared_ptr<const CalendarIndex::Snapshot> CalendarIndex::Current() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

CalendarIndex::Stats CalendarIndex::stats() const {
  std::lock_guard lock(mutex_);
  Stats s;
  s.loads = loads_;
  s.partial_loads = partial_loads_;
  s.last_load_time = last_load_time_;
  if (!snapshot_) return s;
  s.loaded = true;
  s.technicians = snapshot_->entries.size();
  for (const auto& e : snapshot_->entries) s.busy_intervals += e->busy.size();
  s.bytes = snapshot_->bytes;
  return s;
}

std::optional<domain::CoveringCalendars> CalendarIndex::Covering(const std::string& postal_code,
                                                                 const std::string& delegacion,
                                                                 const Interval& range, absl::Time now,
                                                                 const std::string& except_order_id) {
  std::shared_ptr<const Snapshot> snapshot = Current();
  auto step_aside = [&] {
    {
      std::lock_guard lock(mutex_);
      wanted_ = true;
    }
    wake_.notify_all();
    return std::nullopt;  // the caller reads the database this time
  };
  if (!snapshot || range.start < snapshot->range.start || snapshot->range.end < range.end) return step_aside();
  // Entries whose claims changed through this replica after the load began: the caller reads
  // those technicians from the database.
  std::vector<bool> stale;
  if (db_.calendar_generation() != snapshot->generation) {
    CalendarChange change = db_.calendar_changes().Since(snapshot->generation);
    if (change.everything) return step_aside();
    if (!change.empty()) {
      stale.assign(snapshot->entries.size(), false);
      for (const std::string& t : change.technicians) {
        if (auto it = snapshot->roster->position.find(t); it != snapshot->roster->position.end()) stale[it->second] = true;
      }
      for (const std::string& o : change.orders) {
        if (auto it = snapshot->owners.find(o); it != snapshot->owners.end()) {
          for (size_t i : it->second) stale[i] = true;
        }
      }
      {
        std::lock_guard lock(mutex_);
        wanted_ = true;  // catch up without waiting for the tick
      }
      wake_.notify_all();
    }
  }
  const Roster& roster = *snapshot->roster;
  // Entry index -> which of the request's zones it covers (bit 1: postal code, bit 2: delegación).
  std::vector<std::pair<size_t, int>> ids;
  if (auto it = roster.by_postal_code.find(postal_code); it != roster.by_postal_code.end()) {
    for (size_t i : it->second) ids.emplace_back(i, 1);
  }
  const std::string wanted = domain::NormalizeZoneName(delegacion);
  if (!wanted.empty()) {
    if (auto it = roster.by_delegacion.find(wanted); it != roster.by_delegacion.end()) {
      for (size_t i : it->second) ids.emplace_back(i, 2);
    }
  }
  // Entries are in id order, as the database's; one zone's list is already.
  if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
  const size_t except_hash = std::hash<std::string>{}(except_order_id);
  // The entries holding claims of the order asked about (usually none): its own time is not busy.
  const std::vector<size_t>* except_entries = nullptr;
  if (auto it = snapshot->owners.find(except_order_id); it != snapshot->owners.end()) except_entries = &it->second;
  domain::CoveringCalendars result;
  result.keep_alive = snapshot;  // the entries, and their shared calendars
  std::vector<const TechnicianCalendar*>& calendars = result.calendars;
  calendars.reserve(ids.size());
  for (size_t k = 0; k < ids.size(); ++k) {
    int zones = ids[k].second;
    while (k + 1 < ids.size() && ids[k + 1].first == ids[k].first) zones |= ids[++k].second;
    const size_t position = ids[k].first;
    const Entry& entry = *snapshot->entries[position];
    if (!stale.empty() && stale[position]) {
      TechnicianCalendar& placeholder = result.own.emplace_back();  // filled from the database
      placeholder.technician_id = entry.calendar.technician_id;
      result.stale.push_back(placeholder.technician_id);
      calendars.push_back(&placeholder);
      continue;
    }
    // The common case: the calendar shared by every call, nothing copied.
    if (entry.shared && !(except_entries && absl::c_linear_search(*except_entries, position))) {
      calendars.push_back(entry.shared.get());
      continue;
    }
    // A calendar with live holds (they lapse at their own time), or with the order's own claims.
    TechnicianCalendar& c = result.own.emplace_back();
    c.technician_id = entry.calendar.technician_id;
    c.display_name = entry.calendar.display_name;
    c.active = entry.calendar.active;
    // Only the zones of this request that it covers: the computation checks coverage again, and
    // copying every postal code of hundreds of technicians was a good part of a call.
    if (zones & 1) c.postal_codes.push_back(postal_code);
    if (zones & 2) c.delegaciones.push_back(delegacion);
    c.weekly_shifts = entry.calendar.weekly_shifts;
    for (const Interval& t : entry.calendar.time_off) {
      if (t.end > range.start && t.start < range.end) c.time_off.push_back(t);
    }
    // Busy intervals are sorted by start: stop at the first past the range.
    c.busy.reserve(entry.busy.size());
    for (const Busy& b : entry.busy) {
      if (b.interval.start >= range.end) break;
      if (b.interval.end <= range.start || b.expire_time <= now) continue;
      if (b.order_hash == except_hash && b.order_id == except_order_id) continue;
      c.busy.push_back(b.interval);
    }
    calendars.push_back(&c);
  }
  return result;
}

void CalendarIndex::Share(Entry& entry, const Interval& range) const {
  entry.shared = nullptr;
  for (const Busy& b : entry.busy) {
    if (b.expire_time != absl::InfiniteFuture()) return;  // a hold: each call applies its lapse
  }
  auto c = std::make_shared<TechnicianCalendar>(entry.calendar);
  for (std::string& d : c->delegaciones) d = domain::NormalizeZoneName(d);  // once, not per call
  c->busy.reserve(entry.busy.size());
  for (const Busy& b : entry.busy) c->busy.push_back(b.interval);
  domain::PrepareBusy(*c);
  if (options_.policy) {
    const absl::TimeZone tz = options_.policy->time_zone;
    domain::SummarizeDays(*c, *options_.policy, absl::ToCivilDay(range.start, tz), absl::ToCivilDay(range.end, tz));
  }
  entry.shared = std::move(c);
}

CalendarIndex::Stamp CalendarIndex::ReadStamp() {
  Stamp stamp;
  // The event log's last position among calendar events: on PostgreSQL a published one, so
  // every event at or below it committed (and so did the claims its transaction wrote).
  stamp.last_event =
      db_.Lookup([](domain::UnitOfWork& work) { return work.events().LastSeqOf(CalendarEventTypes()); });
  db_.WithSession([&](soci::session& sql) {
    SqlParams none;
    QueryRows(sql, "SELECT COUNT(*) AS n, COALESCE(MAX(update_time), 0) AS updated FROM technicians", none,
              [&](const soci::row& r) {
                stamp.technicians = GetInt64(r, "n");
                stamp.technicians_updated = GetInt64(r, "updated");
              });
  });
  return stamp;
}

void CalendarIndex::LoadBusy(soci::session& sql, const Interval& range, const std::vector<std::string>* only,
                             const std::function<void(const std::string& technician_id, Busy)>& each) {
  // One row per run of consecutive granules of one owner ("gaps and islands": within a run,
  // granule - row_number * granule length is constant), with the owner kept so that an order's
  // own claims can be left out and a hold's lapse applied at read time.
  SqlParams p;
  const long long granule_micros = absl::ToInt64Microseconds(domain::kClaimGranule);
  std::string which;
  if (only) {
    std::vector<std::string> ids;
    ids.reserve(only->size());
    for (const std::string& id : *only) ids.push_back(p.Text(id));
    which = absl::StrCat(" AND technician_id IN (", absl::StrJoin(ids, ", "), ")");
  }
  QueryRows(sql,
            absl::StrCat("SELECT technician_id, order_id, expire_time, MIN(granule) AS first_granule, "
                         "MAX(granule) AS last_granule FROM (SELECT technician_id, order_id, hold_id, expire_time, "
                         "granule, granule - ",
                         p.Int64(granule_micros),
                         " * ROW_NUMBER() OVER (PARTITION BY technician_id, order_id, hold_id ORDER BY granule) "
                         "AS island FROM slot_claims WHERE granule >= ",
                         p.Time(range.start - domain::kClaimGranule), " AND granule < ", p.Time(range.end), which,
                         ") runs GROUP BY technician_id, order_id, hold_id, expire_time, island"),
            p, [&](const soci::row& r) {
              Busy b;
              b.interval = {GetTime(r, "first_granule"), GetTime(r, "last_granule") + domain::kClaimGranule};
              b.order_id = GetText(r, "order_id");
              b.order_hash = std::hash<std::string>{}(b.order_id);
              if (!IsNull(r, "expire_time")) b.expire_time = GetTime(r, "expire_time");
              each(GetText(r, "technician_id"), std::move(b));
            });
}

std::shared_ptr<const CalendarIndex::Snapshot> CalendarIndex::Load(const Stamp& stamp, uint64_t generation) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->stamp = stamp;
  snapshot->generation = generation;
  snapshot->loaded_at = absl::Now();
  // Readers ask from a day before their `now`: two days back leaves room for a clock read
  // just before the load.
  snapshot->range = {snapshot->loaded_at - absl::Hours(48), snapshot->loaded_at + options_.ahead};
  const Interval range = snapshot->range;
  auto roster = std::make_shared<Roster>();
  std::vector<Entry> entries;
  db_.WithSession([&](soci::session& sql) {
    {
      SqlParams p;
      QueryRows(sql, "SELECT id, display_name FROM technicians WHERE active = 1 ORDER BY id", p,
                [&](const soci::row& r) {
                  Entry e;
                  e.calendar.technician_id = GetText(r, "id");
                  e.calendar.display_name = GetText(r, "display_name");
                  e.calendar.active = true;
                  roster->position[e.calendar.technician_id] = entries.size();
                  entries.push_back(std::move(e));
                });
    }
    auto entry_of = [&](const std::string& technician_id) -> Entry* {
      auto it = roster->position.find(technician_id);
      return it == roster->position.end() ? nullptr : &entries[it->second];  // an inactive technician's rows
    };
    {
      SqlParams p;
      QueryRows(sql, "SELECT technician_id, kind, zone FROM technician_zones", p, [&](const soci::row& r) {
        if (Entry* e = entry_of(GetText(r, "technician_id"))) {
          (GetInt(r, "kind") == kZonePostalCode ? e->calendar.postal_codes : e->calendar.delegaciones)
              .push_back(GetText(r, "zone"));
        }
      });
    }
    {
      SqlParams p;
      QueryRows(sql, "SELECT technician_id, weekday, start_minute, end_minute FROM technician_hours", p,
                [&](const soci::row& r) {
                  if (Entry* e = entry_of(GetText(r, "technician_id"))) {
                    e->calendar.weekly_shifts.push_back(
                        {GetInt(r, "weekday"), GetInt(r, "start_minute"), GetInt(r, "end_minute")});
                  }
                });
    }
    {
      SqlParams p;
      QueryRows(sql,
                absl::StrCat("SELECT technician_id, start_time, end_time FROM technician_time_off WHERE end_time > ",
                             p.Time(range.start), " AND start_time < ", p.Time(range.end)),
                p, [&](const soci::row& r) {
                  if (Entry* e = entry_of(GetText(r, "technician_id"))) {
                    e->calendar.time_off.push_back({GetTime(r, "start_time"), GetTime(r, "end_time")});
                  }
                });
    }
    LoadBusy(sql, range, nullptr, [&](const std::string& technician_id, Busy b) {
      if (Entry* e = entry_of(technician_id)) e->busy.push_back(std::move(b));
    });
  });
  snapshot->entries.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    std::sort(e.busy.begin(), e.busy.end(),
              [](const Busy& a, const Busy& b) { return a.interval.start < b.interval.start; });
    for (const std::string& code : e.calendar.postal_codes) roster->by_postal_code[code].push_back(i);
    for (const std::string& name : e.calendar.delegaciones) {
      roster->by_delegacion[domain::NormalizeZoneName(name)].push_back(i);
    }
    Share(e, range);
    snapshot->entries.push_back(std::make_shared<const Entry>(std::move(e)));
  }
  snapshot->roster = std::move(roster);
  IndexOwners(*snapshot);
  return snapshot;
}

std::shared_ptr<const CalendarIndex::Snapshot> CalendarIndex::LoadPartly(const Snapshot& current, const Stamp& stamp,
                                                                         uint64_t generation, CalendarChange change) {
  // A handful of orders is the common case; past this many a full load is as cheap.
  constexpr int kMaxOrders = 256;
  if (stamp.last_event != current.stamp.last_event) {
    std::vector<std::string> orders = db_.Lookup([&](domain::UnitOfWork& work) {
      return work.events().OrdersOf(CalendarEventTypes(), current.stamp.last_event, stamp.last_event, kMaxOrders);
    });
    if (orders.size() > static_cast<size_t>(kMaxOrders)) return nullptr;
    change.orders.insert(orders.begin(), orders.end());
  }
  if (change.orders.size() > static_cast<size_t>(kMaxOrders)) return nullptr;
  // Whose claims changed: the technicians named, those holding the orders' claims before (this
  // snapshot) and those holding them now (the database).
  std::set<std::string> technicians = std::move(change.technicians);
  for (const std::string& o : change.orders) {
    if (auto it = current.owners.find(o); it != current.owners.end()) {
      for (size_t i : it->second) technicians.insert(current.entries[i]->calendar.technician_id);
    }
  }
  std::vector<std::string> orders(change.orders.begin(), change.orders.end());
  std::map<std::string, std::vector<Busy>> busy;  // technician id -> its busy time, read again
  db_.WithSession([&](soci::session& sql) {
    if (!orders.empty()) {
      SqlParams p;
      std::vector<std::string> values;
      for (const std::string& o : orders) values.push_back(p.Text(o));
      QueryRows(sql,
                absl::StrCat("SELECT DISTINCT technician_id FROM slot_claims WHERE order_id IN (",
                             absl::StrJoin(values, ", "), ")"),
                p, [&](const soci::row& r) { technicians.insert(GetText(r, "technician_id")); });
    }
    // Only the active ones (the roster's): a change of activity comes with a full load.
    std::vector<std::string> ids;
    for (const std::string& t : technicians) {
      if (current.roster->position.count(t)) {
        ids.push_back(t);
        busy[t];  // a technician with no claims left reads back as none
      }
    }
    if (!ids.empty()) {
      LoadBusy(sql, current.range, &ids, [&](const std::string& technician_id, Busy b) {
        if (auto it = busy.find(technician_id); it != busy.end()) it->second.push_back(std::move(b));
      });
    }
  });
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->stamp = stamp;
  snapshot->generation = generation;
  snapshot->loaded_at = current.loaded_at;  // the next full load stays due when it was
  snapshot->range = current.range;
  snapshot->roster = current.roster;
  snapshot->entries = current.entries;  // shared: only the changed ones are replaced
  for (auto& [technician_id, intervals] : busy) {
    const size_t i = current.roster->position.at(technician_id);
    auto entry = std::make_shared<Entry>();
    entry->calendar = current.entries[i]->calendar;
    entry->busy = std::move(intervals);
    std::sort(entry->busy.begin(), entry->busy.end(),
              [](const Busy& a, const Busy& b) { return a.interval.start < b.interval.start; });
    Share(*entry, current.range);
    snapshot->entries[i] = std::move(entry);
  }
  IndexOwners(*snapshot);
  return snapshot;
}

void CalendarIndex::IndexOwners(Snapshot& snapshot) {
  size_t bytes = sizeof(Snapshot);
  snapshot.owners.clear();
  for (size_t i = 0; i < snapshot.entries.size(); ++i) {
    const Entry& e = *snapshot.entries[i];
    for (const Busy& b : e.busy) {
      std::vector<size_t>& holders = snapshot.owners[b.order_id];
      if (holders.empty() || holders.back() != i) holders.push_back(i);
    }
    bytes += sizeof(Entry) + TextBytes(e.calendar.technician_id) + TextBytes(e.calendar.display_name) +
             e.calendar.weekly_shifts.capacity() * sizeof(domain::WeeklyShift) +
             e.calendar.time_off.capacity() * sizeof(Interval) + e.busy.capacity() * sizeof(Busy);
    for (const std::string& z : e.calendar.postal_codes) bytes += TextBytes(z) + sizeof(size_t) * 2;
    for (const std::string& z : e.calendar.delegaciones) bytes += TextBytes(z) + sizeof(size_t) * 2;
    for (const Busy& b : e.busy) bytes += TextBytes(b.order_id) - sizeof(std::string);
    if (const TechnicianCalendar* c = e.shared.get()) {
      bytes += sizeof(TechnicianCalendar) + TextBytes(c->technician_id) + TextBytes(c->display_name) +
               c->weekly_shifts.capacity() * sizeof(domain::WeeklyShift) +
               c->time_off.capacity() * sizeof(Interval) + c->busy.capacity() * sizeof(Interval) +
               c->busy_prefix.capacity() * sizeof(absl::Duration) +
               c->busy_and_time_off.capacity() * sizeof(Interval) +
               c->day_summaries.days.capacity() * sizeof(domain::DaySummary);
      for (const std::string& z : c->postal_codes) bytes += TextBytes(z);
      for (const std::string& z : c->delegaciones) bytes += TextBytes(z);
    }
  }
  snapshot.bytes = bytes + snapshot.owners.size() * (sizeof(std::string) + sizeof(std::vector<size_t>) + 32);
}

void CalendarIndex::Install(std::shared_ptr<const Snapshot> snapshot, absl::Duration took, bool partial) {
  const uint64_t generation = snapshot->generation;
  const size_t technicians = snapshot->entries.size(), bytes = snapshot->bytes;
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = snapshot_ == nullptr;
    snapshot_ = std::move(snapshot);
    ++(partial ? partial_loads_ : loads_);
    last_load_time_ = took;
  }
  if (first) {  // from here on CheckAvailability answers from memory; counts only, no names
    observability::LogEvent(observability::LogLevel::kInfo, "calendar_index_loaded",
                            {{"technicians", absl::StrCat(technicians)},
                             {"kib", absl::StrCat(bytes / 1024)},
                             {"load_ms", absl::StrCat(absl::ToDoubleMilliseconds(took))}});
  }
  // Changes up to the load's generation are in it: nobody needs them from the log any more.
  db_.calendar_changes().Forget(generation);
}

void CalendarIndex::LoadNow() {
  const uint64_t generation = db_.calendar_generation();
  Stamp stamp = ReadStamp();
  absl::Time started = absl::Now();
  auto snapshot = Load(stamp, generation);
  Install(std::move(snapshot), absl::Now() - started, /*partial=*/false);
}

void CalendarIndex::Loop() {
  pthread_setname_np(pthread_self(), "hv-calendars");
  std::unique_lock lock(mutex_);
  bool first = true;
  while (!stopping_) {
    if (!first) {
      wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll_interval), [this] { return stopping_ || wanted_; });
    }
    first = false;
    if (stopping_) break;
    wanted_ = false;
    std::shared_ptr<const Snapshot> current = snapshot_;
    lock.unlock();
    try {
      // The generation is read before the stamp and the data, so a load never claims to include
      // a commit of this replica it may have missed.
      const uint64_t generation = db_.calendar_generation();
      Stamp stamp = ReadStamp();
      const absl::Time started = absl::Now();
      const bool full = !current || current->stamp.technicians != stamp.technicians ||
                        current->stamp.technicians_updated != stamp.technicians_updated ||
                        started - current->loaded_at >= options_.max_age;
      if (!full && current->stamp == stamp && current->generation == generation) {
        // Nothing changed.
      } else {
        std::shared_ptr<const Snapshot> next;
        if (!full) {
          CalendarChange change = db_.calendar_changes().Since(current->generation);
          if (!change.everything) next = LoadPartly(*current, stamp, generation, std::move(change));
        }
        const bool partial = next != nullptr;
        if (!next) next = Load(stamp, generation);
        Install(std::move(next), absl::Now() - started, partial);
      }
    } catch (const std::exception&) {
      // The database is unreachable: readers fall back to it (and fail the same way); retry at
      // the next tick.
    }
    lock.lock();
  }
}

}  // namespace homevisit::storage
