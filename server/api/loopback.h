#pragma once
// Whether a listen address only reaches this machine: the decision behind serving plaintext.
#include <string>

namespace homevisit::api {

// True when `listen` ("HOST:PORT", "[V6]:PORT" or "unix:PATH") is a Unix socket or a host whose
// every resolved address is loopback (127.0.0.0/8, ::1). The text alone is never trusted: a
// name such as "127.0.0.1.example.com" resolves wherever its DNS says.
bool IsLoopbackListen(const std::string& listen);

}  // namespace homevisit::api
