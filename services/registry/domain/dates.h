#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_DATES_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_DATES_H_

// The registry's calendar dates are Samråd's (libs/common/dates.h): periods of dialogue
// efforts, appointments and consultation rounds are days in Europe/Stockholm. The rules
// name them unqualified.

#include "libs/common/dates.h"

namespace samrad::registry::domain {

using dates::CompareDates;
using dates::DaysBetween;
using dates::FormatDate;
using dates::FromCivilDay;
using dates::IsValidDate;
using dates::MakeDate;
using dates::ParseIsoDate;
using dates::StockholmDate;
using dates::ToCivilDay;
using dates::ToTimestamp;

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_DATES_H_
