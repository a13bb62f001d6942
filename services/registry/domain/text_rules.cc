#include "services/registry/domain/text_rules.h"

#include <vector>

namespace samrad::registry::domain {
namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Å (C3 85), Ä (C3 84), Ö (C3 96).
bool IsCapitalSegment(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      ++i;
    } else if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (d != 0x85 && d != 0x84 && d != 0x96) return false;
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsValidCaseNumber(std::string_view s) {
  const std::vector<std::string_view> parts = SplitView(s, '-');
  if (parts.size() < 3) return false;
  const std::string_view serial = parts[parts.size() - 1];
  const std::string_view year = parts[parts.size() - 2];
  if (!IsDigits(serial) || year.size() != 4 || !IsDigits(year)) return false;
  for (size_t i = 0; i + 2 < parts.size(); ++i) {
    if (!IsCapitalSegment(parts[i])) return false;
  }
  return true;
}

}  // namespace samrad::registry::domain
