#pragma once
// One database, SQLite or PostgreSQL, behind one code path: a pool of SOCI sessions and
// transactions that hand the domain a UnitOfWork. Dialect differences live in dialect.cc.
#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include <soci/soci.h>

#include "domain/repositories.h"

namespace homevisit::storage {

enum class Dialect { kSqlite, kPostgres };

struct DatabaseOptions {
  // "sqlite:PATH" or a "postgresql://" URL (libpq syntax).
  std::string url = "sqlite:homevisit.db";
  // Sessions in the pool; 0 picks a default per dialect.
  size_t pool_size = 0;
  // How long a call waits for a free session or for SQLite's write lock.
  int busy_timeout_ms = 5000;
};

class Database {
 public:
  // Opens the pool and applies pending migrations. Throws DomainError(kUnavailable) when the
  // database cannot be reached, kInvalidArgument for a malformed URL.
  static std::unique_ptr<Database> Open(const DatabaseOptions& options);
  ~Database();

  Dialect dialect() const { return dialect_; }

  // Runs `work` in one read-write transaction and returns its result. Serialization failures
  // are retried; database errors come out as DomainError with the right kind.
  template <typename Fn>
  auto Write(Fn&& work) {
    return Run(true, std::forward<Fn>(work));
  }
  // The same for reads only (no write lock taken on SQLite).
  template <typename Fn>
  auto Read(Fn&& work) {
    return Run(false, std::forward<Fn>(work));
  }

  // For tests and tools: raw access to one session inside a transaction.
  void WithSession(const std::function<void(soci::session&)>& fn);

 private:
  Database(Dialect dialect, size_t pool_size, int busy_timeout_ms);
  template <typename Fn>
  auto Run(bool write, Fn&& work) {
    using Result = std::invoke_result_t<Fn&, domain::UnitOfWork&>;
    if constexpr (std::is_void_v<Result>) {
      RunTransaction(write, [&](domain::UnitOfWork& uow) { work(uow); });
    } else {
      std::optional<Result> result;
      RunTransaction(write, [&](domain::UnitOfWork& uow) { result.emplace(work(uow)); });
      return std::move(*result);
    }
  }
  void RunTransaction(bool write, const std::function<void(domain::UnitOfWork&)>& work);
  void OpenSession(soci::session& session, const std::string& target);

  Dialect dialect_;
  int busy_timeout_ms_;
  soci::connection_pool pool_;
};

}  // namespace homevisit::storage
