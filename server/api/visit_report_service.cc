#include "api/visit_report_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "api/convert.h"
#include "api/page_budget.h"
#include "api/page_token.h"
#include "api/unary.h"
#include "domain/text_rules.h"
#include "domain/visit_commands.h"

namespace homevisit::api {
namespace {

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 200;
constexpr absl::string_view kReportSuffix = "/visitReport";
constexpr absl::string_view kDocumentSuffix = "/visitReport/document";

void ToReport(const domain::ServiceOrder& order, v1::VisitReport* out) {
  out->set_name(absl::StrCat(OrderName(order.id), kReportSuffix));
  ToProto(order, out->mutable_service_order());
  ToProto(order.visit.completion->complete_time, out->mutable_file_time());
}

bool IsVisitStep(domain::EventType type) {
  using T = domain::EventType;
  switch (type) {
    case T::kCallRecorded:
    case T::kCheckedIn:
    case T::kDiagnosisRecorded:
    case T::kEscalationRequested:
    case T::kConferenceSetUp:
    case T::kHandedOver:
    case T::kOutcomeRecorded:
    case T::kSigned:
    case T::kCompleted:
      return true;
    default:
      return false;
  }
}

// The report's steps from the order's events: the event's time is when the server recorded the
// step, its observe_time attribute (if any) when it happened.
void AddSteps(const std::vector<domain::Event>& events, v1::VisitReport* out) {
  for (const domain::Event& e : events) {
    if (!IsVisitStep(e.type)) continue;
    v1::RecordedStep* step = out->add_steps();
    step->set_type(static_cast<v1::Event::Type>(e.type));
    ToProto(e.time, step->mutable_record_time());
    absl::Time observed = e.time;
    if (auto it = e.attributes.find("observe_time"); it != e.attributes.end()) {
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, it->second, &observed, &error)) observed = e.time;
    }
    ToProto(observed, step->mutable_observe_time());
    step->set_actor(e.actor.principal);
  }
}

// More than any visit has (about a dozen steps): a bound, not a page.
constexpr int kMaxReportEvents = 500;

}  // namespace

grpc::ServerUnaryReactor* VisitReportServiceImpl::GetVisitReport(grpc::CallbackServerContext* context,
                                                                 const v1::GetVisitReportRequest* request,
                                                                 v1::VisitReport* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    absl::string_view order_name = request->name();
    if (!absl::ConsumeSuffix(&order_name, kReportSuffix)) order_name = "";  // refused below, naming `name`
    std::string id = IdFromName(std::string(order_name), "serviceOrders", "name");
    domain::OrderView view = ViewFromProto(request->view(), domain::OrderView::kFull);
    domain::Actor actor = CurrentActor(context);
    std::vector<domain::Event> events;
    domain::ServiceOrder order = db_.Read([&](domain::UnitOfWork& work) {
      domain::ServiceOrder report = domain::GetReport(work, id, actor);
      events = work.events().OfOrder(id, kMaxReportEvents);
      return report;
    });
    ApplyView(view, order);
    ToReport(order, response);
    AddSteps(events, response);
  });
}

grpc::ServerUnaryReactor* VisitReportServiceImpl::ListVisitReports(grpc::CallbackServerContext* context,
                                                                   const v1::ListVisitReportsRequest* request,
                                                                   v1::ListVisitReportsResponse* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    domain::Violations v;
    v.RequireText("file_number", request->file_number(), 64);
    v.ThrowIfAny();
    int page_size = PageSize(request->page_size(), kDefaultPageSize, kMaxPageSize);
    domain::OrderView view = ViewFromProto(request->view(), domain::OrderView::kBasic);
    std::string fingerprint = Fingerprint(absl::StrCat(request->file_number(), "|", request->view()));
    std::optional<domain::ReportPosition> after;
    if (!request->page_token().empty()) {
      auto fields = DecodePageToken(request->page_token(), fingerprint, 2);
      long long micros = 0;
      if (!absl::SimpleAtoi(fields[0], &micros)) ThrowBadPageToken();
      after = domain::ReportPosition{absl::FromUnixMicros(micros), fields[1]};
    }
    domain::Actor actor = CurrentActor(context);  // a technician lists only their own visits
    // One extra row tells whether another page exists without a COUNT query.
    auto orders = db_.Read([&](domain::UnitOfWork& work) {
      return work.visits().ListReports(request->file_number(), actor.technician_id, after, page_size + 1, view);
    });
    bool more = static_cast<int>(orders.size()) > page_size;
    if (more) orders.pop_back();
    size_t added = FillPage(orders, response->mutable_visit_reports(), ToReport);
    if (added < orders.size()) more = true;  // the page reached its byte budget
    if (more) {
      const auto& last = orders[added - 1];
      response->set_next_page_token(EncodePageToken(
          fingerprint, {std::to_string(absl::ToUnixMicros(last.visit.completion->complete_time)), last.id}));
    }
  });
}

grpc::ServerUnaryReactor* VisitReportServiceImpl::GetVisitReportDocument(
    grpc::CallbackServerContext* context, const v1::GetVisitReportDocumentRequest* request,
    v1::VisitReportDocument* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    absl::string_view order_name = request->name();
    if (!absl::ConsumeSuffix(&order_name, kDocumentSuffix)) order_name = "";  // refused below, naming `name`
    std::string id = IdFromName(std::string(order_name), "serviceOrders", "name");
    domain::Actor actor = CurrentActor(context);
    domain::ReportDocument document =
        db_.Read([&](domain::UnitOfWork& work) { return domain::GetReportDocument(work, id, actor); });
    response->set_name(absl::StrCat(OrderName(id), kDocumentSuffix));
    response->set_pdf(std::move(document.issued.pdf));
    response->set_document_sha256(document.issued.document_sha256);
    response->set_report_sha256(document.issued.report_sha256);
    response->set_current_report_sha256(document.current_report_sha256);
    ToProto(document.issued.issue_time, response->mutable_issue_time());
  });
}

}  // namespace homevisit::api
