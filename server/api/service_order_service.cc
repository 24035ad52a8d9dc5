#include "api/service_order_service.h"

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "api/enum_filter.h"
#include "api/page_budget.h"
#include "api/page_token.h"
#include "api/principal.h"
#include "api/request_replay.h"
#include "api/unary.h"
#include "domain/text_rules.h"
#include "domain/order_commands.h"

namespace homevisit::api {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

domain::OrderFilter FilterFromRequest(const v1::ListServiceOrdersRequest& r) {
  domain::Violations v;
  domain::OrderFilter f;
  f.file_number = r.file_number();
  f.states = DistinctEnumFilter<domain::OrderState>(r.states(), "states",
                                                   static_cast<int>(domain::OrderState::kCancelled),
                                                   "ServiceOrder.State");
  if (r.has_window_start_after()) f.schedule_start_after = FromProto(r.window_start_after(), true, "window_start_after");
  if (r.has_window_start_before()) {
    f.schedule_start_before = FromProto(r.window_start_before(), true, "window_start_before");
  }
  v.ThrowIfAny();
  if (!r.technician().empty()) f.technician_id = IdFromName(r.technician(), "technicians", "technician");
  return f;
}

}  // namespace

grpc::ServerUnaryReactor* ServiceOrderServiceImpl::CreateServiceOrder(grpc::CallbackServerContext* context,
                                                                      const v1::CreateServiceOrderRequest* request,
                                                                      v1::ServiceOrder* response) {
  return ServeWrite(context, pool_, __func__, [=, this] {
    domain::OrderIntake intake = IntakeFromProto(request->service_order());
    domain::Actor actor = CurrentActor(context);
    // The order and its creation event are one statement (InsertIfNewRequest).
    auto result = db_.WriteOneStatement([&](domain::UnitOfWork& work) {
      return domain::CreateOrder(work, intake, request->request_id(), actor, absl::Now());
    });
    ToProto(result.order, response);
  });
}

grpc::ServerUnaryReactor* ServiceOrderServiceImpl::GetServiceOrder(grpc::CallbackServerContext* context,
                                                                   const v1::GetServiceOrderRequest* request,
                                                                   v1::ServiceOrder* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->name(), "serviceOrders", "name");
    domain::OrderView view = ViewFromProto(request->view(), domain::OrderView::kFull);
    domain::Actor actor = CurrentActor(context);
    // The order's row and its checklist change together: no transaction needed to read them.
    domain::ServiceOrder order = db_.Lookup([&](domain::UnitOfWork& work) { return domain::GetOrder(work, id, actor); });
    ApplyView(view, order);
    ToProto(order, response);
  });
}

grpc::ServerUnaryReactor* ServiceOrderServiceImpl::ListServiceOrders(grpc::CallbackServerContext* context,
                                                                     const v1::ListServiceOrdersRequest* request,
                                                                     v1::ListServiceOrdersResponse* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    domain::OrderFilter filter = FilterFromRequest(*request);
    domain::OrderView view = ViewFromProto(request->view(), domain::OrderView::kBasic);
    domain::Actor actor = CurrentActor(context);
    if (actor.role == domain::Role::kTechnician) {
      // A technician's list shows only their own orders, whatever technician the request names.
      if (!filter.technician_id.empty() && filter.technician_id != actor.technician_id) return;
      filter.technician_id = actor.technician_id;
    }
    int page_size = PageSize(request->page_size(), kDefaultPageSize, kMaxPageSize);
    v1::ListServiceOrdersRequest filters_only = *request;
    filters_only.clear_page_size();
    filters_only.clear_page_token();
    std::string fingerprint = Fingerprint(filters_only.SerializeAsString());
    std::optional<domain::OrderPosition> after;
    if (!request->page_token().empty()) {
      auto fields = DecodePageToken(request->page_token(), fingerprint, 2);
      long long micros = 0;
      if (!absl::SimpleAtoi(fields[0], &micros)) ThrowBadPageToken();
      after = domain::OrderPosition{absl::FromUnixMicros(micros), fields[1]};
    }
    // One extra row tells whether another page exists without a COUNT query.
    // One page is one SELECT (plus one for the checklists of diagnosed orders): no transaction.
    auto orders = db_.Lookup(
        [&](domain::UnitOfWork& work) { return work.orders().List(filter, after, page_size + 1, view); });
    bool more = static_cast<int>(orders.size()) > page_size;
    if (more) orders.pop_back();
    size_t added = FillPage(orders, response->mutable_service_orders(),
                            [](const domain::ServiceOrder& order, v1::ServiceOrder* out) { ToProto(order, out); });
    if (added < orders.size()) more = true;  // the page reached its byte budget
    if (more) {
      const auto& last = orders[added - 1];
      response->set_next_page_token(
          EncodePageToken(fingerprint, {std::to_string(absl::ToUnixMicros(last.create_time)), last.id}));
    }
  });
}

grpc::ServerUnaryReactor* ServiceOrderServiceImpl::UpdateServiceOrder(grpc::CallbackServerContext* context,
                                                                      const v1::UpdateServiceOrderRequest* request,
                                                                      v1::ServiceOrder* response) {
  return ServeWrite(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->service_order().name(), "serviceOrders", "service_order.name");
    domain::Violations v;
    std::set<std::string> paths;
    for (const auto& path : request->update_mask().paths()) {
      if (!domain::UpdatableOrderPaths().count(path)) {
        v.Add("update_mask", "may name only charge, receiver, problem_description, address.references");
        break;
      }
      paths.insert(path);
    }
    if (request->update_mask().paths().empty()) v.Add("update_mask", "is required: name the fields to change");
    v.ThrowIfAny();
    domain::OrderIntake changes = IntakeFromProto(request->service_order());
    domain::Actor actor = CurrentActor(context);
    WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
      const domain::ServiceOrder order =
          domain::UpdateOrder(work, id, changes, paths, request->service_order().etag(), actor, absl::Now());
      ToProto(order, response);
    });
  });
}

grpc::ServerUnaryReactor* ServiceOrderServiceImpl::CancelServiceOrder(grpc::CallbackServerContext* context,
                                                                      const v1::CancelServiceOrderRequest* request,
                                                                      v1::ServiceOrder* response) {
  return ServeWrite(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->name(), "serviceOrders", "name");
    domain::Actor actor = CurrentActor(context);
    WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
      const domain::ServiceOrder order =
          domain::CancelOrder(work, id, request->reason(), request->etag(), actor, absl::Now());
      ToProto(order, response);
    });
  });
}

}  // namespace homevisit::api
