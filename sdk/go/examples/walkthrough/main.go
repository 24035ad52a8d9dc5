// Walkthrough walks one visit the way DOT's call centre does: intake, availability, booking,
// and the visit report, then prints the order's event log. Steps the server does not serve yet
// (UNIMPLEMENTED) are reported as such and skipped; any other error ends it with exit 1.
//
//	HOMEVISIT_TOKEN=... go run ./examples/walkthrough -target 127.0.0.1:50051
//
// The server requires a bearer token: -token, by default $HOMEVISIT_TOKEN. A DOT operator's
// credential is enough for every step (intake, availability, booking, report, events).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"
	_ "time/tzdata" // the service's zone must resolve without a system zoneinfo

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/izzi-drwifi/homevisit/sdk/go/homevisit"
	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

func main() {
	target := flag.String("target", "127.0.0.1:50051", "homevisitd address, HOST:PORT")
	token := flag.String("token", os.Getenv("HOMEVISIT_TOKEN"), "bearer token, e.g. a DOT operator's (default: $HOMEVISIT_TOKEN)")
	caFile := flag.String("ca", "", "PEM file of the CA that signs the server's certificate: use TLS")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*target, *token, *caFile, os.Stdout); err != nil {
		log.Print(err)
		for _, v := range homevisit.FieldViolations(err) {
			log.Printf("  %s: %s", v.GetField(), v.GetDescription())
		}
		os.Exit(1)
	}
}

// run walks the visit against target, printing to out. A step's unexpected error ends it.
func run(target, token, caFile string, out io.Writer) error {
	opts := []homevisit.Option{homevisit.WithInsecure()}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return err
		}
		opts = []homevisit.Option{homevisit.WithTLS(homevisit.TLSConfig{RootCertsPEM: pem})}
	}
	if token != "" {
		opts = append(opts, homevisit.WithToken(token))
	}
	c, err := homevisit.Dial(target, opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx := context.Background()

	// 1. Intake [S1]: the request id makes a retry of this call safe.
	start := nextWorkingMorning(time.Now())
	order, err := c.ServiceOrders.CreateServiceOrder(ctx, &homevisitv1.CreateServiceOrderRequest{
		RequestId: fmt.Sprintf("walkthrough-%d", time.Now().UnixNano()),
		ServiceOrder: &homevisitv1.ServiceOrder{
			FileNumber: "EXP-200511",
			Subscriber: &homevisitv1.Subscriber{GivenName: "Laura", FamilyName: "Méndez", Email: "laura.mendez@example.com"},
			Address: &homevisitv1.Address{Street: "Calle Durango", ExteriorNumber: "245", InteriorNumber: "3",
				Colonia: "Roma Norte", Delegacion: "Cuauhtémoc", PostalCode: "06700", References: "Portón negro"},
			RequestedWindow:    &homevisitv1.TimeWindow{StartTime: timestamppb.New(start), EndTime: timestamppb.New(start.Add(2 * time.Hour))},
			Receiver:           &homevisitv1.Receiver{Name: "Laura Méndez", Phone: "5512345678"},
			ProblemDescription: "La señal de Wi-Fi no llega a las recámaras.",
			Charge:             homevisitv1.ServiceOrder_CHARGE_FREE,
		},
	})
	if err != nil {
		return fmt.Errorf("intake: %w", err)
	}
	fmt.Fprintf(out, "1. intake: %s (%s), requested %s\n", order.GetName(), order.GetState(), start.Format(time.RFC3339))

	// 2. Availability [S2]: the requested window, or alternatives.
	var option *homevisitv1.SlotOption
	avail, err := c.Scheduling.CheckAvailability(ctx, &homevisitv1.CheckAvailabilityRequest{ServiceOrder: order.GetName()})
	served, err := servedStep(out, "2. availability", err)
	if err != nil {
		return err
	}
	if served {
		switch {
		case avail.GetRequestedAvailable():
			option = avail.GetRequested()
			fmt.Fprintf(out, "2. availability: requested window free with %s\n", option.GetTechnicianDisplayName())
		case len(avail.GetSameDay()) > 0:
			option = avail.GetSameDay()[0]
		case len(avail.GetOtherDays()) > 0:
			option = avail.GetOtherDays()[0]
		}
		if !avail.GetRequestedAvailable() {
			fmt.Fprintf(out, "2. availability: requested window not free (%s); %d alternatives the same day, %d on other days\n",
				avail.GetUnavailableReason(), len(avail.GetSameDay()), len(avail.GetOtherDays()))
		}
	}

	// 3. Booking [S3, S4]: directly from the option (a hold would come first while the
	// subscriber decides). Without an option from step 2, ask for the requested window.
	bookReq := &homevisitv1.BookAppointmentRequest{ServiceOrder: order.GetName(),
		RequestId: fmt.Sprintf("walkthrough-book-%d", time.Now().UnixNano())}
	if option != nil {
		bookReq.Source = &homevisitv1.BookAppointmentRequest_Option{Option: option}
	} else {
		bookReq.Source = &homevisitv1.BookAppointmentRequest_Option{Option: &homevisitv1.SlotOption{Window: order.GetRequestedWindow()}}
	}
	booked, err := c.Scheduling.BookAppointment(ctx, bookReq)
	switch {
	case status.Code(err) == codes.Unimplemented:
		fmt.Fprintln(out, "3. book: not served yet by this server (UNIMPLEMENTED)")
	case err != nil && option == nil:
		fmt.Fprintf(out, "3. book: no option to book (%v)\n", status.Convert(err).Message())
	case err != nil:
		return fmt.Errorf("book: %w", err)
	default:
		fmt.Fprintf(out, "3. book: %s with %s, arriving %s-%s\n", booked.GetState(),
			booked.GetAppointment().GetTechnicianDisplayName(),
			booked.GetAppointment().GetWindow().GetStartTime().AsTime().Format(time.RFC3339),
			booked.GetAppointment().GetWindow().GetEndTime().AsTime().Format("15:04Z07:00"))
	}

	// 4. The visit report [G1]: filed once the technician completes the visit.
	report, err := c.VisitReports.GetVisitReport(ctx, &homevisitv1.GetVisitReportRequest{Name: order.GetName() + "/visitReport"})
	switch status.Code(err) {
	case codes.Unimplemented:
		fmt.Fprintln(out, "4. report: not served yet by this server (UNIMPLEMENTED)")
	case codes.NotFound, codes.FailedPrecondition:
		fmt.Fprintf(out, "4. report: none yet, the visit has not been completed (%s)\n", status.Code(err))
	case codes.OK:
		fmt.Fprintf(out, "4. report: %s filed %s\n", report.GetName(), report.GetFileTime().AsTime().Format(time.RFC3339))
	default:
		return fmt.Errorf("report: %w", err)
	}

	// The order's event log: every change with its actor.
	events, err := c.Events.ListEvents(ctx, &homevisitv1.ListEventsRequest{ServiceOrder: order.GetName()})
	if served, err = servedStep(out, "events", err); err != nil {
		return err
	}
	if served {
		for _, e := range events.GetEvents() {
			fmt.Fprintf(out, "   event %s by %s at %s\n", e.GetType(), e.GetActor(), e.GetEventTime().AsTime().Format(time.RFC3339))
		}
	}
	fmt.Fprintln(out, "walkthrough: done")
	return nil
}

// nextWorkingMorning: 11:00 in Mexico City on the first Monday-Saturday at least two days ahead
// (the demo technicians work Monday to Saturday, 09:00-18:00).
func nextWorkingMorning(now time.Time) time.Time {
	zone, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		log.Fatal(err)
	}
	day := now.In(zone).AddDate(0, 0, 2)
	for day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 11, 0, 0, 0, zone).UTC()
}

// servedStep reports an UNIMPLEMENTED step and returns false; other errors come back wrapped.
func servedStep(out io.Writer, step string, err error) (bool, error) {
	switch status.Code(err) {
	case codes.OK:
		return true, nil
	case codes.Unimplemented:
		fmt.Fprintf(out, "%s: not served yet by this server (UNIMPLEMENTED)\n", step)
		return false, nil
	default:
		return false, fmt.Errorf("%s: %w", step, err)
	}
}
