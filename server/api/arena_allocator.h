#pragma once
// One protobuf arena per call for a method's request and response. A list page is hundreds of
// small messages and strings (an order alone has a dozen nested messages): on the heap each is
// a malloc while the page is built and a free after it is sent. On an arena they are carved
// from a few blocks and released together when gRPC is done with the call.
#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

namespace homevisit::api {

template <typename Request, typename Response>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder(); }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options()) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    // gRPC calls this once the call is finished with both messages.
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options() {
      google::protobuf::ArenaOptions options;
      // A 50-order page takes ~100 KiB; the default 8 KiB blocks would take a dozen mallocs.
      options.start_block_size = 4 * 1024;
      options.max_block_size = 64 * 1024;
      return options;
    }
    google::protobuf::Arena arena_;
  };
};

}  // namespace homevisit::api
