// samradctl in-process (Run) against a fake samrad.registry.v1.Registry on loopback gRPC:
// the actor and language metadata, the request id, the request `create dialogue` sends and
// what it prints; paging with --all under one correlation id; a server error's exit code.
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "libs/api/errors.h"
#include "libs/api/request_context.h"
#include "nlohmann/json.hpp"
#include "samrad/registry/v1/registry_service.grpc.pb.h"
#include "services/samradctl/error_output.h"
#include "services/samradctl/run.h"

namespace samrad::ctl {
namespace {

namespace v1 = ::samrad::registry::v1;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr char kUuidPattern[] =
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

// A Registry that records what it is asked and answers from fixed data.
class FakeRegistry final : public v1::Registry::Service {
 public:
  grpc::Status CreateDialogue(grpc::ServerContext* context,
                              const v1::CreateDialogueRequest* request,
                              v1::CreateDialogueResponse* response) override {
    absl::StatusOr<api::RequestContext> caller =
        api::ReadRequestContext(*context, api::Access::kWrite);
    if (!caller.ok()) return api::ToGrpcStatus(caller.status(), Lang::kSv);
    std::lock_guard<std::mutex> lock(mu_);
    contexts_.push_back(*caller);
    create_requests_.push_back(*request);

    v1::Dialogue& dialogue = *response->mutable_dialogue();
    dialogue = request->dialogue();
    dialogue.set_name(absl::StrCat(request->parent(), "/dialogues/", request->dialogue_id()));
    dialogue.set_status(v1::PLANNED);
    dialogue.set_version(1);
    dialogue.set_etag("1");
    v1::Warning& warning = *response->add_warnings();
    warning.set_field("dialogue.channels[0]");
    warning.set_reason("CHANNEL_NOT_USUAL");
    warning.set_description(caller->lang == Lang::kEn ? "The channel is unusual for the type."
                                                      : "Kanalen är ovanlig för typen.");
    v1::CoordinationHint& hint = *response->add_coordination_hints();
    hint.set_dialogue(dialogue.name());
    hint.set_other_dialogue("tenants/1280/dialogues/rosengard-lekplatser");
    hint.set_other_lead_administration("tenants/1280/administrations/fritidsforvaltningen");
    hint.add_shared_areas("tenants/1280/areas/lindangen");
    hint.add_shared_target_groups(v1::CHILDREN);
    return grpc::Status::OK;
  }

  // Three dialogues on two pages.
  grpc::Status ListDialogues(grpc::ServerContext* context, const v1::ListDialoguesRequest* request,
                             v1::ListDialoguesResponse* response) override {
    absl::StatusOr<api::RequestContext> caller = api::ReadRequestContext(*context);
    if (!caller.ok()) return api::ToGrpcStatus(caller.status(), Lang::kSv);
    std::lock_guard<std::mutex> lock(mu_);
    contexts_.push_back(*caller);
    list_requests_.push_back(*request);
    const bool first = request->page_token().empty();
    for (const char* id :
         first ? std::vector<const char*>{"a", "b"} : std::vector<const char*>{"c"}) {
      v1::Dialogue& d = *response->add_dialogues();
      d.set_name(absl::StrCat("tenants/1280/dialogues/", id));
      d.set_title(absl::StrCat("Dialog ", id));
      d.set_type(v1::KUNSKAPSDIALOG);
    }
    if (first) response->set_next_page_token("page-2");
    response->set_total_size(3);
    return grpc::Status::OK;
  }

  // Every dialogue is missing, in the caller's language.
  grpc::Status GetDialogue(grpc::ServerContext* context, const v1::GetDialogueRequest* request,
                           v1::Dialogue* response) override {
    absl::StatusOr<api::RequestContext> caller = api::ReadRequestContext(*context);
    const Lang lang = caller.ok() ? caller->lang : Lang::kSv;
    return api::ToGrpcStatus(
        errors::Error(absl::StatusCode::kNotFound, "registry.samrad.malmo.se", "DIALOGUE_NOT_FOUND",
                      {"Dialoginsatsen finns inte.", "The dialogue does not exist."},
                      {{"name", request->name()}}),
        lang);
  }

  std::vector<api::RequestContext> contexts() {
    std::lock_guard<std::mutex> lock(mu_);
    return contexts_;
  }
  std::vector<v1::CreateDialogueRequest> create_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return create_requests_;
  }
  std::vector<v1::ListDialoguesRequest> list_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return list_requests_;
  }

 private:
  std::mutex mu_;
  std::vector<api::RequestContext> contexts_;
  std::vector<v1::CreateDialogueRequest> create_requests_;
  std::vector<v1::ListDialoguesRequest> list_requests_;
};

class SamradctlLoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&registry_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    target_ = absl::StrCat("127.0.0.1:", port);
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  // Runs samradctl with `args` after --target; no environment.
  int Samradctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--target", target_});
    std::ostringstream out, err;
    const int code = ctl::Run(
        args, [](std::string_view) { return std::optional<std::string>(); }, out, err);
    out_ = out.str();
    err_ = err.str();
    return code;
  }

  FakeRegistry registry_;
  std::unique_ptr<grpc::Server> server_;
  std::string target_;
  std::string out_;
  std::string err_;
};

TEST_F(SamradctlLoopbackTest, CreateDialogueSendsTheRequestAndPrintsTheAnswer) {
  ASSERT_EQ(Samradctl({"--actor",
                       "anna.svensson",
                       "--actor-name",
                       "Anna Åberg",
                       "--actor-role",
                       "official",
                       "--actor-administration",
                       "stadskontoret",
                       "create",
                       "dialogue",
                       "--id",
                       "lindangen-trygghet",
                       "--title",
                       "Trygghet i Lindängen",
                       "--type",
                       "medborgardialog",
                       "--channel",
                       "malmopanelen",
                       "--target-group",
                       "barn,unga",
                       "--area",
                       "lindangen",
                       "--start-date",
                       "2019-02-19",
                       "--end-date",
                       "2019-06-28",
                       "--lead-administration",
                       "stadskontoret",
                       "--reason",
                       "Registrering av pågående insats"}),
            kExitOk)
      << err_;

  // The actor and language, as the server's one reader of metadata sees them.
  const std::vector<api::RequestContext> contexts = registry_.contexts();
  ASSERT_EQ(contexts.size(), 1u);
  EXPECT_EQ(contexts[0].actor.id(), "anna.svensson");
  EXPECT_EQ(contexts[0].actor.display_name(), "Anna Åberg");
  EXPECT_EQ(contexts[0].actor.role(), common::v1::ACTOR_ROLE_OFFICIAL);
  EXPECT_EQ(contexts[0].actor.administration(), "tenants/1280/administrations/stadskontoret");
  EXPECT_EQ(contexts[0].lang, Lang::kSv);
  EXPECT_THAT(contexts[0].correlation_id, MatchesRegex(kUuidPattern));

  const std::vector<v1::CreateDialogueRequest> requests = registry_.create_requests();
  ASSERT_EQ(requests.size(), 1u);
  const v1::CreateDialogueRequest& r = requests[0];
  EXPECT_EQ(r.parent(), "tenants/1280");
  EXPECT_EQ(r.dialogue_id(), "lindangen-trygghet");
  EXPECT_THAT(r.options().request_id(), MatchesRegex(kUuidPattern));
  EXPECT_EQ(r.options().reason(), "Registrering av pågående insats");
  EXPECT_EQ(r.dialogue().title(), "Trygghet i Lindängen");
  EXPECT_EQ(r.dialogue().type(), v1::MEDBORGARDIALOG);
  EXPECT_THAT(r.dialogue().channels(), ElementsAre("tenants/1280/channels/malmopanelen"));
  EXPECT_THAT(r.dialogue().target_groups(), ElementsAre(v1::CHILDREN, v1::YOUNG_PEOPLE));
  EXPECT_THAT(r.dialogue().areas(), ElementsAre("tenants/1280/areas/lindangen"));
  EXPECT_EQ(r.dialogue().start_date().year(), 2019);
  EXPECT_EQ(r.dialogue().end_date().month(), 6);
  EXPECT_EQ(r.dialogue().lead_administration(), "tenants/1280/administrations/stadskontoret");

  // The answer: the dialogue, then its warning and coordination hint.
  EXPECT_THAT(out_, HasSubstr("tenants/1280/dialogues/lindangen-trygghet"));
  EXPECT_THAT(out_, ContainsRegex("Titel: +Trygghet i Lindängen\n"));
  EXPECT_THAT(out_, ContainsRegex("Status: +planerad\n"));
  EXPECT_THAT(out_, ContainsRegex("Målgrupper: +barn, unga\n"));
  EXPECT_THAT(out_, HasSubstr("Varningar:\n  dialogue.channels[0]: Kanalen är ovanlig för typen."));
  EXPECT_THAT(out_, HasSubstr("rosengard-lekplatser  fritidsforvaltningen  lindangen"));
  EXPECT_EQ(err_, "");
}

TEST_F(SamradctlLoopbackTest, ARetryKeepsTheRequestIdGiven) {
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(Samradctl({"--actor", "a", "create", "dialogue", "--id", "x", "--request-id",
                         "retry-7", "-o", "json"}),
              kExitOk)
        << err_;
    // JSON: the whole CreateDialogueResponse, warnings and hints included.
    const nlohmann::json answer = nlohmann::json::parse(out_);
    EXPECT_EQ(answer["dialogue"]["name"], "tenants/1280/dialogues/x");
    EXPECT_EQ(answer["warnings"].size(), 1u);
    EXPECT_EQ(answer["coordinationHints"].size(), 1u);
  }
  const auto requests = registry_.create_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].options().request_id(), "retry-7");
  EXPECT_EQ(requests[1].options().request_id(), "retry-7");
}

TEST_F(SamradctlLoopbackTest, ListAllFollowsPagesUnderOneCorrelationId) {
  ASSERT_EQ(Samradctl({"--lang", "en", "-o", "json", "list", "dialogues", "--all", "--filter",
                       "type = KUNSKAPSDIALOG"}),
            kExitOk)
      << err_;
  const nlohmann::json array = nlohmann::json::parse(out_);
  ASSERT_TRUE(array.is_array());
  ASSERT_EQ(array.size(), 3u);
  EXPECT_EQ(array[2]["title"], "Dialog c");

  const auto requests = registry_.list_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].page_size(), 1000);
  EXPECT_EQ(requests[0].filter(), "type = KUNSKAPSDIALOG");
  EXPECT_EQ(requests[1].page_token(), "page-2");
  const auto contexts = registry_.contexts();
  ASSERT_EQ(contexts.size(), 2u);
  EXPECT_EQ(contexts[0].correlation_id, contexts[1].correlation_id);
  EXPECT_EQ(contexts[0].lang, Lang::kEn);
  EXPECT_TRUE(contexts[0].actor.id().empty());  // reads need no actor

  // Without --all: one page as a table, and how to get the next.
  ASSERT_EQ(Samradctl({"list", "dialogues"}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("kunskapsdialog"));
  EXPECT_THAT(out_, HasSubstr("Totalt 3 dialoginsatser."));
  EXPECT_THAT(out_, HasSubstr("Det finns fler: --page-token page-2 (eller --all)"));
}

TEST_F(SamradctlLoopbackTest, ServerErrorsExitOneInTheChosenLanguage) {
  EXPECT_EQ(Samradctl({"--lang", "en", "get", "dialogue", "missing"}), kExitServerError);
  EXPECT_EQ(err_,
            "error: The dialogue does not exist. [NOT_FOUND]\n"
            "  reason: DIALOGUE_NOT_FOUND (registry.samrad.malmo.se) "
            "name=tenants/1280/dialogues/missing\n");
  EXPECT_EQ(out_, "");
  EXPECT_EQ(Samradctl({"get", "dialogue", "missing"}), kExitServerError);
  EXPECT_THAT(err_, HasSubstr("fel: Dialoginsatsen finns inte. [NOT_FOUND]"));
}

TEST_F(SamradctlLoopbackTest, UnreachableTargetExitsThree) {
  server_->Shutdown();
  server_.reset();
  EXPECT_EQ(Samradctl({"--timeout", "2", "get", "dialogue", "x"}), kExitUnreachable);
  EXPECT_THAT(err_, HasSubstr("fel: kan inte nå " + target_));
}

}  // namespace
}  // namespace samrad::ctl
