// Technician validation and schedule normalization: plain inputs, no server, no database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/technician_validation.h"

namespace homevisit::domain {
namespace {

using ::testing::ElementsAre;

Technician ValidTechnician() {
  Technician t;
  t.display_name = "Luis Hernández";
  t.employee_number = "DRW-1001";
  t.official_id_type = 1;
  t.mobile_phone = "55 1234 5678";
  t.postal_codes = {"06700", "03100"};
  t.delegaciones = {"Cuauhtémoc"};
  t.working_hours = {{1, 9 * 60, 14 * 60}, {1, 15 * 60, 19 * 60}, {6, 9 * 60, 24 * 60}};
  t.time_off = {{absl::FromUnixSeconds(1800000000), absl::FromUnixSeconds(1800086400), "Vacaciones"}};
  return t;
}

std::vector<std::string> Fields(const Technician& t) {
  Violations v("technician.");
  ValidateNewTechnician(t, v);
  std::vector<std::string> fields;
  for (const auto& violation : v.list()) fields.push_back(violation.field);
  return fields;
}

TEST(TechnicianValidationTest, AcceptsACompleteTechnician) { EXPECT_TRUE(Fields(ValidTechnician()).empty()); }

TEST(TechnicianValidationTest, NamesEveryBadScalarField) {
  Technician t = ValidTechnician();
  t.display_name = " ";
  t.employee_number = "DRW 1001";
  t.official_id_type = 6;
  t.mobile_phone = "12345";
  EXPECT_THAT(Fields(t), ElementsAre("technician.display_name", "technician.employee_number",
                                     "technician.official_id_type", "technician.mobile_phone"));
  t.display_name = std::string(101, 'a');
  t.employee_number = std::string(33, '1');
  t.official_id_type = 0;
  t.mobile_phone = "";
  EXPECT_THAT(Fields(t), ElementsAre("technician.display_name", "technician.employee_number",
                                     "technician.official_id_type", "technician.mobile_phone"));
}

TEST(TechnicianValidationTest, NamesBadZonesByIndex) {
  Technician t = ValidTechnician();
  t.postal_codes = {"06700", "6700", "06700"};
  t.delegaciones = {"Coyoacán", "", std::string(201, 'x'), "Coyoacán"};
  EXPECT_THAT(Fields(t), ElementsAre("technician.postal_codes[1]", "technician.postal_codes[2]",
                                     "technician.delegaciones[1]", "technician.delegaciones[2]",
                                     "technician.delegaciones[3]"));
}

TEST(TechnicianValidationTest, NamesBadShifts) {
  Technician t = ValidTechnician();
  t.working_hours = {
      {7, 9 * 60, 10 * 60},        // no such weekday
      {2, 10 * 60, 9 * 60},        // ends before it starts
      {2, -1, 9 * 60},             // malformed start
      {2, 9 * 60, 1441},           // past 24:00
      {3, 9 * 60, 13 * 60},        // fine
      {3, 12 * 60, 18 * 60},       // overlaps the previous one
      {3, 13 * 60, 18 * 60 + 30},  // overlaps the previous one, touches the first: fine with it
  };
  EXPECT_THAT(Fields(t), ElementsAre("technician.working_hours[0].day_of_week", "technician.working_hours[1].end_time",
                                     "technician.working_hours[2].start_time", "technician.working_hours[3].end_time",
                                     "technician.working_hours[5]", "technician.working_hours[6]"));
}

TEST(TechnicianValidationTest, BackToBackShiftsAndMidnightEndAreFine) {
  Technician t = ValidTechnician();
  t.working_hours = {{0, 0, 12 * 60}, {0, 12 * 60, 24 * 60}};
  EXPECT_TRUE(Fields(t).empty());
}

TEST(TechnicianValidationTest, NamesBadAbsences) {
  Technician t = ValidTechnician();
  absl::Time day = absl::FromUnixSeconds(1800000000);
  t.time_off = {
      {absl::InfinitePast(), day, ""},                          // no start
      {day, day, ""},                                           // empty
      {day, day + absl::Hours(8), std::string(201, 'r')},       // reason too long
      {day + absl::Hours(4), day + absl::Hours(10), "Médico"},  // overlaps the previous one
  };
  EXPECT_THAT(Fields(t), ElementsAre("technician.time_off[0].start_time", "technician.time_off[1].end_time",
                                     "technician.time_off[2].reason", "technician.time_off[3]"));
}

TEST(TechnicianValidationTest, ChecksOnlyTheNamedFields) {
  Technician t;  // everything empty
  t.working_hours = {{1, 600, 500}};
  Violations v;
  ValidateTechnicianFields(t, {"working_hours"}, v);
  ASSERT_EQ(v.list().size(), 1u);
  EXPECT_EQ(v.list()[0].field, "working_hours[0].end_time");
}

TEST(TechnicianValidationTest, CapsListSizes) {
  Technician t = ValidTechnician();
  t.working_hours.assign(kMaxWorkingHours + 1, {1, 60, 120});
  EXPECT_THAT(Fields(t), ElementsAre("technician.working_hours"));
}

TEST(NormalizeScheduleTest, SortsEveryList) {
  Technician t = ValidTechnician();
  t.delegaciones = {"Álvaro Obregón", "Benito Juárez", "Coyoacán"};
  t.working_hours = {{6, 9 * 60, 24 * 60}, {1, 15 * 60, 19 * 60}, {1, 9 * 60, 14 * 60}};
  absl::Time day = absl::FromUnixSeconds(1800000000);
  t.time_off = {{day + absl::Hours(48), day + absl::Hours(50), "b"}, {day, day + absl::Hours(1), "a"}};
  NormalizeSchedule(t);
  EXPECT_THAT(t.postal_codes, ElementsAre("03100", "06700"));
  EXPECT_THAT(t.delegaciones, ElementsAre("Benito Juárez", "Coyoacán", "Álvaro Obregón"));  // byte order
  EXPECT_THAT(t.working_hours, ElementsAre(WorkingHours{1, 9 * 60, 14 * 60}, WorkingHours{1, 15 * 60, 19 * 60},
                                           WorkingHours{6, 9 * 60, 24 * 60}));
  EXPECT_EQ(t.time_off[0].reason, "a");
  EXPECT_EQ(t.time_off[1].reason, "b");
}

}  // namespace
}  // namespace homevisit::domain
