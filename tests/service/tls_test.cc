// Transport security with certificates made at test time by openssl: TLS, mutual TLS refusing
// clients without a certificate or with one from another authority, and plaintext refused off
// loopback.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "api/loopback.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A CA, a server certificate for localhost/127.0.0.1 and a client certificate signed by it, and
// a second CA with its own client certificate.
class Certificates {
 public:
  Certificates() : dir_(fs::temp_directory_path() / ("homevisit-tls-" + UniqueSuffix())) {
    fs::create_directories(dir_);
    std::string script = absl::StrCat(
        "set -e; cd '", dir_.string(), "'; exec >/dev/null 2>&1\n",
        "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext\n",
        "for ca in ca other-ca; do openssl req -x509 -newkey rsa:2048 -nodes -keyout $ca.key -out $ca.pem ",
        "-days 2 -subj /CN=$ca; done\n",
        "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost\n",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 ",
        "-extfile san.ext\n",
        "for who in client:ca stranger:other-ca; do name=${who%%:*}; ca=${who##*:}; ",
        "openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$name; ",
        "openssl x509 -req -in $name.csr -CA $ca.pem -CAkey $ca.key -CAcreateserial -out $name.pem -days 2; done\n");
    ok_ = std::system(("bash -c \"$(cat <<'SCRIPT'\n" + script + "SCRIPT\n)\"").c_str()) == 0;
  }
  ~Certificates() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string pem(const std::string& name) const { return Slurp(dir_ / name); }

 private:
  fs::path dir_;
  bool ok_ = false;
};

// Health check over `channel`: OK when the handshake (and mutual authentication) succeeded.
grpc::Status Ping(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

std::shared_ptr<grpc::Channel> TlsChannel(int port, const Certificates& certs, const std::string& client = "") {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = certs.pem("ca.pem");
  if (!client.empty()) {
    options.pem_private_key = certs.pem(client + ".key");
    options.pem_cert_chain = certs.pem(client + ".pem");
  }
  return grpc::CreateChannel(absl::StrCat("localhost:", port), grpc::SslCredentials(options));
}

api::ServerOptions TlsServer(const TestDatabase& db, const Certificates& certs, bool mutual) {
  api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.database.url = db.url();
  options.tls.cert_file = certs.path("server.pem");
  options.tls.key_file = certs.path("server.key");
  if (mutual) {
    options.tls.client_ca_file = certs.path("ca.pem");
    options.tls.require_client_cert = true;
  }
  return options;
}

TEST(TlsTest, ServesTlsAndCarriesTokensOverIt) {
  Certificates certs;
  ASSERT_TRUE(certs.ok()) << "openssl failed";
  TestDatabase db;
  auto server = api::Server::Start(TlsServer(db, certs, /*mutual=*/false));
  EXPECT_TRUE(Ping(TlsChannel(server->port(), certs)).ok());
  // A real call with a bearer token over TLS.
  auto stub = v1::ServiceOrderService::NewStub(TlsChannel(server->port(), certs));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + IssueToken(db.url(), domain::Role::kDotOperator));
  v1::ListServiceOrdersResponse response;
  EXPECT_TRUE(stub->ListServiceOrders(&context, {}, &response).ok());
  // A plaintext client cannot talk to it.
  auto plaintext = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->port()), grpc::InsecureChannelCredentials());
  EXPECT_EQ(Ping(plaintext).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(TlsTest, MutualTlsRefusesClientsWithoutACertificateOrFromAnotherAuthority) {
  Certificates certs;
  ASSERT_TRUE(certs.ok()) << "openssl failed";
  TestDatabase db;
  auto server = api::Server::Start(TlsServer(db, certs, /*mutual=*/true));
  EXPECT_TRUE(Ping(TlsChannel(server->port(), certs, "client")).ok());
  EXPECT_FALSE(Ping(TlsChannel(server->port(), certs)).ok()) << "no client certificate";
  EXPECT_FALSE(Ping(TlsChannel(server->port(), certs, "stranger")).ok()) << "certificate of another CA";
}

TEST(TlsTest, PlaintextOffLoopbackNeedsTheExplicitInsecureFlag) {
  TestDatabase db;
  api::ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.database.url = db.url();
  try {
    api::Server::Start(options);
    ADD_FAILURE() << "plaintext on a public address was accepted";
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.reason(), "PLAINTEXT_REFUSED");
  }
  options.allow_insecure = true;
  auto server = api::Server::Start(options);
  EXPECT_GT(server->port(), 0);
}

TEST(TlsTest, LoopbackIsJudgedByTheResolvedAddressNotTheText) {
  EXPECT_TRUE(api::IsLoopbackListen("127.0.0.1:50051"));
  EXPECT_TRUE(api::IsLoopbackListen("127.8.9.10:0"));
  EXPECT_TRUE(api::IsLoopbackListen("[::1]:50051"));
  EXPECT_TRUE(api::IsLoopbackListen("localhost:50051"));
  EXPECT_TRUE(api::IsLoopbackListen("unix:/tmp/homevisit.sock"));
  // Names that merely start like a loopback address resolve elsewhere (or nowhere): refused.
  EXPECT_FALSE(api::IsLoopbackListen("127.x.example.com:50051"));
  EXPECT_FALSE(api::IsLoopbackListen("127.0.0.1.example.invalid:50051"));
  EXPECT_FALSE(api::IsLoopbackListen("0.0.0.0:50051"));
  EXPECT_FALSE(api::IsLoopbackListen("[::]:50051"));
  EXPECT_FALSE(api::IsLoopbackListen(":50051"));
  EXPECT_FALSE(api::IsLoopbackListen("10.1.2.3:50051"));

  TestDatabase db;
  api::ServerOptions options;
  options.listen = "127.x.example.com:0";
  options.database.url = db.url();
  try {
    api::Server::Start(options);
    ADD_FAILURE() << "a host name that only looks like loopback was accepted for plaintext";
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.reason(), "PLAINTEXT_REFUSED");
  }
}

TEST(TlsTest, IncompleteTlsSettingsAreRefused) {
  Certificates certs;
  ASSERT_TRUE(certs.ok());
  TestDatabase db;
  api::ServerOptions options = TlsServer(db, certs, false);
  options.tls.key_file.clear();
  EXPECT_THROW(api::Server::Start(options), domain::DomainError);
  options = TlsServer(db, certs, false);
  options.tls.require_client_cert = true;  // without the CA that signs client certificates
  EXPECT_THROW(api::Server::Start(options), domain::DomainError);
}

}  // namespace
}  // namespace homevisit::testing
