#include "libs/runtime/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace samrad::runtime {
namespace {

ParsedConfig Parse(std::vector<std::string> args,
                   EventLogBackend backend = EventLogBackend::kEmbedded) {
  args.insert(args.begin(), "samradd");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return ParseServerConfig("samradd", "test", backend, static_cast<int>(argv.size()), argv.data());
}

class ConfigTest : public ::testing::Test {
 protected:
  void TearDown() override {
    unsetenv("SAMRAD_DATA_DIR");
    unsetenv("SAMRAD_LOG_LEVEL");
  }
};

TEST_F(ConfigTest, DefaultsAreTheDocumentedOnes) {
  const auto p = Parse({});
  ASSERT_EQ(p.exit_code, -1);
  EXPECT_EQ(p.config.data_dir, "./var");
  EXPECT_EQ(p.config.grpc_listen, "127.0.0.1:7400");
  EXPECT_EQ(p.config.http_listen, "127.0.0.1:7480");
  EXPECT_EQ(p.config.event_log, EventLogBackend::kEmbedded);
  EXPECT_TRUE(p.config.embedded_sync);
  EXPECT_EQ(p.config.partitions, 1);
}

TEST_F(ConfigTest, FlagsEnvironmentAndFileInThatOrder) {
  const auto dir = std::filesystem::temp_directory_path() / "samrad_config_test";
  std::filesystem::create_directories(dir);
  const auto file = dir / "samradd.toml";
  {
    std::ofstream out(file);
    out << "data-dir = \"/from/file\"\nlog-level = \"warn\"\npartitions = 3\n";
  }
  setenv("SAMRAD_DATA_DIR", "/from/env", 1);
  setenv("SAMRAD_LOG_LEVEL", "debug", 1);

  // The file beats the environment; the environment beats the default.
  auto p = Parse({"--config", file.string()});
  ASSERT_EQ(p.exit_code, -1);
  EXPECT_EQ(p.config.data_dir, "/from/file");
  EXPECT_EQ(p.config.log_level, "warn");
  EXPECT_EQ(p.config.partitions, 3);

  // A flag beats both.
  p = Parse({"--config", file.string(), "--data-dir", "/from/flag"});
  EXPECT_EQ(p.config.data_dir, "/from/flag");

  // Without a file, the environment applies.
  p = Parse({});
  EXPECT_EQ(p.config.data_dir, "/from/env");
  EXPECT_EQ(p.config.log_level, "debug");
  std::filesystem::remove_all(dir);
}

struct BadInput {
  std::vector<std::string> args;
};

TEST_F(ConfigTest, BadInputStopsTheProcess) {
  const BadInput cases[] = {
      {{"--event-log", "postgres"}},   {{"--log-level", "loud"}},
      {{"--partitions", "0"}},         {{"--no-such-flag"}},
      {{"--event-log", "kafka"}},  // without --kafka-brokers
      {{"--grpc-listen", "nonsense"}}, {{"--http-listen", "127.0.0.1:99999"}},
  };
  for (const auto& c : cases) {
    const auto p = Parse(c.args);
    EXPECT_GT(p.exit_code, 0) << c.args.front();
  }
}

TEST_F(ConfigTest, KafkaBackend) {
  const auto p = Parse({"--event-log", "KAFKA", "--kafka-brokers", "127.0.0.1:9092"});
  ASSERT_EQ(p.exit_code, -1);
  EXPECT_EQ(p.config.event_log, EventLogBackend::kKafka);
  EXPECT_EQ(p.config.kafka_brokers, "127.0.0.1:9092");
}

TEST_F(ConfigTest, HelpExitsZero) { EXPECT_EQ(Parse({"--help"}).exit_code, 0); }

}  // namespace
}  // namespace samrad::runtime
