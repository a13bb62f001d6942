#include "services/registry/api/registry_service.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "libs/api/filter.h"
#include "libs/api/page_token.h"
#include "libs/api/request_context.h"
#include "libs/command/history.h"
#include "libs/common/dates.h"
#include "libs/errors/errors.h"
#include "libs/projection/key_codec.h"
#include "libs/reads/reads.h"
#include "services/registry/domain/consultations.h"
#include "services/registry/domain/coordination.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/network.h"
#include "services/registry/domain/principles.h"
#include "services/registry/domain/validation.h"
#include "services/registry/projection/registry_projection.h"
#include "services/registry/projection/registry_store_view.h"

namespace samrad::registry {
namespace {

using domain::Collection;
using projection::Cf;
using projection::ReadView;
using Event = v1::RegistryEvent;

// ---------------------------------------------------------------------------------------
// Errors

absl::Status InvalidField(std::string field, std::string reason, errors::Text text) {
  return errors::InvalidField(domain::kErrorDomain, std::move(field), std::move(reason),
                              std::move(text));
}

absl::Status InvalidName(std::string field) {
  return InvalidField(std::move(field), "INVALID_NAME",
                      {"Namnet är inte ett giltigt resursnamn för detta anrop",
                       "The name is not a valid resource name for this call"});
}

absl::Status NotFound(std::string_view name) {
  return errors::Error(absl::StatusCode::kNotFound, domain::kErrorDomain, "RESOURCE_NOT_FOUND",
                       {absl::StrCat("Det finns ingen resurs ", std::string(name)),
                        absl::StrCat("There is no resource ", std::string(name))},
                       {{"name", std::string(name)}});
}

absl::Status TenantNotFound(std::string_view name) {
  return errors::Error(absl::StatusCode::kNotFound, domain::kErrorDomain, "TENANT_NOT_FOUND",
                       {absl::StrCat("Det finns ingen kommun ", std::string(name)),
                        absl::StrCat("There is no tenant ", std::string(name))},
                       {{"name", std::string(name)}});
}

// ---------------------------------------------------------------------------------------
// Resources

template <typename T>
struct Traits;
template <>
struct Traits<v1::Committee> {
  static constexpr Collection kCollection = Collection::kCommittees;
  static absl::Status Fold(v1::Committee& r, const Event& e) { return FoldCommittee(r, e); }
};
template <>
struct Traits<v1::Administration> {
  static constexpr Collection kCollection = Collection::kAdministrations;
  static absl::Status Fold(v1::Administration& r, const Event& e) {
    return FoldAdministration(r, e);
  }
};
template <>
struct Traits<v1::Area> {
  static constexpr Collection kCollection = Collection::kAreas;
  static absl::Status Fold(v1::Area& r, const Event& e) { return FoldArea(r, e); }
};
template <>
struct Traits<v1::Channel> {
  static constexpr Collection kCollection = Collection::kChannels;
  static absl::Status Fold(v1::Channel& r, const Event& e) { return FoldChannel(r, e); }
};
template <>
struct Traits<v1::Person> {
  static constexpr Collection kCollection = Collection::kPeople;
  static absl::Status Fold(v1::Person& r, const Event& e) { return FoldPerson(r, e); }
};
template <>
struct Traits<v1::Appointment> {
  static constexpr Collection kCollection = Collection::kAppointments;
  static absl::Status Fold(v1::Appointment& r, const Event& e) { return FoldAppointment(r, e); }
};
template <>
struct Traits<v1::Dialogue> {
  static constexpr Collection kCollection = Collection::kDialogues;
  static absl::Status Fold(v1::Dialogue& r, const Event& e) { return FoldDialogue(r, e); }
};
template <>
struct Traits<v1::Consultation> {
  static constexpr Collection kCollection = Collection::kConsultations;
  static absl::Status Fold(v1::Consultation& r, const Event& e) { return FoldConsultation(r, e); }
};

// Fills the output-only fields of a resource at `version`.
template <typename T>
void Decorate(T& resource, int64_t version, Lang lang) {
  resource.set_etag(command::Etag(version));
  if constexpr (std::is_same_v<T, v1::Dialogue>) {
    resource.set_version(version);
    resource.clear_principles();
    for (auto& p : domain::AssessPrinciples(resource, lang)) *resource.add_principles() = p;
  }
  if constexpr (std::is_same_v<T, v1::Consultation>) resource.set_version(version);
}

// The resource `name` now (as_of empty) or at a point of its history.
template <typename T>
absl::StatusOr<T> ReadResource(const ReadView& view, std::string_view name,
                               const command::AsOf& as_of, Lang lang,
                               std::string_view field = "name") {
  const auto parsed = domain::ParseResourceName(name);
  if (!parsed || parsed->collection != Traits<T>::kCollection) {
    return InvalidName(std::string(field));
  }
  const command::AggregateRef ref{std::string(AggregateType(parsed->collection)), parsed->id};
  auto current = [&]() -> absl::StatusOr<std::optional<T>> {
    StoreRegistryView registry(view);
    std::optional<T> resource =
        registry.Read<T>(ResourceKey(parsed->collection, parsed->tenant_code, parsed->id));
    if (!registry.status().ok()) return registry.status();
    return resource;
  };
  absl::StatusOr<std::optional<reads::Versioned<T>>> read = reads::ReadAsOf<Event, T>(
      view, parsed->tenant_code, ref, as_of, current,
      [](T& r, const Event& e) { return Traits<T>::Fold(r, e); }, domain::kErrorDomain);
  if (!read.ok()) return read.status();
  if (!read->has_value()) return NotFound(name);
  T resource = std::move((*read)->state);
  Decorate(resource, (*read)->version, lang);
  return resource;
}

// The resource as the answer of a command: at the command's version.
template <typename T>
absl::StatusOr<T> AnswerResource(const command::AnswerContext& ctx, std::string_view name) {
  command::AsOf as_of;
  if (!ctx.at_latest()) as_of.version = ctx.version;
  return ReadResource<T>(ctx.view, name, as_of, ctx.request.lang);
}

template <typename T, typename Request>
absl::Status GetResource(projection::ProjectionStore* store, const api::RequestContext& rc,
                         const Request& request, T* response) {
  absl::StatusOr<command::AsOf> as_of = reads::ParseAsOf(request.as_of(), domain::kErrorDomain);
  if (!as_of.ok()) return as_of.status();
  const ReadView view = store->NewReadView();
  absl::StatusOr<T> resource = ReadResource<T>(view, request.name(), *as_of, rc.lang);
  if (!resource.ok()) return resource.status();
  *response = *std::move(resource);
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------
// Writes

// What the decision of a first execution left for the answer (a replay decides nothing).
struct Decision {
  std::optional<domain::DecideResult> result;
};

// Runs one write request through the command path. `name` is the resource the command acts
// on (its aggregate); `answer` builds the response from the store at the command's version.
template <typename Request, typename Response>
absl::StatusOr<Response> Write(
    command::CommandExecutor<Event>* executor, const api::RequestContext& rc,
    const Request& request, const std::string& name, std::string etag, std::string etag_field,
    const std::function<absl::StatusOr<Response>(const command::AnswerContext&, const Decision&)>&
        answer) {
  if (absl::Status s = domain::Validate(request).ToStatus(domain::kErrorDomain); !s.ok()) {
    return s;
  }
  const std::optional<NamedAggregate> aggregate = AggregateOfName(name);
  if (!aggregate) return absl::InternalError(absl::StrCat("no aggregate for ", name));
  Decision decision;
  command::Command<Event, Response> command{
      .tenant = aggregate->tenant_code,
      .aggregate = aggregate->ref,
      .request_id = request.options().request_id(),
      .fingerprint = command::RequestFingerprint(request),
      .etag = std::move(etag),
      .etag_field = std::move(etag_field),
      .reason = request.options().reason(),
      .decide = [&](const command::DecideContext& dc) -> absl::StatusOr<std::vector<Event>> {
        StoreRegistryView registry(dc.view);
        const domain::DecideContext ctx{.now = dc.now, .today = dates::StockholmDate(dc.now)};
        absl::StatusOr<domain::DecideResult> result = domain::Decide(registry, request, ctx);
        if (!registry.status().ok()) return registry.status();
        if (!result.ok()) return result.status();
        // Each event's aggregate is stamped by the executor (AggregateOfRegistryEvent).
        std::vector<Event> events = result->events;
        decision.result = *std::move(result);
        return events;
      },
      .answer = [&](const command::AnswerContext& ac) { return answer(ac, decision); },
  };
  return executor->Execute(rc, command);
}

template <typename T>
std::function<absl::StatusOr<T>(const command::AnswerContext&, const Decision&)> AnswerOf(
    const std::string& name) {
  return [name](const command::AnswerContext& ctx, const Decision&) {
    return AnswerResource<T>(ctx, name);
  };
}

// The events a dialogue command appended: its decision's, or for a replay those of the
// command's request id at the command's version and the one before (a registration or
// change, and the CoordinationHintsFound that may follow it).
absl::StatusOr<std::vector<Event>> CommandEvents(const command::AnswerContext& ctx,
                                                 const Decision& decision,
                                                 const std::string& request_id) {
  if (decision.result) return decision.result->events;
  if (ctx.version <= 0) return std::vector<Event>{};
  auto events = command::History<Event>(ctx.view, ctx.tenant, ctx.aggregate,
                                        std::max<int64_t>(1, ctx.version - 1), 2);
  if (!events.ok()) return events.status();
  std::vector<Event> out;
  for (Event& event : *events) {
    if (event.metadata().request_id() == request_id &&
        event.metadata().aggregate_version() <= ctx.version) {
      out.push_back(std::move(event));
    }
  }
  return out;
}

// The answer of CreateDialogue and UpdateDialogue: the dialogue, and the warnings and hints
// the command recorded, the same on a retry.
template <typename Response>
std::function<absl::StatusOr<Response>(const command::AnswerContext&, const Decision&)>
DialogueAnswer(const std::string& name, const std::string& request_id) {
  return [name, request_id](const command::AnswerContext& ctx,
                            const Decision& decision) -> absl::StatusOr<Response> {
    absl::StatusOr<v1::Dialogue> dialogue = AnswerResource<v1::Dialogue>(ctx, name);
    if (!dialogue.ok()) return dialogue.status();
    absl::StatusOr<std::vector<Event>> events = CommandEvents(ctx, decision, request_id);
    if (!events.ok()) return events.status();
    Response response;
    *response.mutable_dialogue() = *std::move(dialogue);
    for (const Event& event : *events) {
      const auto& warnings = event.has_dialogue_registered()
                                 ? event.dialogue_registered().warnings()
                                 : event.dialogue_updated().warnings();
      for (const v1::RecordedWarning& w : warnings) {
        *response.add_warnings() = domain::ToProto(w, ctx.request.lang);
      }
      for (const v1::CoordinationHint& hint : event.coordination_hints_found().hints()) {
        *response.add_coordination_hints() = hint;
      }
    }
    return response;
  };
}

std::string ChildName(const std::string& parent, Collection collection, const std::string& id) {
  return domain::ResourceNameOf(parent, collection, id);
}

// ---------------------------------------------------------------------------------------
// Reads: paging

absl::StatusOr<std::string> TenantCode(const ReadView& view, std::string_view parent) {
  if (!domain::IsTenantName(parent)) return InvalidName("parent");
  StoreRegistryView registry(view);
  const bool exists = registry.GetTenant(parent).has_value();
  if (!registry.status().ok()) return registry.status();
  if (!exists) return TenantNotFound(parent);
  return std::string(parent.substr(parent.find('/') + 1));
}

// One page of the resources of one collection of a tenant in name order, `keep` filtering
// them, decorated. The cursor is the last id returned.
template <typename T>
absl::StatusOr<std::string> ListCollection(const ReadView& view, const std::string& code,
                                           const reads::Page& page, Lang lang,
                                           const std::function<bool(const T&)>& keep,
                                           google::protobuf::RepeatedPtrField<T>* out) {
  const std::string prefix = ResourcePrefix(Traits<T>::kCollection, code);
  auto found = reads::ScanPage<T>(
      view, Cf::kState, prefix, page,
      [&](std::string_view, std::string_view value) -> absl::StatusOr<std::optional<T>> {
        T resource;
        if (!resource.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          return absl::DataLossError("registry state is corrupt");
        }
        if (!keep(resource)) return std::nullopt;
        return resource;
      });
  if (!found.ok()) return found.status();
  for (auto& [id, resource] : found->items) {
    absl::StatusOr<int64_t> version = command::AggregateVersion(
        view, code, {std::string(AggregateType(Traits<T>::kCollection)), id});
    if (!version.ok()) return version.status();
    Decorate(resource, *version, lang);
    *out->Add() = std::move(resource);
  }
  return reads::NextPageToken(page, *found);
}

template <typename T>
bool KeepAll(const T&) {
  return true;
}

// ---------------------------------------------------------------------------------------
// ListDialogues: filter and order_by

struct DialogueFilter {
  std::optional<v1::DialogueType> type;
  std::optional<v1::DialogueStatus> status;
  std::optional<v1::Track> track;
  std::vector<std::pair<DialogueAttribute, std::string>> names;  // administration, ...
  std::optional<domain::Period> period;
  std::optional<std::string> text;  // lower-cased

  bool Matches(const v1::Dialogue& d) const {
    if (type && d.type() != *type) return false;
    if (status && d.status() != *status) return false;
    if (track) {
      const v1::DialogueType t =
          *track == v1::TRACK_MEDBORGARDIALOG ? v1::MEDBORGARDIALOG : v1::KUNSKAPSDIALOG;
      if (d.type() != t && d.secondary_type() != t) return false;
    }
    for (const auto& [attribute, value] : names) {
      switch (attribute) {
        case DialogueAttribute::kArea:
          if (std::find(d.areas().begin(), d.areas().end(), value) == d.areas().end()) {
            return false;
          }
          break;
        case DialogueAttribute::kAdministration:
          if (d.lead_administration() != value &&
              std::find(d.co_administrations().begin(), d.co_administrations().end(), value) ==
                  d.co_administrations().end()) {
            return false;
          }
          break;
        case DialogueAttribute::kCommittee:
          if (d.responsible_committee() != value) return false;
          break;
        default:
          break;
      }
    }
    if (period && !domain::OverlapOf(*period, domain::PeriodOf(d)).has_value()) return false;
    if (text && absl::AsciiStrToLower(d.title()).find(*text) == std::string::npos &&
        absl::AsciiStrToLower(d.question()).find(*text) == std::string::npos) {
      return false;
    }
    return true;
  }

  // The attribute index prefixes of the filter's equalities; a dialogue that matches is
  // under every one of them.
  std::vector<std::string> IndexPrefixes(std::string_view code) const {
    std::vector<std::string> out;
    for (const auto& [attribute, value] : names) {
      out.push_back(DialogueAttributePrefix(code, attribute, value));
    }
    if (status) {
      out.push_back(DialogueAttributePrefix(code, DialogueAttribute::kStatus,
                                            absl::StrCat(static_cast<int>(*status))));
    }
    if (type) {
      out.push_back(DialogueAttributePrefix(code, DialogueAttribute::kType,
                                            absl::StrCat(static_cast<int>(*type))));
    }
    return out;
  }

  // True when the dialogues under one index prefix (or all of them) are exactly the
  // matches: no criterion beyond a single indexed equality.
  bool IsOneIndexedEquality() const {
    return !track && !period && !text && names.size() + (status ? 1 : 0) + (type ? 1 : 0) <= 1;
  }
};

absl::Status BadFilter(std::string_view detail_sv, std::string_view detail_en) {
  return api::BadFilter(domain::kErrorDomain, detail_sv, detail_en);
}

// ListDialogues' filter (docs/api.md): the AIP-160 subset of api::ParseFilter over these
// fields, each value checked here.
absl::StatusOr<DialogueFilter> ParseDialogueFilter(std::string_view in) {
  static const api::FilterSpec* const kSpec = new api::FilterSpec{
      .domain = domain::kErrorDomain,
      .fields = {{"type"},
                 {"status"},
                 {"track"},
                 {"administration"},
                 {"committee"},
                 {"area"},
                 {"period_overlaps"},
                 {"text", api::FilterOp::kHas}},
  };
  absl::StatusOr<std::vector<api::FilterTerm>> terms = api::ParseFilter(in, *kSpec);
  if (!terms.ok()) return terms.status();
  DialogueFilter filter;
  for (const api::FilterTerm& term : *terms) {
    const std::string& field = term.field;
    const std::string& value = term.value;
    if (field == "type") {
      v1::DialogueType t;
      if (!v1::DialogueType_Parse(value, &t) || t == v1::DIALOGUE_TYPE_UNSPECIFIED) {
        return BadFilter(absl::StrCat("okänd typ ", value), absl::StrCat("unknown type ", value));
      }
      filter.type = t;
    } else if (field == "status") {
      v1::DialogueStatus s;
      if (!v1::DialogueStatus_Parse(value, &s) || s == v1::DIALOGUE_STATUS_UNSPECIFIED) {
        return BadFilter(absl::StrCat("okänd status ", value),
                         absl::StrCat("unknown status ", value));
      }
      filter.status = s;
    } else if (field == "track") {
      v1::Track t;
      if ((!v1::Track_Parse(value, &t) && !v1::Track_Parse("TRACK_" + value, &t)) ||
          t == v1::TRACK_UNSPECIFIED) {
        return BadFilter(absl::StrCat("okänt spår ", value), absl::StrCat("unknown track ", value));
      }
      filter.track = t;
    } else if (field == "administration") {
      filter.names.emplace_back(DialogueAttribute::kAdministration, value);
    } else if (field == "committee") {
      filter.names.emplace_back(DialogueAttribute::kCommittee, value);
    } else if (field == "area") {
      filter.names.emplace_back(DialogueAttribute::kArea, value);
    } else if (field == "period_overlaps") {
      std::vector<std::string> ends = absl::StrSplit(value, '/');
      std::optional<google::type::Date> from, to;
      if (ends.size() == 2) {
        from = dates::ParseIsoDate(ends[0]);
        to = dates::ParseIsoDate(ends[1]);
      }
      if (!from || !to || domain::CompareDates(*from, *to) > 0) {
        return BadFilter("period_overlaps ska vara \"ÅÅÅÅ-MM-DD/ÅÅÅÅ-MM-DD\"",
                         "period_overlaps must be \"YYYY-MM-DD/YYYY-MM-DD\"");
      }
      filter.period = domain::Period{*from, *to};
    } else if (field == "text") {
      filter.text = absl::AsciiStrToLower(value);
    }
  }
  return filter;
}

absl::StatusOr<DialogueOrder> ParseDialogueOrder(std::string_view order_by) {
  absl::StatusOr<api::OrderBy> order =
      api::ParseOrderBy(order_by, domain::kErrorDomain,
                        {{"name"}, {"title"}, {"start_date", true}, {"update_time", true}});
  if (!order.ok()) return order.status();
  if (order->field == "title") return DialogueOrder::kTitle;
  if (order->field == "start_date") {
    return order->descending ? DialogueOrder::kStartDateDesc : DialogueOrder::kStartDate;
  }
  if (order->field == "update_time") {
    return order->descending ? DialogueOrder::kUpdateTimeDesc : DialogueOrder::kUpdateTime;
  }
  return DialogueOrder::kName;
}

// ListDialogues.total_size (AIP-132). The projection counts the dialogues of a tenant and
// of each indexed attribute value, so an empty filter or one indexed equality is answered
// from one count. Any other filter walks the narrowest index of its equalities (all of the
// tenant's dialogues if it has none) and checks each candidate, while the candidates are at
// most kExactCountLimit; beyond that the narrowest count is returned, an upper bound, which
// AIP-132 allows ("may be an estimate") and which keeps every page's cost bounded.
constexpr int64_t kExactCountLimit = 5000;

absl::StatusOr<int64_t> CountDialogues(const ReadView& view, const std::string& code,
                                       const DialogueFilter& filter) {
  std::string narrowest = DialogueOrderPrefix(code, DialogueOrder::kName);
  absl::StatusOr<int64_t> candidates = DialogueCount(view, narrowest);
  if (!candidates.ok()) return candidates.status();
  for (const std::string& prefix : filter.IndexPrefixes(code)) {
    absl::StatusOr<int64_t> n = DialogueCount(view, prefix);
    if (!n.ok()) return n.status();
    if (*n <= *candidates) {
      candidates = *n;
      narrowest = prefix;
    }
  }
  if (filter.IsOneIndexedEquality() || *candidates > kExactCountLimit) return *candidates;
  StoreRegistryView registry(view);
  int64_t matches = 0;
  absl::Status s = reads::ScanAfter(
      view, Cf::kIndexes, narrowest, {},
      [&](std::string_view, std::string_view id) -> absl::StatusOr<bool> {
        std::optional<v1::Dialogue> dialogue =
            registry.Read<v1::Dialogue>(ResourceKey(Collection::kDialogues, code, id));
        if (!registry.status().ok()) return registry.status();
        if (!dialogue) return absl::DataLossError("a dialogue index names a missing dialogue");
        if (filter.Matches(*dialogue)) ++matches;
        return true;
      });
  if (!s.ok()) return s;
  return matches;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// RPCs

grpc::ServerUnaryReactor* RegistryService::GetTenant(grpc::CallbackServerContext* context,
                                                     const v1::GetTenantRequest* request,
                                                     v1::Tenant* response) {
  return calls_.Read(context, [&](const api::RequestContext&) -> absl::Status {
    if (!domain::IsTenantName(request->name())) return InvalidName("name");
    const ReadView view = store_->NewReadView();
    StoreRegistryView registry(view);
    std::optional<v1::Tenant> tenant = registry.GetTenant(request->name());
    if (!registry.status().ok()) return registry.status();
    if (!tenant) return TenantNotFound(request->name());
    auto version = command::AggregateVersion(view, tenant->code(),
                                             {std::string(kTenantAggregateType), tenant->code()});
    if (!version.ok()) return version.status();
    tenant->set_etag(command::Etag(*version));
    *response = *std::move(tenant);
    return absl::OkStatus();
  });
}

#define SAMRAD_WRITE(Method, Request, Response, NameExpr, EtagExpr, EtagField, AnswerExpr)        \
  grpc::ServerUnaryReactor* RegistryService::Method(                                              \
      grpc::CallbackServerContext* context, const v1::Request* request, v1::Response* response) { \
    return calls_.Write(                                                                          \
        context, [this, request, response](const api::RequestContext& rc) -> absl::Status {       \
          const std::string name = (NameExpr);                                                    \
          absl::StatusOr<v1::Response> out = Write<v1::Request, v1::Response>(                    \
              executor_, rc, *request, name, (EtagExpr), (EtagField), (AnswerExpr));              \
          if (!out.ok()) return out.status();                                                     \
          *response = *std::move(out);                                                            \
          return absl::OkStatus();                                                                \
        });                                                                                       \
  }

SAMRAD_WRITE(CreateCommittee, CreateCommitteeRequest, Committee,
             ChildName(request->parent(), Collection::kCommittees, request->committee_id()), "", "",
             AnswerOf<v1::Committee>(name))
SAMRAD_WRITE(UpdateCommittee, UpdateCommitteeRequest, Committee, request->committee().name(),
             request->committee().etag(), "committee.etag", AnswerOf<v1::Committee>(name))
SAMRAD_WRITE(RetireCommittee, RetireCommitteeRequest, Committee, request->name(), request->etag(),
             "etag", AnswerOf<v1::Committee>(name))
SAMRAD_WRITE(CreateAdministration, CreateAdministrationRequest, Administration,
             ChildName(request->parent(), Collection::kAdministrations,
                       request->administration_id()),
             "", "", AnswerOf<v1::Administration>(name))
SAMRAD_WRITE(UpdateAdministration, UpdateAdministrationRequest, Administration,
             request->administration().name(), request->administration().etag(),
             "administration.etag", AnswerOf<v1::Administration>(name))
SAMRAD_WRITE(RetireAdministration, RetireAdministrationRequest, Administration, request->name(),
             request->etag(), "etag", AnswerOf<v1::Administration>(name))
SAMRAD_WRITE(CreatePerson, CreatePersonRequest, Person,
             ChildName(request->parent(), Collection::kPeople, request->person_id()), "", "",
             AnswerOf<v1::Person>(name))
SAMRAD_WRITE(UpdatePerson, UpdatePersonRequest, Person, request->person().name(),
             request->person().etag(), "person.etag", AnswerOf<v1::Person>(name))
SAMRAD_WRITE(AppointRepresentative, AppointRepresentativeRequest, Appointment,
             ChildName(request->parent(), Collection::kAppointments, request->appointment_id()), "",
             "", AnswerOf<v1::Appointment>(name))
SAMRAD_WRITE(EndAppointment, EndAppointmentRequest, Appointment, request->name(), request->etag(),
             "etag", AnswerOf<v1::Appointment>(name))
SAMRAD_WRITE(CreateDialogue, CreateDialogueRequest, CreateDialogueResponse,
             ChildName(request->parent(), Collection::kDialogues, request->dialogue_id()), "", "",
             DialogueAnswer<v1::CreateDialogueResponse>(name, request->options().request_id()))
SAMRAD_WRITE(UpdateDialogue, UpdateDialogueRequest, UpdateDialogueResponse,
             request->dialogue().name(), request->dialogue().etag(), "dialogue.etag",
             DialogueAnswer<v1::UpdateDialogueResponse>(name, request->options().request_id()))
SAMRAD_WRITE(TransitionDialogue, TransitionDialogueRequest, Dialogue, request->name(),
             request->etag(), "etag", AnswerOf<v1::Dialogue>(name))
SAMRAD_WRITE(CreateConsultation, CreateConsultationRequest, Consultation,
             ChildName(request->parent(), Collection::kConsultations, request->consultation_id()),
             "", "", AnswerOf<v1::Consultation>(name))
SAMRAD_WRITE(UpdateConsultation, UpdateConsultationRequest, Consultation,
             request->consultation().name(), request->consultation().etag(), "consultation.etag",
             AnswerOf<v1::Consultation>(name))
SAMRAD_WRITE(RecordConsultationAnswer, RecordConsultationAnswerRequest, Consultation,
             request->consultation(), request->etag(), "etag", AnswerOf<v1::Consultation>(name))
#undef SAMRAD_WRITE

#define SAMRAD_GET(Method, Request, Response)                                                     \
  grpc::ServerUnaryReactor* RegistryService::Method(                                              \
      grpc::CallbackServerContext* context, const v1::Request* request, v1::Response* response) { \
    return calls_.Read(context, [&](const api::RequestContext& rc) {                              \
      return GetResource<v1::Response>(store_, rc, *request, response);                           \
    });                                                                                           \
  }
SAMRAD_GET(GetCommittee, GetCommitteeRequest, Committee)
SAMRAD_GET(GetAdministration, GetAdministrationRequest, Administration)
SAMRAD_GET(GetPerson, GetPersonRequest, Person)
SAMRAD_GET(GetAppointment, GetAppointmentRequest, Appointment)
SAMRAD_GET(GetDialogue, GetDialogueRequest, Dialogue)
SAMRAD_GET(GetConsultation, GetConsultationRequest, Consultation)
#undef SAMRAD_GET

template <typename T, typename Request>
grpc::ServerUnaryReactor* RegistryService::List(grpc::CallbackServerContext* context,
                                                const Request& request, std::string_view method,
                                                std::string_view extra,
                                                std::function<bool(const T&)> keep,
                                                google::protobuf::RepeatedPtrField<T>* items,
                                                std::string* next_page_token) {
  return calls_.Read(context, [&](const api::RequestContext& rc) -> absl::Status {
    absl::StatusOr<reads::Page> page =
        reads::OpenPage(request.page_size(), request.page_token(),
                        {.method = method, .parent = request.parent(), .extra = extra});
    if (!page.ok()) return page.status();
    const ReadView view = store_->NewReadView();
    absl::StatusOr<std::string> code = TenantCode(view, request.parent());
    if (!code.ok()) return code.status();
    absl::StatusOr<std::string> token = ListCollection<T>(view, *code, *page, rc.lang, keep, items);
    if (!token.ok()) return token.status();
    *next_page_token = *std::move(token);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* RegistryService::ListCommittees(grpc::CallbackServerContext* context,
                                                          const v1::ListCommitteesRequest* request,
                                                          v1::ListCommitteesResponse* response) {
  const bool retired = request->show_retired();
  return List<v1::Committee>(
      context, *request, "ListCommittees", retired ? "show_retired" : "",
      [retired](const v1::Committee& c) { return retired || c.state() != v1::RETIRED; },
      response->mutable_committees(), response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* RegistryService::ListAdministrations(
    grpc::CallbackServerContext* context, const v1::ListAdministrationsRequest* request,
    v1::ListAdministrationsResponse* response) {
  const bool retired = request->show_retired();
  return List<v1::Administration>(
      context, *request, "ListAdministrations", retired ? "show_retired" : "",
      [retired](const v1::Administration& a) { return retired || a.state() != v1::RETIRED; },
      response->mutable_administrations(), response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* RegistryService::ListAreas(grpc::CallbackServerContext* context,
                                                     const v1::ListAreasRequest* request,
                                                     v1::ListAreasResponse* response) {
  return List<v1::Area>(context, *request, "ListAreas", "", KeepAll<v1::Area>,
                        response->mutable_areas(), response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* RegistryService::ListChannels(grpc::CallbackServerContext* context,
                                                        const v1::ListChannelsRequest* request,
                                                        v1::ListChannelsResponse* response) {
  return List<v1::Channel>(context, *request, "ListChannels", "", KeepAll<v1::Channel>,
                           response->mutable_channels(), response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* RegistryService::ListPeople(grpc::CallbackServerContext* context,
                                                      const v1::ListPeopleRequest* request,
                                                      v1::ListPeopleResponse* response) {
  return List<v1::Person>(context, *request, "ListPeople", "", KeepAll<v1::Person>,
                          response->mutable_people(), response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* RegistryService::ListConsultations(
    grpc::CallbackServerContext* context, const v1::ListConsultationsRequest* request,
    v1::ListConsultationsResponse* response) {
  return List<v1::Consultation>(context, *request, "ListConsultations", "",
                                KeepAll<v1::Consultation>, response->mutable_consultations(),
                                response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* RegistryService::ListAppointments(
    grpc::CallbackServerContext* context, const v1::ListAppointmentsRequest* request,
    v1::ListAppointmentsResponse* response) {
  const std::string& administration = request->administration();
  if (!administration.empty() &&
      !domain::IsResourceName(administration, Collection::kAdministrations)) {
    return calls_.Read(context,
                       [](const api::RequestContext&) { return InvalidName("administration"); });
  }
  return List<v1::Appointment>(
      context, *request, "ListAppointments", administration,
      [&administration](const v1::Appointment& a) {
        return administration.empty() || a.administration() == administration;
      },
      response->mutable_appointments(), response->mutable_next_page_token());
}

static absl::StatusOr<google::type::Date> DateOrToday(const google::type::Date* date) {
  if (date == nullptr) return dates::StockholmDate(absl::Now());
  if (!domain::IsValidDate(*date)) {
    return InvalidField("date", "DATE_INVALID",
                        {"Datumet är inte ett giltigt datum", "The date is not a valid date"});
  }
  return *date;
}

grpc::ServerUnaryReactor* RegistryService::ListNetwork(grpc::CallbackServerContext* context,
                                                       const v1::ListNetworkRequest* request,
                                                       v1::ListNetworkResponse* response) {
  return calls_.Read(context, [&](const api::RequestContext&) -> absl::Status {
    absl::StatusOr<google::type::Date> date =
        DateOrToday(request->has_date() ? &request->date() : nullptr);
    if (!date.ok()) return date.status();
    const ReadView view = store_->NewReadView();
    absl::StatusOr<std::string> code = TenantCode(view, request->parent());
    if (!code.ok()) return code.status();
    StoreRegistryView registry(view);
    *response = domain::NetworkAsOf(registry.ListCommittees(request->parent()),
                                    registry.ListAdministrations(request->parent()),
                                    registry.ListAppointments(request->parent()),
                                    registry.ListPeople(request->parent()), *date);
    return registry.status();
  });
}

grpc::ServerUnaryReactor* RegistryService::ListDialogues(grpc::CallbackServerContext* context,
                                                         const v1::ListDialoguesRequest* request,
                                                         v1::ListDialoguesResponse* response) {
  return calls_.Read(context, [&](const api::RequestContext& rc) -> absl::Status {
    absl::StatusOr<DialogueFilter> filter = ParseDialogueFilter(request->filter());
    if (!filter.ok()) return filter.status();
    absl::StatusOr<DialogueOrder> order = ParseDialogueOrder(request->order_by());
    if (!order.ok()) return order.status();
    absl::StatusOr<reads::Page> page = reads::OpenPage(request->page_size(), request->page_token(),
                                                       {.method = "ListDialogues",
                                                        .parent = request->parent(),
                                                        .filter = request->filter(),
                                                        .order_by = request->order_by()});
    if (!page.ok()) return page.status();
    const ReadView view = store_->NewReadView();
    absl::StatusOr<std::string> code = TenantCode(view, request->parent());
    if (!code.ok()) return code.status();

    // Index choice: in name order an equality on an indexed attribute narrows the walk to
    // that attribute's keys (ids in name order); otherwise the order's own index is walked
    // and every dialogue is checked against the filter.
    std::string prefix = DialogueOrderPrefix(*code, *order);
    if (*order == DialogueOrder::kName) {
      if (!filter->names.empty()) {
        prefix = DialogueAttributePrefix(*code, filter->names.front().first,
                                         filter->names.front().second);
      } else if (filter->status) {
        prefix = DialogueAttributePrefix(*code, DialogueAttribute::kStatus,
                                         absl::StrCat(static_cast<int>(*filter->status)));
      } else if (filter->type) {
        prefix = DialogueAttributePrefix(*code, DialogueAttribute::kType,
                                         absl::StrCat(static_cast<int>(*filter->type)));
      }
    }
    StoreRegistryView registry(view);
    using IdAndDialogue = std::pair<std::string, v1::Dialogue>;
    auto found = reads::ScanPage<IdAndDialogue>(
        view, Cf::kIndexes, prefix, *page,
        [&](std::string_view, std::string_view id) -> absl::StatusOr<std::optional<IdAndDialogue>> {
          std::optional<v1::Dialogue> dialogue =
              registry.Read<v1::Dialogue>(ResourceKey(Collection::kDialogues, *code, id));
          if (!registry.status().ok()) return registry.status();
          if (!dialogue) return absl::DataLossError("a dialogue index names a missing dialogue");
          if (!filter->Matches(*dialogue)) return std::nullopt;
          return IdAndDialogue(std::string(id), *std::move(dialogue));
        });
    if (!found.ok()) return found.status();
    for (auto& [key, item] : found->items) {
      auto& [id, dialogue] = item;
      absl::StatusOr<int64_t> version = command::AggregateVersion(
          view, *code, {std::string(AggregateType(Collection::kDialogues)), id});
      if (!version.ok()) return version.status();
      Decorate(dialogue, *version, rc.lang);
      *response->add_dialogues() = std::move(dialogue);
    }
    // total_size is counted for the first page and carried by the tokens of the next ones
    // (api::PageCursor::total), so a listing counts once however many pages it has.
    int64_t total = page->cursor.total;
    if (total < 0) {
      absl::StatusOr<int64_t> counted = CountDialogues(view, *code, *filter);
      if (!counted.ok()) return counted.status();
      total = *counted;
    }
    response->set_next_page_token(reads::NextPageToken(*page, *found, total));
    response->set_total_size(
        static_cast<int32_t>(std::min<int64_t>(total, std::numeric_limits<int32_t>::max())));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* RegistryService::ListCoordinationHints(
    grpc::CallbackServerContext* context, const v1::ListCoordinationHintsRequest* request,
    v1::ListCoordinationHintsResponse* response) {
  return calls_.Read(context, [&](const api::RequestContext&) -> absl::Status {
    if (!domain::IsResourceName(request->dialogue(), Collection::kDialogues)) {
      return InvalidName("dialogue");
    }
    const ReadView view = store_->NewReadView();
    StoreRegistryView registry(view);
    if (!registry.GetDialogue(request->dialogue())) {
      return registry.status().ok() ? NotFound(request->dialogue()) : registry.status();
    }
    for (auto& hint : registry.HintsFor(request->dialogue())) {
      *response->add_hints() = std::move(hint);
    }
    return registry.status();
  });
}

grpc::ServerUnaryReactor* RegistryService::ListOverdueBodies(
    grpc::CallbackServerContext* context, const v1::ListOverdueBodiesRequest* request,
    v1::ListOverdueBodiesResponse* response) {
  return calls_.Read(context, [&](const api::RequestContext&) -> absl::Status {
    absl::StatusOr<google::type::Date> date =
        DateOrToday(request->has_date() ? &request->date() : nullptr);
    if (!date.ok()) return date.status();
    const ReadView view = store_->NewReadView();
    absl::StatusOr<std::string> code = TenantCode(view, request->parent());
    if (!code.ok()) return code.status();
    StoreRegistryView registry(view);
    for (const v1::Consultation& c : registry.ListConsultations(request->parent())) {
      for (auto& overdue : domain::OverdueBodies(c, *date)) {
        *response->add_overdue() = std::move(overdue);
      }
    }
    return registry.status();
  });
}

grpc::ServerUnaryReactor* RegistryService::GetHistory(grpc::CallbackServerContext* context,
                                                      const v1::GetHistoryRequest* request,
                                                      v1::GetHistoryResponse* response) {
  return calls_.Read(context, [&](const api::RequestContext&) -> absl::Status {
    const std::optional<NamedAggregate> aggregate = AggregateOfName(request->name());
    if (!aggregate) return InvalidName("name");
    absl::StatusOr<reads::Page> page =
        reads::OpenPage(request->page_size(), request->page_token(),
                        {.method = "GetHistory", .parent = request->name()});
    if (!page.ok()) return page.status();
    const ReadView view = store_->NewReadView();
    auto version = command::AggregateVersion(view, aggregate->tenant_code, aggregate->ref);
    if (!version.ok()) return version.status();
    if (*version == 0) return NotFound(request->name());
    std::vector<Event> events;
    absl::StatusOr<std::string> token =
        reads::HistoryPage<Event>(view, aggregate->tenant_code, aggregate->ref, *page, &events);
    if (!token.ok()) return token.status();
    for (Event& e : events) *response->add_events() = std::move(e);
    response->set_next_page_token(*std::move(token));
    return absl::OkStatus();
  });
}

}  // namespace samrad::registry
