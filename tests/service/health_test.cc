// grpc.health.v1 answers SERVING. Called through the generic stub with hand-encoded bytes,
// since Debian ships no C++ stubs for the health proto.
#include <grpcpp/generic/generic_stub.h>

#include <future>
#include <string>
#include <vector>

#include "health/v1/health.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

class HealthTest : public ServiceTest {
 protected:
  int Check(const std::string& service, grpc::Status* status) { return HealthStatus(channel_, service, status); }
};

TEST_F(HealthTest, EveryServiceAnswersByItsNameAndUnknownNamesAreNotFound) {
  for (const char* service : {"homevisit.v1.ServiceOrderService", "homevisit.v1.EventService",
                              "homevisit.v1.TechnicianService", "homevisit.v1.SchedulingService",
                              "homevisit.v1.VisitService", "homevisit.v1.VisitReportService",
                              "homevisit.v1.CredentialService", "homevisit.v1.ReportingService"}) {
    grpc::Status status;
    EXPECT_EQ(Check(service, &status), grpc::health::v1::HealthCheckResponse::SERVING) << service;
    EXPECT_TRUE(status.ok()) << service << ": " << status.error_message();
  }
  grpc::Status status;
  EXPECT_EQ(Check("homevisit.v1.NoSuchService", &status), -1);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  // Reflection can describe the health service (its messages are in the server's pool).
  EXPECT_NE(google::protobuf::DescriptorPool::generated_pool()->FindServiceByName("grpc.health.v1.Health"), nullptr);
}

TEST_F(HealthTest, OverallHealthIsServing) {
  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  grpc::Slice empty("");  // HealthCheckRequest{service: ""} encodes to zero bytes
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) { done.set_value(status); });
  grpc::Status status = done.get_future().get();
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));  // field 1 (status) = SERVING
}

}  // namespace
}  // namespace homevisit::testing
