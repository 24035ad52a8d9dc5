#pragma once
#include <string>

namespace homevisit::domain {

// A new RFC 9562 version-7 UUID in lowercase: 48 bits of Unix time in milliseconds, then 74
// random bits. Ids never collide across replicas, and because they grow with time, new rows land
// at the right edge of every index keyed by them (primary keys, events by order) instead of on a
// random page: a write dirties pages the previous writes of its batch already dirtied. An id
// reveals when it was made, which the resource's create_time says anyway.
std::string NewId();

}  // namespace homevisit::domain
