#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_TEXT_RULES_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_TEXT_RULES_H_

// Shapes of the text fields of the registry. Strings are UTF-8 (protobuf guarantees it for
// proto3 strings); lengths are counted in characters (code points), not bytes, so that
// "Hälsa-, vård- och omsorgsnämnden" is as long as it looks.

#include <cstddef>
#include <string>
#include <string_view>

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
inline constexpr size_t kMaxEmail = 254;
// Limits of repeated fields, in entries.
inline constexpr size_t kMaxListEntries = 100;

// Code points of a UTF-8 string.
size_t CharCount(std::string_view s);

// Empty or only ASCII whitespace.
bool IsBlank(std::string_view s);

// The shape of an e-mail address: one '@', a non-empty local part of at most 64 bytes
// without whitespace, and a domain of at least two dot-separated non-empty labels. Non-ASCII
// domains are allowed (the seeds use "mikael.kylsater@malmö.se").
bool IsValidEmail(std::string_view s);

// A case (ärende) number: one or more segments of capital letters (A-Z, Å, Ä, Ö) joined by
// '-', then '-', a four-digit year, '-' and a serial number:
//   [A-ZÅÄÖ]+(-[A-ZÅÄÖ]+)*-\d{4}-\d+
// e.g. "STK-2018-90" and "KS-KOM-2009-00447" (the beredningsmodell's case, DOMAIN.md).
bool IsValidCaseNumber(std::string_view s);

// For comparing names as people read them: trimmed, inner whitespace collapsed to one
// space, ASCII and Swedish letters (Å Ä Ö É Ü) lower-cased.
std::string FoldForCompare(std::string_view s);

// A key whose byte order is Swedish alphabetical order (svensk sortering, the primary level
// of the Swedish collation): case and accents are ignored except that å, ä and ö are letters
// of their own after z, in that order; é, è, á and the like sort as their base letter, ü as
// y, æ as ä and ø as ö (as in Svenska Akademiens ordlista). Used for the title order of
// dialogue efforts: ... "Zon", "Åkarp", "Ängslätt", "Öresund", as a reader expects.
std::string SwedishSortKey(std::string_view s);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_TEXT_RULES_H_
