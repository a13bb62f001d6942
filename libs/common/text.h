#ifndef SAMRAD_LIBS_COMMON_TEXT_H_
#define SAMRAD_LIBS_COMMON_TEXT_H_

// Text as Swedish users read it. Strings are UTF-8 (protobuf guarantees it for proto3
// strings); lengths are counted in code points, not bytes, so that
// "Hälsa-, vård- och omsorgsnämnden" is as long as it looks. Thread-safe: pure functions.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace samrad {

// Number of Unicode code points in UTF-8 `s`: its length in characters for limits, and
// what a terminal shows for Swedish text ("Malmö" is 5 wide, not 6).
size_t CodePointCount(std::string_view s);

// `s` followed by spaces up to `width` code points (at least one space after it).
std::string PadRight(std::string_view s, size_t width);

// The pieces of `s` between the `sep` characters (empty pieces kept: "a..b" → a, "", b).
// The views point into `s`.
std::vector<std::string_view> SplitView(std::string_view s, char sep);

// Empty or only ASCII whitespace.
bool IsBlank(std::string_view s);

// The longest e-mail address (RFC 5321's path limit less the angle brackets), in bytes.
inline constexpr size_t kMaxEmailBytes = 254;

// The shape of an e-mail address: at most kMaxEmailBytes, one '@', a non-empty local part
// of at most 64 bytes without whitespace, and a domain of at least two dot-separated
// non-empty labels. Non-ASCII domains are allowed (the seeds use "mikael.kylsater@malmö.se").
bool IsValidEmail(std::string_view s);

// For comparing names as people read them: trimmed, inner whitespace collapsed to one
// space, ASCII and Swedish letters (Å Ä Ö É Ü) lower-cased.
std::string FoldForCompare(std::string_view s);

// A key whose byte order is Swedish alphabetical order (svensk sortering, the primary level
// of the Swedish collation): case and accents are ignored except that å, ä and ö are letters
// of their own after z, in that order; é, è, á and the like sort as their base letter, ü as
// y, æ as ä and ø as ö (as in Svenska Akademiens ordlista). So titles list as a reader
// expects: ... "Zon", "Åkarp", "Ängslätt", "Öresund". The one implementation of Swedish
// order in Samråd (indexes, tests and benchmarks use it).
std::string SwedishSortKey(std::string_view s);

}  // namespace samrad

#endif  // SAMRAD_LIBS_COMMON_TEXT_H_
