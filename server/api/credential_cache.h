#pragma once
// Verified credentials in memory, by the SHA-256 of their token, so that most calls are admitted
// without a database read. An entry is trusted for at most `ttl` after the read that verified it
// began. A revocation made on this replica clears the cache at once; another replica stops
// honouring a revoked token at most `ttl` after the revocation commits (README, Security).
#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/service_order.h"

namespace homevisit::api {

class CredentialCache {
 public:
  static constexpr absl::Duration kDefaultTtl = absl::Seconds(1);

  // `capacity` bounds the entries of each shard (a full shard starts over).
  explicit CredentialCache(absl::Duration ttl = kDefaultTtl, size_t capacity = 4096);

  // The principal verified for `token_hash` less than ttl before `now`.
  std::optional<domain::Actor> Find(const std::string& token_hash, absl::Time now) const;
  // Taken before the database read whose result goes to Put.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Records a verification by a read that began at `read_start`, unless the cache was cleared
  // since `generation` was taken (the read may predate the revocation that cleared it).
  void Put(const std::string& token_hash, const domain::Actor& actor, absl::Time read_start, uint64_t generation);
  // Forgets everything: a credential was revoked (or a technician deactivated) here.
  void Clear();

  absl::Duration ttl() const { return ttl_; }

 private:
  struct Entry {
    domain::Actor actor;
    absl::Time expiry;
  };
  struct Shard {
    mutable absl::Mutex mutex;
    std::unordered_map<std::string, Entry> entries ABSL_GUARDED_BY(mutex);
  };
  Shard& ShardOf(const std::string& token_hash) const;

  std::atomic<uint64_t> generation_{0};
  absl::Duration ttl_;
  size_t capacity_;
  mutable std::array<Shard, 16> shards_;
};

}  // namespace homevisit::api
