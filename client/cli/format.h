#pragma once
// How the CLI prints results: aligned text for people, or the message as JSON (--json).
#include <google/protobuf/message.h>

#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "homevisit/client/error.h"
#include "homevisit/v1/event.pb.h"
#include "homevisit/v1/scheduling_service.pb.h"
#include "homevisit/v1/service_order_service.pb.h"
#include "homevisit/v1/visit_report.pb.h"

namespace homevisit::cli {

// The message as JSON with the proto field names (what --from_json reads back).
std::string ToJson(const google::protobuf::Message& message);

class Printer {
 public:
  Printer(std::ostream& out, absl::TimeZone zone) : out_(out), zone_(zone) {}
  void Order(const v1::ServiceOrder& order);
  void OrderLine(const v1::ServiceOrder& order);
  void Availability(const v1::CheckAvailabilityResponse& response);
  void Hold(const v1::Hold& hold);
  void Report(const v1::VisitReport& report);
  void Event(const v1::Event& event);

 private:
  std::string Time(const google::protobuf::Timestamp& t) const;
  std::string Window(const v1::TimeWindow& w) const;
  void Option(const char* label, const v1::SlotOption& option);
  std::ostream& out_;
  absl::TimeZone zone_;
};

// The error for people, on stderr: code, message, reason, one line per field violation, and a
// plain sentence for UNIMPLEMENTED.
void PrintError(std::ostream& err, const std::string& what, const client::Error& error);

}  // namespace homevisit::cli
