#ifndef SAMRAD_LIBS_API_REQUEST_CONTEXT_H_
#define SAMRAD_LIBS_API_REQUEST_CONTEXT_H_

// Who is calling, in which language, under which correlation id: read from gRPC request
// metadata in exactly ONE place (ReadRequestContext), so that verified tokens can replace
// the metadata when authentication lands without touching any service.
//
// Request metadata (gRPC headers; values are printable ASCII, so text is percent-encoded
// UTF-8, RFC 3986: every byte outside A-Z a-z 0-9 - . _ ~ becomes %XX):
//
//   x-samrad-actor-id              who acts, e.g. "anna.svensson" (percent-encoded).
//                                  Required on writes: missing → UNAUTHENTICATED.
//   x-samrad-actor-name            display name, e.g. "Anna%20Svensson" or
//                                  "J%C3%B6rgen%20%C3%85berg" for "Jörgen Åberg".
//   x-samrad-actor-role            official | elected_official | coordinator | system
//                                  (absent: ACTOR_ROLE_UNSPECIFIED).
//   x-samrad-actor-administration  the actor's administration id (percent-encoded).
//   accept-language                RFC 9110 list, e.g. "en-GB,en;q=0.9,sv;q=0.8": the
//                                  supported language (sv, en) with the highest weight;
//                                  Swedish when absent or when nothing matches.
//   x-samrad-correlation-id        ties the requests and events of one user action
//                                  together; 1..128 of [A-Za-z0-9._:-]. A UUID v4 is
//                                  generated when absent.
//
// Malformed values are INVALID_ARGUMENT with ErrorInfo reason INVALID_METADATA and the
// header's name in metadata["header"]; texts are in the request's language.

#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/string_ref.h"
#include "libs/common/lang.h"
#include "samrad/common/v1/event_metadata.pb.h"

namespace samrad::api {

inline constexpr std::string_view kActorIdHeader = "x-samrad-actor-id";
inline constexpr std::string_view kActorNameHeader = "x-samrad-actor-name";
inline constexpr std::string_view kActorRoleHeader = "x-samrad-actor-role";
inline constexpr std::string_view kActorAdministrationHeader = "x-samrad-actor-administration";
inline constexpr std::string_view kAcceptLanguageHeader = "accept-language";
inline constexpr std::string_view kCorrelationIdHeader = "x-samrad-correlation-id";

// ErrorInfo domain of the errors of the API layer shared by every service.
inline constexpr std::string_view kApiErrorDomain = "samrad.malmo.se";

// What a request carries besides its message.
struct RequestContext {
  // Empty id: nobody identified (allowed on reads only).
  common::v1::Actor actor;
  Lang lang = Lang::kSv;
  // Given by the caller or generated (UUID v4); never empty.
  std::string correlation_id;
};

// Whether the RPC changes anything: writes must name their actor.
enum class Access { kRead, kWrite };

using ClientMetadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// The request context of a server call. For Access::kWrite a missing (or empty)
// x-samrad-actor-id is UNAUTHENTICATED (reason ACTOR_MISSING). When the metadata is malformed
// the error's texts follow accept-language if that header itself is readable.
absl::StatusOr<RequestContext> ReadRequestContext(const grpc::ServerContextBase& context,
                                                  Access access = Access::kRead);

// The same, from the metadata alone (what ReadRequestContext uses; for tests and tools).
// Keys must be lower-case, as gRPC delivers them.
absl::StatusOr<RequestContext> ParseRequestContext(const ClientMetadata& metadata, Access access);

// UNAUTHENTICATED (reason ACTOR_MISSING) unless `context` names an actor.
absl::Status RequireActor(const RequestContext& context);

// Client side (samradctl): sets the actor headers and accept-language from `actor` and
// `lang`. Empty fields of `actor` are not sent. Call before the RPC starts.
void SetActorMetadata(grpc::ClientContext& context, const common::v1::Actor& actor, Lang lang);

// Client side: sets x-samrad-correlation-id (when not empty).
void SetCorrelationId(grpc::ClientContext& context, std::string_view correlation_id);

// RFC 3986 percent-encoding of UTF-8 text for a metadata value, and its inverse (nullopt
// for a malformed escape or a result that is not valid UTF-8).
std::string PercentEncode(std::string_view text);
std::optional<std::string> PercentDecode(std::string_view encoded);

// "official" ↔ ACTOR_ROLE_OFFICIAL, etc. ("" for UNSPECIFIED; nullopt for unknown names).
std::string_view ActorRoleName(common::v1::ActorRole role);
std::optional<common::v1::ActorRole> ParseActorRole(std::string_view name);

// The language of an accept-language value (default Swedish).
Lang ParseAcceptLanguage(std::string_view value);

// A random (version 4) UUID in its canonical lower-case form,
// e.g. "1b4e28ba-2fa1-4d2b-883f-0016d3cca427". Thread-safe.
std::string NewUuidV4();

}  // namespace samrad::api

#endif  // SAMRAD_LIBS_API_REQUEST_CONTEXT_H_
