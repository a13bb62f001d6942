#ifndef SAMRAD_LIBS_COMMON_LANG_H_
#define SAMRAD_LIBS_COMMON_LANG_H_

#include <optional>
#include <string_view>

namespace samrad {

// The language of text that users read. Swedish is the default everywhere; English is given
// on request (`--lang en`, or an `accept-language: en` request header).
enum class Lang { kSv, kEn };

// "sv", "sv-SE", "en", "en-GB", ... → Lang; nullopt for anything else.
inline std::optional<Lang> ParseLang(std::string_view tag) {
  if (tag.size() >= 2) {
    const std::string_view primary = tag.substr(0, 2);
    if (primary == "sv" || primary == "SV") return Lang::kSv;
    if (primary == "en" || primary == "EN") return Lang::kEn;
  }
  return std::nullopt;
}

// Picks the text of `lang`, e.g. Tr(lang, "i drift", "serving").
inline std::string_view Tr(Lang lang, std::string_view sv, std::string_view en) {
  return lang == Lang::kEn ? en : sv;
}

}  // namespace samrad

#endif  // SAMRAD_LIBS_COMMON_LANG_H_
