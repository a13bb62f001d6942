#include "libs/api/errors.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace samrad::api {
namespace {

using errors::DetailOf;
using errors::Error;
using errors::InvalidArgument;
using errors::Violations;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

constexpr char kDomain[] = "registry.samrad.malmo.se";

// The google.rpc.Status a client decodes from grpc-status-details-bin.
google::rpc::Status Decode(const grpc::Status& status) {
  google::rpc::Status out;
  EXPECT_TRUE(out.ParseFromString(status.error_details()));
  return out;
}

template <typename T>
std::vector<T> DetailsOf(const google::rpc::Status& status) {
  std::vector<T> out;
  for (const auto& any : status.details()) {
    T detail;
    if (any.Is<T>()) {
      EXPECT_TRUE(any.UnpackTo(&detail));
      out.push_back(detail);
    }
  }
  return out;
}

absl::Status TwoViolations() {
  Violations v;
  v.Add("dialogue.title", "REQUIRED", {"Titel krävs.", "A title is required."});
  v.Add("dialogue.channels[2]", "UNKNOWN_CHANNEL", {"Okänd kanal.", "Unknown channel."});
  return v.ToStatus(kDomain);
}

TEST(ViolationsTest, EmptyIsOk) {
  Violations v;
  EXPECT_TRUE(v.empty());
  EXPECT_TRUE(v.ToStatus(kDomain).ok());
}

TEST(ViolationsTest, BecomeInvalidArgumentWithEveryField) {
  absl::Status status = TwoViolations();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("dialogue.title"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("dialogue.channels[2]"));
  std::optional<common::v1::ErrorDetail> detail = DetailOf(status);
  ASSERT_TRUE(detail.has_value());
  // The first violation's reason, so that a client can switch on ErrorInfo.reason alone.
  EXPECT_EQ(detail->reason(), "REQUIRED");
  EXPECT_EQ(detail->metadata().at("field"), "dialogue.title");
  EXPECT_EQ(detail->domain(), kDomain);
  ASSERT_EQ(detail->field_violations_size(), 2);
  EXPECT_EQ(detail->field_violations(0).field(), "dialogue.title");
  EXPECT_EQ(detail->field_violations(0).reason(), "REQUIRED");
  EXPECT_EQ(detail->field_violations(0).description().sv(), "Titel krävs.");
  EXPECT_EQ(detail->field_violations(1).description().en(), "Unknown channel.");
}

TEST(ErrorTest, CarriesReasonTextsAndMetadata) {
  absl::Status status =
      Error(absl::StatusCode::kAborted, kDomain, "ETAG_MISMATCH",
            {"Resursen har ändrats.", "The resource changed."}, {{"current_etag", "7"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  std::optional<common::v1::ErrorDetail> detail = DetailOf(status);
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->reason(), "ETAG_MISMATCH");
  EXPECT_EQ(detail->domain(), kDomain);
  EXPECT_EQ(detail->message().sv(), "Resursen har ändrats.");
  EXPECT_EQ(detail->message().en(), "The resource changed.");
  EXPECT_THAT(detail->metadata(), ElementsAre(Pair("current_etag", "7")));
}

TEST(DetailOfTest, NoneOnPlainStatus) {
  EXPECT_FALSE(DetailOf(absl::NotFoundError("x")).has_value());
  EXPECT_FALSE(DetailOf(absl::OkStatus()).has_value());
}

TEST(ToGrpcStatusTest, OkIsOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), Lang::kSv).ok()); }

TEST(ToGrpcStatusTest, ValidationInSwedish) {
  grpc::Status status = ToGrpcStatus(TwoViolations(), Lang::kSv);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "Begäran har 2 ogiltiga fält.");
  google::rpc::Status rpc = Decode(status);
  EXPECT_EQ(rpc.code(), 3);
  EXPECT_EQ(rpc.message(), status.error_message());
  ASSERT_EQ(rpc.details_size(), 3);
  EXPECT_EQ(rpc.details(0).type_url(), "type.googleapis.com/google.rpc.ErrorInfo");
  EXPECT_EQ(rpc.details(1).type_url(), "type.googleapis.com/google.rpc.BadRequest");
  EXPECT_EQ(rpc.details(2).type_url(), "type.googleapis.com/google.rpc.LocalizedMessage");

  auto infos = DetailsOf<google::rpc::ErrorInfo>(rpc);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].reason(), "REQUIRED");
  EXPECT_EQ(infos[0].metadata().at("field"), "dialogue.title");
  EXPECT_EQ(infos[0].domain(), kDomain);
  auto bad = DetailsOf<google::rpc::BadRequest>(rpc);
  ASSERT_EQ(bad.size(), 1u);
  ASSERT_EQ(bad[0].field_violations_size(), 2);
  EXPECT_EQ(bad[0].field_violations(0).field(), "dialogue.title");
  EXPECT_EQ(bad[0].field_violations(0).description(), "Titel krävs.");
  EXPECT_EQ(bad[0].field_violations(0).reason(), "REQUIRED");
  EXPECT_EQ(bad[0].field_violations(1).field(), "dialogue.channels[2]");
  EXPECT_EQ(bad[0].field_violations(1).description(), "Okänd kanal.");
  auto localized = DetailsOf<google::rpc::LocalizedMessage>(rpc);
  ASSERT_EQ(localized.size(), 1u);
  EXPECT_EQ(localized[0].locale(), "sv-SE");
  EXPECT_EQ(localized[0].message(), "Begäran har 2 ogiltiga fält.");
}

TEST(ToGrpcStatusTest, ValidationInEnglish) {
  grpc::Status status = ToGrpcStatus(TwoViolations(), Lang::kEn);
  EXPECT_EQ(status.error_message(), "The request has 2 invalid fields.");
  google::rpc::Status rpc = Decode(status);
  auto bad = DetailsOf<google::rpc::BadRequest>(rpc);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].field_violations(0).description(), "A title is required.");
  EXPECT_EQ(bad[0].field_violations(1).description(), "Unknown channel.");
  auto localized = DetailsOf<google::rpc::LocalizedMessage>(rpc);
  ASSERT_EQ(localized.size(), 1u);
  EXPECT_EQ(localized[0].locale(), "en-US");
  EXPECT_EQ(localized[0].message(), "The request has 2 invalid fields.");
}

TEST(ToGrpcStatusTest, OneViolationSaysItsOwnText) {
  grpc::Status status = ToGrpcStatus(
      InvalidArgument(kDomain, {{"page_size", "NEGATIVE", {"Negativ.", "Negative."}}}), Lang::kSv);
  EXPECT_EQ(status.error_message(), "Negativ.");
}

TEST(ToGrpcStatusTest, ErrorWithoutViolationsHasNoBadRequest) {
  absl::Status error = Error(absl::StatusCode::kAborted, kDomain, "ETAG_MISMATCH",
                             {"Ändrad.", "Changed."}, {{"current_etag", "7"}});
  grpc::Status status = ToGrpcStatus(error, Lang::kEn);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(status.error_message(), "Changed.");
  google::rpc::Status rpc = Decode(status);
  EXPECT_EQ(DetailsOf<google::rpc::BadRequest>(rpc).size(), 0u);
  auto infos = DetailsOf<google::rpc::ErrorInfo>(rpc);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].reason(), "ETAG_MISMATCH");
  EXPECT_THAT(infos[0].metadata(), ElementsAre(Pair("current_etag", "7")));
}

TEST(ToGrpcStatusTest, MissingLanguageFallsBackToTheOther) {
  absl::Status error = Error(absl::StatusCode::kNotFound, kDomain, "NOT_FOUND", {"", "Gone."});
  EXPECT_EQ(ToGrpcStatus(error, Lang::kSv).error_message(), "Gone.");
}

TEST(ToGrpcStatusTest, InternalErrorsDoNotLeak) {
  for (absl::Status internal :
       {absl::InternalError("rocksdb: IO error: /var/lib/samrad/registry/000123.sst"),
        absl::UnknownError("librdkafka: broker 10.0.0.7:9092 failed"),
        absl::DataLossError("corrupt key \\0samrad/agg/1280")}) {
    for (Lang lang : {Lang::kSv, Lang::kEn}) {
      grpc::Status status = ToGrpcStatus(internal, lang);
      EXPECT_EQ(static_cast<int>(status.error_code()), static_cast<int>(internal.code()));
      EXPECT_THAT(status.error_message(), Not(HasSubstr("rocksdb")));
      EXPECT_THAT(status.error_message(), Not(HasSubstr("librdkafka")));
      EXPECT_THAT(status.error_message(), Not(HasSubstr("samrad/")));
      EXPECT_EQ(status.error_message(),
                lang == Lang::kEn ? "An internal error occurred." : "Ett internt fel inträffade.");
      google::rpc::Status rpc = Decode(status);
      EXPECT_EQ(rpc.message(), status.error_message());
      EXPECT_FALSE(absl::StrContains(status.error_details(), "rocksdb"));
      EXPECT_FALSE(absl::StrContains(status.error_details(), "librdkafka"));
      EXPECT_FALSE(absl::StrContains(status.error_details(), "000123"));
      auto infos = DetailsOf<google::rpc::ErrorInfo>(rpc);
      ASSERT_EQ(infos.size(), 1u);
      EXPECT_EQ(infos[0].reason(), std::string(absl::StatusCodeToString(internal.code())));
    }
  }
}

TEST(ToGrpcStatusTest, PlainStatusKeepsCodeAndDeveloperMessage) {
  grpc::Status status = ToGrpcStatus(absl::NotFoundError("dialogue 42 not found"), Lang::kSv);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "dialogue 42 not found");
  google::rpc::Status rpc = Decode(status);
  auto infos = DetailsOf<google::rpc::ErrorInfo>(rpc);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].reason(), "NOT_FOUND");
  auto localized = DetailsOf<google::rpc::LocalizedMessage>(rpc);
  ASSERT_EQ(localized.size(), 1u);
  EXPECT_EQ(localized[0].locale(), "sv-SE");
  EXPECT_EQ(localized[0].message(), "Resursen finns inte.");
}

TEST(ToGrpcStatusTest, EveryCodeMapsToTheSameGrpcCode) {
  for (int code = 1; code <= 16; ++code) {
    const auto absl_code = static_cast<absl::StatusCode>(code);
    grpc::Status status = ToGrpcStatus(absl::Status(absl_code, "x"), Lang::kEn);
    EXPECT_EQ(static_cast<int>(status.error_code()), code);
    EXPECT_EQ(Decode(status).code(), code);
  }
}

TEST(GrpcCodeNameTest, Names) {
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::FAILED_PRECONDITION), "FAILED_PRECONDITION");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(GrpcCodeName(static_cast<grpc::StatusCode>(99)), "CODE_99");
}

}  // namespace
}  // namespace samrad::api
