// Access control: every RPC x every role against one expected table (plus no token and a revoked
// token), object-level visibility for technicians, credentials, and the authenticated actor.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>

#include <future>
#include <map>
#include <set>

#include "api/authorization.h"
#include "domain/credential_commands.h"
#include "domain/order_commands.h"
#include "domain/tokens.h"
#include "homevisit/v1/credential.grpc.pb.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "homevisit/v1/visit_report.grpc.pb.h"
#include "homevisit/v1/visit_service.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using domain::Role;
using ::testing::HasSubstr;

// The expected access table, written out independently of server/api/authorization.cc: a change
// to either without the other fails MatrixOfEveryRpcAndRole. "O" DOT operator, "S" DOT supervisor,
// "D" dispatcher, "T" technician, "A" admin.
const std::map<std::string, std::string>& ExpectedAccess() {
  static const std::map<std::string, std::string> table = {
      {"CreateServiceOrder", "OSD"},   {"GetServiceOrder", "OSDT"},     {"ListServiceOrders", "OSDT"},
      {"UpdateServiceOrder", "OS"},    {"CancelServiceOrder", "OS"},    {"CreateTechnician", "D"},
      {"GetTechnician", "D"},          {"ListTechnicians", "D"},        {"UpdateTechnician", "D"},
      {"DeactivateTechnician", "D"},   {"CheckAvailability", "OSD"},    {"CreateHold", "OSD"},
      {"ReleaseHold", "OSD"},          {"BookAppointment", "OSD"},      {"RescheduleAppointment", "OSD"},
      {"ReassignAppointment", "D"},    {"RecordConfirmationCall", "OS"}, {"RecordFollowUpCall", "OS"},
      {"CheckIn", "T"},                {"RecordDiagnosis", "T"},        {"RequestEscalation", "T"},
      {"RecordConference", "S"},       {"RecordHandOver", "T"},         {"RecordOutcome", "T"},
      {"CaptureSignature", "T"},       {"CompleteVisit", "T"},          {"RenderScript", "OSDT"},
      {"GetVisitReport", "OSDT"},      {"ListVisitReports", "OSDT"},    {"ListEvents", "OSD"},
      {"WatchEvents", "OSD"},          {"CreateCredential", "A"},       {"ListCredentials", "A"},
      {"RevokeCredential", "A"},       {"GetHold", "OSD"},             {"GetChecklistTemplate", "OSDT"},
      {"GetProgramMetrics", "SD"},
      {"GetVisitReportDocument", "OSDT"}, {"ListHolds", "OSD"},
  };
  return table;
}

char Letter(Role role) {
  switch (role) {
    case Role::kDotOperator: return 'O';
    case Role::kDotSupervisor: return 'S';
    case Role::kDispatcher: return 'D';
    case Role::kTechnician: return 'T';
    case Role::kAdmin: return 'A';
    default: return '?';
  }
}

// Every RPC of every homevisit.v1 service, as "Service/Method" (streaming or not).
std::map<std::string, const google::protobuf::MethodDescriptor*> AllRpcs() {
  // Linking the stubs registers the files; look them up by name.
  std::map<std::string, const google::protobuf::MethodDescriptor*> rpcs;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* service : {"ServiceOrderService", "TechnicianService", "SchedulingService", "VisitService",
                              "VisitReportService", "EventService", "CredentialService", "ReportingService"}) {
    const auto* descriptor = pool->FindServiceByName(std::string("homevisit.v1.") + service);
    EXPECT_NE(descriptor, nullptr) << service;
    if (!descriptor) continue;
    for (int i = 0; i < descriptor->method_count(); ++i) rpcs[descriptor->method(i)->name()] = descriptor->method(i);
  }
  return rpcs;
}

class AuthTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    server_->database().Write([&](domain::UnitOfWork& work) {
      for (const char* id : {"tech-a", "tech-b"}) {
        domain::Technician t;
        t.id = id;
        t.display_name = std::string("Técnico ") + id;
        t.employee_number = std::string("EMP-") + id;
        t.official_id_type = 1;
        t.mobile_phone = "5512345678";
        t.create_time = t.update_time = absl::Now();
        work.technicians().Insert(t);
      }
    });
    for (Role role : {Role::kDotOperator, Role::kDotSupervisor, Role::kDispatcher, Role::kAdmin}) {
      tokens_[role] = IssueToken(db_->url(), role);
    }
    tokens_[Role::kTechnician] = IssueToken(db_->url(), Role::kTechnician, "tech-a");
    technician_b_ = IssueToken(db_->url(), Role::kTechnician, "tech-b");
  }

  std::string Target() const { return "127.0.0.1:" + std::to_string(server_->port()); }

  // Calls `method` with an empty request and `token`; returns the status.
  grpc::Status CallEmpty(const google::protobuf::MethodDescriptor* method, const std::string& token) {
    std::string path = "/" + method->service()->full_name() + "/" + method->name();
    auto channel = TokenChannel(Target(), token);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (method->server_streaming()) {
      auto stub = v1::EventService::NewStub(channel);
      v1::WatchEventsRequest request;
      request.set_after_cursor("0");
      auto reader = stub->WatchEvents(&context, request);
      v1::WatchEventsResponse response;
      if (reader->Read(&response)) {
        context.TryCancel();
        reader->Finish();
        return grpc::Status::OK;  // it streamed: admitted
      }
      return reader->Finish();
    }
    grpc::GenericStub stub(channel);
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, path, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
  }

  // An order assigned to `technician_id`, in state ON_SITE so visit steps can apply.
  std::string OrderAssignedTo(const std::string& technician_id) {
    v1::ServiceOrder created = CreateOk(ValidOrder(), "auth-" + UniqueSuffix());
    std::string id = created.name().substr(created.name().find('/') + 1);
    server_->database().Write([&](domain::UnitOfWork& work) {
      domain::ServiceOrder order = domain::GetOrder(work, id, domain::SystemActor());
      int expected = order.version;
      order.state = domain::OrderState::kOnSite;
      order.appointment = domain::Appointment{technician_id, "", order.intake.requested_window, absl::Now()};
      ++order.version;
      work.orders().Update(order, expected);
    });
    return created.name();
  }

  std::map<Role, std::string> tokens_;
  std::string technician_b_;
};

TEST_F(AuthTest, EveryRpcHasExactlyOneRowInTheTable) {
  std::set<std::string> rpcs;
  for (const auto& [name, method] : AllRpcs()) rpcs.insert(name);
  std::set<std::string> expected;
  for (const auto& [name, letters] : ExpectedAccess()) expected.insert(name);
  EXPECT_EQ(rpcs, expected) << "an RPC was added or removed: give it a row in both tables";
  EXPECT_EQ(api::AuthorizedMethods(), rpcs) << "server/api/authorization.cc misses or has extra RPCs";
}

TEST_F(AuthTest, MatrixOfEveryRpcAndRole) {
  CreateOk(ValidOrder(), "matrix");  // an event, so an admitted watch streams at once
  std::string revoked = IssueToken(db_->url(), Role::kDotSupervisor);
  server_->database().Write([&](domain::UnitOfWork& work) {
    auto list = work.credentials().List("", absl::InfinitePast(), 1000);
    for (const auto& c : list) {
      if (c.token_hash == domain::HashToken(revoked)) domain::RevokeCredential(work, c.id, absl::Now());
    }
  });
  for (const auto& [name, method] : AllRpcs()) {
    const std::string& letters = ExpectedAccess().at(name);
    for (Role role : {Role::kDotOperator, Role::kDotSupervisor, Role::kDispatcher, Role::kTechnician, Role::kAdmin}) {
      grpc::Status status = CallEmpty(method, tokens_[role]);
      bool allowed = letters.find(Letter(role)) != std::string::npos;
      if (allowed) {
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << name << " as " << Letter(role);
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name << " as " << Letter(role);
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << name << " is not served";
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << name << " as " << Letter(role);
        EXPECT_EQ(ErrorReason(status), "ROLE_NOT_ALLOWED") << name;
      }
    }
    grpc::Status anonymous = CallEmpty(method, "");
    EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name << " without a token";
    EXPECT_EQ(ErrorReason(anonymous), "NO_CREDENTIALS") << name;
    grpc::Status forged = CallEmpty(method, "hv_not-a-real-token");
    EXPECT_EQ(forged.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name << " with an unknown token";
    grpc::Status after_revocation = CallEmpty(method, revoked);
    EXPECT_EQ(after_revocation.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name << " with a revoked token";
    EXPECT_EQ(ErrorReason(after_revocation), "INVALID_TOKEN") << name;
  }
}

TEST_F(AuthTest, ATechnicianCannotSeeOrTouchAnotherTechniciansOrder) {
  std::string theirs = OrderAssignedTo("tech-b");
  std::string mine = OrderAssignedTo("tech-a");
  auto as_a = TokenChannel(Target(), tokens_[Role::kTechnician]);
  auto orders = v1::ServiceOrderService::NewStub(as_a);
  auto visits = v1::VisitService::NewStub(as_a);
  auto reports = v1::VisitReportService::NewStub(as_a);
  auto expect_hidden = [&](const grpc::Status& status, const char* rpc) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << rpc << ": " << status.error_message();
  };
  v1::ServiceOrder out;
  {
    grpc::ClientContext c;
    v1::GetServiceOrderRequest r;
    r.set_name(theirs);
    expect_hidden(orders->GetServiceOrder(&c, r, &out), "GetServiceOrder");
  }
  {
    grpc::ClientContext c;
    v1::CheckInRequest r;
    r.set_service_order(theirs);
    r.set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
    expect_hidden(visits->CheckIn(&c, r, &out), "CheckIn");
  }
  {
    grpc::ClientContext c;
    v1::RecordDiagnosisRequest r;
    r.set_service_order(theirs);
    r.mutable_diagnosis()->set_summary("x");
    expect_hidden(visits->RecordDiagnosis(&c, r, &out), "RecordDiagnosis");
  }
  {
    grpc::ClientContext c;
    v1::RequestEscalationRequest r;
    r.set_service_order(theirs);
    r.set_phone_used(v1::Escalation::PHONE_USED_SUBSCRIBER_LINE);
    expect_hidden(visits->RequestEscalation(&c, r, &out), "RequestEscalation");
  }
  {
    grpc::ClientContext c;
    v1::RecordHandOverRequest r;
    r.set_service_order(theirs);
    expect_hidden(visits->RecordHandOver(&c, r, &out), "RecordHandOver");
  }
  {
    grpc::ClientContext c;
    v1::RecordOutcomeRequest r;
    r.set_service_order(theirs);
    r.mutable_outcome()->set_result(v1::Outcome::RESULT_NOT_RESOLVED);
    r.mutable_outcome()->set_reason_category(v1::Outcome::REASON_CATEGORY_SUBSCRIBER_ABSENT);
    r.mutable_outcome()->set_reason_text("Nadie en casa");
    r.mutable_outcome()->set_problem("p");
    r.mutable_outcome()->set_diagnosis("d");
    r.mutable_outcome()->set_actions_performed("a");
    expect_hidden(visits->RecordOutcome(&c, r, &out), "RecordOutcome");
  }
  {
    grpc::ClientContext c;
    v1::CaptureSignatureRequest r;
    r.set_service_order(theirs);
    r.mutable_signature()->set_refused(true);
    r.mutable_signature()->set_refusal_reason("no quiso");
    expect_hidden(visits->CaptureSignature(&c, r, &out), "CaptureSignature");
  }
  {
    grpc::ClientContext c;
    v1::CompleteVisitRequest r;
    r.set_service_order(theirs);
    expect_hidden(visits->CompleteVisit(&c, r, &out), "CompleteVisit");
  }
  {
    grpc::ClientContext c;
    v1::RenderScriptRequest r;
    r.set_service_order(theirs);
    r.set_script(v1::RenderScriptRequest::SCRIPT_GREETING);
    v1::RenderScriptResponse text;
    expect_hidden(visits->RenderScript(&c, r, &text), "RenderScript");
  }
  {
    grpc::ClientContext c;
    v1::GetVisitReportRequest r;
    r.set_name(theirs + "/visitReport");
    v1::VisitReport report;
    expect_hidden(reports->GetVisitReport(&c, r, &report), "GetVisitReport");
  }
  {
    grpc::ClientContext c;
    v1::GetVisitReportDocumentRequest r;
    r.set_name(theirs + "/visitReport/document");
    v1::VisitReportDocument document;
    expect_hidden(reports->GetVisitReportDocument(&c, r, &document), "GetVisitReportDocument");
  }
  // The same calls on their own order get past the object check.
  {
    grpc::ClientContext c;
    v1::GetServiceOrderRequest r;
    r.set_name(mine);
    EXPECT_TRUE(orders->GetServiceOrder(&c, r, &out).ok());
  }
  {
    grpc::ClientContext c;
    v1::RenderScriptRequest r;
    r.set_service_order(mine);
    r.set_script(v1::RenderScriptRequest::SCRIPT_GREETING);
    v1::RenderScriptResponse text;
    EXPECT_TRUE(visits->RenderScript(&c, r, &text).ok());
  }
  // Lists show only their own orders, whatever filter is asked for.
  auto names = [&](const v1::ListServiceOrdersRequest& request) {
    grpc::ClientContext c;
    v1::ListServiceOrdersResponse response;
    EXPECT_TRUE(orders->ListServiceOrders(&c, request, &response).ok());
    std::set<std::string> found;
    for (const auto& o : response.service_orders()) found.insert(o.name());
    return found;
  };
  EXPECT_EQ(names({}), std::set<std::string>{mine});
  v1::ListServiceOrdersRequest other;
  other.set_technician("technicians/tech-b");
  EXPECT_TRUE(names(other).empty());
  // And technician B sees exactly the other one.
  auto as_b = v1::ServiceOrderService::NewStub(TokenChannel(Target(), technician_b_));
  grpc::ClientContext c;
  v1::ListServiceOrdersResponse response;
  ASSERT_TRUE(as_b->ListServiceOrders(&c, {}, &response).ok());
  ASSERT_EQ(response.service_orders_size(), 1);
  EXPECT_EQ(response.service_orders(0).name(), theirs);
}

TEST_F(AuthTest, ChangesAreAttributedToTheAuthenticatedPrincipalOnly) {
  std::string token = server_->database().Write([&](domain::UnitOfWork& work) {
    domain::Credential wanted;
    wanted.principal = "dot-cabin-7";
    wanted.role = Role::kDotOperator;
    return domain::IssueCredential(work, wanted, {"test", Role::kAdmin, ""}, absl::Now()).token;
  });
  auto stub = v1::ServiceOrderService::NewStub(TokenChannel(Target(), token));
  grpc::ClientContext context;
  context.AddMetadata("x-actor", "somebody-else");  // a client-supplied name counts for nothing
  v1::CreateServiceOrderRequest request;
  *request.mutable_service_order() = ValidOrder();
  request.set_request_id("attributed");
  v1::ServiceOrder created;
  ASSERT_TRUE(stub->CreateServiceOrder(&context, request, &created).ok());
  auto events = EventsOf(created.name());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor(), "dot-cabin-7");
  EXPECT_EQ(events[0].actor_role(), v1::ROLE_DOT_OPERATOR);
}

TEST_F(AuthTest, AdminIssuesListsAndRevokesCredentials) {
  auto admin = v1::CredentialService::NewStub(TokenChannel(Target(), tokens_[Role::kAdmin]));
  v1::CreateCredentialResponse issued;
  {
    grpc::ClientContext c;
    v1::CreateCredentialRequest r;
    r.mutable_credential()->set_principal("dispatch-desk-2");
    r.mutable_credential()->set_role(v1::ROLE_DISPATCHER);
    ASSERT_TRUE(admin->CreateCredential(&c, r, &issued).ok());
  }
  EXPECT_THAT(issued.token(), ::testing::StartsWith("hv_"));
  EXPECT_EQ(issued.credential().role(), v1::ROLE_DISPATCHER);
  // Only the hash is stored.
  std::string stored_hash;
  server_->database().Read([&](domain::UnitOfWork& work) {
    auto c = work.credentials().Find(issued.credential().name().substr(12));
    ASSERT_TRUE(c.has_value());
    stored_hash = c->token_hash;
  });
  EXPECT_NE(stored_hash, issued.token());
  EXPECT_EQ(stored_hash, domain::HashToken(issued.token()));
  // The new token works for its role...
  auto technicians = v1::TechnicianService::NewStub(TokenChannel(Target(), issued.token()));
  {
    grpc::ClientContext c;
    v1::ListTechniciansResponse list;
    EXPECT_TRUE(technicians->ListTechnicians(&c, {}, &list).ok());
  }
  // ...the list never shows tokens...
  {
    grpc::ClientContext c;
    v1::ListCredentialsResponse list;
    ASSERT_TRUE(admin->ListCredentials(&c, {}, &list).ok());
    EXPECT_GE(list.credentials_size(), 6);
    EXPECT_EQ(list.DebugString().find(issued.token()), std::string::npos);
  }
  // ...and stops working at once when revoked.
  {
    grpc::ClientContext c;
    v1::RevokeCredentialRequest r;
    r.set_name(issued.credential().name());
    v1::Credential revoked;
    ASSERT_TRUE(admin->RevokeCredential(&c, r, &revoked).ok());
    EXPECT_TRUE(revoked.has_revoke_time());
  }
  {
    grpc::ClientContext c;
    v1::ListTechniciansResponse list;
    EXPECT_EQ(technicians->ListTechnicians(&c, {}, &list).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
}

TEST_F(AuthTest, BadCredentialRequestsNameTheirFields) {
  auto admin = v1::CredentialService::NewStub(TokenChannel(Target(), tokens_[Role::kAdmin]));
  auto create = [&](const std::string& principal, v1::Role role, const std::string& technician) {
    grpc::ClientContext c;
    v1::CreateCredentialRequest r;
    r.mutable_credential()->set_principal(principal);
    r.mutable_credential()->set_role(role);
    r.mutable_credential()->set_technician(technician);
    v1::CreateCredentialResponse out;
    return admin->CreateCredential(&c, r, &out);
  };
  EXPECT_THAT(ViolatedFields(create("Ana López", v1::ROLE_DOT_OPERATOR, "")),
              ::testing::ElementsAre("credential.principal"));
  EXPECT_THAT(ViolatedFields(create("ok", v1::ROLE_UNSPECIFIED, "")), ::testing::ElementsAre("credential.role"));
  EXPECT_THAT(ViolatedFields(create("ok", v1::ROLE_TECHNICIAN, "")), ::testing::ElementsAre("credential.technician"));
  EXPECT_THAT(ViolatedFields(create("ok", v1::ROLE_DISPATCHER, "technicians/tech-a")),
              ::testing::ElementsAre("credential.technician"));
  EXPECT_EQ(create("ok", v1::ROLE_TECHNICIAN, "technicians/nobody").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AuthTest, OversizedRequestsAndPagesAreRefusedNotCrashing) {
  // Beyond the 4 MiB message limit: refused by gRPC before any handler runs.
  v1::ServiceOrder huge = ValidOrder();
  huge.set_problem_description(std::string(5 * 1024 * 1024, 'x'));
  v1::ServiceOrder out;
  EXPECT_EQ(Create(huge, "too-big", &out).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Within the message limit but beyond a field's: the field is named.
  huge.set_problem_description(std::string(100 * 1024, 'x'));
  grpc::Status status = Create(huge, "too-long", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("service_order.problem_description"));
  // Page sizes are capped, negative ones refused.
  for (int i = 0; i < 3; ++i) CreateOk(ValidOrder(), "page-" + std::to_string(i));
  v1::ListServiceOrdersRequest request;
  request.set_page_size(1000000);
  grpc::ClientContext c1;
  v1::ListServiceOrdersResponse response;
  EXPECT_TRUE(orders_->ListServiceOrders(&c1, request, &response).ok());
  EXPECT_EQ(response.service_orders_size(), 3);
  request.set_page_size(-1);
  grpc::ClientContext c2;
  EXPECT_EQ(orders_->ListServiceOrders(&c2, request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // The server is still serving.
  CreateOk(ValidOrder(), "after-limits");
}

}  // namespace
}  // namespace homevisit::testing
