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
  ColumnNames names;
  RowColumnsScope columns(row, names);
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

void ColumnNames::ReadFrom(const soci::row& row) {
  if (!names.empty() && names.size() == row.size()) return;
  names.clear();
  names.reserve(row.size());
  for (size_t i = 0; i < row.size(); ++i) names.push_back(row.get_properties(i).get_name());
}

namespace {

thread_local const soci::row* scoped_row = nullptr;
thread_local ColumnNames* scoped_names = nullptr;

size_t Index(const soci::row& row, absl::string_view column) {
  // Readers take a row's columns mostly in SELECT order (an order row has ~70), reading some
  // twice (IsNull, then the value) and skipping the columns of absent parts. So the search
  // starts at the column last found and goes forward, wrapping around: a few comparisons per
  // read instead of a scan from the first column.
  thread_local const soci::row* last_row = nullptr;
  thread_local size_t last = 0;
  const size_t size = row.size();
  const std::vector<std::string>* names =
      scoped_row == &row && scoped_names->names.size() == size ? &scoped_names->names : nullptr;
  const size_t start = last_row == &row && last < size ? last : 0;
  for (size_t k = 0; k < size; ++k) {
    size_t i = start + k < size ? start + k : start + k - size;
    // Column names come back lower-case from PostgreSQL and as written from SQLite; we write lower case.
    if (names ? (*names)[i] == column : row.get_properties(i).get_name() == column) {
      last_row = &row;
      last = i;
      return i;
    }
  }
  throw soci::soci_error(absl::StrCat("no column ", column, " in result"));
}

}  // namespace

RowColumnsScope::RowColumnsScope(const soci::row& row, ColumnNames& names)
    : previous_row_(scoped_row), previous_names_(scoped_names) {
  names.ReadFrom(row);
  scoped_row = &row;
  scoped_names = &names;
}

RowColumnsScope::~RowColumnsScope() {
  scoped_row = previous_row_;
  scoped_names = previous_names_;
}

bool IsNull(const soci::row& row, absl::string_view column) {
  return row.get_indicator(Index(row, column)) == soci::i_null;
}

long long GetInt64(const soci::row& row, absl::string_view column, long long if_null) {
  size_t i = Index(row, column);
  if (row.get_indicator(i) == soci::i_null) return if_null;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer: return row.get<int>(i);
    case soci::dt_long_long: return row.get<long long>(i);
    case soci::dt_unsigned_long_long: return static_cast<long long>(row.get<unsigned long long>(i));
    case soci::dt_double: return static_cast<long long>(row.get<double>(i));
    case soci::dt_string: return std::stoll(row.get<std::string>(i));
    default: throw soci::soci_error(absl::StrCat("column ", column, " is not an integer"));
  }
}

int GetInt(const soci::row& row, absl::string_view column, int if_null) {
  return static_cast<int>(GetInt64(row, column, if_null));
}

std::string GetText(const soci::row& row, absl::string_view column) {
  size_t i = Index(row, column);
  if (row.get_indicator(i) == soci::i_null) return {};
  return row.get<std::string>(i);
}

absl::Time GetTime(const soci::row& row, absl::string_view column) {
  return absl::FromUnixMicros(GetInt64(row, column));
}

}  // namespace homevisit::storage
