#pragma once
// Statements prepared once per pooled session and run again with new values. Preparing is most
// of a short read's cost: sqlite3_prepare_v2 of the order SELECT (~45 columns, two joins) costs
// more than running it, and on PostgreSQL an uncached statement is PREPARE, EXECUTE and
// DEALLOCATE, three round trips where a cached one needs one.
//
// Every pooled session owns one cache. While a thread holds a session's lease, that session's
// cache is the thread's active one, and QueryRows/Execute (sql.h) go through it; anything else
// (a session used outside the pool, a statement already running further up the stack, a full
// cache) runs uncached, as before.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <soci/soci.h>

#include "storage/database.h"
#include "storage/sql.h"

namespace homevisit::storage {

class StatementCache {
 public:
  // `capacity` bounds the statements kept (list filters make a few shapes per combination).
  StatementCache(soci::session& session, Dialect dialect, size_t capacity = 256);
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The active cache of `session` on this thread, or null.
  static StatementCache* Active(const soci::session& session);

  // Runs `text` with `params`, calling `each` for every row. False when the statement cannot be
  // cached now: the caller runs it uncached.
  bool Query(const std::string& text, const SqlParams& params, const std::function<void(const soci::row&)>& each);
  // Runs a statement without rows; the number of rows it changed, or nullopt as above.
  std::optional<long long> Execute(const std::string& text, const SqlParams& params);

  // Drops every statement: before a reconnect (a new connection has none of them).
  void Clear();
  size_t size() const { return entries_.size(); }

  // Makes `cache` the active one for its session on this thread while the scope lives.
  class Scope {
   public:
    explicit Scope(StatementCache& cache);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    StatementCache* previous_;
  };

 private:
  struct Entry;
  // The prepared entry for `key`, preparing it if new; null when it cannot be used now.
  Entry* Prepare(const std::string& key, const std::string& text, const SqlParams& params, bool rows);
  // After a failed run: SQLite's statement may still hold its read position, so it is finalized;
  // PostgreSQL's survives any failure of the transaction it ran in and is kept.
  void AfterFailure(const std::string& key);

  soci::session& session_;
  Dialect dialect_;
  size_t capacity_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace homevisit::storage
