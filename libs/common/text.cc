#include "libs/common/text.h"

#include <vector>

#include "absl/strings/ascii.h"

namespace samrad {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::vector<std::string_view> SplitView(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t begin = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  return out;
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;  // count every byte that is not a continuation byte
  }
  return n;
}

std::string PadRight(std::string_view s, size_t width) {
  std::string out(s);
  const size_t w = CodePointCount(s);
  out.append(w < width ? width - w : 1, ' ');
  return out;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!IsAsciiSpace(c)) return false;
  }
  return true;
}

bool IsValidEmail(std::string_view s) {
  if (s.empty() || s.size() > kMaxEmailBytes) return false;
  for (char c : s) {
    if (IsAsciiSpace(c) || static_cast<unsigned char>(c) < 0x20) return false;
  }
  const size_t at = s.find('@');
  if (at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = s.substr(0, at);
  const std::string_view domain = s.substr(at + 1);
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  const std::vector<std::string_view> labels = SplitView(domain, '.');
  if (labels.size() < 2) return false;
  for (std::string_view label : labels) {
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
  }
  return true;
}

std::string FoldForCompare(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (IsAsciiSpace(static_cast<char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char d = static_cast<unsigned char>(s[i + 1]);
      // Capital letters C3 80..C3 9E (except × at C3 97) lower-case by adding 0x20.
      const bool capital = d >= 0x80 && d <= 0x9E && d != 0x97;
      out.push_back(static_cast<char>(c));
      out.push_back(static_cast<char>(capital ? d + 0x20 : d));
      ++i;
      continue;
    }
    out.push_back(absl::ascii_tolower(static_cast<char>(c)));
  }
  return out;
}

std::string SwedishSortKey(std::string_view s) {
  // After FoldForCompare, letters of Latin-1 Supplement are the lower-case C3 A0..C3 BF.
  // Each maps to the key of the letter it sorts as; å ä ö get the three bytes after 'z'.
  // Other characters keep their bytes: ASCII sorts by itself, and anything else after it.
  static constexpr std::string_view kLatin1[32] = {
      "a", "a", "a", "a", "|", "{", "|", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "}", "",  "}", "u", "u", "u", "y", "y", "th", "y"};
  // The slots: à á â ã ä å æ ç è é ê ë ì í î ï ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ.
  const std::string folded = FoldForCompare(s);
  std::string out;
  out.reserve(folded.size());
  for (size_t i = 0; i < folded.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(folded[i]);
    if (c == 0xC3 && i + 1 < folded.size()) {
      const unsigned char d = static_cast<unsigned char>(folded[i + 1]);
      if (d >= 0xA0 && d != 0xB7) {  // not ÷
        out.append(kLatin1[d - 0xA0]);
        ++i;
        continue;
      }
      if (d == 0x9F) {  // ß
        out.append("ss");
        ++i;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

}  // namespace samrad
