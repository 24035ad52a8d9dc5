#pragma once
// A thin layer over SOCI for statements whose shape is decided at run time (list filters):
// values are bound by name, never spliced into SQL text.
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace homevisit::storage {

class SqlParams {
 public:
  // Each returns the placeholder (":p3") to write into the SQL text.
  std::string Text(std::string value);
  std::string Int(int value);
  std::string Int64(long long value);
  std::string Time(absl::Time value) { return Int64(absl::ToUnixMicros(value)); }
  // A nullable text column: NULL when `value` is empty.
  std::string TextOrNull(std::string value);
  std::string TimeOrNull(const absl::Time* value);

  void BindTo(soci::statement& statement);

  // One letter per placeholder (its kind), in order: with the SQL text, the key under which a
  // statement is cached (the same text could in principle bind other kinds).
  std::string Signature() const;
  // Takes `other`'s values and NULL indicators into this object's own slots, whose addresses a
  // cached statement holds; `other` has this object's Signature().
  void AssignValues(const SqlParams& other);

 private:
  enum class Kind { kText, kInt, kInt64 };
  struct Slot {
    Kind kind;
    size_t index;
    std::string name;
  };
  std::string Next(Kind kind, size_t index, bool null);
  // Deques keep element addresses stable while SOCI holds pointers to them.
  std::deque<std::string> texts_;
  std::deque<int> ints_;
  std::deque<long long> int64s_;
  std::deque<soci::indicator> indicators_;
  std::vector<Slot> slots_;
};

// Runs a query and calls `each` for every row.
void QueryRows(soci::session& sql, const std::string& query, SqlParams& params,
               const std::function<void(const soci::row&)>& each);
// Runs a statement and returns the number of rows it changed.
long long Execute(soci::session& sql, const std::string& statement, SqlParams& params);
// The same for a statement without values (BEGIN, SAVEPOINT, a fixed lock call).
long long Execute(soci::session& sql, const std::string& statement);

// Row accessors that accept whichever integer width the backend reports (SQLite reports
// INTEGER PRIMARY KEY as int, PostgreSQL BIGSERIAL as long long), and NULL as a default.
long long GetInt64(const soci::row& row, absl::string_view column, long long if_null = 0);
int GetInt(const soci::row& row, absl::string_view column, int if_null = 0);
std::string GetText(const soci::row& row, absl::string_view column);
absl::Time GetTime(const soci::row& row, absl::string_view column);
bool IsNull(const soci::row& row, absl::string_view column);

// The column names of a result, read once per statement. The accessors above find a column by
// name on every read (an order row has ~70 columns, a list page 50 rows), and soci hands a
// column's name out only as a fresh copy, so they search these names instead. QueryRows and the
// statement cache set them up; the accessors work without them, only slower.
struct ColumnNames {
  void ReadFrom(const soci::row& row);  // when empty or of another width
  std::vector<std::string> names;
};

// While alive, `names` describes `row` for the accessors on this thread (nests).
class RowColumnsScope {
 public:
  RowColumnsScope(const soci::row& row, ColumnNames& names);
  ~RowColumnsScope();
  RowColumnsScope(const RowColumnsScope&) = delete;
  RowColumnsScope& operator=(const RowColumnsScope&) = delete;

 private:
  const soci::row* previous_row_;
  ColumnNames* previous_names_;
};

}  // namespace homevisit::storage
