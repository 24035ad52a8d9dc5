package main

// The walkthrough against a stand-in server that serves only intake and events, as homevisitd
// did before scheduling and reports: the unserved steps must be called, reported as not
// served, and not fail the run. (scripts/test-sdks.sh also runs it against homevisitd.)

import (
	"context"
	"net"
	"strings"
	"testing"

	"google.golang.org/grpc"

	homevisitv1 "github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
)

type orders struct {
	homevisitv1.UnimplementedServiceOrderServiceServer
}

func (orders) CreateServiceOrder(_ context.Context, req *homevisitv1.CreateServiceOrderRequest) (*homevisitv1.ServiceOrder, error) {
	return &homevisitv1.ServiceOrder{Name: "serviceOrders/stand-in", State: homevisitv1.ServiceOrder_STATE_REQUESTED,
		RequestedWindow: req.GetServiceOrder().GetRequestedWindow()}, nil
}

type events struct {
	homevisitv1.UnimplementedEventServiceServer
}

func (events) ListEvents(context.Context, *homevisitv1.ListEventsRequest) (*homevisitv1.ListEventsResponse, error) {
	return &homevisitv1.ListEventsResponse{Events: []*homevisitv1.Event{
		{Type: homevisitv1.Event_TYPE_ORDER_CREATED, Actor: "unauthenticated"}}}, nil
}

func TestWalkthroughReportsUnservedSteps(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := grpc.NewServer()
	homevisitv1.RegisterServiceOrderServiceServer(server, orders{})
	homevisitv1.RegisterEventServiceServer(server, events{})
	go func() { _ = server.Serve(listener) }()
	defer server.Stop()

	var out strings.Builder
	if err := run(listener.Addr().String(), "token", "", &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"1. intake: serviceOrders/stand-in",
		"2. availability: not served yet by this server (UNIMPLEMENTED)",
		"3. book: not served yet by this server (UNIMPLEMENTED)",
		"4. report: not served yet by this server (UNIMPLEMENTED)",
		"event TYPE_ORDER_CREATED",
		"walkthrough: done",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
