// The in-memory calendar index (issue 13): it answers what the database would (technicians,
// zones, shifts, time off, appointments, holds and their lapse, an order's own claims left out);
// after a booking or release of its own replica it hands the touched technicians back to be read
// from the database until it has reloaded them (and steps aside after a technician's change);
// it reloads only the technicians whose claims changed, and sees a change made through another
// replica within its poll interval. Runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/ids.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "storage/calendar_changes.h"
#include "storage/calendar_index.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using domain::Interval;
using domain::TechnicianCalendar;

constexpr absl::Duration kGranule = absl::Minutes(15);

// Busy time as sorted, merged intervals: the database merges runs of any owner, the index keeps
// one interval per owner; the time they cover is what must agree.
std::vector<Interval> Merged(std::vector<Interval> busy) {
  std::sort(busy.begin(), busy.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
  std::vector<Interval> merged;
  for (const Interval& i : busy) {
    if (!merged.empty() && i.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, i.end);
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

// The calendars as copies (a source hands out shared ones).
std::vector<TechnicianCalendar> Copies(const std::vector<const TechnicianCalendar*>& shared) {
  std::vector<TechnicianCalendar> out;
  for (const auto& c : shared) out.push_back(*c);
  return out;
}

std::string Describe(const std::vector<TechnicianCalendar>& calendars) {
  std::string out;
  for (const auto& c : calendars) {
    absl::StrAppend(&out, c.technician_id, " shifts=", c.weekly_shifts.size(), " off=", c.time_off.size(), " busy=");
    for (const Interval& i : Merged(c.busy)) absl::StrAppend(&out, absl::FormatTime(i.start), "/", absl::FormatTime(i.end), " ");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

class CalendarIndexTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    storage::DatabaseOptions options;
    options.url = db_->url();
    options.pool_size = 2;
    database_ = storage::Database::Open(options);
    now_ = absl::Now();
  }

  void AddTechnician(const std::string& id, const std::vector<std::string>& postal_codes,
                     const std::vector<std::string>& delegaciones, bool active = true) {
    domain::Technician t = FullTimeTechnician(id, postal_codes, delegaciones);
    t.active = active;
    t.time_off.push_back({now_ + absl::Hours(24 * 3), now_ + absl::Hours(24 * 4), "curso"});
    database_->Write([&](domain::UnitOfWork& work) {
      work.technicians().Insert(t);
    });
  }

  // Claims `granules` granules from `start` for `order_id` (an appointment, or a hold lapsing at
  // `expire` when `hold` is set) through the test's own Database.
  void Claim(const std::string& technician, const std::string& order_id, absl::Time start, int granules,
             bool hold = false, absl::Time expire = absl::InfiniteFuture()) {
    database_->Write([&](domain::UnitOfWork& work) {
      domain::SlotClaim claim;
      claim.technician_id = technician;
      claim.order_id = order_id;
      if (hold) {
        domain::Hold h;
        h.id = domain::NewId();
        h.order_id = order_id;
        h.technician_id = technician;
        h.window = {start, start + absl::Hours(2)};
        h.expire_time = expire;
        h.create_time = now_;
        work.scheduling().InsertHold(h);
        claim.hold_id = h.id;
        claim.expire_time = expire;
      }
      for (int i = 0; i < granules; ++i) claim.granules.push_back(start + i * kGranule);
      ASSERT_TRUE(work.scheduling().Claim(claim, now_));
    });
  }

  std::string NewOrderId() {
    v1::ServiceOrder order = CreateOk(ValidOrder(), "index-" + UniqueSuffix());
    return order.name().substr(std::string("serviceOrders/").size());
  }

  std::vector<TechnicianCalendar> FromDatabase(const std::string& postal_code, const std::string& delegacion,
                                               const Interval& range, const std::string& except) {
    return database_->Read([&](domain::UnitOfWork& work) {
      auto ids = work.scheduling().TechniciansCovering(postal_code, delegacion);
      return work.scheduling().Calendars(ids, range, now_, except);
    });
  }

  // What CheckAvailability reads: the index's calendars, its stale technicians' from the
  // database; nullopt when the index steps aside.
  std::optional<std::vector<TechnicianCalendar>> Read(storage::CalendarIndex& index, const std::string& postal_code,
                                                      const Interval& range, absl::Time now,
                                                      const std::string& except = "") {
    auto covering = index.Covering(postal_code, "", range, now, except);
    if (!covering) return std::nullopt;
    std::vector<TechnicianCalendar> calendars = Copies(covering->calendars);
    if (!covering->stale.empty()) {
      auto fresh = database_->Read([&](domain::UnitOfWork& work) {
        return work.scheduling().Calendars(covering->stale, range, now, except);
      });
      for (TechnicianCalendar& f : fresh) {
        for (TechnicianCalendar& c : calendars) {
          if (c.technician_id == f.technician_id) c = f;
        }
      }
    }
    return calendars;
  }

  // A booking written through `db` (another replica's Database): 14 granules from `start`, and
  // its event.
  void BookThrough(storage::Database& db, const std::string& technician, const std::string& order_id,
                   absl::Time start) {
    db.Write([&](domain::UnitOfWork& work) {
      domain::SlotClaim claim{technician, order_id, "", absl::InfiniteFuture(), {}};
      for (int i = 0; i < 14; ++i) claim.granules.push_back(start + i * kGranule);
      ASSERT_TRUE(work.scheduling().Claim(claim, now_));
      domain::Event event;
      event.order_id = order_id;
      event.file_number = "EXP-1";
      event.type = domain::EventType::kBooked;
      event.time = now_;
      work.events().Append(event);
    });
  }

  void ReleaseAppointment(storage::Database& db, const std::string& order_id, bool with_event) {
    db.Write([&](domain::UnitOfWork& work) {
      work.scheduling().ReleaseAppointmentClaims(order_id);
      if (with_event) {
        domain::Event event;
        event.order_id = order_id;
        event.file_number = "EXP-1";
        event.type = domain::EventType::kCancelled;
        event.time = now_;
        work.events().Append(event);
      }
    });
  }

  // Polls `done` for up to three seconds.
  template <typename Fn>
  static bool WaitFor(Fn done) {
    for (absl::Time until = absl::Now() + absl::Seconds(3); absl::Now() < until; absl::SleepFor(absl::Milliseconds(10))) {
      if (done()) return true;
    }
    return done();
  }

  static absl::Time Granular(absl::Time t) { return absl::FromUnixSeconds(absl::ToUnixSeconds(t) / 900 * 900); }

  std::unique_ptr<storage::Database> database_;
  absl::Time now_;
};

TEST(CalendarChangeLogTest, TellsWhatChangedAfterAGenerationAndEverythingOnceForgotten) {
  storage::CalendarChangeLog log;
  auto change = [](std::set<std::string> technicians, std::set<std::string> orders, bool everything = false) {
    storage::CalendarChange c;
    c.technicians = std::move(technicians);
    c.orders = std::move(orders);
    c.everything = everything;
    return c;
  };
  log.Record(change({}, {}));  // nothing changed: no generation
  EXPECT_EQ(log.generation(), 0u);
  log.Record(change({"t-1"}, {"o-1"}));
  log.Record(change({"t-2"}, {"o-1", "o-2"}));
  EXPECT_EQ(log.generation(), 2u);
  EXPECT_TRUE(log.Since(2).empty());
  storage::CalendarChange since1 = log.Since(1);
  EXPECT_FALSE(since1.everything);
  EXPECT_EQ(since1.technicians, std::set<std::string>{"t-2"});
  EXPECT_EQ(since1.orders, (std::set<std::string>{"o-1", "o-2"}));
  EXPECT_EQ(log.Since(0).technicians, (std::set<std::string>{"t-1", "t-2"}));
  log.Forget(1);
  EXPECT_TRUE(log.Since(0).everything) << "forgotten: a reader that far behind must step aside";
  EXPECT_EQ(log.Since(1).technicians, std::set<std::string>{"t-2"});
  log.Record(change({}, {}, /*everything=*/true));
  EXPECT_TRUE(log.Since(2).everything);
  EXPECT_TRUE(log.Since(3).empty());
}

TEST(CalendarChangeLogTest, MarksOfAUnitOfWorkAreTakenOnce) {
  storage::TakeCalendarChange();
  storage::MarkClaimsChange("t-1", "o-1");
  storage::MarkClaimsChange("", "o-2");
  storage::CalendarChange taken = storage::TakeCalendarChange();
  EXPECT_EQ(taken.technicians, std::set<std::string>{"t-1"});
  EXPECT_EQ(taken.orders, (std::set<std::string>{"o-1", "o-2"}));
  EXPECT_FALSE(taken.everything);
  EXPECT_TRUE(storage::TakeCalendarChange().empty());
  storage::MarkCalendarChange();
  EXPECT_TRUE(storage::TakeCalendarChange().everything);
}

TEST_F(CalendarIndexTest, AnswersWhatTheDatabaseAnswers) {
  AddTechnician("t-postal", {"03100"}, {});
  AddTechnician("t-deleg", {}, {"Benito Juárez"});
  AddTechnician("t-elsewhere", {"01000"}, {"Coyoacán"});
  AddTechnician("t-inactive", {"03100"}, {}, /*active=*/false);
  const std::string booked = NewOrderId(), held = NewOrderId(), lapsed = NewOrderId();
  const absl::Time day2 = Granular(now_ + absl::Hours(48));
  Claim("t-postal", booked, day2, 14);
  Claim("t-postal", held, day2 + absl::Hours(5), 14, /*hold=*/true, now_ + absl::Minutes(10));
  Claim("t-deleg", lapsed, day2, 14, /*hold=*/true, now_ - absl::Minutes(1));  // lapsed: not busy
  Claim("t-elsewhere", NewOrderId(), day2, 14);

  const domain::SchedulingPolicy policy;
  storage::CalendarIndex index(*database_, {.policy = policy});  // shared calendars with day summaries
  index.LoadNow();
  EXPECT_TRUE(index.Loaded());  // CheckAvailability then runs where gRPC delivers it
  const Interval range{now_ - absl::Hours(24), now_ + absl::Hours(24 * 16)};
  // "benito  JUAREZ" normalizes to the same delegación.
  for (const std::string& except : {std::string(), booked, held}) {
    auto from_index = index.Covering("03100", "benito  JUAREZ", range, now_, except);
    ASSERT_TRUE(from_index.has_value()) << "a freshly loaded index answers";
    EXPECT_TRUE(from_index->stale.empty());
    auto from_database = FromDatabase("03100", "benito  JUAREZ", range, except);
    EXPECT_EQ(Describe(Copies(from_index->calendars)), Describe(from_database)) << "except " << except;
    ASSERT_EQ(from_index->calendars.size(), 2u);  // t-deleg and t-postal; not t-elsewhere, not t-inactive
  }
  // Without holds, a technician gets the calendar every call shares, with its day summaries: the
  // answers are still the database's. (Those above have holds, lapsed or not: built per call.)
  AddTechnician("t-shared", {"03200"}, {});
  AddTechnician("t-shared-2", {"03200"}, {});
  Claim("t-shared", NewOrderId(), day2, 14);
  Claim("t-shared-2", NewOrderId(), day2 + absl::Hours(3), 14);
  index.LoadNow();
  auto shared = index.Covering("03200", "", range, now_, "");
  ASSERT_TRUE(shared && shared->calendars.size() == 2u);
  for (const TechnicianCalendar* c : shared->calendars) EXPECT_FALSE(c->day_summaries.days.empty()) << c->technician_id;
  const std::vector<TechnicianCalendar> from_database = FromDatabase("03200", "", range, "");
  EXPECT_EQ(Describe(Copies(shared->calendars)), Describe(from_database));
  for (int half_hours = 0; half_hours < 96; half_hours += 3) {
    const absl::Time start = day2 - absl::Hours(24) + absl::Minutes(30) * half_hours;
    const domain::AvailabilityRequest request{{start, start}, "03200", ""};
    const domain::Availability a = domain::ComputeAvailability(request, shared->calendars, policy, now_);
    const domain::Availability b = domain::ComputeAvailability(request, from_database, policy, now_);
    EXPECT_EQ(a.reason, b.reason) << "start " << start;
    EXPECT_EQ(a.requested, b.requested) << "start " << start;
    EXPECT_EQ(a.same_day, b.same_day) << "start " << start;
    EXPECT_EQ(a.other_days, b.other_days) << "start " << start;
  }
  auto full = Read(index, "03100", range, now_);
  ASSERT_TRUE(full && full->size() == 1u);
  EXPECT_EQ(Merged(full->front().busy).size(), 2u);  // the appointment and the live hold
  // Ten minutes on, the hold has lapsed: the index applies the lapse at read time.
  auto later = Read(index, "03100", range, now_ + absl::Minutes(11));
  ASSERT_TRUE(later && later->size() == 1u);
  EXPECT_EQ(Merged(later->front().busy).size(), 1u);
  storage::CalendarIndex::Stats stats = index.stats();
  EXPECT_EQ(stats.technicians, 5u);  // the active ones
  EXPECT_GT(stats.bytes, 0u);
}

TEST_F(CalendarIndexTest, ABookingOfItsOwnReplicaIsReadFromTheDatabaseForThatTechnicianAloneUntilReloaded) {
  AddTechnician("t-1", {"03100"}, {});
  AddTechnician("t-2", {"03100"}, {});
  storage::CalendarIndex index(*database_, {.poll_interval = absl::Hours(1)});  // no background reload
  index.LoadNow();
  const Interval range{now_ - absl::Hours(24), now_ + absl::Hours(24 * 16)};
  auto before = index.Covering("03100", "", range, now_, "");
  ASSERT_TRUE(before && before->stale.empty() && before->calendars.size() == 2u);

  // A booking through this replica: t-1 (the claim names it) is handed back as stale, t-2 still
  // comes from memory, and together they are what the database says.
  const std::string order_id = NewOrderId();
  Claim("t-1", order_id, Granular(now_ + absl::Hours(30)), 14);
  auto after = index.Covering("03100", "", range, now_, "");
  ASSERT_TRUE(after.has_value()) << "a booking does not make the whole index step aside";
  EXPECT_EQ(after->stale, std::vector<std::string>{"t-1"});
  ASSERT_EQ(after->calendars.size(), 2u);
  EXPECT_EQ(after->calendars[0]->technician_id, "t-1");
  EXPECT_EQ(Describe(*Read(index, "03100", range, now_)), Describe(FromDatabase("03100", "", range, "")));
  EXPECT_EQ(Read(index, "03100", range, now_)->front().busy.size(), 1u);

  index.LoadNow();
  auto loaded = index.Covering("03100", "", range, now_, "");
  ASSERT_TRUE(loaded && loaded->stale.empty());
  EXPECT_EQ(loaded->calendars.front()->busy.size(), 1u);

  // A release names only the order: the index knows t-1 holds its claims.
  ReleaseAppointment(*database_, order_id, /*with_event=*/false);
  auto released = index.Covering("03100", "", range, now_, "");
  ASSERT_TRUE(released.has_value());
  EXPECT_EQ(released->stale, std::vector<std::string>{"t-1"});
  EXPECT_TRUE(Read(index, "03100", range, now_)->front().busy.empty());
  index.LoadNow();

  // A change of a technician's row (zones, shifts, activity) makes the index step aside.
  database_->Write([&](domain::UnitOfWork& work) {
    auto t = work.technicians().Find("t-2");
    ASSERT_TRUE(t.has_value());
    int version = t->version;
    t->update_time = absl::Now();
    work.technicians().Update(*t, version);
  });
  EXPECT_FALSE(index.Covering("03100", "", range, now_, "").has_value())
      << "behind a technician's change of this replica: the caller must read the database";
  index.LoadNow();
  EXPECT_TRUE(index.Covering("03100", "", range, now_, "").has_value());
  // A range past what was loaded is not answered either.
  EXPECT_FALSE(index.Covering("03100", "", {now_, now_ + absl::Hours(24 * 30)}, now_, "").has_value());
}

TEST_F(CalendarIndexTest, ItReloadsOnlyTheTechniciansWhoseClaimsChangedHereOrOnAnotherReplica) {
  for (int i = 0; i < 5; ++i) AddTechnician(absl::StrCat("t-", i), {"03100"}, {});
  storage::CalendarIndex index(*database_, {.poll_interval = absl::Milliseconds(50)});
  storage::DatabaseOptions other_options;
  other_options.url = db_->url();
  other_options.pool_size = 2;
  auto other = storage::Database::Open(other_options);
  const Interval range{now_ - absl::Hours(24), now_ + absl::Hours(24 * 16)};
  ASSERT_TRUE(WaitFor([&] { return index.Covering("03100", "", range, now_, "").has_value(); }));
  const uint64_t full_loads = index.stats().loads;
  auto matches_database = [&] {
    auto covering = index.Covering("03100", "", range, now_, "");
    return covering && covering->stale.empty() &&
           Describe(Copies(covering->calendars)) == Describe(FromDatabase("03100", "", range, ""));
  };

  // Here: the loader, woken by the reader that found t-3 stale, reloads t-3 alone.
  Claim("t-3", NewOrderId(), Granular(now_ + absl::Hours(30)), 14);
  ASSERT_TRUE(index.Covering("03100", "", range, now_, "").has_value());
  EXPECT_TRUE(WaitFor(matches_database));

  // Another replica books t-1 and, later, cancels: the events name the order; its claims name t-1.
  const std::string order_id = NewOrderId();
  const absl::Time start = Granular(now_ + absl::Hours(50));
  BookThrough(*other, "t-1", order_id, start);
  EXPECT_TRUE(WaitFor([&] {
    auto calendars = Read(index, "03100", range, now_);
    return calendars && (*calendars)[1].busy.size() == 1u && matches_database();
  }));
  ReleaseAppointment(*other, order_id, /*with_event=*/true);
  EXPECT_TRUE(WaitFor([&] {
    auto calendars = Read(index, "03100", range, now_);
    return calendars && (*calendars)[1].busy.empty() && matches_database();
  }));
  storage::CalendarIndex::Stats stats = index.stats();
  EXPECT_EQ(stats.loads, full_loads) << "claims alone never need a full load";
  EXPECT_GE(stats.partial_loads, 3u);
}

TEST_F(CalendarIndexTest, AChangeThroughAnotherReplicaReachesTheIndexWithinItsPollInterval) {
  AddTechnician("t-1", {"03100"}, {});
  // The index lives on the test's Database; the "other replica" is a second Database on the
  // same database, sharing nothing with the first (not its calendar generation either).
  storage::CalendarIndex index(*database_, {.poll_interval = absl::Milliseconds(50)});
  storage::DatabaseOptions other_options;
  other_options.url = db_->url();
  other_options.pool_size = 2;
  auto other = storage::Database::Open(other_options);
  const Interval range{now_ - absl::Hours(24), now_ + absl::Hours(24 * 16)};
  ASSERT_TRUE(WaitFor([&] { return index.Covering("03100", "", range, now_, "").has_value(); }));

  // A booking written through the other Database: its claims and its event.
  const std::string order_id = NewOrderId();
  const absl::Time start = Granular(now_ + absl::Hours(30));
  BookThrough(*other, "t-1", order_id, start);
  absl::Time written = absl::Now();
  EXPECT_TRUE(WaitFor([&] {
    auto calendars = Read(index, "03100", range, now_);
    return calendars && calendars->size() == 1u && calendars->front().busy.size() == 1u;
  }));
  // Within the poll interval plus one load (and, on PostgreSQL, one publication of the event).
  EXPECT_LT(absl::Now() - written, absl::Seconds(1));

  // A deactivation through the other replica takes the technician out.
  other->Write([&](domain::UnitOfWork& work) {
    auto t = work.technicians().Find("t-1");
    ASSERT_TRUE(t.has_value());
    int version = t->version;
    t->active = false;
    t->update_time = absl::Now();
    work.technicians().Update(*t, version);
  });
  EXPECT_TRUE(WaitFor([&] {
    auto calendars = Read(index, "03100", range, now_);
    return calendars && calendars->empty();
  }));
}

TEST_F(CalendarIndexTest, TheServerOffersNoSlotItJustBookedAndAnotherReplicaSoonAgrees) {
  AddTechnician("t-1", {"03100"}, {});
  api::ServerOptions options = ReplicaOptions();
  options.calendar_poll = absl::Milliseconds(50);
  auto other = api::Server::Start(options);
  auto other_scheduling = v1::SchedulingService::NewStub(ChannelTo(*other));
  auto scheduling = v1::SchedulingService::NewStub(channel_);

  v1::ServiceOrder first = CreateOk(ValidOrder(2), "index-first");
  v1::ServiceOrder second = CreateOk(ValidOrder(2), "index-second");
  auto offered = [&](v1::SchedulingService::Stub& stub, const v1::ServiceOrder& order) {
    v1::CheckAvailabilityRequest request;
    request.set_service_order(order.name());
    *request.mutable_window() = order.requested_window();
    v1::CheckAvailabilityResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub.CheckAvailability(&context, request, &response).ok());
    return response;
  };
  // The technician was written through the test's own Database, another replica to both
  // servers: each sees it within its poll interval.
  auto any = [](const v1::CheckAvailabilityResponse& r) {
    return r.requested_available() || r.same_day_size() > 0 || r.other_days_size() > 0;
  };
  v1::CheckAvailabilityResponse here = offered(*scheduling, first);
  for (int i = 0; i < 100 && !(any(here) && any(offered(*other_scheduling, first))); ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    here = offered(*scheduling, first);
  }
  v1::SlotOption option;
  if (here.requested_available()) {
    option = here.requested();
  } else if (here.same_day_size() > 0) {
    option = here.same_day(0);
  } else {
    ASSERT_GT(here.other_days_size(), 0);
    option = here.other_days(0);
  }
  v1::BookAppointmentRequest book;
  book.set_service_order(first.name());
  book.set_request_id("index-book");
  *book.mutable_option() = option;
  v1::ServiceOrder booked;
  grpc::ClientContext context;
  ASSERT_TRUE(scheduling->BookAppointment(&context, book, &booked).ok());

  auto offers = [&](const v1::CheckAvailabilityResponse& r) {
    auto same = [&](const v1::SlotOption& o) {
      return o.window().start_time().seconds() == option.window().start_time().seconds() &&
             o.technician() == option.technician();
    };
    if (r.requested_available() && same(r.requested())) return true;
    for (const auto& o : r.same_day()) if (same(o)) return true;
    for (const auto& o : r.other_days()) if (same(o)) return true;
    return false;
  };
  // This replica: at once.
  EXPECT_FALSE(offers(offered(*scheduling, second)));
  // The other replica: within its poll interval and a load.
  absl::Time booked_at = absl::Now();
  while (offers(offered(*other_scheduling, second)) && absl::Now() - booked_at < absl::Seconds(3)) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_FALSE(offers(offered(*other_scheduling, second)));
  EXPECT_LT(absl::Now() - booked_at, absl::Seconds(1));
  other->Shutdown(absl::Seconds(2));
}

}  // namespace
}  // namespace homevisit::testing
