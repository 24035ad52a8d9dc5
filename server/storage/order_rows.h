#pragma once
// Shared by the order and visit stores: how an order row (with its visit) is selected and read.
#include <string>
#include <vector>

#include <soci/soci.h>

#include "domain/service_order.h"
#include "storage/sql.h"

namespace homevisit::storage {

// Visit columns for the order SELECT (table aliases: o = service_orders, v = visits) and the join
// that brings them; every visit column is NULL until its step is recorded.
extern const char* const kVisitColumns;
extern const char* const kVisitJoin;

// Fills `visit` from a row selected with kVisitColumns (the checklist excepted).
void VisitFromRow(const soci::row& row, domain::Visit& visit);
// Loads the checklist answers of all `orders` with one query.
void LoadChecklists(soci::session& sql, std::vector<domain::ServiceOrder>& orders);

// Orders selected with the usual columns and `tail` ("WHERE ... ORDER BY ... LIMIT ..."), with
// their visits and checklists; `limit` is the most rows `tail` lets through (room is reserved).
std::vector<domain::ServiceOrder> SelectOrders(soci::session& sql, const std::string& tail, SqlParams& params,
                                               domain::OrderView view = domain::OrderView::kFull, size_t limit = 1);

}  // namespace homevisit::storage
