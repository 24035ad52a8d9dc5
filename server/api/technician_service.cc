#include "api/technician_service.h"

#include <set>

#include "absl/time/clock.h"
#include "api/convert.h"
#include "api/page_token.h"
#include "api/principal.h"
#include "api/request_replay.h"
#include "api/unary.h"
#include "domain/technician_commands.h"
#include "domain/technician_validation.h"
#include "domain/text_rules.h"

namespace homevisit::api {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

std::set<std::string> UpdatePaths(const v1::UpdateTechnicianRequest& request) {
  domain::Violations v;
  std::set<std::string> paths;
  for (const auto& path : request.update_mask().paths()) {
    if (!domain::UpdatableTechnicianPaths().count(path)) {
      v.Add("update_mask",
            "may name only display_name, mobile_phone, official_id_type, postal_codes, delegaciones, "
            "working_hours, time_off");
      break;
    }
    paths.insert(path);
  }
  if (request.update_mask().paths().empty()) v.Add("update_mask", "is required: name the fields to change");
  v.ThrowIfAny();
  return paths;
}

}  // namespace

grpc::ServerUnaryReactor* TechnicianServiceImpl::CreateTechnician(grpc::CallbackServerContext* context,
                                                                  const v1::CreateTechnicianRequest* request,
                                                                  v1::Technician* response) {
  return ServeUnary(context, pool_, __func__, [=, this] {
    domain::Technician technician = TechnicianFromProto(request->technician());
    domain::Actor actor = CurrentActor(context);
    auto result = db_.Write([&](domain::UnitOfWork& work) {
      return domain::CreateTechnician(work, technician, request->request_id(), actor, absl::Now());
    });
    ToProto(result.technician, response);
  });
}

grpc::ServerUnaryReactor* TechnicianServiceImpl::GetTechnician(grpc::CallbackServerContext* context,
                                                               const v1::GetTechnicianRequest* request,
                                                               v1::Technician* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->name(), "technicians", "name");
    ToProto(db_.Read([&](domain::UnitOfWork& work) { return domain::GetTechnician(work, id); }), response);
  });
}

grpc::ServerUnaryReactor* TechnicianServiceImpl::ListTechnicians(grpc::CallbackServerContext* context,
                                                                 const v1::ListTechniciansRequest* request,
                                                                 v1::ListTechniciansResponse* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    domain::Violations v;
    if (!request->postal_code().empty() && !domain::IsPostalCode(request->postal_code())) {
      v.Add("postal_code", "must be exactly five digits");
    }
    v.ThrowIfAny();
    int page_size = PageSize(request->page_size(), kDefaultPageSize, kMaxPageSize);
    v1::ListTechniciansRequest filters_only = *request;
    filters_only.clear_page_size();
    filters_only.clear_page_token();
    std::string fingerprint = Fingerprint(filters_only.SerializeAsString());
    std::optional<std::pair<std::string, std::string>> after;
    if (!request->page_token().empty()) {
      auto fields = DecodePageToken(request->page_token(), fingerprint, 2);
      after = std::make_pair(fields[0], fields[1]);
    }
    // One extra row tells whether another page exists without a COUNT query.
    auto technicians = db_.Read([&](domain::UnitOfWork& work) {
      return work.technicians().List(request->show_inactive(), request->postal_code(), after, page_size + 1);
    });
    bool more = static_cast<int>(technicians.size()) > page_size;
    if (more) technicians.pop_back();
    for (const auto& technician : technicians) ToProto(technician, response->add_technicians());
    if (more) {
      const auto& last = technicians.back();
      response->set_next_page_token(EncodePageToken(fingerprint, {last.display_name, last.id}));
    }
  });
}

grpc::ServerUnaryReactor* TechnicianServiceImpl::UpdateTechnician(grpc::CallbackServerContext* context,
                                                                  const v1::UpdateTechnicianRequest* request,
                                                                  v1::Technician* response) {
  return ServeUnary(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->technician().name(), "technicians", "technician.name");
    std::set<std::string> paths = UpdatePaths(*request);
    domain::Technician changes = TechnicianFromProto(request->technician());
    domain::Actor actor = CurrentActor(context);
    WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
      const domain::Technician technician =
          domain::UpdateTechnician(work, id, changes, paths, request->technician().etag(), actor, absl::Now());
      ToProto(technician, response);
    });
  });
}

grpc::ServerUnaryReactor* TechnicianServiceImpl::DeactivateTechnician(grpc::CallbackServerContext* context,
                                                                      const v1::DeactivateTechnicianRequest* request,
                                                                      v1::Technician* response) {
  return ServeUnary(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->name(), "technicians", "name");
    domain::Actor actor = CurrentActor(context);
    WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
      const domain::Technician technician = domain::DeactivateTechnician(work, id, request->etag(), actor, absl::Now());
      ToProto(technician, response);
    });
    // Deactivation revoked the technician's credentials: refuse them here at once.
    if (const CallGate* gate = pool_.call_gate()) gate->ForgetVerifiedCredentials();
  });
}

}  // namespace homevisit::api
