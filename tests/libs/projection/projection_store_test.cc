#include "libs/projection/projection_store.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/projection/key_codec.h"
#include "rocksdb/db.h"
#include "tests/testing/temp_dir.h"

namespace samrad::projection {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

const eventlog::TopicPartition kSource{"registry.events.v1", 0};
const eventlog::TopicPartition kOtherSource{"scheduling.events.v1", 3};

std::unique_ptr<ProjectionStore> OpenStore(const std::string& path, int schema_version = 1) {
  absl::StatusOr<std::unique_ptr<ProjectionStore>> store =
      ProjectionStore::Open({.path = path, .schema_version = schema_version});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

std::optional<std::string> MustGet(const ProjectionStore& store, Cf cf, std::string_view key) {
  absl::StatusOr<std::optional<std::string>> value = store.Get(cf, key);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.ok() ? *value : std::nullopt;
}

int64_t MustNextOffset(const ProjectionStore& store, const eventlog::TopicPartition& source) {
  absl::StatusOr<int64_t> next = store.NextOffset(source);
  EXPECT_TRUE(next.ok()) << next.status();
  return next.value_or(-1);
}

std::map<std::string, std::string> Dump(const ProjectionStore& store, Cf cf) {
  std::map<std::string, std::string> out;
  absl::Status s = store.ScanPrefix(cf, "", [&](std::string_view k, std::string_view v) {
    out.emplace(std::string(k), std::string(v));
    return true;
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

// A small deterministic projection: "count" and "sum" in kState, one index entry per
// event. Applying an event twice or skipping one changes the result.
absl::Status CountingEvolve(Transaction& tx, int64_t value) {
  absl::StatusOr<std::optional<std::string>> count = tx.Get(Cf::kState, "count");
  if (!count.ok()) return count.status();
  absl::StatusOr<std::optional<std::string>> sum = tx.Get(Cf::kState, "sum");
  if (!sum.ok()) return sum.status();
  const int64_t new_count = (count->has_value() ? std::stoll(**count) : 0) + 1;
  const int64_t new_sum = (sum->has_value() ? std::stoll(**sum) : 0) + value;
  tx.Put(Cf::kState, "count", std::to_string(new_count));
  tx.Put(Cf::kState, "sum", std::to_string(new_sum));
  tx.Put(Cf::kIndexes, "event/" + keys::EncodeInt64(tx.offset()), std::to_string(value));
  return absl::OkStatus();
}

absl::Status ApplyCounting(ProjectionStore& store, const eventlog::TopicPartition& source,
                           int64_t offset) {
  return store.Apply(source, offset,
                     [offset](Transaction& tx) { return CountingEvolve(tx, offset * 10); });
}

class ProjectionStoreTest : public ::testing::Test {
 protected:
  samrad::testutil::TempDir dir_;
  std::string path_ = dir_.Sub("store");
};

TEST_F(ProjectionStoreTest, CreatesColumnFamilies) {
  {
    std::unique_ptr<ProjectionStore> store = OpenStore(path_);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->open_outcome(), ProjectionStore::OpenOutcome::kCreated);
    EXPECT_FALSE(store->rebuilt());
    EXPECT_EQ(MustNextOffset(*store, kSource), 0);
  }
  std::vector<std::string> families;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path_, &families).ok());
  EXPECT_THAT(families, UnorderedElementsAre("default", "state", "indexes", "offsets", "meta"));
  EXPECT_EQ(CfName(Cf::kState), "state");
  EXPECT_EQ(CfName(Cf::kIndexes), "indexes");
  EXPECT_EQ(CfName(Cf::kOffsets), "offsets");
  EXPECT_EQ(CfName(Cf::kMeta), "meta");
}

TEST_F(ProjectionStoreTest, ApplyWritesStateAndOffsetTogether) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(ApplyCounting(*store, kSource, 0).ok());
  EXPECT_EQ(MustNextOffset(*store, kSource), 1);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "1");
  EXPECT_EQ(MustGet(*store, Cf::kIndexes, "event/" + keys::EncodeInt64(0)), "0");
  ASSERT_TRUE(ApplyCounting(*store, kSource, 1).ok());
  EXPECT_EQ(MustNextOffset(*store, kSource), 2);
  EXPECT_EQ(MustGet(*store, Cf::kState, "sum"), "10");
  // Other sources have offsets of their own.
  EXPECT_EQ(MustNextOffset(*store, kOtherSource), 0);
  ASSERT_TRUE(ApplyCounting(*store, kOtherSource, 0).ok());
  EXPECT_EQ(MustNextOffset(*store, kOtherSource), 1);
  EXPECT_EQ(MustNextOffset(*store, kSource), 2);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "3");
}

// Readers running beside the applier see every apply whole: the state read through a
// ReadView always matches the offset read through the same view.
TEST_F(ProjectionStoreTest, ConcurrentReadersSeeWholeApplies) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  constexpr int64_t kEvents = 3000;
  std::atomic<bool> done{false};
  std::atomic<int64_t> checks{0};
  std::thread reader([&] {
    while (!done.load()) {
      ReadView view = store->NewReadView();
      absl::StatusOr<int64_t> next = view.NextOffset(kSource);
      absl::StatusOr<std::optional<std::string>> count = view.Get(Cf::kState, "count");
      ASSERT_TRUE(next.ok() && count.ok());
      ASSERT_EQ(count->has_value() ? std::stoll(**count) : 0, *next);
      int64_t index_entries = 0;
      ASSERT_TRUE(view.ScanPrefix(Cf::kIndexes, "event/",
                                  [&](std::string_view, std::string_view) {
                                    ++index_entries;
                                    return true;
                                  })
                      .ok());
      ASSERT_EQ(index_entries, *next);
      checks.fetch_add(1);
    }
  });
  for (int64_t offset = 0; offset < kEvents; ++offset) {
    ASSERT_TRUE(ApplyCounting(*store, kSource, offset).ok());
  }
  done.store(true);
  reader.join();
  EXPECT_GT(checks.load(), 0);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), std::to_string(kEvents));
}

TEST_F(ProjectionStoreTest, DuplicatesAreSkippedWithoutCallingMutate) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(ApplyCounting(*store, kSource, 0).ok());
  ASSERT_TRUE(ApplyCounting(*store, kSource, 1).ok());
  int calls = 0;
  for (int64_t offset : {0, 1, 0}) {
    EXPECT_TRUE(store
                    ->Apply(kSource, offset,
                            [&](Transaction& tx) {
                              ++calls;
                              return CountingEvolve(tx, 1000);
                            })
                    .ok());
  }
  EXPECT_EQ(calls, 0);
  absl::StatusOr<int64_t> applied = store->ApplyBatch(kSource, 0, 2, [&](int64_t, Transaction&) {
    ++calls;
    return absl::OkStatus();
  });
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 0);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(MustNextOffset(*store, kSource), 2);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "2");
  EXPECT_EQ(MustGet(*store, Cf::kState, "sum"), "10");
}

TEST_F(ProjectionStoreTest, GapsAreRefused) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  bool called = false;
  absl::Status s = store->Apply(kSource, 1, [&](Transaction&) {
    called = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("gap"));
  EXPECT_FALSE(called);
  ASSERT_TRUE(ApplyCounting(*store, kSource, 0).ok());
  absl::StatusOr<int64_t> applied = store->ApplyBatch(kSource, 2, 3, [&](int64_t, Transaction&) {
    called = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(called);
  EXPECT_EQ(MustNextOffset(*store, kSource), 1);
  EXPECT_EQ(store->Apply(kSource, -1, [](Transaction&) { return absl::OkStatus(); }).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ProjectionStoreTest, FailedMutateWritesNothing) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(ApplyCounting(*store, kSource, 0).ok());
  absl::Status s = store->Apply(kSource, 1, [](Transaction& tx) {
    tx.Put(Cf::kState, "count", "999");
    tx.Put(Cf::kState, "half-done", "x");
    return absl::AbortedError("evolve refused");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(s.message(), HasSubstr("evolve refused"));
  EXPECT_EQ(MustNextOffset(*store, kSource), 1);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "1");
  EXPECT_EQ(MustGet(*store, Cf::kState, "half-done"), std::nullopt);

  // A batch fails as a whole, including the entries before the failing one.
  absl::StatusOr<int64_t> applied =
      store->ApplyBatch(kSource, 1, 3, [](int64_t offset, Transaction& tx) {
        if (offset == 3) return absl::InternalError("boom at 3");
        return CountingEvolve(tx, offset);
      });
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(applied.status().message(), HasSubstr("@3"));
  EXPECT_EQ(MustNextOffset(*store, kSource), 1);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "1");
  EXPECT_EQ(MustGet(*store, Cf::kIndexes, "event/" + keys::EncodeInt64(1)), std::nullopt);
}

TEST_F(ProjectionStoreTest, StoreOwnedColumnFamiliesAreNotWritable) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  for (Cf cf : {Cf::kOffsets, Cf::kMeta}) {
    absl::Status s = store->Apply(kSource, 0, [cf](Transaction& tx) {
      tx.Put(Cf::kState, "k", "v");
      tx.Put(cf, "sneaky", "1");
      return absl::OkStatus();
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    s = store->Apply(kSource, 0, [cf](Transaction& tx) {
      tx.Delete(cf, "schema_version");
      return absl::OkStatus();
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  }
  EXPECT_EQ(MustNextOffset(*store, kSource), 0);
  EXPECT_EQ(MustGet(*store, Cf::kState, "k"), std::nullopt);
}

TEST_F(ProjectionStoreTest, TransactionReadsItsOwnWrites) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Apply(kSource, 0,
                          [](Transaction& tx) {
                            for (const char* key : {"p/a", "p/c", "p/e", "q/z"}) {
                              tx.Put(Cf::kState, key, std::string("db-") + key);
                            }
                            return absl::OkStatus();
                          })
                  .ok());

  ASSERT_TRUE(store
                  ->Apply(kSource, 1,
                          [](Transaction& tx) -> absl::Status {
                            EXPECT_EQ(tx.source(), kSource);
                            EXPECT_EQ(tx.offset(), 1);
                            tx.Put(Cf::kState, "p/b", "tx-b");
                            tx.Put(Cf::kState, "p/c", "tx-c");  // overwrites a committed key
                            tx.Delete(Cf::kState, "p/e");       // hides a committed key
                            tx.Put(Cf::kState, "p/f", "first");
                            tx.Put(Cf::kState, "p/f", "second");   // written twice: seen once
                            tx.Put(Cf::kIndexes, "p/x", "index");  // other column family

                            EXPECT_EQ(*tx.Get(Cf::kState, "p/b"), "tx-b");
                            EXPECT_EQ(*tx.Get(Cf::kState, "p/c"), "tx-c");
                            EXPECT_EQ(*tx.Get(Cf::kState, "p/e"), std::nullopt);
                            EXPECT_EQ(*tx.Get(Cf::kState, "p/a"), "db-p/a");
                            EXPECT_EQ(*tx.Get(Cf::kState, "p/x"), std::nullopt);
                            EXPECT_EQ(*tx.Get(Cf::kIndexes, "p/x"), "index");

                            std::vector<std::pair<std::string, std::string>> seen;
                            absl::Status s = tx.ScanPrefix(
                                Cf::kState, "p/", [&](std::string_view k, std::string_view v) {
                                  seen.emplace_back(k, v);
                                  return true;
                                });
                            EXPECT_TRUE(s.ok()) << s;
                            EXPECT_THAT(seen,
                                        ElementsAre(Pair("p/a", "db-p/a"), Pair("p/b", "tx-b"),
                                                    Pair("p/c", "tx-c"), Pair("p/f", "second")));

                            std::vector<std::string> keys;
                            PrefixIterator it = tx.NewPrefixIterator(Cf::kState, "p/");
                            for (; it.Valid(); it.Next()) keys.emplace_back(it.key());
                            EXPECT_TRUE(it.status().ok());
                            EXPECT_THAT(keys, ElementsAre("p/a", "p/b", "p/c", "p/f"));
                            return absl::OkStatus();
                          })
                  .ok());

  // Outside the transaction, once committed.
  EXPECT_THAT(Dump(*store, Cf::kState),
              ElementsAre(Pair("p/a", "db-p/a"), Pair("p/b", "tx-b"), Pair("p/c", "tx-c"),
                          Pair("p/f", "second"), Pair("q/z", "db-q/z")));

  // Within a batch, an entry sees the writes of the entries before it.
  absl::StatusOr<int64_t> applied = store->ApplyBatch(
      kSource, 2, 5, [](int64_t offset, Transaction& tx) { return CountingEvolve(tx, offset); });
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 5);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "5");
  EXPECT_EQ(MustGet(*store, Cf::kState, "sum"), std::to_string(2 + 3 + 4 + 5 + 6));
  EXPECT_EQ(MustNextOffset(*store, kSource), 7);
}

TEST_F(ProjectionStoreTest, BatchOverlappingTheAppliedPrefixAppliesOnlyTheRest) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  for (int64_t offset = 0; offset < 3; ++offset) {
    ASSERT_TRUE(ApplyCounting(*store, kSource, offset).ok());
  }
  std::vector<int64_t> called;
  absl::StatusOr<int64_t> applied =
      store->ApplyBatch(kSource, 1, 4, [&](int64_t offset, Transaction& tx) {
        called.push_back(offset);
        return CountingEvolve(tx, offset * 10);
      });
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 2);
  EXPECT_THAT(called, ElementsAre(3, 4));
  EXPECT_EQ(MustNextOffset(*store, kSource), 5);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "5");
  EXPECT_EQ(MustGet(*store, Cf::kState, "sum"), "100");
  absl::StatusOr<int64_t> empty =
      store->ApplyBatch(kSource, 5, 0, [](int64_t, Transaction&) { return absl::OkStatus(); });
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, 0);
}

TEST_F(ProjectionStoreTest, PrefixScansVisitExactlyThePrefixInOrder) {
  using namespace std::string_literals;
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  const std::vector<std::string> keys = {"a"s,    "a/1"s,      "a/2"s,      "a0"s, "b"s,     "b/1"s,
                                         "\xff"s, "\xff\x01"s, "\xff\xff"s, "\0"s, "a/\xff"s};
  ASSERT_TRUE(store
                  ->Apply(kSource, 0,
                          [&](Transaction& tx) {
                            for (const std::string& key : keys) tx.Put(Cf::kIndexes, key, key);
                            return absl::OkStatus();
                          })
                  .ok());
  auto scan = [&](const std::string& prefix) {
    std::vector<std::string> seen;
    EXPECT_TRUE(store
                    ->ScanPrefix(Cf::kIndexes, prefix,
                                 [&](std::string_view k, std::string_view v) {
                                   EXPECT_EQ(k, v);
                                   seen.emplace_back(k);
                                   return true;
                                 })
                    .ok());
    return seen;
  };
  EXPECT_THAT(scan("a/"), ElementsAre("a/1", "a/2", "a/\xff"s));
  EXPECT_THAT(scan("a"), ElementsAre("a", "a/1", "a/2", "a/\xff"s, "a0"));
  EXPECT_THAT(scan("\xff"s), ElementsAre("\xff"s, "\xff\x01"s, "\xff\xff"s));
  EXPECT_THAT(scan("\xff\xff"s), ElementsAre("\xff\xff"s));
  EXPECT_THAT(scan("c"), ElementsAre());
  EXPECT_EQ(scan("").size(), keys.size());
  EXPECT_THAT(scan("\0"s), ElementsAre("\0"s));
  // The state column family holds none of them.
  EXPECT_TRUE(Dump(*store, Cf::kState).empty());

  // Stopping early.
  std::vector<std::string> first_two;
  ASSERT_TRUE(store
                  ->ScanPrefix(Cf::kIndexes, "",
                               [&](std::string_view k, std::string_view) {
                                 first_two.emplace_back(k);
                                 return first_two.size() < 2;
                               })
                  .ok());
  EXPECT_THAT(first_two, ElementsAre("\0"s, "a"));

  // The iterator form.
  std::vector<std::string> seen;
  PrefixIterator it = store->NewPrefixIterator(Cf::kIndexes, "b");
  for (; it.Valid(); it.Next()) seen.emplace_back(it.key());
  EXPECT_TRUE(it.status().ok());
  EXPECT_THAT(seen, ElementsAre("b", "b/1"));
}

TEST_F(ProjectionStoreTest, SeekResumesAWalkInsideThePrefix) {
  using namespace std::string_literals;
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  const std::vector<std::string> keys = {"a"s,   "a/1"s,  "a/2"s,      "a/3"s,      "a0"s,
                                         "b/1"s, "\xff"s, "\xff\x01"s, "\xff\xff"s, "a/\xff"s};
  ASSERT_TRUE(store
                  ->Apply(kSource, 0,
                          [&](Transaction& tx) {
                            for (const std::string& key : keys) tx.Put(Cf::kIndexes, key, key);
                            return absl::OkStatus();
                          })
                  .ok());
  struct Case {
    std::string prefix;
    std::string target;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"a/", "a/2", {"a/2", "a/3", "a/\xff"s}},               // an existing key: it is included
      {"a/", "a/20", {"a/3", "a/\xff"s}},                     // between keys: the next one
      {"a/", "", {"a/1", "a/2", "a/3", "a/\xff"s}},           // below the prefix: its first key
      {"a/", "0", {"a/1", "a/2", "a/3", "a/\xff"s}},          // below, and shorter
      {"a/", "a/\xff"s, {"a/\xff"s}},                         // the last key
      {"a/", "a/\xff\x00"s, {}},                              // past the last key
      {"a/", "a0", {}},                                       // past the prefix
      {"a/", "z", {}},                                        // far past it
      {"\xff"s, "\xff\x01"s, {"\xff\x01"s, "\xff\xff"s}},     // a prefix with no successor
      {"", "b", {"b/1", "\xff"s, "\xff\x01"s, "\xff\xff"s}},  // the empty prefix
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat("prefix ", absl::CHexEscape(c.prefix), " target ",
                              absl::CHexEscape(c.target)));
    auto walk = [&](PrefixIterator it) {
      std::vector<std::string> seen;
      it.Seek(c.target);
      for (; it.Valid(); it.Next()) seen.emplace_back(it.key());
      EXPECT_TRUE(it.status().ok());
      return seen;
    };
    EXPECT_EQ(walk(store->NewPrefixIterator(Cf::kIndexes, c.prefix)), c.expected);
    EXPECT_EQ(walk(store->NewReadView().NewPrefixIterator(Cf::kIndexes, c.prefix)), c.expected);
    // Inside an apply the iterator merges the transaction's own writes, and seeks the same.
    ASSERT_TRUE(store
                    ->Apply(kSource, MustNextOffset(*store, kSource),
                            [&](Transaction& tx) {
                              EXPECT_EQ(walk(tx.NewPrefixIterator(Cf::kIndexes, c.prefix)),
                                        c.expected);
                              return absl::OkStatus();
                            })
                    .ok());
  }
}

TEST_F(ProjectionStoreTest, ReadViewIsAConsistentSnapshot) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(ApplyCounting(*store, kSource, 0).ok());
  ReadView view = store->NewReadView();
  ASSERT_TRUE(ApplyCounting(*store, kSource, 1).ok());
  ASSERT_TRUE(ApplyCounting(*store, kSource, 2).ok());

  EXPECT_EQ(*view.NextOffset(kSource), 1);
  EXPECT_EQ(**view.Get(Cf::kState, "count"), "1");
  int index_entries = 0;
  ASSERT_TRUE(view.ScanPrefix(Cf::kIndexes, "event/",
                              [&](std::string_view, std::string_view) {
                                ++index_entries;
                                return true;
                              })
                  .ok());
  EXPECT_EQ(index_entries, 1);
  int iterated = 0;
  for (PrefixIterator it = view.NewPrefixIterator(Cf::kIndexes, "event/"); it.Valid(); it.Next()) {
    ++iterated;
  }
  EXPECT_EQ(iterated, 1);

  ReadView later = store->NewReadView();
  EXPECT_EQ(*later.NextOffset(kSource), 3);
  EXPECT_EQ(**later.Get(Cf::kState, "count"), "3");
  // Views are movable.
  ReadView moved = std::move(view);
  EXPECT_EQ(*moved.NextOffset(kSource), 1);
}

TEST_F(ProjectionStoreTest, ReopenResumesFromTheStoredOffset) {
  {
    std::unique_ptr<ProjectionStore> store = OpenStore(path_);
    ASSERT_NE(store, nullptr);
    for (int64_t offset = 0; offset < 5; ++offset) {
      ASSERT_TRUE(ApplyCounting(*store, kSource, offset).ok());
    }
  }
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->open_outcome(), ProjectionStore::OpenOutcome::kResumed);
  EXPECT_FALSE(store->rebuilt());
  EXPECT_EQ(MustNextOffset(*store, kSource), 5);
  EXPECT_TRUE(ApplyCounting(*store, kSource, 3).ok());  // a redelivery: skipped
  EXPECT_EQ(ApplyCounting(*store, kSource, 6).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ApplyCounting(*store, kSource, 5).ok());
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "6");
  EXPECT_EQ(MustGet(*store, Cf::kState, "sum"), std::to_string(10 * (0 + 1 + 2 + 3 + 4 + 5)));
}

TEST_F(ProjectionStoreTest, SchemaVersionChangeWipesTheStore) {
  {
    std::unique_ptr<ProjectionStore> store = OpenStore(path_, /*schema_version=*/1);
    ASSERT_NE(store, nullptr);
    for (int64_t offset = 0; offset < 4; ++offset) {
      ASSERT_TRUE(ApplyCounting(*store, kSource, offset).ok());
      ASSERT_TRUE(ApplyCounting(*store, kOtherSource, offset).ok());
    }
  }
  {
    std::unique_ptr<ProjectionStore> store = OpenStore(path_, /*schema_version=*/1);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->open_outcome(), ProjectionStore::OpenOutcome::kResumed);
    EXPECT_EQ(MustNextOffset(*store, kSource), 4);
  }
  {
    std::unique_ptr<ProjectionStore> store = OpenStore(path_, /*schema_version=*/2);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->open_outcome(), ProjectionStore::OpenOutcome::kRebuilt);
    EXPECT_TRUE(store->rebuilt());
    EXPECT_EQ(store->schema_version(), 2);
    EXPECT_EQ(MustNextOffset(*store, kSource), 0);
    EXPECT_EQ(MustNextOffset(*store, kOtherSource), 0);
    EXPECT_TRUE(Dump(*store, Cf::kState).empty());
    EXPECT_TRUE(Dump(*store, Cf::kIndexes).empty());
    EXPECT_TRUE(Dump(*store, Cf::kOffsets).empty());
    EXPECT_THAT(Dump(*store, Cf::kMeta), ElementsAre(Pair("schema_version", "2")));
    ASSERT_TRUE(ApplyCounting(*store, kSource, 0).ok());
  }
  std::unique_ptr<ProjectionStore> store = OpenStore(path_, /*schema_version=*/2);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->open_outcome(), ProjectionStore::OpenOutcome::kResumed);
  EXPECT_EQ(MustNextOffset(*store, kSource), 1);
  EXPECT_EQ(MustGet(*store, Cf::kState, "count"), "1");
}

TEST_F(ProjectionStoreTest, WipeThenRebuildReproducesTheState) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  for (int64_t offset = 0; offset < 50; ++offset) {
    ASSERT_TRUE(ApplyCounting(*store, kSource, offset).ok());
    if (offset % 2 == 0) {
      ASSERT_TRUE(ApplyCounting(*store, kOtherSource, offset / 2).ok());
    }
  }
  const auto state = Dump(*store, Cf::kState);
  const auto indexes = Dump(*store, Cf::kIndexes);
  const auto offsets = Dump(*store, Cf::kOffsets);
  ASSERT_EQ(offsets.size(), 2u);

  std::optional<ReadView> before = store->NewReadView();
  ASSERT_TRUE(store->Wipe().ok());
  EXPECT_EQ(MustNextOffset(*store, kSource), 0);
  EXPECT_EQ(MustNextOffset(*store, kOtherSource), 0);
  EXPECT_TRUE(Dump(*store, Cf::kState).empty());
  EXPECT_TRUE(Dump(*store, Cf::kIndexes).empty());
  EXPECT_TRUE(Dump(*store, Cf::kOffsets).empty());
  EXPECT_THAT(Dump(*store, Cf::kMeta), ElementsAre(Pair("schema_version", "1")));
  // A view taken before the wipe still sees the old data.
  EXPECT_EQ(*before->NextOffset(kSource), 50);

  for (int64_t offset = 0; offset < 50; ++offset) {
    ASSERT_TRUE(ApplyCounting(*store, kSource, offset).ok());
    if (offset % 2 == 0) {
      ASSERT_TRUE(ApplyCounting(*store, kOtherSource, offset / 2).ok());
    }
  }
  EXPECT_EQ(Dump(*store, Cf::kState), state);
  EXPECT_EQ(Dump(*store, Cf::kIndexes), indexes);
  EXPECT_EQ(Dump(*store, Cf::kOffsets), offsets);

  // Wiping an empty store works too, and survives a reopen.
  ASSERT_TRUE(store->Wipe().ok());
  ASSERT_TRUE(store->Wipe().ok());
  before.reset();  // views must go before the store
  store.reset();
  store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->open_outcome(), ProjectionStore::OpenOutcome::kResumed);
  EXPECT_EQ(MustNextOffset(*store, kSource), 0);
  EXPECT_TRUE(Dump(*store, Cf::kState).empty());
}

TEST_F(ProjectionStoreTest, OpenFailsWhileAnotherStoreHoldsThePath) {
  std::unique_ptr<ProjectionStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::unique_ptr<ProjectionStore>> second = ProjectionStore::Open({.path = path_});
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(ProjectionStore::Open({.path = ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace samrad::projection
