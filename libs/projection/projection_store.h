#ifndef SAMRAD_LIBS_PROJECTION_PROJECTION_STORE_H_
#define SAMRAD_LIBS_PROJECTION_PROJECTION_STORE_H_

// The local, rebuildable read model of a service: a RocksDB database that holds a
// projection's state together with the log offsets it has consumed.
//
// The guarantee everything else builds on: applying one event (or one batch of consecutive
// events) writes the state change AND the next offset of its source in ONE atomic RocksDB
// write. After a crash of the process (or of the machine) the store holds the effects of
// exactly the events 0..NextOffset(source)-1 of every source, so resuming from NextOffset
// neither applies an event twice nor skips one. How far back a crash may set NextOffset
// depends on ProjectionStoreOptions::write_ahead_log (by default, to the last flush); that
// the state matches it does not.
//
// Thread-safety: every method is thread-safe. Apply, ApplyBatch and Wipe are serialized by
// an internal mutex: a store may have several appliers (the Projector's source threads, and
// for a service's own topic the command executor's local apply), and whichever applies an
// offset first applies it; the others find it applied and skip it. Reads (Get, ScanPrefix,
// NewPrefixIterator, NewReadView, NextOffset) never block on an apply and may run
// concurrently with it; each apply becomes visible to them atomically. A ReadView sees
// one consistent point in time across several reads. WaitUntilApplied is a read barrier:
// it blocks until an offset of a source has been applied, by whichever applier.

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/eventlog/event_log.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/write_batch_with_index.h"

namespace samrad::projection {

// The column families of a store (RocksDB's mandatory `default` family is unused).
enum class Cf {
  // The projection's state, keyed by the service (e.g. aggregate id → serialized state).
  kState = 0,
  // Secondary indexes of the state (e.g. tenant + start time → meeting id).
  kIndexes = 1,
  // Owned by the store: the next offset to apply per source topic-partition.
  kOffsets = 2,
  // Owned by the store: the schema version.
  kMeta = 3,
};
inline constexpr int kNumCfs = 4;

// The RocksDB name of a column family: "state", "indexes", "offsets" or "meta".
std::string_view CfName(Cf cf);

// Receives one key-value pair of a scan; returns false to stop the scan early.
using ScanFn = absl::FunctionRef<bool(std::string_view key, std::string_view value)>;

class ProjectionStore;

// Walks the keys of one column family that start with a prefix, in ascending key order.
//
//   PrefixIterator it = store.NewPrefixIterator(Cf::kState, prefix);
//   for (; it.Valid(); it.Next()) Use(it.key(), it.value());
//   if (!it.status().ok()) ...  // an I/O error ended the walk early
//
// The iterator must be destroyed before its source (store, ReadView or Transaction). key()
// and value() stay valid until the next call to Next().
class PrefixIterator {
 public:
  PrefixIterator(PrefixIterator&&) noexcept;
  PrefixIterator& operator=(PrefixIterator&&) noexcept;
  ~PrefixIterator();

  // True while positioned at a key with the prefix.
  bool Valid() const;
  // Moves to the next key. Requires Valid().
  void Next();
  // Moves to the first key of the prefix that is >= `target`: one RocksDB seek, whatever
  // the number of keys before it. A target below the prefix goes to the prefix's first key;
  // one above every key of the prefix (or past it) leaves the iterator not Valid(). Used to
  // resume a walk at a page cursor.
  void Seek(std::string_view target);
  std::string_view key() const;
  std::string_view value() const;
  // OK unless an error ended the walk; check it once Valid() turns false.
  absl::Status status() const;

 private:
  friend class ProjectionStore;
  friend class Transaction;
  struct State;
  explicit PrefixIterator(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The writes of one apply, and reads that see them ("read your own writes").
//
// A Transaction exists only inside ProjectionStore::Apply/ApplyBatch; everything put or
// deleted is written atomically together with the source's new offset when the mutate
// function returns OK, and discarded otherwise. Reads merge the transaction's own writes
// over the committed data.
//
// Writes go to kState and kIndexes only: kOffsets and kMeta belong to the store. Put and
// Delete never fail on the spot; a refused write (wrong column family, or a RocksDB error)
// is remembered and makes the whole apply fail with that error, writing nothing.
class Transaction {
 public:
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // The value of `key`, or nullopt if it is absent (deleted in this transaction or never
  // written).
  absl::StatusOr<std::optional<std::string>> Get(Cf cf, std::string_view key);
  void Put(Cf cf, std::string_view key, std::string_view value);
  void Delete(Cf cf, std::string_view key);

  // Scans the merged view (this transaction's writes over the committed data). Do not Put or
  // Delete while a scan or iterator of this transaction is open (RocksDB's
  // WriteBatchWithIndex invalidates the current position): collect the keys, then write.
  absl::Status ScanPrefix(Cf cf, std::string_view prefix, ScanFn fn);
  PrefixIterator NewPrefixIterator(Cf cf, std::string_view prefix);

  // The source and offset of the event being applied.
  const eventlog::TopicPartition& source() const { return *source_; }
  int64_t offset() const { return offset_; }

 private:
  friend class ProjectionStore;
  explicit Transaction(ProjectionStore* store);

  ProjectionStore* const store_;
  rocksdb::WriteBatchWithIndex batch_;
  absl::Status status_;
  const eventlog::TopicPartition* source_ = nullptr;
  int64_t offset_ = 0;
};

// A consistent, read-only view of the store at the moment it was created (a RocksDB
// snapshot): several reads through one view never see a half of a later apply. Cheap to
// create; holding it for long keeps old versions of overwritten keys alive. Must be
// destroyed before the store.
class ReadView {
 public:
  ReadView(ReadView&&) noexcept = default;
  ReadView& operator=(ReadView&&) noexcept = default;
  ~ReadView() = default;

  absl::StatusOr<std::optional<std::string>> Get(Cf cf, std::string_view key) const;
  absl::Status ScanPrefix(Cf cf, std::string_view prefix, ScanFn fn) const;
  PrefixIterator NewPrefixIterator(Cf cf, std::string_view prefix) const;
  // NextOffset as of this view: the state seen through it is exactly the effect of the
  // source's events 0..NextOffset-1.
  absl::StatusOr<int64_t> NextOffset(const eventlog::TopicPartition& source) const;

 private:
  friend class ProjectionStore;
  struct SnapshotReleaser {
    rocksdb::DB* db;
    void operator()(const rocksdb::Snapshot* snapshot) const { db->ReleaseSnapshot(snapshot); }
  };
  explicit ReadView(const ProjectionStore* store);

  const ProjectionStore* store_;
  std::unique_ptr<const rocksdb::Snapshot, SnapshotReleaser> snapshot_;
};

struct ProjectionStoreOptions {
  // Directory of the store's RocksDB database; created if missing.
  std::string path = {};
  // The version of the projection's key and value layout. When it differs from the version
  // stored in kMeta, Open wipes the store and records this version: the projection is then
  // rebuilt from offset 0 of its sources. Bump it with every incompatible change of Evolve
  // or of the key encoding.
  int schema_version = 1;
  // fsync the RocksDB write-ahead log on every apply; only with `write_ahead_log` on
  // (without the WAL there is nothing to sync, and this is ignored). Off by default,
  // deliberately: the event log is the source of truth. With the WAL on and `sync` off, an
  // apply survives a crash of the process (the write is in the OS page cache when Apply
  // returns); an OS crash or power loss can lose a tail of applies, but RocksDB recovers a
  // consistent prefix of whole writes, and because every write carries its own offset, the
  // store then simply resumes from an earlier NextOffset and re-applies the lost tail from
  // the log. Syncing would only add latency. (This needs a log at least as durable as the
  // projection, which a synced or replicated log is; Projector refuses to run a store that
  // is ahead of its log.) With the default (WAL off), even a process crash loses the
  // applies since the last flush: see `write_ahead_log`.
  bool sync = false;
  // Whether applies go through RocksDB's write-ahead log. Off by default, for the same
  // reason as `sync`, and it roughly halves the cost of an apply: without the WAL a
  // process crash loses the applies since the last memtable flush, but `atomic_flush` makes
  // every flush cover all column families at once, so what survives is always a state
  // together with exactly the offsets it was built from, and the lost tail is re-applied
  // from the log. A clean close flushes everything. With the WAL on, `sync` decides whether
  // each apply is fsynced.
  bool write_ahead_log = false;
  // RocksDB memtable size per column family; 0 keeps RocksDB's default (64 MiB). Small
  // values make flushes frequent (tests use that to exercise recovery from SST files).
  size_t memtable_bytes = 0;
};

class ProjectionStore {
 public:
  // How Open found the store.
  enum class OpenOutcome {
    // A new store (no schema version recorded yet).
    kCreated,
    // Existing data of the requested schema version: sources resume at their NextOffset.
    kResumed,
    // The stored schema version differed: the store was wiped and must be rebuilt.
    kRebuilt,
  };

  using MutateFn = std::function<absl::Status(Transaction&)>;
  // Called once per applied offset of a batch, in offset order, on one shared Transaction:
  // an entry sees the writes of the entries before it.
  using BatchMutateFn = std::function<absl::Status(int64_t offset, Transaction&)>;

  // Opens (creating if missing) the store at options.path with the column families state,
  // indexes, offsets and meta. See ProjectionStoreOptions::schema_version for what happens
  // when the stored version differs.
  static absl::StatusOr<std::unique_ptr<ProjectionStore>> Open(
      const ProjectionStoreOptions& options);

  ProjectionStore(const ProjectionStore&) = delete;
  ProjectionStore& operator=(const ProjectionStore&) = delete;
  ~ProjectionStore();

  OpenOutcome open_outcome() const { return open_outcome_; }
  // True when Open wiped the store because its schema version changed. Every source then
  // starts at offset 0 (as it also does for a kCreated store).
  bool rebuilt() const { return open_outcome_ == OpenOutcome::kRebuilt; }
  int schema_version() const { return options_.schema_version; }
  const std::string& path() const { return options_.path; }

  // The next offset to apply for `source`: 0 if nothing of it was ever applied.
  absl::StatusOr<int64_t> NextOffset(const eventlog::TopicPartition& source) const;

  // The read barrier of cross-topic reads: returns OK once the event at `offset` of
  // `source` is applied (NextOffset(source) > offset), at once if it already is. Reads made
  // after it returns see that event's effects and those of every earlier offset of `source`.
  //
  // It observes the store's own record of applied offsets (the kOffsets column family,
  // read afresh on every wake-up), not any applier's bookkeeping: every writer of a store
  // (a Projector, a CommandExecutor applying its own events) goes through ApplyBatch, which
  // wakes the waiters right after each successful write. No polling.
  //
  // DEADLINE_EXCEEDED when `offset` is still not applied after `timeout` (bound it by the
  // caller's own deadline: a wait does not end early when the server shuts down);
  // INVALID_ARGUMENT for a negative offset; a read error of the offset as it is. A Wipe
  // sets every source back to 0, so a wait spanning one ends when the rebuild reaches
  // `offset` again. The store must outlive the call.
  absl::Status WaitUntilApplied(const eventlog::TopicPartition& source, int64_t offset,
                                absl::Duration timeout) const;

  // Applies the event at `offset` of `source`:
  // - offset < NextOffset(source): already applied; returns OK without calling `mutate`.
  // - offset > NextOffset(source): FAILED_PRECONDITION (a gap: nothing is skipped silently).
  // - otherwise runs `mutate` on a fresh Transaction and, if it returns OK, writes its
  //   changes and NextOffset = offset + 1 in one atomic write. If `mutate` (or the write)
  //   fails, nothing is written and its error is returned.
  absl::Status Apply(const eventlog::TopicPartition& source, int64_t offset,
                     const MutateFn& mutate);

  // Applies the `count` consecutive events first_offset..first_offset+count-1 of `source` in
  // one atomic write, with Apply's rules: the already applied ones are skipped (`mutate` is
  // called only for offsets >= NextOffset), first_offset > NextOffset is FAILED_PRECONDITION,
  // and any failure writes nothing. Returns how many events were applied (not skipped).
  absl::StatusOr<int64_t> ApplyBatch(const eventlog::TopicPartition& source, int64_t first_offset,
                                     int64_t count, const BatchMutateFn& mutate);

  // Reads of the latest committed data. Several reads in a row may straddle an apply: use a
  // ReadView for a consistent multi-read.
  absl::StatusOr<std::optional<std::string>> Get(Cf cf, std::string_view key) const;
  absl::Status ScanPrefix(Cf cf, std::string_view prefix, ScanFn fn) const;
  PrefixIterator NewPrefixIterator(Cf cf, std::string_view prefix) const;
  ReadView NewReadView() const;

  // Deletes all data of kState, kIndexes and kOffsets in one atomic write (the schema
  // version stays), so that every source starts again at offset 0: a full rebuild. Readers
  // see the store either before or after the wipe. Stop the Projector feeding this store
  // first: an applier that keeps delivering later offsets would hit FAILED_PRECONDITION.
  absl::Status Wipe();

 private:
  friend class Transaction;
  friend class ReadView;

  struct CfHandleDeleter {
    rocksdb::DB* db;
    void operator()(rocksdb::ColumnFamilyHandle* handle) const {
      db->DestroyColumnFamilyHandle(handle);
    }
  };
  using CfHandle = std::unique_ptr<rocksdb::ColumnFamilyHandle, CfHandleDeleter>;

  explicit ProjectionStore(const ProjectionStoreOptions& options);

  rocksdb::ColumnFamilyHandle* handle(Cf cf) const { return cfs_[static_cast<size_t>(cf)].get(); }
  // Reads at `snapshot` (nullptr: the latest data).
  absl::StatusOr<std::optional<std::string>> GetAt(const rocksdb::Snapshot* snapshot, Cf cf,
                                                   std::string_view key) const;
  PrefixIterator NewPrefixIteratorAt(const rocksdb::Snapshot* snapshot, Cf cf,
                                     std::string_view prefix) const;
  absl::StatusOr<int64_t> NextOffsetAt(const rocksdb::Snapshot* snapshot,
                                       const eventlog::TopicPartition& source) const;
  absl::StatusOr<std::optional<int>> ReadSchemaVersion() const;
  // Deletes every key of `cfs` and, if given, records `schema_version`, in one write.
  // Persists every column family in one atomic flush (used without the WAL).
  absl::Status FlushAllLocked();
  absl::Status WipeLocked(std::initializer_list<Cf> cfs, std::optional<int> schema_version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  // Wakes every WaitUntilApplied; called after each write of offsets.
  void NotifyApplied() const;

  const ProjectionStoreOptions options_;
  OpenOutcome open_outcome_ = OpenOutcome::kCreated;
  rocksdb::WriteOptions write_options_;
  // Declared before the handles: members are destroyed in reverse order, and every column
  // family handle must be destroyed before the database (the destructor also does it
  // explicitly).
  std::unique_ptr<rocksdb::DB> db_;
  CfHandle default_cf_;
  std::array<CfHandle, kNumCfs> cfs_;
  absl::Mutex apply_mu_;
  // WaitUntilApplied reads the offsets and waits under applied_mu_, and NotifyApplied
  // signals under it after a write, so a write that lands between a waiter's read and its
  // wait is never missed. Lock order: apply_mu_, then applied_mu_.
  mutable absl::Mutex applied_mu_;
  mutable absl::CondVar applied_cv_;
};

}  // namespace samrad::projection

#endif  // SAMRAD_LIBS_PROJECTION_PROJECTION_STORE_H_
