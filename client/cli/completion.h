#pragma once
#include <string>
#include <vector>

namespace homevisit::cli {
// Prints the bash completion script; `commands` are the top-level command names.
int PrintBashCompletion(const std::vector<std::string>& commands);
}  // namespace homevisit::cli
