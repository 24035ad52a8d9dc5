#pragma once
// The dispatcher's technician use cases (SPEC §3): each runs inside the caller's unit of work
// (one transaction). Technicians have no event log; the last change's principal is kept on the
// technician itself.
#include <set>
#include <string>

#include "domain/repositories.h"

namespace homevisit::domain {

struct CreateTechnicianResult {
  Technician technician;
  bool created = false;  // false: the request id was seen before and this is the first technician
};

// `request_id` is optional: when given, a retry returns the technician the first call created.
CreateTechnicianResult CreateTechnician(UnitOfWork& work, const Technician& input, const std::string& request_id,
                                        const Actor& actor, absl::Time now);

Technician GetTechnician(UnitOfWork& work, const std::string& id);

// Copies the fields named in `paths` (UpdatableTechnicianPaths) from `changes`; lists are
// replaced whole.
Technician UpdateTechnician(UnitOfWork& work, const std::string& id, const Technician& changes,
                            const std::set<std::string>& paths, const std::string& etag, const Actor& actor,
                            absl::Time now);

// Takes the technician out of scheduling; deactivating an inactive technician changes nothing.
Technician DeactivateTechnician(UnitOfWork& work, const std::string& id, const std::string& etag,
                                const Actor& actor, absl::Time now);

std::string EtagOf(const Technician& technician);
// Throws ABORTED when `etag` is given and differs from the technician's.
void CheckEtag(const Technician& technician, const std::string& etag);

}  // namespace homevisit::domain
