#include "config/flag_sources.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace homevisit::config {
namespace {

std::string Underscores(absl::string_view name) {
  std::string result(name);
  std::replace(result.begin(), result.end(), '-', '_');
  return result;
}

// The flag of ours called `name`, or null.
absl::CommandLineFlag* FindOurs(const FlagSources& sources, absl::string_view name) {
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  if (!flag || flag->IsRetired() || !sources.is_ours(*flag)) return nullptr;
  return flag;
}

// The values of our flags named on the command line, as absl parsed them. Read after
// absl::ParseCommandLine, so "--name value", "--name=value", "--name" and "--noname" all count.
std::map<std::string, std::string> CommandLineValues(const std::vector<std::string>& args, const FlagSources& sources) {
  std::map<std::string, std::string> values;
  for (size_t i = 1; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--") break;
    if (!absl::ConsumePrefix(&arg, "-")) continue;  // a positional argument or a flag's value
    absl::ConsumePrefix(&arg, "-");
    absl::string_view name = arg.substr(0, arg.find('='));
    absl::CommandLineFlag* flag = FindOurs(sources, name);
    if (!flag && absl::ConsumePrefix(&name, "no")) {
      flag = FindOurs(sources, name);
      if (flag && !flag->IsOfType<bool>()) flag = nullptr;
    }
    if (flag) values[std::string(flag->Name())] = flag->CurrentValue();
  }
  return values;
}

// Our flags, by name (GetAllFlags' order is a hash map's).
std::vector<absl::CommandLineFlag*> OurFlags(const FlagSources& sources) {
  std::vector<absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (!flag->IsRetired() && sources.is_ours(*flag)) flags.push_back(flag);
  }
  std::sort(flags.begin(), flags.end(),
            [](const absl::CommandLineFlag* a, const absl::CommandLineFlag* b) { return a->Name() < b->Name(); });
  return flags;
}

std::string VariableFor(const FlagSources& sources, absl::string_view flag_name) {
  return absl::StrCat(sources.env_prefix, absl::AsciiStrToUpper(flag_name));
}

absl::Status ApplyConfigFile(const std::string& path, const FlagSources& sources) {
  absl::StatusOr<std::string> contents = sources.read_file(path);
  if (!contents.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read config file ", path, ": ", contents.status().message()));
  }
  absl::StatusOr<std::vector<Setting>> settings = ParseConfigFile(path, *contents);
  if (!settings.ok()) return settings.status();
  for (const Setting& setting : *settings) {
    std::string where = absl::StrCat(path, ":", setting.line, ": ");
    if (setting.name == sources.config_flag) {
      return absl::InvalidArgumentError(absl::StrCat(where, setting.name, " cannot be set in a config file"));
    }
    absl::CommandLineFlag* flag = FindOurs(sources, setting.name);
    if (!flag) return absl::InvalidArgumentError(absl::StrCat(where, "unknown setting \"", setting.name, "\""));
    std::string error;
    if (!flag->ParseFrom(setting.value, &error)) return absl::InvalidArgumentError(absl::StrCat(where, error));
  }
  return absl::OkStatus();
}

absl::Status ApplyEnvironment(const FlagSources& sources) {
  for (absl::CommandLineFlag* flag : OurFlags(sources)) {
    std::string variable = VariableFor(sources, flag->Name());
    std::optional<std::string> value = sources.getenv(variable);
    if (!value) continue;
    std::string error;
    if (!flag->ParseFrom(*value, &error)) return absl::InvalidArgumentError(absl::StrCat(variable, ": ", error));
  }
  return absl::OkStatus();
}

}  // namespace

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

FileReader ReadWholeFile() {
  return [](const std::string& path) -> absl::StatusOr<std::string> {
    std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) return absl::NotFoundError(std::strerror(errno));
    std::string contents;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) contents.append(buffer, n);
    if (std::ferror(file.get())) return absl::UnavailableError(std::strerror(errno));  // e.g. a directory
    return contents;
  };
}

absl::StatusOr<std::vector<Setting>> ParseConfigFile(const std::string& path, const std::string& contents) {
  std::vector<Setting> settings;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);  // also a CRLF file's \r
    if (line.empty() || line.front() == '#') continue;
    std::string where = absl::StrCat(path, ":", number, ": ");
    size_t equals = line.find('=');
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(where, "expected name = value"));
    }
    absl::string_view name = absl::StripAsciiWhitespace(line.substr(0, equals));
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(equals + 1));
    if (name.empty()) return absl::InvalidArgumentError(absl::StrCat(where, "expected name = value"));
    if (absl::ConsumePrefix(&value, "\"") && !absl::ConsumeSuffix(&value, "\"")) {
      return absl::InvalidArgumentError(absl::StrCat(where, "a value that opens a double quote must end with one"));
    }
    settings.push_back(Setting{Underscores(name), std::string(value), number});
  }
  return settings;
}

std::vector<std::string> NormalizeDashes(std::vector<std::string> args) {
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.rfind("--", 0) != 0) continue;
    size_t name_end = std::min(arg.find('='), arg.size());
    std::replace(arg.begin() + 2, arg.begin() + static_cast<std::ptrdiff_t>(name_end), '-', '_');
  }
  return args;
}

absl::Status LoadFlags(const std::vector<std::string>& args, const FlagSources& sources) {
  std::vector<std::string> normalized = NormalizeDashes(args);
  std::vector<char*> argv;
  for (std::string& arg : normalized) argv.push_back(arg.data());
  argv.push_back(nullptr);
  absl::ParseCommandLine(static_cast<int>(normalized.size()), argv.data());

  std::map<std::string, std::string> command_line = CommandLineValues(normalized, sources);
  std::string config_path;
  if (auto given = command_line.find(sources.config_flag); given != command_line.end()) {
    config_path = given->second;
  } else if (std::optional<std::string> variable = sources.getenv(VariableFor(sources, sources.config_flag))) {
    config_path = *variable;
  }
  if (!config_path.empty()) {
    if (absl::Status applied = ApplyConfigFile(config_path, sources); !applied.ok()) return applied;
  }
  if (absl::Status applied = ApplyEnvironment(sources); !applied.ok()) return applied;
  for (const auto& [name, value] : command_line) {
    std::string error;
    if (!absl::FindCommandLineFlag(name)->ParseFrom(value, &error)) {
      return absl::InternalError(absl::StrCat("--", name, ": ", error));
    }
  }
  return absl::OkStatus();
}

}  // namespace homevisit::config
