#ifndef SAMRAD_SERVICES_SAMRADCTL_OUTPUT_H_
#define SAMRAD_SERVICES_SAMRADCTL_OUTPUT_H_

// How samradctl prints: aligned tables for lists, aligned "label  value" lines for one
// resource, and proto JSON for `-o json`. Widths count code points, so "Förvaltning" lines
// up with "Committee" (see libs/common/text.h).

#include <ostream>
#include <string>
#include <vector>

#include "google/protobuf/message.h"

namespace samrad::ctl {

enum class OutputFormat { kTable, kJson };

// A table printed as columns two spaces apart, with a header row. Cells longer than
// kMaxCellWidth code points are cut with "…", and line breaks in cells become spaces.
class Table {
 public:
  static constexpr size_t kMaxCellWidth = 60;

  explicit Table(std::vector<std::string> headers);

  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  size_t size() const { return rows_.size(); }

  // Every row, the last column unpadded; no trailing spaces.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// One line of a resource's details. A value with line breaks continues on the following
// lines, indented to the value column. Lines with an empty value are not printed.
struct DetailLine {
  std::string label;
  std::string value;
};
using Details = std::vector<DetailLine>;

void PrintDetails(const Details& details, std::ostream& out);

// `cell` on one line and at most `max_width` code points, cut with "…".
std::string FitCell(const std::string& cell, size_t max_width);

// The proto JSON (lowerCamelCase names in field order, enums by name) of `message`, indented by two
// spaces, and of a list of messages as one JSON array.
std::string ToJson(const google::protobuf::Message& message);
std::string ToJsonArray(const std::vector<const google::protobuf::Message*>& messages);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_OUTPUT_H_
