// --db_password_file: the password reaches libpq's connection string and no error message.
#include "config/database_password.h"

#include <gmock/gmock.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "storage/dialect.h"

namespace homevisit::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class DatabasePasswordTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::string> Url(const std::string& db, const std::string& password_file) {
    return DatabaseUrlWithPassword(db, password_file, [this](const std::string& path) -> absl::StatusOr<std::string> {
      auto found = files_.find(path);
      if (found == files_.end()) return absl::NotFoundError("No such file or directory");
      return found->second;
    });
  }
  std::map<std::string, std::string> files_;
};

TEST_F(DatabasePasswordTest, NoFileLeavesTheUrlAlone) {
  EXPECT_EQ(*Url("sqlite:hv.db", ""), "sqlite:hv.db");
  EXPECT_EQ(*Url("postgresql://hv:inline@db/homevisit", ""), "postgresql://hv:inline@db/homevisit");
}

TEST_F(DatabasePasswordTest, ThePasswordReachesTheConnectionString) {
  files_["/run/secrets/db"] = "s3cr t'?&\\  \n\n";  // trailing whitespace and newlines go
  absl::StatusOr<std::string> url = Url("postgresql://hv@db.example:5432/homevisit", "/run/secrets/db");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "postgresql://hv@db.example:5432/homevisit?password=s3cr%20t%27%3F%26%5C");
  // What storage hands libpq: keyword=value pairs, quoted and escaped.
  std::string connect = storage::PostgresConnectString(*url);
  EXPECT_THAT(connect, HasSubstr("password='s3cr t\\'?&\\\\'"));
  EXPECT_THAT(connect, HasSubstr("user='hv'"));
  EXPECT_THAT(connect, HasSubstr("dbname='homevisit'"));
}

TEST_F(DatabasePasswordTest, TheFileReplacesAPasswordInTheUrlAndKeepsItsParameters) {
  files_["pw"] = "from-file";
  absl::StatusOr<std::string> url = Url("postgres://hv:from-url@db/homevisit?sslmode=require", "pw");
  ASSERT_TRUE(url.ok()) << url.status();
  std::string connect = storage::PostgresConnectString(*url);
  EXPECT_THAT(connect, HasSubstr("password='from-file'"));
  EXPECT_THAT(connect, Not(HasSubstr("from-url")));
  EXPECT_THAT(connect, HasSubstr("sslmode='require'"));
}

TEST_F(DatabasePasswordTest, AMissingFileIsAnErrorThatQuotesNoSecret) {
  absl::StatusOr<std::string> url = Url("postgresql://hv:url-secret@db/homevisit", "/run/secrets/missing");
  ASSERT_FALSE(url.ok());
  EXPECT_THAT(url.status().message(), HasSubstr("cannot read db_password_file /run/secrets/missing"));
  EXPECT_THAT(url.status().message(), Not(HasSubstr("url-secret")));
}

TEST_F(DatabasePasswordTest, AnEmptyFileIsAnError) {
  files_["pw"] = " \n";
  absl::StatusOr<std::string> url = Url("postgresql://hv@db/homevisit", "pw");
  ASSERT_FALSE(url.ok());
  EXPECT_THAT(url.status().message(), HasSubstr("empty"));
}

TEST_F(DatabasePasswordTest, SqliteWithAPasswordFileIsAnError) {
  files_["pw"] = "secret";
  absl::StatusOr<std::string> url = Url("sqlite:hv.db", "pw");
  ASSERT_FALSE(url.ok());
  EXPECT_THAT(url.status().message(), HasSubstr("db_password_file is for PostgreSQL"));
  EXPECT_THAT(url.status().message(), Not(HasSubstr("secret")));
}

TEST(ReadWholeFileTest, ReadsARealFileAndReportsAMissingOne) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("hv-config-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pw") << "hunter2\n";
  FileReader read = ReadWholeFile();
  absl::StatusOr<std::string> url = DatabaseUrlWithPassword("postgresql://hv@db/x", (dir / "pw").string(), read);
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "postgresql://hv@db/x?password=hunter2");
  EXPECT_FALSE(read((dir / "absent").string()).ok());
  EXPECT_FALSE(read(dir.string()).ok());  // a folder is no file
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace homevisit::config
