// sqlite_insert_bench: the ceiling SQLite itself puts on durable intakes on this machine. One
// row per transaction from --clients threads (one connection each), with the server's settings:
// WAL, synchronous=FULL, BEGIN IMMEDIATE, a busy timeout. The row is about an order's size.
// Prints "commits_per_second=N" plus p50/p99 of one transaction in microseconds.
//
//   build/bench/sqlite_insert_bench --db /tmp/x.db --clients 8 --seconds 10
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"

ABSL_FLAG(std::string, db, "sqlite_insert_bench.db", "SQLite file (created; removed by the caller)");
ABSL_FLAG(int, clients, 8, "concurrent writers, one connection each");
ABSL_FLAG(int, seconds, 10, "how long to insert");

namespace {

using Clock = std::chrono::steady_clock;

void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite_insert_bench: %s: %s\n", sql, error ? error : "?");
    std::exit(1);
  }
}

sqlite3* Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite_insert_bench: cannot open %s\n", path.c_str());
    std::exit(1);
  }
  sqlite3_busy_timeout(db, 5000);
  Exec(db, "PRAGMA synchronous=FULL");
  Exec(db, "PRAGMA foreign_keys=ON");
  return db;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string path = absl::GetFlag(FLAGS_db);
  {
    sqlite3* db = Open(path);
    Exec(db, "PRAGMA journal_mode=WAL");
    Exec(db, "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, request_id TEXT NOT NULL UNIQUE, "
             "payload TEXT NOT NULL, create_time BIGINT NOT NULL)");
    sqlite3_close(db);
  }
  const std::string payload(600, 'x');
  const auto deadline = Clock::now() + std::chrono::seconds(absl::GetFlag(FLAGS_seconds));
  std::atomic<long> next{0}, busy{0};
  std::vector<std::vector<long>> latencies(absl::GetFlag(FLAGS_clients));
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int c = 0; c < absl::GetFlag(FLAGS_clients); ++c) {
    threads.emplace_back([&, c] {
      sqlite3* db = Open(path);
      sqlite3_stmt* insert = nullptr;
      sqlite3_prepare_v2(db, "INSERT INTO rows (request_id, payload, create_time) VALUES (?, ?, ?)", -1, &insert,
                         nullptr);
      while (Clock::now() < deadline) {
        const auto t0 = Clock::now();
        const std::string request_id = "r" + std::to_string(next++);
        // The busy handler is not fair: under contention one writer can wait past the timeout.
        // Count that and try again, as the server's retry would.
        while (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_BUSY) ++busy;
        sqlite3_bind_text(insert, 1, request_id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, payload.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 3, t0.time_since_epoch().count());
        if (sqlite3_step(insert) != SQLITE_DONE) {
          std::fprintf(stderr, "sqlite_insert_bench: insert: %s\n", sqlite3_errmsg(db));
          std::exit(1);
        }
        sqlite3_reset(insert);
        Exec(db, "COMMIT");
        latencies[c].push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
      }
      sqlite3_finalize(insert);
      sqlite3_close(db);
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<long> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  if (all.empty()) return 1;
  std::printf("commits_per_second=%.0f\np50_us=%ld\np99_us=%ld\nbusy_timeouts=%ld\n", all.size() / seconds,
              all[all.size() / 2], all[all.size() * 99 / 100], busy.load());
  return 0;
}
