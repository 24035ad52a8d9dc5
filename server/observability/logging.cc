#include "observability/logging.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

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

const char* CodeName(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  return code >= 0 && code < 17 ? kNames[code] : "UNKNOWN";
}

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
  // One background thread; a full queue makes callers wait rather than lose lines.
  spdlog::init_thread_pool(8192, 1);
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::async_logger>("homevisitd", std::move(sink), spdlog::thread_pool(),
                                                       spdlog::async_overflow_policy::block);
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
  nlohmann::ordered_json line = {{"event", "call"},
                         {"method", call.method},
                         {"code", CodeName(call.code)},
                         {"duration_ms", static_cast<double>(static_cast<long long>(call.duration_ms * 1000)) / 1000}};
  if (!call.reason.empty()) line["reason"] = call.reason;
  if (!call.principal.empty()) line["principal"] = call.principal;
  if (!call.resource.empty()) line["resource"] = call.resource;
  if (!call.request_id.empty()) line["request_id"] = call.request_id;
  if (!call.peer.empty()) line["peer"] = call.peer;
  logger->log(spdlog::source_loc{}, level, spdlog::string_view_t(Members(line)));
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
