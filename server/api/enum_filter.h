#pragma once
// Repeated enum filters (ListServiceOrders.states, ListEvents.types, WatchEvents.types) as sets:
// duplicates are dropped, so a query's IN list never outgrows the enum however long the request,
// and a request with more entries than any sensible filter is refused before any work.
#include <google/protobuf/repeated_field.h>

#include <bitset>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/text_rules.h"

namespace homevisit::api {

// More entries than this is INVALID_ARGUMENT naming the field (each enum has far fewer values).
inline constexpr int kMaxFilterValues = 64;

// The distinct values of `values` in first-seen order; INVALID_ARGUMENT naming `field` when there
// are more than kMaxFilterValues entries or one is not in [1, max_value]. Linear in the request.
template <typename Enum>
std::vector<Enum> DistinctEnumFilter(const google::protobuf::RepeatedField<int>& values, const char* field,
                                     int max_value, const char* what) {
  domain::Violations v;
  if (values.size() > kMaxFilterValues) {
    v.Add(field, absl::StrCat("may hold at most ", kMaxFilterValues, " entries"));
    v.ThrowIfAny();
  }
  std::bitset<kMaxFilterValues + 1> seen;
  std::vector<Enum> distinct;
  for (int value : values) {
    if (value < 1 || value > max_value || value > kMaxFilterValues) {
      v.Add(field, absl::StrCat("must hold valid ", what, " values"));
      v.ThrowIfAny();
    }
    if (seen.test(static_cast<size_t>(value))) continue;
    seen.set(static_cast<size_t>(value));
    distinct.push_back(static_cast<Enum>(value));
  }
  return distinct;
}

}  // namespace homevisit::api
