#ifndef SAMRAD_TESTS_TESTING_TEMP_DIR_H_
#define SAMRAD_TESTS_TESTING_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "gtest/gtest.h"

namespace samrad::testutil {

// A fresh directory under the test's temporary directory, removed with everything in it
// when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "samrad_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern << " failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the directory.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace samrad::testutil

#endif  // SAMRAD_TESTS_TESTING_TEMP_DIR_H_
