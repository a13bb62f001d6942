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
#include "libs/api/errors.h"
#include "libs/api/page_token.h"
#include "libs/api/request_context.h"
#include "libs/command/history.h"
#include "libs/projection/key_codec.h"
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

absl::Status InvalidField(std::string field, std::string reason, api::Text text) {
  return api::InvalidArgument(domain::kErrorDomain,
                              {{std::move(field), std::move(reason), std::move(text)}});
}

absl::Status InvalidName(std::string field) {
  return InvalidField(std::move(field), "INVALID_NAME",
                      {"Namnet är inte ett giltigt resursnamn för detta anrop",
                       "The name is not a valid resource name for this call"});
}

absl::Status NotFound(std::string_view name) {
  return api::Error(absl::StatusCode::kNotFound, domain::kErrorDomain, "RESOURCE_NOT_FOUND",
                    {absl::StrCat("Det finns ingen resurs ", std::string(name)),
                     absl::StrCat("There is no resource ", std::string(name))},
                    {{"name", std::string(name)}});
}

absl::Status TenantNotFound(std::string_view name) {
  return api::Error(absl::StatusCode::kNotFound, domain::kErrorDomain, "TENANT_NOT_FOUND",
                    {absl::StrCat("Det finns ingen kommun ", std::string(name)),
                     absl::StrCat("There is no tenant ", std::string(name))},
                    {{"name", std::string(name)}});
}

// The one place a reactor finishes: every error goes through api::ToGrpcStatus here.
void Finish(grpc::ServerUnaryReactor* reactor, const absl::Status& status, Lang lang) {
  reactor->Finish(status.ok() ? grpc::Status::OK : api::ToGrpcStatus(status, lang));
}

grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                     const absl::Status& status, Lang lang) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Finish(reactor, status, lang);
  return reactor;
}

// Reads the request context and runs `fn` with it.
grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context, api::Access access,
                                const std::function<absl::Status(const api::RequestContext&)>& fn) {
  absl::StatusOr<api::RequestContext> rc = api::ReadRequestContext(*context, access);
  if (!rc.ok()) return FinishWith(context, rc.status(), Lang::kSv);
  return FinishWith(context, fn(*rc), rc->lang);
}

// Runs a write on the command pool and finishes the call from there. A write blocks: on its
// partition's lock and on the log's sync, which it shares with the writes queued behind it
// (docs/adr/0008-pipelined-durability.md). gRPC's callback threads, as many as there are
// cores, stay free for reads and health checks meanwhile.
grpc::ServerUnaryReactor* ServeWrite(
    grpc::CallbackServerContext* context, common::WorkPool& pool,
    absl::AnyInvocable<absl::Status(const api::RequestContext&)> fn) {
  absl::StatusOr<api::RequestContext> rc = api::ReadRequestContext(*context, api::Access::kWrite);
  if (!rc.ok()) return FinishWith(context, rc.status(), Lang::kSv);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const Lang lang = rc->lang;
  const bool queued = pool.Submit([reactor, rc = *std::move(rc), fn = std::move(fn)]() mutable {
    Finish(reactor, fn(rc), rc.lang);
  });
  if (!queued) {
    Finish(reactor,
           api::Error(absl::StatusCode::kUnavailable, domain::kErrorDomain, "SHUTTING_DOWN",
                      {"Tjänsten stängs av. Försök igen om en stund med samma request_id.",
                       "The service is shutting down. Retry in a moment with the same "
                       "request_id."}),
           lang);
  }
  return reactor;
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
  if (!as_of.version && !as_of.time) {
    StoreRegistryView registry(view);
    std::optional<T> resource =
        registry.Read<T>(ResourceKey(parsed->collection, parsed->tenant_code, parsed->id));
    if (!registry.status().ok()) return registry.status();
    if (!resource) return NotFound(name);
    absl::StatusOr<int64_t> version = command::AggregateVersion(view, parsed->tenant_code, ref);
    if (!version.ok()) return version.status();
    Decorate(*resource, *version, lang);
    return *std::move(resource);
  }
  auto folded =
      command::FoldAsOf<Event>(view, parsed->tenant_code, ref, as_of, T(),
                               [](T& r, const Event& e) { return Traits<T>::Fold(r, e); });
  if (!folded.ok()) return folded.status();
  if (!folded->has_value()) return NotFound(name);
  T resource = std::move((*folded)->state);
  Decorate(resource, (*folded)->version, lang);
  return resource;
}

// The resource as the answer of a command: at the command's version.
template <typename T>
absl::StatusOr<T> AnswerResource(const command::AnswerContext& ctx, std::string_view name) {
  command::AsOf as_of;
  if (!ctx.at_latest()) as_of.version = ctx.version;
  return ReadResource<T>(ctx.view, name, as_of, ctx.request.lang);
}

absl::StatusOr<command::AsOf> AsOfOf(const v1::AsOf& as_of) {
  command::AsOf out;
  switch (as_of.point_case()) {
    case v1::AsOf::kVersion:
      if (as_of.version() <= 0) {
        return InvalidField("as_of.version", "VERSION_INVALID",
                            {"Versionen måste vara minst 1", "The version must be at least 1"});
      }
      out.version = as_of.version();
      break;
    case v1::AsOf::kTime:
      out.time =
          absl::FromUnixSeconds(as_of.time().seconds()) + absl::Nanoseconds(as_of.time().nanos());
      break;
    case v1::AsOf::POINT_NOT_SET:
      break;
  }
  return out;
}

template <typename T, typename Request>
absl::Status GetResource(projection::ProjectionStore* store, const api::RequestContext& rc,
                         const Request& request, T* response) {
  absl::StatusOr<command::AsOf> as_of = AsOfOf(request.as_of());
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
        const domain::DecideContext ctx{.now = dc.now, .today = StockholmDate(dc.now)};
        absl::StatusOr<domain::DecideResult> result = domain::Decide(registry, request, ctx);
        if (!registry.status().ok()) return registry.status();
        if (!result.ok()) return result.status();
        std::vector<Event> events = result->events;
        // Each event belongs to the resource it changes (e.g. AppointmentEnded of the
        // previous representative), so that resource's history and version include it.
        for (Event& event : events) {
          const auto target = AggregateOfName(ResourceOfEvent(event));
          if (!target) return absl::InternalError("decided an event without a resource");
          event.mutable_metadata()->set_aggregate_type(target->ref.type);
          event.mutable_metadata()->set_aggregate_id(target->ref.id);
        }
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

// Calls fn(key, value) for the keys of `prefix` strictly after `after` (empty: from the
// first), ascending, until fn returns false. The walk seeks to the cursor, so a page costs
// the same however deep into the collection it is.
absl::Status ScanAfter(const ReadView& view, Cf cf, std::string_view prefix, std::string_view after,
                       const std::function<bool(std::string_view, std::string_view)>& fn) {
  projection::PrefixIterator it = view.NewPrefixIterator(cf, prefix);
  if (!after.empty()) {
    it.Seek(after);
    if (it.Valid() && it.key() == after) it.Next();
  }
  for (; it.Valid(); it.Next()) {
    if (!fn(it.key(), it.value())) break;
  }
  return it.status();
}

absl::StatusOr<std::string> TenantCode(const ReadView& view, std::string_view parent) {
  if (!domain::IsTenantName(parent)) return InvalidName("parent");
  StoreRegistryView registry(view);
  const bool exists = registry.GetTenant(parent).has_value();
  if (!registry.status().ok()) return registry.status();
  if (!exists) return TenantNotFound(parent);
  return std::string(parent.substr(parent.find('/') + 1));
}

struct Page {
  int32_t size = 0;
  api::PageCursor cursor;
  api::PageQuery query;
};

absl::StatusOr<Page> OpenPage(int32_t page_size, std::string_view token, api::PageQuery query) {
  absl::StatusOr<int32_t> size = api::NormalizePageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<api::PageCursor> cursor = api::DecodePageToken(token, query);
  if (!cursor.ok()) return cursor.status();
  return Page{*size, *std::move(cursor), query};
}

// Lists the resources of one collection of a tenant in name order, `keep` filtering them.
// The cursor is the last id returned.
template <typename T>
absl::StatusOr<std::string> ListCollection(const ReadView& view, const std::string& code,
                                           const Page& page, Lang lang,
                                           const std::function<bool(const T&)>& keep,
                                           const std::function<void(T)>& add) {
  const std::string prefix = ResourcePrefix(Traits<T>::kCollection, code);
  const std::string after =
      page.cursor.last_key.empty() ? std::string() : prefix + page.cursor.last_key;
  int32_t taken = 0;
  bool more = false;
  std::string last_id;
  std::vector<std::pair<std::string, T>> items;
  absl::Status parse = absl::OkStatus();
  absl::Status s =
      ScanAfter(view, Cf::kState, prefix, after, [&](std::string_view key, std::string_view value) {
        T resource;
        if (!resource.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          parse = absl::DataLossError("registry state is corrupt");
          return false;
        }
        if (!keep(resource)) return true;
        if (taken == page.size) {
          more = true;
          return false;
        }
        ++taken;
        items.emplace_back(std::string(key.substr(prefix.size())), std::move(resource));
        return true;
      });
  if (!s.ok()) return s;
  if (!parse.ok()) return parse;
  for (auto& [id, resource] : items) {
    absl::StatusOr<int64_t> version = command::AggregateVersion(
        view, code, {std::string(AggregateType(Traits<T>::kCollection)), id});
    if (!version.ok()) return version.status();
    Decorate(resource, *version, lang);
    last_id = id;
    add(std::move(resource));
  }
  if (!more) return std::string();
  return api::EncodePageToken({.last_key = last_id, .position = page.cursor.position + taken},
                              page.query);
}

template <typename T, typename Request, typename AddFn>
absl::Status ListSimple(projection::ProjectionStore* store, const api::RequestContext& rc,
                        const Request& request, std::string_view method, std::string extra,
                        const std::function<bool(const T&)>& keep, const AddFn& add,
                        std::string* next_page_token) {
  absl::StatusOr<Page> page =
      OpenPage(request.page_size(), request.page_token(),
               {.method = method, .parent = request.parent(), .extra = extra});
  if (!page.ok()) return page.status();
  const ReadView view = store->NewReadView();
  absl::StatusOr<std::string> code = TenantCode(view, request.parent());
  if (!code.ok()) return code.status();
  absl::StatusOr<std::string> token =
      ListCollection<T>(view, *code, *page, rc.lang, keep, std::function<void(T)>(add));
  if (!token.ok()) return token.status();
  *next_page_token = *std::move(token);
  return absl::OkStatus();
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
  return InvalidField("filter", "INVALID_FILTER",
                      {absl::StrCat("Ogiltigt filter: ", std::string(detail_sv)),
                       absl::StrCat("Invalid filter: ", std::string(detail_en))});
}

std::optional<google::type::Date> ParseIsoDate(std::string_view s) {
  std::vector<std::string> parts = absl::StrSplit(std::string(s), '-');
  int y = 0, m = 0, d = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &y) || !absl::SimpleAtoi(parts[1], &m) ||
      !absl::SimpleAtoi(parts[2], &d)) {
    return std::nullopt;
  }
  google::type::Date date = domain::MakeDate(y, m, d);
  if (!domain::IsValidDate(date)) return std::nullopt;
  return date;
}

// Parses the documented subset of AIP-160: `term (AND term)*`, term = `field = value` or
// `text : "..."`; values are bare words or double-quoted strings (\" and \\ escaped).
absl::StatusOr<DialogueFilter> ParseFilter(std::string_view in) {
  DialogueFilter filter;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < in.size() && absl::ascii_isspace(static_cast<unsigned char>(in[i]))) ++i;
  };
  auto word = [&]() -> std::string {
    const size_t start = i;
    while (i < in.size() && (absl::ascii_isalnum(static_cast<unsigned char>(in[i])) ||
                             in[i] == '_' || in[i] == '-' || in[i] == '/' || in[i] == '.')) {
      ++i;
    }
    return std::string(in.substr(start, i - start));
  };
  skip_space();
  if (i == in.size()) return filter;
  while (true) {
    skip_space();
    const std::string field = word();
    if (field.empty()) return BadFilter("ett fältnamn väntades", "a field name was expected");
    skip_space();
    if (i >= in.size() || (in[i] != '=' && in[i] != ':')) {
      return BadFilter(absl::StrCat("'=' eller ':' väntades efter ", field),
                       absl::StrCat("'=' or ':' expected after ", field));
    }
    const char op = in[i++];
    skip_space();
    std::string value;
    if (i < in.size() && in[i] == '"') {
      ++i;
      bool closed = false;
      while (i < in.size()) {
        const char c = in[i++];
        if (c == '\\' && i < in.size()) {
          value.push_back(in[i++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value.push_back(c);
        }
      }
      if (!closed) return BadFilter("en sträng saknar avslutande '\"'", "unterminated string");
    } else {
      value = word();
    }
    if (value.empty()) {
      return BadFilter(absl::StrCat("värde saknas för ", field),
                       absl::StrCat("missing value for ", field));
    }
    if ((field == "text") != (op == ':')) {
      return BadFilter("':' används bara med text, '=' med övriga fält",
                       "':' is for text only, '=' for the other fields");
    }
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
        from = ParseIsoDate(ends[0]);
        to = ParseIsoDate(ends[1]);
      }
      if (!from || !to || domain::CompareDates(*from, *to) > 0) {
        return BadFilter("period_overlaps ska vara \"ÅÅÅÅ-MM-DD/ÅÅÅÅ-MM-DD\"",
                         "period_overlaps must be \"YYYY-MM-DD/YYYY-MM-DD\"");
      }
      filter.period = domain::Period{*from, *to};
    } else if (field == "text") {
      filter.text = absl::AsciiStrToLower(value);
    } else {
      return BadFilter(absl::StrCat("okänt fält ", field), absl::StrCat("unknown field ", field));
    }
    skip_space();
    if (i == in.size()) return filter;
    if (word() != "AND") return BadFilter("AND väntades", "AND expected");
  }
}

absl::StatusOr<DialogueOrder> ParseOrderBy(std::string_view order_by) {
  std::vector<std::string> words =
      absl::StrSplit(std::string(order_by), ' ', absl::SkipWhitespace());
  if (words.empty()) return DialogueOrder::kName;
  const bool desc = words.size() == 2 && words[1] == "desc";
  const bool asc = words.size() == 1 || (words.size() == 2 && words[1] == "asc");
  if (asc || desc) {
    if (words[0] == "name" && asc) return DialogueOrder::kName;
    if (words[0] == "title" && asc) return DialogueOrder::kTitle;
    if (words[0] == "start_date") {
      return desc ? DialogueOrder::kStartDateDesc : DialogueOrder::kStartDate;
    }
    if (words[0] == "update_time") {
      return desc ? DialogueOrder::kUpdateTimeDesc : DialogueOrder::kUpdateTime;
    }
  }
  return InvalidField("order_by", "INVALID_ORDER_BY",
                      {"Sortering kan vara \"name\", \"title\", \"start_date [desc]\" eller "
                       "\"update_time [desc]\"",
                       "order_by can be \"name\", \"title\", \"start_date [desc]\" or "
                       "\"update_time [desc]\""});
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
  absl::Status s =
      ScanAfter(view, Cf::kIndexes, narrowest, {}, [&](std::string_view, std::string_view id) {
        std::optional<v1::Dialogue> dialogue =
            registry.Read<v1::Dialogue>(ResourceKey(Collection::kDialogues, code, id));
        if (!dialogue) return registry.status().ok();
        if (filter.Matches(*dialogue)) ++matches;
        return true;
      });
  if (!s.ok()) return s;
  if (!registry.status().ok()) return registry.status();
  return matches;
}

}  // namespace

google::type::Date StockholmDate(absl::Time time) {
  static const absl::TimeZone* const zone = [] {
    auto* tz = new absl::TimeZone(absl::UTCTimeZone());
    absl::LoadTimeZone("Europe/Stockholm", tz);
    return tz;
  }();
  return domain::FromCivilDay(absl::ToCivilDay(time, *zone));
}

// ---------------------------------------------------------------------------------------
// RPCs

grpc::ServerUnaryReactor* RegistryService::GetTenant(grpc::CallbackServerContext* context,
                                                     const v1::GetTenantRequest* request,
                                                     v1::Tenant* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext&) -> absl::Status {
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

#define SAMRAD_WRITE(Method, Request, Response, NameExpr, EtagExpr, EtagField, AnswerExpr)         \
  grpc::ServerUnaryReactor* RegistryService::Method(                                               \
      grpc::CallbackServerContext* context, const v1::Request* request, v1::Response* response) {  \
    return ServeWrite(context, commands_,                                                          \
                      [this, request, response](const api::RequestContext& rc) -> absl::Status {   \
                        const std::string name = (NameExpr);                                       \
                        absl::StatusOr<v1::Response> out = Write<v1::Request, v1::Response>(       \
                            executor_, rc, *request, name, (EtagExpr), (EtagField), (AnswerExpr)); \
                        if (!out.ok()) return out.status();                                        \
                        *response = *std::move(out);                                               \
                        return absl::OkStatus();                                                   \
                      });                                                                          \
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
    return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) {                \
      return GetResource<v1::Response>(store_, rc, *request, response);                           \
    });                                                                                           \
  }
SAMRAD_GET(GetCommittee, GetCommitteeRequest, Committee)
SAMRAD_GET(GetAdministration, GetAdministrationRequest, Administration)
SAMRAD_GET(GetPerson, GetPersonRequest, Person)
SAMRAD_GET(GetDialogue, GetDialogueRequest, Dialogue)
SAMRAD_GET(GetConsultation, GetConsultationRequest, Consultation)
#undef SAMRAD_GET

grpc::ServerUnaryReactor* RegistryService::ListCommittees(grpc::CallbackServerContext* context,
                                                          const v1::ListCommitteesRequest* request,
                                                          v1::ListCommitteesResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) {
    const bool retired = request->show_retired();
    return ListSimple<v1::Committee>(
        store_, rc, *request, "ListCommittees", retired ? "show_retired" : "",
        [retired](const v1::Committee& c) { return retired || c.state() != v1::RETIRED; },
        [&](v1::Committee c) { *response->add_committees() = std::move(c); },
        response->mutable_next_page_token());
  });
}

grpc::ServerUnaryReactor* RegistryService::ListAdministrations(
    grpc::CallbackServerContext* context, const v1::ListAdministrationsRequest* request,
    v1::ListAdministrationsResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) {
    const bool retired = request->show_retired();
    return ListSimple<v1::Administration>(
        store_, rc, *request, "ListAdministrations", retired ? "show_retired" : "",
        [retired](const v1::Administration& a) { return retired || a.state() != v1::RETIRED; },
        [&](v1::Administration a) { *response->add_administrations() = std::move(a); },
        response->mutable_next_page_token());
  });
}

grpc::ServerUnaryReactor* RegistryService::ListAreas(grpc::CallbackServerContext* context,
                                                     const v1::ListAreasRequest* request,
                                                     v1::ListAreasResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) {
    return ListSimple<v1::Area>(
        store_, rc, *request, "ListAreas", "", KeepAll<v1::Area>,
        [&](v1::Area a) { *response->add_areas() = std::move(a); },
        response->mutable_next_page_token());
  });
}

grpc::ServerUnaryReactor* RegistryService::ListChannels(grpc::CallbackServerContext* context,
                                                        const v1::ListChannelsRequest* request,
                                                        v1::ListChannelsResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) {
    return ListSimple<v1::Channel>(
        store_, rc, *request, "ListChannels", "", KeepAll<v1::Channel>,
        [&](v1::Channel c) { *response->add_channels() = std::move(c); },
        response->mutable_next_page_token());
  });
}

grpc::ServerUnaryReactor* RegistryService::ListPeople(grpc::CallbackServerContext* context,
                                                      const v1::ListPeopleRequest* request,
                                                      v1::ListPeopleResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) {
    return ListSimple<v1::Person>(
        store_, rc, *request, "ListPeople", "", KeepAll<v1::Person>,
        [&](v1::Person p) { *response->add_people() = std::move(p); },
        response->mutable_next_page_token());
  });
}

grpc::ServerUnaryReactor* RegistryService::ListConsultations(
    grpc::CallbackServerContext* context, const v1::ListConsultationsRequest* request,
    v1::ListConsultationsResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) {
    return ListSimple<v1::Consultation>(
        store_, rc, *request, "ListConsultations", "", KeepAll<v1::Consultation>,
        [&](v1::Consultation c) { *response->add_consultations() = std::move(c); },
        response->mutable_next_page_token());
  });
}

grpc::ServerUnaryReactor* RegistryService::ListAppointments(
    grpc::CallbackServerContext* context, const v1::ListAppointmentsRequest* request,
    v1::ListAppointmentsResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) -> absl::Status {
    const std::string& administration = request->administration();
    if (!administration.empty() &&
        !domain::IsResourceName(administration, Collection::kAdministrations)) {
      return InvalidName("administration");
    }
    return ListSimple<v1::Appointment>(
        store_, rc, *request, "ListAppointments", administration,
        [&](const v1::Appointment& a) {
          return administration.empty() || a.administration() == administration;
        },
        [&](v1::Appointment a) { *response->add_appointments() = std::move(a); },
        response->mutable_next_page_token());
  });
}

grpc::ServerUnaryReactor* RegistryService::ListNetwork(grpc::CallbackServerContext* context,
                                                       const v1::ListNetworkRequest* request,
                                                       v1::ListNetworkResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext&) -> absl::Status {
    google::type::Date date = request->date();
    if (!request->has_date()) {
      date = StockholmDate(absl::Now());
    } else if (!domain::IsValidDate(date)) {
      return InvalidField("date", "DATE_INVALID",
                          {"Datumet är inte ett giltigt datum", "The date is not a valid date"});
    }
    const ReadView view = store_->NewReadView();
    absl::StatusOr<std::string> code = TenantCode(view, request->parent());
    if (!code.ok()) return code.status();
    StoreRegistryView registry(view);
    *response = domain::NetworkAsOf(
        registry.ListCommittees(request->parent()), registry.ListAdministrations(request->parent()),
        registry.ListAppointments(request->parent()), registry.ListPeople(request->parent()), date);
    return registry.status();
  });
}

grpc::ServerUnaryReactor* RegistryService::ListDialogues(grpc::CallbackServerContext* context,
                                                         const v1::ListDialoguesRequest* request,
                                                         v1::ListDialoguesResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext& rc) -> absl::Status {
    absl::StatusOr<DialogueFilter> filter = ParseFilter(request->filter());
    if (!filter.ok()) return filter.status();
    absl::StatusOr<DialogueOrder> order = ParseOrderBy(request->order_by());
    if (!order.ok()) return order.status();
    absl::StatusOr<Page> page = OpenPage(request->page_size(), request->page_token(),
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
    const std::string after =
        page->cursor.last_key.empty() ? std::string() : prefix + page->cursor.last_key;
    StoreRegistryView registry(view);
    int32_t taken = 0;
    bool more = false;
    std::string last_key;
    absl::Status s = ScanAfter(
        view, Cf::kIndexes, prefix, after, [&](std::string_view key, std::string_view id) {
          std::optional<v1::Dialogue> dialogue =
              registry.Read<v1::Dialogue>(ResourceKey(Collection::kDialogues, *code, id));
          if (!dialogue) return registry.status().ok();
          if (!filter->Matches(*dialogue)) return true;
          if (taken == page->size) {
            more = true;
            return false;
          }
          auto version = command::AggregateVersion(view, *code, {"dialogue", std::string(id)});
          if (!version.ok()) return false;
          Decorate(*dialogue, *version, rc.lang);
          *response->add_dialogues() = *std::move(dialogue);
          ++taken;
          last_key.assign(key.substr(prefix.size()));
          return true;
        });
    if (!s.ok()) return s;
    if (!registry.status().ok()) return registry.status();
    if (more) {
      response->set_next_page_token(api::EncodePageToken(
          {.last_key = last_key, .position = page->cursor.position + taken}, page->query));
    }
    absl::StatusOr<int64_t> total = CountDialogues(view, *code, *filter);
    if (!total.ok()) return total.status();
    response->set_total_size(
        static_cast<int32_t>(std::min<int64_t>(*total, std::numeric_limits<int32_t>::max())));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* RegistryService::ListCoordinationHints(
    grpc::CallbackServerContext* context, const v1::ListCoordinationHintsRequest* request,
    v1::ListCoordinationHintsResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext&) -> absl::Status {
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
  return Serve(context, api::Access::kRead, [&](const api::RequestContext&) -> absl::Status {
    google::type::Date date = request->date();
    if (!request->has_date()) {
      date = StockholmDate(absl::Now());
    } else if (!domain::IsValidDate(date)) {
      return InvalidField("date", "DATE_INVALID",
                          {"Datumet är inte ett giltigt datum", "The date is not a valid date"});
    }
    const ReadView view = store_->NewReadView();
    absl::StatusOr<std::string> code = TenantCode(view, request->parent());
    if (!code.ok()) return code.status();
    StoreRegistryView registry(view);
    for (const v1::Consultation& c : registry.ListConsultations(request->parent())) {
      for (auto& overdue : domain::OverdueBodies(c, date)) {
        *response->add_overdue() = std::move(overdue);
      }
    }
    return registry.status();
  });
}

grpc::ServerUnaryReactor* RegistryService::GetHistory(grpc::CallbackServerContext* context,
                                                      const v1::GetHistoryRequest* request,
                                                      v1::GetHistoryResponse* response) {
  return Serve(context, api::Access::kRead, [&](const api::RequestContext&) -> absl::Status {
    const std::optional<NamedAggregate> aggregate = AggregateOfName(request->name());
    if (!aggregate) return InvalidName("name");
    absl::StatusOr<Page> page = OpenPage(request->page_size(), request->page_token(),
                                         {.method = "GetHistory", .parent = request->name()});
    if (!page.ok()) return page.status();
    int64_t from = 1;
    if (!page->cursor.last_key.empty()) {
      std::string_view in = page->cursor.last_key;
      if (!projection::keys::ConsumeInt64(&in, &from)) return absl::InternalError("bad cursor");
      ++from;
    }
    const ReadView view = store_->NewReadView();
    auto version = command::AggregateVersion(view, aggregate->tenant_code, aggregate->ref);
    if (!version.ok()) return version.status();
    if (*version == 0) return NotFound(request->name());
    auto events = command::History<Event>(view, aggregate->tenant_code, aggregate->ref, from,
                                          static_cast<size_t>(page->size) + 1);
    if (!events.ok()) return events.status();
    const bool more = events->size() > static_cast<size_t>(page->size);
    if (more) events->pop_back();
    for (auto& e : *events) *response->add_events() = std::move(e);
    if (more) {
      const int64_t last = response->events().rbegin()->metadata().aggregate_version();
      response->set_next_page_token(
          api::EncodePageToken({.last_key = projection::keys::EncodeInt64(last),
                                .position = page->cursor.position + page->size},
                               page->query));
    }
    return absl::OkStatus();
  });
}

}  // namespace samrad::registry
