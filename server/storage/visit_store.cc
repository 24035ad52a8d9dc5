// The visit's storage: one `visits` row per order (a column per recorded field, NULL until its
// step is recorded; each step is present iff its time column is set) and `checklist_answers`.
// The signature PNG is stored base64-encoded in TEXT: one code path for SQLite and PostgreSQL
// through SOCI's dynamic rows, which do not read blobs.
#include <map>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/order_rows.h"
#include "storage/stores.h"

namespace homevisit::storage {

using domain::Visit;

const char* const kVisitColumns =
    "o.late_alert_time, v.confirmation_result, v.confirmation_note, v.confirmation_time, v.confirmation_actor, "
    "v.follow_up_present, v.follow_up_note, v.follow_up_time, v.follow_up_actor, v.arrival_time, v.punctuality, "
    "v.greeting_given, v.vest_worn, v.official_id_type, v.reason_explained, v.diagnosis_time, v.internet_related, "
    "v.diagnosis_summary, v.escalation_request_time, v.phone_used, v.support_agent, v.conference_time, "
    "v.conference_actor, v.hand_over_time, v.hand_over_note, v.outcome_time, v.outcome_result, v.outcome_problem, "
    "v.outcome_diagnosis, v.outcome_actions, v.reason_category, v.reason_text, v.sign_time, v.signer_name, "
    "v.signature_png_base64, v.signature_refused, v.refusal_reason, v.complete_time, v.completion_note ";
const char* const kVisitJoin = " LEFT JOIN visits v ON v.order_id = o.id ";

namespace {

std::optional<absl::Time> OptionalTime(const soci::row& r, absl::string_view column) {
  if (IsNull(r, column)) return std::nullopt;
  return GetTime(r, column);
}

bool GetBool(const soci::row& r, absl::string_view column) { return GetInt(r, column) != 0; }

}  // namespace

void VisitFromRow(const soci::row& r, Visit& v) {
  v.late_alert_time = OptionalTime(r, "late_alert_time");
  if (auto t = OptionalTime(r, "confirmation_time")) {
    v.confirmation_call = domain::ConfirmationCall{static_cast<domain::CallResult>(GetInt(r, "confirmation_result")),
                                                   GetText(r, "confirmation_note"), *t,
                                                   GetText(r, "confirmation_actor")};
  }
  if (auto t = OptionalTime(r, "follow_up_time")) {
    v.follow_up_call = domain::FollowUpCall{GetBool(r, "follow_up_present"), GetText(r, "follow_up_note"), *t,
                                            GetText(r, "follow_up_actor")};
  }
  if (auto t = OptionalTime(r, "arrival_time")) {
    v.check_in = domain::CheckIn{*t,
                                 static_cast<domain::Punctuality>(GetInt(r, "punctuality")),
                                 GetBool(r, "greeting_given"),
                                 GetBool(r, "vest_worn"),
                                 GetInt(r, "official_id_type"),
                                 GetBool(r, "reason_explained")};
  }
  if (auto t = OptionalTime(r, "diagnosis_time")) {
    v.diagnosis = domain::Diagnosis{GetBool(r, "internet_related"), GetText(r, "diagnosis_summary"), *t};
  }
  if (auto t = OptionalTime(r, "escalation_request_time")) {
    domain::Escalation e;
    e.phone_used = static_cast<domain::PhoneUsed>(GetInt(r, "phone_used"));
    e.request_time = *t;
    e.support_agent = GetText(r, "support_agent");
    e.conference_time = OptionalTime(r, "conference_time");
    e.conference_actor = GetText(r, "conference_actor");
    e.hand_over_time = OptionalTime(r, "hand_over_time");
    e.hand_over_note = GetText(r, "hand_over_note");
    v.escalation = e;
  }
  if (auto t = OptionalTime(r, "outcome_time")) {
    domain::Outcome o;
    o.result = static_cast<domain::OutcomeResult>(GetInt(r, "outcome_result"));
    o.problem = GetText(r, "outcome_problem");
    o.diagnosis = GetText(r, "outcome_diagnosis");
    o.actions_performed = GetText(r, "outcome_actions");
    o.reason_category = static_cast<domain::ReasonCategory>(GetInt(r, "reason_category"));
    o.reason_text = GetText(r, "reason_text");
    o.record_time = *t;
    v.outcome = o;
  }
  if (auto t = OptionalTime(r, "sign_time")) {
    domain::Signature s;
    s.signer_name = GetText(r, "signer_name");
    if (!absl::Base64Unescape(GetText(r, "signature_png_base64"), &s.image_png)) s.image_png.clear();
    s.sign_time = *t;
    s.refused = GetBool(r, "signature_refused");
    s.refusal_reason = GetText(r, "refusal_reason");
    v.signature = s;
  }
  if (auto t = OptionalTime(r, "complete_time")) v.completion = domain::Completion{*t, GetText(r, "completion_note")};
}

void LoadChecklists(soci::session& sql, std::vector<domain::ServiceOrder>& orders) {
  if (orders.empty()) return;
  SqlParams p;
  std::vector<std::string> ids;
  std::map<std::string, domain::ServiceOrder*> by_id;
  for (auto& order : orders) {
    if (!order.visit.diagnosis) continue;  // answers exist only once a diagnosis is recorded
    ids.push_back(p.Text(order.id));
    by_id[order.id] = &order;
  }
  if (ids.empty()) return;
  QueryRows(sql,
            absl::StrCat("SELECT order_id, item_id, label, result, measured_value, note, service_item "
                         "FROM checklist_answers WHERE order_id IN (",
                         absl::StrJoin(ids, ", "), ") ORDER BY order_id, position"),
            p, [&](const soci::row& r) {
              domain::ChecklistAnswer a;
              a.item_id = GetText(r, "item_id");
              a.label = GetText(r, "label");
              a.result = static_cast<domain::CheckResult>(GetInt(r, "result"));
              a.measured_value = GetText(r, "measured_value");
              a.note = GetText(r, "note");
              a.service_item = GetInt(r, "service_item") != 0;
              by_id[GetText(r, "order_id")]->visit.checklist.push_back(std::move(a));
            });
}

void SociVisitRepository::Save(const std::string& order_id, const Visit& v) {
  SqlParams p;
  const auto* c = v.confirmation_call ? &*v.confirmation_call : nullptr;
  const auto* f = v.follow_up_call ? &*v.follow_up_call : nullptr;
  const auto* k = v.check_in ? &*v.check_in : nullptr;
  const auto* d = v.diagnosis ? &*v.diagnosis : nullptr;
  const auto* e = v.escalation ? &*v.escalation : nullptr;
  const auto* o = v.outcome ? &*v.outcome : nullptr;
  const auto* s = v.signature ? &*v.signature : nullptr;
  const auto* done = v.completion ? &*v.completion : nullptr;
  auto opt_time = [&](const std::optional<absl::Time>* t) { return p.TimeOrNull(t && *t ? &**t : nullptr); };
  std::vector<std::pair<std::string, std::string>> columns = {
      {"confirmation_result", p.Int(c ? static_cast<int>(c->result) : 0)},
      {"confirmation_note", p.Text(c ? c->note : "")},
      {"confirmation_time", p.TimeOrNull(c ? &c->time : nullptr)},
      {"confirmation_actor", p.Text(c ? c->actor : "")},
      {"follow_up_present", p.Int(f && f->technician_present ? 1 : 0)},
      {"follow_up_note", p.Text(f ? f->note : "")},
      {"follow_up_time", p.TimeOrNull(f ? &f->time : nullptr)},
      {"follow_up_actor", p.Text(f ? f->actor : "")},
      {"arrival_time", p.TimeOrNull(k ? &k->arrival_time : nullptr)},
      {"punctuality", p.Int(k ? static_cast<int>(k->punctuality) : 0)},
      {"greeting_given", p.Int(k && k->greeting_given ? 1 : 0)},
      {"vest_worn", p.Int(k && k->vest_worn ? 1 : 0)},
      {"official_id_type", p.Int(k ? k->official_id_type : 0)},
      {"reason_explained", p.Int(k && k->reason_explained ? 1 : 0)},
      {"diagnosis_time", p.TimeOrNull(d ? &d->time : nullptr)},
      {"internet_related", p.Int(d && d->internet_related ? 1 : 0)},
      {"diagnosis_summary", p.Text(d ? d->summary : "")},
      {"escalation_request_time", p.TimeOrNull(e ? &e->request_time : nullptr)},
      {"phone_used", p.Int(e ? static_cast<int>(e->phone_used) : 0)},
      {"support_agent", p.Text(e ? e->support_agent : "")},
      {"conference_time", opt_time(e ? &e->conference_time : nullptr)},
      {"conference_actor", p.Text(e ? e->conference_actor : "")},
      {"hand_over_time", opt_time(e ? &e->hand_over_time : nullptr)},
      {"hand_over_note", p.Text(e ? e->hand_over_note : "")},
      {"outcome_time", p.TimeOrNull(o ? &o->record_time : nullptr)},
      {"outcome_result", p.Int(o ? static_cast<int>(o->result) : 0)},
      {"outcome_problem", p.Text(o ? o->problem : "")},
      {"outcome_diagnosis", p.Text(o ? o->diagnosis : "")},
      {"outcome_actions", p.Text(o ? o->actions_performed : "")},
      {"reason_category", p.Int(o ? static_cast<int>(o->reason_category) : 0)},
      {"reason_text", p.Text(o ? o->reason_text : "")},
      {"sign_time", p.TimeOrNull(s ? &s->sign_time : nullptr)},
      {"signer_name", p.Text(s ? s->signer_name : "")},
      {"signature_png_base64", p.Text(s ? absl::Base64Escape(s->image_png) : "")},
      {"signature_refused", p.Int(s && s->refused ? 1 : 0)},
      {"refusal_reason", p.Text(s ? s->refusal_reason : "")},
      {"complete_time", p.TimeOrNull(done ? &done->complete_time : nullptr)},
      {"completion_note", p.Text(done ? done->note : "")},
  };
  std::vector<std::string> names = {"order_id"}, values = {p.Text(order_id)}, updates;
  for (const auto& [name, value] : columns) {
    names.push_back(name);
    values.push_back(value);
    updates.push_back(absl::StrCat(name, " = excluded.", name));
  }
  // Upsert (SQLite >= 3.24 and PostgreSQL): the first step inserts the row, later ones update it.
  Execute(sql_,
          absl::StrCat("INSERT INTO visits (", absl::StrJoin(names, ", "), ") VALUES (", absl::StrJoin(values, ", "),
                       ") ON CONFLICT (order_id) DO UPDATE SET ", absl::StrJoin(updates, ", ")),
          p);
}

void SociVisitRepository::SaveChecklist(const std::string& order_id,
                                        const std::vector<domain::ChecklistAnswer>& answers) {
  sql_ << "DELETE FROM checklist_answers WHERE order_id = :o", soci::use(order_id);
  for (size_t i = 0; i < answers.size(); ++i) {
    const auto& a = answers[i];
    int position = static_cast<int>(i);
    int result = static_cast<int>(a.result);
    int service_item = a.service_item ? 1 : 0;
    sql_ << "INSERT INTO checklist_answers (order_id, position, item_id, label, result, measured_value, note, "
            "service_item) VALUES (:o, :p, :i, :l, :r, :m, :n, :s)",
        soci::use(order_id), soci::use(position), soci::use(a.item_id), soci::use(a.label), soci::use(result),
        soci::use(a.measured_value), soci::use(a.note), soci::use(service_item);
  }
}

std::vector<std::string> SociVisitRepository::LateCandidates(absl::Time window_start_before, int limit) {
  SqlParams p;
  std::vector<std::string> ids;
  QueryRows(sql_,
            absl::StrCat("SELECT id FROM service_orders WHERE state IN (",
                         p.Int(static_cast<int>(domain::OrderState::kScheduled)), ", ",
                         p.Int(static_cast<int>(domain::OrderState::kConfirmed)),
                         ") AND late_alert_time IS NULL AND window_start <= ", p.Time(window_start_before),
                         " ORDER BY window_start, id LIMIT ", p.Int(limit)),
            p, [&](const soci::row& r) { ids.push_back(GetText(r, "id")); });
  return ids;
}

bool SociVisitRepository::MarkLate(const std::string& order_id, absl::Time now) {
  SqlParams p;
  // Conditional: of concurrent replicas, the first to commit changes the row; the others find
  // late_alert_time set (PostgreSQL re-checks the WHERE after the row lock) and change nothing.
  return Execute(sql_,
                 absl::StrCat("UPDATE service_orders SET late_alert_time = ", p.Time(now), ", update_time = ",
                              p.Time(now), ", version = version + 1 WHERE id = ", p.Text(order_id),
                              " AND late_alert_time IS NULL AND state IN (",
                              p.Int(static_cast<int>(domain::OrderState::kScheduled)), ", ",
                              p.Int(static_cast<int>(domain::OrderState::kConfirmed)), ")"),
                 p) == 1;
}

std::vector<domain::ServiceOrder> SociVisitRepository::ListReports(const std::string& file_number,
                                                                   const std::string& technician_id,
                                                                   const std::optional<domain::ReportPosition>& after,
                                                                   int limit, domain::OrderView view) {
  SqlParams p;
  std::string tail = absl::StrCat("WHERE o.file_number = ", p.Text(file_number),
                                  " AND o.state = ", p.Int(static_cast<int>(domain::OrderState::kCompleted)),
                                  " AND v.complete_time IS NOT NULL");
  if (!technician_id.empty()) absl::StrAppend(&tail, " AND o.technician_id = ", p.Text(technician_id));
  if (after) {
    absl::StrAppend(&tail, " AND (v.complete_time < ", p.Time(after->file_time), " OR (v.complete_time = ",
                    p.Time(after->file_time), " AND o.id < ", p.Text(after->id), "))");
  }
  absl::StrAppend(&tail, " ORDER BY v.complete_time DESC, o.id DESC LIMIT ", p.Int(limit));
  return SelectOrders(sql_, tail, p, view, static_cast<size_t>(limit));
}

void SociVisitRepository::SaveDocument(const std::string& order_id, const domain::IssuedDocument& document) {
  SqlParams p;
  Execute(sql_,
          absl::StrCat("INSERT INTO visit_documents (order_id, report_sha256, document_sha256, pdf_base64, issue_time) "
                       "VALUES (",
                       p.Text(order_id), ", ", p.Text(document.report_sha256), ", ", p.Text(document.document_sha256),
                       ", ", p.Text(absl::Base64Escape(document.pdf)), ", ", p.Time(document.issue_time), ")"),
          p);
}

std::optional<domain::IssuedDocument> SociVisitRepository::FindDocument(const std::string& order_id) {
  SqlParams p;
  std::optional<domain::IssuedDocument> found;
  QueryRows(sql_,
            absl::StrCat("SELECT report_sha256, document_sha256, pdf_base64, issue_time FROM visit_documents "
                         "WHERE order_id = ",
                         p.Text(order_id)),
            p, [&](const soci::row& r) {
              domain::IssuedDocument d;
              d.report_sha256 = GetText(r, "report_sha256");
              d.document_sha256 = GetText(r, "document_sha256");
              if (!absl::Base64Unescape(GetText(r, "pdf_base64"), &d.pdf)) d.pdf.clear();  // fails the hash check
              d.issue_time = GetTime(r, "issue_time");
              found = std::move(d);
            });
  return found;
}

}  // namespace homevisit::storage
