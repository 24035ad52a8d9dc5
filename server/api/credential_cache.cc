#include "api/credential_cache.h"

#include <functional>

namespace homevisit::api {

CredentialCache::CredentialCache(absl::Duration ttl, size_t capacity) : ttl_(ttl), capacity_(capacity) {}

CredentialCache::Shard& CredentialCache::ShardOf(const std::string& token_hash) const {
  return shards_[std::hash<std::string>{}(token_hash) % shards_.size()];
}

std::optional<domain::Actor> CredentialCache::Find(const std::string& token_hash, absl::Time now) const {
  if (ttl_ <= absl::ZeroDuration()) return std::nullopt;
  Shard& shard = ShardOf(token_hash);
  absl::ReaderMutexLock lock(&shard.mutex);
  auto it = shard.entries.find(token_hash);
  if (it == shard.entries.end() || now >= it->second.expiry) return std::nullopt;
  return it->second.actor;
}

void CredentialCache::Put(const std::string& token_hash, const domain::Actor& actor, absl::Time read_start,
                          uint64_t generation) {
  if (ttl_ <= absl::ZeroDuration()) return;
  Shard& shard = ShardOf(token_hash);
  absl::MutexLock lock(&shard.mutex);
  // Clear() bumps the generation before it takes the shard locks, so a read older than the
  // clear is either refused here or erased by it.
  if (generation != this->generation()) return;
  if (shard.entries.size() >= capacity_) {
    // Many distinct tokens within one ttl: drop what has expired, else everything.
    absl::Time now = read_start;
    std::erase_if(shard.entries, [&](const auto& kv) { return now >= kv.second.expiry; });
    if (shard.entries.size() >= capacity_) shard.entries.clear();
  }
  shard.entries[token_hash] = Entry{actor, read_start + ttl_};
}

void CredentialCache::Clear() {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mutex);
    shard.entries.clear();
  }
}

}  // namespace homevisit::api
