// The real homevisitd configured without a command line: from --config alone, from
// HOMEVISIT_CONFIG alone, and refusing a bad file before it opens anything.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "service/daemon.h"

namespace homevisit::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

bool Connects(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

class HomevisitdConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/homevisitd-config-XXXXXX";
    ASSERT_NE(mkdtemp(name), nullptr);
    dir_ = name;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& file, const std::string& contents) {
    std::string path = (dir_ / file).string();
    std::ofstream(path) << contents;
    return path;
  }
  // Everything a server needs, none of it in the working directory.
  std::string ServingConfig() {
    return "# homevisitd, as a package would install it\n"
           "listen = 127.0.0.1:0\n"
           "db = \"sqlite:" + (dir_ / "homevisit.db").string() + "\"\n"
           "admin-token-file = " + (dir_ / "admin.token").string() + "\n"
           "time_zone = America/Mexico_City\n"
           "demo = true\n";
  }

  std::filesystem::path dir_;
};

TEST_F(HomevisitdConfigTest, ServesFromAConfigFileAlone) {
  std::string config = Write("homevisitd.conf", ServingConfig());
  Daemon daemon({"--config", config});
  int port = daemon.WaitForPort();
  ASSERT_GT(port, 0) << daemon.ReadRest();
  EXPECT_TRUE(Connects(port));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "homevisit.db"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "admin.token"));
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

TEST_F(HomevisitdConfigTest, ServesFromHomevisitConfigAlone) {
  std::string config = Write("homevisitd.conf", ServingConfig());
  setenv("HOMEVISIT_CONFIG", config.c_str(), 1);
  Daemon daemon({});  // the child inherits the variable
  unsetenv("HOMEVISIT_CONFIG");
  int port = daemon.WaitForPort();
  ASSERT_GT(port, 0) << daemon.ReadRest();
  EXPECT_TRUE(Connects(port));
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

TEST_F(HomevisitdConfigTest, ABadLineStopsItBeforeItOpensTheDatabase) {
  std::string config = Write("homevisitd.conf", ServingConfig() + "lisen = 127.0.0.1:1\n");
  Daemon daemon({"--config", config}, /*capture_stderr=*/true);
  std::string output = daemon.ReadRest();
  EXPECT_EQ(daemon.Wait(), 2);
  EXPECT_THAT(output, HasSubstr(config + ":7: unknown setting \"lisen\""));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "homevisit.db"));
}

TEST_F(HomevisitdConfigTest, APasswordFileWithSqliteIsRefused) {
  std::string password = Write("db.password", "never-shown\n");
  std::string config = Write("homevisitd.conf", ServingConfig() + "db_password_file = " + password + "\n");
  Daemon daemon({"--config", config}, /*capture_stderr=*/true);
  std::string output = daemon.ReadRest();
  EXPECT_EQ(daemon.Wait(), 2);
  EXPECT_THAT(output, HasSubstr("db_password_file is for PostgreSQL"));
  EXPECT_THAT(output, Not(HasSubstr("never-shown")));
}

TEST_F(HomevisitdConfigTest, ThePasswordIsNeverPrinted) {
  // Nothing listens on port 1: the connection fails, and what homevisitd says about it must not
  // hold the password.
  std::string password = Write("db.password", "never-shown-either\n");
  Daemon daemon({"--listen", "127.0.0.1:0", "--db", "postgresql://homevisit@127.0.0.1:1/homevisit",
                 "--db_password_file", password, "--admin_token_file", ""},
                /*capture_stderr=*/true);
  std::string output = daemon.ReadRest();
  EXPECT_NE(daemon.Wait(), 0);
  EXPECT_THAT(output, HasSubstr("database"));
  EXPECT_THAT(output, Not(HasSubstr("never-shown-either")));
}

TEST_F(HomevisitdConfigTest, VersionPrintsTheProjectVersion) {
  Daemon daemon({"--version"});
  std::string output = daemon.ReadRest();
  EXPECT_EQ(daemon.Wait(), 0);
  EXPECT_EQ(output, "homevisitd " HOMEVISIT_VERSION "\n");
}

TEST_F(HomevisitdConfigTest, HelpListsTheNewFlags) {
  Daemon daemon({"--help"});
  std::string output = daemon.ReadRest();
  daemon.Wait();
  EXPECT_THAT(output, HasSubstr("--config"));
  EXPECT_THAT(output, HasSubstr("--db_password_file"));
  EXPECT_THAT(output, HasSubstr("--listen"));
  EXPECT_THAT(output, Not(HasSubstr("listening on")));
}

}  // namespace
}  // namespace homevisit::testing
