// Errors as a Samråd server sends them (api::ToGrpcStatus, the one place that makes them)
// and as samradctl prints them, in Swedish and English; and the exit codes.
#include "services/samradctl/error_output.h"

#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/api/errors.h"

namespace samrad::ctl {
namespace {

using ::testing::HasSubstr;

constexpr char kDomain[] = "registry.samrad.malmo.se";

grpc::Status TwoViolations(Lang lang) {
  errors::Violations v;
  v.Add("dialogue.title", "REQUIRED", {"Ange en titel.", "Give a title."});
  v.Add("dialogue.elected_officials", "ELECTED_OFFICIALS_REQUIRED",
        {"En medborgardialog kräver deltagande förtroendevalda.",
         "A citizen dialogue needs elected officials taking part."});
  return api::ToGrpcStatus(v.ToStatus(kDomain), lang);
}

grpc::Status EtagMismatch(Lang lang) {
  return api::ToGrpcStatus(errors::Error(absl::StatusCode::kAborted, kDomain, "ETAG_MISMATCH",
                                         {"Resursen har ändrats av någon annan.",
                                          "The resource was changed by someone else."},
                                         {{"current_etag", "8"}}),
                           lang);
}

std::string Printed(const grpc::Status& status, Lang lang) {
  std::ostringstream err;
  PrintError(status, "127.0.0.1:7400", lang, err);
  return err.str();
}

TEST(PrintErrorTest, FieldViolationsInSwedish) {
  EXPECT_EQ(Printed(TwoViolations(Lang::kSv), Lang::kSv),
            "fel: Begäran har 2 ogiltiga fält. [INVALID_ARGUMENT]\n"
            "  dialogue.title: Ange en titel.\n"
            "  dialogue.elected_officials: En medborgardialog kräver deltagande förtroendevalda.\n"
            "  orsak: REQUIRED (registry.samrad.malmo.se) field=dialogue.title\n");
}

TEST(PrintErrorTest, FieldViolationsInEnglish) {
  EXPECT_EQ(Printed(TwoViolations(Lang::kEn), Lang::kEn),
            "error: The request has 2 invalid fields. [INVALID_ARGUMENT]\n"
            "  dialogue.title: Give a title.\n"
            "  dialogue.elected_officials: A citizen dialogue needs elected officials taking "
            "part.\n"
            "  reason: REQUIRED (registry.samrad.malmo.se) field=dialogue.title\n");
}

TEST(PrintErrorTest, ReasonAndMetadata) {
  EXPECT_EQ(Printed(EtagMismatch(Lang::kSv), Lang::kSv),
            "fel: Resursen har ändrats av någon annan. [ABORTED]\n"
            "  orsak: ETAG_MISMATCH (registry.samrad.malmo.se) current_etag=8\n");
  EXPECT_THAT(Printed(EtagMismatch(Lang::kEn), Lang::kEn),
              HasSubstr("error: The resource was changed by someone else. [ABORTED]\n"));
}

TEST(PrintErrorTest, LocalizedMessageWinsOverTheStatusMessage) {
  // A NOT_FOUND without an ErrorDetail: the server keeps its English developer message in
  // the status but tells users the generic text in their language.
  const grpc::Status status =
      api::ToGrpcStatus(absl::NotFoundError("dialogue x not in projection"), Lang::kSv);
  EXPECT_THAT(Printed(status, Lang::kSv), HasSubstr("fel: Resursen finns inte. [NOT_FOUND]"));
  EXPECT_THAT(Printed(status, Lang::kSv), HasSubstr("orsak: NOT_FOUND"));
}

TEST(PrintErrorTest, StatusWithoutDetailsPrintsItsMessage) {
  const grpc::Status status(grpc::StatusCode::UNIMPLEMENTED, "Method not found");
  EXPECT_EQ(Printed(status, Lang::kEn), "error: Method not found [UNIMPLEMENTED]\n");
}

TEST(PrintErrorTest, EmptyMessagesAreExplained) {
  EXPECT_EQ(Printed(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, ""), Lang::kSv),
            "fel: servern på målet har inte denna metod [UNIMPLEMENTED]\n");
  EXPECT_EQ(Printed(grpc::Status(grpc::StatusCode::INTERNAL, ""), Lang::kEn),
            "error: the server gave no message [INTERNAL]\n");
}

TEST(PrintErrorTest, UnreachableTarget) {
  const grpc::Status status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses");
  EXPECT_EQ(Printed(status, Lang::kSv),
            "fel: kan inte nå 127.0.0.1:7400: failed to connect to all addresses [UNAVAILABLE]\n");
  EXPECT_THAT(Printed(status, Lang::kEn), HasSubstr("error: cannot reach 127.0.0.1:7400"));
}

struct ExitCase {
  grpc::Status status;
  int expected;
};

class ExitCodeTest : public ::testing::TestWithParam<ExitCase> {};

TEST_P(ExitCodeTest, ByWhatHappened) {
  EXPECT_EQ(ExitCodeFor(GetParam().status), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Codes, ExitCodeTest,
    ::testing::Values(ExitCase{grpc::Status::OK, kExitOk},
                      ExitCase{TwoViolations(Lang::kSv), kExitServerError},
                      ExitCase{EtagMismatch(Lang::kSv), kExitServerError},
                      ExitCase{grpc::Status(grpc::StatusCode::NOT_FOUND, "x"), kExitServerError},
                      ExitCase{grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "x"),
                               kExitServerError},
                      ExitCase{grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                               kExitUnreachable},
                      // A server that answers UNAVAILABLE itself was reached.
                      ExitCase{api::ToGrpcStatus(absl::UnavailableError("draining"), Lang::kSv),
                               kExitServerError}));

}  // namespace
}  // namespace samrad::ctl
