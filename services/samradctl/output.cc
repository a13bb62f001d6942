#include "services/samradctl/output.h"

#include <algorithm>
#include <utility>

#include "google/protobuf/util/json_util.h"
#include "libs/common/text.h"
#include "nlohmann/json.hpp"

namespace samrad::ctl {
namespace {

constexpr std::string_view kColumnGap = "  ";

// The byte offset where code point `n` of UTF-8 `s` starts (s.size() when fewer).
size_t OffsetOfCodePoint(const std::string& s, size_t n) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (seen == n) return i;
    ++seen;
  }
  return s.size();
}

// Spaces after `cell` up to `width` code points, then the gap between columns.
void AppendPadding(std::string& line, const std::string& cell, size_t width) {
  const size_t used = CodePointCount(cell);
  line.append((used < width ? width - used : 0) + kColumnGap.size(), ' ');
}

void StripTrailingSpaces(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

nlohmann::ordered_json ParsedJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  // Canonical proto3 JSON; the conversion of a valid message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &text, options);
  return nlohmann::ordered_json::parse(text);
}

}  // namespace

std::string FitCell(const std::string& cell, size_t max_width) {
  std::string one_line = cell;
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  if (CodePointCount(one_line) <= max_width) return one_line;
  one_line.resize(OffsetOfCodePoint(one_line, max_width - 1));
  return one_line + "…";
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& cell : cells) cell = FitCell(cell, kMaxCellWidth);
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], CodePointCount(row[i]));
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) AppendPadding(line, row[i], widths[i]);
    }
    StripTrailingSpaces(line);
    out << line << "\n";
  };
  print(headers_);
  for (const auto& row : rows_) print(row);
}

void PrintDetails(const Details& details, std::ostream& out) {
  size_t width = 0;
  for (const DetailLine& d : details) {
    if (!d.value.empty()) width = std::max(width, CodePointCount(d.label) + 1);  // "label:"
  }
  const std::string indent(width + kColumnGap.size(), ' ');
  for (const DetailLine& d : details) {
    if (d.value.empty()) continue;
    std::string line = d.label + ":";
    AppendPadding(line, d.label + ":", width);
    for (char c : d.value) {
      line += c;
      if (c == '\n') line += indent;
    }
    StripTrailingSpaces(line);
    out << line << "\n";
  }
}

std::string ToJson(const google::protobuf::Message& message) { return ParsedJson(message).dump(2); }

std::string ToJsonArray(const std::vector<const google::protobuf::Message*>& messages) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto* message : messages) array.push_back(ParsedJson(*message));
  return array.dump(2);
}

}  // namespace samrad::ctl
