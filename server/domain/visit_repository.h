#pragma once
// What the visit procedure needs from storage beyond the order itself. The visit is read with
// its order (OrderRepository::Find and List fill ServiceOrder::visit); it is written here, in the
// same transaction as the order's versioned Update.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/service_order.h"

namespace homevisit::domain {

// Keyset position for "newest report first" pages: (complete_time, id) of the last report.
struct ReportPosition {
  absl::Time file_time;
  std::string id;
};

// The document of a filed report, as issued at completion [B10, G5].
struct IssuedDocument {
  std::string report_sha256;    // ReportSha256 of the report it shows
  std::string document_sha256;  // SHA-256 of `pdf`
  std::string pdf;
  absl::Time issue_time;
};

class VisitRepository {
 public:
  virtual ~VisitRepository() = default;
  // Stores every recorded part of `visit` except the checklist and the late alert.
  virtual void Save(const std::string& order_id, const Visit& visit) = 0;
  // Replaces the order's checklist answers.
  virtual void SaveChecklist(const std::string& order_id, const std::vector<ChecklistAnswer>& answers) = 0;
  // Orders still waiting for their technician (SCHEDULED or CONFIRMED) whose window started
  // before `window_start_before` and that have no late alert yet; at most `limit`.
  virtual std::vector<std::string> LateCandidates(absl::Time window_start_before, int limit) = 0;
  // Sets the late alert and bumps the order's version, only if the order is still waiting for its
  // technician and has no alert yet. Returns whether it set it: of concurrent callers on any
  // replica exactly one gets true.
  virtual bool MarkLate(const std::string& order_id, absl::Time now) = 0;
  // Completed orders of one file, newest report first, strictly after `after` when given.
  // `technician_id`, when not empty, keeps only that technician's visits.
  virtual std::vector<ServiceOrder> ListReports(const std::string& file_number, const std::string& technician_id,
                                                const std::optional<ReportPosition>& after, int limit,
                                                OrderView view = OrderView::kBasic) = 0;
  // Stores the order's document; an order has at most one (a second is a unique-key error).
  virtual void SaveDocument(const std::string& order_id, const IssuedDocument& document) = 0;
  virtual std::optional<IssuedDocument> FindDocument(const std::string& order_id) = 0;
};

}  // namespace homevisit::domain
