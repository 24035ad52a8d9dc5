// Every mutating RPC besides the visit steps (visit_retry_test.cc) takes a request_id (AIP-155):
// holds, release, booking, reschedule, reassign, order update and cancel, technician update and
// deactivation, credential revocation. For each: the first call, a retry answered with the first
// response and no second effect, and the id reused with other content (ALREADY_EXISTS).
#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>

#include <functional>

#include "api/convert.h"
#include "api/request_replay.h"
#include "homevisit/v1/credential.grpc.pb.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

class WriteRetryTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    scheduling_ = v1::SchedulingService::NewStub(channel_);
    technicians_ = v1::TechnicianService::NewStub(channel_);
    credentials_ = v1::CredentialService::NewStub(channel_);
    for (const char* id : {"tech-a", "tech-b"}) {
      server_->database().Write(
          [&](domain::UnitOfWork& work) { work.technicians().Insert(FullTimeTechnician(id, {"03100"})); });
    }
  }

  // Sends `request` twice with its request id and expects the same answer and one effect
  // (`effects` counts them), then once more with `vary` applied and expects REQUEST_ID_REUSED.
  // Returns the first response.
  template <typename Request, typename Response>
  Response ExpectRetrySafe(const std::function<grpc::Status(const Request&, Response*)>& call, Request request,
                           const std::function<void(Request&)>& vary, const std::function<size_t()>& effects) {
    request.set_request_id("retry-" + UniqueSuffix());
    Response first;
    grpc::Status status = call(request, &first);
    EXPECT_TRUE(status.ok()) << status.error_message();
    const size_t after_first = effects();
    Response again;
    status = call(request, &again);
    EXPECT_TRUE(status.ok()) << "the retry: " << status.error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(first, again));
    EXPECT_EQ(effects(), after_first) << "the retry had an effect";
    vary(request);
    Response other;
    status = call(request, &other);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
    EXPECT_EQ(ErrorReason(status), "REQUEST_ID_REUSED");
    EXPECT_EQ(effects(), after_first);
    return first;
  }

  template <typename Request, typename Response, typename Stub>
  static std::function<grpc::Status(const Request&, Response*)> Rpc(
      Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*)) {
    return [&stub, method](const Request& request, Response* response) {
      grpc::ClientContext context;
      return (stub.*method)(&context, request, response);
    };
  }

  std::function<size_t()> EventCount(const std::string& order) {
    return [this, order] { return EventsOf(order).size(); };
  }

  std::unique_ptr<v1::SchedulingService::Stub> scheduling_;
  std::unique_ptr<v1::TechnicianService::Stub> technicians_;
  std::unique_ptr<v1::CredentialService::Stub> credentials_;
};

TEST_F(WriteRetryTest, SchedulingAndOrderWritesAreSafeToRetry) {
  v1::ServiceOrder order = ValidOrder();
  order.mutable_address()->set_postal_code("03100");
  const std::string name = CreateOk(order, "req-" + UniqueSuffix()).name();
  v1::CheckAvailabilityResponse availability;
  {
    grpc::ClientContext context;
    v1::CheckAvailabilityRequest request;
    request.set_service_order(name);
    ASSERT_TRUE(scheduling_->CheckAvailability(&context, request, &availability).ok());
    ASSERT_TRUE(availability.requested_available()) << availability.DebugString() << order.DebugString();
    ASSERT_GE(availability.same_day_size(), 2);
  }

  // Hold, then release it.
  v1::CreateHoldRequest hold;
  hold.set_service_order(name);
  *hold.mutable_option() = availability.requested();
  const v1::Hold held = ExpectRetrySafe<v1::CreateHoldRequest, v1::Hold>(
      Rpc(*scheduling_, &v1::SchedulingService::Stub::CreateHold), hold,
      [&](v1::CreateHoldRequest& r) { *r.mutable_option() = availability.same_day(0); }, EventCount(name));
  v1::ReleaseHoldRequest release;
  release.set_name(held.name());
  ExpectRetrySafe<v1::ReleaseHoldRequest, v1::Hold>(
      Rpc(*scheduling_, &v1::SchedulingService::Stub::ReleaseHold), release,
      [](v1::ReleaseHoldRequest& r) { r.set_name("holds/another"); }, EventCount(name));

  // Book, then move the visit and give it to the other technician.
  v1::BookAppointmentRequest book;
  book.set_service_order(name);
  *book.mutable_option() = availability.requested();
  const v1::ServiceOrder booked = ExpectRetrySafe<v1::BookAppointmentRequest, v1::ServiceOrder>(
      Rpc(*scheduling_, &v1::SchedulingService::Stub::BookAppointment), book,
      [&](v1::BookAppointmentRequest& r) { *r.mutable_option() = availability.same_day(0); }, EventCount(name));
  EXPECT_EQ(booked.state(), v1::ServiceOrder::STATE_SCHEDULED);
  v1::RescheduleAppointmentRequest reschedule;
  reschedule.set_service_order(name);
  *reschedule.mutable_option() = availability.same_day(1);
  reschedule.set_reason("El suscriptor pidió otra hora");
  const v1::ServiceOrder moved = ExpectRetrySafe<v1::RescheduleAppointmentRequest, v1::ServiceOrder>(
      Rpc(*scheduling_, &v1::SchedulingService::Stub::RescheduleAppointment), reschedule,
      [](v1::RescheduleAppointmentRequest& r) { r.set_reason("Otro motivo"); }, EventCount(name));
  const std::string other =
      moved.appointment().technician() == "technicians/tech-a" ? "technicians/tech-b" : "technicians/tech-a";
  v1::ReassignAppointmentRequest reassign;
  reassign.set_service_order(name);
  reassign.set_technician(other);
  reassign.set_reason("Carga de trabajo");
  const v1::ServiceOrder reassigned = ExpectRetrySafe<v1::ReassignAppointmentRequest, v1::ServiceOrder>(
      Rpc(*scheduling_, &v1::SchedulingService::Stub::ReassignAppointment), reassign,
      [](v1::ReassignAppointmentRequest& r) { r.set_reason("Otro motivo"); }, EventCount(name));
  EXPECT_EQ(reassigned.appointment().technician(), other);

  // Change a field of the order, then cancel it.
  v1::UpdateServiceOrderRequest update;
  update.mutable_service_order()->set_name(name);
  update.mutable_service_order()->set_problem_description("Sin internet desde ayer en toda la casa.");
  update.mutable_update_mask()->add_paths("problem_description");
  ExpectRetrySafe<v1::UpdateServiceOrderRequest, v1::ServiceOrder>(
      Rpc(*orders_, &v1::ServiceOrderService::Stub::UpdateServiceOrder), update,
      [](v1::UpdateServiceOrderRequest& r) { r.mutable_service_order()->set_problem_description("Otra cosa."); },
      EventCount(name));
  v1::CancelServiceOrderRequest cancel;
  cancel.set_name(name);
  cancel.set_reason("Ya no se necesita");
  const v1::ServiceOrder cancelled = ExpectRetrySafe<v1::CancelServiceOrderRequest, v1::ServiceOrder>(
      Rpc(*orders_, &v1::ServiceOrderService::Stub::CancelServiceOrder), cancel,
      [](v1::CancelServiceOrderRequest& r) { r.set_reason("Otro motivo"); }, EventCount(name));
  EXPECT_EQ(cancelled.state(), v1::ServiceOrder::STATE_CANCELLED);
}

// An id is scoped to its method: a caller reusing one id for a hold and its release gets both.
TEST_F(WriteRetryTest, OneIdOnTwoMethodsIsTwoRequests) {
  v1::ServiceOrder order = ValidOrder();
  order.mutable_address()->set_postal_code("03100");
  const std::string name = CreateOk(order, "req-" + UniqueSuffix()).name();
  v1::CheckAvailabilityResponse availability;
  {
    grpc::ClientContext context;
    v1::CheckAvailabilityRequest request;
    request.set_service_order(name);
    ASSERT_TRUE(scheduling_->CheckAvailability(&context, request, &availability).ok());
  }
  v1::CreateHoldRequest hold;
  hold.set_service_order(name);
  *hold.mutable_option() = availability.requested();
  hold.set_request_id("same-id");
  v1::Hold held;
  {
    grpc::ClientContext context;
    grpc::Status held_status = scheduling_->CreateHold(&context, hold, &held);
    ASSERT_TRUE(held_status.ok()) << held_status.error_message();
  }
  v1::ReleaseHoldRequest release;
  release.set_name(held.name());
  release.set_request_id("same-id");
  v1::Hold released;
  grpc::ClientContext context;
  grpc::Status status = scheduling_->ReleaseHold(&context, release, &released);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(released.state(), v1::Hold::STATE_RELEASED);
  EXPECT_EQ(api::MethodOf(release), "ReleaseHold");
}

TEST_F(WriteRetryTest, TechnicianAndCredentialWritesAreSafeToRetry) {
  auto technician_etag = [this](const std::string& id) {
    return [this, id]() -> size_t {
      grpc::ClientContext context;
      v1::GetTechnicianRequest request;
      request.set_name("technicians/" + id);
      v1::Technician out;
      EXPECT_TRUE(technicians_->GetTechnician(&context, request, &out).ok());
      return std::hash<std::string>()(out.etag());  // changes with every write
    };
  };
  v1::UpdateTechnicianRequest update;
  update.mutable_technician()->set_name("technicians/tech-a");
  update.mutable_technician()->set_display_name("Técnico A. Renombrado");
  update.mutable_update_mask()->add_paths("display_name");
  ExpectRetrySafe<v1::UpdateTechnicianRequest, v1::Technician>(
      Rpc(*technicians_, &v1::TechnicianService::Stub::UpdateTechnician), update,
      [](v1::UpdateTechnicianRequest& r) { r.mutable_technician()->set_display_name("Otro nombre"); },
      technician_etag("tech-a"));
  v1::DeactivateTechnicianRequest deactivate;
  deactivate.set_name("technicians/tech-b");
  const v1::Technician inactive = ExpectRetrySafe<v1::DeactivateTechnicianRequest, v1::Technician>(
      Rpc(*technicians_, &v1::TechnicianService::Stub::DeactivateTechnician), deactivate,
      [](v1::DeactivateTechnicianRequest& r) { r.set_name("technicians/tech-a"); }, technician_etag("tech-b"));
  EXPECT_FALSE(inactive.active());

  v1::CreateCredentialResponse issued;
  {
    grpc::ClientContext context;
    v1::CreateCredentialRequest request;
    request.mutable_credential()->set_principal("operador-dot-7");
    request.mutable_credential()->set_role(v1::ROLE_DOT_OPERATOR);
    ASSERT_TRUE(credentials_->CreateCredential(&context, request, &issued).ok());
  }
  v1::RevokeCredentialRequest revoke;
  revoke.set_name(issued.credential().name());
  const v1::Credential revoked = ExpectRetrySafe<v1::RevokeCredentialRequest, v1::Credential>(
      Rpc(*credentials_, &v1::CredentialService::Stub::RevokeCredential), revoke,
      [](v1::RevokeCredentialRequest& r) { r.set_name("credentials/another"); }, [] { return size_t{0}; });
  EXPECT_TRUE(revoked.has_revoke_time());
}

}  // namespace
}  // namespace homevisit::testing
