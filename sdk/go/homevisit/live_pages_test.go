package homevisit_test

// The All* page iterators against the live homevisitd of TestMain (live_test.go): every List
// RPC, walked with small pages so that each walk crosses pages.

import (
	"context"
	"iter"
	"slices"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/izzi-drwifi/homevisit/sdk/go/homevisit"
	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

// collect ranges over items, failing the test on an error, and returns what name picks of each.
func collect[T any](t *testing.T, items iter.Seq2[T, error], name func(T) string) []string {
	t.Helper()
	var names []string
	for item, err := range items {
		if err != nil {
			t.Fatalf("after %v: %v", names, err)
		}
		names = append(names, name(item))
	}
	return names
}

func TestAllServiceOrdersFollowsEveryPage(t *testing.T) {
	c := dial(t)
	file := uniqueID("EXP")
	var created []string
	for range 5 {
		created = append(created, create(t, c, file).GetName())
	}
	req := &homevisitv1.ListServiceOrdersRequest{FileNumber: file, PageSize: 2}
	listed := collect(t, c.AllServiceOrders(context.Background(), req), (*homevisitv1.ServiceOrder).GetName)
	slices.Reverse(created) // newest first, over 3 pages
	if !slices.Equal(listed, created) {
		t.Fatalf("AllServiceOrders listed %v, want %v", listed, created)
	}
	if req.GetPageToken() != "" {
		t.Fatalf("the caller's request got page token %q", req.GetPageToken())
	}
	// From the second page's token on: the last 3.
	first, err := c.ServiceOrders.ListServiceOrders(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	rest := collect(t, c.AllServiceOrders(context.Background(),
		&homevisitv1.ListServiceOrdersRequest{FileNumber: file, PageSize: 2, PageToken: first.GetNextPageToken()}),
		(*homevisitv1.ServiceOrder).GetName)
	if !slices.Equal(rest, created[2:]) {
		t.Fatalf("from the second page: %v, want %v", rest, created[2:])
	}
	if none := collect(t, c.AllServiceOrders(context.Background(),
		&homevisitv1.ListServiceOrdersRequest{FileNumber: uniqueID("NONE")}), (*homevisitv1.ServiceOrder).GetName); len(none) != 0 {
		t.Fatalf("an unknown file lists %v", none)
	}
	// Breaking out stops the walk.
	for order, err := range c.AllServiceOrders(context.Background(), req) {
		if err != nil || order.GetName() != created[0] {
			t.Fatalf("first item %v, %v; want %s", order, err, created[0])
		}
		break
	}
}

func TestAllServiceOrdersYieldsTheCallsError(t *testing.T) {
	anonymous, err := homevisit.Dial(serverAddress, homevisit.WithInsecure())
	if err != nil {
		t.Fatal(err)
	}
	defer anonymous.Close()
	expectOnlyError(t, anonymous.AllServiceOrders(context.Background(), nil), codes.Unauthenticated, "NO_CREDENTIALS")
}

// expectOnlyError checks that items yields exactly one pair: no item and an error of code and
// reason.
func expectOnlyError[T comparable](t *testing.T, items iter.Seq2[T, error], code codes.Code, reason string) {
	t.Helper()
	yields := 0
	for item, err := range items {
		yields++
		var none T
		if item != none || status.Code(err) != code || homevisit.Reason(err) != reason {
			t.Fatalf("yielded %v, %v (reason %q); want no item and %v %s", item, err, homevisit.Reason(err), code, reason)
		}
	}
	if yields != 1 {
		t.Fatalf("%d yields, want the one error", yields)
	}
}

func TestAllTechniciansFollowsEveryPage(t *testing.T) {
	dispatcher := dial(t, homevisit.WithToken(dispatcherToken))
	one, err := dispatcher.Technicians.ListTechnicians(context.Background(), &homevisitv1.ListTechniciansRequest{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if one.GetNextPageToken() == "" {
		t.Fatal("the demo data has one technician only: the walk would not cross pages")
	}
	whole, err := dispatcher.Technicians.ListTechnicians(context.Background(), &homevisitv1.ListTechniciansRequest{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tech := range whole.GetTechnicians() {
		want = append(want, tech.GetName())
	}
	listed := collect(t, dispatcher.AllTechnicians(context.Background(), &homevisitv1.ListTechniciansRequest{PageSize: 1}),
		(*homevisitv1.Technician).GetName)
	if !slices.Equal(listed, want) || !slices.Contains(listed, "technicians/demo-tech-1") {
		t.Fatalf("AllTechnicians with pages of 1 listed %v, want %v (one page)", listed, want)
	}
	// Listing technicians is the dispatcher's: a DOT operator's walk yields the one error.
	expectOnlyError(t, dial(t).AllTechnicians(context.Background(), nil), codes.PermissionDenied, "ROLE_NOT_ALLOWED")
}

func TestAllEventsFollowsEveryPage(t *testing.T) {
	c := dial(t)
	order := create(t, c, uniqueID("EXP"))
	if _, err := c.ServiceOrders.CancelServiceOrder(context.Background(), &homevisitv1.CancelServiceOrderRequest{
		Name: order.GetName(), Reason: "Prueba de páginas", Etag: order.GetEtag()}); err != nil {
		t.Fatal(err)
	}
	var types []homevisitv1.Event_Type
	for event, err := range c.AllEvents(context.Background(),
		&homevisitv1.ListEventsRequest{ServiceOrder: order.GetName(), PageSize: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		if event.GetServiceOrder() != order.GetName() {
			t.Fatalf("event of %s in the walk of %s", event.GetServiceOrder(), order.GetName())
		}
		types = append(types, event.GetType())
	}
	if !slices.Equal(types, []homevisitv1.Event_Type{homevisitv1.Event_TYPE_ORDER_CREATED, homevisitv1.Event_TYPE_CANCELLED}) {
		t.Fatalf("event types %v, want the intake and the cancellation, oldest first", types)
	}
}

func TestAllCredentialsFollowsEveryPage(t *testing.T) {
	admin := dial(t, homevisit.WithToken(adminToken))
	whole, err := admin.Credentials.ListCredentials(context.Background(), &homevisitv1.ListCredentialsRequest{PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, credential := range whole.GetCredentials() {
		want = append(want, credential.GetName())
	}
	if len(want) < 3 { // the admin, the DOT operator and the dispatcher of TestMain
		t.Fatalf("credentials %v, want at least 3", want)
	}
	listed := collect(t, admin.AllCredentials(context.Background(), &homevisitv1.ListCredentialsRequest{PageSize: 1}),
		(*homevisitv1.Credential).GetName)
	// Other tests may issue credentials meanwhile: every one listed at first is in the walk, in order.
	var seen []string
	for _, name := range listed {
		if slices.Contains(want, name) {
			seen = append(seen, name)
		}
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("AllCredentials with pages of 1 listed %v, want %v among them in order", listed, want)
	}
	// Only the admin may.
	expectOnlyError(t, dial(t).AllCredentials(context.Background(), nil), codes.PermissionDenied, "ROLE_NOT_ALLOWED")
}

func TestAllVisitReportsFollowsEveryPage(t *testing.T) {
	c := dial(t)
	file := uniqueID("EXP")
	first := completeVisit(t, c, file)
	second := completeVisit(t, c, file)
	listed := collect(t, c.AllVisitReports(context.Background(),
		&homevisitv1.ListVisitReportsRequest{FileNumber: file, PageSize: 1}), (*homevisitv1.VisitReport).GetName)
	want := []string{second + "/visitReport", first + "/visitReport"} // newest first
	if !slices.Equal(listed, want) {
		t.Fatalf("AllVisitReports with pages of 1 listed %v, want %v", listed, want)
	}
	if none := collect(t, c.AllVisitReports(context.Background(),
		&homevisitv1.ListVisitReportsRequest{FileNumber: uniqueID("NONE")}), (*homevisitv1.VisitReport).GetName); len(none) != 0 {
		t.Fatalf("a file without visits lists reports %v", none)
	}
}

// completeVisit walks one visit of file from intake to completion, as the DOT operator c and the
// booked technician, and returns the order's name.
func TestAllHoldsFollowsEveryPage(t *testing.T) {
	c := dial(t)
	ctx := context.Background()
	// Three orders of one file, each holding its first option (a hold takes its slot, so the next
	// order is offered another).
	file := uniqueID("EXP")
	var held []string
	for range 3 {
		order := create(t, c, file)
		offered, err := c.Scheduling.CheckAvailability(ctx, &homevisitv1.CheckAvailabilityRequest{ServiceOrder: order.GetName()})
		if err != nil {
			t.Fatal(err)
		}
		option := offered.GetRequested()
		if !offered.GetRequestedAvailable() {
			option = append(offered.GetSameDay(), offered.GetOtherDays()...)[0]
		}
		hold, err := c.Scheduling.CreateHold(ctx, &homevisitv1.CreateHoldRequest{ServiceOrder: order.GetName(), Option: option})
		if err != nil {
			t.Fatalf("CreateHold: %v", err)
		}
		held = append(held, hold.GetName())
	}
	// Other tests may hold too: the walk must equal one big page of the same filter.
	whole, err := c.Scheduling.ListHolds(ctx, &homevisitv1.ListHoldsRequest{LiveOnly: true, PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, h := range whole.GetHolds() {
		want = append(want, h.GetName())
	}
	listed := collect(t, c.AllHolds(ctx, &homevisitv1.ListHoldsRequest{LiveOnly: true, PageSize: 2}), (*homevisitv1.Hold).GetName)
	if !slices.Equal(listed, want) {
		t.Fatalf("AllHolds with pages of 2 listed %v, want %v (one page)", listed, want)
	}
	for _, name := range held {
		if !slices.Contains(listed, name) {
			t.Fatalf("AllHolds missed %s: %v", name, listed)
		}
	}
	// Holds are DOT's and the dispatcher's: a technician's walk yields the one error.
	admin := dial(t, homevisit.WithToken(adminToken))
	issued, err := admin.Credentials.CreateCredential(ctx, &homevisitv1.CreateCredentialRequest{Credential: &homevisitv1.Credential{
		Principal: uniqueID("go-sdk-holds"), Role: homevisitv1.Role_ROLE_TECHNICIAN, Technician: "technicians/demo-tech-1"}})
	if err != nil {
		t.Fatal(err)
	}
	expectOnlyError(t, dial(t, homevisit.WithToken(issued.GetToken())).AllHolds(ctx, nil), codes.PermissionDenied, "ROLE_NOT_ALLOWED")
}

func completeVisit(t *testing.T, c *homevisit.Client, file string) string {
	t.Helper()
	ctx := context.Background()
	order := create(t, c, file)
	offered, err := c.Scheduling.CheckAvailability(ctx, &homevisitv1.CheckAvailabilityRequest{ServiceOrder: order.GetName()})
	if err != nil {
		t.Fatal(err)
	}
	option := offered.GetRequested()
	if !offered.GetRequestedAvailable() {
		options := append(offered.GetSameDay(), offered.GetOtherDays()...)
		if len(options) == 0 {
			t.Fatalf("no availability for %s", order.GetName())
		}
		option = options[0]
	}
	booked, err := c.Scheduling.BookAppointment(ctx, &homevisitv1.BookAppointmentRequest{
		ServiceOrder: order.GetName(), Source: &homevisitv1.BookAppointmentRequest_Option{Option: option}})
	if err != nil {
		t.Fatalf("BookAppointment: %v", err)
	}
	if _, err := c.Visits.RecordConfirmationCall(ctx, &homevisitv1.RecordConfirmationCallRequest{
		ServiceOrder: order.GetName(), Result: homevisitv1.ConfirmationCall_RESULT_CONFIRMED}); err != nil {
		t.Fatalf("RecordConfirmationCall: %v", err)
	}
	admin := dial(t, homevisit.WithToken(adminToken))
	issued, err := admin.Credentials.CreateCredential(ctx, &homevisitv1.CreateCredentialRequest{Credential: &homevisitv1.Credential{
		Principal: uniqueID("go-sdk-phone"), Role: homevisitv1.Role_ROLE_TECHNICIAN,
		Technician: booked.GetAppointment().GetTechnician()}})
	if err != nil {
		t.Fatalf("CreateCredential: %v", err)
	}
	tech := dial(t, homevisit.WithToken(issued.GetToken()))
	if _, err := tech.Visits.CheckIn(ctx, &homevisitv1.CheckInRequest{ServiceOrder: order.GetName(),
		OfficialIdType: homevisitv1.OfficialIdType_OFFICIAL_ID_TYPE_INE, GreetingGiven: true, VestWorn: true,
		ReasonExplained: true}); err != nil {
		t.Fatalf("CheckIn: %v", err)
	}
	checklist, err := tech.Visits.GetChecklistTemplate(ctx, &homevisitv1.GetChecklistTemplateRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var answers []*homevisitv1.ChecklistAnswer
	for _, item := range checklist.GetItems() {
		answers = append(answers, &homevisitv1.ChecklistAnswer{ItemId: item.GetItemId(), Result: homevisitv1.ChecklistAnswer_RESULT_PASS})
	}
	steps := []func() error{
		func() error {
			_, err := tech.Visits.RecordDiagnosis(ctx, &homevisitv1.RecordDiagnosisRequest{ServiceOrder: order.GetName(),
				Diagnosis: &homevisitv1.Diagnosis{InternetRelated: true, Summary: "Módem colgado"}, Checklist: answers})
			return err
		},
		func() error {
			_, err := tech.Visits.RecordOutcome(ctx, &homevisitv1.RecordOutcomeRequest{ServiceOrder: order.GetName(),
				Outcome: &homevisitv1.Outcome{Result: homevisitv1.Outcome_RESULT_RESOLVED, Problem: "Sin internet",
					Diagnosis: "Módem colgado", ActionsPerformed: "Se reinició el módem"}})
			return err
		},
		func() error {
			_, err := tech.Visits.CaptureSignature(ctx, &homevisitv1.CaptureSignatureRequest{ServiceOrder: order.GetName(),
				Signature: &homevisitv1.Signature{Refused: true, RefusalReason: "No desea firmar"}})
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("visit step %d of %s: %v", i+1, order.GetName(), err)
		}
	}
	completed, err := tech.Visits.CompleteVisit(ctx, &homevisitv1.CompleteVisitRequest{ServiceOrder: order.GetName()})
	if err != nil || completed.GetState() != homevisitv1.ServiceOrder_STATE_COMPLETED {
		t.Fatalf("CompleteVisit: %v, %v", completed.GetState(), err)
	}
	return order.GetName()
}
