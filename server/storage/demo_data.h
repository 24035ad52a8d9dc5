#pragma once
#include "absl/time/time.h"
#include "storage/database.h"

namespace homevisit::storage {

// Loads demo technicians (with weekly hours and zones) and a few requested orders, once per
// database: a marker row makes later starts skip it, also when replicas start together.
// Returns whether it loaded anything now.
bool LoadDemoData(Database& db, absl::TimeZone zone, absl::Time now);

}  // namespace homevisit::storage
