// `homevisit help COMMAND` and `homevisit COMMAND --help`: one command's manual page, from the
// global usage text (its synopsis lines) and the flags whose help names the command.
#include "help.h"

#include <iostream>
#include <map>
#include <string>

#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace homevisit::cli {
namespace {

const std::map<std::string, std::string>& Examples() {
  static const auto* examples = new std::map<std::string, std::string>{
      {"intake", "homevisit intake --from_json order.json"},
      {"availability", "homevisit availability serviceOrders/ID"},
      {"hold", "homevisit hold ID --technician technicians/demo-tech-2 --window_start 2026-12-03T10:00:00-06:00"},
      {"book", "homevisit book ID --hold holds/HOLD"},
      {"release", "homevisit release holds/HOLD"},
      {"reschedule", "homevisit reschedule ID --hold holds/HOLD --reason \"el suscriptor pidió otro día\""},
      {"reassign", "homevisit reassign ID --technician technicians/demo-tech-2 --reason \"enfermedad\""},
      {"events", "homevisit events ID"},
      {"technician", "homevisit technician list --postal_codes 06700 --all"},
      {"show", "homevisit show ID"},
      {"list", "homevisit list --state requested,scheduled --all"},
      {"cancel", "homevisit cancel ID --reason \"resuelto\" --etag v1"},
      {"report", "homevisit report ID --pdf reporte.pdf && homevisit report verify reporte.pdf"},
      {"watch", "homevisit watch --from_beginning --limit 10"},
      {"credentials", "homevisit credentials create --principal dot-cabin-3 --role dot_operator"},
      {"visit", "homevisit visit confirm ID --result confirmed"},
      {"metrics", "homevisit metrics --from 2026-12-01 --to 2026-12-31 --by technician"},
      {"completion", "source <(homevisit completion bash)"}};
  return *examples;
}

// The flag applies when a command named before the ':' of its help is this one
// ("intake, book, visit steps: ..." applies to intake, book and visit).
bool Applies(const std::string& help, const std::string& command) {
  const size_t colon = help.find(':');
  if (colon == std::string::npos) return false;
  for (absl::string_view item : absl::StrSplit(help.substr(0, colon), ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.substr(0, item.find(' ')) == command) return true;
  }
  return false;
}

}  // namespace

bool IsCommand(const std::string& word) { return Examples().count(word) > 0; }

int PrintCommandHelp(const std::string& usage, const std::string& command) {
  const auto example = Examples().find(command);
  if (example == Examples().end()) {
    std::cerr << "homevisit: no command '" << command << "' (see homevisit --help)\n";
    return 2;
  }
  std::cout << "NAME\n  homevisit " << command << "\n\nSYNOPSIS AND DESCRIPTION\n";
  bool in = false;
  for (absl::string_view line : absl::StrSplit(usage, '\n')) {
    const bool starts = absl::StartsWith(line, "  " + command + " ") || line == "  " + command;
    if (starts) in = true;
    else if (in && !(absl::StartsWith(line, "   ") && !line.empty())) in = false;
    if (in) std::cout << line << "\n";
  }
  std::cout << "\nFLAGS\n";
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (!absl::StrContains(flag->Filename(), "client/cli/") || !Applies(flag->Help(), command)) continue;
    std::cout << "  --" << name << " (default: \"" << flag->DefaultValue() << "\")\n      " << flag->Help() << "\n";
  }
  std::cout << "  and the global flags (--server, --token, --tls*, --timeout_ms, --json, --time_zone): homevisit --help\n";
  std::cout << "\nEXAMPLE\n  " << example->second << "\n";
  return 0;
}

}  // namespace homevisit::cli
