import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from homevisit.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Visit(_message.Message):
    __slots__ = ("confirmation_call", "follow_up_call", "check_in", "diagnosis", "checklist", "escalation", "outcome", "signature", "completion", "late_alert_time")
    CONFIRMATION_CALL_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_CALL_FIELD_NUMBER: _ClassVar[int]
    CHECK_IN_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSIS_FIELD_NUMBER: _ClassVar[int]
    CHECKLIST_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_FIELD_NUMBER: _ClassVar[int]
    LATE_ALERT_TIME_FIELD_NUMBER: _ClassVar[int]
    confirmation_call: ConfirmationCall
    follow_up_call: FollowUpCall
    check_in: CheckIn
    diagnosis: Diagnosis
    checklist: _containers.RepeatedCompositeFieldContainer[ChecklistAnswer]
    escalation: Escalation
    outcome: Outcome
    signature: Signature
    completion: Completion
    late_alert_time: _timestamp_pb2.Timestamp
    def __init__(self, confirmation_call: _Optional[_Union[ConfirmationCall, _Mapping]] = ..., follow_up_call: _Optional[_Union[FollowUpCall, _Mapping]] = ..., check_in: _Optional[_Union[CheckIn, _Mapping]] = ..., diagnosis: _Optional[_Union[Diagnosis, _Mapping]] = ..., checklist: _Optional[_Iterable[_Union[ChecklistAnswer, _Mapping]]] = ..., escalation: _Optional[_Union[Escalation, _Mapping]] = ..., outcome: _Optional[_Union[Outcome, _Mapping]] = ..., signature: _Optional[_Union[Signature, _Mapping]] = ..., completion: _Optional[_Union[Completion, _Mapping]] = ..., late_alert_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConfirmationCall(_message.Message):
    __slots__ = ("result", "note", "call_time", "actor")
    class Result(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        RESULT_UNSPECIFIED: _ClassVar[ConfirmationCall.Result]
        RESULT_CONFIRMED: _ClassVar[ConfirmationCall.Result]
        RESULT_CHANGE_REQUESTED: _ClassVar[ConfirmationCall.Result]
        RESULT_NOT_REACHABLE: _ClassVar[ConfirmationCall.Result]
    RESULT_UNSPECIFIED: ConfirmationCall.Result
    RESULT_CONFIRMED: ConfirmationCall.Result
    RESULT_CHANGE_REQUESTED: ConfirmationCall.Result
    RESULT_NOT_REACHABLE: ConfirmationCall.Result
    RESULT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CALL_TIME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    result: ConfirmationCall.Result
    note: str
    call_time: _timestamp_pb2.Timestamp
    actor: str
    def __init__(self, result: _Optional[_Union[ConfirmationCall.Result, str]] = ..., note: _Optional[str] = ..., call_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ...) -> None: ...

class FollowUpCall(_message.Message):
    __slots__ = ("technician_present", "note", "call_time", "actor")
    TECHNICIAN_PRESENT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CALL_TIME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    technician_present: bool
    note: str
    call_time: _timestamp_pb2.Timestamp
    actor: str
    def __init__(self, technician_present: _Optional[bool] = ..., note: _Optional[str] = ..., call_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ...) -> None: ...

class CheckIn(_message.Message):
    __slots__ = ("arrival_time", "punctuality", "greeting_given", "vest_worn", "official_id_type", "reason_explained")
    class Punctuality(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        PUNCTUALITY_UNSPECIFIED: _ClassVar[CheckIn.Punctuality]
        PUNCTUALITY_EARLY: _ClassVar[CheckIn.Punctuality]
        PUNCTUALITY_ON_TIME: _ClassVar[CheckIn.Punctuality]
        PUNCTUALITY_LATE: _ClassVar[CheckIn.Punctuality]
    PUNCTUALITY_UNSPECIFIED: CheckIn.Punctuality
    PUNCTUALITY_EARLY: CheckIn.Punctuality
    PUNCTUALITY_ON_TIME: CheckIn.Punctuality
    PUNCTUALITY_LATE: CheckIn.Punctuality
    ARRIVAL_TIME_FIELD_NUMBER: _ClassVar[int]
    PUNCTUALITY_FIELD_NUMBER: _ClassVar[int]
    GREETING_GIVEN_FIELD_NUMBER: _ClassVar[int]
    VEST_WORN_FIELD_NUMBER: _ClassVar[int]
    OFFICIAL_ID_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_EXPLAINED_FIELD_NUMBER: _ClassVar[int]
    arrival_time: _timestamp_pb2.Timestamp
    punctuality: CheckIn.Punctuality
    greeting_given: bool
    vest_worn: bool
    official_id_type: _common_pb2.OfficialIdType
    reason_explained: bool
    def __init__(self, arrival_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., punctuality: _Optional[_Union[CheckIn.Punctuality, str]] = ..., greeting_given: _Optional[bool] = ..., vest_worn: _Optional[bool] = ..., official_id_type: _Optional[_Union[_common_pb2.OfficialIdType, str]] = ..., reason_explained: _Optional[bool] = ...) -> None: ...

class Diagnosis(_message.Message):
    __slots__ = ("internet_related", "summary")
    INTERNET_RELATED_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    internet_related: bool
    summary: str
    def __init__(self, internet_related: _Optional[bool] = ..., summary: _Optional[str] = ...) -> None: ...

class ChecklistAnswer(_message.Message):
    __slots__ = ("item_id", "label", "result", "measured_value", "note", "service_item")
    class Result(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        RESULT_UNSPECIFIED: _ClassVar[ChecklistAnswer.Result]
        RESULT_PASS: _ClassVar[ChecklistAnswer.Result]
        RESULT_FAIL: _ClassVar[ChecklistAnswer.Result]
        RESULT_NOT_APPLICABLE: _ClassVar[ChecklistAnswer.Result]
    RESULT_UNSPECIFIED: ChecklistAnswer.Result
    RESULT_PASS: ChecklistAnswer.Result
    RESULT_FAIL: ChecklistAnswer.Result
    RESULT_NOT_APPLICABLE: ChecklistAnswer.Result
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    MEASURED_VALUE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ITEM_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    label: str
    result: ChecklistAnswer.Result
    measured_value: str
    note: str
    service_item: bool
    def __init__(self, item_id: _Optional[str] = ..., label: _Optional[str] = ..., result: _Optional[_Union[ChecklistAnswer.Result, str]] = ..., measured_value: _Optional[str] = ..., note: _Optional[str] = ..., service_item: _Optional[bool] = ...) -> None: ...

class Escalation(_message.Message):
    __slots__ = ("phone_used", "request_time", "support_agent", "conference_time", "conference_actor", "hand_over_time", "hand_over_note")
    class PhoneUsed(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        PHONE_USED_UNSPECIFIED: _ClassVar[Escalation.PhoneUsed]
        PHONE_USED_SUBSCRIBER_LINE: _ClassVar[Escalation.PhoneUsed]
        PHONE_USED_TECHNICIAN_MOBILE: _ClassVar[Escalation.PhoneUsed]
    PHONE_USED_UNSPECIFIED: Escalation.PhoneUsed
    PHONE_USED_SUBSCRIBER_LINE: Escalation.PhoneUsed
    PHONE_USED_TECHNICIAN_MOBILE: Escalation.PhoneUsed
    PHONE_USED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TIME_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_AGENT_FIELD_NUMBER: _ClassVar[int]
    CONFERENCE_TIME_FIELD_NUMBER: _ClassVar[int]
    CONFERENCE_ACTOR_FIELD_NUMBER: _ClassVar[int]
    HAND_OVER_TIME_FIELD_NUMBER: _ClassVar[int]
    HAND_OVER_NOTE_FIELD_NUMBER: _ClassVar[int]
    phone_used: Escalation.PhoneUsed
    request_time: _timestamp_pb2.Timestamp
    support_agent: str
    conference_time: _timestamp_pb2.Timestamp
    conference_actor: str
    hand_over_time: _timestamp_pb2.Timestamp
    hand_over_note: str
    def __init__(self, phone_used: _Optional[_Union[Escalation.PhoneUsed, str]] = ..., request_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., support_agent: _Optional[str] = ..., conference_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., conference_actor: _Optional[str] = ..., hand_over_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., hand_over_note: _Optional[str] = ...) -> None: ...

class Outcome(_message.Message):
    __slots__ = ("result", "problem", "diagnosis", "actions_performed", "reason_category", "reason_text", "record_time")
    class Result(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        RESULT_UNSPECIFIED: _ClassVar[Outcome.Result]
        RESULT_RESOLVED: _ClassVar[Outcome.Result]
        RESULT_NOT_RESOLVED: _ClassVar[Outcome.Result]
        RESULT_ESCALATED: _ClassVar[Outcome.Result]
    RESULT_UNSPECIFIED: Outcome.Result
    RESULT_RESOLVED: Outcome.Result
    RESULT_NOT_RESOLVED: Outcome.Result
    RESULT_ESCALATED: Outcome.Result
    class ReasonCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        REASON_CATEGORY_UNSPECIFIED: _ClassVar[Outcome.ReasonCategory]
        REASON_CATEGORY_SUBSCRIBER_ABSENT: _ClassVar[Outcome.ReasonCategory]
        REASON_CATEGORY_NEEDS_EQUIPMENT: _ClassVar[Outcome.ReasonCategory]
        REASON_CATEGORY_NETWORK_FAULT: _ClassVar[Outcome.ReasonCategory]
        REASON_CATEGORY_SUBSCRIBER_DECLINED: _ClassVar[Outcome.ReasonCategory]
        REASON_CATEGORY_OUT_OF_SCOPE: _ClassVar[Outcome.ReasonCategory]
        REASON_CATEGORY_OTHER: _ClassVar[Outcome.ReasonCategory]
    REASON_CATEGORY_UNSPECIFIED: Outcome.ReasonCategory
    REASON_CATEGORY_SUBSCRIBER_ABSENT: Outcome.ReasonCategory
    REASON_CATEGORY_NEEDS_EQUIPMENT: Outcome.ReasonCategory
    REASON_CATEGORY_NETWORK_FAULT: Outcome.ReasonCategory
    REASON_CATEGORY_SUBSCRIBER_DECLINED: Outcome.ReasonCategory
    REASON_CATEGORY_OUT_OF_SCOPE: Outcome.ReasonCategory
    REASON_CATEGORY_OTHER: Outcome.ReasonCategory
    RESULT_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSIS_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_PERFORMED_FIELD_NUMBER: _ClassVar[int]
    REASON_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    REASON_TEXT_FIELD_NUMBER: _ClassVar[int]
    RECORD_TIME_FIELD_NUMBER: _ClassVar[int]
    result: Outcome.Result
    problem: str
    diagnosis: str
    actions_performed: str
    reason_category: Outcome.ReasonCategory
    reason_text: str
    record_time: _timestamp_pb2.Timestamp
    def __init__(self, result: _Optional[_Union[Outcome.Result, str]] = ..., problem: _Optional[str] = ..., diagnosis: _Optional[str] = ..., actions_performed: _Optional[str] = ..., reason_category: _Optional[_Union[Outcome.ReasonCategory, str]] = ..., reason_text: _Optional[str] = ..., record_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Signature(_message.Message):
    __slots__ = ("signer_name", "image_png", "sign_time", "refused", "refusal_reason")
    SIGNER_NAME_FIELD_NUMBER: _ClassVar[int]
    IMAGE_PNG_FIELD_NUMBER: _ClassVar[int]
    SIGN_TIME_FIELD_NUMBER: _ClassVar[int]
    REFUSED_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_REASON_FIELD_NUMBER: _ClassVar[int]
    signer_name: str
    image_png: bytes
    sign_time: _timestamp_pb2.Timestamp
    refused: bool
    refusal_reason: str
    def __init__(self, signer_name: _Optional[str] = ..., image_png: _Optional[bytes] = ..., sign_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., refused: _Optional[bool] = ..., refusal_reason: _Optional[str] = ...) -> None: ...

class Completion(_message.Message):
    __slots__ = ("complete_time", "note")
    COMPLETE_TIME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    complete_time: _timestamp_pb2.Timestamp
    note: str
    def __init__(self, complete_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...
