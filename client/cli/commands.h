#pragma once
// The subcommands of `homevisit`. Each returns the process exit code: 0 done, 1 the call failed,
// 2 bad usage, 3 the server does not serve the call yet (UNIMPLEMENTED).
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "homevisit/client/client.h"

namespace homevisit::cli {

struct Context {
  client::Client& client;
  bool json = false;
  absl::TimeZone zone;
  std::vector<std::string> args;  // positional arguments after the subcommand
  std::set<std::string> given;    // the flags on the command line, even empty ones (--name=)
};

int Intake(Context& ctx);
int Availability(Context& ctx);
int HoldCommand(Context& ctx);
int Book(Context& ctx);
int Show(Context& ctx);
int List(Context& ctx);
int Cancel(Context& ctx);
int ReportCommand(Context& ctx);
int Watch(Context& ctx);
int Release(Context& ctx);     // release a hold
int Reschedule(Context& ctx);  // dispatcher/DOT: move an appointment
int Reassign(Context& ctx);    // dispatcher: give it to another technician
int Events(Context& ctx);      // the event log of an order or a file
int TechnicianCommand(Context& ctx);  // dispatcher: technician list|show|create|deactivate
int Credentials(Context& ctx);  // admin: create, list, revoke
int Visit(Context& ctx);        // visit STEP ORDER: the procedure's steps (visit_commands.cc)
int Metrics(Context& ctx);      // the contract figures of a period (metrics_command.cc)

}  // namespace homevisit::cli
