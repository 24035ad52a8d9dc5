#pragma once
// The service order as the domain sees it: plain types, no protobuf, no SQL.
#include <map>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "domain/visit.h"

namespace homevisit::domain {

// Numbering matches homevisit.v1.ServiceOrder.State so conversions stay trivial.
enum class OrderState {
  kRequested = 1,
  kScheduled = 2,
  kConfirmed = 3,
  kOnSite = 4,
  kEscalating = 5,
  kOutcomeRecorded = 6,
  kSigned = 7,
  kCompleted = 8,
  kCancelled = 9,
};
const char* StateName(OrderState state);

// How much of each order a read returns (AIP-157): kBasic leaves out the signature image (up to
// 256 KiB per order), so that a page of orders stays small; kFull has everything.
enum class OrderView { kFull, kBasic };
bool IsValidState(int value);

// Whether the visit is charged [G4]; numbering matches the proto.
enum class Charge { kUnspecified = 0, kFree = 1, kCharged = 2 };

// Numbering matches homevisit.v1.Role.
enum class Role { kUnspecified = 0, kDotOperator = 1, kDotSupervisor = 2, kDispatcher = 3, kTechnician = 4, kAdmin = 5 };

// Who makes a change; recorded with every event.
struct Actor {
  std::string principal;
  Role role = Role::kUnspecified;
  std::string technician_id;  // for technicians: whose orders they may see and act on
};

struct TimeWindow {
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfinitePast();
  bool operator==(const TimeWindow&) const = default;
};

struct Address {
  std::string street;
  std::string exterior_number;
  std::string interior_number;  // optional
  std::string colonia;
  std::string delegacion;  // delegación or municipio
  std::string postal_code;
  std::string references;  // optional
  bool operator==(const Address&) const = default;
};

// What DOT gives at intake [S1].
struct OrderIntake {
  std::string file_number;
  std::string given_name;
  std::string family_name;
  std::string email;
  Address address;
  TimeWindow requested_window;
  std::string receiver_name;
  std::string receiver_phone;  // optional
  std::string problem_description;
  Charge charge = Charge::kUnspecified;
  bool operator==(const OrderIntake&) const = default;
};

struct Appointment {
  std::string technician_id;
  std::string technician_name;
  TimeWindow window;
  absl::Time book_time;
};

struct Cancellation {
  std::string reason;
  absl::Time time;
  std::string actor;
};

struct ServiceOrder {
  std::string id;
  OrderIntake intake;
  OrderState state = OrderState::kRequested;
  std::optional<Appointment> appointment;
  std::optional<Cancellation> cancellation;
  // The request id of the BookAppointment that booked the order ("" for none): a repeat of it
  // answers the booking again; any other booking of a booked order is refused.
  std::string book_request_id;
  Visit visit;  // what was recorded during the visit procedure [B1-B11]
  absl::Time create_time;
  absl::Time update_time;
  int version = 1;  // bumped by every change; the etag is derived from it

  // Where the visit sits in time: the booked window, else the requested one. List filters use it.
  absl::Time ScheduleStart() const {
    return appointment ? appointment->window.start : intake.requested_window.start;
  }
};

std::string EtagOf(const ServiceOrder& order);

}  // namespace homevisit::domain
