#include "libs/api/filter.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/errors/errors.h"

namespace samrad::api {
namespace {

bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '/' ||
         c == '.';
}

// A cursor over the filter text.
class Scanner {
 public:
  explicit Scanner(std::string_view in) : in_(in) {}

  bool done() const { return i_ == in_.size(); }
  char peek() const { return in_[i_]; }
  void SkipSpace() {
    while (i_ < in_.size() && absl::ascii_isspace(static_cast<unsigned char>(in_[i_]))) ++i_;
  }
  std::string Word() {
    const size_t start = i_;
    while (i_ < in_.size() && IsWordChar(in_[i_])) ++i_;
    return std::string(in_.substr(start, i_ - start));
  }
  char Next() { return in_[i_++]; }

 private:
  std::string_view in_;
  size_t i_ = 0;
};

}  // namespace

absl::Status BadFilter(std::string_view domain, std::string_view detail_sv,
                       std::string_view detail_en) {
  return errors::InvalidField(domain, "filter", "INVALID_FILTER",
                              {absl::StrCat("Ogiltigt filter: ", std::string(detail_sv)),
                               absl::StrCat("Invalid filter: ", std::string(detail_en))});
}

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(std::string_view filter,
                                                    const FilterSpec& spec) {
  std::vector<FilterTerm> terms;
  Scanner in(filter);
  in.SkipSpace();
  if (in.done()) return terms;
  while (true) {
    in.SkipSpace();
    FilterTerm term;
    term.field = in.Word();
    if (term.field.empty()) {
      return BadFilter(spec.domain, "ett fältnamn väntades", "a field name was expected");
    }
    const auto known = std::find_if(spec.fields.begin(), spec.fields.end(),
                                    [&](const FilterField& f) { return f.name == term.field; });
    if (known == spec.fields.end()) {
      return BadFilter(spec.domain, absl::StrCat("okänt fält ", term.field),
                       absl::StrCat("unknown field ", term.field));
    }
    in.SkipSpace();
    if (in.done() || (in.peek() != '=' && in.peek() != ':')) {
      return BadFilter(spec.domain, absl::StrCat("'=' eller ':' väntades efter ", term.field),
                       absl::StrCat("'=' or ':' expected after ", term.field));
    }
    term.op = in.Next() == '=' ? FilterOp::kEquals : FilterOp::kHas;
    if (term.op != known->op) {
      return BadFilter(
          spec.domain,
          absl::StrCat(term.field, known->op == FilterOp::kHas ? " tar ':'" : " tar '='"),
          absl::StrCat(term.field, known->op == FilterOp::kHas ? " takes ':'" : " takes '='"));
    }
    in.SkipSpace();
    if (!in.done() && in.peek() == '"') {
      in.Next();
      bool closed = false;
      while (!in.done()) {
        const char c = in.Next();
        if (c == '\\' && !in.done()) {
          term.value.push_back(in.Next());
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          term.value.push_back(c);
        }
      }
      if (!closed) {
        return BadFilter(spec.domain, "en sträng saknar avslutande '\"'", "unterminated string");
      }
    } else {
      term.value = in.Word();
    }
    if (term.value.empty()) {
      return BadFilter(spec.domain, absl::StrCat("värde saknas för ", term.field),
                       absl::StrCat("missing value for ", term.field));
    }
    terms.push_back(std::move(term));
    in.SkipSpace();
    if (in.done()) return terms;
    if (in.Word() != "AND") return BadFilter(spec.domain, "AND väntades", "AND expected");
  }
}

absl::StatusOr<OrderBy> ParseOrderBy(std::string_view order_by, std::string_view domain,
                                     const std::vector<OrderField>& fields) {
  const std::vector<std::string> words =
      absl::StrSplit(std::string(order_by), ' ', absl::SkipWhitespace());
  if (words.empty() && !fields.empty()) return OrderBy{std::string(fields.front().name), false};
  const bool desc = words.size() == 2 && words[1] == "desc";
  const bool asc = words.size() == 1 || (words.size() == 2 && words[1] == "asc");
  if (asc || desc) {
    for (const OrderField& f : fields) {
      if (f.name == words[0] && (asc || f.descending_allowed)) {
        return OrderBy{std::string(f.name), desc};
      }
    }
  }
  std::vector<std::string> accepted;
  for (const OrderField& f : fields) {
    accepted.push_back(
        absl::StrCat("\"", std::string(f.name), f.descending_allowed ? " [desc]" : "", "\""));
  }
  const std::string list = absl::StrJoin(accepted, ", ");
  return errors::InvalidField(
      domain, "order_by", "INVALID_ORDER_BY",
      {absl::StrCat("Sorteringen kan vara ", list), absl::StrCat("order_by can be ", list)});
}

}  // namespace samrad::api
