#include "storage/demo_data.h"

#include "domain/order_commands.h"

namespace homevisit::storage {
namespace {

domain::Technician DemoTechnician(std::string id, std::string name, std::string employee, std::string phone,
                                  std::vector<std::string> postal_codes, std::vector<std::string> delegaciones,
                                  absl::Time now) {
  domain::Technician t;
  t.id = std::move(id);
  t.display_name = std::move(name);
  t.employee_number = std::move(employee);
  t.official_id_type = 1;  // INE
  t.mobile_phone = std::move(phone);
  t.postal_codes = std::move(postal_codes);
  t.delegaciones = std::move(delegaciones);
  for (int weekday = 1; weekday <= 6; ++weekday) t.working_hours.push_back({weekday, 9 * 60, 18 * 60});
  t.create_time = now;
  t.update_time = now;
  return t;
}

// 10:00-12:00 local time, `days` days after today.
domain::TimeWindow MorningWindow(absl::TimeZone zone, absl::Time now, int days) {
  absl::CivilDay day = absl::ToCivilDay(now, zone) + days;
  absl::Time start = absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 10), zone);
  return {start, start + absl::Hours(2)};
}

domain::OrderIntake DemoIntake(std::string file, std::string given, std::string family, std::string email,
                               domain::Address address, domain::TimeWindow window, std::string problem,
                               domain::Charge charge) {
  domain::OrderIntake in;
  in.file_number = std::move(file);
  in.given_name = given;
  in.family_name = std::move(family);
  in.email = std::move(email);
  in.address = std::move(address);
  in.requested_window = window;
  in.receiver_name = std::move(given);
  in.problem_description = std::move(problem);
  in.charge = charge;
  return in;
}

}  // namespace

bool LoadDemoData(Database& db, absl::TimeZone zone, absl::Time now) {
  // Demo people are invented; none is a real subscriber.
  return db.Write([&](domain::UnitOfWork& work) {
    if (!work.markers().SetOnce("demo_data_v1", now)) return false;
    work.technicians().Insert(DemoTechnician("demo-tech-1", "Luis Hernández", "DRW-1001", "5512345678",
                                             {"03100", "03020"}, {"Benito Juárez"}, now));
    work.technicians().Insert(DemoTechnician("demo-tech-2", "María Torres", "DRW-1002", "5523456789",
                                             {"06700", "06600"}, {"Cuauhtémoc"}, now));
    work.technicians().Insert(DemoTechnician("demo-tech-3", "Jorge Ramírez", "DRW-1003", "5534567890",
                                             {"11000", "03100"}, {"Miguel Hidalgo", "Benito Juárez"}, now));
    domain::Actor loader{"demo-loader", domain::Role::kAdmin, ""};
    domain::CreateOrder(work,
                        DemoIntake("EXP-100234", "Ana", "López", "ana.lopez@example.com",
                                   {"Av. Insurgentes Sur", "1602", "4B", "Crédito Constructor", "Benito Juárez",
                                    "03100", "Edificio azul, frente al parque"},
                                   MorningWindow(zone, now, 1), "El internet se desconecta cada hora.",
                                   domain::Charge::kFree),
                        "demo-order-1", loader, now);
    domain::CreateOrder(work,
                        DemoIntake("EXP-100871", "Roberto", "Sánchez", "roberto.sanchez@example.com",
                                   {"Calle Durango", "245", "", "Roma Norte", "Cuauhtémoc", "06700", ""},
                                   MorningWindow(zone, now, 2), "Velocidad muy baja en la recámara.",
                                   domain::Charge::kCharged),
                        "demo-order-2", loader, now);
    domain::CreateOrder(work,
                        DemoIntake("EXP-100234", "Ana", "López", "ana.lopez@example.com",
                                   {"Av. Insurgentes Sur", "1602", "4B", "Crédito Constructor", "Benito Juárez",
                                    "03100", ""},
                                   MorningWindow(zone, now, 3), "El módem no enciende.", domain::Charge::kFree),
                        "demo-order-3", loader, now);
    return true;
  });
}

}  // namespace homevisit::storage
