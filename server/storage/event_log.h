#pragma once
// Readers of the event log call PublishEvents before they read it: on PostgreSQL it positions the
// events that became final since (see SociEventRepository::Publish); on SQLite, where every
// event has its position from the start, it does nothing.
#include "absl/time/time.h"
#include "storage/database.h"

namespace homevisit::storage {

// Returns how many events it positioned. `wait` > 0: every event committed before the call is
// among the positioned ones, unless a transaction still running after `wait` holds them back.
int PublishEvents(Database& db, absl::Duration wait = absl::ZeroDuration());

}  // namespace homevisit::storage
