#pragma once
// Where homevisitd's flags come from: the command line, then the environment (HOMEVISIT_<NAME>),
// then a config file (--config or HOMEVISIT_CONFIG), then the built-in default. A systemd unit or
// a container sets everything without a command line; the command line still wins for a one-off.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace homevisit::config {

// The value of an environment variable, or nullopt when it is not set.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
// A whole file's contents, or why it cannot be read.
using FileReader = std::function<absl::StatusOr<std::string>(const std::string& path)>;

struct FlagSources {
  // The program's own flags: only these may come from the file and the environment (absl's and
  // gRPC's flags stay command-line only).
  std::function<bool(const absl::CommandLineFlag&)> is_ours;
  std::string env_prefix = "HOMEVISIT_";
  // The flag naming the config file; the file itself may not set it.
  std::string config_flag = "config";
  Environment getenv;
  FileReader read_file;
};

// The process's environment and file system.
Environment ProcessEnvironment();
FileReader ReadWholeFile();

// One `name = value` line of a config file.
struct Setting {
  std::string name;  // dashes turned into underscores
  std::string value;
  int line = 0;
};

// Splits a config file into settings: one `name = value` per line, `#` starts a comment line,
// blank lines are skipped, whitespace around name and value is trimmed, and a value may be
// double-quoted (the quotes are removed, nothing inside them is special). A line without `=`, an
// empty name or an unterminated quote is an error "PATH:LINE: ...". Names are not checked here.
absl::StatusOr<std::vector<Setting>> ParseConfigFile(const std::string& path, const std::string& contents);

// `--time-zone` and `--time_zone` both name the flag time_zone: absl flag names cannot hold
// dashes, so the name part of every "--name[=value]" argument (up to a lone "--") gets
// underscores.
std::vector<std::string> NormalizeDashes(std::vector<std::string> args);

// Parses `args` (argv, program name first) with absl::ParseCommandLine, which prints --help and
// --version and exits, and exits on an unknown flag or a bad value. Then sets every flag of
// ours from the config file, then from the environment, then again to what the command line
// gave, so: command line > environment > config file > default. Returns an error naming the
// file and line, or the variable, and changes nothing more after it; the caller exits.
absl::Status LoadFlags(const std::vector<std::string>& args, const FlagSources& sources);

}  // namespace homevisit::config
