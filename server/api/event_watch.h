#pragma once
// The live event feed (SPEC §6): every watch reads from the database, so an event written
// through any replica reaches watchers on every replica. A ticker looks at the log's head once
// per interval and wakes only the watches that are behind; each watch then reads its own
// filtered batch after its cursor and writes it one message at a time (a slow client holds at
// most one batch in memory, never a growing queue).
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/time/time.h"
#include "api/worker_pool.h"
#include "domain/repositories.h"
#include "homevisit/v1/event.pb.h"
#include "storage/database.h"

namespace homevisit::api {

struct WatchOptions {
  absl::Duration poll_interval = absl::Milliseconds(200);
  int max_watches_per_principal = 256;
  int batch_size = 100;
  // PostgreSQL: how long ListEvents and a watch starting "now" wait for the transactions running
  // at their call to end, so that the caller's own committed events are in the log they read.
  absl::Duration read_your_writes_wait = absl::Seconds(2);
};

class Watch;

class WatchHub {
 public:
  WatchHub(storage::Database& db, WorkerPool& pool, WatchOptions options);
  ~WatchHub();

  // Starts a watch for `principal`, admitted with the token hashing to `token_hash`, or one that
  // ends at once with RESOURCE_EXHAUSTED / INVALID_ARGUMENT. The watch ends UNAUTHENTICATED
  // once that credential is revoked (CallGate::StillActive), and delivers nothing after.
  grpc::ServerWriteReactor<v1::WatchEventsResponse>* Open(const std::string& principal, const std::string& token_hash,
                                                          const v1::WatchEventsRequest& request);
  // A watch that only reports `status` (e.g. the caller was not admitted).
  grpc::ServerWriteReactor<v1::WatchEventsResponse>* Refuse(const grpc::Status& status);
  // Ends every watch with OK (server shutdown) and stops the ticker.
  void StopAll();
  // Watches open now.
  size_t open() const;

 private:
  friend class Watch;
  void Remove(Watch* watch);
  void TickLoop();
  // Ends the watches whose credential is no longer active (ticker thread, hub lock not held).
  void EndRevokedWatches();
  // False once the credential of `token_hash` is revoked; true when that cannot be told now.
  bool CredentialActive(const std::string& token_hash);

  storage::Database& db_;
  WorkerPool& pool_;
  WatchOptions options_;
  mutable std::mutex mutex_;
  std::set<Watch*> watches_;
  std::map<std::string, int> per_principal_;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread ticker_;
};

}  // namespace homevisit::api
