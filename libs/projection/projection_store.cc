#include "libs/projection/projection_store.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/common/log.h"
#include "libs/projection/key_codec.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"

namespace samrad::projection {
namespace {

constexpr std::string_view kSchemaVersionKey = "schema_version";
constexpr std::array<Cf, kNumCfs> kAllCfs = {Cf::kState, Cf::kIndexes, Cf::kOffsets, Cf::kMeta};

std::string_view ToView(const rocksdb::Slice& s) { return {s.data(), s.size()}; }
rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }
// Debian's Abseil has its own string_view type; StrCat and friends take that one.
absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

// Maps a RocksDB status to the closest canonical code, keeping RocksDB's message.
absl::Status ToAbsl(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(Sv(context), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (s.IsNotSupported()) return absl::UnimplementedError(message);
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(message);
  if (s.IsIOError() || s.IsBusy() || s.IsTryAgain()) return absl::UnavailableError(message);
  if (s.IsTimedOut()) return absl::DeadlineExceededError(message);
  if (s.IsAborted()) return absl::AbortedError(message);
  return absl::InternalError(message);
}

// The same error with `context` in front of its message.
absl::Status Annotate(const absl::Status& s, std::string_view context) {
  return absl::Status(s.code(), absl::StrCat(Sv(context), ": ", s.message()));
}

// Key of a source in kOffsets: the topic (order-preserving, prefix-free), then the
// partition. Value: the next offset, 8 bytes (keys::AppendInt64).
std::string OffsetKey(const eventlog::TopicPartition& source) {
  std::string key;
  keys::AppendString(&key, source.topic);
  keys::AppendInt32(&key, source.partition);
  return key;
}

}  // namespace

std::string_view CfName(Cf cf) {
  switch (cf) {
    case Cf::kState:
      return "state";
    case Cf::kIndexes:
      return "indexes";
    case Cf::kOffsets:
      return "offsets";
    case Cf::kMeta:
      return "meta";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------
// PrefixIterator

struct PrefixIterator::State {
  std::string prefix;
  // Exclusive upper bound of the walk; read_options.iterate_upper_bound points at it, so
  // the state lives on the heap and never moves.
  std::string upper_bound;
  rocksdb::Slice upper_bound_slice;
  rocksdb::ReadOptions read_options;
  // Declared last: destroyed before the bound it refers to.
  std::unique_ptr<rocksdb::Iterator> it;
};

PrefixIterator::PrefixIterator(std::unique_ptr<State> state) : state_(std::move(state)) {}
PrefixIterator::PrefixIterator(PrefixIterator&&) noexcept = default;
PrefixIterator& PrefixIterator::operator=(PrefixIterator&&) noexcept = default;
PrefixIterator::~PrefixIterator() = default;

bool PrefixIterator::Valid() const {
  if (state_ == nullptr || state_->it == nullptr || !state_->it->Valid()) return false;
  return ToView(state_->it->key()).starts_with(state_->prefix);
}

void PrefixIterator::Next() { state_->it->Next(); }

void PrefixIterator::Seek(std::string_view target) {
  if (state_ == nullptr || state_->it == nullptr) return;
  // Below the prefix: its first key. At or past the upper bound RocksDB's iterator turns
  // invalid by itself, since iterate_upper_bound is set.
  const std::string_view from = target < state_->prefix ? state_->prefix : target;
  state_->it->Seek(ToSlice(from));
}

std::string_view PrefixIterator::key() const { return ToView(state_->it->key()); }

std::string_view PrefixIterator::value() const { return ToView(state_->it->value()); }

absl::Status PrefixIterator::status() const {
  if (state_ == nullptr || state_->it == nullptr) return absl::OkStatus();
  return ToAbsl(state_->it->status(), "projection store iterator");
}

namespace {

// Prepares the heap state of a prefix walk; the caller creates the RocksDB iterator with
// state->read_options, then seeks it to the prefix.
template <typename State>
std::unique_ptr<State> NewPrefixState(std::string_view prefix, const rocksdb::Snapshot* snapshot) {
  auto state = std::make_unique<State>();
  state->prefix = std::string(prefix);
  state->upper_bound = keys::PrefixSuccessor(prefix);
  state->read_options.snapshot = snapshot;
  if (!state->upper_bound.empty()) {
    state->upper_bound_slice = ToSlice(state->upper_bound);
    state->read_options.iterate_upper_bound = &state->upper_bound_slice;
  }
  return state;
}

absl::Status ScanWith(PrefixIterator it, ScanFn fn) {
  for (; it.Valid(); it.Next()) {
    if (!fn(it.key(), it.value())) return absl::OkStatus();
  }
  return it.status();
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Transaction

Transaction::Transaction(ProjectionStore* store)
    : store_(store),
      // overwrite_key: one index entry per key, required by NewIteratorWithBase.
      batch_(rocksdb::BytewiseComparator(), /*reserved_bytes=*/0, /*overwrite_key=*/true) {}

absl::StatusOr<std::optional<std::string>> Transaction::Get(Cf cf, std::string_view key) {
  std::string value;
  rocksdb::Status s = batch_.GetFromBatchAndDB(store_->db_.get(), rocksdb::ReadOptions(),
                                               store_->handle(cf), ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return ToAbsl(s, absl::StrCat("get from ", Sv(CfName(cf))));
  return value;
}

void Transaction::Put(Cf cf, std::string_view key, std::string_view value) {
  if (!status_.ok()) return;
  if (cf != Cf::kState && cf != Cf::kIndexes) {
    status_ = absl::InvalidArgumentError(
        absl::StrCat("a projection may not write column family ", Sv(CfName(cf))));
    return;
  }
  if (rocksdb::Status s = batch_.Put(store_->handle(cf), ToSlice(key), ToSlice(value)); !s.ok()) {
    status_ = ToAbsl(s, absl::StrCat("put to ", Sv(CfName(cf))));
  }
}

void Transaction::Delete(Cf cf, std::string_view key) {
  if (!status_.ok()) return;
  if (cf != Cf::kState && cf != Cf::kIndexes) {
    status_ = absl::InvalidArgumentError(
        absl::StrCat("a projection may not write column family ", Sv(CfName(cf))));
    return;
  }
  if (rocksdb::Status s = batch_.Delete(store_->handle(cf), ToSlice(key)); !s.ok()) {
    status_ = ToAbsl(s, absl::StrCat("delete from ", Sv(CfName(cf))));
  }
}

PrefixIterator Transaction::NewPrefixIterator(Cf cf, std::string_view prefix) {
  auto state = NewPrefixState<PrefixIterator::State>(prefix, nullptr);
  rocksdb::ColumnFamilyHandle* handle = store_->handle(cf);
  // The merged iterator owns the base iterator; both honour the upper bound.
  rocksdb::Iterator* base = store_->db_->NewIterator(state->read_options, handle);
  state->it.reset(batch_.NewIteratorWithBase(handle, base, &state->read_options));
  state->it->Seek(ToSlice(state->prefix));
  return PrefixIterator(std::move(state));
}

absl::Status Transaction::ScanPrefix(Cf cf, std::string_view prefix, ScanFn fn) {
  return ScanWith(NewPrefixIterator(cf, prefix), fn);
}

// ---------------------------------------------------------------------------------------
// ReadView

ReadView::ReadView(const ProjectionStore* store)
    : store_(store), snapshot_(store->db_->GetSnapshot(), SnapshotReleaser{store->db_.get()}) {}

absl::StatusOr<std::optional<std::string>> ReadView::Get(Cf cf, std::string_view key) const {
  return store_->GetAt(snapshot_.get(), cf, key);
}

absl::Status ReadView::ScanPrefix(Cf cf, std::string_view prefix, ScanFn fn) const {
  return ScanWith(NewPrefixIterator(cf, prefix), fn);
}

PrefixIterator ReadView::NewPrefixIterator(Cf cf, std::string_view prefix) const {
  return store_->NewPrefixIteratorAt(snapshot_.get(), cf, prefix);
}

absl::StatusOr<int64_t> ReadView::NextOffset(const eventlog::TopicPartition& source) const {
  return store_->NextOffsetAt(snapshot_.get(), source);
}

// ---------------------------------------------------------------------------------------
// ProjectionStore

ProjectionStore::ProjectionStore(const ProjectionStoreOptions& options) : options_(options) {
  // Atomicity of a state change and its offset across a crash comes either from the WAL or,
  // without it, from atomic flushes of every column family (see ProjectionStoreOptions).
  write_options_.disableWAL = !options.write_ahead_log;
  write_options_.sync = options.write_ahead_log && options.sync;
}

ProjectionStore::~ProjectionStore() {
  if (db_ == nullptr) return;
  // Column family handles first, then the database.
  for (CfHandle& cf : cfs_) cf.reset();
  default_cf_.reset();
  if (rocksdb::Status s = db_->Close(); !s.ok()) {
    SAMRAD_LOG_WARN("projection store {}: close failed: {}", options_.path, s.ToString());
  }
  db_.reset();
}

absl::StatusOr<std::unique_ptr<ProjectionStore>> ProjectionStore::Open(
    const ProjectionStoreOptions& options) {
  if (options.path.empty()) return absl::InvalidArgumentError("projection store: empty path");
  std::unique_ptr<ProjectionStore> store(new ProjectionStore(options));

  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  // A crash may leave a torn last record in the WAL: recover every whole write before it.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // Without the WAL, a flush must persist all column families together, or a crash could
  // keep a state change without its offset (or the reverse).
  db_options.atomic_flush = !options.write_ahead_log;
  rocksdb::ColumnFamilyOptions cf_options(db_options);
  if (options.memtable_bytes > 0) cf_options.write_buffer_size = options.memtable_bytes;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (Cf cf : kAllCfs) descriptors.emplace_back(std::string(CfName(cf)), cf_options);

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &db);
  if (!s.ok()) return ToAbsl(s, absl::StrCat("open projection store ", options.path));
  store->db_.reset(db);
  store->default_cf_ = CfHandle(handles[0], CfHandleDeleter{db});
  for (size_t i = 0; i < kAllCfs.size(); ++i) {
    store->cfs_[i] = CfHandle(handles[i + 1], CfHandleDeleter{db});
  }

  absl::StatusOr<std::optional<int>> stored = store->ReadSchemaVersion();
  if (!stored.ok()) {
    // An unreadable version is treated like a different one: a projection can always be
    // rebuilt from the log.
    SAMRAD_LOG_WARN("projection store {}: {}; wiping", options.path, stored.status().ToString());
    store->open_outcome_ = OpenOutcome::kRebuilt;
  } else if (!stored->has_value()) {
    store->open_outcome_ = OpenOutcome::kCreated;
  } else if (**stored != options.schema_version) {
    SAMRAD_LOG_INFO("projection store {}: schema version {} -> {}; wiping for a rebuild",
                    options.path, **stored, options.schema_version);
    store->open_outcome_ = OpenOutcome::kRebuilt;
  } else {
    store->open_outcome_ = OpenOutcome::kResumed;
  }
  if (store->open_outcome_ != OpenOutcome::kResumed) {
    // Also for a new store: it may hold data of a store whose version record was lost.
    absl::MutexLock lock(&store->apply_mu_);
    absl::Status wiped = store->WipeLocked({Cf::kState, Cf::kIndexes, Cf::kOffsets, Cf::kMeta},
                                           options.schema_version);
    if (!wiped.ok()) return wiped;
  }
  return store;
}

absl::StatusOr<std::optional<int>> ProjectionStore::ReadSchemaVersion() const {
  absl::StatusOr<std::optional<std::string>> raw = GetAt(nullptr, Cf::kMeta, kSchemaVersionKey);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<int>();
  int version = 0;
  if (!absl::SimpleAtoi(**raw, &version)) {
    return absl::DataLossError(absl::StrCat("unparsable schema version \"", **raw, "\""));
  }
  return std::optional<int>(version);
}

absl::Status ProjectionStore::WipeLocked(std::initializer_list<Cf> cfs,
                                         std::optional<int> schema_version) {
  // One range deletion per column family, from the empty key (the smallest) to just past
  // the largest key present, all in one atomic write.
  rocksdb::WriteBatch batch;
  std::vector<Cf> wiped;
  for (Cf cf : cfs) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle(cf)));
    it->SeekToLast();
    if (!it->status().ok()) return ToAbsl(it->status(), absl::StrCat("wipe ", Sv(CfName(cf))));
    if (!it->Valid()) continue;
    std::string end = it->key().ToString();
    end.push_back('\0');  // the smallest key greater than the largest present
    rocksdb::Status s = batch.DeleteRange(handle(cf), rocksdb::Slice(), end);
    if (!s.ok()) return ToAbsl(s, absl::StrCat("wipe ", Sv(CfName(cf))));
    wiped.push_back(cf);
  }
  if (schema_version.has_value()) {
    rocksdb::Status s =
        batch.Put(handle(Cf::kMeta), ToSlice(kSchemaVersionKey), std::to_string(*schema_version));
    if (!s.ok()) return ToAbsl(s, "record schema version");
  }
  if (batch.Count() == 0) return absl::OkStatus();
  rocksdb::WriteOptions wipe_options = write_options_;
  wipe_options.sync = options_.write_ahead_log;  // rare, the start of a rebuild: make it stick
  if (rocksdb::Status s = db_->Write(wipe_options, &batch); !s.ok()) {
    return ToAbsl(s, "wipe projection store");
  }
  if (!options_.write_ahead_log) {
    if (absl::Status s = FlushAllLocked(); !s.ok()) return s;
  }
  // Reclaim the space now rather than carrying the range tombstones around.
  for (Cf cf : wiped) {
    rocksdb::Status s =
        db_->CompactRange(rocksdb::CompactRangeOptions(), handle(cf), nullptr, nullptr);
    if (!s.ok()) {
      SAMRAD_LOG_WARN("projection store {}: compaction after wipe of {} failed: {}", options_.path,
                      CfName(cf), s.ToString());
    }
  }
  return absl::OkStatus();
}

absl::Status ProjectionStore::FlushAllLocked() {
  std::vector<rocksdb::ColumnFamilyHandle*> all = {default_cf_.get()};
  for (const CfHandle& cf : cfs_) all.push_back(cf.get());
  rocksdb::FlushOptions flush;
  flush.wait = true;
  if (rocksdb::Status s = db_->Flush(flush, all); !s.ok()) {
    return ToAbsl(s, "flush projection store");
  }
  return absl::OkStatus();
}

absl::Status ProjectionStore::Wipe() {
  absl::MutexLock lock(&apply_mu_);
  SAMRAD_LOG_INFO("projection store {}: wiping for a rebuild", options_.path);
  return WipeLocked({Cf::kState, Cf::kIndexes, Cf::kOffsets}, std::nullopt);
}

absl::StatusOr<std::optional<std::string>> ProjectionStore::GetAt(const rocksdb::Snapshot* snapshot,
                                                                  Cf cf,
                                                                  std::string_view key) const {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  std::string value;
  rocksdb::Status s = db_->Get(read_options, handle(cf), ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return ToAbsl(s, absl::StrCat("get from ", Sv(CfName(cf))));
  return value;
}

PrefixIterator ProjectionStore::NewPrefixIteratorAt(const rocksdb::Snapshot* snapshot, Cf cf,
                                                    std::string_view prefix) const {
  auto state = NewPrefixState<PrefixIterator::State>(prefix, snapshot);
  state->it.reset(db_->NewIterator(state->read_options, handle(cf)));
  state->it->Seek(ToSlice(state->prefix));
  return PrefixIterator(std::move(state));
}

absl::StatusOr<int64_t> ProjectionStore::NextOffsetAt(
    const rocksdb::Snapshot* snapshot, const eventlog::TopicPartition& source) const {
  absl::StatusOr<std::optional<std::string>> raw = GetAt(snapshot, Cf::kOffsets, OffsetKey(source));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return 0;
  std::string_view in = **raw;
  int64_t next = 0;
  if (!keys::ConsumeInt64(&in, &next) || !in.empty() || next < 0) {
    return absl::DataLossError(absl::StrCat("projection store ", options_.path,
                                            ": malformed offset of ", source.ToString()));
  }
  return next;
}

absl::StatusOr<int64_t> ProjectionStore::NextOffset(const eventlog::TopicPartition& source) const {
  return NextOffsetAt(nullptr, source);
}

absl::Status ProjectionStore::WaitUntilApplied(const eventlog::TopicPartition& source,
                                               int64_t offset, absl::Duration timeout) const {
  if (offset < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("wait for ", source.ToString(), ": negative offset ", offset));
  }
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&applied_mu_);
  while (true) {
    // Read under applied_mu_: an apply that becomes visible after this read signals only
    // once the wait below has released the mutex, so its wake-up cannot be lost.
    absl::StatusOr<int64_t> next = NextOffsetAt(nullptr, source);
    if (!next.ok()) return next.status();
    if (*next > offset) return absl::OkStatus();
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("projection store ", options_.path, ": ", source.ToString(), "@", offset,
                       " not applied within ", absl::FormatDuration(timeout),
                       " (next offset to apply is ", *next, ")"));
    }
    // Spurious and unrelated wake-ups (another source's apply) just read again.
    applied_cv_.WaitWithDeadline(&applied_mu_, deadline);
  }
}

void ProjectionStore::NotifyApplied() const {
  absl::MutexLock lock(&applied_mu_);
  applied_cv_.SignalAll();
}

absl::StatusOr<std::optional<std::string>> ProjectionStore::Get(Cf cf, std::string_view key) const {
  return GetAt(nullptr, cf, key);
}

absl::Status ProjectionStore::ScanPrefix(Cf cf, std::string_view prefix, ScanFn fn) const {
  return ScanWith(NewPrefixIterator(cf, prefix), fn);
}

PrefixIterator ProjectionStore::NewPrefixIterator(Cf cf, std::string_view prefix) const {
  return NewPrefixIteratorAt(nullptr, cf, prefix);
}

ReadView ProjectionStore::NewReadView() const { return ReadView(this); }

absl::Status ProjectionStore::Apply(const eventlog::TopicPartition& source, int64_t offset,
                                    const MutateFn& mutate) {
  absl::StatusOr<int64_t> applied =
      ApplyBatch(source, offset, 1, [&mutate](int64_t, Transaction& tx) { return mutate(tx); });
  return applied.status();
}

absl::StatusOr<int64_t> ProjectionStore::ApplyBatch(const eventlog::TopicPartition& source,
                                                    int64_t first_offset, int64_t count,
                                                    const BatchMutateFn& mutate) {
  if (first_offset < 0 || count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("apply ", source.ToString(), ": offset ", first_offset, ", count ", count));
  }
  absl::MutexLock lock(&apply_mu_);
  absl::StatusOr<int64_t> next = NextOffsetAt(nullptr, source);
  if (!next.ok()) return next.status();
  const int64_t end = first_offset + count;
  if (end <= *next) return 0;  // every event of the batch was applied before
  if (first_offset > *next) {
    return absl::FailedPreconditionError(absl::StrCat("apply ", source.ToString(),
                                                      ": gap, next offset to apply is ", *next,
                                                      " but got ", first_offset));
  }

  Transaction tx(this);
  tx.source_ = &source;
  for (int64_t offset = *next; offset < end; ++offset) {
    tx.offset_ = offset;
    if (absl::Status s = mutate(offset, tx); !s.ok()) {
      return Annotate(s, absl::StrCat("apply ", source.ToString(), "@", offset));
    }
    if (!tx.status_.ok()) {
      return Annotate(tx.status_, absl::StrCat("apply ", source.ToString(), "@", offset));
    }
  }
  std::string next_value;
  keys::AppendInt64(&next_value, end);
  rocksdb::Status s = tx.batch_.Put(handle(Cf::kOffsets), OffsetKey(source), next_value);
  if (!s.ok()) return ToAbsl(s, "record offset");
  s = db_->Write(write_options_, tx.batch_.GetWriteBatch());
  if (!s.ok()) return ToAbsl(s, absl::StrCat("apply ", source.ToString(), " write"));
  // The new offset is visible to readers now: wake the read barriers.
  NotifyApplied();
  return end - *next;
}

}  // namespace samrad::projection
