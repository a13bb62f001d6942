#ifndef SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_PROJECTION_H_
#define SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_PROJECTION_H_

// The registry's RocksDB projection of registry.events.v1 (docs/adr/0007-registry.md).
//
// Evolve is a replacement per resource (events carry whole resources, events.proto); the
// per-resource Fold* functions are the one definition of how an event changes a resource,
// used by Evolve and by as-of reads (command::FoldAsOf over the history index), so a
// resource read "as of" its latest version equals the resource in the state.
//
// Keys (strings key_codec-encoded unless they are the last component):
//
//   Cf::kState
//     t <code>                                  → v1::Tenant
//     r <collection> <code> <id>                → the resource (Committee, Dialogue, ...),
//                                                 without output-only fields (etag, version,
//                                                 principles: computed on read)
//     h <code> <dialogue id>                    → v1::ListCoordinationHintsResponse: the
//                                                 hints of that dialogue, both sides
//   Cf::kIndexes (value: the resource id)
//     d <code> <order> [<sort value>] <id>      → dialogues in an order (DialogueOrder)
//     f <code> <attribute> <value> <id>         → dialogues by area, administration (lead and
//                                                 co), committee, type, status
//     o <code> <area> <month> <id>              → dialogues by area and calendar month of
//                                                 their period, for coordination candidates
//                                                 (DialoguePeriodPrefix)
//     p <code> <administration> <track> <id>    → appointments of an administration+track
//     c <index prefix>                          → int64: how many dialogues the index prefix
//                                                 holds; the prefix is d <code> <name order>
//                                                 (all of the tenant's dialogues) or
//                                                 f <code> <attribute> <value>
//
// Output-only fields are not stored: etag and version come from the command index
// (command::AggregateVersion), principles from AssessPrinciples in the caller's language.

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/type/date.pb.h"
#include "libs/command/command_index.h"
#include "libs/projection/projection_store.h"
#include "libs/runtime/projection_module.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/registry/v1/registry_service.pb.h"
#include "services/registry/domain/names.h"

namespace samrad::registry {

// Version of the registry projection's layout; bump to rebuild it from offset 0.
// v1: tenants only. v2: every resource, dialogue indexes, hints, command indexes.
// v3: dialogue counts per tenant and per attribute value.
// v4: area × month index for coordination candidates
inline constexpr int kProjectionSchemaVersion = 4;

// Aggregate type of a collection ("committee", "dialogue", ...) and of tenants ("tenant").
std::string_view AggregateType(domain::Collection collection);
inline constexpr std::string_view kTenantAggregateType = "tenant";

// The aggregate a resource name belongs to: "tenants/1280" → ("1280", {"tenant", "1280"}),
// "tenants/1280/dialogues/x" → ("1280", {"dialogue", "x"}); nullopt for other strings.
struct NamedAggregate {
  std::string tenant_code;
  command::AggregateRef ref;
};
std::optional<NamedAggregate> AggregateOfName(std::string_view name);

// The resource name an event changes (its aggregate); "" for an event without a case.
std::string ResourceOfEvent(const v1::RegistryEvent& event);

// State keys.
std::string TenantKey(std::string_view code);
std::string ResourceKey(domain::Collection collection, std::string_view code, std::string_view id);
std::string ResourcePrefix(domain::Collection collection, std::string_view code);
std::string HintsKey(std::string_view code, std::string_view dialogue_id);

// The orders of ListDialogues; each is an index whose keys end in the dialogue id, so ties
// are broken by name.
enum class DialogueOrder : char {
  kName = 'n',
  kTitle = 't',  // domain::SwedishSortKey(title)
  kStartDate = 's',
  kStartDateDesc = 'S',
  kUpdateTime = 'u',
  kUpdateTimeDesc = 'U',
};
std::string DialogueOrderPrefix(std::string_view code, DialogueOrder order);

// Equality attributes of ListDialogues' filter with an index.
enum class DialogueAttribute : char {
  kArea = 'a',
  kAdministration = 'm',  // lead or co-administration
  kCommittee = 'c',
  kType = 'y',    // value: the enum number in decimal
  kStatus = 'z',  // value: the enum number in decimal
};
std::string DialogueAttributePrefix(std::string_view code, DialogueAttribute attribute,
                                    std::string_view value);

// The area × month index of one area, which answers RegistryView::DialoguesOverlapping
// without reading every dialogue of the area. A dialogue with a start date, an end date and
// a period of at most kMaxBucketedMonths calendar months has a key
// <prefix> <keys::AppendInt32(month)> <id> for each of its areas and each month its period
// touches (PeriodMonth(start) .. PeriodMonth(end)); any other dialogue (no start date, open
// end, longer period, end before start) has one key per area in the unbounded bucket,
// month kUnboundedPeriodMonth, which sorts first and which every query reads. A query reads
// the unbounded bucket, then seeks to the month of its start and reads up to the month of
// its end (to the last key of the area when its end is open). Not counted (DialogueCount).
inline constexpr int32_t kMaxBucketedMonths = 36;
inline constexpr int32_t kUnboundedPeriodMonth = std::numeric_limits<int32_t>::min();
std::string DialoguePeriodPrefix(std::string_view code, std::string_view area);

// The month bucket of a date: year * 12 + month - 1, with the month clamped to [1, 12]; a
// year below 0 is bucket 0 and one above 9999 the bucket of 9999-12. It never decreases
// along domain::CompareDates, also for unset and invalid dates (an unset date is bucket 0),
// so periods that overlap touch a common bucket.
int32_t PeriodMonth(const google::type::Date& date);

// Every index key of one dialogue (all the dialogue families above).
std::vector<std::string> DialogueIndexKeys(const v1::Dialogue& dialogue);

// The attribute prefixes (DialogueAttributePrefix) one dialogue is indexed under, each once.
std::set<std::string> DialogueAttributePrefixes(const v1::Dialogue& dialogue);

// Key of the count of dialogues under `index_prefix`: DialogueOrderPrefix(code,
// DialogueOrder::kName) counts all of a tenant's dialogues, a DialogueAttributePrefix those
// with that attribute value. The value is keys::EncodeInt64; absent means 0.
std::string DialogueCountKey(std::string_view index_prefix);

// The count stored under DialogueCountKey(index_prefix).
absl::StatusOr<int64_t> DialogueCount(const projection::ReadView& view,
                                      std::string_view index_prefix);

// Appointments of an administration (track TRACK_UNSPECIFIED: every track).
std::string AppointmentPrefix(std::string_view code, std::string_view administration,
                              v1::Track track);

// How one event changes one resource. Events of other cases are FAILED_PRECONDITION (the
// history of an aggregate only holds its own events).
absl::Status FoldTenant(v1::Tenant& tenant, const v1::RegistryEvent& event);
absl::Status FoldCommittee(v1::Committee& committee, const v1::RegistryEvent& event);
absl::Status FoldAdministration(v1::Administration& administration, const v1::RegistryEvent& event);
absl::Status FoldArea(v1::Area& area, const v1::RegistryEvent& event);
absl::Status FoldChannel(v1::Channel& channel, const v1::RegistryEvent& event);
absl::Status FoldPerson(v1::Person& person, const v1::RegistryEvent& event);
absl::Status FoldAppointment(v1::Appointment& appointment, const v1::RegistryEvent& event);
absl::Status FoldDialogue(v1::Dialogue& dialogue, const v1::RegistryEvent& event);
absl::Status FoldConsultation(v1::Consultation& consultation, const v1::RegistryEvent& event);

// Evolve of one decoded event: state and indexes above.
absl::Status EvolveRegistryEvent(const v1::RegistryEvent& event, projection::Transaction& tx);

// Evolve of one log entry of registry.events.v1 (plain: without the command indexes, which
// runtime::ComposeApply adds with the module's command_topic).
// Records that are not envelopes and envelopes of an unknown case are kUnknown.
absl::StatusOr<runtime::ApplyOutcome> ApplyRegistryEntry(const eventlog::TopicPartition& source,
                                                         const eventlog::Entry& entry,
                                                         projection::Transaction& tx);

// The aggregate a registry event belongs to (AggregateOfName(ResourceOfEvent(event))), for
// CommandExecutorOptions::aggregate_of: each event belongs to the resource it changes (e.g.
// AppointmentEnded of the previous representative), so that resource's history and version
// include it. `event` must be a v1::RegistryEvent.
std::optional<command::AggregateRef> AggregateOfRegistryEvent(
    const google::protobuf::Message& event);

}  // namespace samrad::registry

#endif  // SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_PROJECTION_H_
