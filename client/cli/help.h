#pragma once
#include <string>

namespace homevisit::cli {
// Prints the manual page of `command`: its lines of `usage`, the flags that apply, an example.
// 2 when there is no such command.
// Whether `word` names a command that has a page.
bool IsCommand(const std::string& word);
int PrintCommandHelp(const std::string& usage, const std::string& command);
}  // namespace homevisit::cli
