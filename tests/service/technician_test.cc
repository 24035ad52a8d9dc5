// The dispatcher's technician RPCs through a real client against a real database.
#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>

#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "api/convert.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;

google::type::TimeOfDay Tod(int hours, int minutes) {
  google::type::TimeOfDay t;
  t.set_hours(hours);
  t.set_minutes(minutes);
  return t;
}

void AddShift(v1::Technician& t, google::type::DayOfWeek day, int start_hour, int end_hour) {
  auto* w = t.add_working_hours();
  w->set_day_of_week(day);
  *w->mutable_start_time() = Tod(start_hour, 0);
  *w->mutable_end_time() = Tod(end_hour, 0);
}

v1::Technician ValidTechnician(const std::string& display_name = "Luis Hernández") {
  v1::Technician t;
  t.set_display_name(display_name);
  t.set_employee_number("DRW-" + UniqueSuffix().substr(0, 8));
  t.set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
  t.set_mobile_phone("5512345678");
  t.add_postal_codes("06700");
  t.add_delegaciones("Cuauhtémoc");
  AddShift(t, google::type::MONDAY, 9, 18);
  return t;
}

class TechnicianTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    technicians_ = v1::TechnicianService::NewStub(channel_);
  }
  void TearDown() override {
    technicians_.reset();
    ServiceTest::TearDown();
  }

  grpc::Status CreateTechnician(const v1::Technician& technician, const std::string& request_id,
                                v1::Technician* out) {
    grpc::ClientContext context;
    v1::CreateTechnicianRequest request;
    *request.mutable_technician() = technician;
    request.set_request_id(request_id);
    return technicians_->CreateTechnician(&context, request, out);
  }
  v1::Technician CreateTechnicianOk(const v1::Technician& technician, const std::string& request_id = "") {
    v1::Technician out;
    grpc::Status status = CreateTechnician(technician, request_id, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  grpc::Status GetTechnician(const std::string& name, v1::Technician* out) {
    grpc::ClientContext context;
    v1::GetTechnicianRequest request;
    request.set_name(name);
    return technicians_->GetTechnician(&context, request, out);
  }
  grpc::Status UpdateTechnician(const v1::Technician& technician, const std::vector<std::string>& paths,
                                v1::Technician* out) {
    grpc::ClientContext context;
    v1::UpdateTechnicianRequest request;
    *request.mutable_technician() = technician;
    for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
    return technicians_->UpdateTechnician(&context, request, out);
  }
  grpc::Status Deactivate(const std::string& name, const std::string& etag, v1::Technician* out) {
    grpc::ClientContext context;
    v1::DeactivateTechnicianRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return technicians_->DeactivateTechnician(&context, request, out);
  }
  grpc::Status ListPage(const v1::ListTechniciansRequest& request, v1::ListTechniciansResponse* out) {
    grpc::ClientContext context;
    return technicians_->ListTechnicians(&context, request, out);
  }
  // Every page of a listing, as display names.
  std::vector<std::string> ListNames(v1::ListTechniciansRequest request) {
    std::vector<std::string> names;
    for (int guard = 0; guard < 100; ++guard) {
      v1::ListTechniciansResponse response;
      grpc::Status status = ListPage(request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& t : response.technicians()) names.push_back(t.display_name());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return names;
  }
  size_t CountAll() {
    v1::ListTechniciansRequest request;
    request.set_show_inactive(true);
    return ListNames(request).size();
  }

  std::unique_ptr<v1::TechnicianService::Stub> technicians_;
};

TEST_F(TechnicianTest, HundredsOfBadElementsReturnTheFirstTwentyViolationsAndACount) {
  v1::Technician t = ValidTechnician();
  for (int i = 0; i < 400; ++i) t.add_postal_codes("x");  // 400 bad postal codes
  v1::Technician out;
  grpc::Status status = CreateTechnician(t, "", &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ViolatedFields(status).size(), 20u);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("more ("));
  EXPECT_LT(status.error_message().size() + status.error_details().size(), 8u * 1024u) << "the trailer stays small";
}

TEST_F(TechnicianTest, CreateStoresEveryFieldAndGetReadsItBackExactly) {
  v1::Technician input = ValidTechnician();
  input.set_official_id_type(v1::OFFICIAL_ID_TYPE_PASSPORT);
  input.set_mobile_phone("+52 55 9876 5432");
  input.clear_postal_codes();
  input.add_postal_codes("06700");
  input.add_postal_codes("03100");
  input.add_delegaciones("Benito Juárez");
  input.clear_working_hours();
  AddShift(input, google::type::SATURDAY, 9, 24);  // 24:00 ends the day
  AddShift(input, google::type::MONDAY, 15, 19);
  AddShift(input, google::type::SUNDAY, 8, 12);
  AddShift(input, google::type::MONDAY, 9, 14);
  absl::Time vacation = absl::FromUnixMicros(1796000000123456);  // microsecond precision survives
  auto* off = input.add_time_off();
  api::ToProto(vacation, off->mutable_start_time());
  api::ToProto(vacation + absl::Hours(24 * 7), off->mutable_end_time());
  off->set_reason("Vacaciones");

  v1::Technician created = CreateTechnicianOk(input);
  EXPECT_EQ(created.name().rfind("technicians/", 0), 0u) << created.name();
  EXPECT_EQ(created.display_name(), "Luis Hernández");
  EXPECT_EQ(created.employee_number(), input.employee_number());
  EXPECT_EQ(created.official_id_type(), v1::OFFICIAL_ID_TYPE_PASSPORT);
  EXPECT_EQ(created.mobile_phone(), "+52 55 9876 5432");
  EXPECT_THAT(created.postal_codes(), ElementsAre("03100", "06700"));
  EXPECT_THAT(created.delegaciones(), ElementsAre("Benito Juárez", "Cuauhtémoc"));
  // Shifts come back by weekday (Sunday first) and start time.
  ASSERT_EQ(created.working_hours_size(), 4);
  EXPECT_EQ(created.working_hours(0).day_of_week(), google::type::SUNDAY);
  EXPECT_EQ(created.working_hours(0).start_time().hours(), 8);
  EXPECT_EQ(created.working_hours(1).day_of_week(), google::type::MONDAY);
  EXPECT_EQ(created.working_hours(1).end_time().hours(), 14);
  EXPECT_EQ(created.working_hours(2).start_time().hours(), 15);
  EXPECT_EQ(created.working_hours(3).day_of_week(), google::type::SATURDAY);
  EXPECT_EQ(created.working_hours(3).end_time().hours(), 24);
  EXPECT_EQ(created.working_hours(3).end_time().minutes(), 0);
  ASSERT_EQ(created.time_off_size(), 1);
  EXPECT_EQ(api::FromProto(created.time_off(0).start_time(), true), vacation);
  EXPECT_EQ(api::FromProto(created.time_off(0).end_time(), true), vacation + absl::Hours(24 * 7));
  EXPECT_EQ(created.time_off(0).reason(), "Vacaciones");
  EXPECT_TRUE(created.active());
  EXPECT_EQ(created.etag(), "v1");
  EXPECT_GT(created.create_time().seconds(), 0);

  v1::Technician read;
  ASSERT_TRUE(GetTechnician(created.name(), &read).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(read, created)) << read.DebugString() << "\nvs\n" << created.DebugString();
}

TEST_F(TechnicianTest, EveryBadFieldIsNamedAndNothingIsStored) {
  v1::Technician input = ValidTechnician();
  input.set_display_name("");
  input.set_employee_number("DRW 1");
  input.set_official_id_type(v1::OFFICIAL_ID_TYPE_UNSPECIFIED);
  input.set_mobile_phone("123");
  input.add_postal_codes("123");
  input.set_delegaciones(0, " ");
  input.clear_working_hours();
  AddShift(input, google::type::DAY_OF_WEEK_UNSPECIFIED, 9, 12);
  AddShift(input, google::type::TUESDAY, 12, 9);
  AddShift(input, google::type::WEDNESDAY, 9, 12);
  input.mutable_working_hours(2)->mutable_start_time()->set_seconds(30);
  AddShift(input, google::type::THURSDAY, 9, 13);
  AddShift(input, google::type::THURSDAY, 12, 18);
  auto* off = input.add_time_off();
  api::ToProto(absl::FromUnixSeconds(1796000000), off->mutable_start_time());
  api::ToProto(absl::FromUnixSeconds(1795000000), off->mutable_end_time());

  v1::Technician out;
  grpc::Status status = CreateTechnician(input, "has space", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("request_id", "technician.display_name", "technician.employee_number",
                          "technician.official_id_type", "technician.mobile_phone", "technician.postal_codes[1]",
                          "technician.delegaciones[0]", "technician.working_hours[0].day_of_week",
                          "technician.working_hours[1].end_time", "technician.working_hours[2].start_time",
                          "technician.working_hours[4]", "technician.time_off[0].end_time"));
  EXPECT_EQ(CountAll(), 0u);
}

TEST_F(TechnicianTest, DuplicateEmployeeNumberIsAlreadyExistsAndNothingIsStored) {
  v1::Technician first = CreateTechnicianOk(ValidTechnician("Luis Hernández"));
  v1::Technician second = ValidTechnician("María Torres");
  second.set_employee_number(first.employee_number());
  v1::Technician out;
  grpc::Status status = CreateTechnician(second, "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ErrorReason(status), "EMPLOYEE_NUMBER_TAKEN");
  EXPECT_EQ(CountAll(), 1u);
}

TEST_F(TechnicianTest, RetryWithTheSameRequestIdReturnsTheFirstTechnician) {
  v1::Technician input = ValidTechnician();
  v1::Technician first = CreateTechnicianOk(input, "tech-req-1");
  v1::Technician again = CreateTechnicianOk(input, "tech-req-1");
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(again.etag(), "v1");
  EXPECT_EQ(CountAll(), 1u);

  v1::Technician other = ValidTechnician("María Torres");
  v1::Technician out;
  grpc::Status status = CreateTechnician(other, "tech-req-1", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ErrorReason(status), "REQUEST_ID_REUSED");

  // Without request ids nothing collides: the missing ids are NULL, not equal.
  CreateTechnicianOk(ValidTechnician("Jorge Ramírez"));
  CreateTechnicianOk(ValidTechnician("Ana Ruiz"));
  EXPECT_EQ(CountAll(), 3u);
}

TEST_F(TechnicianTest, ConcurrentRetriesCreateExactlyOneTechnician) {
  v1::Technician input = ValidTechnician();
  constexpr int kClients = 8;
  std::vector<std::string> names(kClients);
  std::vector<grpc::Status> statuses(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      v1::Technician out;
      statuses[i] = CreateTechnician(input, "tech-concurrent", &out);
      names[i] = out.name();
    });
  }
  for (auto& c : clients) c.join();
  for (int i = 0; i < kClients; ++i) {
    EXPECT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    EXPECT_EQ(names[i], names[0]);
  }
  EXPECT_EQ(CountAll(), 1u);
}

TEST_F(TechnicianTest, UpdateReplacesMaskedFieldsOnlyAndChecksTheEtag) {
  v1::Technician input = ValidTechnician();
  auto* off = input.add_time_off();
  api::ToProto(absl::FromUnixSeconds(1796000000), off->mutable_start_time());
  api::ToProto(absl::FromUnixSeconds(1796086400), off->mutable_end_time());
  off->set_reason("Médico");
  v1::Technician created = CreateTechnicianOk(input);

  v1::Technician changes = created;
  changes.set_display_name("Luis Hernández Soto");
  changes.set_mobile_phone("5599999999");  // not in the mask: must stay
  changes.clear_postal_codes();             // not in the mask: must stay
  changes.clear_working_hours();
  AddShift(changes, google::type::TUESDAY, 10, 16);
  AddShift(changes, google::type::FRIDAY, 7, 11);
  changes.clear_delegaciones();  // in the mask: the list becomes empty
  v1::Technician updated;
  grpc::Status status = UpdateTechnician(changes, {"display_name", "working_hours", "delegaciones"}, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.display_name(), "Luis Hernández Soto");
  EXPECT_EQ(updated.mobile_phone(), "5512345678");
  EXPECT_THAT(updated.postal_codes(), ElementsAre("06700"));
  EXPECT_EQ(updated.delegaciones_size(), 0);
  ASSERT_EQ(updated.working_hours_size(), 2);
  EXPECT_EQ(updated.working_hours(0).day_of_week(), google::type::TUESDAY);
  EXPECT_EQ(updated.working_hours(1).day_of_week(), google::type::FRIDAY);
  EXPECT_EQ(updated.working_hours(1).start_time().hours(), 7);
  ASSERT_EQ(updated.time_off_size(), 1);
  EXPECT_EQ(updated.time_off(0).reason(), "Médico");
  EXPECT_EQ(updated.employee_number(), created.employee_number());
  EXPECT_EQ(updated.etag(), "v2");
  v1::Technician read;
  ASSERT_TRUE(GetTechnician(created.name(), &read).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(read, updated)) << read.DebugString();

  // The etag read before the update is stale now.
  v1::Technician out;
  v1::Technician stale = created;
  stale.set_display_name("Otro");
  status = UpdateTechnician(stale, {"display_name"}, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReason(status), "ETAG_MISMATCH");
  ASSERT_TRUE(GetTechnician(created.name(), &read).ok());
  EXPECT_EQ(read.display_name(), "Luis Hernández Soto");
}

TEST_F(TechnicianTest, UpdateRefusesBadMasksAndBadValues) {
  v1::Technician created = CreateTechnicianOk(ValidTechnician());
  v1::Technician out;
  grpc::Status status = UpdateTechnician(created, {"employee_number"}, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask"));
  status = UpdateTechnician(created, {}, &out);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask"));

  v1::Technician changes = created;
  changes.clear_working_hours();
  AddShift(changes, google::type::MONDAY, 18, 9);
  changes.set_mobile_phone("55");
  status = UpdateTechnician(changes, {"working_hours", "mobile_phone"}, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("technician.mobile_phone", "technician.working_hours[0].end_time"));
  v1::Technician read;
  ASSERT_TRUE(GetTechnician(created.name(), &read).ok());
  EXPECT_EQ(read.etag(), "v1");
}

TEST_F(TechnicianTest, DeactivateHidesFromTheDefaultListAndIsIdempotent) {
  v1::Technician luis = CreateTechnicianOk(ValidTechnician("Luis Hernández"));
  CreateTechnicianOk(ValidTechnician("María Torres"));

  v1::Technician out;
  grpc::Status status = Deactivate(luis.name(), "v7", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);

  ASSERT_TRUE(Deactivate(luis.name(), luis.etag(), &out).ok());
  EXPECT_FALSE(out.active());
  EXPECT_EQ(out.etag(), "v2");
  ASSERT_TRUE(Deactivate(luis.name(), "", &out).ok());
  EXPECT_FALSE(out.active());
  EXPECT_EQ(out.etag(), "v2");  // nothing changed the second time

  EXPECT_THAT(ListNames({}), ElementsAre("María Torres"));
  v1::ListTechniciansRequest all;
  all.set_show_inactive(true);
  EXPECT_THAT(ListNames(all), ElementsAre("Luis Hernández", "María Torres"));
}

TEST_F(TechnicianTest, ListFiltersByPostalCode) {
  v1::Technician roma = ValidTechnician("Ana Ruiz");
  roma.clear_postal_codes();
  roma.add_postal_codes("06700");
  CreateTechnicianOk(roma);
  v1::Technician del_valle = ValidTechnician("Beto Díaz");
  del_valle.clear_postal_codes();
  del_valle.add_postal_codes("03100");
  del_valle.add_postal_codes("06700");
  CreateTechnicianOk(del_valle);

  v1::ListTechniciansRequest request;
  request.set_postal_code("03100");
  EXPECT_THAT(ListNames(request), ElementsAre("Beto Díaz"));
  request.set_postal_code("06700");
  EXPECT_THAT(ListNames(request), ElementsAre("Ana Ruiz", "Beto Díaz"));
  request.set_postal_code("99999");
  EXPECT_TRUE(ListNames(request).empty());
  request.set_postal_code("6700");
  v1::ListTechniciansResponse response;
  grpc::Status status = ListPage(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("postal_code"));
}

TEST_F(TechnicianTest, ListPagesByNameWithoutGapsOrRepeats) {
  // Three share one name, so the id breaks the tie across page boundaries.
  std::multiset<std::string> created;
  for (const char* name : {"Tecnico 05", "Tecnico 02", "Tecnico 03", "Tecnico 03", "Tecnico 07", "Tecnico 03",
                           "Tecnico 01"}) {
    CreateTechnicianOk(ValidTechnician(name));
    created.insert(name);
  }
  v1::ListTechniciansRequest one_page;
  one_page.set_page_size(100);
  std::vector<std::string> expected = ListNames(one_page);
  EXPECT_THAT(expected, ElementsAre("Tecnico 01", "Tecnico 02", "Tecnico 03", "Tecnico 03", "Tecnico 03",
                                    "Tecnico 05", "Tecnico 07"));

  v1::ListTechniciansRequest paged;
  paged.set_page_size(3);
  v1::ListTechniciansResponse first;
  ASSERT_TRUE(ListPage(paged, &first).ok());
  EXPECT_EQ(first.technicians_size(), 3);
  EXPECT_FALSE(first.next_page_token().empty());
  EXPECT_EQ(ListNames(paged), expected);

  // Ids across pages: each technician exactly once.
  std::set<std::string> ids;
  v1::ListTechniciansRequest request = paged;
  for (int guard = 0; guard < 10; ++guard) {
    v1::ListTechniciansResponse response;
    ASSERT_TRUE(ListPage(request, &response).ok());
    for (const auto& t : response.technicians()) EXPECT_TRUE(ids.insert(t.name()).second) << t.name();
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(ids.size(), created.size());

  // A token is bound to its filters.
  v1::ListTechniciansRequest other = paged;
  other.set_page_token(first.next_page_token());
  other.set_show_inactive(true);
  v1::ListTechniciansResponse response;
  grpc::Status status = ListPage(other, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token"));
}

TEST_F(TechnicianTest, UnknownTechnicianIsNotFoundAndMalformedNameIsInvalid) {
  v1::Technician out;
  grpc::Status status = GetTechnician("technicians/no-such-id", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(status), "TECHNICIAN_NOT_FOUND");
  v1::Technician ghost = ValidTechnician();
  ghost.set_name("technicians/no-such-id");
  EXPECT_EQ(UpdateTechnician(ghost, {"display_name"}, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Deactivate("technicians/no-such-id", "", &out).error_code(), grpc::StatusCode::NOT_FOUND);
  status = GetTechnician("serviceOrders/x", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("name"));
}

}  // namespace
}  // namespace homevisit::testing
