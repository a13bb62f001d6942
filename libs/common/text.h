#ifndef SAMRAD_LIBS_COMMON_TEXT_H_
#define SAMRAD_LIBS_COMMON_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace samrad {

// Number of Unicode code points in UTF-8 `s` (what a terminal shows for Swedish text:
// "Malmö" is 5 wide, not 6).
inline size_t DisplayWidth(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;  // count every byte that is not a continuation byte
  }
  return n;
}

// `s` followed by spaces up to `width` code points (at least one space after it).
inline std::string PadRight(std::string_view s, size_t width) {
  std::string out(s);
  const size_t w = DisplayWidth(s);
  out.append(w < width ? width - w : 1, ' ');
  return out;
}

}  // namespace samrad

#endif  // SAMRAD_LIBS_COMMON_TEXT_H_
