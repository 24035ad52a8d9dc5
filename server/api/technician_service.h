#pragma once
#include "api/worker_pool.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// The dispatcher's technicians, with their zones, hours and time off (SPEC §3). Adapts protos to
// the domain; no rules here.
class TechnicianServiceImpl final : public v1::TechnicianService::CallbackService {
 public:
  TechnicianServiceImpl(storage::Database& db, WorkerPool& pool) : db_(db), pool_(pool) {}

  grpc::ServerUnaryReactor* CreateTechnician(grpc::CallbackServerContext* context,
                                             const v1::CreateTechnicianRequest* request,
                                             v1::Technician* response) override;
  grpc::ServerUnaryReactor* GetTechnician(grpc::CallbackServerContext* context,
                                          const v1::GetTechnicianRequest* request, v1::Technician* response) override;
  grpc::ServerUnaryReactor* ListTechnicians(grpc::CallbackServerContext* context,
                                            const v1::ListTechniciansRequest* request,
                                            v1::ListTechniciansResponse* response) override;
  grpc::ServerUnaryReactor* UpdateTechnician(grpc::CallbackServerContext* context,
                                             const v1::UpdateTechnicianRequest* request,
                                             v1::Technician* response) override;
  grpc::ServerUnaryReactor* DeactivateTechnician(grpc::CallbackServerContext* context,
                                                 const v1::DeactivateTechnicianRequest* request,
                                                 v1::Technician* response) override;

 private:
  storage::Database& db_;
  WorkerPool& pool_;
};

}  // namespace homevisit::api
