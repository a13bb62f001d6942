#include "bench/registry_workloads.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "libs/api/request_context.h"

namespace samrad::bench {
namespace {

// From deploy/config/malmo.json.
constexpr std::array<const char*, 13> kAdministrations = {
    "arbetsmarknads-och-socialforvaltningen",
    "fritidsforvaltningen",
    "funktionsstodsforvaltningen",
    "forskoleforvaltningen",
    "grundskoleforvaltningen",
    "gymnasie-och-vuxenutbildningsforvaltningen",
    "halsa-vard-och-omsorgsforvaltningen",
    "kulturforvaltningen",
    "miljoforvaltningen",
    "serviceforvaltningen",
    "stadsbyggnadskontoret",
    "fastighets-och-gatukontoret",
    "stadskontoret"};
// Every area except "hela-staden": an effort for the whole city would be compared with every
// other effort for coordination hints.
constexpr std::array<const char*, 11> kAreas = {"centrum",
                                                "kirseberg",
                                                "husie",
                                                "rosengard",
                                                "sodra-innerstaden",
                                                "fosie",
                                                "vastra-innerstaden",
                                                "limhamn-bunkeflo",
                                                "hyllie",
                                                "oxie",
                                                "lindangen"};
constexpr std::array<const char*, 12> kTopics = {
    "Parker och grönytor", "Trygghet",         "Lekplatser",        "Äldres vardag",
    "Cykelvägar",          "Ungas fritid",     "Bibliotekets roll", "Öppna skolgårdar",
    "Kollektivtrafik",     "Klimatanpassning", "Kulturliv",         "Bostadsområdets framtid"};
constexpr std::array<const char*, 12> kPlaces = {"Centrum",
                                                 "Kirseberg",
                                                 "Husie",
                                                 "Rosengård",
                                                 "Södra Innerstaden",
                                                 "Fosie",
                                                 "Västra Innerstaden",
                                                 "Limhamn",
                                                 "Hyllie",
                                                 "Oxie",
                                                 "Lindängen",
                                                 "Malmö"};
constexpr std::array<v1::TargetGroup, 4> kTargetGroups = {v1::CITIZENS, v1::CHILDREN,
                                                          v1::YOUNG_PEOPLE, v1::OLDER_PEOPLE};
constexpr std::array<v1::DialogueType, 4> kTypes = {v1::MEDBORGARDIALOG, v1::KUNSKAPSDIALOG,
                                                    v1::BRUKARDIALOG, v1::KOMMUNVAGLEDNING};

uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// Holds what one asynchronous call needs until it ends.
template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
};

}  // namespace

std::string ResourceName(absl::string_view collection, absl::string_view id) {
  return absl::StrCat(kTenant, "/", collection, "/", id);
}

void PrepareContext(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  common::v1::Actor actor;
  actor.set_id("bench.load");
  actor.set_display_name("Lasttest");
  actor.set_role(common::v1::ACTOR_ROLE_OFFICIAL);
  api::SetActorMetadata(context, actor, Lang::kSv);
}

Effort MakeEffort(uint64_t index) {
  const uint64_t h = Mix(index);
  const uint64_t g = Mix(h);
  Effort e;
  e.index = index;
  e.id = absl::StrFormat("e%08x-%d", h >> 32, index);
  e.name = ResourceName("dialogues", e.id);
  const size_t topic = g % kTopics.size();
  const std::string title = absl::StrCat(kTopics[topic], " i ", kPlaces[(g >> 8) % kPlaces.size()]);
  switch ((g >> 16) % 3) {
    case 0:
      e.title = title;
      break;
    case 1:
      e.title = absl::AsciiStrToUpper(title);
      break;
    default:
      e.title = absl::AsciiStrToLower(title);
      break;
  }
  e.question =
      absl::StrCat("Vad vill du ändra när det gäller ", absl::AsciiStrToLower(kTopics[topic]), "?");
  e.type = kTypes[index % kTypes.size()];
  if ((h >> 8) % 8 == 0) {
    e.area = ResourceName("areas", kAreas[(h >> 16) % kAreas.size()]);
  } else {
    e.area_description = absl::StrCat("Kvarteret ", (h >> 16) % 500);
  }
  e.lead_administration =
      ResourceName("administrations", kAdministrations[(h >> 24) % kAdministrations.size()]);
  e.channel = ResourceName("channels", e.type == v1::MEDBORGARDIALOG || e.type == v1::KUNSKAPSDIALOG
                                           ? "dialog-i-stadsutveckling"
                                           : "bibliotek");
  e.target_group = kTargetGroups[(g >> 24) % kTargetGroups.size()];
  if (e.type == v1::MEDBORGARDIALOG) {
    e.elected_official =
        ResourceName("people", absl::StrCat("politiker-", 1 + (g >> 32) % kElectedOfficials));
  }
  e.start = absl::CivilDay(2000, 1, 1) + static_cast<int64_t>((h >> 32) % (30 * 365));
  e.end = e.start + static_cast<int64_t>(1 + (g >> 40) % 60);
  return e;
}

v1::CreateDialogueRequest CreateRequest(const Effort& e, const std::string& request_id) {
  v1::CreateDialogueRequest r;
  r.set_parent(kTenant);
  r.set_dialogue_id(e.id);
  v1::Dialogue* d = r.mutable_dialogue();
  d->set_title(e.title);
  d->set_question(e.question);
  d->set_type(e.type);
  d->set_participation_level(e.type == v1::KOMMUNVAGLEDNING ? v1::INFORMATION : v1::DIALOG);
  d->add_channels(e.channel);
  d->add_target_groups(e.target_group);
  if (!e.area.empty()) d->add_areas(e.area);
  d->set_area_description(e.area_description);
  *d->mutable_start_date() = ToDate(e.start);
  *d->mutable_end_date() = ToDate(e.end);
  d->set_lead_administration(e.lead_administration);
  if (!e.elected_official.empty()) d->add_elected_officials(e.elected_official);
  r.mutable_options()->set_request_id(request_id);
  return r;
}

Clients::Clients(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
  health = grpc::health::v1::Health::NewStub(channel);
  registry = v1::Registry::NewStub(channel);
}

absl::Status CreateElectedOfficials(v1::Registry::Stub& stub) {
  for (int i = 1; i <= kElectedOfficials; ++i) {
    const std::string id = absl::StrCat("politiker-", i);
    v1::CreatePersonRequest r;
    r.set_parent(kTenant);
    r.set_person_id(id);
    r.mutable_person()->set_display_name(absl::StrCat("Politiker ", i));
    r.mutable_person()->set_email(id + "@malmo.se");
    r.mutable_person()->set_role(v1::ELECTED_OFFICIAL);
    r.mutable_options()->set_request_id(absl::StrCat("bench-person-", i));
    grpc::ClientContext context;
    PrepareContext(context);
    v1::Person person;
    const grpc::Status s = stub.CreatePerson(&context, r, &person);
    if (!s.ok()) {
      return absl::InternalError(absl::StrCat("CreatePerson ", id, ": ", s.error_message()));
    }
  }
  return absl::OkStatus();
}

bool EmptyCallWorkload::Start(DoneFn done) {
  using HealthCall =
      Call<grpc::health::v1::HealthCheckRequest, grpc::health::v1::HealthCheckResponse>;
  auto* call = new HealthCall();
  call->context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  stub_->async()->Check(
      &call->context, &request_, &call->response, [call, done = std::move(done)](grpc::Status s) {
        if (s.ok() && call->response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
          s = grpc::Status(grpc::StatusCode::UNAVAILABLE, "not SERVING");
        }
        delete call;
        done(s);
      });
  return true;
}

void UpdatePool::Put(std::string name, std::string etag) {
  absl::MutexLock lock(&mu_);
  free_.emplace_back(std::move(name), std::move(etag));
}

std::optional<std::pair<std::string, std::string>> UpdatePool::Take() {
  absl::MutexLock lock(&mu_);
  if (free_.empty()) return std::nullopt;
  auto item = std::move(free_.front());
  free_.pop_front();
  return item;
}

size_t UpdatePool::size() const {
  absl::MutexLock lock(&mu_);
  return free_.size();
}

bool RegisterWorkload::Start(DoneFn done) {
  using CreateCall = Call<v1::CreateDialogueRequest, v1::CreateDialogueResponse>;
  const uint64_t index = next_->fetch_add(1);
  auto effort = std::make_shared<Effort>(MakeEffort(index));
  auto* call = new CreateCall();
  PrepareContext(call->context);
  call->request = CreateRequest(*effort, absl::StrCat("bench-register-", index));
  stub_->async()->CreateDialogue(&call->context, &call->request, &call->response,
                                 [this, call, effort, done = std::move(done)](grpc::Status s) {
                                   if (s.ok() && on_created_) on_created_(*effort, call->response);
                                   delete call;
                                   done(s);
                                 });
  return true;
}

bool UpdateWorkload::Start(DoneFn done) {
  using UpdateCall = Call<v1::UpdateDialogueRequest, v1::UpdateDialogueResponse>;
  std::optional<std::pair<std::string, std::string>> item = pool_->Take();
  if (!item) return false;
  const uint64_t n = next_.fetch_add(1);
  auto* call = new UpdateCall();
  PrepareContext(call->context);
  v1::Dialogue* d = call->request.mutable_dialogue();
  d->set_name(item->first);
  d->set_etag(item->second);
  d->set_title(absl::StrCat("Uppdaterad dialoginsats ", n));
  call->request.mutable_update_mask()->add_paths("title");
  call->request.mutable_options()->set_request_id(absl::StrCat("bench-update-", n));
  stub_->async()->UpdateDialogue(&call->context, &call->request, &call->response,
                                 [this, call, done = std::move(done)](grpc::Status s) {
                                   if (s.ok()) {
                                     pool_->Put(call->response.dialogue().name(),
                                                call->response.dialogue().etag());
                                   }
                                   delete call;
                                   done(s);
                                 });
  return true;
}

}  // namespace samrad::bench
