#pragma once
// The server's log: one JSON object per line on stderr, written by one asynchronous spdlog
// logger (a background thread does the formatting's last step and the write, so a call pays for
// building its line, not for the write(2)).
//
// Lines carry ids and codes only, never personal data: no names, emails, addresses, phones, no
// tokens, no request bodies. A call line has the method, status code and ErrorInfo reason,
// duration, principal (a credential's label, which the service requires not to be a person's
// name), the resource (an order's or technician's resource name), the request id and the peer.
//
// Until ConfigureLogging runs (in-process tests), call lines are dropped and other events go to
// stderr as plain text, as before.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace homevisit::observability {

enum class LogLevel { kDebug, kInfo, kWarning, kError, kOff };

// "debug", "info", "warning" (or "warn"), "error", "off".
bool ParseLogLevel(std::string_view text, LogLevel* level);

// Starts the JSON logger at `level`. Once per process, before serving.
void ConfigureLogging(LogLevel level);
// Writes out every queued line (call before exiting).
void FlushLogs();

struct CallLogLine {
  std::string_view method;  // gRPC's "/homevisit.v1.Service/Method"
  int code = 0;             // grpc::StatusCode
  std::string_view reason;  // the ErrorInfo reason of a failed call, if any
  double duration_ms = 0;
  std::string_view principal;
  std::string_view resource;
  std::string_view request_id;
  std::string_view peer;
};
// Whether call lines are written at all (a configured logger at info or below): callers skip
// gathering what only the line needs when not.
bool CallLogEnabled();
// One line per finished call: info for answered calls, warning for UNAVAILABLE,
// RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED, error for INTERNAL, UNKNOWN and DATA_LOSS.
void LogCall(const CallLogLine& call);

using LogField = std::pair<std::string_view, std::string_view>;
// A lifecycle or error line: {"event": event, field: value, ...}. Values must hold no personal data.
void LogEvent(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

}  // namespace homevisit::observability
