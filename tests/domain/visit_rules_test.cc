// The visit's pure rules: punctuality, the checklist against its template, PNG sniffing, the
// scripts' text.
#include <gmock/gmock.h>

#include "absl/time/clock.h"
#include "domain/errors.h"
#include "domain/png_image.h"
#include "domain/visit_commands.h"
#include "domain/visit_scripts.h"

namespace homevisit::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Fields(Violations& v) {
  std::vector<std::string> fields;
  for (const auto& f : v.list()) fields.push_back(f.field);
  return fields;
}

std::vector<ChecklistAnswer> AllPass(const std::vector<ChecklistItem>& checklist) {
  std::vector<ChecklistAnswer> answers;
  for (const auto& item : checklist) {
    ChecklistAnswer a;
    a.item_id = item.item_id;
    a.result = CheckResult::kPass;
    answers.push_back(a);
  }
  return answers;
}

TEST(PunctualityTest, ComparesArrivalWithTheWindow) {
  absl::Time start = absl::FromUnixSeconds(1'800'000'000);
  TimeWindow window{start, start + absl::Hours(2)};
  EXPECT_EQ(PunctualityOf(start - absl::Seconds(1), window), Punctuality::kEarly);
  EXPECT_EQ(PunctualityOf(start, window), Punctuality::kOnTime);
  EXPECT_EQ(PunctualityOf(start + absl::Hours(2), window), Punctuality::kOnTime);
  EXPECT_EQ(PunctualityOf(start + absl::Hours(2) + absl::Seconds(1), window), Punctuality::kLate);
}

TEST(ChecklistTest, DefaultTemplateHasTheSpecItems) {
  std::vector<std::string> ids;
  for (const auto& item : DefaultChecklist()) ids.push_back(item.item_id);
  EXPECT_THAT(ids, ElementsAre("modem_power_lights", "cabling", "modem_signal_levels", "wired_speed_test",
                               "wifi_test_near_modem", "modem_restart", "area_outage"));
  EXPECT_TRUE(DefaultChecklist()[0].service_item);
  EXPECT_FALSE(DefaultChecklist()[4].service_item);  // Wi-Fi coverage is not a service/modem fault
}

TEST(ChecklistTest, CompleteAnswersComeBackInTemplateOrderWithTemplateLabels) {
  auto checklist = DefaultChecklist();
  auto answers = AllPass(checklist);
  std::swap(answers[0], answers[6]);
  answers[0].label = "client label ignored";
  answers[0].service_item = false;
  Violations v;
  auto checked = CheckChecklist(answers, checklist, true, v);
  EXPECT_TRUE(v.empty());
  ASSERT_EQ(checked.size(), 7u);
  EXPECT_EQ(checked[0].item_id, "modem_power_lights");
  EXPECT_EQ(checked[6].item_id, "area_outage");
  EXPECT_EQ(checked[6].label, "Falla masiva en la zona");
  EXPECT_TRUE(checked[6].service_item);
}

TEST(ChecklistTest, NamesUnknownDuplicateUnansweredAndMissingItems) {
  auto checklist = DefaultChecklist();
  auto answers = AllPass(checklist);
  answers[1].item_id = "flux_capacitor";              // unknown
  answers[2].item_id = "modem_power_lights";          // duplicate
  answers[3].result = CheckResult::kUnspecified;      // no result
  answers[4].note = std::string(kMaxNoteChars + 1, 'x');
  Violations v;
  CheckChecklist(answers, checklist, true, v);
  EXPECT_THAT(Fields(v), ElementsAre("checklist[1].item_id", "checklist[2].item_id", "checklist[3].result",
                                     "checklist[4].note", "checklist"));
  EXPECT_THAT(v.list().back().description, HasSubstr("cabling, modem_signal_levels"));
}

TEST(ChecklistTest, PartialAnswersAreFineWhenNotRequiredComplete) {
  auto checklist = DefaultChecklist();
  std::vector<ChecklistAnswer> answers = {AllPass(checklist)[4]};
  Violations v;
  EXPECT_EQ(CheckChecklist(answers, checklist, false, v).size(), 1u);
  EXPECT_TRUE(v.empty());
}

TEST(ChecklistTest, FailedServiceItemsIgnoreOtherFailures) {
  Violations v;
  auto answers = CheckChecklist(AllPass(DefaultChecklist()), DefaultChecklist(), true, v);
  answers[2].result = CheckResult::kFail;  // modem_signal_levels: service item
  answers[4].result = CheckResult::kFail;  // wifi_test_near_modem: not a service item
  EXPECT_THAT(FailedServiceItems(answers), ElementsAre("modem_signal_levels"));
}

TEST(SignatureTest, OnlyAWholeDecodablePngWithinBoundsIsAccepted) {
  std::string png = MakeGrayPng(300, 100);
  ASSERT_FALSE(png.empty());
  EXPECT_EQ(PngProblem(png), "");
  EXPECT_NE(PngProblem(png.substr(0, 33)), "") << "header only";
  EXPECT_NE(PngProblem(png.substr(0, png.size() - 20)), "") << "truncated";
  std::string garbage = png.substr(0, 33) + std::string(500, 'x');
  EXPECT_NE(PngProblem(garbage), "") << "a PNG header followed by garbage";
  std::string bad_crc = png;
  bad_crc[png.size() / 2] ^= 0x5a;  // inside the image data: the CRC (or zlib) no longer matches
  EXPECT_NE(PngProblem(bad_crc), "");
  std::string jpeg = png;
  jpeg[1] = 'J';
  EXPECT_EQ(PngProblem(jpeg), "must be a PNG image");
  EXPECT_EQ(PngProblem(""), "must be a PNG image");
  // Small files that declare big images are refused before any decoding.
  EXPECT_THAT(PngProblem(MakeGrayPng(3000, 10)), ::testing::HasSubstr("at most 2048 x 2048"));
  EXPECT_THAT(PngProblem(MakeGrayPng(1500, 1500)), ::testing::HasSubstr("pixels in all"));
  EXPECT_EQ(PngProblem(MakeGrayPng(1, 1)), "");
}

ServiceOrder BookedOrder() {
  ServiceOrder order;
  order.intake.family_name = "Méndez";
  order.state = OrderState::kOnSite;
  order.appointment = Appointment{"t1", "Rosa Aguilar", {}, absl::Time()};
  return order;
}

TEST(ScriptTest, GreetingUsesTheTechniciansNameAndTheLocalHour) {
  absl::TimeZone mexico = absl::FixedTimeZone(-6 * 3600);
  absl::Time morning = absl::FromCivil(absl::CivilSecond(2026, 12, 3, 11, 59, 59), mexico);
  absl::Time afternoon = absl::FromCivil(absl::CivilSecond(2026, 12, 3, 12, 0, 0), mexico);
  EXPECT_EQ(RenderScript(BookedOrder(), Script::kGreeting, mexico, morning),
            "Buenos días, mi nombre es Rosa Aguilar de su servicio izzi Dr. Wifi y estoy aquí para brindarle el "
            "servicio de asistencia a domicilio que solicito.");
  EXPECT_THAT(RenderScript(BookedOrder(), Script::kGreeting, mexico, afternoon),
              HasSubstr("Buenas tardes, mi nombre es Rosa Aguilar"));
  // 17:30 UTC is 11:30 in Mexico City: the service time zone decides, not UTC.
  EXPECT_TRUE(IsMorning(absl::FromCivil(absl::CivilSecond(2026, 12, 3, 17, 30, 0), absl::UTCTimeZone()), mexico));
}

TEST(ScriptTest, OtherLinesUseTheFamilyName) {
  absl::TimeZone mexico = absl::FixedTimeZone(-6 * 3600);
  absl::Time morning = absl::FromCivil(absl::CivilSecond(2026, 12, 3, 9, 0, 0), mexico);
  absl::Time evening = absl::FromCivil(absl::CivilSecond(2026, 12, 3, 19, 0, 0), mexico);
  EXPECT_THAT(RenderScript(BookedOrder(), Script::kEscalationAnnouncement, mexico, morning),
              HasSubstr("Sr/Srita Méndez, le comento que después del diagnóstico"));
  EXPECT_EQ(RenderScript(BookedOrder(), Script::kFarewellEscalated, mexico, morning),
            "Sr/Srita Méndez, por mi parte ha sido todo, lo dejo con mi compañero de soporte técnico izzi, para "
            "que continuemos atendiéndolo.");
  EXPECT_EQ(RenderScript(BookedOrder(), Script::kFarewellResolved, mexico, morning),
            "Sr/Srita Méndez, su problema ha quedado resuelto. Por mi parte sería todo, fue un placer atenderle. "
            "Que tenga un excelente día");
  EXPECT_THAT(RenderScript(BookedOrder(), Script::kFarewellResolved, mexico, evening),
              HasSubstr("excelente tarde"));
}

TEST(ScriptTest, NeedsABookedTechnician) {
  ServiceOrder order = BookedOrder();
  order.appointment.reset();
  order.state = OrderState::kRequested;
  try {
    RenderScript(order, Script::kGreeting, absl::UTCTimeZone(), absl::Now());
    FAIL() << "expected FAILED_PRECONDITION";
  } catch (const DomainError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kFailedPrecondition);
    EXPECT_THAT(e.what(), HasSubstr("REQUESTED"));
  }
}

}  // namespace
}  // namespace homevisit::domain
