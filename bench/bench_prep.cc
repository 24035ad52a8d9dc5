// bench_prep: fills a running homevisitd with what bench/run.sh's ghz runs need, through the
// API, and writes the ghz request data (JSON) into --out:
//   get.json           one existing order to read
//   list.json          a list request (newest first, default page size)
//   availability.json  CheckAvailability of an order all --technicians cover
//   book.json          --orders distinct (order, free slot) pairs, one per BookAppointment call
//   create.bin         --intakes distinct intakes, serialized and count-prefixed (ghz --binary-file)
//   create-sweep-K.bin --sweep_intakes more for each K of --sweep_files (the intake run at other
//                      concurrencies): no request id repeats across the files
//   create.json        an intake whose request id ghz makes unique ({{.RequestNumber}}), for the
//                      short counting runs
//   confirm.json       a confirmation call (a visit step) for each order of book.json, once booked
// Technicians work 08:00-20:00 every day in postal code 03100; slots start 08:00, 11:30 and
// 15:00 (a 2 h window + 60 min visit + 30 min travel never overlaps the next) from the day after
// tomorrow on.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "tools/credentials.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "homevisitd address");
ABSL_FLAG(std::string, out, ".", "folder for the ghz data files");
ABSL_FLAG(std::string, run_id, "bench", "prefix of request ids and employee numbers");
ABSL_FLAG(int, technicians, 100, "technicians to create");
ABSL_FLAG(int, orders, 3000, "orders to create for BookAppointment (one booking each)");
ABSL_FLAG(int, clients, 8, "concurrent clients while filling");
ABSL_FLAG(int, intakes, 80000, "distinct intakes in create.bin: more than one timed intake run sends");
ABSL_FLAG(int, sweep_files, 0, "files create-sweep-1.bin ... of --sweep_intakes distinct intakes each");
ABSL_FLAG(int, sweep_intakes, 40000, "distinct intakes in each create-sweep-K.bin");
ABSL_FLAG(std::string, admin_token_file, "", "homevisitd's admin token file (to issue the credentials)");

namespace homevisit {
namespace {

const absl::TimeZone kZone = absl::FixedTimeZone(-6 * 3600);  // America/Mexico_City, no DST since 2022

absl::Time Local(int days_ahead, int minute_of_day) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), kZone) + days_ahead;
  return absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), minute_of_day / 60, minute_of_day % 60),
                         kZone);
}

std::string Rfc3339(absl::Time t) { return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone()); }

// The intake as JSON for ghz, and the same as a proto for the client here.
std::string IntakeJson(const std::string& request_id, absl::Time start) {
  return absl::StrCat(R"({"request_id": ")", request_id, R"(", "service_order": {"file_number": "EXP-BENCH",)",
                      R"("subscriber": {"given_name": "Ana", "family_name": "López", "email": "ana@example.com"},)",
                      R"("address": {"street": "Av. Insurgentes Sur", "exterior_number": "1602",)",
                      R"("colonia": "Crédito Constructor", "delegacion": "Benito Juárez", "postal_code": "03100"},)",
                      R"("requested_window": {"start_time": ")", Rfc3339(start), R"(", "end_time": ")",
                      Rfc3339(start + absl::Hours(2)), R"("},)",
                      R"("receiver": {"name": "Ana López", "phone": "5512345678"},)",
                      R"("problem_description": "Sin señal en la recámara.", "charge": "CHARGE_FREE"}})");
}

v1::CreateServiceOrderRequest Intake(const std::string& request_id, absl::Time start) {
  v1::CreateServiceOrderRequest r;
  r.set_request_id(request_id);
  auto& o = *r.mutable_service_order();
  o.set_file_number("EXP-BENCH");
  o.mutable_subscriber()->set_given_name("Ana");
  o.mutable_subscriber()->set_family_name("López");
  o.mutable_subscriber()->set_email("ana@example.com");
  auto& a = *o.mutable_address();
  a.set_street("Av. Insurgentes Sur");
  a.set_exterior_number("1602");
  a.set_colonia("Crédito Constructor");
  a.set_delegacion("Benito Juárez");
  a.set_postal_code("03100");
  o.mutable_requested_window()->mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
  o.mutable_requested_window()->mutable_end_time()->set_seconds(absl::ToUnixSeconds(start + absl::Hours(2)));
  o.mutable_receiver()->set_name("Ana López");
  o.mutable_receiver()->set_phone("5512345678");
  o.set_problem_description("Sin señal en la recámara.");
  o.set_charge(v1::ServiceOrder::CHARGE_FREE);
  return r;
}

void Write(const std::string& file, const std::string& text) {
  std::ofstream(absl::StrCat(absl::GetFlag(FLAGS_out), "/", file)) << text << "\n";
}

int Run() {
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials());
  auto technicians = v1::TechnicianService::NewStub(channel);
  auto orders = v1::ServiceOrderService::NewStub(channel);
  const std::string run_id = absl::GetFlag(FLAGS_run_id);
  const int n_tech = absl::GetFlag(FLAGS_technicians), n_orders = absl::GetFlag(FLAGS_orders);
  // A dispatcher registers the technicians; a DOT supervisor does the rest (and ghz calls as one).
  const std::string admin = tools::ReadTokenFile(absl::GetFlag(FLAGS_admin_token_file));
  const std::string dispatcher = tools::IssueToken(channel, admin, v1::ROLE_DISPATCHER, run_id + "-dispatch");
  const std::string dot = tools::IssueToken(channel, admin, v1::ROLE_DOT_SUPERVISOR, run_id + "-dot");
  Write("metadata.json", absl::StrCat(R"({"authorization": "Bearer )", dot, R"("})"));

  std::vector<std::string> tech_names;
  for (int t = 0; t < n_tech; ++t) {
    v1::CreateTechnicianRequest request;
    request.set_request_id(absl::StrCat(run_id, "-tech-", t));
    auto& tech = *request.mutable_technician();
    tech.set_display_name(absl::StrCat("Técnico ", t));
    tech.set_employee_number(absl::StrCat("BENCH-", t));
    tech.set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
    tech.set_mobile_phone("5587654321");
    tech.add_postal_codes("03100");
    for (int d = 1; d <= 7; ++d) {
      auto* hours = tech.add_working_hours();
      hours->set_day_of_week(static_cast<google::type::DayOfWeek>(d));
      hours->mutable_start_time()->set_hours(8);
      hours->mutable_end_time()->set_hours(20);
    }
    grpc::ClientContext context;
    tools::Authorize(&context, dispatcher);
    v1::Technician out;
    grpc::Status status = technicians->CreateTechnician(&context, request, &out);
    if (!status.ok()) {
      std::fprintf(stderr, "bench_prep: CreateTechnician: %s\n", status.error_message().c_str());
      return 1;
    }
    tech_names.push_back(out.name());
  }

  const absl::Time requested = Local(2, 10 * 60);
  std::vector<std::string> order_names(n_orders);
  std::atomic<int> next{0}, failed{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < absl::GetFlag(FLAGS_clients); ++c) {
    threads.emplace_back([&] {
      for (int i; (i = next++) < n_orders;) {
        grpc::ClientContext context;
        tools::Authorize(&context, dot);
        v1::ServiceOrder out;
        grpc::Status status =
            orders->CreateServiceOrder(&context, Intake(absl::StrCat(run_id, "-order-", i), requested), &out);
        if (!status.ok()) {
          if (++failed == 1) std::fprintf(stderr, "bench_prep: CreateServiceOrder: %s\n", status.error_message().c_str());
          continue;
        }
        order_names[i] = out.name();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failed) return 1;

  // Distinct slots: technician-major, then day, then one of three starts.
  const int kStarts[] = {8 * 60, 11 * 60 + 30, 15 * 60};
  std::vector<std::string> bookings;
  for (int i = 0; i < n_orders; ++i) {
    const int tech = i % n_tech, slot = i / n_tech;
    const absl::Time start = Local(2 + slot / 3, kStarts[slot % 3]);
    bookings.push_back(absl::StrCat(R"({"service_order": ")", order_names[i], R"(", "request_id": ")", run_id,
                                    "-book-", i, R"(", "option": {"technician": ")", tech_names[tech],
                                    R"(", "window": {"start_time": ")", Rfc3339(start), R"("}}})"));
  }
  if (n_orders / n_tech / 3 > 11) {
    std::fprintf(stderr, "bench_prep: too few technicians for %d bookings within the horizon\n", n_orders);
    return 1;
  }
  Write("get.json", absl::StrCat(R"({"name": ")", order_names[0], R"("})"));
  Write("list.json", R"({"page_size": 50})");
  Write("availability.json", absl::StrCat(R"({"service_order": ")", order_names[n_orders - 1], R"("})"));
  Write("book.json", absl::StrCat("[", absl::StrJoin(bookings, ",\n"), "]"));
  std::vector<std::string> confirmations;
  for (int i = 0; i < n_orders; ++i) {
    confirmations.push_back(
        absl::StrCat(R"({"service_order": ")", order_names[i], R"(", "result": "RESULT_CONFIRMED"})"));
  }
  Write("confirm.json", absl::StrCat("[", absl::StrJoin(confirmations, ",\n"), "]"));
  Write("create.json", IntakeJson(absl::StrCat(run_id, "-ghz-{{.RequestNumber}}"), requested));
  // ghz parses these once, at start, and sends them round robin. Rendering create.json's template
  // and parsing its JSON on every call cost ghz about as much CPU per intake as the server spent,
  // on the same two cores, so the timed intake run reads these instead.
  auto write_intakes = [&](const std::string& file, const std::string& request_prefix, int count) {
    std::ofstream out(absl::StrCat(absl::GetFlag(FLAGS_out), "/", file), std::ios::binary);
    for (int i = 0; i < count; ++i) {
      google::protobuf::util::SerializeDelimitedToOstream(Intake(absl::StrCat(request_prefix, i), requested), &out);
    }
    if (!out.good()) std::fprintf(stderr, "bench_prep: cannot write %s\n", file.c_str());
    return out.good();
  };
  if (!write_intakes("create.bin", absl::StrCat(run_id, "-ghz-"), absl::GetFlag(FLAGS_intakes))) return 1;
  for (int k = 1; k <= absl::GetFlag(FLAGS_sweep_files); ++k) {
    if (!write_intakes(absl::StrCat("create-sweep-", k, ".bin"), absl::StrCat(run_id, "-sweep", k, "-"),
                       absl::GetFlag(FLAGS_sweep_intakes))) {
      return 1;
    }
  }
  std::printf("bench_prep: %d technicians, %d orders\n", n_tech, n_orders);
  return 0;
}

}  // namespace
}  // namespace homevisit

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return homevisit::Run();
}
