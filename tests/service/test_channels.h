#pragma once
// Test channels that carry real credentials. Every RPC requires a bearer token; tests about
// behaviour rather than access use AutoTokenChannel, which picks for each call a credential whose
// role may make it (issued straight into the database on first use). Tests about access
// (auth_test.cc) use TokenChannel with explicit tokens.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "domain/service_order.h"

namespace homevisit::testing {

// Per call: a DOT supervisor, DOT operator, dispatcher or admin credential, the first whose role
// may call the RPC; for technician-only RPCs, the credential of the technician assigned to the
// order the request names. A call that sets its own `authorization` metadata keeps it.
std::shared_ptr<grpc::Channel> AutoTokenChannel(const std::string& target, const std::string& db_url,
                                                grpc::ChannelArguments args = {});

// Every call carries `token` (none when empty).
std::shared_ptr<grpc::Channel> TokenChannel(const std::string& target, const std::string& token,
                                            grpc::ChannelArguments args = {});

// Issues a credential in the database at `db_url` and returns its token.
std::string IssueToken(const std::string& db_url, domain::Role role, const std::string& technician_id = "");

}  // namespace homevisit::testing
