// metrics_bench: how long GetProgramMetrics's SQL takes over a month of --orders orders.
//
// Fills a fresh database straight through the repositories (no RPCs: the fill is not what is
// measured): --orders orders requested over December 2025 in the service time zone, 50
// technicians, 5 delegaciones, and for each order the events a visit leaves (booked, a
// confirmation call, check-in, outcome, signature, completion; one in ten cancelled instead, one
// in ten late with its alert, one in seven a repeat of an earlier order's file). Then times
// domain::ComputeProgramMetrics, as the RPC runs it, for the month: totals only, and by
// technician, delegación and day (each --runs times; the best and the median are printed).
//
//   build-kpi/bench/metrics_bench                                    # SQLite in a temp folder
//   bash scripts/with-postgres.sh sh -c 'build/bench/metrics_bench --db "$HOMEVISIT_TEST_DATABASE_URL"'
//   build-kpi/bench/metrics_bench --db sqlite:/tmp/m.db --runs 0    # fill once, time nothing
//   build-kpi/bench/metrics_bench --db sqlite:/tmp/m.db --nofill    # time it again (say, after a change)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "domain/program_metrics.h"
#include "domain/repositories.h"
#include "storage/database.h"

ABSL_FLAG(std::string, db, "", "database URL (default: a SQLite file in a temp folder)");
ABSL_FLAG(int, orders, 100000, "orders to create over the month");
ABSL_FLAG(int, runs, 3, "timed runs of each query");
ABSL_FLAG(bool, fill, true, "fill the database first (false: time a --db filled by an earlier run)");

namespace homevisit {
namespace {

using Clock = std::chrono::steady_clock;
const absl::TimeZone kZone = absl::FixedTimeZone(-6 * 3600);
const char* const kDelegaciones[] = {"Benito Juárez", "Cuauhtémoc", "Miguel Hidalgo", "Coyoacán", "Álvaro Obregón"};
constexpr int kTechnicians = 50;

std::string Rfc3339(absl::Time t) { return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone()); }

domain::Event Step(const domain::ServiceOrder& o, domain::EventType type, absl::Time at,
                   std::map<std::string, std::string> attributes = {}) {
  domain::Event e;
  e.order_id = o.id;
  e.file_number = o.intake.file_number;
  e.type = type;
  e.actor = {"bench", domain::Role::kDispatcher, ""};
  e.time = at;
  e.attributes = std::move(attributes);
  return e;
}

void Fill(storage::Database& db, int orders) {
  db.Write([&](domain::UnitOfWork& work) {
    for (int t = 0; t < kTechnicians; ++t) {
      domain::Technician tech;
      tech.id = absl::StrCat("bench-tech-", t);
      tech.display_name = absl::StrCat("Técnico ", t);
      tech.employee_number = absl::StrCat("B-", t);
      tech.official_id_type = 1;
      tech.mobile_phone = "5512345678";
      tech.postal_codes = {"03100"};
      tech.create_time = tech.update_time = absl::Now();
      work.technicians().Insert(tech);
    }
  });
  const absl::Time month = absl::FromCivil(absl::CivilDay(2025, 12, 1), kZone);
  const absl::Duration spacing = absl::Hours(24 * 31) / orders;
  constexpr int kBatch = 2000;
  for (int first = 0; first < orders; first += kBatch) {
    db.Write([&](domain::UnitOfWork& work) {
      for (int i = first; i < std::min(orders, first + kBatch); ++i) {
        const absl::Time requested = month + spacing * i;
        domain::ServiceOrder o;
        o.id = absl::StrCat("bench-order-", i);
        o.intake.file_number = absl::StrCat("EXP-", i % 7 == 6 ? i - 6 : i);
        o.intake.given_name = "Ana";
        o.intake.family_name = "López";
        o.intake.email = "ana@example.com";
        o.intake.address = {"Av. Insurgentes Sur", "1602", "", "Del Valle", kDelegaciones[i % 5], "03100", ""};
        const absl::Time start = absl::FromCivil(absl::ToCivilHour(requested + absl::Hours(48), kZone), kZone);
        o.intake.requested_window = {start, start + absl::Hours(2)};
        o.intake.receiver_name = "Ana López";
        o.intake.problem_description = "Sin señal";
        o.intake.charge = i % 4 == 0 ? domain::Charge::kCharged : domain::Charge::kFree;
        o.create_time = o.update_time = requested;
        work.orders().InsertIfNewRequest(o, o.id, Step(o, domain::EventType::kOrderCreated, requested));
        const std::string tech = absl::StrCat("bench-tech-", i % kTechnicians);
        const absl::Time window = i % 3 == 0 ? start + absl::Hours(2) : start;  // one in three: an alternative
        o.appointment = domain::Appointment{tech, "", {window, window + absl::Hours(2)}, requested + absl::Minutes(5)};
        o.state = i % 10 == 9 ? domain::OrderState::kCancelled : domain::OrderState::kCompleted;
        if (i % 10 == 9) o.cancellation = domain::Cancellation{i % 20 == 9 ? "Duplicado" : "Ya no lo necesita",
                                                               requested + absl::Hours(1), "bench"};
        const int expected = o.version++;
        work.orders().Update(o, expected);
        work.events().Append(Step(o, domain::EventType::kBooked, requested + absl::Minutes(5),
                                  {{"technician", tech}, {"window_start", Rfc3339(window)}}));
        work.events().Append(Step(o, domain::EventType::kCallRecorded, requested + absl::Hours(24),
                                  {{"call", "CONFIRMATION"}, {"result", i % 8 == 0 ? "NOT_REACHABLE" : "CONFIRMED"}}));
        if (i % 10 == 9) {
          work.events().Append(Step(o, domain::EventType::kCancelled, requested + absl::Hours(25)));
          continue;
        }
        const bool late = i % 10 == 1;
        const absl::Time arrival = late ? window + absl::Minutes(135) : window + absl::Minutes(i % 90);
        if (late) work.events().Append(Step(o, domain::EventType::kTechnicianLate, window + absl::Minutes(15)));
        work.events().Append(Step(o, domain::EventType::kCheckedIn, arrival,
                                  {{"punctuality", late ? "LATE" : "ON_TIME"}}));
        const char* result = i % 6 == 0 ? "NOT_RESOLVED" : i % 6 == 1 ? "ESCALATED" : "RESOLVED";
        std::map<std::string, std::string> outcome = {{"result", result}};
        if (i % 6 == 0) outcome["reason_category"] = std::to_string(1 + i % 6);
        const absl::Time done = arrival + absl::Minutes(30 + i % 60);
        work.events().Append(Step(o, domain::EventType::kOutcomeRecorded, done - absl::Minutes(5), outcome));
        work.events().Append(Step(o, domain::EventType::kSigned, done - absl::Minutes(2),
                                  {{"refused", i % 25 == 0 ? "true" : "false"}}));
        work.events().Append(Step(o, domain::EventType::kCompleted, done, {{"outcome", result}}));
      }
    });
  }
}

void Time(storage::Database& db, const char* label, domain::MetricsGrouping grouping, int runs) {
  domain::MetricsRequest request{absl::CivilDay(2025, 12, 1), absl::CivilDay(2025, 12, 31), grouping};
  std::vector<double> ms;
  long long requested = 0;
  size_t groups = 0;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    domain::ProgramMetrics m = db.Read([&](domain::UnitOfWork& work) {
      return domain::ComputeProgramMetrics(work, request, kZone);
    });
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    requested = m.total.orders_requested;
    groups = m.groups.size();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("| %s | %lld | %zu | %.0f | %.0f |\n", label, requested, groups, ms.front(), ms[ms.size() / 2]);
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string url = absl::GetFlag(FLAGS_db);
  std::filesystem::path dir;
  if (url.empty()) {
    dir = std::filesystem::temp_directory_path() / absl::StrCat("metrics-bench-", getpid());
    std::filesystem::create_directories(dir);
    url = "sqlite:" + (dir / "bench.db").string();
  }
  storage::DatabaseOptions options;
  options.url = url;
  options.pool_size = 2;
  auto db = storage::Database::Open(options);
  const int orders = absl::GetFlag(FLAGS_orders);
  if (absl::GetFlag(FLAGS_fill)) {
    const auto fill_start = Clock::now();
    Fill(*db, orders);
    std::printf("filled %d orders in %.1f s (%s)\n\n", orders,
                std::chrono::duration<double>(Clock::now() - fill_start).count(),
                url.rfind("sqlite:", 0) == 0 ? "SQLite" : "PostgreSQL");
  }
  const int runs = absl::GetFlag(FLAGS_runs);
  if (runs > 0) {
    std::printf("| query (December, %d orders) | orders counted | groups | best ms | median ms |\n|---|---:|---:|---:|---:|\n",
                orders);
    Time(*db, "totals", domain::MetricsGrouping::kNone, runs);
    Time(*db, "by technician (+ totals)", domain::MetricsGrouping::kTechnician, runs);
    Time(*db, "by delegación (+ totals)", domain::MetricsGrouping::kDelegacion, runs);
    Time(*db, "by day (+ totals)", domain::MetricsGrouping::kDay, runs);
  }
  db.reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace homevisit

int main(int argc, char** argv) { return homevisit::Main(argc, argv); }
