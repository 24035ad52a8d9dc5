"""Walks one visit the way DOT's call centre does: intake, availability, booking and the visit
report, then prints the order's event log.

Steps the server does not serve yet (UNIMPLEMENTED) are reported as such and skipped; any other
error ends the walkthrough with exit status 1.

    HOMEVISIT_TOKEN=... python examples/walkthrough.py --target 127.0.0.1:50051

The server requires a bearer token: --token, by default $HOMEVISIT_TOKEN. A DOT operator's
credential is enough for every step (intake, availability, booking, report, events).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
import zoneinfo

import grpc
from google.protobuf import timestamp_pb2

import homevisit
from homevisit.v1 import (
    common_pb2,
    event_pb2,
    scheduling_service_pb2 as scheduling,
    service_order_pb2,
    service_order_service_pb2 as orders,
    visit_report_pb2,
)


def next_working_morning(now: datetime.datetime) -> datetime.datetime:
    """11:00 in Mexico City on the first Monday-Saturday at least two days ahead (the demo
    technicians work Monday to Saturday, 09:00-18:00)."""
    zone = zoneinfo.ZoneInfo("America/Mexico_City")
    day = now.astimezone(zone).date() + datetime.timedelta(days=2)
    while day.weekday() == 6:  # Sunday
        day += datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, 11, tzinfo=zone).astimezone(datetime.timezone.utc)


def ts(moment: datetime.datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def fail(step: str, error: homevisit.ApiError) -> None:
    print(f"{step} failed: {error}", file=sys.stderr)
    for violation in error.field_violations:
        print(f"  {violation.field}: {violation.description}", file=sys.stderr)
    sys.exit(1)


def not_served(step: str, error: homevisit.ApiError) -> bool:
    """True (after saying so) when the server does not serve this step yet."""
    if error.code == grpc.StatusCode.UNIMPLEMENTED:
        print(f"{step}: not served yet by this server (UNIMPLEMENTED)")
        return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051", help="homevisitd address, HOST:PORT")
    parser.add_argument(
        "--token", default=os.environ.get("HOMEVISIT_TOKEN"),
        help="bearer token, e.g. a DOT operator's (default: $HOMEVISIT_TOKEN)",
    )
    parser.add_argument("--ca", help="PEM file of the CA that signs the server's certificate: use TLS")
    args = parser.parse_args()

    tls = {"root_certificates": open(args.ca, "rb").read()} if args.ca else {"insecure": True}
    with homevisit.Client(args.target, token=args.token, **tls) as client:
        # 1. Intake [S1]: the request id makes a retry of this call safe (and the SDK retries it).
        start = next_working_morning(datetime.datetime.now(datetime.timezone.utc))
        try:
            order = client.service_orders.CreateServiceOrder(
                orders.CreateServiceOrderRequest(
                    request_id=f"walkthrough-{time.time_ns()}",
                    service_order=service_order_pb2.ServiceOrder(
                        file_number="EXP-200511",
                        subscriber=service_order_pb2.Subscriber(
                            given_name="Laura", family_name="Méndez", email="laura.mendez@example.com"
                        ),
                        address=service_order_pb2.Address(
                            street="Calle Durango", exterior_number="245", interior_number="3",
                            colonia="Roma Norte", delegacion="Cuauhtémoc", postal_code="06700",
                            references="Portón negro",
                        ),
                        requested_window=common_pb2.TimeWindow(
                            start_time=ts(start), end_time=ts(start + datetime.timedelta(hours=2))
                        ),
                        receiver=service_order_pb2.Receiver(name="Laura Méndez", phone="5512345678"),
                        problem_description="La señal de Wi-Fi no llega a las recámaras.",
                        charge=service_order_pb2.ServiceOrder.CHARGE_FREE,
                    ),
                )
            )
        except homevisit.ApiError as error:
            fail("intake", error)
        state = service_order_pb2.ServiceOrder.State.Name(order.state)
        print(f"1. intake: {order.name} ({state}), requested {start.isoformat()}")

        # 2. Availability [S2]: the requested window, or alternatives.
        option = None
        try:
            availability = client.scheduling.CheckAvailability(
                scheduling.CheckAvailabilityRequest(service_order=order.name)
            )
            if availability.requested_available:
                option = availability.requested
                print(f"2. availability: requested window free with {option.technician_display_name}")
            else:
                reason = scheduling.UnavailableReason.Name(availability.unavailable_reason)
                print(
                    f"2. availability: requested window not free ({reason}); "
                    f"{len(availability.same_day)} alternatives the same day, "
                    f"{len(availability.other_days)} on other days"
                )
                alternatives = list(availability.same_day) + list(availability.other_days)
                option = alternatives[0] if alternatives else None
        except homevisit.ApiError as error:
            if not not_served("2. availability", error):
                fail("availability", error)

        # 3. Booking [S3, S4]: directly from the option (a hold would come first while the
        # subscriber decides). Without an option from step 2, ask for the requested window.
        book = scheduling.BookAppointmentRequest(
            service_order=order.name,
            request_id=f"walkthrough-book-{time.time_ns()}",
            option=option or scheduling.SlotOption(window=order.requested_window),
        )
        try:
            booked = client.scheduling.BookAppointment(book)
            appointment = booked.appointment
            state = service_order_pb2.ServiceOrder.State.Name(booked.state)
            print(
                f"3. book: {state} with {appointment.technician_display_name}, arriving "
                f"{appointment.window.start_time.ToJsonString()}-{appointment.window.end_time.ToJsonString()}"
            )
        except homevisit.ApiError as error:
            if not not_served("3. book", error):
                if option is not None:
                    fail("book", error)
                print(f"3. book: no option to book ({error.message})")

        # 4. The visit report [G1]: filed once the technician completes the visit.
        try:
            report = client.visit_reports.GetVisitReport(
                visit_report_pb2.GetVisitReportRequest(name=f"{order.name}/visitReport")
            )
            print(f"4. report: {report.name} filed {report.file_time.ToJsonString()}")
        except homevisit.ApiError as error:
            if not not_served("4. report", error):
                if error.code not in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION):
                    fail("report", error)
                print(f"4. report: none yet, the visit has not been completed ({error.code.name})")

        # The order's event log: every change with its actor.
        try:
            events = client.events.ListEvents(event_pb2.ListEventsRequest(service_order=order.name)).events
            for event in events:
                kind = event_pb2.Event.Type.Name(event.type)
                print(f"   event {kind} by {event.actor} at {event.event_time.ToJsonString()}")
        except homevisit.ApiError as error:
            if not not_served("events", error):
                fail("events", error)
    print("walkthrough: done")


if __name__ == "__main__":
    main()
