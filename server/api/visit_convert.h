#pragma once
// Visit protos <-> domain types. No rules here: validation lives in the domain.
#include <vector>

#include "domain/visit.h"
#include "homevisit/v1/visit.pb.h"

namespace homevisit::api {

void ToProto(const domain::Visit& visit, v1::Visit* out);

domain::Diagnosis DiagnosisFromProto(const v1::Diagnosis& diagnosis);
std::vector<domain::ChecklistAnswer> ChecklistFromProto(
    const google::protobuf::RepeatedPtrField<v1::ChecklistAnswer>& answers);
domain::Outcome OutcomeFromProto(const v1::Outcome& outcome);
domain::Signature SignatureFromProto(const v1::Signature& signature);

}  // namespace homevisit::api
