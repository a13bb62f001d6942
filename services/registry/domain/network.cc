#include "services/registry/domain/network.h"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "services/registry/domain/dates.h"

namespace samrad::registry::domain {

bool RunsOn(const v1::Appointment& appointment, const google::type::Date& date) {
  if (CompareDates(appointment.start_date(), date) > 0) return false;
  return !appointment.has_end_date() || CompareDates(date, appointment.end_date()) < 0;
}

bool HasEnded(const v1::Appointment& appointment, const google::type::Date& today) {
  return appointment.has_end_date() && CompareDates(appointment.end_date(), today) <= 0;
}

v1::ListNetworkResponse NetworkAsOf(const std::vector<v1::Committee>& committees,
                                    const std::vector<v1::Administration>& administrations,
                                    const std::vector<v1::Appointment>& appointments,
                                    const std::vector<v1::Person>& people,
                                    const google::type::Date& date) {
  // The coordinator's administration, named from either side of the link.
  std::set<std::string> coordinator_committees;
  std::set<std::string> coordinator_administrations;
  for (const v1::Committee& committee : committees) {
    if (!committee.coordinator()) continue;
    coordinator_committees.insert(committee.name());
    if (!committee.administration().empty()) {
      coordinator_administrations.insert(committee.administration());
    }
  }
  for (const v1::Administration& administration : administrations) {
    if (coordinator_committees.count(administration.committee()) > 0) {
      coordinator_administrations.insert(administration.name());
    }
  }

  v1::ListNetworkResponse out;
  std::set<std::pair<std::string, int>> covered;
  std::vector<const v1::Appointment*> running;
  for (const v1::Appointment& appointment : appointments) {
    if (RunsOn(appointment, date)) running.push_back(&appointment);
  }
  std::sort(running.begin(), running.end(), [](const auto* a, const auto* b) {
    return std::make_tuple(a->administration(), static_cast<int>(a->track()), a->name()) <
           std::make_tuple(b->administration(), static_cast<int>(b->track()), b->name());
  });
  for (const v1::Appointment* appointment : running) {
    v1::NetworkMember* member = out.add_members();
    member->set_administration(appointment->administration());
    member->set_track(appointment->track());
    *member->mutable_appointment() = *appointment;
    const auto person = std::find_if(people.begin(), people.end(), [&](const v1::Person& p) {
      return p.name() == appointment->person();
    });
    if (person != people.end()) *member->mutable_person() = *person;
    covered.emplace(appointment->administration(), appointment->track());
  }

  std::vector<const v1::Administration*> sorted;
  for (const v1::Administration& administration : administrations) {
    if (administration.state() == v1::RETIRED) continue;
    if (coordinator_administrations.count(administration.name()) > 0) continue;
    sorted.push_back(&administration);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->name() < b->name(); });
  for (const v1::Administration* administration : sorted) {
    for (v1::Track track : kTracks) {
      if (covered.count({administration->name(), track}) > 0) continue;
      v1::NetworkMember* vacancy = out.add_vacancies();
      vacancy->set_administration(administration->name());
      vacancy->set_track(track);
    }
  }
  return out;
}

}  // namespace samrad::registry::domain
