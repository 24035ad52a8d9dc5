// The first admin and its recovery (issue 14.4): a weak operator token is refused, the last admin
// cannot revoke itself, a lost token has a documented way back, and no path leaves an admin whose
// token was written nowhere.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/credential_commands.h"
#include "domain/errors.h"
#include "domain/tokens.h"
#include "homevisit/v1/credential.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>();
    dir_ = std::filesystem::temp_directory_path() / ("hv-admin-" + UniqueSuffix());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  api::ServerOptions Options(const std::string& token_file) {
    api::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.database.url = db_->url();
    options.database.pool_size = 2;
    options.worker_threads = 2;
    options.admin_token_file = token_file;
    return options;
  }
  std::string File(const std::string& name) const { return (dir_ / name).string(); }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

  bool AnyAdmin() {
    storage::DatabaseOptions options;
    options.url = db_->url();
    options.pool_size = 1;
    return storage::Database::Open(options)->Read(
        [](domain::UnitOfWork& work) { return work.credentials().AnyActiveAdmin(); });
  }

  std::unique_ptr<v1::CredentialService::Stub> AdminStub(const std::string& token) {
    return v1::CredentialService::NewStub(TokenChannel(absl::StrCat("127.0.0.1:", server_->port()), token));
  }
  static grpc::Status List(v1::CredentialService::Stub& stub, v1::ListCredentialsResponse* out) {
    grpc::ClientContext context;
    return stub.ListCredentials(&context, {}, out);
  }
  static grpc::Status Revoke(v1::CredentialService::Stub& stub, const std::string& name) {
    grpc::ClientContext context;
    v1::RevokeCredentialRequest request;
    request.set_name(name);
    v1::Credential out;
    return stub.RevokeCredential(&context, request, &out);
  }

  std::unique_ptr<TestDatabase> db_;
  std::filesystem::path dir_;
  std::unique_ptr<api::Server> server_;
};

TEST_F(AdminTest, AnEmptyOrGuessableOperatorTokenIsRefusedAndCreatesNothing) {
  for (const std::string& weak : {std::string(""), std::string("\n"), std::string("admin"),
                                  std::string("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), std::string("short-but-mixed1")}) {
    Write(File("admin.token"), weak);
    try {
      api::Server::Start(Options(File("admin.token")));
      ADD_FAILURE() << "accepted the admin token '" << weak << "'";
    } catch (const domain::DomainError& e) {
      EXPECT_EQ(e.reason(), "WEAK_ADMIN_TOKEN") << weak;
      EXPECT_THAT(e.what(), ::testing::HasSubstr("128 bits"));
    }
    EXPECT_FALSE(AnyAdmin()) << "an admin was created for '" << weak << "'";
  }
  // A strong operator token is taken as it is.
  std::string strong = "op-7Jq2xV9mK4pL8wZ3nB6tR1yC5";
  Write(File("admin.token"), strong + "\n");
  server_ = api::Server::Start(Options(File("admin.token")));
  v1::ListCredentialsResponse list;
  EXPECT_TRUE(List(*AdminStub(strong), &list).ok());
}

TEST_F(AdminTest, WithoutAFileANewTokenIsWrittenForTheOwnerOnlyAndWorks) {
  server_ = api::Server::Start(Options(File("admin.token")));
  std::string token = Read(File("admin.token"));
  EXPECT_THAT(token, ::testing::StartsWith("hv_"));
  struct stat info {};
  ASSERT_EQ(::stat(File("admin.token").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  v1::ListCredentialsResponse list;
  EXPECT_TRUE(List(*AdminStub(token), &list).ok());
}

TEST_F(AdminTest, TheLastAdminCannotRevokeItself) {
  server_ = api::Server::Start(Options(File("admin.token")));
  auto first = AdminStub(Read(File("admin.token")));
  v1::ListCredentialsResponse list;
  ASSERT_TRUE(List(*first, &list).ok());
  ASSERT_EQ(list.credentials_size(), 1);
  std::string first_name = list.credentials(0).name();
  grpc::Status refused = Revoke(*first, first_name);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(refused), "LAST_ADMIN");

  // With a second admin, one of them may go; then the other is the last.
  v1::CreateCredentialResponse second;
  {
    grpc::ClientContext context;
    v1::CreateCredentialRequest request;
    request.mutable_credential()->set_principal("admin-2");
    request.mutable_credential()->set_role(v1::ROLE_ADMIN);
    ASSERT_TRUE(first->CreateCredential(&context, request, &second).ok());
  }
  auto other = AdminStub(second.token());
  ASSERT_TRUE(Revoke(*other, first_name).ok());
  EXPECT_EQ(ErrorReason(Revoke(*other, second.credential().name())), "LAST_ADMIN");
  EXPECT_TRUE(List(*other, &list).ok());
}

TEST_F(AdminTest, ALostAdminTokenIsRecoveredWithTheResetFile) {
  server_ = api::Server::Start(Options(File("admin.token")));
  std::string old_token = Read(File("admin.token"));
  std::filesystem::remove(File("admin.token"));  // "lost"

  // The reset writes only a file it creates: an existing one is refused and left alone.
  Write(File("exists.token"), "x");
  EXPECT_THROW(api::ResetAdminToken(Options("").database, File("exists.token")), domain::DomainError);
  EXPECT_EQ(Read(File("exists.token")), "x");
  api::ResetAdminToken(Options("").database, File("new.token"));
  std::string new_token = Read(File("new.token"));
  ASSERT_THAT(new_token, ::testing::StartsWith("hv_"));
  v1::ListCredentialsResponse list;
  EXPECT_TRUE(List(*AdminStub(new_token), &list).ok());
  // The old admin token is refused within the credential cache's bound on a running server.
  grpc::StatusCode code = grpc::StatusCode::OK;
  absl::Time until = absl::Now() + absl::Milliseconds(1500);
  while (absl::Now() < until && code == grpc::StatusCode::OK) {
    code = List(*AdminStub(old_token), &list).error_code();
    if (code == grpc::StatusCode::OK) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(code, grpc::StatusCode::UNAUTHENTICATED);

  // A restart with the old token in the file says what is wrong and how to recover.
  server_.reset();
  Write(File("admin.token"), old_token);
  api::ResetAdminToken(Options("").database, File("newer.token"));  // revokes the admin above too
  storage::DatabaseOptions options;
  options.url = db_->url();
  options.pool_size = 1;
  storage::Database::Open(options)->Write([](domain::UnitOfWork& work) {
    // No admin at all: only a direct change of the database gets here.
    for (const auto& id : work.credentials().LockActiveAdmins()) work.credentials().Revoke(id, absl::Now());
  });
  try {
    api::Server::Start(Options(File("admin.token")));
    ADD_FAILURE() << "started with a revoked admin token";
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.reason(), "ADMIN_TOKEN_REVOKED");
    EXPECT_THAT(e.what(), ::testing::HasSubstr("--reset_admin_token_file"));
  }
}

}  // namespace
}  // namespace homevisit::testing
