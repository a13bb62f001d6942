#ifndef SAMRAD_SERVICES_SAMRADCTL_REQUESTS_H_
#define SAMRAD_SERVICES_SAMRADCTL_REQUESTS_H_

// From what was typed to the Registry API's requests: pure functions, no I/O, no gRPC
// calls. A mistake is INVALID_ARGUMENT with a text in the caller's language (a usage error,
// exit code 2); the server still validates everything.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
#include "libs/common/lang.h"
#include "samrad/registry/v1/registry_service.pb.h"
#include "services/samradctl/fields.h"
#include "services/samradctl/kinds.h"

namespace samrad::ctl {

// What every request is built in: the tenant ids are resolved against and the language of
// messages.
struct Scope {
  // "tenants/1280".
  std::string parent = "tenants/1280";
  Lang lang = Lang::kSv;
};

// --reason and --request-id. The command line fills request_id with a new UUID when it is
// not given, before any request is built, so the builders stay deterministic.
struct WriteFlags {
  std::string reason;
  std::string request_id;
};
registry::v1::WriteOptions MakeWriteOptions(const WriteFlags& flags);

// `create KIND --id ID [--from-file F.json] [field flags]`.
struct CreateInput {
  std::string id;
  // The resource as proto JSON (the file's content), or "".
  std::string json;
  // Field flags, applied over the file.
  FieldValues fields;
  WriteFlags write;
};

// Create requests. Without --id, the id is the last segment of the file's `name`.
absl::StatusOr<registry::v1::CreateCommitteeRequest> BuildCreateCommittee(const CreateInput& in,
                                                                          const Scope& scope);
absl::StatusOr<registry::v1::CreateAdministrationRequest> BuildCreateAdministration(
    const CreateInput& in, const Scope& scope);
absl::StatusOr<registry::v1::CreatePersonRequest> BuildCreatePerson(const CreateInput& in,
                                                                    const Scope& scope);
absl::StatusOr<registry::v1::AppointRepresentativeRequest> BuildAppointRepresentative(
    const CreateInput& in, const Scope& scope);
absl::StatusOr<registry::v1::CreateDialogueRequest> BuildCreateDialogue(const CreateInput& in,
                                                                        const Scope& scope);
absl::StatusOr<registry::v1::CreateConsultationRequest> BuildCreateConsultation(
    const CreateInput& in, const Scope& scope);

// `update KIND NAME --etag E [--set f=v ...] [--from-file F.json] [--update-mask a,b]`.
//
// The update mask (AIP-134) is, in order and without duplicates: the --update-mask paths,
// then the path of every --set field, then — for a file given without --update-mask — the
// top-level fields the file sets that can be written (name, etag and output-only fields
// such as status, version and times are skipped, so the output of `get -o json` can be
// edited and sent back). An empty value (`--set area_description=`) clears the field.
struct UpdateInput {
  std::string name;
  std::string etag;
  std::string json;
  FieldValues fields;
  // Comma-separated paths, or "".
  std::string update_mask;
  WriteFlags write;
};

absl::StatusOr<registry::v1::UpdateCommitteeRequest> BuildUpdateCommittee(const UpdateInput& in,
                                                                          const Scope& scope);
absl::StatusOr<registry::v1::UpdateAdministrationRequest> BuildUpdateAdministration(
    const UpdateInput& in, const Scope& scope);
absl::StatusOr<registry::v1::UpdatePersonRequest> BuildUpdatePerson(const UpdateInput& in,
                                                                    const Scope& scope);
absl::StatusOr<registry::v1::UpdateDialogueRequest> BuildUpdateDialogue(const UpdateInput& in,
                                                                        const Scope& scope);
absl::StatusOr<registry::v1::UpdateConsultationRequest> BuildUpdateConsultation(
    const UpdateInput& in, const Scope& scope);

// `get KIND NAME [--as-of-version N | --as-of-time RFC3339]`: nullopt when neither is given.
absl::StatusOr<std::optional<registry::v1::AsOf>> BuildAsOf(const std::string& version,
                                                            const std::string& time, Lang lang);

// `--point TAG:TEXT`, e.g. "positive:Tydligare roller" or "förslag:Samla kanalerna".
absl::StatusOr<registry::v1::AnswerPoint> ParsePoint(const std::string& text, Lang lang);

// `answer CONSULTATION --body B --summary S [--decision-reference R] [--received-date D]
//  [--point TAG:TEXT ...] [--etag E]`.
struct AnswerInput {
  std::string consultation;
  std::string body;
  std::string summary;
  std::string decision_reference;
  std::string received_date;
  std::vector<std::string> points;
  std::string etag;
  WriteFlags write;
};
absl::StatusOr<registry::v1::RecordConsultationAnswerRequest> BuildAnswer(const AnswerInput& in,
                                                                          const Scope& scope);

// `transition DIALOGUE --status S --etag E`.
absl::StatusOr<registry::v1::TransitionDialogueRequest> BuildTransition(const std::string& dialogue,
                                                                        const std::string& status,
                                                                        const std::string& etag,
                                                                        const WriteFlags& write,
                                                                        const Scope& scope);

// `end appointment NAME --date D [--etag E]`.
absl::StatusOr<registry::v1::EndAppointmentRequest> BuildEndAppointment(
    const std::string& appointment, const std::string& date, const std::string& etag,
    const WriteFlags& write, const Scope& scope);

// `retire committee|administration NAME --etag E`.
absl::StatusOr<registry::v1::RetireCommitteeRequest> BuildRetireCommittee(
    const std::string& committee, const std::string& etag, const WriteFlags& write,
    const Scope& scope);
absl::StatusOr<registry::v1::RetireAdministrationRequest> BuildRetireAdministration(
    const std::string& administration, const std::string& etag, const WriteFlags& write,
    const Scope& scope);

// `list KIND [SUBJECT] [options]`.
struct ListInput {
  Kind kind = Kind::kDialogue;
  // The dialogue of `list hints`, the resource of `list history`.
  std::string subject;
  std::string filter;
  std::string order_by;
  int page_size = 0;
  std::string page_token;
  bool all = false;
  bool show_retired = false;
  // `list network|overdue --date`.
  std::string date;
  // `list appointment --administration`.
  std::string administration;
};

// A usage error when an option does not apply to the kind (e.g. --filter for people), a
// subject is missing or extra, or the kind cannot be listed (tenant).
absl::Status CheckListInput(const ListInput& in, Lang lang);

// The page size sent: the given one, else 1000 (the maximum) with --all, else the
// server's default (0).
int EffectivePageSize(const ListInput& in);

registry::v1::ListCommitteesRequest BuildListCommittees(const ListInput& in, const Scope& scope);
registry::v1::ListAdministrationsRequest BuildListAdministrations(const ListInput& in,
                                                                  const Scope& scope);
registry::v1::ListAreasRequest BuildListAreas(const ListInput& in, const Scope& scope);
registry::v1::ListChannelsRequest BuildListChannels(const ListInput& in, const Scope& scope);
registry::v1::ListPeopleRequest BuildListPeople(const ListInput& in, const Scope& scope);
registry::v1::ListAppointmentsRequest BuildListAppointments(const ListInput& in,
                                                            const Scope& scope);
registry::v1::ListDialoguesRequest BuildListDialogues(const ListInput& in, const Scope& scope);
registry::v1::ListConsultationsRequest BuildListConsultations(const ListInput& in,
                                                              const Scope& scope);
registry::v1::ListCoordinationHintsRequest BuildListHints(const ListInput& in, const Scope& scope);
registry::v1::GetHistoryRequest BuildHistory(const ListInput& in, const Scope& scope);
// --date is checked here (YYYY-MM-DD); unset means today on the server.
absl::StatusOr<registry::v1::ListNetworkRequest> BuildListNetwork(const ListInput& in,
                                                                  const Scope& scope);
absl::StatusOr<registry::v1::ListOverdueBodiesRequest> BuildListOverdue(const ListInput& in,
                                                                        const Scope& scope);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_REQUESTS_H_
