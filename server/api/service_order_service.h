#pragma once
#include "api/arena_allocator.h"
#include "api/worker_pool.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// Intake, reading and cancelling of orders [S1]. Adapts protos to the domain; no rules here.
class ServiceOrderServiceImpl final : public v1::ServiceOrderService::CallbackService {
 public:
  ServiceOrderServiceImpl(storage::Database& db, WorkerPool& pool) : db_(db), pool_(pool) {
    SetMessageAllocatorFor_CreateServiceOrder(&create_messages_);
    SetMessageAllocatorFor_GetServiceOrder(&get_messages_);
    SetMessageAllocatorFor_ListServiceOrders(&list_messages_);
  }

  grpc::ServerUnaryReactor* CreateServiceOrder(grpc::CallbackServerContext* context,
                                               const v1::CreateServiceOrderRequest* request,
                                               v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* GetServiceOrder(grpc::CallbackServerContext* context,
                                            const v1::GetServiceOrderRequest* request,
                                            v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* ListServiceOrders(grpc::CallbackServerContext* context,
                                              const v1::ListServiceOrdersRequest* request,
                                              v1::ListServiceOrdersResponse* response) override;
  grpc::ServerUnaryReactor* UpdateServiceOrder(grpc::CallbackServerContext* context,
                                               const v1::UpdateServiceOrderRequest* request,
                                               v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* CancelServiceOrder(grpc::CallbackServerContext* context,
                                               const v1::CancelServiceOrderRequest* request,
                                               v1::ServiceOrder* response) override;

 private:
  storage::Database& db_;
  WorkerPool& pool_;
  // The busiest calls' messages live on an arena per call (arena_allocator.h): the intake, the
  // read of an order and of a page of them.
  ArenaMessageAllocator<v1::CreateServiceOrderRequest, v1::ServiceOrder> create_messages_;
  ArenaMessageAllocator<v1::GetServiceOrderRequest, v1::ServiceOrder> get_messages_;
  ArenaMessageAllocator<v1::ListServiceOrdersRequest, v1::ListServiceOrdersResponse> list_messages_;
};

}  // namespace homevisit::api
