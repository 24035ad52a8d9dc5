#include "storage/sql.h"

#include "absl/strings/str_cat.h"
#include "storage/statement_cache.h"

namespace homevisit::storage {

std::string SqlParams::Next(Kind kind, size_t index, bool null) {
  std::string name = absl::StrCat("p", slots_.size());
  slots_.push_back({kind, index, name});
  indicators_.push_back(null ? soci::i_null : soci::i_ok);
  return ":" + name;
}

std::string SqlParams::Text(std::string value) {
  texts_.push_back(std::move(value));
  return Next(Kind::kText, texts_.size() - 1, false);
}

std::string SqlParams::TextOrNull(std::string value) {
  bool null = value.empty();
  texts_.push_back(std::move(value));
  return Next(Kind::kText, texts_.size() - 1, null);
}

std::string SqlParams::Int(int value) {
  ints_.push_back(value);
  return Next(Kind::kInt, ints_.size() - 1, false);
}

std::string SqlParams::Int64(long long value) {
  int64s_.push_back(value);
  return Next(Kind::kInt64, int64s_.size() - 1, false);
}

std::string SqlParams::TimeOrNull(const absl::Time* value) {
  int64s_.push_back(value ? absl::ToUnixMicros(*value) : 0);
  return Next(Kind::kInt64, int64s_.size() - 1, value == nullptr);
}

void SqlParams::BindTo(soci::statement& statement) {
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = slots_[i];
    soci::indicator& ind = indicators_[i];
    switch (slot.kind) {
      case Kind::kText: statement.exchange(soci::use(texts_[slot.index], ind, slot.name)); break;
      case Kind::kInt: statement.exchange(soci::use(ints_[slot.index], ind, slot.name)); break;
      case Kind::kInt64: statement.exchange(soci::use(int64s_[slot.index], ind, slot.name)); break;
    }
  }
}

std::string SqlParams::Signature() const {
  std::string signature;
  signature.reserve(slots_.size());
  for (const Slot& slot : slots_) signature.push_back(slot.kind == Kind::kText ? 'T' : slot.kind == Kind::kInt ? 'I' : 'L');
  return signature;
}

void SqlParams::AssignValues(const SqlParams& other) {
  // Element-wise assignment keeps every element where it is (the statement points at them).
  for (size_t i = 0; i < texts_.size(); ++i) texts_[i] = other.texts_[i];
  for (size_t i = 0; i < ints_.size(); ++i) ints_[i] = other.ints_[i];
  for (size_t i = 0; i < int64s_.size(); ++i) int64s_[i] = other.int64s_[i];
  for (size_t i = 0; i < indicators_.size(); ++i) indicators_[i] = other.indicators_[i];
}

void QueryRows(soci::session& sql, const std::string& query, SqlParams& params,
               const std::function<void(const soci::row&)>& each) {
  if (StatementCache* cache = StatementCache::Active(sql)) {
    if (cache->Query(query, params, each)) return;
  }
  soci::row row;
  soci::statement statement(sql);
  statement.exchange(soci::into(row));
  params.BindTo(statement);
  statement.alloc();
  statement.prepare(query);
  statement.define_and_bind();
  if (!statement.execute(true)) return;
  do {
    each(row);
  } while (statement.fetch());
}

long long Execute(soci::session& sql, const std::string& statement_text, SqlParams& params) {
  if (StatementCache* cache = StatementCache::Active(sql)) {
    if (auto changed = cache->Execute(statement_text, params)) return *changed;
  }
  soci::statement statement(sql);
  params.BindTo(statement);
  statement.alloc();
  statement.prepare(statement_text);
  statement.define_and_bind();
  statement.execute(true);
  return statement.get_affected_rows();
}

long long Execute(soci::session& sql, const std::string& statement_text) {
  SqlParams none;
  return Execute(sql, statement_text, none);
}

namespace {

size_t Index(const soci::row& row, const std::string& column) {
  // Readers take a row's columns mostly in SELECT order (an order row has ~45), reading some
  // twice (IsNull, then the value) and skipping the columns of absent parts. So the search
  // starts at the column last found and goes forward, wrapping around: a few comparisons per
  // read instead of a scan from the first column.
  thread_local const soci::row* last_row = nullptr;
  thread_local size_t last = 0;
  const size_t size = row.size();
  const size_t start = last_row == &row && last < size ? last : 0;
  for (size_t k = 0; k < size; ++k) {
    size_t i = start + k < size ? start + k : start + k - size;
    // Column names come back lower-case from PostgreSQL and as written from SQLite; we write lower case.
    if (row.get_properties(i).get_name() == column) {
      last_row = &row;
      last = i;
      return i;
    }
  }
  throw soci::soci_error("no column " + column + " in result");
}

}  // namespace

bool IsNull(const soci::row& row, const std::string& column) {
  return row.get_indicator(Index(row, column)) == soci::i_null;
}

long long GetInt64(const soci::row& row, const std::string& column, long long if_null) {
  size_t i = Index(row, column);
  if (row.get_indicator(i) == soci::i_null) return if_null;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer: return row.get<int>(i);
    case soci::dt_long_long: return row.get<long long>(i);
    case soci::dt_unsigned_long_long: return static_cast<long long>(row.get<unsigned long long>(i));
    case soci::dt_double: return static_cast<long long>(row.get<double>(i));
    case soci::dt_string: return std::stoll(row.get<std::string>(i));
    default: throw soci::soci_error("column " + column + " is not an integer");
  }
}

int GetInt(const soci::row& row, const std::string& column, int if_null) {
  return static_cast<int>(GetInt64(row, column, if_null));
}

std::string GetText(const soci::row& row, const std::string& column) {
  size_t i = Index(row, column);
  if (row.get_indicator(i) == soci::i_null) return {};
  return row.get<std::string>(i);
}

absl::Time GetTime(const soci::row& row, const std::string& column) {
  return absl::FromUnixMicros(GetInt64(row, column));
}

}  // namespace homevisit::storage
