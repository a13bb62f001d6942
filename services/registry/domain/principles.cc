#include "services/registry/domain/principles.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/text_rules.h"

namespace samrad::registry::domain {
namespace {

bool HasGroup(const v1::Dialogue& d, v1::TargetGroup group) {
  for (int g : d.target_groups()) {
    if (g == group) return true;
  }
  return false;
}

bool MentionsChildrenOrYoung(const v1::Dialogue& d) {
  static constexpr std::string_view kWords[] = {"barn", "unga",     "ungdom",
                                                "elev", "children", "young"};
  for (const std::string& group : d.other_target_groups()) {
    const std::string folded = FoldForCompare(group);
    for (std::string_view word : kWords) {
      if (folded.find(word) != std::string::npos) return true;
    }
  }
  return false;
}

bool UsesAssociationsChannel(const v1::Dialogue& d) {
  for (const std::string& channel : d.channels()) {
    const auto parsed = ParseResourceName(channel);
    if (parsed.has_value() && parsed->id == kAssociationsChannelId) return true;
  }
  return false;
}

v1::PrincipleAssessment Assess(int principle, bool evidenced, Lang lang, std::string sv,
                               std::string en) {
  v1::PrincipleAssessment out;
  out.set_principle(principle);
  out.set_evidenced(evidenced);
  out.set_explanation(lang == Lang::kEn ? std::move(en) : std::move(sv));
  return out;
}

}  // namespace

std::vector<v1::PrincipleAssessment> AssessPrinciples(const v1::Dialogue& d, Lang lang) {
  std::vector<v1::PrincipleAssessment> out;
  const v1::Influence& influence = d.influence();
  const v1::Outcome& outcome = d.outcome();
  const bool has_case = !IsBlank(influence.case_number());
  const bool has_decision = !IsBlank(influence.decision());
  const bool has_what = !IsBlank(influence.what_can_be_influenced());

  // 1. The position on dialogue is stated in the decision material of the case.
  if (has_case) {
    out.push_back(Assess(1, true, lang,
                         absl::StrCat("Kopplad till ärende ", influence.case_number(),
                                      ", vars beslutsunderlag redovisar ställningstagandet."),
                         absl::StrCat("Tied to case ", influence.case_number(),
                                      ", whose decision material states the position.")));
  } else {
    out.push_back(Assess(1, false, lang,
                         "Inget ärendenummer: det syns inte i vilket beslutsunderlag "
                         "ställningstagandet till medborgardialog redovisas.",
                         "No case number: it does not show in which decision material the "
                         "position on citizen dialogue is stated."));
  }

  // 2. The right to be heard: at least konsultation on the participation ladder.
  const bool heard = d.participation_level() >= v1::KONSULTATION && !IsBlank(d.question());
  out.push_back(heard ? Assess(2, true, lang,
                               "Deltagarna tillfrågas (minst konsultation på "
                               "delaktighetstrappan) och frågan är angiven.",
                               "Participants are asked (at least consultation on the "
                               "participation ladder) and the question is stated.")
                      : Assess(2, false, lang,
                               "Delaktighetsnivån är bara information eller saknas, eller "
                               "frågan saknas: rätten att bli hörd syns inte.",
                               "The participation level is only information or missing, or "
                               "the question is missing: the right to be heard does not "
                               "show."));

  // 3. A dialogue informs why a plan, programme or policy is made or changed.
  out.push_back(
      has_decision
          ? Assess(3, true, lang,
                   absl::StrCat("Beslutet som dialogen informerar: ", influence.decision(), "."),
                   absl::StrCat("The decision the dialogue informs: ", influence.decision(), "."))
          : Assess(3, false, lang,
                   "Det framgår inte vilket beslut, vilken plan eller policy "
                   "dialogen informerar.",
                   "It does not show which decision, plan or policy the dialogue "
                   "informs."));

  // 4. Early clarity on how views are handled and what can be influenced.
  if (has_what && has_decision) {
    out.push_back(Assess(4, true, lang,
                         "Det är angivet vad som kan påverkas och vilket beslut synpunkterna "
                         "går till.",
                         "What can be influenced and which decision the views feed are "
                         "stated."));
  } else {
    out.push_back(
        Assess(4, false, lang,
               absl::StrCat("Saknas: ", !has_what ? "vad som kan påverkas (påverkbarhet)" : "",
                            !has_what && !has_decision ? " och " : "",
                            !has_decision ? "vilket beslut synpunkterna går till" : "", "."),
               absl::StrCat("Missing: ", !has_what ? "what can be influenced" : "",
                            !has_what && !has_decision ? " and " : "",
                            !has_decision ? "which decision the views feed" : "", ".")));
  }

  // 5. Good conditions to take part; outreach.
  if (!IsBlank(outcome.outreach())) {
    out.push_back(
        Assess(5, true, lang, "Uppsökande arbete är beskrivet.", "Outreach is described."));
  } else if (d.channels_size() >= 2) {
    out.push_back(Assess(
        5, true, lang, absl::StrCat("Deltagande är möjligt genom ", d.channels_size(), " kanaler."),
        absl::StrCat("Taking part is possible through ", d.channels_size(), " channels.")));
  } else {
    out.push_back(Assess(5, false, lang,
                         "Varken uppsökande arbete eller flera kanaler för deltagande är "
                         "angivna.",
                         "Neither outreach nor several channels to take part are given."));
  }

  // 6. Children and young people.
  const bool young = HasGroup(d, v1::CHILDREN) || HasGroup(d, v1::YOUNG_PEOPLE);
  if (young) {
    out.push_back(Assess(6, true, lang, "Barn eller unga är målgrupp.",
                         "Children or young people are a target group."));
  } else if (MentionsChildrenOrYoung(d)) {
    out.push_back(Assess(6, true, lang, "Barn eller unga nämns bland målgrupperna.",
                         "Children or young people are named among the target groups."));
  } else {
    out.push_back(Assess(6, false, lang,
                         "Barns och ungas möjlighet att delta är inte uppmärksammad.",
                         "Children's and young people's possibilities to take part are not "
                         "addressed."));
  }

  // 7. Feedback (återkoppling).
  const v1::Feedback& feedback = outcome.feedback();
  const bool fed_back =
      feedback.has_date() && IsValidDate(feedback.date()) && !IsBlank(feedback.method());
  out.push_back(fed_back ? Assess(7, true, lang,
                                  absl::StrCat("Återkoppling ", FormatDate(feedback.date()), ": ",
                                               feedback.method(), "."),
                                  absl::StrCat("Feedback on ", FormatDate(feedback.date()), ": ",
                                               feedback.method(), "."))
                         : Assess(7, false, lang,
                                  "Ingen återkoppling till deltagarna är registrerad (datum "
                                  "och sätt).",
                                  "No feedback to the participants is recorded (date and "
                                  "method)."));

  // 8. Associations and organisations.
  if (HasGroup(d, v1::ASSOCIATIONS)) {
    out.push_back(Assess(8, true, lang, "Föreningar och organisationer är målgrupp.",
                         "Associations and organisations are a target group."));
  } else if (UsesAssociationsChannel(d)) {
    out.push_back(Assess(8, true, lang, "Kanalen Dialog med föreningslivet används.",
                         "The channel Dialogue with associations is used."));
  } else {
    out.push_back(Assess(8, false, lang, "Samverkan med föreningar och organisationer syns inte.",
                         "Cooperation with associations and organisations does not show."));
  }

  // 9. Evaluation.
  out.push_back(!IsBlank(outcome.evaluation())
                    ? Assess(9, true, lang, "Dialogprocessen är utvärderad.",
                             "The dialogue process is evaluated.")
                    : Assess(9, false, lang, "Ingen utvärdering är registrerad.",
                             "No evaluation is recorded."));

  // 10. Elected officials make the political trade-offs.
  if (d.elected_officials_size() > 0) {
    out.push_back(Assess(
        10, true, lang, absl::StrCat(d.elected_officials_size(), " förtroendevald(a) deltar."),
        absl::StrCat(d.elected_officials_size(), " elected official(s) take part.")));
  } else if (!d.responsible_committee().empty()) {
    out.push_back(Assess(10, true, lang,
                         absl::StrCat("Ansvarig nämnd: ", d.responsible_committee(), "."),
                         absl::StrCat("Responsible committee: ", d.responsible_committee(), ".")));
  } else {
    out.push_back(Assess(10, false, lang, "Varken förtroendevalda eller ansvarig nämnd är angivna.",
                         "Neither elected officials nor a responsible committee are given."));
  }
  return out;
}

}  // namespace samrad::registry::domain
