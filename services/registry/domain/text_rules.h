#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_TEXT_RULES_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_TEXT_RULES_H_

// Shapes of the text fields of the registry: limits (in characters, CodePointCount) and the
// case number. Strings are UTF-8 (protobuf guarantees it for proto3 strings).

#include <cstddef>
#include <string>
#include <string_view>

#include "libs/common/text.h"

namespace samrad::registry::domain {

// Limits of free-text fields, in characters.
inline constexpr size_t kMaxTitle = 200;
inline constexpr size_t kMaxDisplayName = 200;
inline constexpr size_t kMaxQuestion = 2000;
inline constexpr size_t kMaxInfluenceText = 2000;
inline constexpr size_t kMaxAreaDescription = 500;
inline constexpr size_t kMaxTargetGroupText = 100;
inline constexpr size_t kMaxOutcomeText = 10000;
inline constexpr size_t kMaxFeedbackMethod = 2000;
inline constexpr size_t kMaxAnswerSummary = 10000;
inline constexpr size_t kMaxPointText = 2000;
inline constexpr size_t kMaxDecisionReference = 200;
inline constexpr size_t kMaxRequestId = 128;
inline constexpr size_t kMaxReason = 1000;
inline constexpr size_t kMaxEmail = kMaxEmailBytes;
// Limits of repeated fields, in entries.
inline constexpr size_t kMaxListEntries = 100;

// A case (ärende) number: one or more segments of capital letters (A-Z, Å, Ä, Ö) joined by
// '-', then '-', a four-digit year, '-' and a serial number:
//   [A-ZÅÄÖ]+(-[A-ZÅÄÖ]+)*-\d{4}-\d+
// e.g. "STK-2018-90" and "KS-KOM-2009-00447" (the beredningsmodell's case, DOMAIN.md).
bool IsValidCaseNumber(std::string_view s);

// Lengths, blanks, e-mail shape and Swedish order are Samråd's (libs/common/text.h).
using ::samrad::CodePointCount;
using ::samrad::FoldForCompare;
using ::samrad::IsBlank;
using ::samrad::IsValidEmail;
using ::samrad::SplitView;
using ::samrad::SwedishSortKey;

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_TEXT_RULES_H_
