#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "domain/errors.h"
#include "storage/order_rows.h"
#include "storage/sql.h"
#include "storage/stores.h"

namespace homevisit::storage {

using domain::ServiceOrder;

namespace {

std::string SelectOrderSql(domain::OrderView view) {
  std::string sql = absl::StrCat(
      "SELECT o.id, o.file_number, o.given_name, o.family_name, o.email, o.street, o.exterior_number, "
      "o.interior_number, o.colonia, o.delegacion, o.postal_code, o.address_references, o.requested_start, "
      "o.requested_end, o.receiver_name, o.receiver_phone, o.problem_description, o.charge, o.state, "
      "o.technician_id, t.display_name AS technician_name, o.window_start, o.window_end, o.book_time, "
      "o.cancel_reason, o.cancel_time, o.cancel_actor, o.book_request_id, o.create_time, o.update_time, o.version, ",
      kVisitColumns, "FROM service_orders o LEFT JOIN technicians t ON t.id = o.technician_id", kVisitJoin);
  // The basic view never reads the image out of the database, not only out of the response.
  if (view == domain::OrderView::kBasic) {
    sql = absl::StrReplaceAll(sql, {{"v.signature_png_base64", "'' AS signature_png_base64"}});
  }
  return sql;
}

const std::string& SelectOrderSqlOf(domain::OrderView view) {
  static const std::string full = SelectOrderSql(domain::OrderView::kFull);
  static const std::string basic = SelectOrderSql(domain::OrderView::kBasic);
  return view == domain::OrderView::kBasic ? basic : full;
}

domain::Address AddressFromRow(const soci::row& r) {
  domain::Address a;
  a.street = GetText(r, "street");
  a.exterior_number = GetText(r, "exterior_number");
  a.interior_number = GetText(r, "interior_number");
  a.colonia = GetText(r, "colonia");
  a.delegacion = GetText(r, "delegacion");
  a.postal_code = GetText(r, "postal_code");
  a.references = GetText(r, "address_references");
  return a;
}

// Fills a new, default `o` in place (an order is ~60 strings and optionals: not moved twice).
void OrderFromRow(const soci::row& r, ServiceOrder& o) {
  o.id = GetText(r, "id");
  domain::OrderIntake& in = o.intake;
  in.file_number = GetText(r, "file_number");
  in.given_name = GetText(r, "given_name");
  in.family_name = GetText(r, "family_name");
  in.email = GetText(r, "email");
  in.address = AddressFromRow(r);
  in.requested_window = {GetTime(r, "requested_start"), GetTime(r, "requested_end")};
  in.receiver_name = GetText(r, "receiver_name");
  in.receiver_phone = GetText(r, "receiver_phone");
  in.problem_description = GetText(r, "problem_description");
  in.charge = static_cast<domain::Charge>(GetInt(r, "charge"));
  o.state = static_cast<domain::OrderState>(GetInt(r, "state"));
  if (!IsNull(r, "technician_id")) {
    o.appointment = domain::Appointment{GetText(r, "technician_id"), GetText(r, "technician_name"),
                                        {GetTime(r, "window_start"), GetTime(r, "window_end")},
                                        GetTime(r, "book_time")};
  }
  if (!IsNull(r, "cancel_time")) {
    o.cancellation = domain::Cancellation{GetText(r, "cancel_reason"), GetTime(r, "cancel_time"),
                                          GetText(r, "cancel_actor")};
  }
  o.book_request_id = GetText(r, "book_request_id");
  o.create_time = GetTime(r, "create_time");
  o.update_time = GetTime(r, "update_time");
  o.version = GetInt(r, "version");
  VisitFromRow(r, o.visit);
}

// The mutable columns with their values, shared by INSERT and UPDATE.
std::vector<std::pair<std::string, std::string>> MutableColumns(const ServiceOrder& o, SqlParams& p) {
  const domain::OrderIntake& in = o.intake;
  const domain::Appointment* a = o.appointment ? &*o.appointment : nullptr;
  const domain::Cancellation* c = o.cancellation ? &*o.cancellation : nullptr;
  return {
      {"receiver_name", p.Text(in.receiver_name)},
      {"receiver_phone", p.Text(in.receiver_phone)},
      {"problem_description", p.Text(in.problem_description)},
      {"address_references", p.Text(in.address.references)},
      {"charge", p.Int(static_cast<int>(in.charge))},
      {"state", p.Int(static_cast<int>(o.state))},
      {"technician_id", p.TextOrNull(a ? a->technician_id : "")},
      {"window_start", p.TimeOrNull(a ? &a->window.start : nullptr)},
      {"window_end", p.TimeOrNull(a ? &a->window.end : nullptr)},
      {"book_time", p.TimeOrNull(a ? &a->book_time : nullptr)},
      {"cancel_reason", p.TextOrNull(c ? c->reason : "")},
      {"cancel_time", p.TimeOrNull(c ? &c->time : nullptr)},
      {"cancel_actor", p.TextOrNull(c ? c->actor : "")},
      {"book_request_id", p.TextOrNull(o.book_request_id)},
      {"schedule_start", p.Time(o.ScheduleStart())},
      // Cleared by a reschedule so the new window can raise its own late alert.
      {"late_alert_time", p.TimeOrNull(o.visit.late_alert_time ? &*o.visit.late_alert_time : nullptr)},
      {"update_time", p.Time(o.update_time)},
      {"version", p.Int(o.version)},
  };
}

}  // namespace

std::vector<ServiceOrder> SelectOrders(soci::session& sql, const std::string& tail, SqlParams& params,
                                       domain::OrderView view, size_t limit) {
  std::vector<ServiceOrder> orders;
  // Room for a usual page up front (moving an order is ~60 strings and optionals); a larger
  // limit grows as usual rather than reserve for rows that may never come.
  orders.reserve(std::min<size_t>(limit, 128));
  QueryRows(sql, absl::StrCat(SelectOrderSqlOf(view), " ", tail), params,
            [&](const soci::row& r) { OrderFromRow(r, orders.emplace_back()); });
  LoadChecklists(sql, orders);  // one more query per call, not per row
  return orders;
}

bool SociOrderRepository::InsertIfNewRequest(const ServiceOrder& o, const std::string& request_id,
                                             const domain::Event& created) {
  SqlParams p;
  const domain::OrderIntake& in = o.intake;
  std::vector<std::pair<std::string, std::string>> columns = {
      {"id", p.Text(o.id)},
      {"request_id", p.Text(request_id)},
      {"file_number", p.Text(in.file_number)},
      {"given_name", p.Text(in.given_name)},
      {"family_name", p.Text(in.family_name)},
      {"email", p.Text(in.email)},
      {"street", p.Text(in.address.street)},
      {"exterior_number", p.Text(in.address.exterior_number)},
      {"interior_number", p.Text(in.address.interior_number)},
      {"colonia", p.Text(in.address.colonia)},
      {"delegacion", p.Text(in.address.delegacion)},
      {"postal_code", p.Text(in.address.postal_code)},
      {"requested_start", p.Time(in.requested_window.start)},
      {"requested_end", p.Time(in.requested_window.end)},
      {"create_time", p.Time(o.create_time)},
  };
  for (auto& column : MutableColumns(o, p)) columns.push_back(std::move(column));
  std::vector<std::string> names, values;
  for (const auto& [name, value] : columns) {
    names.push_back(name);
    values.push_back(value);
  }
  // ON CONFLICT DO NOTHING (SQLite >= 3.24 and PostgreSQL): a concurrent retry with the same
  // request id inserts nothing instead of failing, and the caller reads the first order.
  const std::string insert_order = absl::StrCat("INSERT INTO service_orders (", absl::StrJoin(names, ", "),
                                                ") VALUES (", absl::StrJoin(values, ", "),
                                                ") ON CONFLICT (request_id) DO NOTHING");
  if (dialect_ == Dialect::kPostgres) {
    // One statement, so one round trip and its own transaction: the event is inserted for the
    // order the CTE inserted, or not at all. (Foreign keys are checked at the statement's end.)
    const EventRowSql event = EventRow(created, p);
    return Execute(sql_,
                   absl::StrCat("WITH created AS (", insert_order, " RETURNING id) INSERT INTO events (order_id, ",
                                event.columns, ") SELECT created.id, ", event.values, " FROM created"),
                   p) == 1;
  }
  // SQLite has no data-modifying CTEs; its writer's transaction holds the two statements.
  if (Execute(sql_, insert_order, p) != 1) return false;
  SociEventRepository(sql_, dialect_).Append(created);
  return true;
}

std::optional<ServiceOrder> SociOrderRepository::FindWhere(const std::string& column, const std::string& value) {
  SqlParams p;
  auto found = SelectOrders(sql_, absl::StrCat("WHERE o.", column, " = ", p.Text(value)), p);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<ServiceOrder> SociOrderRepository::FindByRequestId(const std::string& request_id) {
  return FindWhere("request_id", request_id);
}

std::optional<ServiceOrder> SociOrderRepository::Find(const std::string& id) { return FindWhere("id", id); }

std::optional<ServiceOrder> SociOrderRepository::FindForAvailability(const std::string& id) {
  SqlParams p;
  std::optional<ServiceOrder> found;
  QueryRows(sql_,
            absl::StrCat("SELECT id, file_number, state, street, exterior_number, interior_number, colonia, delegacion, "
                         "postal_code, address_references, requested_start, requested_end FROM service_orders "
                         "WHERE id = ",
                         p.Text(id)),
            p, [&](const soci::row& r) {
              ServiceOrder& o = found.emplace();
              o.id = GetText(r, "id");
              o.intake.file_number = GetText(r, "file_number");
              o.state = static_cast<domain::OrderState>(GetInt(r, "state"));
              o.intake.address = AddressFromRow(r);
              o.intake.requested_window = {GetTime(r, "requested_start"), GetTime(r, "requested_end")};
            });
  return found;
}

std::vector<ServiceOrder> SociOrderRepository::List(const domain::OrderFilter& f,
                                                    const std::optional<domain::OrderPosition>& after, int limit,
                                                    domain::OrderView view) {
  SqlParams p;
  std::vector<std::string> where;
  if (!f.file_number.empty()) where.push_back(absl::StrCat("o.file_number = ", p.Text(f.file_number)));
  if (!f.technician_id.empty()) where.push_back(absl::StrCat("o.technician_id = ", p.Text(f.technician_id)));
  if (!f.states.empty()) {
    std::vector<std::string> states;
    for (domain::OrderState s : f.states) states.push_back(p.Int(static_cast<int>(s)));
    where.push_back(absl::StrCat("o.state IN (", absl::StrJoin(states, ", "), ")"));
  }
  if (f.schedule_start_after) where.push_back(absl::StrCat("o.schedule_start >= ", p.Time(*f.schedule_start_after)));
  if (f.schedule_start_before) where.push_back(absl::StrCat("o.schedule_start < ", p.Time(*f.schedule_start_before)));
  if (after) {
    std::string t = p.Time(after->create_time);
    std::string t2 = p.Time(after->create_time);
    where.push_back(absl::StrCat("(o.create_time < ", t, " OR (o.create_time = ", t2, " AND o.id < ", p.Text(after->id),
                                 "))"));
  }
  std::string tail;
  if (!where.empty()) absl::StrAppend(&tail, "WHERE ", absl::StrJoin(where, " AND "), " ");
  absl::StrAppend(&tail, "ORDER BY o.create_time DESC, o.id DESC LIMIT ", p.Int(limit));
  return SelectOrders(sql_, tail, p, view, static_cast<size_t>(limit));
}

void SociOrderRepository::Update(const ServiceOrder& o, int expected_version) {
  SqlParams p;
  std::vector<std::string> sets;
  for (const auto& [name, value] : MutableColumns(o, p)) sets.push_back(absl::StrCat(name, " = ", value));
  std::string query = absl::StrCat("UPDATE service_orders SET ", absl::StrJoin(sets, ", "), " WHERE id = ",
                                   p.Text(o.id), " AND version = ", p.Int(expected_version));
  if (Execute(sql_, query, p) != 1) {
    throw domain::DomainError(domain::ErrorKind::kAborted, "CONCURRENT_UPDATE",
                              "the order was changed concurrently: read it again and retry");
  }
}

}  // namespace homevisit::storage
