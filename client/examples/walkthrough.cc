// DOT's call in code: intake -> availability -> hold -> book -> report, with homevisit_client.
// Steps the server does not serve yet answer UNIMPLEMENTED; the walk says so and goes on.
//
//   walkthrough [HOST:PORT]        (default 127.0.0.1:50051; token from $HOMEVISIT_TOKEN)
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "homevisit/client/client.h"

using homevisit::client::Client;
using homevisit::client::ClientOptions;
using homevisit::client::Error;
namespace v1 = homevisit::v1;

namespace {

// Prints the failure; returns true when the walk can go on (the step is simply not served yet).
bool Report(const char* step, const Error& error) {
  if (error.unimplemented()) {
    std::cout << step << ": not served by this server yet (UNIMPLEMENTED), skipping\n";
    return true;
  }
  std::cout << step << ": " << error.ToString() << "\n";
  return false;
}

v1::ServiceOrder NewOrder() {
  v1::ServiceOrder order;
  order.set_file_number("EXP-200511");
  order.mutable_subscriber()->set_given_name("Laura");
  order.mutable_subscriber()->set_family_name("Méndez");
  order.mutable_subscriber()->set_email("laura.mendez@example.com");
  auto* address = order.mutable_address();
  address->set_street("Calle Durango");
  address->set_exterior_number("245");
  address->set_colonia("Roma Norte");
  address->set_delegacion("Cuauhtémoc");
  address->set_postal_code("06700");
  // Three days ahead at 16:00 UTC (10:00 in Mexico City), for two hours.
  const int64_t start = (std::time(nullptr) / 86400 + 3) * 86400 + 16 * 3600;
  order.mutable_requested_window()->mutable_start_time()->set_seconds(start);
  order.mutable_requested_window()->mutable_end_time()->set_seconds(start + 2 * 3600);
  order.mutable_receiver()->set_name("Laura Méndez");
  order.mutable_receiver()->set_phone("5512345678");
  order.set_problem_description("La señal de Wi-Fi no llega a las recámaras.");
  order.set_charge(v1::ServiceOrder::CHARGE_FREE);
  return order;
}

}  // namespace

int main(int argc, char** argv) {
  ClientOptions options;
  if (argc > 1) options.target = argv[1];
  if (const char* token = std::getenv("HOMEVISIT_TOKEN")) options.token = token;
  auto connected = Client::Connect(options);
  if (!connected.ok()) return Report("connect", connected.error()) ? 0 : 1;
  Client& client = **connected;

  // 1. Intake [S1]. The request id makes the call safe to retry.
  auto order = client.CreateServiceOrder(NewOrder(), homevisit::client::NewRequestId());
  if (!order.ok()) return Report("intake", order.error()) ? 0 : 1;
  std::cout << "intake: " << order->name() << " " << v1::ServiceOrder::State_Name(order->state()) << "\n";

  // 2. Availability [S2]: the requested window, or the first alternative.
  v1::CheckAvailabilityRequest check;
  check.set_service_order(order->name());
  auto availability = client.CheckAvailability(check);
  v1::SlotOption option;
  if (!availability.ok()) {
    if (!Report("availability", availability.error())) return 1;
  } else if (availability->requested_available()) {
    option = availability->requested();
  } else if (!availability->same_day().empty()) {
    option = availability->same_day(0);
  } else if (!availability->other_days().empty()) {
    option = availability->other_days(0);
  }
  if (availability.ok()) {
    std::cout << "availability: requested window " << (availability->requested_available() ? "free" : "taken")
              << (option.technician().empty() ? ", nothing to offer" : ", offering " + option.technician_display_name())
              << "\n";
  }

  // 3. Hold the option while the subscriber decides [S2.b], then book it [S3, S4].
  if (!option.technician().empty()) {
    v1::CreateHoldRequest hold_request;
    hold_request.set_service_order(order->name());
    *hold_request.mutable_option() = option;
    auto hold = client.CreateHold(hold_request);
    v1::BookAppointmentRequest book;
    book.set_service_order(order->name());
    book.set_request_id(homevisit::client::NewRequestId());
    if (hold.ok()) {
      std::cout << "hold: " << hold->name() << "\n";
      book.set_hold(hold->name());
    } else {
      if (!Report("hold", hold.error())) return 1;
      *book.mutable_option() = option;
    }
    auto booked = client.BookAppointment(book);
    if (booked.ok()) {
      std::cout << "book: " << v1::ServiceOrder::State_Name(booked->state()) << " with "
                << booked->appointment().technician_display_name() << "\n";
    } else if (!Report("book", booked.error())) {
      return 1;
    }
  }

  // 4. The visit report [G5] exists once the technician completes the visit: until then NOT_FOUND
  //    or FAILED_PRECONDITION, which is the expected answer here.
  auto report = client.GetVisitReport(order->name() + "/visitReport");
  if (report.ok()) {
    std::cout << "report: filed " << report->name() << "\n";
  } else if (report.error().code() == grpc::StatusCode::NOT_FOUND ||
             report.error().code() == grpc::StatusCode::FAILED_PRECONDITION) {
    std::cout << "report: none yet (" << homevisit::client::CodeName(report.error().code())
              << "): the visit is not completed\n";
  } else if (!Report("report", report.error())) {
    return 1;
  }
  std::cout << "walkthrough: done\n";
  return 0;
}
