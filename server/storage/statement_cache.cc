#include "storage/statement_cache.h"

namespace homevisit::storage {

struct StatementCache::Entry {
  Entry(soci::session& session, const SqlParams& layout) : params(layout), statement(session) {}
  SqlParams params;  // the buffers the statement is bound to: each run assigns new values here
  soci::row row;
  ColumnNames columns;  // the row's, read at its first run
  soci::statement statement;  // declared last: destroyed before the buffers it points at
  bool running = false;       // a row callback may run other statements, never this one again
};

namespace {

thread_local StatementCache* active_cache = nullptr;
thread_local const soci::session* active_session = nullptr;

std::string Key(char kind, const std::string& text, const SqlParams& params) {
  std::string key;
  std::string signature = params.Signature();
  key.reserve(text.size() + signature.size() + 2);
  key.push_back(kind);
  key.append(signature);
  key.push_back('|');
  key.append(text);
  return key;
}

// Marks an entry running for the length of one run.
class Running {
 public:
  explicit Running(bool& flag) : flag_(flag) { flag_ = true; }
  ~Running() { flag_ = false; }

 private:
  bool& flag_;
};

}  // namespace

StatementCache::StatementCache(soci::session& session, Dialect dialect, size_t capacity)
    : session_(session), dialect_(dialect), capacity_(capacity) {}

StatementCache::~StatementCache() = default;

StatementCache* StatementCache::Active(const soci::session& session) {
  return active_session == &session ? active_cache : nullptr;
}

StatementCache::Scope::Scope(StatementCache& cache) : previous_(active_cache) {
  active_cache = &cache;
  active_session = &cache.session_;
}

StatementCache::Scope::~Scope() {
  active_cache = previous_;
  active_session = previous_ ? &previous_->session_ : nullptr;
}

StatementCache::Entry* StatementCache::Prepare(const std::string& key, const std::string& text,
                                               const SqlParams& params, bool rows) {
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second->running ? nullptr : it->second.get();
  if (entries_.size() >= capacity_) return nullptr;
  auto entry = std::make_unique<Entry>(session_, params);
  if (rows) entry->statement.exchange(soci::into(entry->row));
  entry->params.BindTo(entry->statement);
  entry->statement.alloc();
  entry->statement.prepare(text);
  entry->statement.define_and_bind();
  return entries_.emplace(key, std::move(entry)).first->second.get();
}

void StatementCache::AfterFailure(const std::string& key) {
  if (dialect_ == Dialect::kSqlite) entries_.erase(key);
}

bool StatementCache::Query(const std::string& text, const SqlParams& params,
                           const std::function<void(const soci::row&)>& each) {
  std::string key = Key('Q', text, params);
  Entry* entry = Prepare(key, text, params, true);
  if (!entry) return false;
  entry->params.AssignValues(params);
  try {
    Running running(entry->running);
    if (entry->statement.execute(true)) {
      RowColumnsScope columns(entry->row, entry->columns);
      do {
        each(entry->row);
      } while (entry->statement.fetch());
    }
  } catch (...) {
    AfterFailure(key);
    throw;
  }
  return true;
}

std::optional<long long> StatementCache::Execute(const std::string& text, const SqlParams& params) {
  std::string key = Key('E', text, params);
  Entry* entry = Prepare(key, text, params, false);
  if (!entry) return std::nullopt;
  entry->params.AssignValues(params);
  try {
    Running running(entry->running);
    entry->statement.execute(true);
    return entry->statement.get_affected_rows();
  } catch (...) {
    AfterFailure(key);
    throw;
  }
}

void StatementCache::Clear() { entries_.clear(); }

}  // namespace homevisit::storage
