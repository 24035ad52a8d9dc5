#pragma once
// Protos <-> domain types. No rules here: validation lives in the domain.
#include "absl/strings/string_view.h"
#include <google/protobuf/timestamp.pb.h>

#include "domain/event.h"
#include "domain/service_order.h"
#include "domain/technician.h"
#include "homevisit/v1/event.pb.h"
#include "homevisit/v1/service_order.pb.h"
#include "homevisit/v1/technician.pb.h"

namespace homevisit::api {

// An unset Timestamp becomes InfinitePast so the domain can tell "missing" from "epoch".
// A request's Timestamp, or InfinitePast when absent. INVALID_ARGUMENT naming `field` when it is
// not a valid google.protobuf.Timestamp (nanos outside 0..999,999,999, or a year outside
// 1..9999): the one check every timestamp of every request passes through.
absl::Time FromProto(const google::protobuf::Timestamp& ts, bool present, const std::string& field);
// A request's ServiceOrderView as the domain's, `unspecified` standing for the method's default;
// INVALID_ARGUMENT naming `view` for a value outside the enum.
domain::OrderView ViewFromProto(int view, domain::OrderView unspecified);
// Empties the signature image of `order` when `view` is kBasic (a single order read in full).
void ApplyView(domain::OrderView view, domain::ServiceOrder& order);

// The same for a Timestamp this service made (a response read back by a test or a tool).
inline absl::Time FromProto(const google::protobuf::Timestamp& ts, bool present) {
  return FromProto(ts, present, "timestamp");
}
void ToProto(absl::Time time, google::protobuf::Timestamp* out);

domain::OrderIntake IntakeFromProto(const v1::ServiceOrder& order);
void ToProto(const domain::ServiceOrder& order, v1::ServiceOrder* out);

// The technician's own fields; name, active, times and etag are output only and ignored. A
// missing or malformed weekday or time of day becomes -1, which the domain refuses by field.
domain::Technician TechnicianFromProto(const v1::Technician& technician);
void ToProto(const domain::Technician& technician, v1::Technician* out);
void ToProto(const domain::Event& event, v1::Event* out);

// Resource names.
std::string OrderName(const std::string& id);
std::string TechnicianName(const std::string& id);
// The id in "collection/{id}", or throws NOT_FOUND-free INVALID_ARGUMENT naming `field`.
std::string IdFromName(const std::string& name, absl::string_view collection, absl::string_view field);

}  // namespace homevisit::api
