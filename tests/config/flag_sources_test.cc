// Flags from a config file, the environment and the command line: command line > environment >
// config file > default. The flags here stand in for homevisitd's (they share its names); the
// environment and the files are maps, so nothing outside the test is read.
#include "config/flag_sources.h"

#include <gmock/gmock.h>

#include <map>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "test stand-in");
ABSL_FLAG(std::string, db, "sqlite:homevisit.db", "test stand-in");
ABSL_FLAG(std::string, time_zone, "America/Mexico_City", "test stand-in");
ABSL_FLAG(bool, demo, false, "test stand-in");
ABSL_FLAG(int, workers, 0, "test stand-in");
ABSL_FLAG(std::string, config, "", "test stand-in");

namespace homevisit::config {
namespace {

using ::testing::HasSubstr;

class LoadFlagsTest : public ::testing::Test {
 protected:
  // Runs LoadFlags on `args` (the program name is added) with env_ and files_.
  absl::Status Load(std::vector<std::string> args = {}) {
    args.insert(args.begin(), "homevisitd");
    FlagSources sources;
    sources.is_ours = [](const absl::CommandLineFlag& flag) {
      return absl::EndsWith(flag.Filename(), "flag_sources_test.cc");
    };
    sources.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto found = env_.find(name);
      if (found == env_.end()) return std::nullopt;
      return found->second;
    };
    sources.read_file = [this](const std::string& path) -> absl::StatusOr<std::string> {
      auto found = files_.find(path);
      if (found == files_.end()) return absl::NotFoundError("No such file or directory");
      return found->second;
    };
    return LoadFlags(args, sources);
  }

  absl::FlagSaver saver_;  // every test starts from the defaults
  std::map<std::string, std::string> env_;
  std::map<std::string, std::string> files_;
};

TEST_F(LoadFlagsTest, NothingGivenKeepsTheDefaults) {
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "127.0.0.1:50051");
  EXPECT_EQ(absl::GetFlag(FLAGS_db), "sqlite:homevisit.db");
  EXPECT_FALSE(absl::GetFlag(FLAGS_demo));
  EXPECT_EQ(absl::GetFlag(FLAGS_workers), 0);
}

TEST_F(LoadFlagsTest, TheConfigFileSetsFlags) {
  files_["/etc/hv.conf"] =
      "# homevisitd\n"
      "\n"
      "   # an indented comment\n"
      "listen=0.0.0.0:6000\n"
      "  db   =   sqlite:/var/lib/homevisit/hv.db   \n"
      "time-zone = America/Monterrey\r\n"  // dashes for underscores; a CRLF line
      "demo = true\n"
      "workers = 12";  // no newline at the end
  ASSERT_TRUE(Load({"--config", "/etc/hv.conf"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "0.0.0.0:6000");
  EXPECT_EQ(absl::GetFlag(FLAGS_db), "sqlite:/var/lib/homevisit/hv.db");
  EXPECT_EQ(absl::GetFlag(FLAGS_time_zone), "America/Monterrey");
  EXPECT_TRUE(absl::GetFlag(FLAGS_demo));
  EXPECT_EQ(absl::GetFlag(FLAGS_workers), 12);
}

TEST_F(LoadFlagsTest, QuotedValuesLoseTheirQuotesAndKeepTheRest) {
  files_["hv.conf"] =
      "db = \"sqlite:/srv/home visit/hv.db\"\n"  // inner spaces kept
      "listen = \"  127.0.0.1:7000\"\n"          // so is leading whitespace inside the quotes
      "time_zone = \"#not a comment\"\n";
  ASSERT_TRUE(Load({"--config=hv.conf"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_db), "sqlite:/srv/home visit/hv.db");
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "  127.0.0.1:7000");
  EXPECT_EQ(absl::GetFlag(FLAGS_time_zone), "#not a comment");

  files_["empty.conf"] = "db = \"\"\n";
  ASSERT_TRUE(Load({"--config=empty.conf"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_db), "");
}

TEST_F(LoadFlagsTest, AValueMayHoldEqualsSigns) {
  files_["hv.conf"] = "db = postgresql://hv@db.example/homevisit?sslmode=require\n";
  ASSERT_TRUE(Load({"--config", "hv.conf"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_db), "postgresql://hv@db.example/homevisit?sslmode=require");
}

TEST_F(LoadFlagsTest, BooleansTakeWhatAbslTakes) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, bool>>{
           {"true", true}, {"false", false}, {"1", true}, {"0", false}, {"yes", true}, {"no", false}}) {
    files_["hv.conf"] = "demo = " + text + "\n";
    ASSERT_TRUE(Load({"--config", "hv.conf"}).ok()) << text;
    EXPECT_EQ(absl::GetFlag(FLAGS_demo), expected) << text;
  }
}

TEST_F(LoadFlagsTest, TheEnvironmentSetsFlags) {
  env_["HOMEVISIT_LISTEN"] = "127.0.0.1:0";
  env_["HOMEVISIT_DB"] = "sqlite:/tmp/env.db";
  env_["HOMEVISIT_DEMO"] = "true";
  env_["HOMEVISIT_TIME_ZONE"] = "UTC";
  env_["HOMEVISIT_TOKEN"] = "a client's variable, not a flag of ours: ignored";
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "127.0.0.1:0");
  EXPECT_EQ(absl::GetFlag(FLAGS_db), "sqlite:/tmp/env.db");
  EXPECT_TRUE(absl::GetFlag(FLAGS_demo));
  EXPECT_EQ(absl::GetFlag(FLAGS_time_zone), "UTC");
}

TEST_F(LoadFlagsTest, TheEnvironmentBeatsTheConfigFile) {
  files_["hv.conf"] = "listen = 10.0.0.1:1\ndb = sqlite:file.db\ndemo = true\n";
  env_["HOMEVISIT_LISTEN"] = "10.0.0.2:2";
  env_["HOMEVISIT_DEMO"] = "false";
  ASSERT_TRUE(Load({"--config", "hv.conf"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "10.0.0.2:2");
  EXPECT_FALSE(absl::GetFlag(FLAGS_demo));
  EXPECT_EQ(absl::GetFlag(FLAGS_db), "sqlite:file.db");  // the file still sets what the environment does not
}

TEST_F(LoadFlagsTest, TheCommandLineBeatsTheEnvironment) {
  env_["HOMEVISIT_LISTEN"] = "10.0.0.2:2";
  env_["HOMEVISIT_WORKERS"] = "7";
  ASSERT_TRUE(Load({"--listen", "10.0.0.3:3"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "10.0.0.3:3");
  EXPECT_EQ(absl::GetFlag(FLAGS_workers), 7);
}

TEST_F(LoadFlagsTest, TheCommandLineBeatsTheConfigFile) {
  files_["hv.conf"] = "listen = 10.0.0.1:1\nworkers = 5\n";
  ASSERT_TRUE(Load({"--config", "hv.conf", "--workers=9"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_workers), 9);
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "10.0.0.1:1");
}

TEST_F(LoadFlagsTest, TheCommandLineWinsAllThreeAtOnce) {
  files_["hv.conf"] = "listen = file:1\n";
  env_["HOMEVISIT_LISTEN"] = "env:2";
  ASSERT_TRUE(Load({"--config", "hv.conf", "--listen=cli:3"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "cli:3");
  ASSERT_TRUE(Load({"--config", "hv.conf"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "env:2");
}

TEST_F(LoadFlagsTest, ACommandLineValueEqualToTheDefaultStillWins) {
  files_["hv.conf"] = "demo = true\n";
  env_["HOMEVISIT_TIME_ZONE"] = "UTC";
  ASSERT_TRUE(Load({"--config", "hv.conf", "--nodemo", "--time-zone=America/Mexico_City"}).ok());
  EXPECT_FALSE(absl::GetFlag(FLAGS_demo));
  EXPECT_EQ(absl::GetFlag(FLAGS_time_zone), "America/Mexico_City");
  ASSERT_TRUE(Load({"--config", "hv.conf", "--demo=false"}).ok());
  EXPECT_FALSE(absl::GetFlag(FLAGS_demo));
}

TEST_F(LoadFlagsTest, HomevisitConfigNamesTheFile) {
  files_["/etc/homevisit/homevisitd.conf"] = "listen = 127.0.0.1:0\n";
  env_["HOMEVISIT_CONFIG"] = "/etc/homevisit/homevisitd.conf";
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "127.0.0.1:0");
}

TEST_F(LoadFlagsTest, DashConfigBeatsHomevisitConfig) {
  files_["env.conf"] = "listen = from-env-file:1\n";
  files_["cli.conf"] = "listen = from-cli-file:2\n";
  env_["HOMEVISIT_CONFIG"] = "env.conf";
  ASSERT_TRUE(Load({"--config", "cli.conf"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "from-cli-file:2");
}

TEST_F(LoadFlagsTest, AnUnknownNameIsAnErrorWithFileAndLine) {
  files_["/etc/hv.conf"] = "# first\nlisten = 127.0.0.1:0\nlisen = 127.0.0.1:1\n";
  absl::Status status = Load({"--config", "/etc/hv.conf"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "/etc/hv.conf:3: unknown setting \"lisen\"");
}

TEST_F(LoadFlagsTest, OnlyOurFlagsMayBeSet) {
  // absl's own flags (and gRPC's, and the test framework's) are not settings.
  files_["hv.conf"] = "flagfile = /etc/passwd\n";
  absl::Status status = Load({"--config", "hv.conf"});
  EXPECT_EQ(status.message(), "hv.conf:1: unknown setting \"flagfile\"");
  files_["hv.conf"] = "config = other.conf\n";
  status = Load({"--config", "hv.conf"});
  EXPECT_EQ(status.message(), "hv.conf:1: config cannot be set in a config file");
}

TEST_F(LoadFlagsTest, ALineWithoutEqualsIsAnError) {
  files_["hv.conf"] = "listen = 127.0.0.1:0\n\ndemo\n";
  EXPECT_EQ(Load({"--config", "hv.conf"}).message(), "hv.conf:3: expected name = value");
  files_["hv.conf"] = " = value\n";
  EXPECT_EQ(Load({"--config", "hv.conf"}).message(), "hv.conf:1: expected name = value");
}

TEST_F(LoadFlagsTest, AnUnterminatedQuoteIsAnError) {
  files_["hv.conf"] = "db = \"sqlite:a.db\n";
  EXPECT_THAT(Load({"--config", "hv.conf"}).message(), HasSubstr("hv.conf:1: "));
  files_["hv.conf"] = "listen = 1\ndb = \"\n";
  EXPECT_THAT(Load({"--config", "hv.conf"}).message(), HasSubstr("hv.conf:2: "));
}

TEST_F(LoadFlagsTest, ABadValueInTheFileNamesFileAndLine) {
  files_["hv.conf"] = "listen = 127.0.0.1:0\nworkers = many\n";
  absl::Status status = Load({"--config", "hv.conf"});
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("hv.conf:2: "));
  EXPECT_THAT(status.message(), HasSubstr("workers"));
  files_["hv.conf"] = "demo = maybe\n";
  EXPECT_THAT(Load({"--config", "hv.conf"}).message(), HasSubstr("hv.conf:1: "));
}

TEST_F(LoadFlagsTest, ABadValueInTheEnvironmentNamesTheVariable) {
  env_["HOMEVISIT_WORKERS"] = "lots";
  absl::Status status = Load();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("HOMEVISIT_WORKERS: "));
  env_.clear();
  env_["HOMEVISIT_DEMO"] = "sometimes";
  EXPECT_THAT(Load().message(), HasSubstr("HOMEVISIT_DEMO: "));
}

TEST_F(LoadFlagsTest, AnUnreadableConfigFileIsAnError) {
  absl::Status status = Load({"--config", "/etc/missing.conf"});
  EXPECT_EQ(status.message(), "cannot read config file /etc/missing.conf: No such file or directory");
  env_["HOMEVISIT_CONFIG"] = "/etc/also-missing.conf";
  EXPECT_THAT(Load().message(), HasSubstr("/etc/also-missing.conf"));
}

TEST_F(LoadFlagsTest, DashesAndUnderscoresAreInterchangeableOnTheCommandLine) {
  ASSERT_TRUE(Load({"--time-zone", "UTC"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_time_zone), "UTC");
}

TEST(ParseConfigFileTest, KeepsLineNumbersAndOrder) {
  absl::StatusOr<std::vector<Setting>> settings =
      ParseConfigFile("x.conf", "# c\n\nlisten = a\n  time-zone=\"b c\"  \nlisten = d\n");
  ASSERT_TRUE(settings.ok()) << settings.status();
  ASSERT_EQ(settings->size(), 3u);
  EXPECT_EQ((*settings)[0].name, "listen");
  EXPECT_EQ((*settings)[0].line, 3);
  EXPECT_EQ((*settings)[1].name, "time_zone");
  EXPECT_EQ((*settings)[1].value, "b c");
  EXPECT_EQ((*settings)[1].line, 4);
  EXPECT_EQ((*settings)[2].value, "d");  // applied in order: the later line wins
}

}  // namespace
}  // namespace homevisit::config
