#pragma once
#include <string>

namespace homevisit::domain {

// A random RFC 4122 version-4 UUID in lowercase: resource ids that reveal nothing and never
// collide across replicas.
std::string NewId();

}  // namespace homevisit::domain
