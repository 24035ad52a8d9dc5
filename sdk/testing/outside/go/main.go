// A whole visit, intake to filed report, from a Go module outside the repository that requires
// the SDK through a replace directive, using only its public packages. Run by
// scripts/test-sdks.sh (which writes the go.mod):   go run . HOST:PORT ADMIN_TOKEN
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/izzi-drwifi/homevisit/sdk/go/homevisit"
	v1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func must[T any](value T, err error) T {
	if err != nil {
		log.Fatalf("outside (go) failed: %v", err)
	}
	return value
}

func main() {
	address, adminToken := os.Args[1], os.Args[2]
	ctx := context.Background()
	dial := func(token string) *homevisit.Client {
		return must(homevisit.Dial(address, homevisit.WithInsecure(), homevisit.WithToken(token)))
	}
	admin := dial(adminToken)
	defer admin.Close()
	issue := func(principal string, role v1.Role, technician string) string {
		return must(admin.Credentials.CreateCredential(ctx, &v1.CreateCredentialRequest{Credential: &v1.Credential{
			Principal: principal, Role: role, Technician: technician}})).GetToken()
	}
	dot := dial(issue("outside-go-dot", v1.Role_ROLE_DOT_OPERATOR, ""))
	defer dot.Close()
	start := time.Now().UTC().Truncate(24 * time.Hour).Add(48*time.Hour + 16*time.Hour)
	order := must(dot.ServiceOrders.CreateServiceOrder(ctx, &v1.CreateServiceOrderRequest{ServiceOrder: &v1.ServiceOrder{
		FileNumber: "EXP-OUTSIDE-GO",
		Subscriber: &v1.Subscriber{GivenName: "Laura", FamilyName: "Méndez", Email: "laura.mendez@example.com"},
		Address: &v1.Address{Street: "Calle Durango", ExteriorNumber: "245", Colonia: "Roma Norte",
			Delegacion: "Cuauhtémoc", PostalCode: "06700"},
		RequestedWindow:    &v1.TimeWindow{StartTime: timestamppb.New(start), EndTime: timestamppb.New(start.Add(2 * time.Hour))},
		Receiver:           &v1.Receiver{Name: "Laura Méndez", Phone: "5512345678"},
		ProblemDescription: "La señal de Wi-Fi no llega a las recámaras.",
		Charge:             v1.ServiceOrder_CHARGE_FREE,
	}}))
	offered := must(dot.Scheduling.CheckAvailability(ctx, &v1.CheckAvailabilityRequest{ServiceOrder: order.GetName()}))
	option := offered.GetRequested()
	if !offered.GetRequestedAvailable() {
		option = append(offered.GetSameDay(), offered.GetOtherDays()...)[0]
	}
	booked := must(dot.Scheduling.BookAppointment(ctx, &v1.BookAppointmentRequest{
		ServiceOrder: order.GetName(), Source: &v1.BookAppointmentRequest_Option{Option: option}}))
	must(dot.Visits.RecordConfirmationCall(ctx, &v1.RecordConfirmationCallRequest{
		ServiceOrder: order.GetName(), Result: v1.ConfirmationCall_RESULT_CONFIRMED}))

	tech := dial(issue("outside-go-phone", v1.Role_ROLE_TECHNICIAN, booked.GetAppointment().GetTechnician()))
	defer tech.Close()
	must(tech.Visits.CheckIn(ctx, &v1.CheckInRequest{ServiceOrder: order.GetName(),
		OfficialIdType: v1.OfficialIdType_OFFICIAL_ID_TYPE_INE, GreetingGiven: true, VestWorn: true, ReasonExplained: true}))
	checklist := must(tech.Visits.GetChecklistTemplate(ctx, &v1.GetChecklistTemplateRequest{}))
	var answers []*v1.ChecklistAnswer
	for _, item := range checklist.GetItems() {
		answers = append(answers, &v1.ChecklistAnswer{ItemId: item.GetItemId(), Result: v1.ChecklistAnswer_RESULT_PASS})
	}
	must(tech.Visits.RecordDiagnosis(ctx, &v1.RecordDiagnosisRequest{ServiceOrder: order.GetName(),
		Diagnosis: &v1.Diagnosis{InternetRelated: true, Summary: "Módem colgado"}, Checklist: answers}))
	must(tech.Visits.RecordOutcome(ctx, &v1.RecordOutcomeRequest{ServiceOrder: order.GetName(), Outcome: &v1.Outcome{
		Result: v1.Outcome_RESULT_RESOLVED, Problem: "Sin internet", Diagnosis: "Módem colgado",
		ActionsPerformed: "Se reinició el módem"}}))
	must(tech.Visits.CaptureSignature(ctx, &v1.CaptureSignatureRequest{ServiceOrder: order.GetName(),
		Signature: &v1.Signature{Refused: true, RefusalReason: "No desea firmar"}}))
	completed := must(tech.Visits.CompleteVisit(ctx, &v1.CompleteVisitRequest{ServiceOrder: order.GetName()}))
	if completed.GetState() != v1.ServiceOrder_STATE_COMPLETED {
		log.Fatalf("outside (go) failed: the visit ended %v", completed.GetState())
	}
	report := must(dot.VisitReports.GetVisitReport(ctx, &v1.GetVisitReportRequest{Name: order.GetName() + "/visitReport"}))
	if len(report.GetSteps()) < 6 {
		log.Fatalf("outside (go) failed: the report lists %d steps", len(report.GetSteps()))
	}
	fmt.Printf("outside (go): %s completed, report with %d steps\n", order.GetName(), len(report.GetSteps()))
}
