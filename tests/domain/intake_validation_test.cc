// Format rules of intake, in microseconds: no server, no database.
#include <gtest/gtest.h>

#include "domain/text_rules.h"

namespace homevisit::domain {
namespace {

TEST(EmailTest, AcceptsOrdinaryAddresses) {
  for (const char* ok : {"ana@example.com", "ana.lopez+izzi@mail.example.com.mx", "a_b-c@x-y.mx", "A1@B2.COM"}) {
    EXPECT_TRUE(IsValidEmail(ok)) << ok;
  }
}

TEST(EmailTest, RefusesMalformedAddresses) {
  for (const char* bad : {"", "ana", "ana@", "@example.com", "ana@example", "ana@@example.com", "ana@.com",
                          ".ana@example.com", "ana.@example.com", "a..b@example.com", "ana lopez@example.com",
                          "ana@exa mple.com", "ana@-example.com", "ana@example.c", "ana@example.123",
                          "\"ana\"@example.com", "ana@[127.0.0.1]"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
  EXPECT_FALSE(IsValidEmail(std::string(65, 'a') + "@example.com"));
}

TEST(PostalCodeTest, ExactlyFiveDigits) {
  EXPECT_TRUE(IsPostalCode("03100"));
  EXPECT_FALSE(IsPostalCode("3100"));
  EXPECT_FALSE(IsPostalCode("031000"));
  EXPECT_FALSE(IsPostalCode("03 00"));
  EXPECT_FALSE(IsPostalCode("０３１００"));  // full-width digits are not ASCII
}

TEST(PhoneTest, TenDigitsWithOptionalCountryCode) {
  EXPECT_TRUE(IsMexicanPhone("5512345678"));
  EXPECT_TRUE(IsMexicanPhone("55 1234-5678"));
  EXPECT_TRUE(IsMexicanPhone("+52 55 1234 5678"));
  EXPECT_FALSE(IsMexicanPhone("12345"));
  EXPECT_FALSE(IsMexicanPhone("55123456789"));
  EXPECT_FALSE(IsMexicanPhone("55-1234-567a"));
}

TEST(TextTest, CountsCharactersNotBytes) {
  EXPECT_EQ(CodePoints("Juárez"), 6u);
  Violations v;
  v.RequireText("name", std::string(100, 'a'), 100);
  v.RequireText("accented", std::string(50, 'a') + "ñ", 51);
  EXPECT_TRUE(v.empty());
  v.RequireText("long", std::string(101, 'a'), 100);
  v.RequireText("blank", " \t", 100);
  v.OptionalText("line", "a\nb", 100);
  v.OptionalText("multiline", "a\nb", 100, /*multiline=*/true);
  ASSERT_EQ(v.list().size(), 3u);
  EXPECT_EQ(v.list()[0].field, "long");
  EXPECT_EQ(v.list()[1].field, "blank");
  EXPECT_EQ(v.list()[2].field, "line");
}

}  // namespace
}  // namespace homevisit::domain
