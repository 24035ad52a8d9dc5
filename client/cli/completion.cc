// `homevisit completion bash`: a bash completion script for the commands, their subcommands and
// every flag of the CLI (read from abseil, so a new flag completes without touching this file).
#include "completion.h"

#include <iostream>
#include <string>

#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"

namespace homevisit::cli {

int PrintBashCompletion(const std::vector<std::string>& commands) {
  std::vector<std::string> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (absl::StrContains(flag->Filename(), "client/cli/")) flags.push_back("--" + std::string(name));
  }
  std::cout << R"(# bash completion for homevisit: source <(homevisit completion bash)
_homevisit() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local commands=")" << absl::StrJoin(commands, " ") << R"("
  local flags=")" << absl::StrJoin(flags, " ") << R"( --help"
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return
  fi
  local command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ ${COMP_WORDS[i]} != -* ]]; then command=${COMP_WORDS[i]}; break; fi
  done
  case $command in
    "") COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
    visit) COMPREPLY=($(compgen -W "confirm followup script checklist checkin diagnose escalate conference handover outcome sign complete" -- "$cur")) ;;
    technician) COMPREPLY=($(compgen -W "list show create update deactivate" -- "$cur")) ;;
    credentials) COMPREPLY=($(compgen -W "create list revoke" -- "$cur")) ;;
    completion) COMPREPLY=($(compgen -W "bash" -- "$cur")) ;;
    help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}
complete -F _homevisit homevisit
)";
  return 0;
}

}  // namespace homevisit::cli
