#include "observability/logging.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "observability/buffered_sink.h"
#include "observability/status_code_names.h"

namespace homevisit::observability {
namespace {

std::atomic<spdlog::logger*> configured{nullptr};

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarning: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
    case LogLevel::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

// The object's members without its braces: the logger's pattern adds time and level around them.
std::string Members(const nlohmann::ordered_json& object) {
  std::string text = object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return text.size() >= 2 ? text.substr(1, text.size() - 2) : std::string();
}

// `text` as a JSON string (quotes and escapes), through nlohmann's serializer for anything that
// needs escaping; plain ids and codes (the usual case) are copied as they are.
void AppendJsonString(std::string* out, std::string_view text) {
  bool plain = true;
  for (unsigned char c : text) {
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out->push_back('"');
    out->append(text);
    out->push_back('"');
  } else {
    out->append(nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

LogLevel LevelOfCode(int code) {
  switch (code) {
    case 2:   // UNKNOWN
    case 13:  // INTERNAL
    case 15:  // DATA_LOSS
      return LogLevel::kError;
    case 4:   // DEADLINE_EXCEEDED
    case 8:   // RESOURCE_EXHAUSTED
    case 14:  // UNAVAILABLE
      return LogLevel::kWarning;
    default:
      return LogLevel::kInfo;
  }
}

const char* CodeName(int code) { return kStatusCodeNames[StatusCodeIndex(code)]; }

}  // namespace

bool ParseLogLevel(std::string_view text, LogLevel* level) {
  if (text == "debug") *level = LogLevel::kDebug;
  else if (text == "info") *level = LogLevel::kInfo;
  else if (text == "warning" || text == "warn") *level = LogLevel::kWarning;
  else if (text == "error") *level = LogLevel::kError;
  else if (text == "off") *level = LogLevel::kOff;
  else return false;
  return true;
}

void ConfigureLogging(LogLevel level) {
  if (configured.load()) {
    configured.load()->set_level(ToSpdlog(level));
    return;
  }
  // Lines reach stderr within 200 ms, errors at once (flush_on below).
  auto sink = std::make_shared<BufferedFdSink>(STDERR_FILENO, std::chrono::milliseconds(200));
  auto logger = std::make_shared<spdlog::logger>("homevisitd", std::move(sink));
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  logger->set_level(ToSpdlog(level));
  logger->flush_on(spdlog::level::err);
  spdlog::register_logger(logger);
  configured.store(logger.get());  // the registry keeps it alive until spdlog::shutdown
}

void FlushLogs() {
  if (spdlog::logger* logger = configured.load()) logger->flush();
}

bool CallLogEnabled() {
  spdlog::logger* logger = configured.load(std::memory_order_acquire);
  return logger && logger->should_log(spdlog::level::info);
}

void LogCall(const CallLogLine& call) {
  spdlog::logger* logger = configured.load(std::memory_order_acquire);
  if (!logger) return;
  spdlog::level::level_enum level = ToSpdlog(LevelOfCode(call.code));
  if (!logger->should_log(level)) return;
  // Built directly rather than through a JSON object (one allocation instead of a dozen: this
  // runs for every call); strings that callers chose go through the JSON escaper.
  std::string line;
  line.reserve(256);
  absl::StrAppend(&line, R"("event":"call","method":)");
  AppendJsonString(&line, call.method);
  absl::StrAppend(&line, R"(,"code":")", CodeName(call.code), R"(","duration_ms":)",
                  static_cast<double>(static_cast<long long>(call.duration_ms * 1000)) / 1000);
  const std::pair<const char*, std::string_view> optional[] = {{"reason", call.reason},
                                                               {"principal", call.principal},
                                                               {"resource", call.resource},
                                                               {"request_id", call.request_id},
                                                               {"peer", call.peer}};
  for (const auto& [name, value] : optional) {
    if (value.empty()) continue;
    absl::StrAppend(&line, ",\"", name, "\":");
    AppendJsonString(&line, value);
  }
  logger->log(spdlog::source_loc{}, level, spdlog::string_view_t(line));
}

void LogEvent(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  spdlog::logger* logger = configured.load(std::memory_order_acquire);
  if (!logger) {
    if (level == LogLevel::kDebug || level == LogLevel::kOff) return;
    std::cerr << "homevisitd: " << event;
    for (const auto& [name, value] : fields) std::cerr << " " << name << "=" << value;
    std::cerr << "\n";
    return;
  }
  if (!logger->should_log(ToSpdlog(level))) return;
  nlohmann::ordered_json line = {{"event", event}};
  for (const auto& [name, value] : fields) line[std::string(name)] = value;
  logger->log(spdlog::source_loc{}, ToSpdlog(level), spdlog::string_view_t(Members(line)));
}

}  // namespace homevisit::observability
