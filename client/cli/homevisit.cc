// `homevisit`: the command-line client of homevisitd, on the homevisit_client library.
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "commands.h"
#include "completion.h"
#include "help.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "homevisitd address, HOST:PORT");
ABSL_FLAG(std::string, token, "", "bearer token (default: $HOMEVISIT_TOKEN)");
ABSL_FLAG(bool, tls, false, "use TLS (implied by --tls_ca, --tls_cert)");
ABSL_FLAG(std::string, tls_ca, "", "PEM file of the roots to trust (default: the system's)");
ABSL_FLAG(std::string, tls_cert, "", "PEM client certificate, for mutual TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM client key, for mutual TLS");
ABSL_FLAG(std::string, tls_server_name, "", "name to check in the server certificate");
ABSL_FLAG(int32_t, timeout_ms, 10000, "deadline of each call, retries included (watch runs until --limit events or Ctrl-C)");
ABSL_FLAG(bool, json, false, "print results as JSON (proto field names) instead of text");
ABSL_FLAG(std::string, time_zone, "America/Mexico_City", "time zone of the times printed as text");

namespace {

constexpr char kUsage[] = R"(the command-line client of homevisitd.

usage: homevisit [flags] COMMAND [ARGS]

commands:
  intake                       take in a visit request (flags, or --from_json order.json)
  availability ORDER           free windows for an order [--window_start to try another]
  hold ORDER                   hold an option: --technician technicians/ID --window_start T
  book ORDER                   book: --hold holds/ID, or --technician and --window_start
  release HOLD                 release a hold (holds/ID or ID)
  reschedule ORDER             move the visit: --hold, or --technician and --window_start; --reason
  reassign ORDER               give it to another technician: --technician ID --reason TEXT
  events [ORDER]               the event log of an order [--file_number, --page_size]
  technician list|show ID|create|update ID|deactivate ID   dispatcher: the technicians
                               create: --display_name --employee_number --mobile_phone --id_type
                               --postal_codes A,B --delegaciones X --hours "MON-FRI 09:00-18:00"
                               (or --from_json technician.json); list: [--postal_codes CP]
                               [--show_inactive] [--all]; update: only the flags given (an empty
                               one clears, e.g. --delegaciones=) and the fields of --from_json
                               (time_off), [--etag]
  show ORDER                   one order
  list                         orders, newest first [--file_number --state --page_size --all]
  cancel ORDER                 cancel: --reason TEXT [--etag]
  report ORDER | --file_number the filed visit report(s); ORDER --pdf FILE saves its document
                               (the PDF issued at completion)
  report verify FILE           is FILE the document the service issued, and does the report it
                               shows still match the record? (exit 0 yes, 4 no)
  watch [ORDER]                stream events [--from_beginning --after_cursor --limit]
  metrics --from DAY --to DAY  the contract figures of the orders requested in a period (DOT
                               supervisor, dispatcher) [--by technician|delegacion|day]
                               [--charge free|charged] [--first_visit_days N] [--csv]
  help COMMAND                 that command's page (also: homevisit COMMAND --help)
  completion bash              print a bash completion script: source <(homevisit completion bash)
  credentials create|list|revoke  admin: issue (--principal LABEL --role ROLE [--technician]),
                               list, or revoke ID; the token is printed once, at creation

  visit STEP ORDER             the visit, step by step [B1-B11]; every step sends a request id
                               (--request_id, else a new one: retries are safe) and takes --etag
                               and --observe_time (when it happened, if sent later):
    confirm ORDER --result confirmed|change_requested|not_reachable [--note]      (DOT)
    followup ORDER [--present=false] [--note]                                     (DOT)
    script ORDER [--script greeting|escalation_announcement|farewell_...]        (anyone)
    checklist                  the diagnosis checklist: item ids and labels
    checkin ORDER --id_type ine|passport|... [--vest=false ...]                  (technician)
    diagnose ORDER --summary TEXT --answers ITEM=pass|fail|na[:VALUE],...        (technician)
    escalate ORDER [--phone subscriber|technician]                                (technician)
    conference ORDER --agent NAME                                                 (DOT supervisor)
    handover ORDER [--note]                                                       (technician)
    outcome ORDER --result resolved|not_resolved|escalated --problem --diagnosis --actions
                  [--reason_category --reason_text]                             (technician)
    sign ORDER --signer NAME --png FILE | --refused --refusal_reason TEXT         (technician)
    complete ORDER [--note]                                                       (technician)

ORDER is serviceOrders/ID or ID. Exit codes: 0 done, 1 the call failed, 2 bad usage,
3 the server does not serve the call yet (UNIMPLEMENTED).
)";

bool OurFlags(absl::string_view file) { return absl::StrContains(file, "client/cli/"); }

// "client/cli/commands.cc" rather than the path the binary was built at.
std::string ShortFileName(absl::string_view file) {
  const size_t at = file.find("client/cli/");
  return std::string(at == absl::string_view::npos ? file : file.substr(at));
}

}  // namespace

int main(int argc, char** argv) {
  absl::FlagsUsageConfig config;
  config.contains_helpshort_flags = OurFlags;
  config.contains_help_flags = OurFlags;
  config.normalize_filename = ShortFileName;
  absl::SetFlagsUsageConfig(config);
  absl::SetProgramUsageMessage(kUsage);
  // `homevisit COMMAND --help` (abseil would print the global usage): the command's page.
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) != "--help" && std::string(argv[i]) != "-help") continue;
    for (int j = 1; j < argc; ++j) {
      if (homevisit::cli::IsCommand(argv[j])) return homevisit::cli::PrintCommandHelp(kUsage, argv[j]);
    }
  }
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) {
    std::cerr << "homevisit " << kUsage;
    return 2;
  }
  const std::string command = positional[1];

  using Command = int (*)(homevisit::cli::Context&);
  const std::map<std::string, Command> commands = {
      {"intake", homevisit::cli::Intake}, {"availability", homevisit::cli::Availability},
      {"hold", homevisit::cli::HoldCommand}, {"book", homevisit::cli::Book},
      {"show", homevisit::cli::Show},     {"list", homevisit::cli::List},
      {"cancel", homevisit::cli::Cancel}, {"report", homevisit::cli::ReportCommand},
      {"watch", homevisit::cli::Watch},   {"credentials", homevisit::cli::Credentials},
      {"visit", homevisit::cli::Visit},   {"release", homevisit::cli::Release},
      {"reschedule", homevisit::cli::Reschedule}, {"reassign", homevisit::cli::Reassign},
      {"events", homevisit::cli::Events}, {"technician", homevisit::cli::TechnicianCommand},
      {"metrics", homevisit::cli::Metrics}};
  if (command == "help") {
    if (positional.size() != 3) {
      std::cout << "homevisit " << kUsage;
      return 0;
    }
    return homevisit::cli::PrintCommandHelp(kUsage, positional[2]);
  }
  if (command == "completion") {
    if (positional.size() != 3 || std::string(positional[2]) != "bash") {
      std::cerr << "homevisit: usage: homevisit completion bash\n";
      return 2;
    }
    std::vector<std::string> names = {"completion"};
    for (const auto& [name, unused] : commands) names.push_back(name);
    return homevisit::cli::PrintBashCompletion(names);
  }
  auto found = commands.find(command);
  if (found == commands.end()) {
    std::cerr << "homevisit: unknown command '" << command << "' (see homevisit --help)\n";
    return 2;
  }

  homevisit::client::ClientOptions options;
  options.target = absl::GetFlag(FLAGS_server);
  options.token = absl::GetFlag(FLAGS_token);
  if (options.token.empty()) {
    const char* env = std::getenv("HOMEVISIT_TOKEN");
    if (env) options.token = env;
  }
  options.tls.root_certs_file = absl::GetFlag(FLAGS_tls_ca);
  options.tls.cert_chain_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls.private_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls.server_name_override = absl::GetFlag(FLAGS_tls_server_name);
  options.tls.enabled = absl::GetFlag(FLAGS_tls) || !options.tls.root_certs_file.empty() ||
                        !options.tls.cert_chain_file.empty();
  options.default_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms));
  auto client = homevisit::client::Client::Connect(options);
  if (!client.ok()) {
    std::cerr << "homevisit: " << client.error().ToString() << "\n";
    return 2;
  }

  homevisit::cli::Context context{**client, absl::GetFlag(FLAGS_json), absl::UTCTimeZone(), {}, {}};
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_time_zone), &context.zone)) {
    std::cerr << "homevisit: unknown --time_zone " << absl::GetFlag(FLAGS_time_zone) << "\n";
    return 2;
  }
  context.args.assign(positional.begin() + 2, positional.end());
  // Which flags were given (abseil tells only their values): "--name", "-name", "--name=VALUE".
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (!absl::ConsumePrefix(&arg, "-")) continue;
    absl::ConsumePrefix(&arg, "-");
    context.given.insert(std::string(arg.substr(0, arg.find('='))));
  }
  return found->second(context);
}
