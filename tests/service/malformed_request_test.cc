// Requests whose bytes do not decode answer INVALID_ARGUMENT with reason MALFORMED_REQUEST
// (gRPC's own answer would be UNIMPLEMENTED with an empty message), for unary and streaming
// methods alike, while unknown methods still answer UNIMPLEMENTED.
#include <grpcpp/generic/generic_stub.h>

#include <future>
#include <string>

#include "test_server.h"

namespace homevisit::testing {
namespace {

class MalformedRequestTest : public ServiceTest {
 protected:
  // Sends `bytes` as the request of `method` and returns the status.
  grpc::Status CallRaw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
  }
};

// Field 1 (a string) holding the bytes FF FE, which are not UTF-8.
const std::string kInvalidUtf8Name("\x0a\x02\xff\xfe", 4);

TEST_F(MalformedRequestTest, InvalidUtf8InAStringFieldIsInvalidArgumentNamingTheRequest) {
  grpc::Status status = CallRaw("/homevisit.v1.ServiceOrderService/GetServiceOrder", kInvalidUtf8Name);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ErrorReason(status), "MALFORMED_REQUEST");
  EXPECT_NE(status.error_message().find("homevisit.v1.GetServiceOrderRequest"), std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("UTF-8"), std::string::npos);
}

TEST_F(MalformedRequestTest, ATruncatedEncodingIsInvalidArgumentToo) {
  // Field 1 claims 100 bytes and carries 3.
  grpc::Status status =
      CallRaw("/homevisit.v1.ServiceOrderService/CreateServiceOrder", std::string("\x0a\x64\x61\x62\x63", 5));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ErrorReason(status), "MALFORMED_REQUEST");
}

TEST_F(MalformedRequestTest, AStreamingMethodAnswersTheSame) {
  v1::WatchEventsRequest valid;
  valid.set_from_beginning(true);
  // A valid request with an invalid-UTF-8 service_order appended (field 1).
  std::string bytes = valid.SerializeAsString() + kInvalidUtf8Name;
  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&context, "/homevisit.v1.EventService/WatchEvents", &cq);
  void* tag = nullptr;
  bool ok = false;
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  EXPECT_FALSE(ok) << "no event may be streamed for a request that does not decode";
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(4));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ErrorReason(status), "MALFORMED_REQUEST");
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST_F(MalformedRequestTest, WellFormedRequestsAndUnknownMethodsAreUnaffected) {
  v1::GetServiceOrderRequest missing;
  missing.set_name("serviceOrders/does-not-exist");
  EXPECT_EQ(CallRaw("/homevisit.v1.ServiceOrderService/GetServiceOrder", missing.SerializeAsString()).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::Status unknown = CallRaw("/homevisit.v1.ServiceOrderService/NoSuchMethod", "");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  // The server keeps serving after malformed requests.
  CallRaw("/homevisit.v1.ServiceOrderService/GetServiceOrder", kInvalidUtf8Name);
  CreateOk(ValidOrder(), "after-malformed");
}

}  // namespace
}  // namespace homevisit::testing
