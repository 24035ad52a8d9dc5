#include "domain/visit_scripts.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace homevisit::domain {

bool IsMorning(absl::Time now, absl::TimeZone time_zone) { return absl::ToCivilHour(now, time_zone).hour() < 12; }

std::string RenderScript(const ServiceOrder& order, Script script, absl::TimeZone time_zone, absl::Time now) {
  if (!order.appointment) {
    throw DomainError(ErrorKind::kFailedPrecondition, "NO_TECHNICIAN",
                      absl::StrCat("no technician is booked for an order in state ", StateName(order.state)));
  }
  bool morning = IsMorning(now, time_zone);
  const std::string& family_name = order.intake.family_name;
  switch (script) {
    case Script::kGreeting:
      return absl::StrCat(morning ? "Buenos días" : "Buenas tardes", ", mi nombre es ",
                          order.appointment->technician_name,
                          " de su servicio izzi Dr. Wifi y estoy aquí para brindarle el servicio de asistencia a "
                          "domicilio que solicito.");
    case Script::kEscalationAnnouncement:
      return absl::StrCat("Sr/Srita ", family_name,
                          ", le comento que después del diagnóstico que hemos realizado, será necesario contactar a "
                          "un técnico especializado de soporte técnico izzi para resolver su situación. . Por favor "
                          "permítame un momento para contactar vía telefónica a un compañero de soporte técnico y "
                          "continuemos atendiéndolo.");
    case Script::kFarewellEscalated:
      return absl::StrCat("Sr/Srita ", family_name,
                          ", por mi parte ha sido todo, lo dejo con mi compañero de soporte técnico izzi, para que "
                          "continuemos atendiéndolo.");
    case Script::kFarewellResolved:
      return absl::StrCat("Sr/Srita ", family_name,
                          ", su problema ha quedado resuelto. Por mi parte sería todo, fue un placer atenderle. Que "
                          "tenga un excelente ",
                          morning ? "día" : "tarde");
  }
  throw DomainError(ErrorKind::kInvalidArgument, "INVALID_FIELDS", "invalid request: script",
                    {{"script", "must be GREETING, ESCALATION_ANNOUNCEMENT, FAREWELL_ESCALATED or FAREWELL_RESOLVED"}});
}

}  // namespace homevisit::domain
