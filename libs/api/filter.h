#ifndef SAMRAD_LIBS_API_FILTER_H_
#define SAMRAD_LIBS_API_FILTER_H_

// The List methods' `filter` and `order_by` (AIP-160 and AIP-132), in the subset every
// Samråd service accepts:
//
//   filter   := term ("AND" term)*
//   term     := field "=" value | field ":" value
//   value    := word | '"' chars '"'        (\" and \\ escape inside quotes)
//   word     := [A-Za-z0-9_./-]+
//   order_by := field [" asc" | " desc"]
//
// Which fields exist, which operator each takes and what a value means is the service's:
// ParseFilter checks the names and operators against a FilterSpec and returns the terms in
// order; the service turns them into its typed filter, answering BadFilter for a value it
// does not accept. Errors are INVALID_ARGUMENT naming `filter` (reason INVALID_FILTER) or
// `order_by` (INVALID_ORDER_BY), in Swedish and English. Thread-safe: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace samrad::api {

enum class FilterOp {
  kEquals,  // field = value
  kHas,     // field : value (AIP-160 "has": for text, a substring)
};

struct FilterTerm {
  std::string field;
  FilterOp op = FilterOp::kEquals;
  std::string value;

  friend bool operator==(const FilterTerm&, const FilterTerm&) = default;
};

struct FilterField {
  std::string_view name;
  FilterOp op = FilterOp::kEquals;
};

struct FilterSpec {
  // ErrorInfo domain of the errors.
  std::string_view domain;
  std::vector<FilterField> fields;
};

// The terms of `filter` (empty for an empty or blank filter).
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(std::string_view filter,
                                                    const FilterSpec& spec);

// INVALID_ARGUMENT naming `filter`: "Ogiltigt filter: <sv>" / "Invalid filter: <en>".
absl::Status BadFilter(std::string_view domain, std::string_view detail_sv,
                       std::string_view detail_en);

struct OrderField {
  std::string_view name;
  // Whether " desc" is accepted.
  bool descending_allowed = false;
};

struct OrderBy {
  // One of the spec's names; the first field of the spec for an empty order_by.
  std::string field;
  bool descending = false;

  friend bool operator==(const OrderBy&, const OrderBy&) = default;
};

// The order of `order_by` among `fields` (the first is the default). The error text lists
// the orders that are accepted.
absl::StatusOr<OrderBy> ParseOrderBy(std::string_view order_by, std::string_view domain,
                                     const std::vector<OrderField>& fields);

}  // namespace samrad::api

#endif  // SAMRAD_LIBS_API_FILTER_H_
