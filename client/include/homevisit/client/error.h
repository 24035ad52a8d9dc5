#pragma once
// A failed call as the caller wants to see it: the gRPC code and message plus the structured
// details the server attaches (google.rpc.BadRequest field violations, google.rpc.ErrorInfo).
#include <grpcpp/grpcpp.h>

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace homevisit::client {

struct FieldViolation {
  std::string field;        // a path such as `service_order.address.postal_code`
  std::string description;  // why it is wrong
};

class Error {
 public:
  Error() = default;
  Error(grpc::StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  // Decodes `status.error_details()` as google.rpc.Status; details that do not parse are ignored.
  static Error FromStatus(const grpc::Status& status);

  bool ok() const { return code_ == grpc::StatusCode::OK; }
  grpc::StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // ErrorInfo.reason: a stable UPPER_SNAKE word such as SLOT_TAKEN, or "".
  const std::string& reason() const { return reason_; }
  const std::string& domain() const { return domain_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::vector<FieldViolation>& field_violations() const { return field_violations_; }
  // True when the server does not serve this method (yet).
  bool unimplemented() const { return code_ == grpc::StatusCode::UNIMPLEMENTED; }

  // "INVALID_ARGUMENT: message [REASON]" followed by one line per field violation.
  std::string ToString() const;

 private:
  grpc::StatusCode code_ = grpc::StatusCode::OK;
  std::string message_;
  std::string reason_;
  std::string domain_;
  std::map<std::string, std::string> metadata_;
  std::vector<FieldViolation> field_violations_;
};

// "INVALID_ARGUMENT", "UNAVAILABLE", ...
std::string CodeName(grpc::StatusCode code);

// What reading the value of a failed Result throws: the call's error, as text and whole.
class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(const Error& error)
      : std::logic_error("homevisit: the value of a failed call was read: " + error.ToString()), error_(error) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// Either a value or the Error that prevented it. Reading the value of a failed Result (value(),
// *, ->) throws BadResultAccess rather than handing back an empty value: check ok() first.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : error_(std::move(error)) {}  // NOLINT
  bool ok() const { return error_.ok(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }
  const T& value() const& { return Checked(); }
  T& value() & { return Checked(); }
  T&& value() && { return std::move(Checked()); }
  const T& operator*() const& { return Checked(); }
  T& operator*() & { return Checked(); }
  const T* operator->() const { return &Checked(); }
  T* operator->() { return &Checked(); }

 private:
  const T& Checked() const {
    if (!ok()) throw BadResultAccess(error_);
    return value_;
  }
  T& Checked() {
    if (!ok()) throw BadResultAccess(error_);
    return value_;
  }

  T value_{};
  Error error_;
};

}  // namespace homevisit::client
